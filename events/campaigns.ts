import * as z from 'zod';
import { defineEvent } from './contract.ts';

const SOURCE = 'talent-relay.campaigns';
const candidateId = z.string();

export const CampaignLaunched = defineEvent(SOURCE, 'CampaignLaunched', z.object({ campaignId: z.string(), kind: z.enum(['one-shot', 'drip']) }));

/** A campaign email reached a milestone for its recipient: published once per recipient and milestone. */
export const EmailActivity = defineEvent(SOURCE, 'EmailActivity', z.object({
  candidateId,
  campaignId: z.string(),
  step: z.number().int().optional(),
  kind: z.enum(['sent', 'opened', 'clicked', 'bounced', 'complained']),
  messageId: z.string().optional(),
  url: z.string().optional(),
}));

export const CandidateReplied = defineEvent(SOURCE, 'CandidateReplied', z.object({
  candidateId,
  campaignId: z.string().optional(),
  subject: z.string(),
  /** The new text of the reply, quoted history stripped, at most 4,000 characters. */
  text: z.string(),
  /** Where the raw message is kept (inbound bucket), so erasing the person removes it too. */
  objectKey: z.string().optional(),
}));

export const CandidateUnsubscribed = defineEvent(SOURCE, 'CandidateUnsubscribed', z.object({
  candidateId,
  campaignId: z.string().optional(),
  /** `unsubscribe` (the link or one-click header) or `complaint` (marked as spam). */
  via: z.enum(['unsubscribe', 'complaint']),
}));

export const campaignEvents = [CampaignLaunched, EmailActivity, CandidateReplied, CandidateUnsubscribed];
