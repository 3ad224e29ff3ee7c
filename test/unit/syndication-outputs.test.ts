import { XMLParser, XMLValidator } from 'fast-xml-parser';
import { describe, expect, it } from 'vitest';
import { indeedFeed, jobPageHtml, jobPosting, jobsJson, sitemap } from '../../functions/syndication/domain/outputs.ts';
import type { Organisation } from '../../functions/syndication/domain/ports.ts';
import type { Job } from '../../functions/syndication/schemas.ts';

const org: Organisation = { name: 'Acme Robotics', url: 'https://acme.example.com', logoUrl: 'https://acme.example.com/logo.png' };
const links = { apiUrl: 'https://api.example.com', sitesUrl: 'https://careers.example.com' };
const builtAt = '2024-10-02T08:00:00.000Z';

const aJob = (overrides: Partial<Job> = {}): Job => {
  const slug = overrides.slug ?? 'senior-backend-engineer';
  return {
    id: 'job_01JABCDEFGHJKMNPQRSTVWXYZ0',
    slug,
    status: 'open',
    title: 'Senior Backend Engineer',
    description: '<p>Build <strong>serverless</strong> systems that help recruiters reach people.</p><ul><li>TypeScript</li><li>AWS</li></ul>',
    department: 'Engineering',
    requisitionId: 'REQ-2024-017',
    employmentTypes: ['FULL_TIME'],
    location: { type: 'onsite', address: { street: 'Friedrichstraße 1', city: 'Berlin', region: 'Berlin', postalCode: '10117', country: 'DE' } },
    salary: { currency: 'EUR', min: 50000, max: 70000, unit: 'YEAR' },
    skills: ['typescript', 'aws'],
    validThrough: '2024-12-31T23:59:59.000Z',
    url: `https://careers.example.com/jobs/${slug}/`,
    publishedAt: '2024-10-01T09:00:00.000Z',
    createdAt: '2024-09-30T12:00:00.000Z',
    updatedAt: '2024-10-01T09:00:00.000Z',
    version: 1,
    ...overrides,
  };
};
const onsiteJob = aJob();
const remoteJob = aJob({
  id: 'job_01JABCDEFGHJKMNPQRSTVWXYZ1',
  slug: 'data-engineer',
  url: 'https://careers.example.com/jobs/data-engineer/',
  title: 'Data Engineer',
  requisitionId: undefined,
  employmentTypes: ['FULL_TIME', 'CONTRACTOR'],
  location: { type: 'remote', applicantCountries: ['DE', 'PL'] },
  salary: undefined,
});
const hybridJob = aJob({
  id: 'job_01JABCDEFGHJKMNPQRSTVWXYZ2',
  slug: 'product-designer',
  url: 'https://careers.example.com/jobs/product-designer/',
  title: 'Product Designer',
  employmentTypes: ['PART_TIME'],
  location: { type: 'hybrid', address: { city: 'Warsaw', country: 'PL' }, applicantCountries: ['PL'] },
});

type Fields = Record<string, unknown>;
const parseFeed = (xml: string) => {
  expect(XMLValidator.validate(xml)).toBe(true);
  const { source } = new XMLParser({ parseTagValue: false }).parse(xml) as { source: Fields & { job: Fields | Fields[] } };
  return { source, jobs: ([] as Fields[]).concat(source.job) };
};
const expectFilled = (fields: Fields, names: string[]) => {
  for (const name of names) expect(String(fields[name] ?? '').trim(), name).not.toBe('');
};
const jsonLdOf = (html: string) => {
  const match = /<script type="application\/ld\+json">([\s\S]*?)<\/script>/.exec(html);
  expect(match).not.toBeNull();
  return JSON.parse(match![1]!) as Record<string, any>;
};

describe('the Indeed feed', () => {
  const { source, jobs } = parseFeed(indeedFeed([onsiteJob, remoteJob, hybridJob], org, builtAt));
  const [onsite, remote, hybrid] = jobs as [Fields, Fields, Fields];

  it('names the publisher and when it was built, as an RFC 1123 date', () => {
    expectFilled(source, ['publisher', 'publisherurl', 'lastBuildDate']);
    expect(source.lastBuildDate).toBe('Wed, 02 Oct 2024 08:00:00 GMT');
  });

  it('fills every field Indeed requires for each job', () => {
    expect(jobs).toHaveLength(3);
    for (const job of jobs) expectFilled(job, ['title', 'date', 'referencenumber', 'requisitionid', 'url', 'company', 'country', 'description', 'jobtype']);
  });

  it('gives an on-site job its address, salary and requisition id', () => {
    expectFilled(onsite, ['city', 'state', 'postalcode', 'streetaddress', 'salary', 'category', 'expirationdate']);
    expect(onsite).toMatchObject({ city: 'Berlin', country: 'DE', salary: 'EUR 50000 - 70000 per year', requisitionid: 'REQ-2024-017', referencenumber: onsiteJob.id });
    expect(onsite.date).toBe('Tue, 01 Oct 2024 09:00:00 GMT');
    expect(onsite.remotetype).toBeUndefined();
  });

  it('marks a remote job fully remote in its first applicant country, with the job id as requisition id', () => {
    expect(remote).toMatchObject({ remotetype: 'Fully remote', country: 'DE', requisitionid: remoteJob.id, jobtype: 'fulltime, contract' });
    expect(remote.city).toBeUndefined();
    expect(remote.salary).toBeUndefined();
  });

  it('marks a hybrid job hybrid remote and keeps its city', () => {
    expect(hybrid).toMatchObject({ remotetype: 'Hybrid remote', city: 'Warsaw', country: 'PL', jobtype: 'parttime' });
  });

  it('keeps the description HTML intact', () => {
    expect(onsite.description).toBe(onsiteJob.description);
  });

  it('leaves closed jobs out', () => {
    expect(parseFeed(indeedFeed([onsiteJob, aJob({ status: 'closed' })], org, builtAt)).jobs).toHaveLength(1);
  });

  it('stays well-formed when a title holds markup, an ampersand or the end of a CDATA section', () => {
    const title = 'C++ <b>&</b> Rust ]]> lead';
    const { jobs: [job] } = parseFeed(indeedFeed([aJob({ title })], { ...org, name: 'A&B <Co>' }, builtAt));
    expect(job).toMatchObject({ title, company: 'A&B <Co>' });
  });
});

describe('the JobPosting on a job page', () => {
  it('carries the fields Google requires and recommends for an on-site job', () => {
    const posting = jsonLdOf(jobPageHtml(onsiteJob, org, links));
    expect(posting).toMatchObject({
      '@context': 'https://schema.org',
      '@type': 'JobPosting',
      title: onsiteJob.title,
      description: onsiteJob.description,
      datePosted: onsiteJob.publishedAt,
      validThrough: onsiteJob.validThrough,
      employmentType: 'FULL_TIME',
      hiringOrganization: { '@type': 'Organization', name: org.name, sameAs: org.url, logo: org.logoUrl },
      jobLocation: { '@type': 'Place', address: { '@type': 'PostalAddress', addressLocality: 'Berlin', addressCountry: 'DE', postalCode: '10117' } },
      baseSalary: { '@type': 'MonetaryAmount', currency: 'EUR', value: { '@type': 'QuantitativeValue', minValue: 50000, maxValue: 70000, unitText: 'YEAR' } },
      identifier: { '@type': 'PropertyValue', name: org.name, value: 'REQ-2024-017' },
      directApply: true,
      url: onsiteJob.url,
    });
    expect(posting.jobLocationType).toBeUndefined();
  });

  it('marks a remote job TELECOMMUTE with the countries applicants may live in', () => {
    const posting = jsonLdOf(jobPageHtml(remoteJob, org, links));
    expect(posting).toMatchObject({
      jobLocationType: 'TELECOMMUTE',
      applicantLocationRequirements: [{ '@type': 'Country', name: 'DE' }, { '@type': 'Country', name: 'PL' }],
      employmentType: ['FULL_TIME', 'CONTRACTOR'],
      identifier: { value: remoteJob.id },
    });
    expect(posting.jobLocation).toBeUndefined();
    expect(posting.baseSalary).toBeUndefined();
  });

  it('gives a hybrid job both a place and TELECOMMUTE', () => {
    expect(jobPosting(hybridJob, org)).toMatchObject({ jobLocation: { address: { addressLocality: 'Warsaw' } }, jobLocationType: 'TELECOMMUTE' });
    const withoutCountries = aJob({ location: { type: 'hybrid', address: { city: 'Warsaw', country: 'PL' } } });
    expect(jobPosting(withoutCountries, org).jobLocationType).toBeUndefined();
  });

  it('falls back to the creation date when the job has no publication date', () => {
    expect(jobPosting(aJob({ publishedAt: undefined }), org).datePosted).toBe(onsiteJob.createdAt);
  });

  it('cannot be broken out of by a title that closes the script', () => {
    const title = '</script><script>alert(1)</script>';
    const html = jobPageHtml(aJob({ title }), org, links);
    expect(html).not.toContain('</script><script>alert');
    expect(jsonLdOf(html).title).toBe(title);
  });

  it('cannot be broken out of by a description that closes the script, even one that escaped sanitising', () => {
    const description = '<p>Hi</p></script><script>alert(1)</script>';
    const html = jobPageHtml(aJob({ description }), org, links);
    // The body shows the description as stored (sanitised on save); only the JSON-LD in the head is at stake here.
    expect(html.slice(0, html.indexOf('</head>'))).not.toContain('</script><script>alert');
    expect(jsonLdOf(html).description).toBe(description);
  });
});

describe('a job page', () => {
  const html = jobPageHtml(onsiteJob, org, links);

  it('is a complete HTML document with canonical, description and Open Graph tags', () => {
    expect(html).toMatch(/^<!doctype html>\n<html lang="en">/);
    expect(html).toContain('<meta name="viewport" content="width=device-width, initial-scale=1">');
    expect(html).toContain(`<link rel="canonical" href="${onsiteJob.url}">`);
    expect(html).toContain('<meta name="description" content="Build serverless systems that help recruiters reach people.');
    for (const property of ['og:title', 'og:description', 'og:url']) expect(html).toContain(`<meta property="${property}"`);
    expect(html).toContain('<meta property="og:type" content="website">');
    expect(html).toMatch(/<\/html>\n$/);
  });

  it('shows the facts of the job and an application form posting to the public API', () => {
    for (const text of ['Engineering', 'Berlin, Berlin, Germany', 'Full-time', 'typescript', '<strong>serverless</strong>']) expect(html).toContain(text);
    expect(html).toMatch(/<li>€50,000\s–\s€70,000 per year<\/li>/);
    expect(html).toContain(`<form id="apply" method="post" enctype="multipart/form-data" action="https://api.example.com/public/jobs/${onsiteJob.id}/applications"`);
    for (const name of ['firstName', 'lastName', 'email', 'phone', 'linkedin', 'coverLetter', 'cv']) expect(html).toMatch(new RegExp(`<label for="${name}">[\\s\\S]*?id="${name}" name="${name}"`));
    expect(html).toMatch(/<div class="hp" aria-hidden="true">.*name="website" type="text" tabindex="-1" autocomplete="off">/);
    for (const name of ['utm_source', 'utm_medium', 'utm_campaign', 'utm_content', 'utm_term']) expect(html).toContain(`<input type="hidden" name="${name}">`);
    expect(html).toContain('<p role="status" aria-live="polite" id="apply-status">');
  });

  it('says a closed job is closed and offers neither JSON-LD nor a form', () => {
    const closed = jobPageHtml(aJob({ status: 'closed' }), org, links);
    expect(closed).toContain('This job is closed and no longer accepts applications.');
    expect(closed).toContain(`<h1>${onsiteJob.title}</h1>`);
    expect(closed).not.toContain('application/ld+json');
    expect(closed).not.toContain('<form');
  });

  it('escapes a title holding markup', () => {
    const page = jobPageHtml(aJob({ title: 'Lead <b>&</b> "Mentor"' }), org, links);
    expect(page).toContain('<h1>Lead &lt;b&gt;&amp;&lt;/b&gt; &quot;Mentor&quot;</h1>');
    expect(page).not.toContain('<b>&');
  });

  it('weighs under 50 KB for a typical job', () => {
    expect(Buffer.byteLength(html)).toBeLessThan(50_000);
  });
});

describe('the application script', () => {
  const utmNames = ['utm_source', 'utm_medium', 'utm_campaign', 'utm_content', 'utm_term'];
  /** Runs the page's inline script against a stand-in form; `fields` are what the person typed. */
  const runScript = (search: string, session: Map<string, string>, fields: Record<string, string>, answer: Response) => {
    const script = /<script>([\s\S]*?)<\/script>/.exec(jobPageHtml(onsiteJob, org, links))![1]!;
    const elements = Object.fromEntries(utmNames.map((name) => [name, { value: '' }]));
    const status = { textContent: '' };
    const button = { disabled: false };
    let submit: (event: { preventDefault(): void }) => void = () => {};
    const form = { action: 'https://api.example.com/apply', elements, querySelector: () => button, reset() {}, addEventListener: (_: string, listener: typeof submit) => (submit = listener) };
    const sent: { url?: string; body?: FormData } = {};
    const formData = function () {
      const data = new FormData();
      for (const [name, value] of Object.entries({ ...fields, ...Object.fromEntries(utmNames.map((n) => [n, elements[n]!.value])) })) data.append(name, value);
      return data;
    };
    const fetch = async (url: string, init: { body: FormData }) => Object.assign(sent, { url, body: init.body }) && answer;
    const storage = { getItem: (key: string) => session.get(key) ?? null, setItem: (key: string, value: string) => session.set(key, value) };
    new Function('document', 'location', 'sessionStorage', 'fetch', 'FormData', script)(
      { getElementById: (id: string) => (id === 'apply' ? form : status) }, { search }, storage, fetch, formData,
    );
    return { elements, status, button, sent, submit: async () => { submit({ preventDefault() {} }); await new Promise((r) => setTimeout(r, 0)); } };
  };

  it('fills the utm fields from the address and remembers them for the next page', () => {
    const session = new Map<string, string>();
    const { elements } = runScript('?utm_source=linkedin&utm_campaign=spring', session, {}, new Response());
    expect(elements.utm_source!.value).toBe('linkedin');
    expect(runScript('', session, {}, new Response()).elements.utm_campaign!.value).toBe('spring');
  });

  it('posts the form without its blank fields and shows the message of the answer', async () => {
    const page = runScript('?utm_source=x', new Map(), { firstName: 'Ada', phone: '' }, Response.json({ message: 'Thanks, Ada!' }, { status: 202 }));
    await page.submit();
    expect(page.sent.url).toBe('https://api.example.com/apply');
    expect([...page.sent.body!.keys()]).toEqual(['firstName', 'utm_source']);
    expect(page.status.textContent).toBe('Thanks, Ada!');
    expect(page.button.disabled).toBe(false);
  });

  it('shows the detail and field errors of a problem', async () => {
    const problem = { detail: 'The application is invalid.', errors: [{ path: 'email', message: 'not an email address' }] };
    const page = runScript('', new Map(), { email: 'ada@' }, Response.json(problem, { status: 400 }));
    await page.submit();
    expect(page.status.textContent).toBe('The application is invalid.\nemail: not an email address');
  });
});

describe('jobs.json', () => {
  it('lists the open jobs as one schema.org graph', () => {
    const feed = JSON.parse(jobsJson([onsiteJob, remoteJob, aJob({ status: 'closed', id: 'job_01JABCDEFGHJKMNPQRSTVWXYZ9' })], org, builtAt));
    expect(feed).toMatchObject({ '@context': 'https://schema.org', generatedAt: builtAt });
    expect(feed['@graph'].map((p: Record<string, unknown>) => p.url)).toEqual([onsiteJob.url, remoteJob.url]);
    expect(feed['@graph'][0]).toMatchObject({ '@type': 'JobPosting', title: onsiteJob.title });
  });
});

describe('the sitemap', () => {
  it('lists each page with its last change and escapes ampersands', () => {
    const xml = sitemap([{ loc: 'https://careers.example.com/jobs/a/?x=1&y=2', lastmod: '2024-10-01' }, { loc: onsiteJob.url, lastmod: '2024-10-02' }]);
    expect(xml).toMatch(/^<\?xml version="1.0" encoding="utf-8"\?><urlset xmlns="http:\/\/www.sitemaps.org\/schemas\/sitemap\/0.9">/);
    expect(xml).toContain('<loc>https://careers.example.com/jobs/a/?x=1&amp;y=2</loc><lastmod>2024-10-01</lastmod>');
    expect(XMLValidator.validate(xml)).toBe(true);
  });
});
