/**
 * Keys, index attributes and (de)serialisation of the campaigns context's items, in one place.
 * The access patterns they serve are listed in docs/data-model.md.
 */
import type { Enrollment, Recipient, RecipientStatus, Suppression, Template } from '../schemas.ts';
import type { CampaignRecord, RecipientRecord } from '../domain/ports.ts';

export type Item = Record<string, unknown>;
export type Key = { PK: string; SK: string };

const strip = <T>(item: Item): T => {
  const { PK, SK, GSI1PK, GSI1SK, GSI2PK, GSI2SK, entity, expiresAt, ...rest } = item;
  return rest as T;
};

// Template: TPL#<id> / TEMPLATE, listed newest first in GSI1 under TEMPLATES.
export const templateKey = (id: string): Key => ({ PK: `TPL#${id}`, SK: 'TEMPLATE' });
export const ALL_TEMPLATES = 'TEMPLATES';
export const templateItem = (t: Template): Item => ({ ...templateKey(t.id), GSI1PK: ALL_TEMPLATES, GSI1SK: t.id, entity: 'template', ...t });
export const templateFrom = (item: Item) => strip<Template>(item);

// Campaign: CAMP#<id> / CAMPAIGN, listed newest first in GSI1 under CAMPAIGNS; a running drip on a segment is also
// in GSI2 under DRIPS#<segmentId>, so a SegmentEntered event finds the drips to enrol in with one Query.
export const campaignKey = (id: string): Key => ({ PK: `CAMP#${id}`, SK: 'CAMPAIGN' });
export const ALL_CAMPAIGNS = 'CAMPAIGNS';
export const dripsOf = (segmentId: string) => `DRIPS#${segmentId}`;
export const campaignItem = (c: CampaignRecord): Item => {
  const enrolsNewcomers = c.kind === 'drip' && 'segmentId' in c.audience && (c.status === 'running' || c.status === 'paused');
  return {
    ...campaignKey(c.id), GSI1PK: ALL_CAMPAIGNS, GSI1SK: c.id, entity: 'campaign', ...c,
    ...(enrolsNewcomers ? { GSI2PK: dripsOf((c.audience as { segmentId: string }).segmentId), GSI2SK: c.id } : {}),
  };
};
export const campaignFrom = (item: Item) => strip<CampaignRecord>(item);

/**
 * Recipient: CAMP#<id> / R#<shard>#<candidateId>[#<step>]. The shard spreads sending over parallel workers, each
 * walking its own key range (round robin in planning order, so every shard fills whole batches of 50); GSI1 lists a campaign's recipients by status
 * (RCPTS#<campaignId>#<status>), and once sent GSI2 lists a candidate's campaign emails (MAILS#<candidateId>).
 */
const stepSuffix = (step?: number) => (step === undefined ? '' : `#${String(step).padStart(2, '0')}`);
export const recipientKey = (campaignId: string, shard: number, candidateId: string, step?: number): Key => ({
  PK: `CAMP#${campaignId}`,
  SK: `R#${shard}#${candidateId}${stepSuffix(step)}`,
});
export const shardPrefix = (shard: number) => `R#${shard}#`;
export const statusPartition = (campaignId: string, status: RecipientStatus) => `RCPTS#${campaignId}#${status}`;
export const mailsOf = (candidateId: string) => `MAILS#${candidateId}`;
export const recipientIndex = (r: Pick<Recipient, 'campaignId' | 'candidateId' | 'status' | 'step' | 'sentAt'>) => ({
  GSI1PK: statusPartition(r.campaignId, r.status),
  GSI1SK: `${r.candidateId}${stepSuffix(r.step)}`,
  ...(r.sentAt ? { GSI2PK: mailsOf(r.candidateId), GSI2SK: `${r.sentAt}#${r.campaignId}${stepSuffix(r.step)}` } : {}),
});
export const recipientItem = (r: RecipientRecord): Item => ({
  ...recipientKey(r.campaignId, r.shard, r.candidateId, r.step), ...recipientIndex(r), entity: 'recipient', ...r,
});
export const recipientFrom = (item: Item) => strip<RecipientRecord>(item);

// Planning checkpoint: CAMP#<id> / PLAN, apart from the campaign so pausing never races the planner.
export const planKey = (campaignId: string): Key => ({ PK: `CAMP#${campaignId}`, SK: 'PLAN' });

// Counters: CAMP#<id> / STATS#<shard>.<n>, each shard's counts spread over a few items (drip steps and tracking events
// arrive in parallel), and STATS#plan for the targeted count; summed on read.
export const statsKey = (campaignId: string, shard: number | string): Key => ({ PK: `CAMP#${campaignId}`, SK: `STATS#${shard}` });
export const STATS_PREFIX = 'STATS#';

// Drip enrollment: CAMP#<id> / ENR#<candidateId>, and in GSI2 under ENROLLED#<candidateId>: a candidate's drips.
export const enrollmentKey = (campaignId: string, candidateId: string): Key => ({ PK: `CAMP#${campaignId}`, SK: `ENR#${candidateId}` });
export const ENROLLMENT_PREFIX = 'ENR#';
export const enrolledIn = (candidateId: string) => `ENROLLED#${candidateId}`;
export const enrollmentItem = (e: Enrollment): Item => ({
  ...enrollmentKey(e.campaignId, e.candidateId), GSI2PK: enrolledIn(e.candidateId), GSI2SK: e.campaignId, entity: 'enrollment', ...e,
});
export const enrollmentFrom = (item: Item) => strip<Enrollment>(item);

// Suppression: SUPP#<email> / SUPPRESSION (checked at send time by key), listed newest first in GSI1 under SUPPRESSIONS.
export const suppressionKey = (email: string): Key => ({ PK: `SUPP#${email}`, SK: 'SUPPRESSION' });
export const ALL_SUPPRESSIONS = 'SUPPRESSIONS';
export const suppressionItem = (s: Suppression): Item => ({
  ...suppressionKey(s.email), GSI1PK: ALL_SUPPRESSIONS, GSI1SK: `${s.createdAt}#${s.email}`, entity: 'suppression', ...s,
});
export const suppressionFrom = (item: Item) => strip<Suppression>(item);

// Email preferences: CAND#<candidateId> / PREFS, in the candidate's partition (an erasure removes it with the rest).
export const preferencesKey = (candidateId: string): Key => ({ PK: `CAND#${candidateId}`, SK: 'PREFS' });
