import { randomUUID } from 'node:crypto';
import { describe, expect, inject, it } from 'vitest';
import { api, eventually } from './helpers.ts';

type AuditPage = { items: { id: string; at: string; actor: string; action: string; candidateId: string; detail?: Record<string, unknown> }[]; nextCursor?: string };
type Mail = { subject: string; to: string[]; text: string; html: string };

const runSchedule = async (name: string) => {
  const response = await fetch(`${inject('apiUrl')}/_local/schedules/${name}/run`, { method: 'POST' });
  expect(response.status).toBe(200);
  return ((await response.json()) as { result: unknown }).result;
};
const mailTo = async (to: string) => ((await api(`/_local/mail?to=${encodeURIComponent(to)}`, { token: null })).body as { items: Mail[] }).items;
const auditOf = async (query: string) => {
  const response = await api(`/audit?${query}`, { role: 'admin' });
  expect(response.status).toBe(200);
  return response.body as AuditPage;
};

async function aSourcedPerson() {
  const person = { email: `nora.${randomUUID().slice(0, 8)}@example.com`, firstName: 'Nora', lastName: 'Quist', phone: '+31 20 555 0199', source: { type: 'sourced', url: 'https://www.linkedin.com/in/nora-quist' } };
  const created = await api('/candidates', { method: 'POST', body: person });
  expect(created.status).toBe(201);
  return { ...person, id: (created.body as { id: string }).id };
}

describe('the audit log', () => {
  it('shows who read and who changed a person, newest first, with ids and field names only', async () => {
    const person = await aSourcedPerson();
    expect((await api(`/candidates/${person.id}`, { role: 'viewer' })).status).toBe(200);
    expect((await api(`/candidates/${person.id}`, { method: 'PATCH', body: { headline: 'Staff engineer at Quist & Co' } })).status).toBe(200);

    let entries: AuditPage['items'] = [];
    await eventually(async () => {
      // The privacy-notice schedule may notify them meanwhile: that has a test of its own.
      entries = (await auditOf(`candidateId=${person.id}`)).items.filter((e) => e.action !== 'notify');
      expect(entries.map((e) => [e.action, e.actor])).toEqual([['update', 'local-recruiter'], ['read', 'local-viewer'], ['create', 'local-recruiter']]);
    });
    expect(entries[0]).toMatchObject({ candidateId: person.id, detail: { changed: ['headline'] } });
    expect(entries.map((e) => e.at)).toEqual([...entries.map((e) => e.at)].sort().reverse());
    const text = JSON.stringify(entries);
    for (const personal of [person.email, 'Nora', 'Quist', '555 0199', 'Staff engineer']) expect(text).not.toContain(personal);
  });

  it('narrows by action and pages with a cursor', async () => {
    const person = await aSourcedPerson();
    for (let i = 0; i < 3; i++) await api(`/candidates/${person.id}/timeline`, { role: 'viewer' });
    const reads = await auditOf(`candidateId=${person.id}&action=read&limit=2`);
    expect(reads.items).toHaveLength(2);
    expect(reads.items.every((e) => e.action === 'read' && e.detail?.route === 'GET /candidates/{id}/timeline')).toBe(true);
    const rest = await auditOf(`candidateId=${person.id}&action=read&limit=2&cursor=${reads.nextCursor}`);
    expect(rest.items.map((e) => e.id)).not.toContain(reads.items[0]!.id);
    expect([...reads.items, ...rest.items].filter((e) => e.action === 'read')).toHaveLength(3);
  });

  it('lists what one actor did', async () => {
    const person = await aSourcedPerson();
    await api(`/candidates/${person.id}`, { role: 'admin' });
    const page = await auditOf('actor=local-admin&action=read&limit=10');
    expect(page.items.some((e) => e.candidateId === person.id)).toBe(true);
    expect(page.items.every((e) => e.actor === 'local-admin')).toBe(true);
  });

  it('is for admins only, and asks for a candidate or an actor', async () => {
    expect((await api('/audit?actor=local-admin', { role: 'recruiter' })).status).toBe(403);
    expect((await api('/audit', { role: 'admin' })).status).toBe(400);
  });
});

describe('the Art. 14 privacy notice', () => {
  it('goes once to a sourced person, and the time it went is on their record', async () => {
    const person = await aSourcedPerson();
    await eventually(async () => {
      await runSchedule('privacy-notice');
      expect(await mailTo(person.email)).toHaveLength(1);
    }, 20_000);
    const [notice] = await mailTo(person.email);
    expect(notice!.subject).toBe('How Talent Relay uses your personal data');
    expect(notice!.text).toContain('legitimate interest in recruiting');
    expect(notice!.text).toContain('https://www.linkedin.com/in/nora-quist');
    expect(notice!.text).toMatch(/\/public\/privacy\/requests/);

    const record = (await api(`/candidates/${person.id}`)).body as { privacyNoticeSentAt?: string };
    expect(Date.parse(record.privacyNoticeSentAt!)).toBeGreaterThan(Date.now() - 60_000);
    await runSchedule('privacy-notice');
    expect(await mailTo(person.email)).toHaveLength(1);
    await eventually(async () => {
      const notified = (await auditOf(`candidateId=${person.id}&action=notify`)).items;
      expect(notified).toEqual([expect.objectContaining({ actor: 'schedule:privacy-notice', detail: { kind: 'notice' } })]);
    });
  });

  it('is not sent to someone who signed up themselves', async () => {
    const email = `self.${randomUUID().slice(0, 8)}@example.com`;
    expect((await api('/candidates', { method: 'POST', body: { email, source: { type: 'career-site' } } })).status).toBe(201);
    await runSchedule('privacy-notice');
    expect(await mailTo(email)).toEqual([]);
  });
});

describe('retention', () => {
  it('refuses invalid settings naming the field, and keeps valid ones', async () => {
    const before = (await api('/settings/retention', { role: 'admin' })).body as Record<string, unknown>;
    expect(before).toMatchObject({ mode: 'dry-run', inactiveMonths: expect.any(Number) });
    const invalid = await api('/settings/retention', { method: 'PUT', role: 'admin', body: { ...before, inactiveMonths: 0 } });
    expect(invalid.status).toBe(400);
    expect((invalid.body as { errors: { path: string }[] }).errors.map((e) => e.path)).toEqual(['body.inactiveMonths']);
    expect((await api('/settings/retention', { method: 'PUT', role: 'recruiter', body: before })).status).toBe(403);

    // Dry-run only: the local stack is shared, and erase mode would act on everyone's candidates.
    const settings = { ...before, mode: 'dry-run', inactiveMonths: 9, notify: ['dpo@example.com'] };
    try {
      const saved = await api('/settings/retention', { method: 'PUT', role: 'admin', body: settings });
      expect(saved).toMatchObject({ status: 200, body: settings });
      expect((await api('/settings/retention', { role: 'admin' })).body).toEqual(settings);
    } finally {
      await api('/settings/retention', { method: 'PUT', role: 'admin', body: before });
    }
  });

  it('reports in dry-run who the rule selects, with counts and ids only', async () => {
    await aSourcedPerson();
    const report = (await runSchedule('retention')) as Record<string, unknown>;
    expect(report).toMatchObject({ mode: 'dry-run', warned: 0, erased: 0, matched: expect.any(Number), candidateIds: expect.any(Array) });
    // Everyone on the local stack was added minutes ago: nobody is old enough for the rule.
    expect(report.matched).toBe(0);
  });
});
