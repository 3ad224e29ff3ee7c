import { batchWrite } from '../../../shared/table/batch.ts';
import type { Candidate } from '../schemas.ts';
import { searchTerms } from '../domain/candidate.ts';
import { matchKeys } from '../domain/duplicates.ts';
import { entryId, indexEntryItem, indexEntryKey, type IndexEntry } from './entities.ts';

/** The entries the indexer derives from a profile (everything but pool membership). */
export function indexEntries(c: Candidate): IndexEntry[] {
  const by = (kind: string, values: string[]) => values.map((value) => ({ GSI1PK: `${kind}#${value}`, GSI1SK: c.id }));
  return [
    ...by('STATUS', [c.status]),
    ...by('COUNTRY', c.location?.country ? [c.location.country] : []),
    ...by('TAG', c.tags),
    ...by('SKILL', c.skills),
    // Prefix search: partitioned by first character, sorted by term.
    ...searchTerms(c).map((term) => ({ GSI1PK: `TERM#${[...term][0]}`, GSI1SK: `${term}#${c.id}` })),
    // Match keys: people filed under the same one are compared as suspected duplicates.
    ...by('DUPKEY', matchKeys(c)),
    ...privacyEntries(c),
  ];
}

/** People added by someone else (Art. 14) who have not been told yet. */
export const NEEDS_NOTICE = 'NOTICE#pending';
const noticeSources = new Set(['sourced', 'import', 'referral', 'agency', 'ats', 'event', 'manual']);

/**
 * What the privacy schedules query instead of scanning: granted consents by month of expiry
 * (`CONSENTEXP#<yyyy-mm>`, sorted by expiry), people by year of last activity (`LASTACTIVE#<yyyy>`, sorted by
 * it), and people who still need their privacy notice.
 */
export function privacyEntries(c: Candidate) {
  const latest = new Map<string, Candidate['consents'][number]>();
  for (const consent of c.consents) latest.set(consent.purpose, consent);
  const lastActive = c.lastActivityAt && c.lastActivityAt > c.createdAt ? c.lastActivityAt : c.createdAt;
  return [
    ...[...latest.values()]
      .filter((consent) => consent.granted && consent.expiresAt)
      .map((consent) => ({ GSI1PK: `CONSENTEXP#${consent.expiresAt!.slice(0, 7)}`, GSI1SK: `${consent.expiresAt}#${consent.purpose}#${c.id}` })),
    { GSI1PK: `LASTACTIVE#${lastActive.slice(0, 4)}`, GSI1SK: `${lastActive}#${c.id}` },
    ...(!c.privacyNoticeSentAt && noticeSources.has(c.source.type) ? [{ GSI1PK: NEEDS_NOTICE, GSI1SK: `${c.createdAt}#${c.id}` }] : []),
  ];
}


/**
 * Brings a candidate's index entries from what `before` needed to what `after` needs. Puts and deletes of
 * deterministic keys, so replaying a stream record changes nothing; records of one candidate arrive in order.
 */
export async function reindexCandidate(before: Candidate | undefined, after: Candidate | undefined): Promise<void> {
  const id = (after ?? before)!.id;
  const old = new Map((before ? indexEntries(before) : []).map((e) => [entryId(e), e]));
  const wanted = new Map((after ? indexEntries(after) : []).map((e) => [entryId(e), e]));
  await batchWrite([
    ...[...wanted].filter(([key]) => !old.has(key)).map(([, entry]) => ({ PutRequest: { Item: indexEntryItem(id, entry) } })),
    ...[...old].filter(([key]) => !wanted.has(key)).map(([, entry]) => ({ DeleteRequest: { Key: indexEntryKey(id, entry) } })),
  ]);
}
