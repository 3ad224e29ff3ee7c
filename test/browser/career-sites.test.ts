import { existsSync } from 'node:fs';
import { mkdir, mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { chromium, type Browser, type BrowserContext, type Page } from 'playwright-core';
import { afterAll, afterEach, beforeAll, describe, expect, inject, it } from 'vitest';
import type * as z from 'zod';
import type { Application, Candidate } from '../../functions/candidates/schemas.ts';
import type { CreateJob, CreateSite, Job, ShareLinks, Site } from '../../functions/syndication/schemas.ts';
import { api, eventually } from '../integration/helpers.ts';

type Mail = { to: string[]; subject: string; text: string };

const CHROMIUM = '/usr/bin/chromium';
// Never a downloaded browser: the system Chromium, which CI installs.
const missingBrowser = existsSync(CHROMIUM) ? undefined : `no Chromium at ${CHROMIUM}`;
const SCREENSHOTS = resolve('test-results');
const run = Date.now();
let people = 0;
const anEmail = () => `visitor-${run}-${++people}@example.com`;

const aJob = (): z.input<typeof CreateJob> => ({
  title: `Platform Engineer ${run}`,
  description: '<p>Run our platform.</p>',
  department: 'Engineering',
  requisitionId: `REQ-${run}`,
  employmentTypes: ['FULL_TIME'],
  location: { type: 'onsite', address: { street: 'Invalidenstr. 1', city: 'Berlin', postalCode: '10115', country: 'DE' } },
  salary: { currency: 'EUR', min: 60_000, max: 80_000, unit: 'YEAR' },
  skills: ['kubernetes'],
  validThrough: new Date(Date.now() + 365 * 86_400_000).toISOString(),
});

const aSite = (poolId: string): z.input<typeof CreateSite> => ({
  slug: `engineering-${run}`,
  title: 'Engineering at Talent Relay',
  heroText: 'Build the platform recruiters rely on.',
  jobs: { departments: ['Engineering'] },
  faq: [{ question: 'Do you sponsor visas?', answer: 'Yes, for every engineering role.' }],
  signup: { fields: ['phone'], consentText: 'Email me about jobs that fit me.', consentVersion: 'v1', poolId },
});

async function created<T>(path: string, body: unknown): Promise<T> {
  const response = await api(path, { method: 'POST', body });
  expect(response.status, JSON.stringify(response.body)).toBe(201);
  return response.body as T;
}

/** Opens the job; its page is written by the publisher, which consumes the publish event. */
async function publishedJob(): Promise<Job> {
  const draft = await created<Job>('/jobs', aJob());
  const published = await api(`/jobs/${draft.id}/publish`, { method: 'POST' });
  expect(published.status).toBe(200);
  const job = published.body as Job;
  await eventually(async () => expect(await (await fetch(job.url)).text()).toContain('application/ld+json'), 30_000);
  return job;
}

async function mailTo(address: string): Promise<Mail[]> {
  const response = await fetch(`${inject('apiUrl')}/_local/mail?to=${encodeURIComponent(address)}`);
  return ((await response.json()) as { items: Mail[] }).items;
}

/** The one candidate with this address, once the search index has them. */
async function candidateByEmail(email: string): Promise<Candidate> {
  let found: Candidate[] = [];
  await eventually(async () => {
    found = ((await api(`/candidates?q=${encodeURIComponent(email)}`)).body as { items: Candidate[] }).items;
    expect(found.map((c) => c.email)).toEqual([email]);
  }, 30_000);
  return found[0]!;
}

async function screenshot(page: Page, name: string) {
  await mkdir(SCREENSHOTS, { recursive: true });
  const path = join(SCREENSHOTS, name);
  await page.screenshot({ path, fullPage: true });
  console.log(`screenshot: ${path}`);
}

describe.skipIf(missingBrowser)(`career sites in a browser${missingBrowser ? ` (skipped: ${missingBrowser})` : ''}`, () => {
  let browser: Browser;
  let job: Job;
  let poolId: string;
  let cvDir: string;
  const contexts: BrowserContext[] = [];

  /** A fresh visitor: own cookies and session storage, so UTM values kept by one test never reach another. */
  async function visitor(): Promise<Page> {
    const context = await browser.newContext();
    contexts.push(context);
    return context.newPage();
  }

  beforeAll(async () => {
    browser = await chromium.launch({
      executablePath: CHROMIUM,
      args: ['--headless', '--no-sandbox', '--disable-gpu', '--no-first-run', '--disable-background-networking', '--disable-component-update', '--disable-sync'],
    });
    cvDir = await mkdtemp(join(tmpdir(), 'talent-relay-cv-'));
    poolId = (await created<{ id: string }>('/pools', { name: `Engineering community ${run}` })).id;
    job = await publishedJob();
  });

  afterEach(async () => {
    await Promise.all(contexts.splice(0).map((context) => context.close()));
  });

  afterAll(async () => {
    await browser?.close();
    if (cvDir) await rm(cvDir, { recursive: true, force: true });
  });

  it("lets a visitor of a published micro site see its open jobs, join the talent community, confirm by email and land in the site's pool with the consent version shown", async () => {
    const site = await created<Site>('/sites', aSite(poolId));
    expect((await api(`/sites/${site.id}/publish`, { method: 'POST' })).status).toBe(200);
    const email = anEmail();
    const page = await visitor();

    expect((await page.goto(site.url))?.status()).toBe(200);
    expect(await page.locator(`.jobs a[href="${job.url}"]`).textContent()).toBe(job.title);
    const signup = page.locator('#signup');
    await signup.getByLabel('First name', { exact: true }).fill('Ada');
    await signup.getByLabel('Last name', { exact: true }).fill('Lovelace');
    await signup.getByLabel('Email', { exact: true }).fill(email);
    await signup.getByLabel('Phone', { exact: true }).fill('+49 30 1234567');
    await signup.getByLabel(site.signup.consentText).check();
    await signup.getByRole('button', { name: 'Join' }).click();
    const status = page.locator('#signup-status');
    await eventually(async () => expect(await status.textContent()).toBe('Thanks! Please check your inbox and confirm your address to join.'), 15_000);
    await screenshot(page, 'career-site.png');

    let confirmation: Mail | undefined;
    await eventually(async () => {
      confirmation = (await mailTo(email)).find((mail) => mail.subject === `Please confirm: join ${site.title}`);
      expect(confirmation).toBeDefined();
    });
    const link = confirmation!.text.match(/\S+\/public\/confirm\/\S+/)?.[0];
    expect(link?.startsWith(`${inject('apiUrl')}/public/confirm/`), confirmation!.text).toBe(true);
    expect((await page.goto(link!))?.status()).toBe(200);
    expect(await page.locator('h1').textContent()).toBe('Confirm your sign-up');
    await page.getByRole('button', { name: 'Confirm and join' }).click();
    await page.waitForSelector('h1:text("Thank you!")');

    const candidate = await candidateByEmail(email);
    expect(candidate).toMatchObject({ firstName: 'Ada', lastName: 'Lovelace', source: { type: 'career-site' } });
    expect(candidate.pools).toContain(poolId);
    expect(candidate.consents).toContainEqual(expect.objectContaining({ purpose: 'talent-community', granted: true, textVersion: 'v1' }));
  });

  it('credits an application sent with a CV from the job page, reached through a tracked LinkedIn link, to LinkedIn on the candidate and the application', async () => {
    const share = (await api(`/jobs/${job.id}/share`)).body as z.output<typeof ShareLinks>;
    const linkedin = share.items.find((item) => item.channel === 'linkedin')!;
    expect(linkedin.utm).toEqual({ source: 'linkedin', medium: 'social', campaign: job.slug });
    expect(linkedin.url.startsWith(`${inject('sitesUrl')}/`)).toBe(true);
    const cv = join(cvDir, 'cv.pdf');
    const pdf = '%PDF-1.4\n1 0 obj <<>> endobj\ntrailer <<>>\n%%EOF\n';
    await writeFile(cv, pdf);
    const email = anEmail();
    const page = await visitor();

    expect((await page.goto(linkedin.url))?.status()).toBe(200);
    const form = page.locator('#apply');
    await form.getByLabel('First name', { exact: true }).fill('Grace');
    await form.getByLabel('Last name', { exact: true }).fill('Hopper');
    await form.getByLabel('Email', { exact: true }).fill(email);
    await form.locator('input[name="cv"]').setInputFiles(cv);
    await form.getByRole('button', { name: 'Send application' }).click();
    const status = page.locator('#apply-status');
    await eventually(async () => expect(await status.textContent()).toBe('Thanks! Your application has been received; a confirmation is on its way to your inbox.'), 15_000);
    await screenshot(page, 'job-page.png');

    await eventually(async () => expect((await mailTo(email)).map((mail) => mail.subject)).toContain(`We received your application: ${job.title}`));
    const candidate = await candidateByEmail(email);
    expect(candidate.source.utm).toEqual(linkedin.utm);
    expect(candidate.applications).toHaveLength(1);
    const application = (await api(`/applications/${candidate.applications[0]!.id}`)).body as Application;
    expect(application).toMatchObject({ jobId: job.id, utm: linkedin.utm, cv: { fileName: 'cv.pdf', contentType: 'application/pdf', size: pdf.length } });
  });

  it("describes an open job to search engines as a schema.org JobPosting in the page's JSON-LD", async () => {
    const page = await visitor();

    expect((await page.goto(job.url))?.status()).toBe(200);
    const posting = JSON.parse((await page.locator('script[type="application/ld+json"]').textContent()) ?? '');
    expect(posting).toMatchObject({
      '@context': 'https://schema.org',
      '@type': 'JobPosting',
      title: job.title,
      description: job.description,
      datePosted: job.publishedAt,
      validThrough: job.validThrough,
      employmentType: 'FULL_TIME',
      hiringOrganization: { name: 'Talent Relay' },
      jobLocation: { address: { addressCountry: 'DE' } },
      baseSalary: { currency: 'EUR' },
      identifier: { value: job.requisitionId },
      directApply: true,
    });
  });
});
