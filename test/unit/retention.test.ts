import { describe, expect, it } from 'vitest';
import { hasValidConsent, isDue, lastActiveOf, retentionDecision } from '../../functions/privacy/domain/retention.ts';
import { retentionService, type RetentionSubject } from '../../functions/privacy/domain/retention-service.ts';
import { RetentionSettings } from '../../functions/privacy/schemas.ts';
import type { Candidate } from '../../functions/candidates/schemas.ts';
import { aCandidate } from '../fixtures/builders.ts';

const now = '2026-06-15T03:00:00.000Z';
const rule = RetentionSettings.parse({});
const erasing = RetentionSettings.parse({ mode: 'erase', notify: ['dpo@example.com'] });
const monthsAgo = (months: number, days = 0) => {
  const at = new Date(now);
  at.setUTCMonth(at.getUTCMonth() - months);
  at.setUTCDate(at.getUTCDate() - days);
  return at.toISOString();
};
const daysAgo = (days: number) => new Date(Date.parse(now) - days * 86_400_000).toISOString();
const person = (overrides: Partial<Candidate> = {}) => aCandidate({ createdAt: monthsAgo(30), ...overrides });
const granted = (purpose: string, recordedAt: string, expiresAt?: string) => ({ purpose, granted: true, recordedAt, ...(expiresAt ? { expiresAt } : {}) });

describe('who the retention rule selects', () => {
  it('selects someone without consent whose last activity is older than inactiveMonths', () => {
    expect(isDue(person({ lastActivityAt: monthsAgo(6, 1) }), rule, now)).toBe(true);
  });

  it('keeps someone without consent active within inactiveMonths', () => {
    expect(isDue(person({ lastActivityAt: monthsAgo(5) }), rule, now)).toBe(false);
  });

  it('measures from when they were added when they were never active', () => {
    expect(isDue(person({ createdAt: monthsAgo(7) }), rule, now)).toBe(true);
    expect(isDue(person({ createdAt: monthsAgo(2) }), rule, now)).toBe(false);
  });

  it('takes the later of last activity and creation (a merged-in older activity does not count)', () => {
    expect(lastActiveOf({ createdAt: monthsAgo(2), lastActivityAt: monthsAgo(9) })).toBe(monthsAgo(2));
  });

  it('keeps a community member with a valid consent until communityMonths have passed', () => {
    const member = { consents: [granted('talent-community', daysAgo(10), monthsAgo(-12))] };
    expect(isDue(person({ ...member, lastActivityAt: monthsAgo(20) }), rule, now)).toBe(false);
    expect(isDue(person({ ...member, lastActivityAt: monthsAgo(24, 1) }), rule, now)).toBe(true);
  });

  it('treats an expired consent as none', () => {
    const lapsed = { consents: [granted('talent-community', monthsAgo(25), daysAgo(1))] };
    expect(hasValidConsent(lapsed, rule, now)).toBe(false);
    expect(isDue(person({ ...lapsed, lastActivityAt: monthsAgo(7) }), rule, now)).toBe(true);
  });

  it('lets a consent recorded without an expiry lapse its purpose period after it was given', () => {
    expect(hasValidConsent({ consents: [granted('event-updates', monthsAgo(11))] }, rule, now)).toBe(true);
    expect(hasValidConsent({ consents: [granted('event-updates', monthsAgo(13))] }, rule, now)).toBe(false);
  });

  it('keeps no one longer for lifting a profiling objection: that grant is not consent to keep data', () => {
    expect(hasValidConsent({ consents: [granted('profiling', daysAgo(1), monthsAgo(-12))] }, rule, now)).toBe(false);
    expect(hasValidConsent({ consents: [granted('profiling', daysAgo(1), monthsAgo(-12)), granted('event-updates', daysAgo(1), monthsAgo(-12))] }, rule, now)).toBe(true);
  });

  it('counts only the latest record of a purpose: a withdrawal after a grant leaves no consent', () => {
    const withdrawn = { consents: [granted('talent-community', daysAgo(30), monthsAgo(-20)), { purpose: 'talent-community', granted: false, recordedAt: daysAgo(5) }] };
    expect(hasValidConsent(withdrawn, rule, now)).toBe(false);
  });

  it('keeps someone with an application in progress, however long inactive', () => {
    expect(isDue(person({ lastActivityAt: monthsAgo(12), applications: [{ id: 'app_1', status: 'interview' }] }), rule, now)).toBe(false);
  });

  it('selects someone whose applications have all closed', () => {
    const closed = ['hired', 'rejected', 'withdrawn'].map((status, i) => ({ id: `app_${i}`, status }));
    expect(isDue(person({ lastActivityAt: monthsAgo(7), applications: closed }), rule, now)).toBe(true);
  });
});

describe('what the rule does with someone it selects', () => {
  const due = person({ lastActivityAt: monthsAgo(8) });

  it('warns first', () => {
    expect(retentionDecision(due, undefined, erasing, now)).toBe('warn');
  });

  it('waits while the warning is younger than warningDays', () => {
    expect(retentionDecision(due, daysAgo(29), erasing, now)).toBe('wait');
  });

  it('erases once warned at least warningDays ago', () => {
    expect(retentionDecision(due, daysAgo(30), erasing, now)).toBe('erase');
  });

  it('warns again when the person was active after the warning', () => {
    const activeAfterWarning = person({ lastActivityAt: daysAgo(45) });
    expect(retentionDecision(activeAfterWarning, daysAgo(50), { ...erasing, inactiveMonths: 1 }, now)).toBe('warn');
  });

  it('warns again when the warning fell due more than a warning period ago', () => {
    expect(retentionDecision(due, daysAgo(60), erasing, now)).toBe('warn');
  });

  it('keeps someone no longer selected, warned or not', () => {
    expect(retentionDecision(person({ lastActivityAt: daysAgo(3) }), daysAgo(40), erasing, now)).toBe('keep');
  });
});

function fakes(subjects: RetentionSubject[], settings = rule) {
  const mail: { to: string; subject: string; text: string }[] = [];
  const warned: { ids: string[]; at: string; until: string }[] = [];
  const started: unknown[][] = [];
  const queried: { before: string; fromYear: number }[] = [];
  const service = retentionService({
    people: {
      async *inactiveBefore(before, fromYear) {
        queried.push({ before, fromYear });
        yield subjects.slice(0, 2);
        yield subjects.slice(2);
      },
      markWarned: async (ids, at, until) => void warned.push({ ids, at, until }),
    },
    settings: { retention: async () => settings, saveRetention: async () => {} },
    erasures: { start: async (...args) => (started.push(args), { candidateId: args[0], status: 'running', requestedAt: now, steps: [] }) },
    mailer: { send: async (message) => void mail.push(message) },
    clock: { now: () => now },
  });
  return { service, mail, warned, started, queried };
}

const inactive = (n: number) => ({ person: person({ id: `cand_01JAAAAAAAAAAAAAAAAAAAAAA${n}`, lastActivityAt: monthsAgo(9) }) });
const active = { person: person({ id: 'cand_01JAAAAAAAAAAAAAAAAAAAAAAZ', lastActivityAt: daysAgo(2) }) };

describe('the retention run', () => {
  it('reads the index from ten years before the cutoff up to it', async () => {
    const { service, queried } = fakes([]);
    await service.run();
    expect(queried).toEqual([{ before: monthsAgo(6), fromYear: 2015 }]);
  });

  it('in dry-run reports who the rule selects, emails the notify list ids and counts only, and changes nothing', async () => {
    const { service, mail, warned, started } = fakes([inactive(1), active, inactive(2)], { ...rule, notify: ['dpo@example.com'] });
    const report = await service.run();
    expect(report).toMatchObject({ mode: 'dry-run', matched: 2, warned: 0, erased: 0, candidateIds: [inactive(1).person.id, inactive(2).person.id] });
    expect(mail).toHaveLength(1);
    expect(mail[0]).toMatchObject({ to: 'dpo@example.com', subject: 'Retention dry run: 2 candidate(s) would be erased' });
    expect(mail[0]!.text).toContain(inactive(2).person.id);
    expect(mail[0]!.text).not.toMatch(/Ada|Lovelace|@example\.com/);
    expect([...warned, ...started]).toEqual([]);
  });

  it('sends nothing when nobody is selected', async () => {
    const { service, mail } = fakes([active], { ...rule, notify: ['dpo@example.com'] });
    expect(await service.run()).toMatchObject({ matched: 0 });
    expect(mail).toEqual([]);
  });

  it('counts someone listed twice by the index once', async () => {
    const { service } = fakes([inactive(1), inactive(1)]);
    expect(await service.run()).toMatchObject({ matched: 1, candidateIds: [inactive(1).person.id] });
  });

  it('in erase mode warns the new ones with the erasure date, erases those warned long enough ago, and leaves the waiting alone', async () => {
    const waiting = { ...inactive(3), warnedAt: daysAgo(10) };
    const overdue = { ...inactive(4), warnedAt: daysAgo(31) };
    const { service, mail, warned, started } = fakes([inactive(1), waiting, overdue], erasing);
    const report = await service.run();
    expect(report).toMatchObject({ mode: 'erase', matched: 3, warned: 1, erased: 1, warnedIds: [inactive(1).person.id], erasedIds: [overdue.person.id], eraseOn: '2026-07-15' });
    expect(started).toEqual([[overdue.person.id, 'retention', 'schedule:retention']]);
    expect(warned).toEqual([{ ids: [inactive(1).person.id], at: now, until: daysAgo(-60) }]);
    expect(mail[0]!.subject).toBe('Retention: 1 candidate(s) to be erased on 2026-07-15, 1 erasure(s) started');
    expect(mail[0]!.text).toContain(inactive(1).person.id);
    expect(mail[0]!.text).not.toContain(waiting.person.id);
  });

  it('does not note the warnings when the team could not be told, so the next run warns again', async () => {
    const warned: string[][] = [];
    const failing = retentionService({
      people: { inactiveBefore: async function* () { yield [inactive(1)]; }, markWarned: async (ids) => void warned.push(ids) },
      settings: { retention: async () => erasing, saveRetention: async () => {} },
      erasures: { start: async () => undefined },
      mailer: { send: async () => { throw new Error('SES is down'); } },
      clock: { now: () => now },
    });
    await expect(failing.run()).rejects.toThrow('SES is down');
    expect(warned).toEqual([]);
  });
});
