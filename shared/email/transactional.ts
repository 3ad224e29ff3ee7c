import { escapeHtml } from '../html.ts';

/** A paragraph of a transactional email: words, or a link shown as a button. */
export type Paragraph = string | { link: string; label: string };

/** Short transactional emails: a text part, and the same words as simple HTML, signed by the organisation. */
export function transactionalEmail(subject: string, paragraphs: Paragraph[], orgName: string) {
  const text = [...paragraphs.map((p) => (typeof p === 'string' ? p : `${p.label}: ${p.link}`)), `— ${orgName}`].join('\n\n');
  const html = `<div style="font:16px/1.5 system-ui,sans-serif;color:#1a1a1a;max-width:36rem">${paragraphs
    .map((p) => (typeof p === 'string' ? `<p>${escapeHtml(p)}</p>` : `<p><a href="${escapeHtml(p.link)}" style="display:inline-block;padding:.6rem 1rem;background:#2952cc;color:#fff;border-radius:4px;text-decoration:none">${escapeHtml(p.label)}</a></p>`))
    .join('')}<p>— ${escapeHtml(orgName)}</p></div>`;
  return { subject, text, html };
}
