import type { Candidate } from '../../candidates/schemas.ts';
import { NotFound } from '../../../shared/errors.ts';
import { escapeHtml } from '../../../shared/html.ts';
import type { RetentionSettings } from '../schemas.ts';
import type { Clock, Mailer, SettingsStore } from './ports.ts';

/** Who the audit log names as having sent the notices. */
export const NOTICE_ACTOR = 'schedule:privacy-notice';

export interface NoticeQueue {
  /** People added by someone else who have not had their notice, oldest first, a page at a time. */
  pending(): AsyncIterable<Candidate[]>;
}

export interface NoticeDeps {
  queue: NoticeQueue;
  candidates: { markPrivacyNoticeSent(id: string, at: string, actor: string): Promise<unknown> };
  settings: SettingsStore;
  mailer: Mailer;
  /** Bounced, complained or unsubscribed addresses are not written to. */
  suppressed: (email: string) => Promise<boolean>;
  clock: Clock;
  /** The controller the notice names (Art. 14(1)(a)). */
  organisation: { name: string; url: string };
  /** Where people ask for their data or its erasure: `POST` with `email` and `type`, as a form or JSON. */
  requestsUrl: string;
}

export interface NoticeReport {
  sent: number;
  /** Not sent, and left pending: a person asking not to be contacted, one without an address, or a suppressed one. */
  skipped: { doNotContact: number; noAddress: number; suppressed: number };
  /** The run stopped for time; the next one carries on with who is left. */
  unfinished: boolean;
}

/** Where the data came from (Art. 14(2)(f)), in the person's words. */
const sources: Record<Candidate['source']['type'], string> = {
  sourced: 'your public professional profile, found by our recruiting team',
  import: 'a list imported by our recruiting team',
  referral: 'a referral by someone who knows you',
  agency: 'a recruitment agency',
  ats: 'our applicant tracking system',
  event: 'an event you took part in',
  manual: 'our recruiting team, who entered it',
  'job-board': 'a job board',
  'career-site': 'our career site',
  other: 'another source',
};

/** The kinds of data held about the person (Art. 14(1)(d)): named by kind, never repeated back. */
function categoriesOf(person: Candidate): string[] {
  return [
    person.firstName || person.lastName ? 'your name' : undefined,
    'your email address',
    person.phone ? 'your phone number' : undefined,
    person.location ? 'where you are based' : undefined,
    person.headline || person.company || person.experienceYears !== undefined ? 'your current role and experience' : undefined,
    person.skills.length ? 'your skills' : undefined,
    person.links.length ? 'links to your public profiles' : undefined,
    "our recruiters' notes on their contacts with you",
  ].filter((category): category is string => category !== undefined);
}

/**
 * The Art. 14 notice for someone whose data we did not get from them: who holds it and why, where it came from,
 * what it is, how long it is kept, their rights, and how to use them.
 */
export function privacyNotice(person: Candidate, context: { organisation: NoticeDeps['organisation']; requestsUrl: string; retention: RetentionSettings }) {
  const { organisation: org, requestsUrl, retention } = context;
  const source = sources[person.source.type] + (person.source.type === 'sourced' && person.source.url ? ` (${person.source.url})` : '');
  const paragraphs = [
    person.firstName ? `Hello ${person.firstName},` : 'Hello,',
    `${org.name} (${org.url}) holds some information about you in its recruiting system, and the law asks us to tell you so (Article 14 GDPR). ` +
      `${org.name} is responsible for it.`,
    `What we hold: ${categoriesOf(person).join(', ')}. It came from ${source}.`,
    `Why: to consider you for jobs at ${org.name} and to contact you about them. We rely on our legitimate interest in recruiting ` +
      '(Article 6(1)(f) GDPR). Only our recruiting team and the providers who run this system for us can see it.',
    `How long: we erase it ${retention.inactiveMonths} months after our last contact with you, or ${retention.communityMonths} months after it ` +
      'if you agree to join our talent community. While you are in an application process with us, we keep it until that ends.',
    'Your rights: you may ask for a copy of your data and take it elsewhere, have it corrected or erased, restrict its use, or object to it, ' +
      'and we will stop. You may also complain to a data protection supervisory authority.',
    `How to ask: send your email address and the kind of request — "access" for a copy, "erasure" to be removed — to our privacy request ` +
      `service at ${requestsUrl} (the buttons below do this for you). To make sure it is you, we first send a confirmation link to this address.`,
    `You do not need to do anything if you are happy to hear from ${org.name} about jobs.`,
  ];
  // The buttons post the same form the service takes; mail apps that do not send forms still show the words above.
  const form = `<form method="post" action="${escapeHtml(requestsUrl)}"><input type="hidden" name="email" value="${escapeHtml(person.email)}">` +
    '<button type="submit" name="type" value="access">Send me a copy of my data</button> ' +
    '<button type="submit" name="type" value="erasure">Erase my data</button></form>';
  return {
    to: person.email,
    subject: `How ${org.name} uses your personal data`,
    text: paragraphs.join('\n\n'),
    html: `${paragraphs.map((paragraph) => `<p>${escapeHtml(paragraph)}</p>`).join('\n')}\n${form}`,
  };
}

/** The daily run: each person added by someone else gets their notice once, oldest first. */
export function noticeService(deps: NoticeDeps) {
  const { queue, candidates, settings, mailer, clock, organisation, requestsUrl } = deps;
  return {
    async sendNotices(hasTimeLeft: () => boolean = () => true): Promise<NoticeReport> {
      const retention = await settings.retention();
      const report: NoticeReport = { sent: 0, skipped: { doNotContact: 0, noAddress: 0, suppressed: 0 }, unfinished: false };
      // The index may list someone again before it catches up with a notice just sent: one email per person per run.
      const seen = new Set<string>();
      for await (const page of queue.pending()) {
        for (const person of page) {
          if (seen.has(person.id) || person.privacyNoticeSentAt) continue;
          if (!hasTimeLeft()) return { ...report, unfinished: true };
          seen.add(person.id);
          // Not marked as sent, since nothing was: they stay pending and get it once they can be written to.
          if (person.status === 'do-not-contact') report.skipped.doNotContact++;
          else if (!person.email) report.skipped.noAddress++;
          else if (await deps.suppressed(person.email)) report.skipped.suppressed++;
          else {
            // Sent, then marked: a crash in between sends it twice, which is better than never.
            await mailer.send(privacyNotice(person, { organisation, requestsUrl, retention }));
            report.sent++;
            await markSent(person.id);
          }
        }
      }
      return report;
    },
  };

  async function markSent(id: string) {
    try {
      await candidates.markPrivacyNoticeSent(id, clock.now(), NOTICE_ACTOR);
    } catch (error) {
      // Erased or merged away since the page was read: there is no record left to mark.
      if (!(error instanceof NotFound)) throw error;
    }
  }
}
