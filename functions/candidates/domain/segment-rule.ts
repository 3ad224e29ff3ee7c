import * as z from 'zod';
import type { Candidate } from '../schemas.ts';
import { engagementAt } from './engagement.ts';

/**
 * The segment rule language: `{"all": [...]}`, `{"any": [...]}`, `{"not": rule}` and conditions
 * `{"field", "op", "value"}`. Pure: a rule and a candidate (and the time, for activity age) decide membership.
 * Documented in docs/segments.md.
 */
const ops = ['eq', 'neq', 'in', 'contains', 'gt', 'gte', 'lt', 'lte', 'exists'] as const;
type Op = (typeof ops)[number];
type Kind = 'list' | 'text' | 'number';

/** Each field: what kind of value it holds and the operators that make sense for it. */
const fields: Record<string, Kind> = {
  tags: 'list',
  pools: 'list',
  skills: 'list',
  'applications.status': 'list',
  'applications.reached': 'list',
  status: 'text',
  'location.country': 'text',
  'location.city': 'text',
  'source.type': 'text',
  timezone: 'text',
  experienceYears: 'number',
  lastActivityDays: 'number',
  'applications.endedDays': 'number',
  engagementScore: 'number',
};
const opsFor: Record<Kind | 'consent' | 'custom', readonly Op[]> = {
  list: ['contains', 'in', 'exists'],
  text: ['eq', 'neq', 'in', 'contains', 'exists'],
  number: ['eq', 'neq', 'gt', 'gte', 'lt', 'lte', 'exists'],
  consent: ['eq', 'exists'],
  custom: ops,
};

const kindOf = (field: string): Kind | 'consent' | 'custom' | undefined =>
  fields[field] ?? (/^consent\.[a-z0-9-]{1,50}$/.test(field) ? 'consent' : /^custom\.[a-zA-Z][\w-]{0,39}$/.test(field) ? 'custom' : undefined);

const Scalar = z.union([z.string().max(200), z.number(), z.boolean()]);
const Condition = z
  .strictObject({ field: z.string(), op: z.enum(ops), value: z.union([Scalar, z.array(Scalar).min(1).max(100)]).optional() })
  .superRefine((c, ctx) => {
    const kind = kindOf(c.field);
    if (!kind) {
      ctx.addIssue({ code: 'custom', path: ['field'], message: `unknown field; use one of ${Object.keys(fields).join(', ')}, consent.<purpose> or custom.<name>` });
      return;
    }
    if (!opsFor[kind].includes(c.op)) ctx.addIssue({ code: 'custom', path: ['op'], message: `${c.field} takes ${opsFor[kind].join(', ')}` });
    if (c.op === 'exists') {
      if (c.value !== undefined && typeof c.value !== 'boolean') ctx.addIssue({ code: 'custom', path: ['value'], message: 'exists takes true or false (default true)' });
      return;
    }
    if (c.value === undefined) return void ctx.addIssue({ code: 'custom', path: ['value'], message: 'required' });
    if (c.op === 'in' && !Array.isArray(c.value)) return void ctx.addIssue({ code: 'custom', path: ['value'], message: 'in takes a list of values' });
    if (c.op !== 'in' && Array.isArray(c.value)) return void ctx.addIssue({ code: 'custom', path: ['value'], message: `${c.op} takes one value` });
    const values = Array.isArray(c.value) ? c.value : [c.value];
    if (kind === 'number' && values.some((v) => typeof v !== 'number')) ctx.addIssue({ code: 'custom', path: ['value'], message: 'a number' });
    if ((kind === 'text' || kind === 'list') && values.some((v) => typeof v !== 'string')) ctx.addIssue({ code: 'custom', path: ['value'], message: 'a string' });
    if (kind === 'consent' && typeof c.value !== 'boolean') ctx.addIssue({ code: 'custom', path: ['value'], message: 'true (granted) or false' });
  });
export type Condition = z.output<typeof Condition>;

export type Rule = { all: Rule[] } | { any: Rule[] } | { not: Rule } | Condition;


const MAX_DEPTH = 6;
const MAX_CONDITIONS = 50;

const isObject = (value: unknown): value is Record<string, unknown> => typeof value === 'object' && value !== null && !Array.isArray(value);

/** Walks a rule, reporting each mistake at its path (`rule.all.1.op`), with limits that keep evaluation cheap. */
function check(value: unknown, path: (string | number)[], ctx: z.RefinementCtx, depth: number, counted: { conditions: number }) {
  if (depth > MAX_DEPTH) return ctx.addIssue({ code: 'custom', path, message: `rules nest at most ${MAX_DEPTH} deep` });
  if (!isObject(value)) return ctx.addIssue({ code: 'custom', path, message: 'a rule is an object: {all}, {any}, {not} or {field, op, value}' });
  const group = ['all', 'any', 'not'].find((key) => key in value);
  if (group && Object.keys(value).length !== 1) return ctx.addIssue({ code: 'custom', path, message: `${group} stands alone in its object` });
  if (group === 'not') return check(value.not, [...path, 'not'], ctx, depth + 1, counted);
  if (group) {
    const children = value[group];
    if (!Array.isArray(children) || !children.length) return ctx.addIssue({ code: 'custom', path: [...path, group], message: 'a non-empty list of rules' });
    return children.forEach((child, i) => check(child, [...path, group, i], ctx, depth + 1, counted));
  }
  if (++counted.conditions > MAX_CONDITIONS) return ctx.addIssue({ code: 'custom', path, message: `at most ${MAX_CONDITIONS} conditions` });
  const result = Condition.safeParse(value);
  if (!result.success) {
    for (const issue of result.error.issues) {
      const keys = issue.code === 'unrecognized_keys' ? issue.keys : [undefined];
      for (const key of keys) {
        ctx.addIssue({ code: 'custom', path: [...path, ...issue.path, ...(key ? [key] : [])], message: key ? 'unknown field' : issue.message });
      }
    }
  }
}

/** A segment rule, validated in full (its JSON shape is documented in docs/segments.md). */
export const SegmentRule = z
  .unknown()
  .superRefine((value, ctx) => check(value, [], ctx, 1, { conditions: 0 }))
  .transform((value) => value as Rule)
  .meta({ description: 'A rule: {"all": [rules]}, {"any": [rules]}, {"not": rule} or {"field", "op", "value"}; see docs/segments.md' });

const DAY_MS = 24 * 60 * 60 * 1000;
const lower = (v: unknown) => (typeof v === 'string' ? v.toLowerCase() : v);

function valueOf(candidate: Candidate, field: string, now: string): unknown {
  switch (field) {
    case 'applications.status':
      return [...new Set(candidate.applications.map((a) => a.status))];
    case 'applications.reached':
      return [...new Set(candidate.applications.flatMap((a) => a.reached ?? []))];
    case 'applications.endedDays': {
      // Since the latest end: someone turned down last week is not contacted yet, whatever happened before.
      const ended = candidate.applications.flatMap((a) => (a.endedAt ? [a.endedAt] : [])).sort().at(-1);
      return ended === undefined ? undefined : Math.floor((Date.parse(now) - Date.parse(ended)) / DAY_MS);
    }
    case 'lastActivityDays':
      return Math.floor((Date.parse(now) - Date.parse(candidate.lastActivityAt ?? candidate.createdAt)) / DAY_MS);
    case 'engagementScore':
      // Decays with time, so someone never engaged (or long ago) scores 0 rather than having no value.
      return engagementAt(candidate.engagement, now);
    case 'location.country':
      return candidate.location?.country;
    case 'location.city':
      return candidate.location?.city;
    case 'source.type':
      return candidate.source.type;
  }
  if (field.startsWith('consent.')) {
    const purpose = field.slice('consent.'.length);
    const latest = candidate.consents.filter((c) => c.purpose === purpose).at(-1);
    return latest?.granted;
  }
  if (field.startsWith('custom.')) return candidate.custom[field.slice('custom.'.length)];
  return candidate[field as keyof Candidate];
}

function test(condition: Condition, candidate: Candidate, now: string): boolean {
  const actual = valueOf(candidate, condition.field, now);
  const present = Array.isArray(actual) ? actual.length > 0 : actual !== undefined && actual !== null && actual !== '';
  if (condition.op === 'exists') return present === (condition.value ?? true);
  if (!present) return condition.op === 'neq';
  const expected = condition.value;
  // Text compares without case; lists hold values and match when any of them does.
  const values = (Array.isArray(actual) ? actual : [actual]).map(lower);
  const wanted = (Array.isArray(expected) ? expected : [expected]).map(lower);
  switch (condition.op) {
    case 'eq':
      return Array.isArray(actual) ? wanted.every((w) => values.includes(w)) : values[0] === wanted[0];
    case 'neq':
      return !values.includes(wanted[0]);
    case 'in':
      return values.some((v) => wanted.includes(v));
    case 'contains':
      return Array.isArray(actual) ? values.includes(wanted[0]) : String(values[0]).includes(String(wanted[0]));
    case 'gt':
      return Number(values[0]) > Number(wanted[0]);
    case 'gte':
      return Number(values[0]) >= Number(wanted[0]);
    case 'lt':
      return Number(values[0]) < Number(wanted[0]);
    case 'lte':
      return Number(values[0]) <= Number(wanted[0]);
  }
  return false;
}

/** Whether the candidate is in the segment the rule describes, at `now`. */
export function matches(rule: Rule, candidate: Candidate, now: string): boolean {
  if ('all' in rule) return rule.all.every((r) => matches(r, candidate, now));
  if ('any' in rule) return rule.any.some((r) => matches(r, candidate, now));
  if ('not' in rule) return !matches(rule.not, candidate, now);
  return test(rule, candidate, now);
}

/** Whether membership can change with time alone (then a daily refresh re-evaluates the segment). */
export function dependsOnTime(rule: Rule): boolean {
  if ('all' in rule) return rule.all.some(dependsOnTime);
  if ('any' in rule) return rule.any.some(dependsOnTime);
  if ('not' in rule) return dependsOnTime(rule.not);
  return rule.field === 'lastActivityDays' || rule.field === 'applications.endedDays' || rule.field === 'engagementScore';
}

/** An index that holds every member, when the rule requires one (`tags contains x` at the top): previews read less. */
export function narrowingIndex(rule: Rule): { tag?: string; skill?: string; pool?: string; status?: string; country?: string } {
  const required = 'all' in rule ? rule.all : [rule];
  for (const r of required) {
    if (!('field' in r)) continue;
    const one = typeof r.value === 'string' ? r.value.toLowerCase() : undefined;
    if (!one) continue;
    if (r.field === 'tags' && r.op === 'contains') return { tag: one };
    if (r.field === 'skills' && r.op === 'contains') return { skill: one };
    if (r.field === 'pools' && r.op === 'contains') return { pool: r.value as string };
    if (r.field === 'status' && r.op === 'eq') return { status: one };
    if (r.field === 'location.country' && r.op === 'eq') return { country: one.toUpperCase() };
  }
  return {};
}
