import { escapeHtml as escape, simplePage as page } from '../../../shared/html.ts';

/** The re-consent email and the pages behind its link: what each purpose means, in words a person understands. */

const purposes: Record<string, string> = {
  'talent-community': 'keep your profile in our talent community and tell you about roles that fit you',
  'marketing-email': 'send you emails about jobs, events and news',
  'event-updates': 'send you updates about our hiring events',
  'data-retention': 'keep your details on file',
};
const meaningOf = (purpose: string) => purposes[purpose] ?? `use your details for "${purpose}"`;
const day = (iso: string) => new Intl.DateTimeFormat('en-GB', { dateStyle: 'long', timeZone: 'UTC' }).format(new Date(iso));

export interface Expiring {
  purpose: string;
  expiresAt: string;
}

const textList = (consents: Expiring[], verb: string) => consents.map((c) => `- ${meaningOf(c.purpose)} (${verb} ${day(c.expiresAt)})`).join('\n');
const htmlList = (consents: Expiring[], verb: string) =>
  `<ul>${consents.map((c) => `<li>${escape(meaningOf(c.purpose))} (${verb} ${escape(day(c.expiresAt))})</li>`).join('')}</ul>`;

/** Withdrawing is as easy as renewing: the email carries the unsubscribe link too (Art. 7(3)). */
export function renewalEmail(person: { firstName?: string }, expiring: Expiring[], urls: { renew: string; unsubscribe: string }) {
  const name = person.firstName ?? 'there';
  const subject = 'Shall we keep in touch?';
  const text = `Hello ${name},

You agreed that we may:
${textList(expiring, 'until')}

That agreement runs out soon. To keep it, renew it with one click:
${urls.renew}

If you do nothing, it simply lapses on that date and we stop. Rather not hear from us at all? Unsubscribe:
${urls.unsubscribe}`;
  const html = `<p>Hello ${escape(name)},</p>
<p>You agreed that we may:</p>
${htmlList(expiring, 'until')}
<p>That agreement runs out soon. To keep it, renew it with one click:</p>
<p><a href="${escape(urls.renew)}">Yes, keep in touch</a></p>
<p>If you do nothing, it simply lapses on that date and we stop. Rather not hear from us at all? <a href="${escape(urls.unsubscribe)}">Unsubscribe</a>.</p>`;
  return { subject, text, html };
}

export const invalidLinkPage = () =>
  page('This link does not work', '<p>The link is incomplete or has expired. Use the link in a recent email from us, or reply to that email and we will help.</p>');

/** A GET shows the button; only the POST it makes renews, so a mail scanner following the link changes nothing. */
export const confirmRenewalPage = (token: string, expiring: Expiring[]) =>
  page('Keep in touch?', `<p>You agreed that we may:</p>
${htmlList(expiring, 'until')}
<p>Renew this agreement? You can withdraw it at any time with the unsubscribe link in any of our emails.</p>
<form method="post" action="${escape(token)}"><button type="submit">Yes, renew</button></form>
<p>If you do nothing, it lapses on that date.</p>`);

export const renewedPage = (renewed: Expiring[]) =>
  page('Thank you', `<p>We renewed your agreement. We may now:</p>
${htmlList(renewed, 'until')}
<p>You can withdraw it at any time with the unsubscribe link in any of our emails.</p>`);

export const nothingToRenewPage = () =>
  page('Nothing to renew', `<p>None of your agreements with us runs out in the next weeks, so there is nothing to renew.</p>`);
