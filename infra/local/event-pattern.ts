/**
 * EventBridge event-pattern matching (the subset of the content filters the manifest and later rules use):
 * exact values, prefix, suffix, equals-ignore-case, anything-but, exists, numeric ranges, nested fields and $or.
 * An array in the event matches when any of its elements does, as in EventBridge.
 */
type Pattern = { [field: string]: unknown };
type Filter = Record<string, unknown>;

const numericOps: Record<string, (a: number, b: number) => boolean> = {
  '=': (a, b) => a === b,
  '<': (a, b) => a < b,
  '<=': (a, b) => a <= b,
  '>': (a, b) => a > b,
  '>=': (a, b) => a >= b,
};

function matchesFilter(filter: Filter, value: unknown, present: boolean): boolean {
  if ('exists' in filter) return filter.exists === present;
  if (!present) return false;
  if ('prefix' in filter) return typeof value === 'string' && value.startsWith(String(filter.prefix));
  if ('suffix' in filter) return typeof value === 'string' && value.endsWith(String(filter.suffix));
  if ('equals-ignore-case' in filter) return typeof value === 'string' && value.toLowerCase() === String(filter['equals-ignore-case']).toLowerCase();
  if ('anything-but' in filter) {
    const excluded = filter['anything-but'];
    if (excluded && typeof excluded === 'object' && !Array.isArray(excluded)) return !matchesFilter(excluded as Filter, value, present);
    return !(Array.isArray(excluded) ? excluded : [excluded]).includes(value as never);
  }
  if ('numeric' in filter) {
    const conditions = filter.numeric as (string | number)[];
    if (typeof value !== 'number') return false;
    for (let i = 0; i < conditions.length; i += 2) {
      if (!numericOps[conditions[i] as string]?.(value, conditions[i + 1] as number)) return false;
    }
    return true;
  }
  throw new Error(`Unsupported event pattern filter: ${JSON.stringify(filter)}`);
}

/** Does one field's list of allowed values (or filters) accept the event's value? */
function matchesValues(allowed: unknown[], value: unknown, present: boolean): boolean {
  const candidates = Array.isArray(value) ? value : [value];
  return allowed.some((rule) =>
    rule !== null && typeof rule === 'object'
      ? candidates.some((v) => matchesFilter(rule as Filter, v, present))
      : present && candidates.some((v) => v === rule),
  );
}

export function matchesPattern(pattern: Pattern, event: Record<string, unknown>): boolean {
  return Object.entries(pattern).every(([field, rule]) => {
    if (field === '$or') return (rule as Pattern[]).some((alternative) => matchesPattern(alternative, event));
    const present = event !== null && typeof event === 'object' && field in event;
    const value = present ? event[field] : undefined;
    if (Array.isArray(rule)) return matchesValues(rule, value, present);
    if (rule && typeof rule === 'object') return present && typeof value === 'object' && value !== null && matchesPattern(rule as Pattern, value as Record<string, unknown>);
    throw new Error(`Invalid event pattern at ${field}: leaves must be arrays`);
  });
}
