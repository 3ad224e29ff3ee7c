import * as z from 'zod';
import { defineEvent } from './contract.ts';

const SOURCE = 'talent-relay.engagement';

/**
 * A person answered a feedback survey (once per invitation). `npsScore` is their answer to the survey's first NPS
 * question, when it has one and they answered it; the answers themselves stay in the table.
 */
export const SurveyAnswered = defineEvent(SOURCE, 'SurveyAnswered', z.object({
  surveyId: z.string(),
  candidateId: z.string(),
  invitationId: z.string(),
  /** What sent the survey: application-received, interview, event-attended, hired-or-rejected or manual. */
  trigger: z.string(),
  npsScore: z.number().int().min(0).max(10).optional(),
}));
