import { randomUUID } from 'node:crypto';
import { describe, expect, it } from 'vitest';
import { api, eventually, firedFaults, listTagged, local } from './helpers.ts';

type Job = { id: string; status: string; total?: number; processed: number; created: number; updated: number; skipped: number; failed: number; progress: number; error?: string; ignoredColumns?: string[] };

/** A run-unique marker so each test's people are its own. */
const marker = () => randomUUID().slice(0, 8);

async function importCsv(csv: string | Buffer, query = '') {
  const response = await api(`/imports${query}`, { method: 'POST', rawBody: csv, headers: { 'content-type': 'text/csv' } });
  expect(response.status, JSON.stringify(response.body)).toBe(202);
  return response.body as Job & { upload?: { url: string; headers: Record<string, string> } };
}

async function finished(id: string, timeoutMs = 20_000): Promise<Job> {
  let job: Job | undefined;
  await eventually(async () => {
    job = (await api(`/imports/${id}`, { role: 'viewer' })).body as Job;
    expect(['completed', 'failed']).toContain(job.status);
  }, timeoutMs);
  return job!;
}

type Listed = { id: string; email: string; firstName?: string; source: unknown; location?: unknown; company?: string };

/** Everyone with the tag, once the stream indexer has caught up with `expected` of them. */
async function candidatesTagged(tag: string, expected: number) {
  let found: Listed[] = [];
  await eventually(async () => {
    found = await listTagged<Listed>(tag);
    expect(found).toHaveLength(expected);
  }, 60_000);
  return found;
}

const rows = (tag: string, count: number, from = 0) =>
  Array.from({ length: count }, (_, i) => `person${from + i}.${tag}@example.com,Person,${from + i},${tag}`).join('\n');

describe('imports over HTTP on the local stack', () => {
  it('imports a semicolon CSV with a BOM, synonym headers and quoted newlines; bad rows fail alone with their line and reason', async () => {
    const tag = `imp-${marker()}`;
    const csv = [
      '\uFEFFE-mail Address;First Name;Last Name;Country;Company;Notes;Tags',
      `ada.${tag}@example.com;Ada;Lovelace;United Kingdom;Analytical Engines;"likes\nmaths";${tag}`,
      `;No;Email;DE;;;${tag}`,
      `grace.${tag}@example.com;Grace;Hopper;Atlantis;Navy;;${tag}`,
      '',
      `alan.${tag}@example.com;Alan;Turing;gb;;"=HYPERLINK(""x"")";${tag}`,
    ].join('\r\n');
    const accepted = await importCsv(csv, `?source=${encodeURIComponent('Spring fair 2026')}`);
    expect(accepted).toMatchObject({ status: 'queued', format: 'csv', mode: 'skip', processed: 0 });

    const job = await finished(accepted.id);
    expect(job).toMatchObject({ status: 'completed', total: 4, processed: 4, created: 2, failed: 2, skipped: 0, progress: 100, ignoredColumns: ['Notes'] });

    const people = await candidatesTagged(tag, 2);
    expect(people.map((p) => p.email).sort()).toEqual([`ada.${tag}@example.com`, `alan.${tag}@example.com`]);
    expect(people.find((p) => p.email.startsWith('ada'))).toMatchObject({
      location: { country: 'GB' },
      company: 'Analytical Engines',
      source: { type: 'import', detail: 'Spring fair 2026' },
    });

    const errors = await api(`/imports/${accepted.id}/errors`, { role: 'viewer' });
    expect(errors.headers.get('content-type')).toContain('text/csv');
    const lines = (errors.body as string).trim().split(/\r?\n/);
    expect(lines[0]).toBe('line,reason,E-mail Address,First Name,Last Name,Country,Company,Notes,Tags');
    expect(lines[1]).toMatch(/^4,email: the row has no email address,/);
    expect(lines[2]).toMatch(/^5,location\.country: not an ISO 3166-1 alpha-2 country code,grace/);
  });

  it('keeps formulas in the failed-rows CSV as text', async () => {
    const tag = `imp-${marker()}`;
    const accepted = await importCsv(`email,first name,tags\n=cmd|' /C calc'!A0,Eve,${tag}\n`);
    await finished(accepted.id);
    const errors = (await api(`/imports/${accepted.id}/errors`)).body as string;
    expect(errors).toContain(`,'=cmd|' /C calc'!A0,Eve,`);
  });

  it('skips people already in the pool by default, and updates them in upsert mode', async () => {
    const tag = `imp-${marker()}`;
    const existing = await api('/candidates', { method: 'POST', body: { email: `kim.${tag}@example.com`, firstName: 'Kim', tags: [tag] } });
    const csv = `email,first name,last name,skills\nkim.${tag}@example.com,Kimberly,Lee,go\n`;

    const skipped = await finished((await importCsv(csv)).id);
    expect(skipped).toMatchObject({ created: 0, skipped: 1, updated: 0 });

    const upserted = await finished((await importCsv(csv, '?mode=upsert')).id);
    expect(upserted).toMatchObject({ created: 0, skipped: 0, updated: 1 });
    const read = await api(`/candidates/${(existing.body as { id: string }).id}`);
    expect(read.body).toMatchObject({ firstName: 'Kimberly', lastName: 'Lee', skills: ['go'], tags: [tag], source: { type: 'manual' } });
  });

  it('maps columns explicitly when the headers are unusual', async () => {
    const tag = `imp-${marker()}`;
    const mapping = encodeURIComponent(JSON.stringify({ email: 'Kontakt', firstName: 'Rufname', tags: 'Gruppe', 'custom.referrer': 'Empfohlen von' }));
    const job = await finished((await importCsv(`Kontakt,Rufname,Gruppe,Empfohlen von\nmia.${tag}@example.com,Mia,${tag},Jo\n`, `?mapping=${mapping}`)).id);
    expect(job).toMatchObject({ status: 'completed', created: 1 });
    const [mia] = await candidatesTagged(tag, 1);
    expect(mia).toMatchObject({ firstName: 'Mia', custom: { referrer: 'Jo' } });
  });

  it('imports a JSON array of candidates and JSON Resume documents', async () => {
    const tag = `imp-${marker()}`;
    const body = [
      { email: `json.${tag}@example.com`, firstName: 'Jason', tags: [tag] },
      { basics: { name: 'Rosa Parks', email: `rosa.${tag}@example.com`, label: 'Organiser', location: { city: 'Montgomery', countryCode: 'US' }, profiles: [{ network: 'LinkedIn', url: 'https://linkedin.com/in/rosa' }] }, work: [{ name: 'NAACP', position: 'Secretary' }], skills: [{ name: 'Advocacy' }] },
      { firstName: 'No email' },
    ];
    const accepted = await api('/imports?mode=upsert', { method: 'POST', body });
    expect(accepted.status).toBe(202);
    const job = await finished((accepted.body as Job).id);
    expect(job).toMatchObject({ status: 'completed', total: 3, created: 2, failed: 1 });
    let rosa: { items: unknown[] } = { items: [] };
    await eventually(async () => {
      rosa = (await api(`/candidates?q=${encodeURIComponent(`rosa.${tag}`)}`)).body as { items: unknown[] };
      expect(rosa.items).toHaveLength(1);
    });
    expect(rosa.items[0]).toMatchObject({ firstName: 'Rosa', lastName: 'Parks', headline: 'Organiser', company: 'NAACP', skills: ['advocacy'], links: [{ type: 'linkedin' }] });
  });

  it('hands out a presigned URL for a large file and starts when the file arrives', async () => {
    const tag = `imp-${marker()}`;
    const accepted = await api('/imports', { method: 'POST', body: { upload: true, format: 'csv', mode: 'skip', source: 'ATS export' } });
    expect(accepted.status).toBe(202);
    const job = accepted.body as Job & { upload: { url: string; method: string; headers: Record<string, string>; maxBytes: number } };
    expect(job).toMatchObject({ status: 'awaiting-upload', upload: { method: 'PUT', maxBytes: 50 * 1024 * 1024 } });
    expect((await api(`/imports/${job.id}`)).body).toMatchObject({ status: 'awaiting-upload' });

    const put = await fetch(job.upload.url, { method: 'PUT', headers: job.upload.headers, body: `email,name,tags\n${rows(tag, 250).replace(/,Person,(\d+),/g, ',Person $1,')}` });
    expect(put.status).toBe(200);
    expect(await finished(job.id)).toMatchObject({ status: 'completed', total: 250, created: 250 });
    expect(await candidatesTagged(tag, 250)).toHaveLength(250);
  });

  it('resumes after a crash part-way from its checkpoint: every row once, no duplicates, exact counts', async () => {
    const tag = `imp-${marker()}`;
    // The 4th transaction of the worker fails: the crash comes after some candidates of a batch were written.
    await local('/_local/faults', { function: 'candidates-import-worker', command: 'TransactWriteItemsCommand', after: 3, times: 1 });
    await local('/_local/faults', { function: 'candidates-import-worker', command: 'UpdateItemCommand', after: 3, times: 1 });
    try {
      const job = await finished((await importCsv(`email,first name,last name,tags\n${rows(tag, 450)}\n`)).id, 30_000);
      expect(job).toMatchObject({ status: 'completed', total: 450, processed: 450, created: 450, updated: 0, skipped: 0, failed: 0 });
      expect((await firedFaults()).filter((f) => f.function === 'candidates-import-worker').map((f) => f.failed)).toEqual([1, 1]);
    } finally {
      await local('/_local/faults?function=candidates-import-worker', undefined, 'DELETE');
    }
    const people = await candidatesTagged(tag, 450);
    expect(new Set(people.map((p) => p.email)).size).toBe(450);
  });

  it('never duplicates anyone when the same file is imported twice at once', async () => {
    const tag = `imp-${marker()}`;
    const csv = `email,first name,last name,tags\n${rows(tag, 300)}\n`;
    const [a, b] = await Promise.all([importCsv(csv), importCsv(csv)]);
    const [first, second] = await Promise.all([finished(a.id), finished(b.id)]);
    expect(first.created + second.created).toBe(300);
    expect(first.skipped + second.skipped).toBe(300);
    expect(await candidatesTagged(tag, 300)).toHaveLength(300);
  });

  it.each([
    ['an empty file', '', 'The file is empty.'],
    ['a header without rows', 'email,first name\n', 'The file has a header row but no data rows.'],
    ['no email column', 'name,phone\nAda,123\n', 'No column holds the email address'],
    ['an unbalanced quote', 'email,name\n"a@example.com,Ada\nb@example.com,Bob\n', 'The file is not valid CSV'],
    ['UTF-16', Buffer.from('\uFEFFemail\na@example.com\n', 'utf16le'), 'UTF-16'],
    ['Latin-1', Buffer.from('email,city\nzoe@example.com,Montr\u00e9al\n', 'latin1'), 'not UTF-8'],
  ])('fails the import with a clear message for %s', async (_, body, message) => {
    if (body === '') {
      // An empty body is no file at all: refused at once.
      const response = await api('/imports', { method: 'POST', rawBody: '', headers: { 'content-type': 'text/csv' } });
      expect(response.status).toBe(400);
      return;
    }
    const job = await finished((await importCsv(body)).id);
    expect(job.status).toBe('failed');
    expect(job.error).toContain(message);
  });

  it('refuses a file in the body over 1 MB, pointing at the upload', async () => {
    const response = await api('/imports', { method: 'POST', rawBody: `email\n${'x'.repeat(1024 * 1024)}@example.com\n`, headers: { 'content-type': 'text/csv' } });
    expect(response.status).toBe(413);
    expect(response.body).toMatchObject({ detail: expect.stringContaining('upload') });
  });
});
