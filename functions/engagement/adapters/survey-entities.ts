/**
 * Keys, index attributes and (de)serialisation of the survey items, in one place. The access patterns they serve
 * are listed in docs/surveys.md.
 */
import type { Invitation, InvitationKey, SurveyCounters, SurveyRecord, SurveyResponse } from '../domain/survey-ports.ts';
import type { TriggerKind } from '../survey-schemas.ts';

export type Item = Record<string, unknown>;

const strip = <T>(item: Item): T => {
  const { PK, SK, GSI1PK, GSI1SK, GSI2PK, GSI2SK, entity, ...rest } = item;
  return rest as T;
};

// Survey: SURVEY#<id> / SURVEY, listed newest first in GSI1 under SURVEYS; while active and sent by an event, also in
// GSI2 under its trigger (what the trigger consumer reads). Its counters are attributes moved by ADD.
export const surveyKey = (id: string) => ({ PK: `SURVEY#${id}`, SK: 'SURVEY' });
export const ALL_SURVEYS = 'SURVEYS';
export const surveysTriggeredBy = (kind: TriggerKind) => `SURVEYTRIGGER#${kind}`;
/** The trigger index entry of a survey: only active ones that an event sends. */
export const triggerIndex = (survey: Pick<SurveyRecord, 'id' | 'status' | 'trigger'>): { GSI2PK: string; GSI2SK: string } | undefined =>
  survey.status === 'active' && survey.trigger.on !== 'manual' ? { GSI2PK: surveysTriggeredBy(survey.trigger.on), GSI2SK: survey.id } : undefined;

export const COUNTERS = { sent: 'sent', responses: 'responses', failed: 'failed' } as const;
export const skippedCounter = (reason: string) => `skipped_${reason}`;

export const surveyItem = (survey: SurveyRecord): Item => ({
  ...surveyKey(survey.id),
  GSI1PK: ALL_SURVEYS,
  GSI1SK: survey.id,
  ...triggerIndex(survey),
  entity: 'survey',
  ...survey,
  sent: 0,
  responses: 0,
  failed: 0,
});

export function surveyFrom(item: Item): { survey: SurveyRecord; counters: SurveyCounters } {
  const { sent, responses, failed, ...rest } = strip<Record<string, unknown>>(item);
  const skipped: Record<string, number> = {};
  const survey: Record<string, unknown> = {};
  for (const [name, value] of Object.entries(rest)) {
    if (name.startsWith('skipped_')) skipped[name.slice('skipped_'.length)] = Number(value);
    else survey[name] = value;
  }
  return { survey: survey as unknown as SurveyRecord, counters: { sent: Number(sent ?? 0), responses: Number(responses ?? 0), failed: Number(failed ?? 0), skipped } };
}

// Invitation: in the person's partition, one per survey and subject (CAND#<candidateId> / SURVEYINV#<surveyId>#<subject>);
// GSI1 finds it from the id its link carries; once answered, GSI2 lists it under its survey (the results).
export const invitationKey = (key: InvitationKey) => ({ PK: `CAND#${key.candidateId}`, SK: `SURVEYINV#${key.surveyId}#${key.subject}` });
export const invitationLink = (id: string) => `SURVEYLINK#${id}`;
export const surveyResponses = (surveyId: string) => `SURVEYRESP#${surveyId}`;
export const responseIndex = (invitation: Pick<Invitation, 'id' | 'surveyId'>, answeredAt: string) => ({ GSI2PK: surveyResponses(invitation.surveyId), GSI2SK: `${answeredAt}#${invitation.id}` });

export const invitationItem = (invitation: Invitation): Item => ({
  ...invitationKey(invitation),
  GSI1PK: invitationLink(invitation.id),
  GSI1SK: invitation.id,
  entity: 'survey-invitation',
  ...invitation,
});
export const invitationFrom = (item: Item): Invitation => strip<Invitation>(item);

export const responseFrom = (item: Item): SurveyResponse => {
  const invitation = invitationFrom(item);
  return { invitationId: invitation.id, candidateId: invitation.candidateId, trigger: invitation.trigger, answeredAt: invitation.answeredAt!, answers: invitation.answers ?? {} };
};
