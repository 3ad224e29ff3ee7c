import { describe, expect, it } from 'vitest';
import { dripService } from '../../functions/campaigns/domain/drip-service.ts';
import type { CampaignRecord, CampaignStore, Contact, OutgoingEmail, RecipientRecord, SendOutcome, Signer } from '../../functions/campaigns/domain/ports.ts';
import { Throttled } from '../../functions/campaigns/domain/ports.ts';
import { SEND_EVENT_MARGIN_MS, sendService, type Attempt, type SendDeps } from '../../functions/campaigns/domain/send-service.ts';
import { shardOf } from '../../functions/campaigns/domain/shards.ts';
import type { Enrollment } from '../../functions/campaigns/schemas.ts';

/**
 * Claims and their take-over: a recipient another attempt claimed is resent only once that attempt is surely over
 * (its function's timeout) and SES's SEND event would have reported the message (the margin); a claim with a message
 * id is settled as sent, never resent; a shard with a claim too young to take over comes back for it.
 */
const campaignId = 'camp_01JDX5Q8R2N4V6T8W0Y2A4C6E8';
const templateId = 'tpl_01JDX5QC8D0F2H4K6M8P0R2T4V';
const now = '2026-11-25T10:00:00.000Z';
const WORKER_TIMEOUT_MS = 120_000;
const STEP_TIMEOUT_MS = 30_000;
const secondsBefore = (seconds: number, from = now) => new Date(Date.parse(from) - seconds * 1000).toISOString();
const after = (ms: number, from: string) => new Date(Date.parse(from) + ms).toISOString();
const worker = (id: string): Attempt => ({ id, timeoutMs: WORKER_TIMEOUT_MS });
const NO_DEADLINE = Number.POSITIVE_INFINITY;

const candidate = (n: number) => `cand_01JDX5Q9S3P5W7V9X1Z3B5D${String(n).padStart(3, '0')}`;
const emailOf = (candidateId: string) => `${candidateId.slice(-3)}@example.com`;

const aCampaign = (overrides: Partial<CampaignRecord> = {}): CampaignRecord => ({
  id: campaignId, name: 'November news', kind: 'one-shot', audience: { poolId: 'pool_01JDX5QD9E1G3J5M7P9R1T3V5X' }, topic: 'newsletter',
  timeZone: 'Europe/London', templateId, status: 'sending', createdAt: secondsBefore(3600), updatedAt: secondsBefore(3600), version: 3, ...overrides,
});
const aDrip = (overrides: Partial<CampaignRecord> = {}): CampaignRecord =>
  aCampaign({ kind: 'drip', status: 'running', templateId: undefined, steps: [{ templateId, delay: 'PT0M' }, { templateId, delay: 'P1D' }], stopOn: ['reply'], ...overrides });

const pending = (n: number, shard = 0): RecipientRecord => ({ campaignId, candidateId: candidate(n), shard, status: 'pending' });
/** A recipient another attempt claimed: `claimedAt` undefined is a claim from before claims had a time. */
const claimedBy = (token: string, n: number, claimedAt: string | undefined, extra: Partial<RecipientRecord> = {}): RecipientRecord => ({
  ...pending(n), status: 'claimed', claimToken: token, ...(claimedAt ? { claimedAt } : {}), ...extra,
});

const signer: Signer = {
  sign: async ({ use, candidateId }) => `${use}-${candidateId}`,
  verify: async () => undefined,
  signReply: async (candidateId) => `r-${candidateId}`,
  verifyReply: async () => undefined,
};

const keyOf = (r: { candidateId: string; shard: number; step?: number | undefined }) => `R#${r.shard}#${r.candidateId}#${r.step ?? ''}`;

/** The campaign ports with the DynamoDB adapter's conditions: claims, take-overs and settling guarded by the token. */
function world(options: { campaign?: CampaignRecord; recipients?: RecipientRecord[]; enrollments?: Enrollment[] } = {}) {
  let campaign = options.campaign ?? aCampaign();
  const rows = new Map((options.recipients ?? []).map((r) => [keyOf(r), { ...r }]));
  const enrollments = new Map((options.enrollments ?? []).map((e) => [e.candidateId, { ...e }]));
  const sent: OutgoingEmail[] = [];
  const counters: Record<string, number> = {};
  const clock = { at: now, now() { return this.at; } };
  const failures = { throttleNext: false, recordSent: false };
  let nextMessage = 0;

  const campaigns: Partial<CampaignStore> = {
    get: async (id) => (id === campaign.id ? { ...campaign } : undefined),
    async shardPage(_campaignId, shard, afterKey, limit) {
      const keys = [...rows.keys()].filter((k) => k.startsWith(`R#${shard}#`) && (!afterKey || k > afterKey)).sort();
      const page = keys.slice(0, limit);
      return { recipients: page.map((k) => ({ ...rows.get(k)! })), ...(page.length === limit ? { last: page.at(-1)! } : {}) };
    },
    async claim(recipient, token, at) {
      const row = rows.get(keyOf(recipient));
      if (!row) return false;
      if (recipient.claimToken ? row.claimToken !== recipient.claimToken && row.claimToken !== token : row.status !== 'pending' && row.claimToken !== token) return false;
      rows.set(keyOf(row), { ...row, ...(recipient.claimToken ? {} : { status: 'claimed' }), claimToken: token, claimedAt: at });
      return true;
    },
    async claimStep(recipient, token, at) {
      const row = rows.get(keyOf(recipient));
      if (row && row.claimToken !== token) return false;
      rows.set(keyOf(recipient), { ...recipient, status: 'claimed', claimToken: token, claimedAt: at });
      return true;
    },
    async recordSent(_campaignId, shard, token, accepted) {
      if (failures.recordSent) throw new Error('the attempt died after SES accepted the batch');
      for (const { candidateId, step, messageId } of accepted) {
        const row = rows.get(keyOf({ candidateId, shard, step }));
        if (row?.claimToken === token) row.messageId = messageId;
      }
    },
    async release(_campaignId, shard, token, recipients) {
      for (const { candidateId, step } of recipients) {
        const row = rows.get(keyOf({ candidateId, shard, step }));
        if (row?.claimToken === token) delete row.claimedAt;
      }
    },
    async settle(_campaignId, shard, token, outcomes: SendOutcome[]) {
      for (const outcome of outcomes) {
        const row = rows.get(keyOf({ candidateId: outcome.candidateId, shard, step: outcome.step }));
        if (row?.claimToken !== token) continue;
        const { claimToken: _token, claimedAt: _at, ...rest } = row;
        rows.set(keyOf(row), {
          ...rest, status: row.status === 'claimed' ? outcome.status : row.status,
          ...(outcome.status === 'sent' ? { messageId: outcome.messageId, email: outcome.email, sentAt: outcome.at } : {}),
        });
        counters[outcome.status] = (counters[outcome.status] ?? 0) + 1;
      }
    },
    recipient: async (_campaignId, shard, candidateId, step) => {
      const row = rows.get(keyOf({ candidateId, shard, step }));
      return row && { ...row };
    },
    enrollment: async (_campaignId, candidateId) => {
      const enrollment = enrollments.get(candidateId);
      return enrollment && { ...enrollment };
    },
    async saveEnrollment(next, previous) {
      const stored = enrollments.get(next.candidateId);
      if (!stored || stored.state !== previous.state || stored.step !== previous.step) return false;
      enrollments.set(next.candidateId, { ...next });
      return true;
    },
  };

  const contact = (candidateId: string): Contact => ({
    candidateId,
    profile: { email: emailOf(candidateId), firstName: 'Ada', status: 'active', skills: [], consents: [{ purpose: 'marketing-email', granted: true, recordedAt: '2026-01-05T09:00:00.000Z' }] },
  });
  const deps: SendDeps = {
    campaigns: campaigns as CampaignStore,
    templates: { get: async (id: string) => (id === templateId ? { id, name: 'News', subject: 'News for {{firstName}}', html: '<p>Hi {{firstName}}</p>' } : undefined) } as SendDeps['templates'],
    audiences: { contacts: async (ids: string[]) => new Map(ids.map((id) => [id, contact(id)])), isMember: async () => true } as unknown as SendDeps['audiences'],
    jobs: { openJobs: async () => [] },
    mailer: {
      async sendBulk(messages) {
        if (failures.throttleNext) {
          failures.throttleNext = false;
          throw new Throttled('Maximum sending rate exceeded.');
        }
        sent.push(...messages);
        return messages.map(() => ({ messageId: `ses-${nextMessage++}` }));
      },
    },
    preferences: { touch: async () => undefined } as unknown as SendDeps['preferences'],
    signer,
    links: { api: 'https://api.talent-relay.example', replyDomain: 'reply.talent-relay.example' },
    clock,
  };

  return {
    deps,
    clock,
    failures,
    sending: sendService(deps),
    drips: dripService({ ...deps, workflows: { start: async () => undefined } }),
    setCampaign: (changes: Partial<CampaignRecord>) => void (campaign = { ...campaign, ...changes }),
    row: (n: number, shard = 0, step?: number) => rows.get(keyOf({ candidateId: candidate(n), shard, step })),
    rowOf: (candidateId: string, step?: number) => rows.get(keyOf({ candidateId, shard: shardOf(candidateId), step })),
    /** What SES's SEND event does for a message whose sender died before recording it. */
    sesReported: (n: number, messageId: string) => void (rows.get(keyOf({ candidateId: candidate(n), shard: 0 }))!.messageId = messageId),
    enrollmentOf: (candidateId: string) => enrollments.get(candidateId),
    mailsTo: (n: number) => sent.filter((m) => m.to === emailOf(candidate(n))).length,
    sent,
    counters,
  };
}

const shard0 = { campaignId, shard: 0 };

describe('a one-shot shard meeting claims of other attempts', () => {
  it('leaves a young claim without a message id alone, sends the rest, and comes back when the claim is old', async () => {
    const claimedAt = secondsBefore(10);
    const w = world({ recipients: [pending(1), claimedBy('attempt-still-running', 2, claimedAt), pending(3)] });

    const first = await w.sending.sendShard(shard0, worker('attempt-retry'), NO_DEADLINE);

    const oldAt = after(WORKER_TIMEOUT_MS + SEND_EVENT_MARGIN_MS, claimedAt);
    expect(first).toEqual({ ...shard0, resumeAt: oldAt, done: false });
    expect([w.mailsTo(1), w.mailsTo(2), w.mailsTo(3)]).toEqual([1, 0, 1]);
    expect(w.row(2)).toMatchObject({ status: 'claimed', claimToken: 'attempt-still-running', claimedAt });

    // The workflow waits until resumeAt; the next pass finds the claim old and sends it, once.
    const second = await w.sending.sendShard({ ...shard0, resumeAt: first.resumeAt }, worker('attempt-after-wait'), NO_DEADLINE);

    expect(second).toEqual({ ...shard0, done: true });
    expect([w.mailsTo(1), w.mailsTo(2), w.mailsTo(3)]).toEqual([1, 1, 1]);
    expect(w.row(2)).toMatchObject({ status: 'sent', messageId: expect.any(String) });
    expect(w.row(2)).not.toHaveProperty('claimToken');
    expect(w.counters).toEqual({ sent: 3 });
  });

  it('resumes when the youngest held claim is old enough to take over, and not before', async () => {
    const older = secondsBefore(50);
    const younger = secondsBefore(5);
    const w = world({ recipients: [claimedBy('attempt-a', 1, older), claimedBy('attempt-b', 2, younger)] });

    const first = await w.sending.sendShard(shard0, worker('attempt-retry'), NO_DEADLINE);
    expect(first).toMatchObject({ resumeAt: after(WORKER_TIMEOUT_MS + SEND_EVENT_MARGIN_MS, older), done: false });

    const second = await w.sending.sendShard({ ...shard0, resumeAt: first.resumeAt }, worker('attempt-2'), NO_DEADLINE);
    expect(second).toMatchObject({ resumeAt: after(WORKER_TIMEOUT_MS + SEND_EVENT_MARGIN_MS, younger), done: false });
    expect([w.mailsTo(1), w.mailsTo(2)]).toEqual([1, 0]);

    expect(await w.sending.sendShard({ ...shard0, resumeAt: second.resumeAt }, worker('attempt-3'), NO_DEADLINE)).toEqual({ ...shard0, done: true });
    expect([w.mailsTo(1), w.mailsTo(2)]).toEqual([1, 1]);
  });

  it('does not finish a shard whose held claim is on its first page while later pages are sent', async () => {
    const claimedAt = secondsBefore(1);
    const later = Array.from({ length: 60 }, (_, i) => pending(100 + i));
    const w = world({ recipients: [claimedBy('attempt-still-running', 1, claimedAt), ...later] });

    const first = await w.sending.sendShard(shard0, worker('attempt-retry'), NO_DEADLINE);

    expect(first).toEqual({ ...shard0, resumeAt: after(WORKER_TIMEOUT_MS + SEND_EVENT_MARGIN_MS, claimedAt), done: false });
    expect(w.sent).toHaveLength(60);
    expect(w.mailsTo(1)).toBe(0);
  });

  it('takes over and sends once a claim without a message id older than the worker timeout plus the margin', async () => {
    const w = world({ recipients: [claimedBy('attempt-dead', 1, secondsBefore((WORKER_TIMEOUT_MS + SEND_EVENT_MARGIN_MS) / 1000 + 1))] });

    expect(await w.sending.sendShard(shard0, worker('attempt-retry'), NO_DEADLINE)).toEqual({ ...shard0, done: true });
    expect(await w.sending.sendShard(shard0, worker('attempt-again'), NO_DEADLINE)).toEqual({ ...shard0, done: true });

    expect(w.mailsTo(1)).toBe(1);
    expect(w.row(1)).toMatchObject({ status: 'sent', messageId: 'ses-0' });
    expect(w.counters).toEqual({ sent: 1 });
  });

  it('counts a claim written before claims had a time as old', async () => {
    const w = world({ recipients: [claimedBy('attempt-before-the-change', 1, undefined)] });

    expect(await w.sending.sendShard(shard0, worker('attempt-retry'), NO_DEADLINE)).toEqual({ ...shard0, done: true });

    expect(w.mailsTo(1)).toBe(1);
    expect(w.row(1)).toMatchObject({ status: 'sent' });
  });

  it.each([
    ['young', secondsBefore(1)],
    ['old', secondsBefore(3600)],
    ['untimed', undefined],
  ])('settles a %s claim whose message id SES reported as sent, without sending it again', async (_age, claimedAt) => {
    const w = world({ recipients: [claimedBy('attempt-dead', 1, claimedAt, { messageId: 'ses-reported', email: emailOf(candidate(1)) })] });

    expect(await w.sending.sendShard(shard0, worker('attempt-retry'), NO_DEADLINE)).toEqual({ ...shard0, done: true });

    expect(w.sent).toEqual([]);
    expect(w.row(1)).toMatchObject({ status: 'sent', messageId: 'ses-reported' });
    expect(w.row(1)).not.toHaveProperty('claimToken');
    expect(w.counters).toEqual({ sent: 1 });
  });

  it('settles from the SEND event what an attempt that died after SES accepted it left, instead of resending it', async () => {
    const w = world({ recipients: [pending(1), pending(2)] });
    w.failures.recordSent = true;
    await expect(w.sending.sendShard(shard0, worker('attempt-dies'), NO_DEADLINE)).rejects.toThrow('died after SES');
    w.failures.recordSent = false;
    expect(w.sent).toHaveLength(2);

    // The Task's retry comes seconds later: the claims are young and no message id is known yet.
    w.clock.at = after(2_000, now);
    const retried = await w.sending.sendShard(shard0, worker('attempt-retry'), NO_DEADLINE);
    expect(retried).toMatchObject({ done: false, resumeAt: after(WORKER_TIMEOUT_MS + SEND_EVENT_MARGIN_MS, now) });
    expect(w.sent).toHaveLength(2);

    // SES's SEND events set the message ids meanwhile; the pass after the wait settles them.
    w.sesReported(1, 'ses-0');
    w.sesReported(2, 'ses-1');
    expect(await w.sending.sendShard({ ...shard0, resumeAt: retried.resumeAt }, worker('attempt-after-wait'), NO_DEADLINE)).toEqual({ ...shard0, done: true });
    expect(w.sent).toHaveLength(2);
    expect([w.row(1), w.row(2)]).toMatchObject([{ status: 'sent', messageId: 'ses-0' }, { status: 'sent', messageId: 'ses-1' }]);
    expect(w.counters).toEqual({ sent: 2 });
  });

  it('gives up the claims of a batch SES refused as a whole, so the retry sends it at once', async () => {
    const w = world({ recipients: [pending(1), pending(2)] });
    w.failures.throttleNext = true;
    await expect(w.sending.sendShard(shard0, worker('attempt-throttled'), NO_DEADLINE)).rejects.toThrow(Throttled);
    expect(w.row(1)).toMatchObject({ claimToken: 'attempt-throttled' });
    expect(w.row(1)).not.toHaveProperty('claimedAt');

    expect(await w.sending.sendShard(shard0, worker('attempt-retry'), NO_DEADLINE)).toEqual({ ...shard0, done: true });
    expect([w.mailsTo(1), w.mailsTo(2)]).toEqual([1, 1]);
  });

  it('keeps the held claim for later while the campaign is paused, and sends it after resume', async () => {
    const claimedAt = secondsBefore(10);
    const w = world({ recipients: [claimedBy('attempt-still-running', 1, claimedAt)] });
    const first = await w.sending.sendShard(shard0, worker('attempt-retry'), NO_DEADLINE);
    w.setCampaign({ status: 'paused' });

    const paused = await w.sending.sendShard({ ...shard0, resumeAt: first.resumeAt }, worker('attempt-paused'), NO_DEADLINE);
    expect(paused).toEqual({ ...shard0, resumeAt: after(60_000, first.resumeAt!), done: false });
    expect(w.sent).toEqual([]);

    w.setCampaign({ status: 'sending' });
    expect(await w.sending.sendShard({ ...shard0, resumeAt: paused.resumeAt }, worker('attempt-resumed'), NO_DEADLINE)).toEqual({ ...shard0, done: true });
    expect(w.mailsTo(1)).toBe(1);
  });

  it('ends the shard of a cancelled campaign without sending the held recipient', async () => {
    const w = world({ recipients: [claimedBy('attempt-still-running', 1, secondsBefore(10))] });
    const first = await w.sending.sendShard(shard0, worker('attempt-retry'), NO_DEADLINE);
    w.setCampaign({ status: 'cancelled' });

    expect(await w.sending.sendShard({ ...shard0, resumeAt: first.resumeAt }, worker('attempt-after-cancel'), NO_DEADLINE)).toEqual({ ...shard0, done: true });
    expect(w.sent).toEqual([]);
  });
});

describe('a drip step meeting the claim of another attempt', () => {
  const candidateId = candidate(7);
  const enrolled: Enrollment = { campaignId, candidateId, state: 'active', step: 0, nextSendAt: now, enrolledAt: secondsBefore(60), updatedAt: secondsBefore(60) };
  const stepper = (id: string): Attempt => ({ id, timeoutMs: STEP_TIMEOUT_MS });
  const stepClaim = (claimedAt: string | undefined, extra: Partial<RecipientRecord> = {}): RecipientRecord => ({
    campaignId, candidateId, step: 0, scheduledAt: now, shard: shardOf(candidateId), status: 'claimed', claimToken: 'attempt-dead', ...(claimedAt ? { claimedAt } : {}), ...extra,
  });
  const state = { campaignId, candidateId, sendAt: now, done: false };

  it('waits until a young claim is old, keeping the enrollment at its step, then sends the step once', async () => {
    const claimedAt = secondsBefore(3);
    const w = world({ campaign: aDrip(), recipients: [stepClaim(claimedAt)], enrollments: [enrolled] });

    const waiting = await w.drips.step(state, stepper('attempt-retry'));

    expect(waiting).toEqual({ ...state, sendAt: after(STEP_TIMEOUT_MS + SEND_EVENT_MARGIN_MS, claimedAt), done: false });
    expect(w.sent).toEqual([]);
    expect(w.enrollmentOf(candidateId)).toMatchObject({ step: 0, state: 'active' });

    const next = await w.drips.step(waiting, stepper('attempt-after-wait'));

    expect(w.sent.map((m) => m.to)).toEqual([emailOf(candidateId)]);
    expect(w.rowOf(candidateId, 0)).toMatchObject({ status: 'sent' });
    expect(w.enrollmentOf(candidateId)).toMatchObject({ step: 1, state: 'active' });
    expect(next).toMatchObject({ done: false, sendAt: w.enrollmentOf(candidateId)!.nextSendAt });
  });

  it('settles a step whose message id SES reported as sent and moves on, without sending it again', async () => {
    const w = world({ campaign: aDrip(), recipients: [stepClaim(secondsBefore(3), { messageId: 'ses-reported', email: emailOf(candidateId) })], enrollments: [enrolled] });

    await w.drips.step(state, stepper('attempt-retry'));

    expect(w.sent).toEqual([]);
    expect(w.rowOf(candidateId, 0)).toMatchObject({ status: 'sent', messageId: 'ses-reported' });
    expect(w.enrollmentOf(candidateId)).toMatchObject({ step: 1 });
  });

  it('stamps its own claim with the time the workflow waited until, and a retry ages the claim from that time', async () => {
    const w = world({ campaign: aDrip(), enrollments: [enrolled] });
    // On the local stack waits pass faster than the clock: the step runs at the time it waited until.
    const waitedUntil = after(86_400_000, now);
    w.failures.recordSent = true;
    await expect(w.drips.step({ ...state, sendAt: waitedUntil }, stepper('attempt-dies'))).rejects.toThrow('died after SES');
    w.failures.recordSent = false;
    expect(w.rowOf(candidateId, 0)).toMatchObject({ claimToken: 'attempt-dies', claimedAt: waitedUntil });

    const retried = await w.drips.step({ ...state, sendAt: waitedUntil }, stepper('attempt-retry'));

    expect(retried).toEqual({ ...state, sendAt: after(STEP_TIMEOUT_MS + SEND_EVENT_MARGIN_MS, waitedUntil), done: false });
    expect(w.sent).toHaveLength(1);
  });
});
