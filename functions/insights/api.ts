import {
  ApplicationReceived, ApplicationStatusChanged, CandidateCreated, CandidatesMerged, CandidateUpdated, MergeUndone, SegmentEntered, SegmentLeft, TouchpointLogged,
} from '../../events/candidates.ts';
import { CandidateErased } from '../../events/privacy.ts';
import { SesEmailEvents } from '../../events/ses.ts';
import { CandidateReplied, CandidateUnsubscribed, EmailActivity } from '../../events/campaigns.ts';
import { EventAttended, RsvpCancelled, RsvpConfirmed, RsvpWaitlisted } from '../../events/engagement.ts';
import { SurveyAnswered } from '../../events/surveys.ts';
import { TalentCommunityJoined } from '../../events/syndication.ts';
import { route } from '../../shared/http/route.ts';
import {
  AnalyticsById, CampaignAnalytics, EventAnalytics, Funnel, FunnelQuery, JobAnalytics, Overview, OverviewQuery, RangeQuery, Sources, SourcesQuery,
} from './schemas.ts';

const tag = 'insights';
const csvNote = '; ?from=&to= (UTC days, at most two years, the last 30 days unless said), ?format=csv';

export const overview = route({
  method: 'GET', path: '/analytics/overview', access: 'viewer', tag,
  summary: `Pool size by status, consent coverage, average relationship length, touchpoints per candidate, new candidates, passive → active conversion, talent-community size and growth, replies, unsubscribes, NPS; a series per ?groupBy=day|week|month${csvNote}`,
  query: OverviewQuery, response: Overview,
});
export const funnel = route({
  method: 'GET', path: '/analytics/funnel', access: 'viewer', tag,
  summary: `Distinct people contacted → engaged (human open or click) → applied → interviewed → offered → hired, with conversion rates; ?groupBy=source|campaign|job|segment, or over time: day|week|month${csvNote}`,
  query: FunnelQuery, response: Funnel,
});
export const sources = route({
  method: 'GET', path: '/analytics/sources', access: 'viewer', tag,
  summary: `Applications and hires by UTM source, medium or campaign (?groupBy=)${csvNote}`,
  query: SourcesQuery, response: Sources,
});
export const campaign = route({
  method: 'GET', path: '/analytics/campaigns/{id}', access: 'viewer', tag,
  summary: `A campaign's delivery, human and machine open, click, reply, apply, unsubscribe, bounce and complaint rates, SES reputation flagged (bounce ≥ 5 % / complaint ≥ 0.1 % warning, 10 % / 0.5 % at risk); ?from=&to= (UTC days, at most two years; from the campaign's creation day to today unless said), ?format=csv`,
  params: AnalyticsById, query: RangeQuery, response: CampaignAnalytics,
});
export const job = route({
  method: 'GET', path: '/analytics/jobs/{id}', access: 'viewer', tag,
  summary: `A job's applications by source, offers and offer acceptance rate, time to fill${csvNote}`,
  params: AnalyticsById, query: RangeQuery, response: JobAnalytics,
});
export const hiringEvent = route({
  method: 'GET', path: '/analytics/events/{id}', access: 'viewer', tag,
  summary: `A hiring event's RSVPs, attendance, no-shows and hires among attendees${csvNote}`,
  params: AnalyticsById, query: RangeQuery, response: EventAnalytics,
});

/** The domain events the analytics rollups are kept from. */
export const analyticsEvents = [
  CandidateCreated, CandidateUpdated, CandidatesMerged, MergeUndone, CandidateErased, SegmentEntered, SegmentLeft, TouchpointLogged, ApplicationReceived,
  ApplicationStatusChanged, EmailActivity, CandidateReplied, CandidateUnsubscribed, TalentCommunityJoined, EventAttended, RsvpConfirmed, RsvpWaitlisted,
  RsvpCancelled, SurveyAnswered,
];

/** What SES tells of campaign emails that no domain event carries: sends, deliveries, machine opens (on the default bus). */
export const emailEvents = SesEmailEvents.filter((e) => ['Email Sent', 'Email Delivered', 'Email Opened'].includes(e.detailType));
