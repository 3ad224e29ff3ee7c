import { makeEvent } from '../../../events/contract.ts';
import { SurveyAnswered } from '../../../events/surveys.ts';
import type { FieldError } from '../../../shared/errors.ts';
import { MailNotSent } from './mail-not-sent.ts';
import { checkAnswers } from './survey-answers.ts';
import { invitationEmail } from './survey-email.ts';
import { SURVEY_LINK_DAYS } from './survey-page.ts';
import type { SendInput } from './survey-service.ts';
import type {
  Clock, Ids, Invitation, InvitationKey, InvitationStore, LinkSigner, Mailer, Organisation, People, Recipient, SkipReason, SurveyRecord, SurveyStore,
} from './survey-ports.ts';

/** A person objects to feedback surveys (Art. 21) by a withdrawal recorded under this purpose. */
const SURVEY_OBJECTION_PURPOSE = 'feedback-surveys';
const PUBLIC_ACTOR = 'public';

/**
 * Why this person must not get this survey now, suppression aside (that needs a lookup): surveys follow up the
 * person's own application or attendance (legitimate interest), so they need no marketing consent, but a paused
 * survey, a missing address, "do not contact" and an objection each stop them.
 */
function skipReasonOf(survey: Pick<SurveyRecord, 'status'>, person: Recipient): SkipReason | undefined {
  if (survey.status !== 'active') return 'paused';
  if (!person.email) return 'no-address';
  if (person.status === 'do-not-contact') return 'do-not-contact';
  const latest = person.consents.filter((c) => c.purpose === SURVEY_OBJECTION_PURPOSE).sort((a, b) => a.recordedAt.localeCompare(b.recordedAt)).at(-1);
  if (latest && !latest.granted) return 'objected';
  return undefined;
}

export type SendOutcome = { outcome: 'sent' | 'already-invited' | 'survey-gone' | 'erased' | 'failed' } | { outcome: 'skipped'; reason: SkipReason };

type LinkRefused = { state: 'invalid-link' } | { state: 'already-answered' };
export type FormState = LinkRefused | { state: 'open'; survey: SurveyRecord };
export type AnswerOutcome = LinkRefused | { state: 'received' } | { state: 'invalid-answers'; survey: SurveyRecord; errors: FieldError[] };

/** Sending invitations (the workflow's task) and taking the answers from the link they carry. */
export function invitationService(deps: {
  surveys: SurveyStore;
  invitations: InvitationStore;
  people: People;
  /** Bounced, complained or unsubscribed addresses get no survey either. */
  suppressed: (email: string) => Promise<boolean>;
  mailer: Mailer;
  signer: LinkSigner;
  org: () => Organisation;
  publicApiUrl: () => string;
  clock: Clock;
  ids: Ids;
}) {
  const { surveys, invitations, clock, ids } = deps;
  const keyOf = (input: SendInput): InvitationKey => ({ surveyId: input.surveyId, candidateId: input.candidateId, subject: input.subject });
  const fresh = (input: SendInput): Omit<Invitation, 'status'> => ({ id: ids.next('sinv'), ...keyOf(input), trigger: input.trigger, createdAt: clock.now() });

  /** The invitation a link names, with its survey; undefined for a forged, expired or unknown link. */
  async function linked(token: string) {
    const id = await deps.signer.verify(token);
    const invitation = id ? await invitations.byId(id) : undefined;
    const stored = invitation ? await surveys.get(invitation.surveyId) : undefined;
    return invitation && stored ? { invitation, survey: stored.survey } : undefined;
  }

  return {
    /**
     * Sends one invitation, once: the send is claimed with a conditional write before the email goes out. An email
     * the mail service refused gives the claim back for the retry; a claim left by an attempt that stopped midway, or
     * whose send failed in a way that may hide a delivered email (a timeout), is recorded as failed rather than
     * risking a second email.
     */
    async send(input: SendInput, attempt: string): Promise<SendOutcome> {
      const stored = await surveys.get(input.surveyId);
      if (!stored) return { outcome: 'survey-gone' };
      const { survey } = stored;
      const existing = await invitations.get(keyOf(input));
      if (existing && existing.status !== 'claimed') return { outcome: 'already-invited' };
      if (existing) {
        await invitations.failed({ ...existing, status: 'failed', detail: 'an attempt stopped while sending; not sent again', failedAt: clock.now() });
        return { outcome: 'failed' };
      }
      const person = await deps.people.get(input.candidateId);
      if (!person) return { outcome: 'erased' };
      const reason = skipReasonOf(survey, person) ?? ((await deps.suppressed(person.email)) ? 'suppressed' : undefined);
      if (reason) {
        await invitations.skip({ ...fresh(input), status: 'skipped', skipReason: reason });
        return { outcome: 'skipped', reason };
      }
      const invitation: Invitation = { ...fresh(input), status: 'claimed', claimToken: attempt };
      if (!(await invitations.claim(invitation))) return { outcome: 'already-invited' };
      const link = `${deps.publicApiUrl()}/public/surveys/${await deps.signer.sign(invitation.id, SURVEY_LINK_DAYS)}`;
      try {
        await deps.mailer.send({ to: person.email, ...invitationEmail({ survey, firstName: person.firstName, link, org: deps.org() }) });
      } catch (error) {
        if (error instanceof MailNotSent) await invitations.release(keyOf(input), attempt);
        throw error;
      }
      await invitations.sent(keyOf(input), attempt, clock.now());
      return { outcome: 'sent' };
    },

    /** The workflow's retries ran out: the invitation is recorded as failed (and counted), unless it went out after all. */
    async recordFailure(input: SendInput, cause: string): Promise<SendOutcome> {
      const now = clock.now();
      await invitations.failed({ ...fresh(input), status: 'failed', detail: cause.slice(0, 500), failedAt: now });
      return { outcome: 'failed' };
    },

    /** What the link shows: the form, or that it was answered, or that it does not work. */
    async form(token: string): Promise<FormState> {
      const found = await linked(token);
      if (!found) return { state: 'invalid-link' };
      return found.invitation.answeredAt ? { state: 'already-answered' } : { state: 'open', survey: found.survey };
    },

    /** Stores the answers of a genuine link once; invalid answers are named by question and store nothing. */
    async answer(token: string, given: Record<string, unknown>): Promise<AnswerOutcome> {
      const found = await linked(token);
      if (!found) return { state: 'invalid-link' };
      const { invitation, survey } = found;
      if (invitation.answeredAt) return { state: 'already-answered' };
      const checked = checkAnswers(survey.questions, given);
      if ('errors' in checked) return { state: 'invalid-answers', survey, errors: checked.errors };
      const now = clock.now();
      const nps = survey.questions.find((q) => q.type === 'nps');
      const npsScore = nps ? checked.answers[nps.id] : undefined;
      const event = makeEvent(SurveyAnswered, { eventId: ids.next('evt'), occurredAt: now, actor: PUBLIC_ACTOR }, {
        surveyId: survey.id,
        candidateId: invitation.candidateId,
        invitationId: invitation.id,
        trigger: invitation.trigger,
        ...(typeof npsScore === 'number' ? { npsScore } : {}),
      });
      // A second submit racing this one, or the person erased meanwhile: the conditional write stores nothing.
      return (await invitations.answer(invitation, checked.answers, now, [event])) ? { state: 'received' } : { state: 'already-answered' };
    },
  };
}

