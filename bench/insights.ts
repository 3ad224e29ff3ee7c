/**
 * `BENCH_ONLY=analytics|matching npm run bench`: analytics read latency per endpoint as the pool grows (goal: flat),
 * and GET /jobs/{id}/matches latency and consumed read units over the whole pool, on the local stack.
 *
 * A million email events cannot go through the event consumer on DynamoDB Local in reasonable time, so the data is
 * generated (seeded, deterministic for a given day) and written in the shape the system itself writes: each
 * person's events are folded with the insights domain's own `planFor` (the code the consumer runs) and the rollup and
 * milestone items BatchWritten; profiles and their index entries come from the candidates adapters' own item and key
 * builders (`candidateItem`, `indexEntries`, `indexEntryItem`), jobs, campaigns and pools from their contexts'.
 * Each scale runs in a child process: the table is loaded with the stream relay not yet running (so the indexer does
 * not redo the entries), then the stack starts on the persisted table and is measured through HTTP.
 */
import { spawn } from 'node:child_process';
import { existsSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { UpdateTableCommand } from '@aws-sdk/client-dynamodb';
import { BatchWriteCommand, DynamoDBDocumentClient } from '@aws-sdk/lib-dynamodb';
import { campaignItem } from '../functions/campaigns/adapters/entities.ts';
import type { Campaign } from '../functions/campaigns/schemas.ts';
import { indexEntries } from '../functions/candidates/adapters/candidate-index.ts';
import { candidateCountKey, candidateItem, emailGuardKey, indexEntryItem, poolEntry, poolItem } from '../functions/candidates/adapters/entities.ts';
import { addEngagement, type Engagement, type EngagementKind } from '../functions/candidates/domain/engagement.ts';
import { Candidate, type Pool } from '../functions/candidates/schemas.ts';
import { hiringEventItem } from '../functions/engagement/adapters/entities.ts';
import { FLAG_PREFIX, memberKey, personKey, rollupKey, shardOf } from '../functions/insights/adapters/entities.ts';
import { analyticsEvents } from '../functions/insights/api.ts';
import { consentUntil, emptyPerson, type MemberState, type PersonState, type ProfileFacts } from '../functions/insights/domain/people.ts';
import { needsPerson, planFor, subjectsOf, type AnalyticsEvent, type Group, type SubjectState } from '../functions/insights/domain/rollups.ts';
import { jobItem } from '../functions/syndication/adapters/entities.ts';
import type { Job } from '../functions/syndication/schemas.ts';
import { derivedId } from '../shared/ids.ts';
import { consumedCapacity, meterCapacity, resetCapacity } from '../infra/local/capacity.ts';
import { ensureTable, startDynamoDbLocal } from '../infra/local/dynamodb.ts';
import { currentFunction } from '../infra/local/faults.ts';
import { LOCAL_TABLE, startLocalStack } from '../infra/local/stack.ts';
import { dynamo } from '../shared/table/client.ts';
import { table as tableDefinition } from '../shared/table/definition.ts';

const DAY_MS = 86_400_000;
const HOUR_MS = 3_600_000;
/** The events spread over this many days before the day of the run. */
const PERIOD_DAYS = 400;
const WORLD = { campaigns: 60, jobs: 30, hiringEvents: 12, pools: 6 };
/** BatchWrites in flight while loading. */
const WRITERS = 8;

// ---------------------------------------------------------------------------------------------------------------
// Deterministic randomness: each person has their own stream, so the first 10,000 people are the same at every scale.

function random(seed: string) {
  let h = 2166136261;
  for (let i = 0; i < seed.length; i++) h = Math.imul(h ^ seed.charCodeAt(i), 16777619);
  let a = h >>> 0;
  const next = () => {
    a = (a + 0x6d2b79f5) >>> 0;
    let t = a;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
  const weighted = <T>(entries: readonly (readonly [T, number])[]): T => {
    let r = next() * entries.reduce((sum, [, w]) => sum + w, 0);
    for (const [value, w] of entries) if ((r -= w) < 0) return value;
    return entries.at(-1)![0];
  };
  return {
    next,
    int: (n: number) => Math.floor(next() * n),
    between: (min: number, max: number) => min + next() * (max - min),
    chance: (p: number) => next() < p,
    pick: <T>(values: readonly T[]): T => values[Math.floor(next() * values.length)]!,
    weighted,
  };
}

const iso = (ms: number) => new Date(ms).toISOString();
const dayString = (ms: number) => iso(ms).slice(0, 10);

// ---------------------------------------------------------------------------------------------------------------
// The world: campaigns, jobs, hiring events and pools, the same at every scale.

const families = {
  backend: { weight: 30, titles: ['Backend Engineer', 'Software Engineer', 'Platform Engineer'], skills: ['typescript', 'node.js', 'go', 'java', 'python', 'postgres', 'aws', 'docker', 'kubernetes', 'graphql', 'redis', 'kafka'] },
  frontend: { weight: 25, titles: ['Frontend Engineer', 'Web Developer', 'UI Engineer'], skills: ['javascript', 'typescript', 'react', 'vue', 'css', 'html', 'next.js', 'graphql', 'accessibility'] },
  data: { weight: 15, titles: ['Data Engineer', 'Data Scientist', 'ML Engineer'], skills: ['python', 'sql', 'spark', 'airflow', 'machine learning', 'pandas', 'aws', 'dbt'] },
  devops: { weight: 12, titles: ['DevOps Engineer', 'Site Reliability Engineer', 'Cloud Engineer'], skills: ['aws', 'kubernetes', 'terraform', 'docker', 'linux', 'gcp', 'azure', 'ci/cd'] },
  mobile: { weight: 8, titles: ['iOS Developer', 'Android Developer', 'Mobile Engineer'], skills: ['swift', 'kotlin', 'react native', 'flutter', 'typescript'] },
  design: { weight: 10, titles: ['Product Designer', 'UX Designer', 'UX Researcher'], skills: ['figma', 'ux', 'ui', 'user research', 'prototyping'] },
} as const;
type Family = keyof typeof families;
const familyWeights = Object.entries(families).map(([name, f]) => [name as Family, f.weight] as const);
/** How people write some skills: the synonyms matching knows (ts, nodejs, k8s, …). */
const aliases: Record<string, readonly string[]> = { typescript: ['ts'], 'node.js': ['nodejs', 'node'], go: ['golang'], kubernetes: ['k8s'], javascript: ['js'], aws: ['amazon web services'], postgres: ['postgresql'], react: ['reactjs'] };

const places: readonly (readonly [string, number, readonly (readonly [string, string])[]])[] = [
  ['DE', 30, [['Berlin', 'Europe/Berlin'], ['Munich', 'Europe/Berlin'], ['Hamburg', 'Europe/Berlin']]],
  ['GB', 15, [['London', 'Europe/London'], ['Manchester', 'Europe/London']]],
  ['PL', 10, [['Warsaw', 'Europe/Warsaw'], ['Krakow', 'Europe/Warsaw']]],
  ['US', 10, [['New York', 'America/New_York'], ['San Francisco', 'America/Los_Angeles']]],
  ['NL', 8, [['Amsterdam', 'Europe/Amsterdam']]],
  ['FR', 8, [['Paris', 'Europe/Paris']]],
  ['ES', 6, [['Madrid', 'Europe/Madrid'], ['Barcelona', 'Europe/Madrid']]],
  ['IN', 6, [['Bangalore', 'Asia/Kolkata']]],
  ['PT', 4, [['Lisbon', 'Europe/Lisbon']]],
  ['SE', 3, [['Stockholm', 'Europe/Stockholm']]],
];
const placeWeights = places.map((p) => [p, p[1]] as const);

const firstNames = 'Ada Alan Grace Linus Margaret Dennis Barbara Ken Frances John Radia Tim Hedy Claude Katherine Edsger Anita Donald Shafi Leslie Sophie Lukas Mia Noah Emma Jonas Lena Elias Hannah Felix Anna Paul Marie Ben Laura Finn Julia Leon Sara Jan Zofia Jakub Olivia Mateo Lucia Hugo Chloe Arjun Priya Sven Ingrid Joao Beatriz Liam Ava Ethan Isla Omar Yara Kenji'.split(' ');
const lastNames = 'Lovelace Turing Hopper Torvalds Hamilton Ritchie Liskov Thompson Allen Backus Perlman Berners-Lee Lamarr Shannon Johnson Dijkstra Borg Knuth Goldwasser Lamport Muller Schmidt Schneider Fischer Weber Meyer Wagner Becker Schulz Hoffmann Kowalski Nowak Wisniewski Smith Jones Taylor Brown Williams Martin Bernard Dubois Garcia Fernandez Lopez Silva Santos Jansen deVries Andersson Nilsson Sharma Patel Kumar Rossi Russo Novak Horvat Kim Tanaka'.split(' ');
const companies = ['Acme', 'Globex', 'Initech', 'Umbrella', 'Hooli', 'Stark Industries', 'Wayne Enterprises', 'Cyberdyne', 'Soylent', 'Tyrell', 'Wonka', 'Vandelay'];
const seniorities = ['Junior', '', '', 'Senior', 'Senior', 'Lead', 'Staff', 'Principal'];
const tagNames = ['silver-medalist', 'referral', 'conference', 'alumni', 'open-source', 'relocation', 'remote-only', 'hackathon'];
const sourceWeights = [['sourced', 25], ['import', 20], ['career-site', 20], ['job-board', 12], ['referral', 8], ['event', 5], ['agency', 5], ['manual', 5]] as const;
/** UTM of applications from the career site: source, medium and how often. */
const careerSiteUtm: readonly (readonly [{ source: string; medium: string }, number])[] = [[{ source: 'linkedin', medium: 'social' }, 30], [{ source: 'google', medium: 'organic' }, 25], [{ source: 'indeed', medium: 'cpc' }, 15], [{ source: 'twitter', medium: 'social' }, 8], [{ source: 'github', medium: 'referral' }, 7], [{ source: 'stackoverflow', medium: 'job-board' }, 10], [{ source: 'meetup', medium: 'event' }, 5]];

interface WorldJob {
  job: Job;
  family: Family;
  opensAt: number;
  closesAt: number;
  slug: string;
}

function worldOf(end: number) {
  const rng = random('world');
  const start = end - PERIOD_DAYS * DAY_MS;
  const campaigns = Array.from({ length: WORLD.campaigns }, (_, k) => {
    const launchedAt = start + Math.floor(((k + 0.5) * PERIOD_DAYS * DAY_MS) / WORLD.campaigns) + 9 * HOUR_MS;
    const topic = (['newsletter', 'job-alerts', 'events', 'nurture'] as const)[k % 4]!;
    const campaign: Campaign = {
      id: derivedId('camp', iso(launchedAt - 2 * DAY_MS), `bench-campaign-${k}`),
      name: `${topic} ${dayString(launchedAt)}`,
      kind: 'one-shot',
      audience: { segmentId: derivedId('seg', iso(start), `bench-segment-${k % 5}`) },
      topic,
      timeZone: 'Europe/Berlin',
      templateId: derivedId('tpl', iso(start), `bench-template-${k % 3}`),
      recipientTimeZone: false,
      status: 'sent',
      launchedAt: iso(launchedAt),
      completedAt: iso(launchedAt + HOUR_MS),
      createdAt: iso(launchedAt - 2 * DAY_MS),
      updatedAt: iso(launchedAt + HOUR_MS),
      version: 3,
    };
    return { campaign, launchedAt, slug: `${topic}-${dayString(launchedAt)}` };
  });

  const jobs: WorldJob[] = Array.from({ length: WORLD.jobs }, (_, k) => {
    const target = k === WORLD.jobs - 1;
    const family: Family = target ? 'backend' : rng.weighted(familyWeights);
    const opensAt = target ? end - 45 * DAY_MS : start + Math.floor((k * (PERIOD_DAYS - 30) * DAY_MS) / WORLD.jobs);
    const closesAt = target ? end + 60 * DAY_MS : opensAt + Math.floor(rng.between(45, 150)) * DAY_MS;
    const f = families[family];
    const title = target ? 'Senior Backend Engineer (TypeScript)' : `${rng.pick(['', 'Senior ', 'Lead '])}${rng.pick(f.titles)}`;
    const skills = target ? ['typescript', 'node.js', 'aws'] : [...new Set(Array.from({ length: 3 }, () => rng.pick(f.skills)))];
    const nice = f.skills.filter((s) => !skills.includes(s)).slice(0, 3);
    const [country, , cities] = target ? places[0]! : rng.weighted(placeWeights);
    const city = cities[0]![0];
    const type = target ? 'hybrid' : rng.pick(['onsite', 'hybrid', 'remote'] as const);
    const slug = `${title.toLowerCase().replace(/[^a-z0-9]+/g, '-').replace(/^-|-$/g, '')}-${k}`;
    const description = `<p>We are looking for a ${title} to join our ${family} team and help us build serverless recruiting software.</p>`
      + `<p>You have ${target ? 5 : 2 + (k % 5)}+ years of experience with ${skills.join(', ')}. Experience with ${nice.join(', ')} is a plus.</p>`
      + '<ul><li>Ownership of services end to end</li><li>Code review and pairing</li><li>Flexible hours</li></ul>';
    const id = derivedId('job', iso(opensAt - DAY_MS), `bench-job-${k}`);
    const open = closesAt > end;
    const job: Job = {
      id, slug, status: open ? 'open' : 'closed', title, description, department: family, requisitionId: `BENCH-${k}`, employmentTypes: ['FULL_TIME'],
      location: type === 'remote' ? { type, applicantCountries: [country, 'PL', 'PT'] } : { type, address: { city, country } },
      salary: { currency: 'EUR', min: 55_000 + 5_000 * (k % 6), max: 75_000 + 5_000 * (k % 6), unit: 'YEAR' },
      skills, url: `https://jobs.example.com/jobs/${slug}/`, publishedAt: iso(opensAt), ...(open ? {} : { closedAt: iso(closesAt) }),
      createdAt: iso(opensAt - DAY_MS), updatedAt: iso(open ? opensAt : closesAt), version: open ? 2 : 3,
    };
    return { job, family, opensAt, closesAt, slug };
  });

  const hiringEvents = Array.from({ length: WORLD.hiringEvents }, (_, k) => {
    const at = start + Math.floor(((k + 0.7) * PERIOD_DAYS * DAY_MS) / WORLD.hiringEvents) + 17 * HOUR_MS;
    return { id: derivedId('hev', iso(at - 30 * DAY_MS), `bench-event-${k}`), at };
  });

  const pools: Pool[] = Array.from({ length: WORLD.pools }, (_, k) => ({
    id: derivedId('pool', iso(start), `bench-pool-${k}`),
    name: ['Backend community', 'Frontend community', 'Data talent', 'Silver medalists', 'Berlin meetup', 'Alumni'][k]!,
    memberCount: 0,
    createdAt: iso(start),
    createdBy: 'bench',
  }));
  const segments = Array.from({ length: 5 }, (_, k) => derivedId('seg', iso(start), `bench-segment-${k}`));
  return { start, end, campaigns, jobs, hiringEvents, pools, segments };
}
type World = ReturnType<typeof worldOf>;

// ---------------------------------------------------------------------------------------------------------------
// One person: their profile and the domain events the system would have recorded about them.

interface Person {
  candidate: Candidate;
  /** In the order they happened. */
  events: AnalyticsEvent[];
  /** Of them, what SES and the campaigns context tell of campaign emails (sends, deliveries, opens, clicks, bounces, complaints). */
  emailEvents: number;
  /** Their status from each time on: the profile the consumer reads when an event arrives. */
  statuses: [string, Candidate['status']][];
}

const ladder = ['applied', 'screening', 'interview', 'offer', 'hired'] as const;

function personOf(index: number, world: World, emailEventsPerPerson: number): Person {
  const rng = random(`candidate:${index}`);
  const createdAt = world.start + Math.floor(rng.next() * PERIOD_DAYS * DAY_MS);
  const id = derivedId('cand', iso(createdAt), `bench-candidate-${index}`);
  const family = rng.weighted(familyWeights);
  const f = families[family];
  const sourceType = rng.weighted(sourceWeights);
  const [country, , cities] = rng.weighted(placeWeights);
  const [city, timezone] = rng.pick(cities);
  const hasLocation = rng.chance(0.9);
  const firstName = rng.pick(firstNames);
  const lastName = rng.pick(lastNames);
  const skills = [...new Set(Array.from({ length: 3 + rng.int(5) }, () => rng.pick(f.skills)))].map((skill) =>
    aliases[skill] && rng.chance(0.15) ? rng.pick(aliases[skill]!) : skill,
  );
  const consented = rng.chance(0.7);
  const initialStatus = ['career-site', 'job-board', 'referral', 'event'].includes(sourceType) ? 'active' : 'passive';

  const events: AnalyticsEvent[] = [];
  let eventCount = 0;
  const meta = (at: number) => ({ eventId: `bench-${index}-${eventCount++}`, occurredAt: iso(at), actor: 'system', candidateId: id });
  const engagementSignals: [EngagementKind, number][] = [];
  let status: Candidate['status'] = initialStatus;
  const statuses: Person['statuses'] = [[iso(createdAt), status]];
  let version = 1;
  let updatedAt = createdAt;
  const moveStatus = (to: Candidate['status'], at: number) => {
    if (to === status || at > world.end) return;
    events.push({ detailType: 'CandidateUpdated', detail: { ...meta(at), changed: ['status'], statusFrom: status, statusTo: to } });
    status = to;
    statuses.push([iso(at), to]);
    version++;
    updatedAt = at;
  };
  events.push({ detailType: 'CandidateCreated', detail: { ...meta(createdAt), status: initialStatus, sourceType } });
  const communityUtm = sourceType === 'career-site' ? rng.weighted(careerSiteUtm) : undefined;
  if (communityUtm && rng.chance(0.5)) {
    events.push({ detailType: 'TalentCommunityJoined', detail: { ...meta(createdAt + 1000), siteId: 'site_bench', created: true, utm: { ...communityUtm } } });
  }

  // Applications: career-site and job-board people mostly come to apply; others sometimes do, or after a campaign's click.
  const applications: Candidate['applications'] = [];
  let lastActivity = 0;
  const apply = (at: number, utm: Record<string, string> | undefined) => {
    const open = world.jobs.filter((j) => j.opensAt <= at && at < j.closesAt && !applications.some((a) => a.jobId === j.job.id));
    if (!open.length || at > world.end) return;
    const matching = open.filter((j) => j.family === family);
    const { job } = rng.pick(matching.length && rng.chance(0.8) ? matching : open);
    const applicationId = derivedId('app', iso(at), `bench-application-${index}-${applications.length}`);
    const withUtm = utm ? { utm } : {};
    events.push({ detailType: 'ApplicationReceived', detail: { ...meta(at), applicationId, jobId: job.id, requisitionId: job.requisitionId, ...withUtm } });
    events.push({ detailType: 'ApplicationStatusChanged', detail: { ...meta(at), applicationId, jobId: job.id, to: 'applied', ...withUtm } });
    engagementSignals.push(['applied', at]);
    lastActivity = Math.max(lastActivity, at);
    let step = 0;
    let when = at;
    let final: string = 'applied';
    const odds = [0.55, 0.45, 0.3, 0.75];
    while (step < ladder.length - 1 && rng.chance(odds[step]!)) {
      const next = when + Math.floor(rng.between(2, 12) * DAY_MS);
      if (next > world.end) break;
      events.push({ detailType: 'ApplicationStatusChanged', detail: { ...meta(next), applicationId, jobId: job.id, from: ladder[step], to: ladder[step + 1]!, ...withUtm } });
      step++;
      when = next;
      final = ladder[step]!;
    }
    let endedAt: number | undefined;
    if (final === 'hired') {
      endedAt = when;
      moveStatus('hired', when + HOUR_MS);
    } else {
      const ended = when + Math.floor(rng.between(3, 20) * DAY_MS);
      if (ended <= world.end && rng.chance(0.85)) {
        const to = rng.chance(0.8) ? 'rejected' : 'withdrawn';
        events.push({ detailType: 'ApplicationStatusChanged', detail: { ...meta(ended), applicationId, jobId: job.id, from: final, to, ...withUtm } });
        final = to;
        endedAt = ended;
      }
    }
    if (endedAt && rng.chance(0.25)) {
      const score = Math.min(10, Math.max(0, Math.round(rng.between(3, 12))));
      events.push({ detailType: 'SurveyAnswered', detail: { ...meta(endedAt + DAY_MS), surveyId: 'srv_bench', invitationId: `sinv_bench_${index}_${applications.length}`, trigger: 'hired-or-rejected', npsScore: score } });
    }
    applications.push({ id: applicationId, status: final, jobId: job.id, reached: [...ladder.slice(0, step + 1)], ...(endedAt ? { endedAt: iso(endedAt) } : {}) });
  };
  const applyChance = { 'career-site': 0.35, 'job-board': 0.4, referral: 0.3, event: 0.15 }[sourceType as string] ?? 0.04;
  if (rng.chance(applyChance)) {
    const at = createdAt + (['career-site', 'job-board'].includes(sourceType) ? 60_000 : Math.floor(rng.next() * (world.end - createdAt)));
    const utm = sourceType === 'career-site' ? { ...communityUtm ?? rng.weighted(careerSiteUtm), campaign: 'careers' }
      : sourceType === 'job-board' ? { source: rng.pick(['indeed', 'stepstone', 'glassdoor']), medium: 'job-board' }
        : sourceType === 'referral' ? { source: 'referral', medium: 'employee' } : undefined;
    apply(at, utm);
  }

  // Campaign emails: a share of the email events in proportion to how long they have been in the pool (consenting people only).
  const tenureDays = (world.end - createdAt) / DAY_MS;
  const quota = consented ? Math.floor((emailEventsPerPerson * tenureDays) / (PERIOD_DAYS / 2) / 0.7 + rng.next()) : 0;
  let emailEvents = 0;
  const eligible = world.campaigns.filter((c) => c.launchedAt >= createdAt);
  const sent = new Map<string, number>();
  let reachable = eligible.length > 0;
  while (reachable && emailEvents < quota) {
    const { campaign, launchedAt, slug } = rng.pick(eligible);
    const step = sent.get(campaign.id) ?? 0;
    sent.set(campaign.id, step + 1);
    const at = launchedAt + Math.floor(rng.next() * 6 * HOUR_MS) + step * 7 * DAY_MS;
    if (at > world.end) continue;
    const mail = { campaignId: campaign.id, ...(step ? { step } : {}) };
    const fits = (when: number) => emailEvents < quota && when <= world.end && ++emailEvents > 0;
    // From SES (the email consumer's facts) and from the campaigns context's tracking (EmailActivity).
    const ses = (detailType: 'EmailSent' | 'EmailDelivered' | 'EmailMachineOpened', when: number) => fits(when) && events.push({ detailType, detail: { ...meta(when), ...mail } }) > 0;
    const activity = (kind: 'opened' | 'clicked' | 'bounced' | 'complained', when: number) =>
      fits(when) && events.push({ detailType: 'EmailActivity', detail: { ...meta(when), ...mail, kind, messageId: `bench-${index}-${campaign.id}-${step}` } }) > 0;
    ses('EmailSent', at);
    if (rng.chance(0.012)) {
      activity('bounced', at + 60_000);
      continue;
    }
    ses('EmailDelivered', at + 5_000);
    if (rng.chance(0.12)) ses('EmailMachineOpened', at + 20_000);
    if (rng.chance(0.0008)) {
      activity('complained', at + HOUR_MS);
      events.push({ detailType: 'CandidateUnsubscribed', detail: { ...meta(at + HOUR_MS), campaignId: campaign.id, via: 'complaint' } });
      reachable = false;
      continue;
    }
    const openedAt = at + Math.floor(rng.next() * 72 * HOUR_MS);
    if (rng.chance(0.38) && activity('opened', openedAt)) {
      engagementSignals.push(['opened', openedAt]);
      const clickedAt = openedAt + Math.floor(rng.next() * 10 * 60_000);
      if (rng.chance(0.3) && activity('clicked', clickedAt)) {
        engagementSignals.push(['clicked', clickedAt]);
        if (rng.chance(0.04)) apply(clickedAt + 5 * 60_000, { source: 'newsletter', medium: 'email', campaign: slug });
      }
    }
    if (rng.chance(0.006) && at + DAY_MS <= world.end) {
      events.push({ detailType: 'CandidateReplied', detail: { ...meta(at + DAY_MS), campaignId: campaign.id, subject: 'Re: news', text: 'Thanks, tell me more.' } });
      engagementSignals.push(['replied', at + DAY_MS]);
      lastActivity = Math.max(lastActivity, at + DAY_MS);
    }
    if (rng.chance(0.002) && at + 2 * HOUR_MS <= world.end) {
      events.push({ detailType: 'CandidateUnsubscribed', detail: { ...meta(at + 2 * HOUR_MS), campaignId: campaign.id, via: 'unsubscribe' } });
      reachable = false;
    }
  }

  // Dynamic segments they entered (and some left): the funnel by segment.
  for (const segment of world.segments) {
    if (!rng.chance(0.25)) continue;
    const entered = createdAt + 60_000 + Math.floor(rng.next() * (world.end - createdAt) * 0.2);
    events.push({ detailType: 'SegmentEntered', detail: { ...meta(entered), segmentId: segment } });
    if (rng.chance(0.2)) events.push({ detailType: 'SegmentLeft', detail: { ...meta(entered + Math.floor(rng.next() * (world.end - entered))), segmentId: segment } });
  }

  for (let k = rng.chance(0.4) ? 1 + rng.int(4) : 0; k > 0; k--) {
    const at = createdAt + Math.floor(rng.next() * (world.end - createdAt));
    events.push({ detailType: 'TouchpointLogged', detail: { ...meta(at), touchpointId: `tp_bench_${index}_${k}`, kind: rng.pick(['call', 'email', 'meeting', 'note', 'message']) } });
    lastActivity = Math.max(lastActivity, at);
  }

  // Hiring events: RSVPs, the waitlist, cancellations, attendance and a few walk-ins.
  const upcoming = world.hiringEvents.filter((e) => e.at > createdAt + DAY_MS && e.at <= world.end);
  if (upcoming.length && rng.chance(0.05)) {
    const event = rng.pick(upcoming);
    const rsvpId = `rsvp_bench_${index}`;
    const rsvpAt = Math.max(createdAt + HOUR_MS, event.at - Math.floor(rng.between(1, 14) * DAY_MS));
    const hiringEventId = event.id;
    let seated = true;
    if (rng.chance(0.85)) events.push({ detailType: 'RsvpConfirmed', detail: { ...meta(rsvpAt), hiringEventId, rsvpId, via: 'rsvp' } });
    else {
      events.push({ detailType: 'RsvpWaitlisted', detail: { ...meta(rsvpAt), hiringEventId, rsvpId } });
      seated = rng.chance(0.4);
      if (seated) events.push({ detailType: 'RsvpConfirmed', detail: { ...meta(rsvpAt + DAY_MS / 2), hiringEventId, rsvpId, via: 'waitlist' } });
    }
    if (seated && rng.chance(0.1)) {
      events.push({ detailType: 'RsvpCancelled', detail: { ...meta(event.at - HOUR_MS * 5), hiringEventId, rsvpId, was: 'confirmed' } });
    } else if (seated && rng.chance(0.7)) {
      events.push({ detailType: 'EventAttended', detail: { ...meta(event.at), hiringEventId, rsvpId, title: 'Bench meetup', walkIn: false } });
      engagementSignals.push(['attended', event.at]);
    }
  } else if (upcoming.length && rng.chance(0.005)) {
    const event = rng.pick(upcoming);
    events.push({ detailType: 'EventAttended', detail: { ...meta(event.at), hiringEventId: event.id, rsvpId: `rsvp_bench_walkin_${index}`, title: 'Bench meetup', walkIn: true } });
    engagementSignals.push(['attended', event.at]);
  }

  // Later status changes happen after the last one, so the moves chain in time as the pool counters see them.
  const later = () => updatedAt + HOUR_MS + Math.floor(rng.next() * Math.max(0, world.end - updatedAt - HOUR_MS));
  if (status === 'passive' && rng.chance(0.06)) moveStatus('active', later());
  if (status === 'active' && rng.chance(0.04)) moveStatus('former', later());
  if (rng.chance(0.01)) moveStatus('do-not-contact', later());

  let engagement: Engagement | undefined;
  for (const [kind, at] of engagementSignals.sort((a, b) => a[1] - b[1])) engagement = addEngagement(engagement, kind, iso(at));
  const pools = world.pools.filter((_, k) => (k === 0 && family === 'backend' && rng.chance(0.4)) || (k > 0 && rng.chance(0.06))).map((p) => p.id);
  const candidate: Candidate = {
    id,
    email: `${firstName}.${lastName}.${index}@example.com`.toLowerCase(),
    firstName,
    lastName,
    ...(rng.chance(0.5) ? { phone: `+${country === 'DE' ? '49' : '44'} ${String(1_000_000_000 + rng.int(8_999_999_999))}` } : {}),
    ...(hasLocation ? { location: { city, country }, timezone } : {}),
    headline: `${rng.pick(seniorities)} ${rng.pick(f.titles)}`.trim(),
    company: rng.pick(companies),
    skills,
    experienceYears: rng.int(25),
    links: rng.chance(0.4) ? [{ type: 'linkedin', url: `https://www.linkedin.com/in/${firstName}-${lastName}-${index}`.toLowerCase() }] : [],
    status,
    source: { type: sourceType, ...(communityUtm ? { utm: { ...communityUtm } } : {}) },
    tags: [...new Set(Array.from({ length: rng.int(3) }, () => rng.pick(tagNames)))],
    pools,
    consents: consented
      ? [{ purpose: 'marketing-email', granted: true, lawfulBasis: 'consent', source: sourceType === 'career-site' ? 'signup-form' : 'recruiter', textVersion: 'v1', recordedAt: iso(createdAt), expiresAt: iso(createdAt + 730 * DAY_MS) }]
      : [],
    custom: {},
    applications,
    ...(lastActivity ? { lastActivityAt: iso(lastActivity) } : {}),
    ...(['sourced', 'import', 'agency'].includes(sourceType) ? { privacyNoticeSentAt: iso(createdAt + DAY_MS) } : {}),
    ...(engagement ? { engagement } : {}),
    createdAt: iso(createdAt),
    updatedAt: iso(Math.max(updatedAt, lastActivity)),
    version: version + applications.length,
  };
  events.sort((a, b) => a.detail.occurredAt.localeCompare(b.detail.occurredAt));
  return { candidate, events: events.filter((e) => Date.parse(e.detail.occurredAt) <= world.end), emailEvents, statuses };
}

// ---------------------------------------------------------------------------------------------------------------
// Folding the events as the rollups consumer does, and writing the items.

interface Rollup {
  key: { PK: string; SK: string };
  add: Record<string, number>;
  setOnce: Record<string, string>;
}

/**
 * What the consumer leaves behind for a person's events, delivered in the order they happened: each event planned
 * with `planFor` against the state the store would read (the profile as it was then, milestones, pool membership),
 * the counters added to the rollup rows of the person's shard, and the state moved on as the store's `apply` moves it.
 * Returns the person's milestone item and pool membership item.
 */
function fold(person: Person, rollups: Map<string, Rollup>): Item[] {
  const { candidate } = person;
  let state: PersonState = emptyPerson();
  let member: MemberState | undefined;
  let statusIndex = 0;
  for (const event of person.events) {
    const at = event.detail.occurredAt;
    while (statusIndex + 1 < person.statuses.length && person.statuses[statusIndex + 1]![0] <= at) statusIndex++;
    const until = consentUntil(candidate.consents, at);
    const profile: ProfileFacts = { status: person.statuses[statusIndex]![1], sourceType: candidate.source.type, createdAt: candidate.createdAt, ...(until ? { consentUntil: until } : {}) };
    for (const subject of subjectsOf(event)) {
      const read: SubjectState | undefined = needsPerson(event) ? { profile, person: state, ...(member ? { member } : {}) } : undefined;
      const plan = planFor(event, subject, read ?? { person: emptyPerson() });
      const shard = shardOf(subject);
      for (const inc of plan.increments) {
        const key = rollupKey(inc.group as Group, shard, inc.row);
        const id = `${key.PK}\n${key.SK}`;
        const rollup = rollups.get(id) ?? { key, add: {}, setOnce: {} };
        for (const [name, value] of Object.entries(inc.add)) rollup.add[name] = (rollup.add[name] ?? 0) + value;
        // if_not_exists keeps the first value applied; delivered in time order, that is the earliest.
        for (const [name, value] of Object.entries(inc.setOnce ?? {})) if (!rollup.setOnce[name] || value < rollup.setOnce[name]!) rollup.setOnce[name] = value;
        rollups.set(id, rollup);
      }
      if (!read) continue;
      if (plan.newFlags.length || plan.memory) {
        state = { ...state, ...plan.memory, flags: new Set([...state.flags, ...plan.newFlags]), version: state.version + 1 };
      }
      if (plan.member !== undefined) member = plan.member === null ? undefined : { ...plan.member, version: (member?.version ?? 0) + 1 };
    }
  }
  const { flags, version, ...memory } = state;
  return [
    ...(version ? [{ ...personKey(candidate.id), ...Object.fromEntries([...flags].map((flag) => [`${FLAG_PREFIX}${flag}`, 1])), ...memory, version }] : []),
    ...(member ? [{ ...memberKey(candidate.id), entity: 'analytics-member', ...member }] : []),
  ];
}

type Item = Record<string, unknown>;

function batchWriter(client: DynamoDBDocumentClient) {
  let buffer: Item[] = [];
  const inFlight = new Set<Promise<void>>();
  let written = 0;
  const send = async (items: Item[]) => {
    let pending = items.map((Item) => ({ PutRequest: { Item } }));
    for (let attempt = 0; pending.length; attempt++) {
      if (attempt) await new Promise((resolve) => setTimeout(resolve, Math.min(50 * 2 ** attempt, 2000)));
      const result = await client.send(new BatchWriteCommand({ RequestItems: { [LOCAL_TABLE]: pending } }));
      pending = (result.UnprocessedItems?.[LOCAL_TABLE] ?? []) as typeof pending;
    }
    written += items.length;
  };
  const flush = async (all: boolean) => {
    while (buffer.length >= 25 || (all && buffer.length)) {
      const batch = buffer.splice(0, 25);
      const write = send(batch).finally(() => inFlight.delete(write));
      inFlight.add(write);
      if (inFlight.size >= WRITERS) await Promise.race(inFlight);
    }
  };
  return {
    async put(items: Item[]) {
      buffer.push(...items);
      await flush(false);
    },
    async done() {
      await flush(true);
      await Promise.all(inFlight);
      buffer = [];
      return written;
    },
  };
}

interface LoadFigures {
  candidates: number;
  emailEvents: number;
  otherEvents: number;
  items: number;
  rollupItems: number;
  seconds: number;
}

/** Writes the generated pool, its rollups and the world into a persisted DynamoDB Local table, with no stream consumer running. */
async function load(dir: string, input: WorkerInput, world: World): Promise<LoadFigures> {
  const { candidates, emailEventsPerPerson } = input;
  const withCandidates = input.matching;
  const fullPeople = input.matching && process.env.BENCH_FULL_PEOPLE === '1';
  const started = performance.now();
  const local = await startDynamoDbLocal({ dataDir: join(dir, 'dynamodb') });
  try {
    await ensureTable(local.client, LOCAL_TABLE);
    // No stream while loading: it would cost a stream record per write, and nothing is to consume these.
    await local.client.send(new UpdateTableCommand({ TableName: LOCAL_TABLE, StreamSpecification: { StreamEnabled: false } }));
    const client = DynamoDBDocumentClient.from(local.client, { marshallOptions: { removeUndefinedValues: true, convertEmptyValues: false } });
    const writer = batchWriter(client);
    const rollups = new Map<string, Rollup>();
    const poolMembers = new Map<string, number>();
    const seats = new Map<string, { confirmed: number; waitlisted: number; attended: number }>();
    let emailEvents = 0;
    let otherEvents = 0;
    for (let i = 0; i < candidates; i++) {
      const person = personOf(i, world, emailEventsPerPerson);
      const c = person.candidate;
      // The first people are checked against the contracts: the bench stops when a shape it writes has changed.
      if (i < 20) {
        Candidate.parse(c);
        for (const event of person.events) analyticsEvents.find((contract) => contract.detailType === event.detailType)?.detail.parse(event.detail);
      }
      emailEvents += person.emailEvents;
      otherEvents += person.events.length - person.emailEvents;
      for (const pool of c.pools) poolMembers.set(pool, (poolMembers.get(pool) ?? 0) + 1);
      for (const event of person.events) {
        if (!('hiringEventId' in event.detail)) continue;
        const count = seats.get(event.detail.hiringEventId) ?? { confirmed: 0, waitlisted: 0, attended: 0 };
        if (event.detailType === 'RsvpConfirmed') count.confirmed++;
        if (event.detailType === 'RsvpWaitlisted') count.waitlisted++;
        if (event.detailType === 'EventAttended') count.attended++;
        seats.set(event.detail.hiringEventId, count);
      }
      const personal = fold(person, rollups);
      // What matching reads: the profile (in CANDIDATES by its own GSI1 keys) and the skill, country and pool entries.
      // Analytics reads only rollups, so a run without matching writes no person items at all (DynamoDB Local is slow).
      if (withCandidates) {
        await writer.put([
          candidateItem(c),
          ...indexEntries(c).filter((entry) => /^(SKILL|COUNTRY)#/.test(entry.GSI1PK)).map((entry) => indexEntryItem(c.id, entry)),
          ...c.pools.map((pool) => indexEntryItem(c.id, poolEntry(c.id, pool))),
          ...(fullPeople ? [{ ...emailGuardKey(c.email), candidateId: c.id }, ...indexEntries(c).filter((entry) => !/^(SKILL|COUNTRY)#/.test(entry.GSI1PK)).map((entry) => indexEntryItem(c.id, entry)), ...personal] : []),
        ]);
      }
      if ((i + 1) % Math.min(10_000, Math.max(1000, candidates / 10)) === 0) process.stderr.write(`  ${(i + 1).toLocaleString('en')} people written, ${Math.round((performance.now() - started) / 1000)} s\n`);
    }
    await writer.put([...rollups.values()].map(({ key, add, setOnce }) => ({ ...key, ...add, ...setOnce })));
    await writer.put([{ ...candidateCountKey(), count: candidates }]);
    await writer.put(world.pools.map((pool) => poolItem({ ...pool, memberCount: poolMembers.get(pool.id) ?? 0 })));
    await writer.put(world.jobs.map(({ job }) => jobItem(job)));
    await writer.put(world.campaigns.map(({ campaign }) => campaignItem(campaign)));
    await writer.put(world.hiringEvents.map(({ id, at }, k) => hiringEventItem({
      id, title: `Bench meetup ${k}`, kind: 'career-fair', startsAt: iso(at), endsAt: iso(at + 3 * HOUR_MS), timeZone: 'Europe/Berlin',
      venue: { name: 'Bench hall', address: { city: 'Berlin', country: 'DE' } }, capacity: 200, status: 'scheduled',
      ...(seats.get(id) ?? { confirmed: 0, waitlisted: 0, attended: 0 }), invitations: [], createdAt: iso(at - 30 * DAY_MS), updatedAt: iso(at), version: 1,
    })));
    const items = await writer.done();
    await local.client.send(new UpdateTableCommand({ TableName: LOCAL_TABLE, StreamSpecification: { StreamEnabled: true, StreamViewType: tableDefinition.stream } }));
    return { candidates, emailEvents, otherEvents, items, rollupItems: rollups.size, seconds: (performance.now() - started) / 1000 };
  } finally {
    await local.stop();
  }
}

// ---------------------------------------------------------------------------------------------------------------
// Measuring through HTTP on the local stack.

const percentile = (values: number[], p: number) => {
  const sorted = [...values].sort((a, b) => a - b);
  return sorted[Math.min(sorted.length - 1, Math.ceil((p / 100) * sorted.length) - 1)]!;
};

/** Calls and items each function's DynamoDB requests returned (beside the consumed capacity the stack's meter adds up). */
const reads = new Map<string, { calls: number; items: number; bytes: number }>();
function meterReads() {
  dynamo.middlewareStack.add(
    (next) => async (args) => {
      const result = await next(args);
      const output = (result.output ?? {}) as { Items?: unknown[]; Item?: unknown; Responses?: Record<string, unknown[]> };
      const caller = currentFunction() ?? 'outside';
      const seen = reads.get(caller) ?? { calls: 0, items: 0, bytes: 0 };
      const items = output.Items ?? (output.Responses ? Object.values(output.Responses).flat() : output.Item ? [output.Item] : []);
      seen.calls++;
      seen.items += items.length;
      seen.bytes += items.reduce<number>((sum, item) => sum + JSON.stringify(item).length, 0);
      reads.set(caller, seen);
      return result;
    },
    { step: 'initialize', name: 'benchReadMeter' },
  );
}

interface Measured {
  name: string;
  p50: number;
  p99: number;
  /** Per request. */
  rcu: number;
  calls: number;
  items: number;
  kb: number;
  note?: string;
}

async function measure(apiUrl: string, token: string, fn: string, name: string, path: string, samples: number, note?: (body: unknown) => string): Promise<Measured> {
  const call = async () => {
    const response = await fetch(`${apiUrl}${path}`, { headers: { authorization: `Bearer ${token}` } });
    return { status: response.status, text: await response.text() };
  };
  let last = { status: 0, text: '' };
  for (let i = 0; i < 5; i++) last = await call();
  // A failing endpoint is reported as such in its row; the others are still measured.
  if (last.status !== 200) {
    process.stderr.write(`GET ${path} answered ${last.status}: ${last.text.slice(0, 300)}\n`);
    return { name, p50: NaN, p99: NaN, rcu: NaN, calls: NaN, items: NaN, kb: NaN, note: `HTTP ${last.status}` };
  }
  resetCapacity();
  reads.clear();
  const durations: number[] = [];
  for (let i = 0; i < samples; i++) {
    const start = performance.now();
    await call();
    durations.push(performance.now() - start);
  }
  const used = consumedCapacity().get(fn)?.read ?? 0;
  const seen = reads.get(fn) ?? { calls: 0, items: 0, bytes: 0 };
  return {
    name, p50: percentile(durations, 50), p99: percentile(durations, 99), rcu: used / samples, calls: seen.calls / samples, items: seen.items / samples, kb: seen.bytes / samples / 1024,
    ...(note && !path.includes('format=csv') ? { note: note(JSON.parse(last.text)) } : {}),
  };
}

interface WorkerInput {
  candidates: number;
  emailEventsPerPerson: number;
  analytics: boolean;
  matching: boolean;
  samples: number;
  matchSamples: number;
  keep: boolean;
}
interface WorkerOutput {
  load: LoadFigures;
  analytics: Measured[];
  matching: Measured[];
}

async function worker(input: WorkerInput): Promise<WorkerOutput> {
  const end = Date.parse(`${new Date().toISOString().slice(0, 10)}T00:00:00Z`);
  const world = worldOf(end);
  // DynamoDB Local syncs every write of a persisted table to disk: on tmpfs that costs nothing.
  const dir = join(process.env.BENCH_DATA_DIR ?? (existsSync('/dev/shm') ? '/dev/shm' : tmpdir()), `talent-relay-bench-insights-${input.candidates}${input.matching ? '-matching' : ''}`);
  rmSync(dir, { recursive: true, force: true });
  process.stderr.write(`Loading ${input.candidates.toLocaleString('en')} candidates into ${dir}\n`);
  const loaded = await load(dir, input, world);
  // The table exists now, so the stack's stream relay starts from the latest record: the loaded profiles are not re-indexed.
  const stack = await startLocalStack({ apiPort: 0, sitesPort: 0, dataDir: dir, quiet: true });
  meterCapacity();
  meterReads();
  try {
    const token = await stack.tokenFor('viewer');
    const today = dayString(end);
    const ranges = [['90 days', `from=${dayString(end - 89 * DAY_MS)}&to=${today}`], ['1 year', `from=${dayString(end - 364 * DAY_MS)}&to=${today}`]] as const;
    const analytics: Measured[] = [];
    if (input.analytics) {
      // The campaign with the most recipients in the last 90 days, the job with most applications, the last hiring event.
      const recent = world.campaigns.filter((c) => c.launchedAt >= end - 90 * DAY_MS);
      const campaign = recent[Math.floor(recent.length / 2)]!.campaign.id;
      const job = world.jobs.at(-1)!.job.id;
      const closedJob = world.jobs.filter((j) => j.job.status === 'closed').at(-1)!.job.id;
      const event = world.hiringEvents.filter((e) => e.at <= end).at(-1)!.id;
      const rowsOf = (body: unknown) => `${(body as { rows: unknown[] }).rows.length} rows`;
      const endpoints: [string, string, ((body: unknown) => string)?][] = [
        ['/analytics/overview', '/analytics/overview?'],
        ['/analytics/funnel', '/analytics/funnel?', rowsOf],
        ['/analytics/funnel?groupBy=source', '/analytics/funnel?groupBy=source&', rowsOf],
        ['/analytics/funnel?groupBy=campaign', '/analytics/funnel?groupBy=campaign&', rowsOf],
        ['/analytics/funnel?groupBy=job', '/analytics/funnel?groupBy=job&', rowsOf],
        ['/analytics/funnel?groupBy=segment', '/analytics/funnel?groupBy=segment&', rowsOf],
        ['/analytics/funnel?groupBy=week', '/analytics/funnel?groupBy=week&', rowsOf],
        ['/analytics/funnel?groupBy=campaign (CSV)', '/analytics/funnel?groupBy=campaign&format=csv&'],
        ['/analytics/sources', '/analytics/sources?', rowsOf],
        ['/analytics/jobs/{id} (open job)', `/analytics/jobs/${job}?`, (b) => `${(b as { applications: number }).applications} applications`],
        ['/analytics/jobs/{id} (filled job)', `/analytics/jobs/${closedJob}?`, (b) => `${(b as { applications: number }).applications} applications`],
        ['/analytics/events/{id}', `/analytics/events/${event}?`, (b) => `${(b as { attended: number }).attended} attended`],
        ['/analytics/campaigns/{id}', `/analytics/campaigns/${campaign}?`, (b) => `${(b as { counts: { sent: number } }).counts.sent} sent`],
      ];
      for (const [name, path, note] of endpoints) {
        for (const [label, range] of ranges) {
          process.stderr.write(`  ${name} ${label}\n`);
          analytics.push(await measure(stack.apiUrl, token, 'insights-api', `${name} | ${label}`, `${path}${range}`, input.samples, note));
        }
      }
    }
    const matching: Measured[] = [];
    if (input.matching) {
      const job = world.jobs.at(-1)!.job.id;
      const note = (body: unknown) => {
        const b = body as { considered: number; capped: boolean; items: { score: number }[] };
        return `${b.considered} considered${b.capped ? ', capped' : ''}; top score ${b.items[0]?.score ?? '-'}`;
      };
      process.stderr.write('  matches\n');
      matching.push(await measure(stack.apiUrl, token, 'candidates-matching', 'GET /jobs/{id}/matches?limit=20', `/jobs/${job}/matches?limit=20`, input.matchSamples, note));
      matching.push(await measure(stack.apiUrl, token, 'candidates-matching', 'GET /jobs/{id}/matches?limit=20&pool=', `/jobs/${job}/matches?limit=20&pool=${world.pools[0]!.id}`, input.matchSamples, note));
    }
    return { load: loaded, analytics, matching };
  } finally {
    await stack.stop();
    if (!input.keep) rmSync(dir, { recursive: true, force: true });
  }
}

// ---------------------------------------------------------------------------------------------------------------
// The parent: one child process per scale (each its own stack and SDK clients), then the tables.

const RESULT = 'BENCH_INSIGHTS_RESULT ';

function runWorker(input: WorkerInput): Promise<WorkerOutput> {
  return new Promise((resolve, reject) => {
    const child = spawn(process.execPath, [...process.execArgv, fileURLToPath(import.meta.url)], {
      env: { ...process.env, BENCH_INSIGHTS_WORKER: JSON.stringify(input) },
      stdio: ['ignore', 'pipe', 'inherit'],
    });
    let output = '';
    child.stdout.on('data', (chunk: Buffer) => (output += chunk.toString()));
    child.on('error', reject);
    child.on('exit', (code) => {
      const line = output.split('\n').find((l) => l.startsWith(RESULT));
      if (code === 0 && line) resolve(JSON.parse(line.slice(RESULT.length)) as WorkerOutput);
      else reject(new Error(`The ${input.candidates.toLocaleString('en')}-candidate bench ended with ${code}: ${output.slice(-2000)}`));
    });
  });
}

function table(header: string[], rows: string[][]) {
  const widths = header.map((h, i) => Math.max(h.length, ...rows.map((r) => r[i]!.length)));
  const line = (cells: string[]) => `| ${cells.map((c, i) => c.padEnd(widths[i]!)).join(' | ')} |`;
  return [line(header), line(widths.map((w) => '-'.repeat(w))), ...rows.map(line)].join('\n');
}
const ms = (value: number) => (Number.isNaN(value) ? '-' : `${value.toFixed(1)} ms`);
const n = (value: number) => Math.round(value).toLocaleString('en');
const scaleName = (candidates: number) => (candidates >= 1000 && candidates % 1000 === 0 ? `${candidates / 1000}k` : String(candidates));

/**
 * Analytics latency per endpoint at each scale (BENCH_CANDIDATES, default 10,000 and 100,000, with
 * BENCH_EMAIL_EVENTS_PER_CANDIDATE email events each, default 10) and the ratio of the largest to the smallest; the
 * matches of one job over the whole pool with the read units each request consumed.
 */
export async function insightsFigures(sections: { analytics: boolean; matching: boolean }) {
  const list = (value: string | undefined) => (value ?? '10000,100000').split(',').map(Number).filter((v) => v > 0);
  const analyticsScales = sections.analytics ? list(process.env.BENCH_CANDIDATES) : [];
  const matchScales = sections.matching ? list(process.env.BENCH_MATCH_CANDIDATES ?? process.env.BENCH_CANDIDATES) : [];
  const scales = [...new Set([...analyticsScales, ...matchScales])].sort((a, b) => a - b);
  const samples = Number(process.env.BENCH_ANALYTICS_SAMPLES ?? 200);
  const matchSamples = Number(process.env.BENCH_MATCH_SAMPLES ?? 100);
  const results: WorkerOutput[] = [];
  for (const candidates of scales) {
    results.push(await runWorker({
      candidates, emailEventsPerPerson: Number(process.env.BENCH_EMAIL_EVENTS_PER_CANDIDATE ?? 10), analytics: analyticsScales.includes(candidates),
      matching: matchScales.includes(candidates), samples, matchSamples, keep: process.env.BENCH_KEEP_DATA === '1',
    }));
    // Each scale's figures as soon as they are in (a long run stopped halfway keeps them); the comparison follows.
    if (scales.length > 1) printFigures(results.slice(-1), samples, matchSamples);
  }
  printFigures(results, samples, matchSamples);
}

function printFigures(results: WorkerOutput[], samples: number, matchSamples: number) {
  console.log('\nInsights and matching data: generated (seeded), rollups folded with the consumer\'s own planFor, BatchWritten to DynamoDB Local\n');
  console.log(table(['candidates', 'email events', 'other events', 'rollup items', 'items written', 'what', 'load time', 'items/s'], results.map(({ load, matching }) => [
    n(load.candidates), n(load.emailEvents), n(load.otherEvents), n(load.rollupItems), n(load.items),
    matching.length ? 'rollups, profiles, skill/country/pool entries' : 'rollups (all analytics read)', `${load.seconds.toFixed(0)} s`, n(load.items / load.seconds),
  ])));
  const analytics = results.filter((r) => r.analytics.length);
  if (analytics.length) {
    const [first, last] = [analytics[0]!, analytics.at(-1)!];
    const names = analytics.map((r) => scaleName(r.load.candidates));
    const ratio = analytics.length > 1 ? [`p50 ${names.at(-1)}/${names[0]}`, `p99 ${names.at(-1)}/${names[0]}`] : [];
    console.log(`\nAnalytics reads through HTTP on the local stack (${samples} sequential requests each; RCU and rollup items read per request, metered on DynamoDB Local)\n`);
    const rows = first.analytics.map((row, i) => {
      const [endpoint, range] = row.name.split(' | ');
      const cells = analytics.flatMap((r) => [ms(r.analytics[i]!.p50), ms(r.analytics[i]!.p99), r.analytics[i]!.rcu.toFixed(1), n(r.analytics[i]!.items)]);
      const ratios = analytics.length > 1 ? [`${(last.analytics[i]!.p50 / row.p50).toFixed(2)}×`, `${(last.analytics[i]!.p99 / row.p99).toFixed(2)}×`] : [];
      return [endpoint!, range!, ...cells, ...ratios, last.analytics[i]!.note ?? ''];
    });
    console.log(table(['endpoint', 'range', ...names.flatMap((s) => [`p50 ${s}`, `p99 ${s}`, `RCU ${s}`, `items ${s}`]), ...ratio, 'answer'], rows));
    console.log('\nItems: rollup rows the Queries read per request (every shard): days × dimension values in the range, not people.');
  }
  const matching = results.filter((r) => r.matching.length);
  if (matching.length) {
    console.log(`\nGET /jobs/{id}/matches over the whole pool (${matchSamples} sequential requests each; per request: consumed capacity as DynamoDB Local returns it, calls and items)\n`);
    const rows = matching.flatMap((r) => r.matching.map((m) => [
      m.name, n(r.load.candidates), ms(m.p50), ms(m.p99), m.rcu.toFixed(1), m.calls.toFixed(0), n(m.items), `${m.kb.toFixed(0)} KB`, m.note ?? '',
    ]));
    console.log(table(['request', 'candidates', 'p50', 'p99', 'RCU / request', 'DynamoDB calls', 'items read', 'data read', 'answer'], rows));
  }
}

if (process.env.BENCH_INSIGHTS_WORKER && process.argv[1] === fileURLToPath(import.meta.url)) {
  const output = await worker(JSON.parse(process.env.BENCH_INSIGHTS_WORKER) as WorkerInput);
  process.stdout.write(`\n${RESULT}${JSON.stringify(output)}\n`);
  process.exit(0);
}
