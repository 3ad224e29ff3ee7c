import { Conflict, NotFound, Unprocessable } from '../../../shared/errors.ts';
import { escapeHtml } from '../../../shared/html.ts';
import type { InviteRequest } from '../schemas.ts';
import { eventLines } from './emails.ts';
import { present, rsvpUrl, utc } from './event-service.ts';
import type { Campaigns, Clock, EventStore, StoredEvent } from './ports.ts';

interface TemplateSource {
  name: string;
  subject: string;
  html: string;
  text?: string;
}

/*
 * The campaign renderer fills per-recipient placeholders only ({{firstName}}, {{unsubscribeUrl}}, …) and refuses
 * any other at save time, so an event's details cannot be placeholders. An invitation therefore sends a copy of the
 * recruiter's template with an event card (title, when, where, description, RSVP button) added after its content;
 * the recipient placeholders in it keep working. Event text never becomes a placeholder: `{{` in it is broken up.
 */
const literalHtml = (value: string) => escapeHtml(value).replace(/\{/g, '&#123;').replace(/\}/g, '&#125;');
const literalText = (value: string) => value.replace(/\{\{/g, '{ {').replace(/\}\}/g, '} }');

function cardHtml(event: StoredEvent, rsvpUrl: string): string {
  const lines = eventLines(event).map((line) => `<p style="margin:.25rem 0">${literalHtml(line)}</p>`).join('');
  const description = event.description ? `<p style="margin:.75rem 0 0">${literalHtml(event.description).replace(/\n/g, '<br>')}</p>` : '';
  return `<div style="font:16px/1.5 system-ui,sans-serif;color:#1a1a1a;max-width:36rem;margin:1.5rem auto;padding:1rem 1.25rem;border:1px solid #d0d7e2;border-radius:6px">`
    + `<h2 style="margin:0 0 .5rem;font-size:1.25rem">${literalHtml(event.title)}</h2>${lines}${description}`
    + `<p style="margin:1rem 0 0"><a href="${literalHtml(rsvpUrl)}" style="display:inline-block;padding:.6rem 1rem;background:#2952cc;color:#fff;border-radius:4px;text-decoration:none">RSVP</a></p></div>`;
}

function cardText(event: StoredEvent, rsvpUrl: string): string {
  return [event.title, ...eventLines(event), ...(event.description ? [event.description] : []), `RSVP: ${rsvpUrl}`].map(literalText).join('\n');
}

/** The template an invitation sends: the recruiter's own, with the event card before the end of its body. */
export function invitationTemplate(template: TemplateSource, event: StoredEvent, rsvpUrl: string): TemplateSource {
  const card = cardHtml(event, rsvpUrl);
  const end = template.html.search(/<\/body\s*>/i);
  const html = end < 0 ? template.html + card : template.html.slice(0, end) + card + template.html.slice(end);
  return {
    name: `${template.name} · ${literalText(event.title)}`.slice(0, 200),
    subject: template.subject,
    html,
    // Without a text part the renderer derives one from the HTML, card included.
    ...(template.text ? { text: `${template.text.trimEnd()}\n\n${cardText(event, rsvpUrl)}` } : {}),
  };
}

/**
 * Invites an audience to an event: a one-shot campaign of the recruiter's template with the event card, so consent,
 * suppression, tracking and unsubscribe work as in every campaign. A function of its own: only it carries the
 * campaigns context's code.
 */
export function invitationService(deps: { events: EventStore; campaigns: Campaigns; publicApiUrl: () => string; clock: Clock }) {
  const { events, campaigns, clock } = deps;
  return {
    async invite(id: string, request: InviteRequest, actor: string) {
      const event = await events.get(id);
      if (!event) throw new NotFound(`There is no event ${id}.`);
      const status = present(event, clock.now(), deps.publicApiUrl()).status;
      if (status !== 'scheduled') throw new Conflict(`A ${status} event takes no invitations.`, { currentStatus: status });
      const template = await campaigns.template(request.templateId);
      if (!template) throw new Unprocessable(`No template ${request.templateId}.`, { errors: [{ path: 'body.templateId', message: `no template ${request.templateId}` }] });
      const derived = await campaigns.createTemplate(invitationTemplate(template, event, rsvpUrl(deps.publicApiUrl(), id)));
      const campaign = await campaigns.sendOneShot(
        { name: `Invitation: ${event.title}`.slice(0, 200), audience: request.audience, templateId: derived.id, timeZone: event.timeZone, ...(request.sendAt ? { sendAt: utc(request.sendAt) } : {}) },
        actor,
      );
      const invitation = { campaignId: campaign.id, templateId: request.templateId, audience: request.audience, invitedAt: clock.now() };
      await events.addInvitation(id, invitation);
      return { eventId: id, ...invitation, campaignStatus: campaign.status };
    },
  };
}
