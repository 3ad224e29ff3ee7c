import * as z from 'zod';

const Day = z.iso.date();
const Rate = z.number().nullable();
const format = z.enum(['json', 'csv']).default('json');
const range = { from: Day.optional(), to: Day.optional(), format };

const intervals = ['day', 'week', 'month'] as const;
export const OverviewQuery = z.strictObject({ ...range, groupBy: z.enum(intervals).default('day') });
export const FunnelQuery = z.strictObject({ ...range, groupBy: z.enum(['none', 'source', 'campaign', 'job', 'segment', ...intervals]).default('none') });
export const SourcesQuery = z.strictObject({ ...range, groupBy: z.enum(['source', 'medium', 'campaign']).default('source') });
export const RangeQuery = z.strictObject(range);
export const AnalyticsById = z.strictObject({ id: z.string().regex(/^[A-Za-z0-9_.:-]{1,100}$/, 'not an id') });

const Period = { from: Day, to: Day };
const Stages = z.object({ contacted: z.number(), engaged: z.number(), applied: z.number(), interviewed: z.number(), offered: z.number(), hired: z.number() });

export const Funnel = z.object({
  ...Period,
  groupBy: z.string(),
  rows: z.array(z.object({
    key: z.string(),
    stages: Stages,
    conversion: z.object({ engaged: Rate, applied: Rate, interviewed: Rate, offered: Rate, hired: Rate }),
    overall: Rate,
  })),
});

export const Sources = z.object({
  ...Period,
  groupBy: z.string(),
  rows: z.array(z.object({ key: z.string(), applications: z.number(), hires: z.number(), hireRate: Rate })),
});

const Reputation = z.enum(['ok', 'warning', 'at-risk']);
export const CampaignAnalytics = z.object({
  ...Period,
  campaignId: z.string(),
  counts: z.object({
    sent: z.number(), delivered: z.number(), bounced: z.number(), complained: z.number(),
    opened: z.object({ human: z.number(), machine: z.number() }),
    clicked: z.number(), replied: z.number(), applied: z.number(), unsubscribed: z.number(),
  }),
  rates: z.object({
    delivery: Rate, humanOpen: Rate, machineOpen: Rate, click: Rate, reply: Rate, apply: Rate, unsubscribe: Rate, bounce: Rate, complaint: Rate,
    reputation: z.object({ bounce: Reputation, complaint: Reputation }),
  }),
});

export const JobAnalytics = z.object({
  ...Period,
  jobId: z.string(),
  applications: z.number(),
  applicationsBySource: z.array(z.object({ source: z.string(), applications: z.number() })),
  offers: z.number(),
  offersAccepted: z.number(),
  offersDeclined: z.number(),
  offerAcceptanceRate: Rate,
  hires: z.number(),
  firstApplicationAt: z.string().nullable(),
  filledAt: z.string().nullable(),
  timeToFillDays: z.number().nullable(),
});

export const EventAnalytics = z.object({
  ...Period,
  hiringEventId: z.string(),
  rsvps: z.object({ confirmed: z.number(), waitlisted: z.number(), promotedFromWaitlist: z.number(), cancelled: z.number() }),
  seatsHeld: z.number(),
  attended: z.number(),
  walkIns: z.number(),
  noShows: z.number(),
  attendanceRate: Rate,
  noShowRate: Rate,
  hiredAttendees: z.number(),
  attendeeHireRate: Rate,
});

export const Overview = z.object({
  ...Period,
  groupBy: z.enum(intervals),
  poolByStatus: z.record(z.string(), z.number()),
  poolSize: z.number(),
  touchpoints: z.number(),
  touchpointsPerCandidate: Rate,
  averageRelationshipDays: z.number().nullable(),
  newCandidates: z.number(),
  passiveToActive: z.number(),
  passiveToActiveRate: Rate,
  talentCommunityJoined: z.number(),
  talentCommunitySize: z.number(),
  consent: z.object({ purpose: z.string(), consented: z.number(), coverage: Rate }),
  replies: z.number(),
  unsubscribes: z.number(),
  surveyResponses: z.number(),
  nps: z.object({ responses: z.number(), promoters: z.number(), passives: z.number(), detractors: z.number(), score: z.number().nullable() }),
  series: z.array(z.object({
    period: z.string(),
    newCandidates: z.number(), passiveToActive: z.number(), touchpoints: z.number(), talentCommunityJoined: z.number(),
    replies: z.number(), unsubscribes: z.number(), surveyResponses: z.number(),
    nps: z.object({ responses: z.number(), score: z.number().nullable() }),
  })),
});

export type Funnel = z.output<typeof Funnel>;
export type Sources = z.output<typeof Sources>;
export type CampaignAnalytics = z.output<typeof CampaignAnalytics>;
export type JobAnalytics = z.output<typeof JobAnalytics>;
export type EventAnalytics = z.output<typeof EventAnalytics>;
export type Overview = z.output<typeof Overview>;
