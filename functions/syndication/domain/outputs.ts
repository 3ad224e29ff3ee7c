/**
 * What the syndication context publishes as static files: schema.org JobPosting (Google for Jobs), the Indeed XML
 * feed, `/feeds/jobs.json`, the sitemap and each job's page. Pure: no I/O, same inputs give the same bytes.
 */
import { XMLBuilder } from 'fast-xml-parser';
import type { Job, Salary, employmentTypes } from '../schemas.ts';
import { escapeHtml } from '../../../shared/html.ts';
import type { Organisation } from './ports.ts';
import { textOf } from './sanitise.ts';

/** Base URLs without trailing slashes. */
export interface PageLinks { apiUrl: string; sitesUrl: string }

const employment: Record<(typeof employmentTypes)[number], { indeed: string; label: string }> = {
  FULL_TIME: { indeed: 'fulltime', label: 'Full-time' },
  PART_TIME: { indeed: 'parttime', label: 'Part-time' },
  CONTRACTOR: { indeed: 'contract', label: 'Contract' },
  TEMPORARY: { indeed: 'temporary', label: 'Temporary' },
  INTERN: { indeed: 'internship', label: 'Internship' },
  VOLUNTEER: { indeed: 'volunteer', label: 'Volunteer' },
  PER_DIEM: { indeed: 'perdiem', label: 'Per diem' },
  OTHER: { indeed: 'other', label: 'Other' },
};
const openOnly = (jobs: Job[]) => jobs.filter((job) => job.status === 'open');
const postedAt = (job: Job) => job.publishedAt ?? job.createdAt;

/** schema.org JobPosting for an open job; undefined fields vanish when serialised. */
export function jobPosting(job: Job, org: Organisation): Record<string, unknown> {
  const { address, applicantCountries } = job.location;
  const types = job.employmentTypes;
  // Google reads an address as on-site work and TELECOMMUTE plus countries as remote work; a hybrid job may have both.
  const remote = job.location.type !== 'onsite' && applicantCountries;
  return {
    '@context': 'https://schema.org',
    '@type': 'JobPosting',
    title: job.title,
    description: job.description,
    datePosted: postedAt(job),
    validThrough: job.validThrough,
    employmentType: types.length === 1 ? types[0] : types,
    hiringOrganization: { '@type': 'Organization', name: org.name, sameAs: org.url, logo: org.logoUrl },
    identifier: { '@type': 'PropertyValue', name: org.name, value: job.requisitionId ?? job.id },
    directApply: true,
    url: job.url,
    jobLocation: address && {
      '@type': 'Place',
      address: {
        '@type': 'PostalAddress',
        streetAddress: address.street,
        addressLocality: address.city,
        addressRegion: address.region,
        postalCode: address.postalCode,
        addressCountry: address.country,
      },
    },
    jobLocationType: remote ? 'TELECOMMUTE' : undefined,
    applicantLocationRequirements: remote ? remote.map((code) => ({ '@type': 'Country', name: code })) : undefined,
    baseSalary: job.salary && {
      '@type': 'MonetaryAmount',
      currency: job.salary.currency,
      value: { '@type': 'QuantitativeValue', minValue: job.salary.min, maxValue: job.salary.max, unitText: job.salary.unit },
    },
  };
}

const xml = new XMLBuilder({ cdataPropName: '#cdata', ignoreAttributes: false, attributeNamePrefix: '@' });
const declaration = '<?xml version="1.0" encoding="utf-8"?>';
// Characters XML 1.0 forbids even inside CDATA; one in a title would make Indeed reject the whole feed.
const notXmlChars = /[\u0000-\u0008\u000B\u000C\u000E-\u001F\uFFFE\uFFFF]/g;
const cdata = (value: string | undefined) => (value === undefined ? undefined : { '#cdata': value.toWellFormed().replace(notXmlChars, '') });
const rfc1123 = (iso: string) => new Date(iso).toUTCString();
const indeedSalary = (s: Salary) => `${s.currency} ${s.min === s.max ? s.min : `${s.min} - ${s.max}`} per ${s.unit.toLowerCase()}`;

function indeedJob(job: Job, org: Organisation) {
  const { type, address, applicantCountries } = job.location;
  return {
    title: cdata(job.title),
    date: cdata(rfc1123(postedAt(job))),
    referencenumber: cdata(job.id),
    requisitionid: cdata(job.requisitionId ?? job.id),
    // Applicants who arrive from Indeed are credited to it: the page passes these on to the application.
    url: cdata(`${job.url}?utm_source=indeed&utm_medium=job-board&utm_campaign=${encodeURIComponent(job.slug)}`),
    company: cdata(org.name),
    city: cdata(address?.city),
    state: cdata(address?.region),
    country: cdata(address?.country ?? applicantCountries?.[0]),
    postalcode: cdata(address?.postalCode),
    streetaddress: cdata(address?.street),
    description: cdata(job.description),
    salary: cdata(job.salary && indeedSalary(job.salary)),
    jobtype: cdata(job.employmentTypes.map((t) => employment[t].indeed).join(', ')),
    category: cdata(job.department),
    remotetype: cdata({ remote: 'Fully remote', hybrid: 'Hybrid remote', onsite: undefined }[type]),
    expirationdate: cdata(job.validThrough && rfc1123(job.validThrough)),
  };
}

/** Indeed's XML feed of the open jobs among `jobs`; every value is CDATA, as in Indeed's examples. */
export function indeedFeed(jobs: Job[], org: Organisation, builtAt: string): string {
  const source = {
    publisher: cdata(org.name),
    publisherurl: cdata(org.url),
    lastBuildDate: cdata(rfc1123(builtAt)),
    job: openOnly(jobs).map((job) => indeedJob(job, org)),
  };
  return declaration + xml.build({ source });
}

/** `/feeds/jobs.json`: the open jobs among `jobs` as one schema.org graph. */
export function jobsJson(jobs: Job[], org: Organisation, builtAt: string): string {
  const graph = openOnly(jobs).map((job) => {
    const { '@context': _, ...posting } = jobPosting(job, org);
    return posting;
  });
  return JSON.stringify({ '@context': 'https://schema.org', '@graph': graph, generatedAt: builtAt });
}

/** sitemaps.org urlset; the builder escapes `&` and `<` in every loc. */
export function sitemap(entries: { loc: string; lastmod: string }[]): string {
  return declaration + xml.build({ urlset: { '@xmlns': 'http://www.sitemaps.org/schemas/sitemap/0.9', url: entries } });
}

const regionNames = new Intl.DisplayNames('en', { type: 'region' });
const countryName = (code: string) => regionNames.of(code) ?? code;

function locationText({ type, address, applicantCountries }: Job['location']): string {
  const place = address && [address.city, address.region, countryName(address.country)].filter(Boolean).join(', ');
  const countries = applicantCountries?.map(countryName).join(', ');
  if (type === 'onsite') return place ?? '';
  if (type === 'hybrid') return `Hybrid · ${place ?? ''}${countries ? ` (remote from ${countries})` : ''}`;
  return `Remote${countries ? ` from ${countries}` : ''}${place ? ` · ${place}` : ''}`;
}

function salaryText(s: Salary): string {
  const money = new Intl.NumberFormat('en', { style: 'currency', currency: s.currency, trailingZeroDisplay: 'stripIfInteger' });
  const amount = s.min === s.max ? money.format(s.min) : money.formatRange(s.min, s.max);
  return `${amount} per ${s.unit.toLowerCase()}`;
}

// JSON.stringify leaves `<` alone, so `</script>` in a description would end the script element early.
const scriptSafeJson = (value: unknown) => JSON.stringify(value).replace(/</g, '\\u003c');

const css = `*{box-sizing:border-box}body{margin:0;font:1rem/1.6 system-ui,-apple-system,"Segoe UI",Roboto,sans-serif;color:#1a1a1a;background:#fff}
main{max-width:44rem;margin:0 auto;padding:1.5rem 1rem 4rem}h1{line-height:1.2;margin:.5rem 0}.org{color:#4b5563;margin:0}
.facts{display:flex;flex-wrap:wrap;gap:.25rem 1.5rem;padding:0;list-style:none;color:#374151}.skills{display:flex;flex-wrap:wrap;gap:.5rem;padding:0;list-style:none}
.skills li{background:#eef2ff;color:#1e3a8a;border-radius:1rem;padding:.1rem .75rem}a{color:#1d4ed8}.notice{border-left:4px solid #b45309;background:#fffbeb;padding:1rem}
form{display:grid;gap:1rem;margin-top:2rem;padding-top:1rem;border-top:1px solid #d1d5db}label{display:block;font-weight:600}.hint{font-weight:400;color:#4b5563}
input:not([type=checkbox]),textarea{width:100%;padding:.6rem;font:inherit;border:1px solid #6b7280;border-radius:.375rem}textarea{min-height:8rem}
.check{display:flex;gap:.5rem;align-items:center;font-weight:400}button{font:inherit;font-weight:600;padding:.75rem 1.5rem;border:0;border-radius:.375rem;background:#1d4ed8;color:#fff;cursor:pointer}
button:disabled{opacity:.6;cursor:wait}:focus-visible{outline:3px solid #f59e0b;outline-offset:2px}#apply-status{white-space:pre-line;font-weight:600}
.hp{position:absolute;left:-10000px;width:1px;height:1px;overflow:hidden}`;

// Plain JS, no build step. FormData posts as multipart, a "simple" request: no CORS preflight. Blank fields are
// left out because the API reads "" as an invalid phone, URL or utm value rather than as absent.
const applyScript = `(function(){
var form=document.getElementById('apply'),status=document.getElementById('apply-status'),button=form.querySelector('button[type=submit]');
var KEY='talent-relay-utm',names=['utm_source','utm_medium','utm_campaign','utm_content','utm_term'],params=new URLSearchParams(location.search),stored={};
try{stored=JSON.parse(sessionStorage.getItem(KEY)||'{}')||{}}catch(e){}
var fromUrl=names.some(function(n){return params.get(n)}),utm={};
names.forEach(function(n){utm[n]=(fromUrl?params.get(n):stored[n])||'';form.elements[n].value=utm[n]});
if(fromUrl)try{sessionStorage.setItem(KEY,JSON.stringify(utm))}catch(e){}
form.addEventListener('submit',function(event){
event.preventDefault();
var data=new FormData(form),empty=[];
data.forEach(function(value,name){if(typeof value==='string'?value==='':!value.name)empty.push(name)});
empty.forEach(function(name){data.delete(name)});
button.disabled=true;status.textContent='Sending your application…';
fetch(form.action,{method:'POST',body:data}).then(function(res){
return res.json().catch(function(){return {}}).then(function(body){
if(res.ok){form.reset();names.forEach(function(n){form.elements[n].value=utm[n]});status.textContent=body.message||'Thank you, your application has been sent.';return}
var errors=(body.errors||[]).map(function(e){return (e.path?e.path+': ':'')+e.message});
status.textContent=[body.detail||'Your application could not be sent. Please try again.'].concat(errors).join('\\n');
});
}).catch(function(){status.textContent='Your application could not be sent. Check your connection and try again.'})
.then(function(){button.disabled=false});
});
})();`;

function applicationForm(job: Job, links: PageLinks): string {
  const action = `${links.apiUrl}/public/jobs/${encodeURIComponent(job.id)}/applications`;
  const field = (name: string, label: string, attrs: string) =>
    `<div><label for="${name}">${label}</label><input id="${name}" name="${name}" ${attrs}></div>`;
  const utm = ['utm_source', 'utm_medium', 'utm_campaign', 'utm_content', 'utm_term'].map((n) => `<input type="hidden" name="${n}">`).join('');
  return `<form id="apply" method="post" enctype="multipart/form-data" action="${escapeHtml(action)}" aria-labelledby="apply-heading">
<h2 id="apply-heading">Apply for this job</h2>
${field('firstName', 'First name', 'type="text" autocomplete="given-name" required maxlength="100"')}
${field('lastName', 'Last name', 'type="text" autocomplete="family-name" required maxlength="100"')}
${field('email', 'Email', 'type="email" autocomplete="email" required maxlength="254"')}
${field('phone', 'Phone <span class="hint">(optional)</span>', 'type="tel" autocomplete="tel"')}
${field('linkedin', 'LinkedIn profile <span class="hint">(optional)</span>', 'type="url" placeholder="https://www.linkedin.com/in/…"')}
<div><label for="coverLetter">Cover letter <span class="hint">(optional)</span></label><textarea id="coverLetter" name="coverLetter" maxlength="10000"></textarea></div>
<div><label for="cv">CV <span class="hint" id="cv-hint">PDF or DOCX, up to 5 MB</span></label><input id="cv" name="cv" type="file" aria-describedby="cv-hint" accept=".pdf,.docx,application/pdf,application/vnd.openxmlformats-officedocument.wordprocessingml.document"></div>
<div class="hp" aria-hidden="true"><label for="website">Website</label><input id="website" name="website" type="text" tabindex="-1" autocomplete="off"></div>
${utm}
<div><button type="submit">Send application</button></div>
<p role="status" aria-live="polite" id="apply-status"></p>
</form>
<script>${applyScript}</script>`;
}

/** The static page at /jobs/{slug}/: an open job with JSON-LD and the application form, anything else as closed. */
export function jobPageHtml(job: Job, org: Organisation, links: PageLinks): string {
  const open = job.status === 'open';
  const summary = [...textOf(job.description)].slice(0, 160).join('');
  const title = escapeHtml(`${job.title} – ${org.name}`);
  const facts = [job.department, locationText(job.location), job.employmentTypes.map((t) => employment[t].label).join(', '), job.salary && salaryText(job.salary)]
    .filter((fact): fact is string => !!fact)
    .map((fact) => `<li>${escapeHtml(fact)}</li>`);
  const skills = job.skills.map((skill) => `<li>${escapeHtml(skill)}</li>`).join('');
  const body = open
    ? `<ul class="facts">${facts.join('')}</ul>
${skills ? `<h2>Skills</h2><ul class="skills">${skills}</ul>` : ''}
<section>${job.description}</section>
${applicationForm(job, links)}`
    : `<p class="notice">This job is closed and no longer accepts applications.</p>`;
  return `<!doctype html>
<html lang="en">
<head>
<meta charset="utf-8">
<meta name="viewport" content="width=device-width, initial-scale=1">
<title>${title}</title>
<meta name="description" content="${escapeHtml(summary)}">
<link rel="canonical" href="${escapeHtml(job.url)}">
<link rel="alternate" type="application/json" href="${escapeHtml(`${links.sitesUrl}/feeds/jobs.json`)}" title="Open jobs">
<meta property="og:title" content="${title}">
<meta property="og:description" content="${escapeHtml(summary)}">
<meta property="og:url" content="${escapeHtml(job.url)}">
<meta property="og:type" content="website">
<meta property="og:site_name" content="${escapeHtml(org.name)}">
${org.logoUrl ? `<meta property="og:image" content="${escapeHtml(org.logoUrl)}">\n` : ''}<style>${css}</style>
${open ? `<script type="application/ld+json">${scriptSafeJson(jobPosting(job, org))}</script>\n` : ''}</head>
<body>
<main>
<p class="org"><a href="${escapeHtml(org.url)}">${escapeHtml(org.name)}</a></p>
<h1>${escapeHtml(job.title)}</h1>
${body}
</main>
</body>
</html>
`;
}
