import { escapeHtml as escape, simplePage } from '../../../shared/html.ts';
import type { Job, Site } from '../schemas.ts';

/** Where the page's forms post and where published sites live; no trailing slashes. */
export interface SiteLinks { apiUrl: string; sitesUrl: string }

/** Jobs the site shows: open jobs matching every filter the site sets (an empty list sets no filter). */
export function jobsForSite(site: Pick<Site, 'jobs'>, jobs: Job[]): Job[] {
  const { departments, skills, countries, remote } = site.jobs;
  const anyOf = (wanted: string[] | undefined, values: (string | undefined)[]) =>
    !wanted?.length || values.some((value) => value !== undefined && wanted.some((w) => w.toLowerCase() === value.toLowerCase()));
  return jobs.filter(({ status, department, skills: jobSkills, location }) =>
    status === 'open'
    && anyOf(departments, [department])
    && anyOf(skills, jobSkills)
    && anyOf(countries, [location.address?.country, ...(location.applicantCountries ?? [])])
    && (remote === undefined || remote === (location.type !== 'onsite')));
}

/** "Berlin, DE", "Remote (DE, PL)" or "Hybrid · Berlin, DE". */
export function jobLocationText({ type, address, applicantCountries }: Job['location']): string {
  const place = address ? `${address.city}, ${address.country}` : '';
  if (type === 'remote') return `Remote${applicantCountries?.length ? ` (${applicantCountries.join(', ')})` : ''}`;
  return type === 'hybrid' ? `Hybrid · ${place}` : place;
}

/** A string literal safe inside <script>: no `<` means no `</script>` or `<!--`. */
const scriptString = (value: string) => JSON.stringify(value).replace(/</g, '\\u003c');

/** Colours go into CSS, where HTML escaping means nothing, so anything but #rrggbb falls back. */
const hexColour = (value: string, fallback: string) => (/^#[0-9a-f]{6}$/i.test(value) ? value : fallback);
const NEAR_BLACK = '#111111';
/** WCAG 2 relative luminance of a #rrggbb colour. */
function luminance(hex: string): number {
  const [r = 0, g = 0, b = 0] = [1, 3, 5].map((i) => {
    const c = parseInt(hex.slice(i, i + 2), 16) / 255;
    return c <= 0.04045 ? c / 12.92 : ((c + 0.055) / 1.055) ** 2.4;
  });
  return 0.2126 * r + 0.7152 * g + 0.0722 * b;
}
/** White or near-black, whichever contrasts more with the background (WCAG contrast ratio). */
function readableOn(background: string): string {
  const bg = luminance(background);
  return 1.05 / (bg + 0.05) >= (bg + 0.05) / (luminance(NEAR_BLACK) + 0.05) ? '#ffffff' : NEAR_BLACK;
}

const employmentLabels: Record<Job['employmentTypes'][number], string> = {
  FULL_TIME: 'Full-time', PART_TIME: 'Part-time', CONTRACTOR: 'Contract', TEMPORARY: 'Temporary',
  INTERN: 'Internship', VOLUNTEER: 'Volunteer', PER_DIEM: 'Per diem', OTHER: 'Other',
};

const field = (id: string, label: string, attributes: string, hint = '') =>
  `<p><label for="${id}">${label}</label>${hint ? ` <span class="hint" id="${id}-hint">${hint}</span>` : ''}
<input id="${id}" name="${id}" ${attributes}${hint ? ` aria-describedby="${id}-hint"` : ''}></p>`;
const extraFields: Record<Site['signup']['fields'][number], string> = {
  phone: field('phone', 'Phone', 'type="tel" autocomplete="tel"'),
  location: field('city', 'City', 'type="text" autocomplete="address-level2" maxlength="100"')
    + field('country', 'Country', 'type="text" autocomplete="country" maxlength="2" pattern="[A-Za-z]{2}" size="2"', '2-letter code, e.g. DE'),
  headline: field('headline', 'Current role', 'type="text" autocomplete="organization-title" maxlength="200"'),
  linkedin: field('linkedin', 'LinkedIn profile', 'type="url" autocomplete="url" placeholder="https://www.linkedin.com/in/…"'),
  skills: field('skills', 'Skills', 'type="text" maxlength="500"', 'comma-separated'),
};
/** A field people never see and bots fill; the API drops submissions that fill it. */
const honeypot = (id: string) =>
  `<div class="trap" aria-hidden="true"><label for="${id}">Website</label><input id="${id}" name="website" type="text" tabindex="-1" autocomplete="off"></div>`;
const utmNames = ['utm_source', 'utm_medium', 'utm_campaign', 'utm_content', 'utm_term'];

const style = `*{box-sizing:border-box}
body{margin:0;font:1rem/1.5 system-ui,-apple-system,"Segoe UI",Roboto,sans-serif;background:var(--bg);color:var(--text)}
.wrap{max-width:48rem;margin:0 auto;padding:0 1rem}
header{border-bottom:4px solid var(--primary);padding:1rem 0}
header .wrap{display:flex;align-items:center;gap:1rem;flex-wrap:wrap}
header img{max-height:3rem;width:auto}
h1{font-size:1.75rem;line-height:1.2;margin:0}
h2{font-size:1.35rem;margin:2.5rem 0 1rem}
h3{font-size:1.1rem;margin:0}
.hero,.answer{white-space:pre-line}
.hero{font-size:1.15rem}
a{color:inherit}
.jobs{list-style:none;padding:0;margin:0;display:grid;gap:.75rem}
.jobs li{border:1px solid color-mix(in srgb,var(--text) 20%,transparent);border-radius:.5rem;padding:.75rem 1rem}
.meta{margin:.25rem 0 0;opacity:.85}
details{border-bottom:1px solid color-mix(in srgb,var(--text) 20%,transparent);padding:.5rem 0}
summary{cursor:pointer;font-weight:600}
label{display:block;font-weight:600}
.check label{display:inline;font-weight:400}
.hint{font-size:.9rem;opacity:.85}
input[type=text],input[type=email],input[type=tel],input[type=url]{width:100%;font:inherit;padding:.5rem;border:1px solid var(--text);border-radius:.25rem;background:var(--bg);color:var(--text)}
button{font:inherit;font-weight:600;padding:.6rem 1.2rem;border:0;border-radius:.25rem;background:var(--primary);color:var(--on-primary);cursor:pointer;transition:filter .2s}
button:hover{filter:brightness(.92)}
button:disabled{opacity:.6;cursor:wait}
:focus-visible{outline:3px solid var(--text);outline-offset:2px}
.skip{position:absolute;left:-999px;top:0;background:var(--bg);padding:.5rem}
.skip:focus{left:.5rem}
.trap{position:absolute;left:-9999px;width:1px;height:1px;overflow:hidden}
#signup-status,#ask-answer{white-space:pre-line;margin-top:1rem}
footer{margin-top:3rem;padding:1.5rem 0;border-top:1px solid color-mix(in srgb,var(--text) 20%,transparent);font-size:.9rem}
@media (min-width:40rem){h1{font-size:2.25rem}.two{display:grid;grid-template-columns:1fr 1fr;gap:0 1rem}}
@media (prefers-reduced-motion:reduce){*{transition:none!important;animation:none!important;scroll-behavior:auto!important}}`;

/** Progressive enhancement: both forms also post without it. Server strings reach the DOM only through textContent. */
const script = (askUrl: string, signupUrl: string) => `<script>
(() => {
  const askUrl = ${scriptString(askUrl)}, signupUrl = ${scriptString(signupUrl)};
  const filled = (form) => {
    const body = new URLSearchParams(new FormData(form));
    for (const [name, value] of [...body]) if (!value.trim()) body.delete(name);
    return body;
  };
  const problemText = (p) => [p.detail || 'Something went wrong. Please try again.',
    ...(Array.isArray(p.errors) ? p.errors.map((e) => (e.path ? e.path + ': ' : '') + e.message) : [])].join('\\n');
  const post = async (url, form) => {
    const response = await fetch(url, { method: 'POST', body: filled(form) });
    return { ok: response.ok, body: await response.json().catch(() => ({})) };
  };
  const offline = 'We could not reach the server. Please check your connection and try again.';

  const ask = document.getElementById('ask'), answer = document.getElementById('ask-answer');
  ask.addEventListener('submit', async (event) => {
    event.preventDefault();
    const button = ask.querySelector('button');
    button.disabled = true;
    answer.replaceChildren();
    const say = (text) => { const p = document.createElement('p'); p.className = 'answer'; p.textContent = text; answer.append(p); };
    try {
      const { ok, body } = await post(askUrl, ask);
      if (!ok) return say(problemText(body));
      say(body.answer || '');
      const jobs = (body.jobs || []).filter((job) => /^https?:/i.test(job.url));
      if (jobs.length) {
        const list = document.createElement('ul');
        for (const job of jobs) {
          const link = document.createElement('a');
          link.href = job.url;
          link.textContent = job.title;
          const item = document.createElement('li');
          item.append(link);
          list.append(item);
        }
        answer.append(list);
      }
    } catch { say(offline); } finally { button.disabled = false; }
  });

  const signup = document.getElementById('signup'), status = document.getElementById('signup-status');
  const utmKey = 'talent-relay-utm', search = new URLSearchParams(location.search);
  let utm = {};
  for (const name of ['utm_source', 'utm_medium', 'utm_campaign', 'utm_content', 'utm_term']) { const value = (search.get(name) || '').trim(); if (value) utm[name] = value.slice(0, 100); }
  try {
    if (Object.keys(utm).length) sessionStorage.setItem(utmKey, JSON.stringify(utm));
    else utm = JSON.parse(sessionStorage.getItem(utmKey) || '{}') || {};
  } catch {}
  for (const [name, value] of Object.entries(utm)) { const input = signup.elements.namedItem(name); if (input && typeof value === 'string') input.value = value; }
  signup.addEventListener('submit', async (event) => {
    event.preventDefault();
    const button = signup.querySelector('button[type=submit]');
    button.disabled = true;
    status.textContent = 'Sending…';
    try {
      const { ok, body } = await post(signupUrl, signup);
      status.textContent = ok ? body.message || 'Thank you for joining.' : problemText(body);
      if (ok) signup.reset();
    } catch { status.textContent = offline; } finally { button.disabled = false; }
  });
})();
</script>`;

function jobItem(job: Job): string {
  const meta = [job.department, jobLocationText(job.location), job.employmentTypes.map((t) => employmentLabels[t]).join(', ')];
  return `<li><h3><a href="${escape(job.url)}">${escape(job.title)}</a></h3><p class="meta">${meta.filter((m): m is string => !!m).map(escape).join(' · ')}</p></li>`;
}

export const MAX_LISTED_JOBS = 50;

/** The static landing page `/sites/{slug}/index.html`: one self-contained document with inline CSS and JS. */
export function sitePageHtml(site: Site, jobs: Job[], org: { name: string; url: string }, links: SiteLinks): string {
  const primary = hexColour(site.colours.primary, '#2952cc');
  const base = `${links.apiUrl}/public/sites/${encodeURIComponent(site.slug)}`;
  const signupUrl = `${base}/signups`;
  // The newest first, and no more than a page keeps light: a site is for a segment, not the whole job board.
  const shown = [...jobs].sort((a, b) => (b.publishedAt ?? b.createdAt).localeCompare(a.publishedAt ?? a.createdAt)).slice(0, MAX_LISTED_JOBS);
  const more = jobs.length - shown.length;
  const jobList = jobs.length
    ? `<ul class="jobs">\n${shown.map(jobItem).join('\n')}\n</ul>${more ? `\n<p>And ${more} more open jobs: ask the assistant below about the one you are looking for.</p>` : ''}`
    : '<p>There are no open jobs here right now. Join our talent community below and we will let you know when there are.</p>';
  const faq = site.faq.length
    ? `<section aria-labelledby="faq-heading"><h2 id="faq-heading">Frequently asked questions</h2>
${site.faq.map((entry) => `<details><summary>${escape(entry.question)}</summary><p class="answer">${escape(entry.answer)}</p></details>`).join('\n')}
</section>`
    : '';
  return `<!doctype html>
<html lang="en"><head><meta charset="utf-8"><meta name="viewport" content="width=device-width, initial-scale=1">
<title>${escape(site.title)}</title>
<meta name="description" content="${escape(site.heroText)}">
<link rel="canonical" href="${escape(site.url)}">
<style>:root{--primary:${primary};--bg:${hexColour(site.colours.background, '#ffffff')};--text:${hexColour(site.colours.text, '#1a1a1a')};--on-primary:${readableOn(primary)}}
${style}</style>
</head>
<body>
<a class="skip" href="#main">Skip to content</a>
<header><div class="wrap">${site.logoUrl ? `<img src="${escape(site.logoUrl)}" alt="${escape(org.name)}" height="48">` : ''}<h1>${escape(site.title)}</h1></div></header>
<main id="main" class="wrap" tabindex="-1">
<p class="hero">${escape(site.heroText)}</p>
<section aria-labelledby="jobs-heading"><h2 id="jobs-heading">Open jobs</h2>
${jobList}
</section>
${faq}
<section aria-labelledby="ask-heading"><h2 id="ask-heading">Ask a question</h2>
<form id="ask" method="post" action="${escape(`${base}/ask`)}">
<p><label for="question">Your question</label><input id="question" name="question" type="text" required maxlength="500"></p>
${honeypot('ask-website')}
<button type="submit">Ask</button>
</form>
<div id="ask-answer" aria-live="polite"></div>
</section>
<section aria-labelledby="signup-heading"><h2 id="signup-heading">Join our talent community</h2>
<form id="signup" method="post" action="${escape(signupUrl)}">
<div class="two">${field('firstName', 'First name', 'type="text" required autocomplete="given-name" maxlength="100"')}${field('lastName', 'Last name', 'type="text" required autocomplete="family-name" maxlength="100"')}</div>
${field('email', 'Email', 'type="email" required autocomplete="email" maxlength="254"')}
${site.signup.fields.map((f) => extraFields[f]).join('\n')}
<p class="check"><input id="consent" name="consent" type="checkbox" required> <label for="consent">${escape(site.signup.consentText)}</label></p>
${honeypot('signup-website')}
${utmNames.map((name) => `<input type="hidden" name="${name}">`).join('')}
<button type="submit">Join</button>
<p role="status" aria-live="polite" id="signup-status"></p>
</form>
</section>
</main>
<footer><div class="wrap"><p><a href="${escape(org.url)}">${escape(org.name)}</a></p>
<p>Questions you ask here are used only to answer them. If you join our talent community, ${escape(org.name)} uses your details as the consent above describes, and you can ask us to delete them at any time.</p></div></footer>
${script(`${base}/ask`, signupUrl)}
</body></html>
`;
}

/** Shown when a site is unpublished: says only that the page is gone, naming nothing but its title. */
export const unpublishedPageHtml = (title: string): string => simplePage(title, '<p>This page is no longer available.</p>');
