import { XMLParser } from 'fast-xml-parser';
import { describe, expect, inject, it } from 'vitest';
import { api, eventually } from './helpers.ts';

const run = Date.now().toString(36);
let counter = 0;
const unique = (name: string) => `${name}-${run}-${++counter}`;
const aYearAhead = () => new Date(Date.now() + 365 * 86_400_000).toISOString();

const onsiteJob = (overrides: Record<string, unknown> = {}) => ({
  title: 'Platform Engineer',
  description: '<p>Run our <strong>platform</strong>.</p><script>alert(1)</script>',
  department: 'Engineering',
  requisitionId: unique('REQ'),
  employmentTypes: ['FULL_TIME'],
  location: { type: 'onsite', address: { street: 'Invalidenstr. 1', city: 'Berlin', postalCode: '10115', country: 'DE' } },
  salary: { currency: 'EUR', min: 60000, max: 80000, unit: 'YEAR' },
  skills: ['kubernetes', 'go'],
  validThrough: aYearAhead(),
  ...overrides,
});
const remoteJob = (overrides: Record<string, unknown> = {}) =>
  onsiteJob({ title: 'Remote Data Engineer', location: { type: 'remote', applicantCountries: ['DE', 'PL'] }, requisitionId: unique('REQ'), ...overrides });

interface Job { id: string; slug: string; url: string; status: string; title: string }

async function publishedJob(body: Record<string, unknown>): Promise<Job> {
  const created = await api('/jobs', { method: 'POST', body });
  expect(created.status).toBe(201);
  const job = created.body as Job;
  expect((await api(`/jobs/${job.id}/publish`, { method: 'POST' })).status).toBe(200);
  return job;
}

const sites = () => inject('sitesUrl');
const fetchText = async (url: string) => {
  const response = await fetch(url);
  return { status: response.status, text: await response.text() };
};
const indeedJobs = async (): Promise<Record<string, unknown>[]> => {
  const { text } = await fetchText(`${sites()}/feeds/indeed.xml`);
  const parsed = new XMLParser({ isArray: (name) => name === 'job' }).parse(text) as { source?: { job?: Record<string, unknown>[] } };
  return parsed.source?.job ?? [];
};
const jsonLdOf = (html: string) => {
  const match = /<script type="application\/ld\+json">([\s\S]*?)<\/script>/.exec(html);
  return match ? (JSON.parse(match[1]!) as Record<string, any>) : undefined;
};
const mailTo = async (to: string) =>
  ((await (await fetch(`${inject('apiUrl')}/_local/mail?to=${encodeURIComponent(to)}`)).json()) as { items: { subject: string; text: string }[] }).items;
const linkIn = (text: string) => /https?:\/\/\S+\/public\/confirm\/\S+/.exec(text)?.[0];

async function publishedSite(overrides: Record<string, unknown> = {}) {
  const pool = await api('/pools', { method: 'POST', body: { name: unique('community') } });
  const created = await api('/sites', {
    method: 'POST',
    body: {
      slug: unique('careers'),
      title: 'Engineering at Acme',
      heroText: 'Build the future with us.',
      jobs: { departments: ['Engineering'] },
      faq: [{ question: 'Do you offer visa sponsorship?', answer: 'Yes, we sponsor visas for every engineering job.' }],
      signup: { fields: ['phone'], consentText: 'Acme may keep my details to tell me about jobs.', consentVersion: 'v3', poolId: (pool.body as { id: string }).id },
      ...overrides,
    },
  });
  expect(created.status).toBe(201);
  const site = created.body as { id: string; slug: string; url: string; signup: { poolId: string } };
  expect((await api(`/sites/${site.id}/publish`, { method: 'POST' })).status).toBe(200);
  return site;
}

/** Search by email goes through the index the stream indexer keeps: it catches up within moments. */
async function candidateByEmail(email: string): Promise<Record<string, any>> {
  let found: Record<string, any> | undefined;
  await eventually(async () => {
    found = ((await api(`/candidates?q=${encodeURIComponent(email)}`)).body as { items: Record<string, any>[] }).items[0];
    expect(found).toBeDefined();
  });
  return found!;
}

/** The email guard is read strongly: creating a candidate with the address succeeds only if nobody has it. */
const unknownAddress = async (email: string) => (await api('/candidates', { method: 'POST', body: { email } })).status === 201;

const form = (fields: Record<string, string>) => ({ method: 'POST', rawBody: new URLSearchParams(fields).toString(), headers: { 'content-type': 'application/x-www-form-urlencoded' }, token: null });

describe('jobs', () => {
  it('a bad job names the field: no title, salary min over max, an unknown currency, a closing date in the past', async () => {
    const cases: [Record<string, unknown>, string][] = [
      [{ title: undefined }, 'body.title'],
      [{ salary: { currency: 'EUR', min: 90000, max: 60000, unit: 'YEAR' } }, 'body.salary.min'],
      [{ salary: { currency: 'XXY', min: 1, max: 2, unit: 'YEAR' } }, 'body.salary.currency'],
      [{ validThrough: '2020-01-01T00:00:00Z' }, 'body.validThrough'],
      [{ location: { type: 'remote' } }, 'body.location.applicantCountries'],
    ];
    for (const [overrides, path] of cases) {
      const response = await api('/jobs', { method: 'POST', body: onsiteJob(overrides) });
      expect(response.status, path).toBe(400);
      expect(response.headers.get('content-type')).toContain('application/problem+json');
      expect((response.body as { errors: { path: string }[] }).errors.map((e) => e.path)).toContain(path);
    }
  });

  it('a taken requisition id or slug answers 409, and the description is sanitised', async () => {
    const first = await api('/jobs', { method: 'POST', body: onsiteJob({ slug: unique('platform') }) });
    const job = first.body as Job & { requisitionId: string; description: string };
    expect(job.description).toBe('<p>Run our <strong>platform</strong>.</p>');
    expect(job.status).toBe('draft');
    const sameRequisition = await api('/jobs', { method: 'POST', body: onsiteJob({ requisitionId: job.requisitionId }) });
    expect(sameRequisition.status).toBe(409);
    expect(JSON.stringify(sameRequisition.body)).toContain('body.requisitionId');
    const sameSlug = await api('/jobs', { method: 'POST', body: onsiteJob({ slug: job.slug }) });
    expect(sameSlug.status).toBe(409);
  });

  it('a published job is in the Indeed feed, jobs.json and the sitemap, and its page carries valid JobPosting JSON-LD (on-site and remote)', async () => {
    const onsite = await publishedJob(onsiteJob());
    const remote = await publishedJob(remoteJob());
    // Other files publish jobs meanwhile, so the feed is read once, whole, when it has both.
    let feed: Record<string, unknown>[] = [];
    await eventually(async () => {
      feed = await indeedJobs();
      expect(feed.map((job) => job.referencenumber)).toEqual(expect.arrayContaining([onsite.id, remote.id]));
    });
    for (const job of [onsite, remote]) {
      const entry = feed.find((item) => item.referencenumber === job.id)!;
      for (const field of ['title', 'date', 'referencenumber', 'requisitionid', 'url', 'company', 'country', 'description', 'salary', 'jobtype']) {
        expect(String(entry[field] ?? ''), `${job.title}: ${field}`).not.toBe('');
      }
    }
    const onsiteEntry = feed.find((item) => item.referencenumber === onsite.id)!;
    expect(onsiteEntry).toMatchObject({ city: 'Berlin', postalcode: 10115, country: 'DE' });
    expect(onsiteEntry.url).toBe(`${onsite.url}?utm_source=indeed&utm_medium=job-board&utm_campaign=${onsite.slug}`);
    expect(feed.find((item) => item.referencenumber === remote.id)).toMatchObject({ remotetype: 'Fully remote' });

    const jobsJson = JSON.parse((await fetchText(`${sites()}/feeds/jobs.json`)).text) as { '@graph': { identifier: { value: string } }[] };
    expect(jobsJson['@graph'].length).toBeGreaterThanOrEqual(2);
    expect((await fetchText(`${sites()}/sitemap.xml`)).text).toContain(onsite.url);

    // The feed may list a job whose own render is next in line: its page follows within moments.
    let ld: Record<string, any> = {};
    await eventually(async () => {
      const page = await fetchText(onsite.url);
      expect(page.status).toBe(200);
      ld = jsonLdOf(page.text)!;
      expect(ld).toBeDefined();
    });
    expect(ld).toMatchObject({ '@type': 'JobPosting', title: 'Platform Engineer', directApply: true, employmentType: 'FULL_TIME' });
    for (const field of ['description', 'datePosted', 'validThrough', 'hiringOrganization', 'jobLocation', 'baseSalary', 'identifier']) expect(ld[field], field).toBeDefined();
    expect(ld.jobLocation.address.addressCountry).toBe('DE');
    let remoteLd: Record<string, any> | undefined;
    await eventually(async () => {
      remoteLd = jsonLdOf((await fetchText(remote.url)).text);
      expect(remoteLd).toBeDefined();
    });
    expect(remoteLd).toMatchObject({ jobLocationType: 'TELECOMMUTE', applicantLocationRequirements: [{ '@type': 'Country', name: 'DE' }, { '@type': 'Country', name: 'PL' }] });
  });

  it('a closed job leaves the feeds, its page says so without JSON-LD, and applying answers 410', async () => {
    const job = await publishedJob(onsiteJob());
    await eventually(async () => expect((await indeedJobs()).map((item) => item.referencenumber)).toContain(job.id));
    expect((await api(`/jobs/${job.id}/close`, { method: 'POST' })).body).toMatchObject({ status: 'closed' });
    await eventually(async () => expect((await indeedJobs()).map((item) => item.referencenumber)).not.toContain(job.id));
    const page = await fetchText(job.url);
    expect(page.text).toContain('This job is closed');
    expect(jsonLdOf(page.text)).toBeUndefined();
    expect((await fetchText(`${sites()}/sitemap.xml`)).text).not.toContain(job.url);
    const apply = await api(`/public/jobs/${job.id}/applications`, { method: 'POST', body: { email: `${unique('late')}@example.com`, firstName: 'Late', lastName: 'Comer' }, token: null });
    expect(apply.status).toBe(410);
  });

  it('share links carry UTM per channel, and the values travel from the landing page to the application and the candidate source', async () => {
    const job = await publishedJob(remoteJob());
    const share = await api(`/jobs/${job.id}/share?sources=newsletter`);
    const items = (share.body as { items: { channel: string; url: string; shareUrl?: string; utm: Record<string, string> }[] }).items;
    expect(items.map((item) => item.channel)).toEqual(['linkedin', 'x', 'facebook', 'email', 'indeed', 'newsletter']);
    const linkedin = items.find((item) => item.channel === 'linkedin')!;
    expect(linkedin.shareUrl).toContain('linkedin.com/sharing/share-offsite/?url=');
    const landing = new URL(linkedin.url);
    expect(landing.pathname).toBe(new URL(job.url).pathname);
    // What the page's script sends: the landing URL's UTM values as form fields.
    const email = `${unique('utm')}@example.com`;
    const fields = { email, firstName: 'Uma', lastName: 'Tam', ...Object.fromEntries([...landing.searchParams].filter(([name]) => name.startsWith('utm_'))) };
    const applied = await api(`/public/jobs/${job.id}/applications`, form(fields));
    expect(applied.status).toBe(202);
    const candidate = await candidateByEmail(email);
    expect(candidate.source).toMatchObject({ type: 'career-site', utm: { source: 'linkedin', medium: 'social', campaign: job.slug } });
    const application = await api(`/applications/${candidate.applications[0]!.id}`);
    expect(application.body).toMatchObject({ jobId: job.id, status: 'applied', utm: { source: 'linkedin', medium: 'social', campaign: job.slug } });
  });
});

describe('applications from the job page', () => {
  const multipart = (fields: Record<string, string>, cv?: { bytes: Buffer; name: string; type: string }) => {
    const body = new FormData();
    for (const [name, value] of Object.entries(fields)) body.set(name, value);
    if (cv) body.set('cv', new Blob([cv.bytes], { type: cv.type }), cv.name);
    return body;
  };
  const post = (jobId: string, body: FormData) => fetch(`${inject('apiUrl')}/public/jobs/${jobId}/applications`, { method: 'POST', body });

  it('an application with a PDF CV creates the candidate, records the application with its CV and sends the acknowledgement at once', async () => {
    const job = await publishedJob(onsiteJob());
    const email = `${unique('grace')}@example.com`;
    const response = await post(job.id, multipart({ email, firstName: 'Grace', lastName: 'Hopper' }, { bytes: Buffer.from('%PDF-1.4 a CV'), name: 'grace.pdf', type: 'application/pdf' }));
    expect(response.status).toBe(202);
    const [ack] = await mailTo(email);
    expect(ack!.subject).toBe('We received your application: Platform Engineer');
    expect(ack!.text).toContain('Hi Grace');
    expect(ack!.text).toContain('What happens next');
    const candidate = await candidateByEmail(email);
    expect(candidate.status).toBe('active');
    const application = await api(`/applications/${candidate.applications[0]!.id}`);
    expect(application.body).toMatchObject({ jobId: job.id, cv: { fileName: 'grace.pdf', contentType: 'application/pdf', size: 13 } });
    const cv = await api(`/applications/${candidate.applications[0]!.id}/cv`);
    expect(cv.body).toBe('%PDF-1.4 a CV');

    // The same submission again (a double click) adds nothing.
    expect((await post(job.id, multipart({ email, firstName: 'Grace', lastName: 'Hopper' }))).status).toBe(202);
    await new Promise((resolve) => setTimeout(resolve, 300));
    expect((await candidateByEmail(email)).applications).toHaveLength(1);
  });

  it('a CV over 5 MB answers 413 and one that is not a PDF or DOCX 415; nothing is stored', async () => {
    const job = await publishedJob(onsiteJob());
    const email = `${unique('big')}@example.com`;
    const big = await post(job.id, multipart({ email, firstName: 'Big', lastName: 'File' }, { bytes: Buffer.concat([Buffer.from('%PDF-'), Buffer.alloc(5 * 1024 * 1024)]), name: 'cv.pdf', type: 'application/pdf' }));
    expect(big.status).toBe(413);
    const text = await post(job.id, multipart({ email, firstName: 'Big', lastName: 'File' }, { bytes: Buffer.from('just text'), name: 'cv.pdf', type: 'application/pdf' }));
    expect(text.status).toBe(415);
    expect(await unknownAddress(email)).toBe(true);
  });

  it('a filled honeypot answers 202 and stores nothing; an existing address gets the same answer and its profile is left alone', async () => {
    const job = await publishedJob(onsiteJob());
    const bot = `${unique('bot')}@example.com`;
    expect((await api(`/public/jobs/${job.id}/applications`, form({ email: bot, firstName: 'B', lastName: 'Ot', website: 'http://spam.example' }))).status).toBe(202);
    expect(await unknownAddress(bot)).toBe(true);
    expect(await mailTo(bot)).toEqual([]);

    const known = `${unique('known')}@example.com`;
    await api('/candidates', { method: 'POST', body: { email: known, firstName: 'Real', lastName: 'Name' } });
    const again = await api(`/public/jobs/${job.id}/applications`, form({ email: known, firstName: 'Someone', lastName: 'Else' }));
    expect(again.status).toBe(202);
    await eventually(async () => {
      const candidate = await candidateByEmail(known);
      expect(candidate.firstName).toBe('Real');
      expect(candidate.applications).toHaveLength(1);
    });
  });
});

describe('micro sites and the talent community', () => {
  it('a published site lists the matching open jobs and answers from its FAQ, honestly when it does not know', async () => {
    const job = await publishedJob(onsiteJob({ title: 'Site Reliability Engineer' }));
    const other = await publishedJob(onsiteJob({ title: 'Office Manager', department: 'Operations' }));
    const site = await publishedSite();
    await eventually(async () => {
      const page = await fetchText(site.url);
      expect(page.text).toContain(job.url);
      expect(page.text).not.toContain(other.url);
    });
    const answer = await api(`/public/sites/${site.slug}/ask`, form({ question: 'Can you sponsor my visa?' }));
    expect(answer.body).toMatchObject({ answered: true, answer: 'Yes, we sponsor visas for every engineering job.' });
    const unknown = await api(`/public/sites/${site.slug}/ask`, form({ question: 'What is the capital of Peru?' }));
    expect(unknown.body).toMatchObject({ answered: false, jobs: [] });
  });

  it('sign-up is double opt-in: nothing until the link is followed, then consent, pool and a welcome email; the link works once', async () => {
    const site = await publishedSite();
    const email = `${unique('ada')}@example.com`;
    const signup = await api(`/public/sites/${site.slug}/signups`, { ...form({ email, firstName: 'Ada', lastName: 'Lovelace', phone: '+49 30 123456', consent: 'on', utm_source: 'meetup' }), headers: { 'content-type': 'application/x-www-form-urlencoded', origin: sites() } });
    expect(signup.status).toBe(202);
    expect(signup.headers.get('access-control-allow-origin')).toBe(sites());
    expect(((await api(`/candidates?q=${encodeURIComponent(email)}`)).body as { items: unknown[] }).items).toEqual([]);

    const [confirmation] = await mailTo(email);
    const link = linkIn(confirmation!.text)!;
    // A GET (a mail scanner following the link) only shows the button.
    const page = await fetchText(link);
    expect(page.text).toContain('Confirm your sign-up');
    const confirmed = await fetch(link, { method: 'POST' });
    expect(confirmed.status).toBe(200);
    expect(await confirmed.text()).toContain('Thank you!');
    const candidate = await candidateByEmail(email);
    expect(candidate).toMatchObject({ firstName: 'Ada', phone: '+49 30 123456', pools: [site.signup.poolId], source: { type: 'career-site', utm: { source: 'meetup' } } });
    expect(candidate.consents).toEqual(
      expect.arrayContaining([expect.objectContaining({ purpose: 'talent-community', granted: true, textVersion: 'v3', source: 'signup-form', recordedAt: expect.any(String), expiresAt: expect.any(String) })]),
    );
    expect((await mailTo(email)).map((mail) => mail.subject)).toContain('Welcome to Engineering at Acme');

    const replay = await fetch(link, { method: 'POST' });
    expect(await replay.text()).toContain('Already confirmed');
    const forged = await fetch(`${link.slice(0, -3)}abc`, { method: 'POST' });
    expect(forged.status).toBe(400);
    expect(await forged.text()).toContain('This link does not work');
  });

  it('signing up again within the hour sends no second confirmation, and a known member keeps their status', async () => {
    const site = await publishedSite();
    const email = `${unique('again')}@example.com`;
    await api('/candidates', { method: 'POST', body: { email, firstName: 'Known', status: 'hired' } });
    for (let i = 0; i < 2; i++) expect((await api(`/public/sites/${site.slug}/signups`, form({ email, firstName: 'Known', lastName: 'Person', consent: 'on' }))).status).toBe(202);
    const mails = await mailTo(email);
    expect(mails).toHaveLength(1);
    await fetch(linkIn(mails[0]!.text)!, { method: 'POST' });
    await eventually(async () => {
      const candidate = await candidateByEmail(email);
      expect(candidate.pools).toContain(site.signup.poolId);
      expect(candidate.status).toBe('hired');
    });
  });

  it('a sign-up without consent, with a bad email, or to an unknown site is refused; a filled honeypot is accepted and dropped; another origin gets no CORS', async () => {
    const site = await publishedSite();
    const noConsent = await api(`/public/sites/${site.slug}/signups`, form({ email: `${unique('nc')}@example.com`, firstName: 'No', lastName: 'Consent' }));
    expect(noConsent.status).toBe(400);
    expect(JSON.stringify(noConsent.body)).toContain('body.consent');
    const badEmail = await api(`/public/sites/${site.slug}/signups`, form({ email: 'not-an-email', firstName: 'Bad', lastName: 'Email', consent: 'on' }));
    expect(JSON.stringify(badEmail.body)).toContain('body.email');
    expect((await api(`/public/sites/${unique('nowhere')}/signups`, form({ email: 'a@example.com', firstName: 'A', lastName: 'B', consent: 'on' }))).status).toBe(404);
    const bot = `${unique('bot')}@example.com`;
    const honeypot = await api(`/public/sites/${site.slug}/signups`, { ...form({ email: bot, firstName: 'B', lastName: 'Ot', consent: 'on', website: 'x' }), headers: { 'content-type': 'application/x-www-form-urlencoded', origin: 'https://evil.example' } });
    expect(honeypot.status).toBe(202);
    expect(honeypot.headers.get('access-control-allow-origin')).toBeNull();
    expect(await mailTo(bot)).toEqual([]);
    // A bot that also gets the fields wrong learns nothing from a validation error.
    const sloppyBot = await api(`/public/sites/${site.slug}/signups`, form({ email: 'not-an-email', website: 'x' }));
    expect(sloppyBot.status).toBe(202);
    const sloppyApplicant = await api(`/public/jobs/${(await publishedJob(onsiteJob())).id}/applications`, form({ email: 'nope', website: 'x' }));
    expect(sloppyApplicant.status).toBe(202);
  });

  it('an unpublished site says it is gone and takes no sign-ups', async () => {
    const site = await publishedSite();
    const sites = await api('/sites');
    expect((sites.body as { items: { id: string }[] }).items.map((s) => s.id)).toContain(site.id);
    expect((await api(`/sites/${site.id}/unpublish`, { method: 'POST' })).body).toMatchObject({ status: 'draft' });
    // A render of the job pages that was under way may land a moment later; it then puts the notice back itself.
    await eventually(async () => expect((await fetchText(site.url)).text).toContain('no longer available'), 10_000);
    expect((await api(`/public/sites/${site.slug}/signups`, form({ email: 'a@example.com', firstName: 'A', lastName: 'B', consent: 'on' }))).status).toBe(404);
  });
});
