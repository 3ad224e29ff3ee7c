/**
 * The email template language. A placeholder is `{{field}}` or `{{field|default:"text"}}`: spaces inside the
 * braces are fine, and the default (plain text, no `"`) is used when the value is missing or blank. Fields are
 * `templateFields`; `jobSuggestions` renders a list (a <ul> in html, `- ` lines in text) and cannot go in the subject.
 * Anything else between `{{` and `}}`, or a `{{` that never closes, is an error. Rendering is one pass, so a value
 * holding `{{…}}` stays literal; html values are HTML-escaped, the subject loses control characters, and an email
 * whose template places no `{{unsubscribeUrl}}` gets an Unsubscribe footer. Pure: no I/O.
 */
import { escapeHtml } from '../../../shared/html.ts';
export const templateFields = [
  'firstName', 'lastName', 'fullName', 'email', 'headline', 'company', 'city', 'country',
  'unsubscribeUrl', 'preferencesUrl', 'jobSuggestions', 'senderName',
] as const;
type Field = (typeof templateFields)[number];

export interface TemplateSource {
  subject: string;
  /** Already compiled from MJML by the caller when MJML was given. */
  html: string;
  text?: string;
}
export interface TemplateProblem {
  path: 'subject' | 'html' | 'text';
  message: string;
}
export interface JobSuggestion {
  title: string;
  url: string;
  location?: string;
}
export interface RecipientValues {
  firstName?: string;
  lastName?: string;
  email: string;
  headline?: string;
  company?: string;
  city?: string;
  country?: string;
  senderName?: string;
  unsubscribeUrl: string;
  preferencesUrl: string;
  jobSuggestions: readonly JobSuggestion[];
}
export interface RenderedEmail {
  subject: string;
  html: string;
  text: string;
}
export class TemplateRenderError extends Error {
  override name = 'TemplateRenderError';
}

type Part = TemplateProblem['path'];
interface Placeholder {
  field: Field;
  fallback: string | undefined;
  from: number;
  to: number;
}

// A placeholder ends at the first `}}` outside its quoted default, so a default may hold braces.
const tag = /\{\{((?:"[^"]*"|[^"])*?)\}\}/y;
const body = /^\s*([A-Za-z]\w*)\s*(?:\|\s*default\s*:\s*"([^"]*)"\s*)?$/;
const isField = (name: string): name is Field => (templateFields as readonly string[]).includes(name);
const excerpt = (s: string) => (s.length > 60 ? `${s.slice(0, 57)}…` : s);

/** The placeholders of one part, in order; each mistake is added to `problems`. */
function scan(source: string, part: Part, problems: TemplateProblem[]): Placeholder[] {
  const placeholders: Placeholder[] = [];
  const problem = (message: string) => problems.push({ path: part, message });
  for (let at = source.indexOf('{{'); at >= 0; at = source.indexOf('{{', at)) {
    tag.lastIndex = at;
    const found = tag.exec(source);
    if (!found) {
      problem(`unclosed placeholder ${excerpt(source.slice(at, at + 60))}`);
      break;
    }
    at = tag.lastIndex;
    const parsed = body.exec(found[1] ?? '');
    const name = parsed?.[1];
    if (!parsed || !name) problem(`malformed placeholder ${excerpt(found[0])}: write {{field}} or {{field|default:"text"}}`);
    else if (!isField(name)) problem(`unknown placeholder {{${name}}}; use one of ${templateFields.join(', ')}`);
    else if (part === 'subject' && name === 'jobSuggestions') problem('{{jobSuggestions}} is a list and cannot go in the subject');
    else placeholders.push({ field: name, fallback: parsed[2], from: found.index, to: at });
  }
  return placeholders;
}

function scanAll(source: TemplateSource) {
  const problems: TemplateProblem[] = [];
  const subject = scan(source.subject, 'subject', problems);
  const html = scan(source.html, 'html', problems);
  const text = source.text === undefined ? undefined : scan(source.text, 'text', problems);
  return { subject, html, text, problems };
}

/** Every problem in a template: unknown or malformed placeholders, with the part they are in. Empty = valid. */
export function checkTemplate(source: TemplateSource): TemplateProblem[] {
  return scanAll(source).problems;
}

/** The fields a valid template uses, each once, in order of first use. */
export function placeholdersOf(source: TemplateSource): string[] {
  const { subject, html, text = [] } = scanAll(source);
  return [...new Set([...subject, ...html, ...text].map((p) => p.field))];
}


function jobList(jobs: readonly JobSuggestion[], format: 'html' | 'plain'): string {
  if (format === 'plain') return jobs.map((j) => `- ${j.title}${j.location ? ` (${j.location})` : ''}: ${j.url}`).join('\n');
  const items = jobs.map((j) => `<li><a href="${escapeHtml(j.url)}">${escapeHtml(j.title)}</a>${j.location ? ` — ${escapeHtml(j.location)}` : ''}</li>`);
  return `<ul>${items.join('')}</ul>`;
}

function valueOf(field: Exclude<Field, 'jobSuggestions'>, values: RecipientValues): string {
  if (field === 'fullName') return [values.firstName, values.lastName].map((name) => name?.trim()).filter(Boolean).join(' ');
  return values[field]?.trim() ?? '';
}

function valueFor(p: Placeholder, values: RecipientValues, format: 'html' | 'plain'): string {
  if (p.field === 'jobSuggestions' && values.jobSuggestions.length) return jobList(values.jobSuggestions, format);
  const value = (p.field === 'jobSuggestions' ? '' : valueOf(p.field, values)) || (p.fallback ?? '');
  return format === 'html' ? escapeHtml(value) : value;
}

/** One pass over the source: values go in as they are, so a value holding `{{…}}` is never expanded. */
function fill(source: string, placeholders: Placeholder[], values: RecipientValues, format: 'html' | 'plain'): string {
  let out = '';
  let at = 0;
  for (const p of placeholders) {
    out += source.slice(at, p.from) + valueFor(p, values, format);
    at = p.to;
  }
  return out + source.slice(at);
}

// A line break in a subject would let a value write its own headers (Bcc:), so control characters go.
const headerSafe = (subject: string) => subject.replace(/[\p{Cc}\u2028\u2029]/gu, ' ').replace(/\s+/g, ' ').trim();
const mentionsUnsubscribe = (placeholders: Placeholder[]) => placeholders.some((p) => p.field === 'unsubscribeUrl');

function withUnsubscribeFooter(html: string, url: string): string {
  const footer = `<p style="font-size:12px;color:#6b7280;text-align:center"><a href="${escapeHtml(url)}">Unsubscribe</a></p>`;
  const end = html.search(/<\/body\s*>/i);
  return end < 0 ? html + footer : html.slice(0, end) + footer + html.slice(end);
}

/** Renders exactly what is sent. Throws TemplateRenderError on an invalid template (callers check first). */
export function renderTemplate(source: TemplateSource, values: RecipientValues): RenderedEmail {
  const parts = scanAll(source);
  if (parts.problems.length) throw new TemplateRenderError(parts.problems.map((p) => `${p.path}: ${p.message}`).join('; '));
  // Every email carries a visible unsubscribe link, whether or not the author placed one.
  const filled = fill(source.html, parts.html, values, 'html');
  const html = mentionsUnsubscribe(parts.html) ? filled : withUnsubscribeFooter(filled, values.unsubscribeUrl);
  let text: string;
  if (source.text === undefined || !parts.text) text = htmlToText(html);
  else {
    const filledText = fill(source.text, parts.text, values, 'plain');
    text = mentionsUnsubscribe(parts.text) ? filledText : `${filledText.trimEnd()}\n\nUnsubscribe: ${values.unsubscribeUrl}`;
  }
  return { subject: headerSafe(fill(source.subject, parts.subject, values, 'plain')), html, text };
}

const entities: Record<string, string> = {
  amp: '&', lt: '<', gt: '>', quot: '"', apos: "'", nbsp: ' ', copy: '©', mdash: '—', ndash: '–', middot: '·', bull: '•', hellip: '…',
  lsquo: '‘', rsquo: '’', ldquo: '“', rdquo: '”',
};
const decodeEntities = (text: string) =>
  text.replace(/&(#x[0-9a-f]+|#\d+|[a-z]+);/gi, (whole, name: string) => {
    if (!name.startsWith('#')) return entities[name.toLowerCase()] ?? whole;
    const code = /^#x/i.test(name) ? parseInt(name.slice(2), 16) : Number(name.slice(1));
    return code > 0 && code <= 0x10ffff ? String.fromCodePoint(code) : whole;
  });
const link = /<a\b[^>]*?\shref\s*=\s*(?:"([^"]*)"|'([^']*)'|([^\s>]+))[^>]*>([\s\S]*?)<\/a\s*>/gi;
const blocks = /<\/?(?:p|div|li|ul|ol|tr|table|h[1-6]|hr|blockquote)\b[^>]*>/gi;

/** Plain text from HTML: used when a template has no text part. */
export function htmlToText(html: string): string {
  const text = html
    .replace(/<!--[\s\S]*?-->/g, '')
    .replace(/<(head|style|script)\b[\s\S]*?<\/\1\s*>/gi, '')
    .replace(/\s+/g, ' ')
    .replace(link, (_, double?: string, single?: string, bare?: string, inner = '') => {
      const url = (double ?? single ?? bare ?? '').trim();
      const label = inner.replace(/<[^>]*>/g, '').trim();
      return !label || decodeEntities(label) === decodeEntities(url) ? url : `${label} (${url})`;
    })
    .replace(/<br\s*\/?>/gi, '\n')
    .replace(/<li\b[^>]*>/gi, '\n- ')
    .replace(blocks, '\n')
    .replace(/<\/t[dh]\s*>/gi, ' ')
    .replace(/<[^>]*>/g, '');
  return decodeEntities(text)
    .split('\n')
    .map((line) => line.replace(/[^\S\n]+/g, ' ').trim())
    .join('\n')
    .replace(/\n{3,}/g, '\n\n')
    .trim();
}
