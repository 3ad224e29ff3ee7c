/**
 * A pure function of a string, remembered: hot loops ask for the same few thousand keys again and again. Forgets
 * everything at once past `kept` keys, so memory stays bounded in a long-lived container.
 */
export function remembered<V>(compute: (key: string) => V, kept = 20_000): (key: string) => V {
  const values = new Map<string, V>();
  return (key) => {
    let value = values.get(key);
    if (value === undefined) {
      if (values.size >= kept) values.clear();
      values.set(key, (value = compute(key)));
    }
    return value;
  };
}
