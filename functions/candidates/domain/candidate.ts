import type { Candidate, CandidateFilter, CreateCandidate, UpdateCandidate } from '../schemas.ts';

/** A new candidate from validated input. Sourced or imported people default to passive: they did not ask to be here. */
export function newCandidate(input: CreateCandidate, id: string, now: string): Candidate {
  const { consents, tags, source, skills, links, status, custom, ...profile } = input;
  return {
    id,
    ...profile,
    skills: skills ?? [],
    links: links ?? [],
    status: status ?? 'passive',
    source: source ?? { type: 'manual' },
    tags: tags ?? [],
    pools: [],
    consents: (consents ?? []).map((consent) => ({ ...consent, recordedAt: now })),
    custom: custom ?? {},
    applications: [],
    createdAt: now,
    updatedAt: now,
    version: 1,
  };
}

const same = (a: unknown, b: unknown) => JSON.stringify(a) === JSON.stringify(b);

/** Applies a PATCH (`null` clears a field). Returns the names of the fields that really changed. */
export function patchCandidate(candidate: Candidate, patch: UpdateCandidate, now: string): { candidate: Candidate; changed: string[] } {
  const next: Record<string, unknown> = { ...candidate };
  const changed: string[] = [];
  for (const [field, value] of Object.entries(patch)) {
    if (value === undefined) continue;
    const before = next[field];
    if (value === null) delete next[field];
    else next[field] = value;
    if (!same(before, next[field])) changed.push(field);
  }
  if (!changed.length) return { candidate, changed };
  return { candidate: bump(next as Candidate, now), changed };
}

export const bump = (candidate: Candidate, now: string): Candidate => ({
  ...candidate,
  updatedAt: now,
  version: candidate.version + 1,
});

/** Consents are kept as a history: the latest record per purpose is the one that counts. */
export const withConsents = (c: Candidate, consents: CreateCandidate['consents'] & {}, now: string) =>
  consents.length ? bump({ ...c, consents: [...c.consents, ...consents.map((consent) => ({ ...consent, recordedAt: now }))] }, now) : c;

export const withTag = (c: Candidate, tag: string, now: string) => (c.tags.includes(tag) ? c : bump({ ...c, tags: [...c.tags, tag] }, now));
export const withoutTag = (c: Candidate, tag: string, now: string) => (c.tags.includes(tag) ? bump({ ...c, tags: c.tags.filter((t) => t !== tag) }, now) : c);
export const withPool = (c: Candidate, poolId: string, now: string) => (c.pools.includes(poolId) ? c : bump({ ...c, pools: [...c.pools, poolId] }, now));
export const withoutPool = (c: Candidate, poolId: string, now: string) =>
  c.pools.includes(poolId) ? bump({ ...c, pools: c.pools.filter((p) => p !== poolId) }, now) : c;

/** Lower-case, accents folded, spaces collapsed: "  José  Núñez" → "jose nunez". */
export function searchable(text: string): string {
  return text.normalize('NFKD').replace(/\p{M}/gu, '').toLowerCase().replace(/\s+/g, ' ').trim();
}

/** The terms `q` matches by prefix: email, first name, last name, and the full name. */
export function searchTerms(candidate: Candidate): string[] {
  const first = candidate.firstName ? searchable(candidate.firstName) : '';
  const last = candidate.lastName ? searchable(candidate.lastName) : '';
  const terms = [candidate.email, first, last, first && last ? `${first} ${last}` : ''];
  return [...new Set(terms.filter(Boolean).map((term) => term.slice(0, 100)))];
}

/** The truth for every filter: index queries only narrow the candidates this is applied to. */
export function matchesFilter(candidate: Candidate, filter: CandidateFilter): boolean {
  const q = filter.q ? searchable(filter.q) : undefined;
  return (
    (!q || searchTerms(candidate).some((term) => term.startsWith(q))) &&
    (!filter.tag || candidate.tags.includes(filter.tag)) &&
    (!filter.pool || candidate.pools.includes(filter.pool)) &&
    (!filter.skill || candidate.skills.includes(filter.skill)) &&
    (!filter.status || candidate.status === filter.status) &&
    (!filter.country || candidate.location?.country === filter.country)
  );
}
