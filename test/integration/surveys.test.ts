import { DynamoDBClient } from '@aws-sdk/client-dynamodb';
import { DynamoDBDocumentClient, PutCommand } from '@aws-sdk/lib-dynamodb';
import { parse } from 'csv-parse/sync';
import { afterAll, describe, expect, inject, it } from 'vitest';
import { ApplicationReceived } from '../../events/candidates.ts';
import { makeEvent } from '../../events/contract.ts';
import { LOCAL_TABLE } from '../../infra/local/stack.ts';
import { newId } from '../../shared/ids.ts';
import { signToken } from '../../shared/tokens.ts';
import { aCandidateInput } from '../fixtures/builders.ts';
import { api, eventually, tokenFor } from './helpers.ts';

/** The local stack's link-signing key (infra/local/stack.ts): lets a test make a genuine but expired link. */
const LOCAL_SIGNING_KEY = 'talent-relay-local-link-signing-key';

const run = Date.now().toString(36);
let counter = 0;
const unique = (name: string) => `${name}-${run}-${++counter}`;

interface Mail { subject: string; text: string; html: string }
interface Survey { id: string; version: number; sent: number; responses: number; status: string }
interface Results {
  sent: number; responses: number; responseRate: number | null; skipped: Record<string, number>;
  questions: ({ id: string; type: string; nps?: number | null; promoters?: number; detractors?: number; average?: number | null; answers?: { text: string; candidateId: string }[] })[];
}

const mailTo = async (to: string) => ((await (await fetch(`${inject('apiUrl')}/_local/mail?to=${encodeURIComponent(to)}`)).json()) as { items: Mail[] }).items;
const surveyLinkIn = (mail: Mail) => /https?:\/\/\S+\/public\/surveys\/[\w.-]+/.exec(mail.text)?.[0];

const questions = [
  { id: 'recommend', type: 'nps', label: 'How likely are you to recommend us to a friend?', required: true },
  { id: 'process', type: 'rating', label: 'How clear was our process?' },
  { id: 'comment', type: 'text', label: 'Anything we should do better?' },
];

async function aSurvey(trigger: Record<string, unknown>, title = unique('How was it')): Promise<Survey & { title: string }> {
  const created = await api('/surveys', { method: 'POST', body: { name: unique('Candidate experience'), title, questions, trigger } });
  expect(created.status).toBe(201);
  return { ...(created.body as Survey), title };
}

async function aPerson() {
  const created = await api('/candidates', { method: 'POST', body: aCandidateInput() });
  expect(created.status).toBe(201);
  return created.body as { id: string; email: string };
}

/** The survey link emailed to a person, once it has arrived. */
async function linkFor(email: string, title: string): Promise<string> {
  let link: string | undefined;
  await eventually(async () => {
    const mail = (await mailTo(email)).find((m) => m.subject === title);
    expect(mail).toBeDefined();
    link = surveyLinkIn(mail!);
    expect(link).toBeDefined();
  }, 20_000);
  return link!;
}

/** A person using the link as a browser or a client would; the route is rate limited, so it waits when told to. */
async function submit(link: string, answers: Record<string, string | number>, as: 'form' | 'json') {
  for (;;) {
    const response = await fetch(link, {
      method: 'POST',
      headers: { 'content-type': as === 'form' ? 'application/x-www-form-urlencoded' : 'application/json' },
      body: as === 'form' ? new URLSearchParams(Object.entries(answers).map(([k, v]): [string, string] => [k, String(v)])).toString() : JSON.stringify({ answers }),
    });
    if (response.status !== 429) return { status: response.status, type: response.headers.get('content-type') ?? '', text: await response.text() };
    await new Promise((resolve) => setTimeout(resolve, Number(response.headers.get('retry-after') ?? 1) * 1000));
  }
}

const results = async (id: string, role: 'viewer' | 'recruiter' = 'viewer') => {
  const response = await api(`/surveys/${id}/results`, { role });
  expect(response.status).toBe(200);
  return response.body as Results;
};

const dynamo = DynamoDBDocumentClient.from(new DynamoDBClient({ endpoint: inject('dynamoEndpoint'), region: 'eu-west-1', credentials: { accessKeyId: 'local', secretAccessKey: 'local' } }));
afterAll(() => dynamo.destroy());

describe('surveys triggered by an application', () => {
  it('email the survey an hour (scaled) after each application; the form takes the answers once; results and CSV add them up', async () => {
    const jobId = unique('job');
    const survey = await aSurvey({ on: 'application-received', delay: 'PT1H', jobId });
    const people = await Promise.all([aPerson(), aPerson(), aPerson()]);
    for (const person of people) {
      expect((await api(`/candidates/${person.id}/applications`, { method: 'POST', body: { jobId } })).status).toBe(201);
    }
    const links = await Promise.all(people.map((person) => linkFor(person.email, survey.title)));

    const form = await fetch(links[0]!);
    expect(form.status).toBe(200);
    expect(form.headers.get('content-type')).toContain('text/html');
    const html = await form.text();
    expect(html).toContain(`<title>${survey.title}</title>`);
    expect(html).toContain('<legend>How likely are you to recommend us to a friend? <span>(required)</span></legend>');
    expect(html).toContain('<form method="post">');
    expect(html).not.toContain('<script');

    const answered = await submit(links[0]!, { recommend: 10, process: 4, comment: '=HYPERLINK("http://evil.example")' }, 'form');
    expect(answered.status).toBe(200);
    expect(answered.text).toContain('Your answers are saved');
    expect((await submit(links[1]!, { recommend: 6, process: 5 }, 'json')).status).toBe(200);

    const again = await submit(links[0]!, { recommend: 0, comment: 'Changed my mind' }, 'form');
    expect(again.status).toBe(409);
    expect(again.type).toContain('text/html');
    expect(again.text).toContain('We already have your answers to this survey, so nothing was changed.');
    const againAsJson = await submit(links[1]!, { recommend: 0 }, 'json');
    expect(againAsJson.status).toBe(409);
    expect(JSON.parse(againAsJson.text)).toMatchObject({ status: 409, detail: expect.stringContaining('already received') });
    expect(await (await fetch(links[0]!)).text()).toContain('Your answers were already received');

    await eventually(async () => {
      const summary = await results(survey.id);
      expect(summary).toMatchObject({ sent: 3, responses: 2, responseRate: 66.7 });
      expect(summary.questions[0]).toMatchObject({ id: 'recommend', promoters: 1, detractors: 1, nps: 0 });
      expect(summary.questions[1]).toMatchObject({ id: 'process', average: 4.5 });
      expect(summary.questions[2]!.answers).toEqual([expect.objectContaining({ candidateId: people[0]!.id, text: '=HYPERLINK("http://evil.example")' })]);
    });
    expect((await api(`/surveys/${survey.id}`)).body).toMatchObject({ sent: 3, responses: 2 });

    const csv = await fetch(`${inject('apiUrl')}/surveys/${survey.id}/results?format=csv`, { headers: { authorization: `Bearer ${await tokenFor('viewer')}` } });
    expect(csv.headers.get('content-type')).toContain('text/csv');
    const rows = parse(await csv.text()) as string[][];
    expect(rows[0]).toEqual(['invitationId', 'candidateId', 'trigger', 'answeredAt', 'recommend', 'process', 'comment']);
    expect(rows.slice(1).map((row) => [row[1], ...row.slice(4)])).toEqual([
      [people[0]!.id, '10', '4', `'=HYPERLINK("http://evil.example")`],
      [people[1]!.id, '6', '5', ''],
    ]);
  });

  it('send nothing twice when the same trigger event is delivered again', async () => {
    const jobId = unique('job');
    const survey = await aSurvey({ on: 'application-received', delay: 'PT1H', jobId });
    const person = await aPerson();
    const event = makeEvent(ApplicationReceived, { eventId: newId('evt'), occurredAt: new Date().toISOString(), actor: 'test' }, { candidateId: person.id, applicationId: newId('app'), jobId });
    // The same event twice on the bus, as at-least-once delivery may bring it: two outbox entries the relay publishes.
    for (const copy of ['', '#again']) {
      await dynamo.send(new PutCommand({ TableName: LOCAL_TABLE, Item: { PK: `EVENT#${event.detail.eventId}${copy}`, SK: 'EVENT', events: [event], expiresAt: Math.floor(Date.now() / 1000) + 3600 } }));
    }
    await linkFor(person.email, survey.title);
    await new Promise((resolve) => setTimeout(resolve, 1500));
    expect((await mailTo(person.email)).filter((m) => m.subject === survey.title)).toHaveLength(1);
    expect(await results(survey.id)).toMatchObject({ sent: 1 });
  });

  it('stop while the survey is paused, and a paused survey cannot be sent by hand', async () => {
    const jobId = unique('job');
    const survey = await aSurvey({ on: 'application-received', jobId });
    const paused = await api(`/surveys/${survey.id}`, { method: 'PATCH', body: { status: 'paused' }, headers: { 'if-match': `"${survey.version}"` } });
    expect(paused.status).toBe(200);
    expect(paused.body).toMatchObject({ status: 'paused', version: 2 });
    const person = await aPerson();
    expect((await api(`/candidates/${person.id}/applications`, { method: 'POST', body: { jobId } })).status).toBe(201);
    expect((await api(`/surveys/${survey.id}/sends`, { method: 'POST', body: { candidateIds: [person.id] } })).status).toBe(409);
    await new Promise((resolve) => setTimeout(resolve, 1500));
    expect(await mailTo(person.email)).toEqual([]);
  });
});

describe('survey links', () => {
  async function manualInvitation() {
    const survey = await aSurvey({ on: 'manual' });
    const person = await aPerson();
    expect((await api(`/surveys/${survey.id}/sends`, { method: 'POST', body: { candidateIds: [person.id] } })).status).toBe(202);
    return { survey, person, link: await linkFor(person.email, survey.title) };
  }

  it('answer 401 to a forged or expired link and store nothing', async () => {
    const { survey, link } = await manualInvitation();
    const token = link.split('/').at(-1)!;
    const [payload, signature] = token.split('.') as [string, string];
    const forged = `${link.slice(0, -token.length)}${payload}.${signature.startsWith('A') ? `B${signature.slice(1)}` : `A${signature.slice(1)}`}`;
    const [use, invitationId] = JSON.parse(Buffer.from(payload, 'base64url').toString('utf8')) as [string, string];
    const expired = `${link.slice(0, -token.length)}${signToken({ use: use as 's', candidateId: invitationId, exp: Math.floor(Date.now() / 1000) - 60 }, LOCAL_SIGNING_KEY)}`;
    for (const bad of [forged, expired, `${link.slice(0, -token.length)}not-a-token`]) {
      const page = await fetch(bad);
      expect(page.status).toBe(401);
      expect(await page.text()).toContain('This link does not work');
      const asForm = await submit(bad, { recommend: 9 }, 'form');
      expect(asForm.status).toBe(401);
      expect(asForm.text).toContain('Nothing was saved');
      const asJson = await submit(bad, { recommend: 9 }, 'json');
      expect(asJson.status).toBe(401);
      expect(asJson.type).toContain('application/problem+json');
    }
    expect(await results(survey.id)).toMatchObject({ sent: 1, responses: 0 });
    expect((await fetch(link)).status).toBe(200);
  });

  it('answer 400 naming the question of an invalid answer, or show the form again with the error, and store nothing', async () => {
    const { survey, link } = await manualInvitation();
    const asJson = await submit(link, { recommend: 11, process: 3 }, 'json');
    expect(asJson.status).toBe(400);
    expect(JSON.parse(asJson.text).errors).toEqual([{ path: 'answers.recommend', message: expect.stringContaining('whole number from 0 to 10') }]);
    const asForm = await submit(link, { process: 3, comment: 'Kind <people>' }, 'form');
    expect(asForm.status).toBe(400);
    expect(asForm.type).toContain('text/html');
    expect(asForm.text).toContain('<a href="#q-recommend">&quot;How likely are you to recommend us to a friend?&quot; needs an answer</a>');
    expect(asForm.text).toContain('name="process" value="3" checked>');
    expect(asForm.text).toContain('>Kind &lt;people&gt;</textarea>');
    expect(await results(survey.id)).toMatchObject({ responses: 0 });
    // As a browser posts it: the hidden honeypot field comes along, empty.
    expect((await submit(link, { recommend: 8, website: '' }, 'form')).status).toBe(200);
    expect(await results(survey.id)).toMatchObject({ responses: 1 });
  });
});

describe('sending a survey by hand', () => {
  it('emails each person once, skips a suppressed address and says who was not found', async () => {
    const survey = await aSurvey({ on: 'manual' });
    const [reachable, suppressed] = await Promise.all([aPerson(), aPerson()]);
    expect((await api('/suppressions', { method: 'POST', body: { email: suppressed.email } })).status).toBe(201);
    const unknown = newId('cand');
    const sent = await api(`/surveys/${survey.id}/sends`, { method: 'POST', body: { candidateIds: [reachable.id, suppressed.id, unknown] } });
    expect(sent.status).toBe(202);
    expect(sent.body).toEqual({
      queued: 2,
      items: [{ candidateId: reachable.id, status: 'queued' }, { candidateId: suppressed.id, status: 'queued' }, { candidateId: unknown, status: 'not-found' }],
    });
    await linkFor(reachable.email, survey.title);
    await eventually(async () => expect(await results(survey.id)).toMatchObject({ sent: 1, skipped: { suppressed: 1 } }));
    expect(await mailTo(suppressed.email)).toEqual([]);

    const again = await api(`/surveys/${survey.id}/sends`, { method: 'POST', body: { candidateIds: [reachable.id] } });
    expect(again.body).toEqual({ queued: 0, items: [{ candidateId: reachable.id, status: 'already-invited' }] });
    expect((await mailTo(reachable.email)).filter((m) => m.subject === survey.title)).toHaveLength(1);
  });

  it('is for recruiters: a viewer reads surveys and results but cannot create or send', async () => {
    const survey = await aSurvey({ on: 'manual' });
    expect((await api('/surveys', { method: 'POST', role: 'viewer', body: { name: 'x', questions, trigger: { on: 'manual' } } })).status).toBe(403);
    expect((await api(`/surveys/${survey.id}/sends`, { method: 'POST', role: 'viewer', body: { candidateIds: [newId('cand')] } })).status).toBe(403);
    expect((await api(`/surveys/${survey.id}`, { role: 'viewer' })).status).toBe(200);
    const listed = (await api('/surveys?limit=200', { role: 'viewer' })).body as { items: Survey[] };
    expect(listed.items.map((s) => s.id)).toContain(survey.id);
    await results(survey.id, 'viewer');
  });
});
