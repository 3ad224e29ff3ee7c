/** Skills that mean the same thing; a person with any one fits a job asking for another. docs/matching.md. */
const synonymGroups: readonly (readonly string[])[] = [
  ['javascript', 'js', 'ecmascript'],
  ['typescript', 'ts'],
  ['node.js', 'nodejs', 'node'],
  ['react', 'reactjs', 'react.js'],
  ['vue', 'vuejs', 'vue.js'],
  ['angular', 'angularjs'],
  ['go', 'golang'],
  ['python', 'py'],
  ['c#', 'csharp'],
  ['c++', 'cpp'],
  ['postgres', 'postgresql'],
  ['kubernetes', 'k8s'],
  ['aws', 'amazon web services'],
  ['gcp', 'google cloud', 'google cloud platform'],
  ['azure', 'microsoft azure'],
  ['machine learning', 'ml'],
  ['artificial intelligence', 'ai'],
  ['ci/cd', 'continuous integration', 'continuous delivery'],
  ['ux', 'user experience'],
  ['ui', 'user interface'],
  ['sql server', 'mssql'],
  ['elasticsearch', 'opensearch'],
];
const synonymsOf = new Map<string, readonly string[]>(synonymGroups.flatMap((group) => group.map((skill) => [skill, group] as const)));

/** A skill and every name it goes by, lower-case. */
export function skillVariants(skill: string): string[] {
  const key = skill.trim().toLowerCase();
  return [...new Set([key, ...(synonymsOf.get(key) ?? [])])];
}

const escapeRegExp = (text: string) => text.replace(/[.*+?^${}()|[\]\\]/g, '\\$&');
/** Whether plain text names a skill as a word of its own ("Go" in "Go and Rust", not in "good"). */
export const namedIn = (text: string, skill: string) =>
  new RegExp(`(^|[^\\p{L}\\p{N}+#])${escapeRegExp(skill)}(?=$|[^\\p{L}\\p{N}+#])`, 'iu').test(text);
