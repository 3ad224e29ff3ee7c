import { Unauthorized } from '../../../shared/errors.ts';
import { escapeHtml, simplePage } from '../../../shared/html.ts';
import { endpoint, htmlPage, httpApi, type HttpReply } from '../../../shared/http/api.ts';
import { isFormPost } from '../../../shared/http/request.ts';
import { rsvps } from '../adapters/services-rsvps.ts';
import { clock, publicApiUrl } from '../adapters/services.ts';
import * as api from '../api.ts';
import { eventLines } from '../domain/emails.ts';
import type { StoredEvent } from '../domain/ports.ts';
import { closedReason, rsvpMessages } from '../domain/rsvp-service.ts';

const details = (event: StoredEvent) =>
  `${eventLines(event).map((line) => `<p>${escapeHtml(line)}</p>`).join('')}${event.description ? `<p>${escapeHtml(event.description).replace(/\n/g, '<br>')}</p>` : ''}`;

/** The form posts back as a form: the answer is then a page, not JSON. */

const rsvpPage = endpoint(api.rsvpPage, async ({ params }) => {
  const event = await rsvps.event(params.id);
  const closed = closedReason(event, clock.now());
  if (closed) return htmlPage(410, simplePage(event.title, `<p>${escapeHtml(closed)} It no longer takes RSVPs.</p>`));
  const action = `${publicApiUrl()}/public/events/${encodeURIComponent(event.id)}/rsvps`;
  // The honeypot sits off-screen and out of the tab order: people never fill it, form-filling bots do.
  const form = `<form method="post" action="${escapeHtml(action)}">
<p><label for="email">Email</label><br><input id="email" name="email" type="email" autocomplete="email" required></p>
<p><label for="firstName">First name</label><br><input id="firstName" name="firstName" autocomplete="given-name" required></p>
<p><label for="lastName">Last name</label><br><input id="lastName" name="lastName" autocomplete="family-name" required></p>
<div style="position:absolute;left:-10000px" aria-hidden="true"><label for="website">Website</label><input id="website" name="website" tabindex="-1" autocomplete="off"></div>
<button type="submit">RSVP</button></form>`;
  return htmlPage(200, simplePage(event.title, `${details(event)}${form}`));
});

const rsvp = endpoint(api.rsvp, async ({ params, body, headers }): Promise<HttpReply> => {
  const answer = await rsvps.rsvp(params.id, body);
  const waitlisted = answer.status === 'waitlisted';
  const message = waitlisted ? rsvpMessages.waitlisted : rsvpMessages.confirmed;
  if (isFormPost(headers)) return htmlPage(201, simplePage(waitlisted ? "You're on the waitlist" : 'Thank you!', `<p>${escapeHtml(message)}</p>`));
  return { status: 201, body: { id: answer.id, eventId: answer.eventId, status: answer.status, message } };
});

const invalidLink = () => htmlPage(401, simplePage('This link does not work', '<p>The link is incomplete or has expired. The email about your registration has a working one.</p>'));

/** A forged or expired link on a page: the page says so, as plainly as the 401 the API answers. */
async function pageOrInvalid(work: () => Promise<HttpReply>): Promise<HttpReply> {
  try {
    return await work();
  } catch (error) {
    if (error instanceof Unauthorized) return invalidLink();
    throw error;
  }
}

const rsvpLinkPage = endpoint(api.rsvpLinkPage, async ({ params }) =>
  pageOrInvalid(async () => {
    const { rsvp: current, event } = await rsvps.byToken(params.token);
    if (current.status === 'cancelled') return htmlPage(200, simplePage('Already cancelled', `<p>Your registration for ${escapeHtml(event.title)} is already cancelled. There is nothing more to do.</p>`));
    const what = current.status === 'waitlisted' ? 'You are on the waitlist for this event.' : 'Your place at this event is confirmed.';
    const button = current.status === 'waitlisted' ? 'Leave the waitlist' : 'Cancel my registration';
    return htmlPage(200, simplePage(event.title, `<p>${what}</p>${details(event)}<form method="post"><button type="submit">${button}</button></form>`));
  }),
);

const cancelRsvpFromPage = endpoint(api.cancelRsvpFromPage, async ({ params }) =>
  pageOrInvalid(async () => {
    const { outcome, event } = await rsvps.cancel(params.token);
    return outcome === 'already'
      ? htmlPage(200, simplePage('Already cancelled', `<p>Your registration for ${escapeHtml(event.title)} was already cancelled. There is nothing more to do.</p>`))
      : htmlPage(200, simplePage('Registration cancelled', `<p>Your registration for ${escapeHtml(event.title)} is cancelled. Thank you for letting us know.</p>`));
  }),
);

const cancelRsvp = endpoint(api.cancelRsvp, async ({ params }) => {
  const { outcome, event, rsvpId } = await rsvps.cancel(params.token);
  const message = outcome === 'already' ? 'This registration was already cancelled.' : 'Your registration is cancelled.';
  return { status: 200, body: { id: rsvpId, eventId: event.id, status: 'cancelled', message, alreadyCancelled: outcome === 'already' } };
});

export const handler = httpApi(rsvpPage, rsvp, rsvpLinkPage, cancelRsvpFromPage, cancelRsvp);
