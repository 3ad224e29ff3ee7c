import { ApplicationReceived, ApplicationStatusChanged, CandidateCreated, CandidateUpdated, TouchpointLogged } from '../../events/candidates.ts';
import { CandidateReplied, CandidateUnsubscribed, EmailActivity } from '../../events/campaigns.ts';
import { EventAttended, RsvpCancelled, RsvpConfirmed, RsvpWaitlisted } from '../../events/engagement.ts';
import { SurveyAnswered } from '../../events/surveys.ts';
import { TalentCommunityJoined } from '../../events/syndication.ts';
import { route } from '../../shared/http/route.ts';
import {
  AnalyticsById, CampaignAnalytics, CampaignQuery, EventAnalytics, Funnel, FunnelQuery, JobAnalytics, Overview, OverviewQuery, RangeQuery, Sources, SourcesQuery,
} from './schemas.ts';

const tag = 'insights';
const csvNote = '; ?from=&to= (UTC days, at most two years, the last 30 days unless said), ?format=csv';

export const overview = route({
  method: 'GET', path: '/analytics/overview', access: 'viewer', tag,
  summary: `Pool size by status, new candidates, passive → active conversion, touchpoints per candidate, talent-community growth, replies, unsubscribes, NPS${csvNote}`,
  query: OverviewQuery, response: Overview,
});
export const funnel = route({
  method: 'GET', path: '/analytics/funnel', access: 'viewer', tag,
  summary: `Distinct people contacted → engaged (human open or click) → applied → interviewed → offered → hired, with conversion rates; ?groupBy=source|campaign|job${csvNote}`,
  query: FunnelQuery, response: Funnel,
});
export const sources = route({
  method: 'GET', path: '/analytics/sources', access: 'viewer', tag,
  summary: `Applications and hires by UTM source, medium or campaign (?groupBy=)${csvNote}`,
  query: SourcesQuery, response: Sources,
});
export const campaign = route({
  method: 'GET', path: '/analytics/campaigns/{id}', access: 'viewer', tag,
  summary: 'A campaign\'s delivery, human and machine open, click, reply, apply, unsubscribe, bounce and complaint rates, SES reputation flagged (bounce ≥ 5 % / complaint ≥ 0.1 % warning, 10 % / 0.5 % at risk); lifetime counts; ?format=csv',
  params: AnalyticsById, query: CampaignQuery, response: CampaignAnalytics,
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
  CandidateCreated, CandidateUpdated, TouchpointLogged, ApplicationReceived, ApplicationStatusChanged, EmailActivity, CandidateReplied, CandidateUnsubscribed,
  TalentCommunityJoined, EventAttended, RsvpConfirmed, RsvpWaitlisted, RsvpCancelled, SurveyAnswered,
];
