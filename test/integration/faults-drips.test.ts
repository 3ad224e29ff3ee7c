import { beforeAll, describe, expect, it } from 'vitest';
import { after, api, arm, disarm, eventually, fired, mailCounts, marker, partition, people, poolOf, taskStates, onEntry, template, warmUp, type Point } from './faults-support.ts';

/**
 * A two-step drip whose step Task (every Task state of the drip workflow in the manifest) is killed on entry and
 * right after each write it makes, for one person; the enrollment workflow's Task is killed too. The retries must
 * end with each person getting each step once, at the step's own time, and every enrollment completed.
 */
const DRIP = 'campaigns-drip';
const ENROLL = 'campaigns-enroll';

const crashPoints: Record<string, Point[]> = {
  Step: [
    onEntry,
    after('PutItemCommand', 'dies holding the step\'s claim'),
    { kind: 'service', at: 'response', command: 'PutItemCommand', error: 'InternalServerError', why: 'the step\'s claim is written but its answer lost, and the SDK retries it' },
    after('SendBulkEmailCommand', 'dies after SES accepted the step\'s email, before recording it', { service: 'sesv2' }),
    after('TransactWriteItemsCommand', 'dies after settling the step, before moving the enrollment on'),
    after('PutItemCommand', 'dies after moving the enrollment on, before answering', { after: 1 }),
  ],
};
const enrollPoints: Point[] = [
  onEntry,
  after('PutItemCommand', 'dies after writing an enrollment, before starting its workflow'),
  after('StartExecutionCommand', 'dies after starting an enrollment\'s workflow', { service: 'sfn' }),
];

const AUDIENCE = 3;
const DAY_MS = 86_400_000;

/** A two-step drip (the second `secondDelay` after the first) to a pool of AUDIENCE new people. */
async function twoStepDrip(tag: string, secondDelay: string) {
  const audience = await people(tag, AUDIENCE);
  const poolId = await poolOf(audience.map((p) => p.id));
  const [first, second] = [await template(`First {{firstName}} ${tag}`), await template(`Second {{firstName}} ${tag}`)];
  const created = await api('/campaigns', {
    method: 'POST',
    body: { name: `Faults ${tag}`, kind: 'drip', audience: { poolId }, steps: [{ templateId: first, delay: 'PT0M' }, { templateId: second, delay: secondDelay }] },
  });
  expect(created.status).toBe(201);
  return { audience, id: (created.body as { id: string }).id };
}

async function dripWith(workflow: string, state: string, point: Point) {
  const tag = marker();
  const { audience, id } = await twoStepDrip(tag, 'P1D');
  // The step's faults hit one person's enrollment; the enrollment workflow's, the campaign's.
  const scope = workflow === DRIP ? audience[0]!.id : id;
  const { why, ...fault } = point;
  await arm({ ...fault, function: taskStates(workflow).find((s) => s.state === state)!.fn, state, when: scope });
  try {
    expect((await api(`/campaigns/${id}/launch`, { method: 'POST' })).status).toBe(200);
    await eventually(async () => {
      const enrollments = (await partition(`CAMP#${id}`)).filter((item) => String(item.SK).startsWith('ENR#'));
      expect(enrollments.map((e) => [e.state, e.step])).toEqual(audience.map(() => ['completed', 2]));
    }, 45_000);
    for (const f of await fired(scope)) expect(f.failed, `${f.state} ${f.command ?? ''} fired`).toBeGreaterThan(0);
  } finally {
    await disarm(scope);
  }

  // Each step once per person, at its own time (a retry must not send the next step early), nothing left claimed.
  expect(await mailCounts(tag, audience.map((p) => p.email))).toEqual(Object.fromEntries(audience.map((p) => [p.email, 2])));
  const recipients = (await partition(`CAMP#${id}`)).filter((item) => String(item.SK).startsWith('R#'));
  expect(recipients).toHaveLength(AUDIENCE * 2);
  expect(recipients.filter((r) => r.claimToken !== undefined || r.status !== 'delivered' && r.status !== 'sent' || !r.messageId)).toEqual([]);
  for (const person of audience) {
    const [step0, step1] = [0, 1].map((step) => recipients.find((r) => r.candidateId === person.id && r.step === step)!);
    expect(Date.parse(String(step1!.scheduledAt)) - Date.parse(String(step0!.scheduledAt))).toBeGreaterThanOrEqual(DAY_MS - 60_000);
  }
  await eventually(async () => expect((await api(`/campaigns/${id}/stats`)).body).toMatchObject({ sent: AUDIENCE * 2 }));
}

describe('a drip step killed at each point', () => {
  beforeAll(() => warmUp('/candidates?limit=1', '/pools?limit=1', '/templates?limit=1', '/campaigns?limit=1'), 120_000);

  it('has crash points for every Task state of the drip workflow in the manifest', () => {
    expect(Object.keys(crashPoints).sort()).toEqual(taskStates(DRIP).map((s) => s.state).sort());
  });

  const cases = Object.entries(crashPoints).flatMap(([state, points]) => points.map((point) => [state, point.why, point] as const));
  it.each(cases)('%s: %s — each step reaches each person once, on time', async (state, _why, point) => {
    await dripWith(DRIP, state, point);
  }, 90_000);

  it.each(enrollPoints.map((point) => [point.why, point] as const))('enrolling: %s — everyone is enrolled once and gets each step once', async (_why, point) => {
    await dripWith(ENROLL, 'Work', point);
  }, 90_000);
});

/**
 * A step that dies holding its claim, 14 days after the step before. Its retry must leave the claim alone while the
 * attempt may still be running or SES's SEND event may still come (the step's timeout plus a margin), keep the
 * enrollment at the step, and come back for it. The local stack waits from its real clock to the time a Wait names,
 * 100,000 times faster: the hold of a claim made 14 days ahead lasts about 12 s here, long enough to see.
 */
describe('a drip step that died holding its claim, while the claim is young', () => {
  it('is not sent by the retry until the claim is old, then once, and the enrollment waits at the step meanwhile', async () => {
    const tag = marker();
    const { audience, id } = await twoStepDrip(tag, 'P14D');
    const [held] = audience;
    // The step's writes before its second step's claim: step 0's claim and moving the enrollment on.
    const { why, ...fault } = after('PutItemCommand', 'dies holding the second step\'s claim', { after: 2 });
    await arm({ ...fault, function: taskStates(DRIP).find((s) => s.state === 'Step')!.fn, state: 'Step', when: held!.id });
    try {
      expect((await api(`/campaigns/${id}/launch`, { method: 'POST' })).status).toBe(200);
      const claimOf = async () => {
        const items = await partition(`CAMP#${id}`);
        const step = items.find((item) => String(item.SK).startsWith('R#') && item.candidateId === held!.id && item.step === 1);
        const enrollment = items.find((item) => item.SK === `ENR#${held!.id}`);
        expect(step).toMatchObject({ status: 'claimed', claimToken: expect.any(String), claimedAt: expect.any(String) });
        expect(step).not.toHaveProperty('messageId');
        expect(enrollment).toMatchObject({ state: 'active', step: 1 });
        expect((await mailCounts(tag, [held!.email]))[held!.email]).toBe(1);
        return [step!.claimToken, step!.claimedAt];
      };
      // Held, not a step in flight: the same claim, unsent, a second later.
      await eventually(async () => {
        const seen = await claimOf();
        await new Promise((resolve) => setTimeout(resolve, 1000));
        expect(await claimOf()).toEqual(seen);
      }, 60_000);
      await eventually(async () => {
        const enrollments = (await partition(`CAMP#${id}`)).filter((item) => String(item.SK).startsWith('ENR#'));
        expect(enrollments.map((e) => [e.state, e.step])).toEqual(audience.map(() => ['completed', 2]));
      }, 60_000);
      for (const f of await fired(held!.id)) expect(f.failed, `${f.state} ${f.command ?? ''} fired`).toBeGreaterThan(0);
    } finally {
      await disarm(held!.id);
    }
    expect(await mailCounts(tag, audience.map((p) => p.email))).toEqual(Object.fromEntries(audience.map((p) => [p.email, 2])));
    const recipients = (await partition(`CAMP#${id}`)).filter((item) => String(item.SK).startsWith('R#'));
    expect(recipients).toHaveLength(AUDIENCE * 2);
    expect(recipients.filter((r) => r.claimToken !== undefined || r.claimedAt !== undefined || !r.messageId)).toEqual([]);
  }, 150_000);
});
