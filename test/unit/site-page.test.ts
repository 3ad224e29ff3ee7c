import { describe, expect, it } from 'vitest';
import { jobsForSite, sitePageHtml, unpublishedPageHtml, type SiteLinks } from '../../functions/syndication/domain/site-page.ts';
import type { Job, Site } from '../../functions/syndication/schemas.ts';
import { aJob, aSite } from '../fixtures/builders.ts';

const org = { name: 'Acme', url: 'https://acme.example.com' };
const links: SiteLinks = { apiUrl: 'https://api.example.com', sitesUrl: 'https://sites.example.com' };
const page = (site: Partial<Site> = {}, jobs: Job[] = [aJob()]) => sitePageHtml(aSite(site), jobs, org, links);
const titles = (jobs: Job[]) => jobs.map((job) => job.title);

describe('the jobs a site shows', () => {
  const berlin = aJob({ title: 'Berlin', department: 'Engineering', skills: ['typescript'] });
  const hybrid = aJob({ title: 'Hybrid', department: 'Sales', skills: ['negotiation'], location: { type: 'hybrid', address: { city: 'Warsaw', country: 'PL' } } });
  const remote = aJob({ title: 'Remote', department: 'Data', skills: ['sql', 'python'], location: { type: 'remote', applicantCountries: ['ES', 'PT'] } });
  const all = [berlin, hybrid, remote];

  it('are every open job when the site sets no filter, and never a draft or closed one', () => {
    expect(titles(jobsForSite({ jobs: {} }, [...all, aJob({ title: 'Draft', status: 'draft' }), aJob({ title: 'Closed', status: 'closed' })]))).toEqual(['Berlin', 'Hybrid', 'Remote']);
  });

  it('are those in one of the site departments, whatever the case', () => {
    expect(titles(jobsForSite({ jobs: { departments: ['engineering', 'Data'] } }, all))).toEqual(['Berlin', 'Remote']);
  });

  it('are those sharing any one skill with the site', () => {
    expect(titles(jobsForSite({ jobs: { skills: ['python', 'negotiation'] } }, all))).toEqual(['Hybrid', 'Remote']);
  });

  it('match a country by the office address or by the countries remote applicants may live in', () => {
    expect(titles(jobsForSite({ jobs: { countries: ['PL'] } }, all))).toEqual(['Hybrid']);
    expect(titles(jobsForSite({ jobs: { countries: ['PT'] } }, all))).toEqual(['Remote']);
  });

  it('are remote and hybrid jobs for a remote site, and on-site ones otherwise', () => {
    expect(titles(jobsForSite({ jobs: { remote: true } }, all))).toEqual(['Hybrid', 'Remote']);
    expect(titles(jobsForSite({ jobs: { remote: false } }, all))).toEqual(['Berlin']);
  });

  it('must match every filter the site sets', () => {
    expect(titles(jobsForSite({ jobs: { remote: true, countries: ['PL', 'DE'] } }, all))).toEqual(['Hybrid']);
  });
});

describe('the site page', () => {
  it('is an accessible HTML5 document with a canonical address, landmarks and a skip link', () => {
    const html = page();
    expect(html).toMatch(/^<!doctype html>\n<html lang="en">/);
    expect(html).toContain('<meta name="viewport" content="width=device-width, initial-scale=1">');
    expect(html).toContain('<title>Engineering in Berlin</title>');
    expect(html).toContain('<meta name="description" content="Build the tools recruiters love.">');
    expect(html).toContain('<link rel="canonical" href="https://sites.example.com/sites/engineering-berlin/">');
    expect(html).toContain('<a class="skip" href="#main">');
    expect(html).toMatch(/<header>[\s\S]*<main id="main"[\s\S]*<footer>/);
    expect(html).toContain('@media (prefers-reduced-motion:reduce)');
    expect(html).toContain(':focus-visible{');
    expect(html).toContain('<img src="https://cdn.example.com/logo.png" alt="Acme"');
  });

  it('keeps its headings in order: one h1, then h2 sections, then h3 jobs', () => {
    const levels = [...page().matchAll(/<h([1-6])\b/g)].map((m) => Number(m[1]));
    expect(levels[0]).toBe(1);
    expect(levels.every((level, i) => i === 0 || level <= levels[i - 1]! + 1)).toBe(true);
  });

  it('escapes a hostile hero text and FAQ in the body and in attributes', () => {
    const hostile = '<script>alert("x")</script>';
    const html = page({ heroText: hostile, faq: [{ question: `Q ${hostile}`, answer: `A "${hostile}"` }] });
    expect(html).not.toContain('<script>alert');
    expect(html).toContain('<meta name="description" content="&lt;script&gt;alert(&quot;x&quot;)&lt;/script&gt;">');
    expect(html).toContain('<summary>Q &lt;script&gt;alert(&quot;x&quot;)&lt;/script&gt;</summary>');
    expect(html.match(/<script>/g)).toHaveLength(1);
  });

  it('lists each job with its link, department, location and employment types', () => {
    const html = page({}, [
      aJob(),
      aJob({ title: 'Data Analyst', department: 'Data', location: { type: 'remote', applicantCountries: ['DE', 'PL'] }, employmentTypes: ['PART_TIME', 'CONTRACTOR'] }),
      aJob({ title: 'Designer', department: undefined, location: { type: 'hybrid', address: { city: 'Berlin', country: 'DE' } } }),
    ]);
    expect(html).toContain('<a href="https://jobs.example.com/jobs/backend-engineer/">Backend Engineer</a></h3><p class="meta">Engineering · Berlin, DE · Full-time</p>');
    expect(html).toContain('<p class="meta">Data · Remote (DE, PL) · Part-time, Contract</p>');
    expect(html).toContain('<p class="meta">Hybrid · Berlin, DE · Full-time</p>');
  });

  it('says there are no open jobs when none matches', () => {
    expect(page({}, [])).toContain('There are no open jobs here right now.');
  });

  it('shows the FAQ as disclosure widgets', () => {
    expect(page()).toContain('<details><summary>Do you offer visa sponsorship?</summary><p class="answer">Yes, for every engineering role.</p></details>');
  });

  it('labels every input that has an id', () => {
    const html = page({ signup: { ...aSite().signup, fields: ['phone', 'location', 'headline', 'linkedin', 'skills'] } });
    const ids = [...html.matchAll(/<input id="([^"]+)"/g)].map((m) => m[1]);
    expect(ids.length).toBeGreaterThan(10);
    for (const id of ids) expect(html).toContain(`<label for="${id}">`);
  });

  it('asks first name, last name, email and consent as required, and only the extra fields the site configures', () => {
    const html = page({ signup: { ...aSite().signup, fields: ['phone', 'location'] } });
    for (const name of ['firstName', 'lastName', 'email', 'consent']) expect(html).toMatch(new RegExp(`<input id="${name}" name="${name}" [^>]*required`));
    expect(html).toContain('name="phone" type="tel"');
    expect(html).toContain('name="city" type="text"');
    expect(html).toContain('name="country" type="text"');
    for (const absent of ['headline', 'linkedin', 'skills']) expect(html).not.toContain(`name="${absent}"`);
  });

  it('shows the consent text as the label of the consent box', () => {
    expect(page()).toContain('<input id="consent" name="consent" type="checkbox" required> <label for="consent">I agree that Acme may email me about jobs.</label>');
  });

  it('posts the sign-up form to the API and reports its outcome in a live status', () => {
    const html = page();
    expect(html).toContain('<form id="signup" method="post" action="https://api.example.com/public/sites/engineering-berlin/signups">');
    expect(html).toContain('<p role="status" aria-live="polite" id="signup-status"></p>');
    for (const utm of ['utm_source', 'utm_medium', 'utm_campaign', 'utm_content', 'utm_term']) expect(html).toContain(`<input type="hidden" name="${utm}">`);
  });

  it('hides the honeypot from people and assistive technology in both forms', () => {
    const traps = page().match(/<div class="trap" aria-hidden="true">.*?<\/div>/g) ?? [];
    expect(traps).toHaveLength(2);
    for (const trap of traps) expect(trap).toMatch(/<input id="(ask|signup)-website" name="website" type="text" tabindex="-1" autocomplete="off">/);
  });

  it('puts only the two API addresses into its script, as JSON with < escaped', () => {
    const html = sitePageHtml(aSite(), [], org, { ...links, apiUrl: 'https://api.example.com/</script><script>alert(1)' });
    const script = html.slice(html.indexOf('<script>') + 8, html.indexOf('</script>'));
    expect(html.match(/<script>/g)).toHaveLength(1);
    expect(script).toContain('"https://api.example.com/\\u003c/script>\\u003cscript>alert(1)/public/sites/engineering-berlin/ask"');
    expect(() => new Function(script)).not.toThrow();
  });

  it('asks questions through a form whose answer lands in a live region', () => {
    const html = page();
    expect(html).toContain('<form id="ask" method="post" action="https://api.example.com/public/sites/engineering-berlin/ask">');
    expect(html).toContain('<input id="question" name="question" type="text" required');
    expect(html).toContain('<div id="ask-answer" aria-live="polite"></div>');
    expect(html).not.toContain('innerHTML');
  });

  it.each([
    ['near-black', '#f5d90a', '#111111'],
    ['white', '#1f2a6b', '#ffffff'],
  ])('writes %s button text on a primary of %s', (_, primary, onPrimary) => {
    expect(page({ colours: { primary, background: '#ffffff', text: '#1a1a1a' } })).toContain(`:root{--primary:${primary};--bg:#ffffff;--text:#1a1a1a;--on-primary:${onPrimary}}`);
  });

  it('falls back to the default colours when one is not #rrggbb, so nothing else reaches the CSS', () => {
    const html = page({ colours: { primary: 'red}</style><script>x()</script>', background: '#fff', text: '#1a1a1a' } });
    expect(html).toContain(':root{--primary:#2952cc;--bg:#ffffff;');
    expect(html).not.toContain('x()');
  });

  it('links the organisation in the footer', () => {
    expect(page()).toMatch(/<footer>.*<a href="https:\/\/acme\.example\.com">Acme<\/a>/);
  });

  it('stays well under 50 KB with 20 jobs and 10 FAQ entries', () => {
    const faq = Array.from({ length: 10 }, (_, i) => ({ question: `Question ${i} about working here, in some detail?`, answer: 'A long answer. '.repeat(40) }));
    const jobs = Array.from({ length: 20 }, (_, i) => aJob({ title: `Senior Platform Engineer ${i}, Payments Infrastructure`, employmentTypes: ['FULL_TIME', 'CONTRACTOR'] }));
    const html = page({ faq, heroText: 'Join us. '.repeat(100), signup: { ...aSite().signup, fields: ['phone', 'location', 'headline', 'linkedin', 'skills'] } }, jobs);
    expect(Buffer.byteLength(html)).toBeLessThan(50_000);
  });
});

describe('the unpublished page', () => {
  it('says the page is gone, naming only the escaped title, and asks not to be indexed', () => {
    const html = unpublishedPageHtml('Sales <Berlin>');
    expect(html).toContain('<title>Sales &lt;Berlin&gt;</title>');
    expect(html).toContain('This page is no longer available.');
    expect(html).toContain('<meta name="robots" content="noindex">');
    expect(html).not.toContain('<script');
  });
});
