import { toE164 } from '../../../shared/phone.ts';
import type { Candidate } from '../schemas.ts';
import { searchable } from './candidate.ts';

/**
 * Suspected duplicates, found through match keys rather than by comparing everyone with everyone: each profile
 * yields a few keys (canonical email, phone in E.164, LinkedIn URL, canonical name with company or city), the
 * indexer files them, and people sharing a key are compared in full.
 */

/** Common nicknames → the name they shorten, so "Bob Smith" meets "Robert Smith". */
const nicknames: Record<string, string> = {
  bob: 'robert', rob: 'robert', robbie: 'robert', bill: 'william', will: 'william', liam: 'william', jim: 'james', jimmy: 'james',
  mike: 'michael', mick: 'michael', dave: 'david', tom: 'thomas', tommy: 'thomas', joe: 'joseph', chris: 'christopher',
  dan: 'daniel', danny: 'daniel', matt: 'matthew', nick: 'nicholas', alex: 'alexander', sam: 'samuel', ben: 'benjamin',
  andy: 'andrew', tony: 'anthony', steve: 'stephen', pete: 'peter', rick: 'richard', dick: 'richard', ed: 'edward', ted: 'edward',
  liz: 'elizabeth', beth: 'elizabeth', lizzie: 'elizabeth', kate: 'katherine', katie: 'katherine', cathy: 'catherine',
  jenny: 'jennifer', jen: 'jennifer', sue: 'susan', maggie: 'margaret', meg: 'margaret', peggy: 'margaret', becky: 'rebecca',
  vicky: 'victoria', abby: 'abigail', mandy: 'amanda', pat: 'patricia', patty: 'patricia', nate: 'nathan', greg: 'gregory',
  jon: 'jonathan', jack: 'john', johnny: 'john', hans: 'johannes', sepp: 'josef', paco: 'francisco', pepe: 'jose',
};

/** "Núñez, José" and "jose nunez" alike: accents folded, nicknames expanded, word order ignored. */
export function canonicalName(c: Pick<Candidate, 'firstName' | 'lastName'>): string | undefined {
  const tokens = searchable(`${c.firstName ?? ''} ${c.lastName ?? ''}`)
    .split(/[^a-z0-9]+/)
    .filter((t) => t.length > 1)
    .map((t) => nicknames[t] ?? t);
  return tokens.length >= 2 ? [...new Set(tokens)].sort().join(' ') : undefined;
}

/** Addresses that reach the same mailbox: case, "+tags", and dots in Gmail's local parts. */
export function canonicalEmail(email: string): string {
  const [local = '', domain = ''] = email.toLowerCase().split('@');
  const gmail = domain === 'gmail.com' || domain === 'googlemail.com';
  const base = local.split('+')[0]!;
  return `${gmail ? base.replace(/\./g, '') : base}@${gmail ? 'gmail.com' : domain}`;
}

export function e164(c: Pick<Candidate, 'phone' | 'location'>): string | undefined {
  if (!c.phone) return undefined;
  return toE164(c.phone, c.location?.country);
}

export function linkedinProfile(c: Pick<Candidate, 'links'>): string | undefined {
  const url = c.links.find((l) => l.type === 'linkedin' || /linkedin\.com\/in\//i.test(l.url))?.url;
  const handle = url && /linkedin\.com\/in\/([^/?#]+)/i.exec(url)?.[1];
  return handle ? decodeURIComponent(handle).toLowerCase() : undefined;
}

const place = (value: string | undefined) => (value ? searchable(value).replace(/[^a-z0-9]+/g, ' ').trim() : undefined);

/** The keys a profile is filed under; sharing one makes two people worth comparing. */
export function matchKeys(c: Candidate): string[] {
  const name = canonicalName(c);
  const company = place(c.company);
  const city = place(c.location?.city);
  const phone = e164(c);
  const linkedin = linkedinProfile(c);
  return [
    `email:${canonicalEmail(c.email)}`,
    ...(phone ? [`phone:${phone}`] : []),
    ...(linkedin ? [`linkedin:${linkedin}`] : []),
    ...(name && company ? [`name-company:${name}|${company}`] : []),
    ...(name && city ? [`name-city:${name}|${city}`] : []),
  ];
}

const weights = { email: 0.95, linkedin: 0.9, phone: 0.8, 'name-company': 0.6, 'name-city': 0.5 } as const;
const reasonText: Record<keyof typeof weights, string> = {
  email: 'same email address once normalised',
  linkedin: 'same LinkedIn profile',
  phone: 'same phone number',
  'name-company': 'same name (allowing accents, order and nicknames) at the same company',
  'name-city': 'same name (allowing accents, order and nicknames) in the same city',
};

/** Why two people look like one, and how sure that is (0–100): independent signals combine. */
export function compare(a: Candidate, b: Candidate): { score: number; reasons: string[] } {
  const shared = matchKeys(a).filter((key) => matchKeys(b).includes(key));
  const kinds = [...new Set(shared.map((key) => key.slice(0, key.indexOf(':')) as keyof typeof weights))];
  const doubt = kinds.reduce((p, kind) => p * (1 - weights[kind]), 1);
  return { score: Math.round((1 - doubt) * 100), reasons: kinds.map((kind) => reasonText[kind]) };
}

export type MergeChoice = 'primary' | 'duplicate';
const mergeable = ['email', 'firstName', 'lastName', 'phone', 'location', 'timezone', 'headline', 'company', 'experienceYears', 'status'] as const;
export type MergeableField = (typeof mergeable)[number];
export const mergeableFields = mergeable;

const empty = (value: unknown) => value === undefined || value === null || value === '' || (typeof value === 'object' && !Object.keys(value as object).length);

/**
 * One person from two records: per field the newest non-empty value wins unless the recruiter chose; lists are
 * united; the survivor keeps its id, its source (the first touch) and the earlier creation date.
 */
export function mergeProfiles(primary: Candidate, duplicate: Candidate, prefer: Partial<Record<MergeableField, MergeChoice>>, now: string): Candidate {
  const newer = Date.parse(duplicate.updatedAt) > Date.parse(primary.updatedAt) ? duplicate : primary;
  const older = newer === primary ? duplicate : primary;
  const merged: Record<string, unknown> = { ...primary };
  for (const field of mergeable) {
    const chosen = prefer[field];
    const value = chosen ? (chosen === 'primary' ? primary : duplicate)[field] : empty(newer[field]) ? older[field] : newer[field];
    if (empty(value)) delete merged[field];
    else merged[field] = value;
  }
  // The email stays the primary's unless chosen: it is the login-free key people are reached by.
  if (!prefer.email) merged.email = primary.email;
  const union = <T>(a: T[], b: T[], key: (t: T) => string = (t) => JSON.stringify(t)) => [...new Map([...a, ...b].map((t) => [key(t), t])).values()];
  return {
    ...(merged as Candidate),
    tags: union(primary.tags, duplicate.tags),
    skills: union(primary.skills, duplicate.skills),
    pools: union(primary.pools, duplicate.pools),
    links: union(primary.links, duplicate.links, (l) => l.url.toLowerCase()),
    consents: [...primary.consents, ...duplicate.consents].sort((a, b) => a.recordedAt.localeCompare(b.recordedAt)),
    applications: union(primary.applications, duplicate.applications, (a) => a.id),
    custom: { ...older.custom, ...newer.custom },
    createdAt: primary.createdAt < duplicate.createdAt ? primary.createdAt : duplicate.createdAt,
    ...(primary.lastActivityAt || duplicate.lastActivityAt
      ? { lastActivityAt: [primary.lastActivityAt, duplicate.lastActivityAt].filter(Boolean).sort().at(-1)! }
      : {}),
    updatedAt: now,
    version: primary.version + 1,
  };
}
