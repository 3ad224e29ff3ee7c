import { makeEvent } from '../../../events/contract.ts';
import { TalentCommunityJoined } from '../../../events/syndication.ts';
import { Gone, NotFound, PayloadTooLarge, UnsupportedMediaType } from '../../../shared/errors.ts';
import type { ApplyRequest, Job, Site, SignupRequest } from '../schemas.ts';
import type { Clock, Ids, JobStore, Mailer, Organisation, PendingSignup, SignupStore, SiteStore } from './ports.ts';
import { confirmationEmail, acknowledgementEmail, welcomeEmail } from './emails.ts';

/** An unconfirmed sign-up (and its link) lasts a week; then TTL removes it and it leaves no trace. */
export const SIGNUP_DAYS = 7;
export const MAX_CV_BYTES = 5 * 1024 * 1024;
/** The one message a public form answers, whether or not the address is known. */
export const SIGNUP_MESSAGE = 'Thanks! Please check your inbox and confirm your address to join.';
export const APPLY_MESSAGE = 'Thanks! Your application has been received; a confirmation is on its way to your inbox.';

const cvTypes = {
  pdf: 'application/pdf',
  docx: 'application/vnd.openxmlformats-officedocument.wordprocessingml.document',
} as const;

/** PDF and DOCX recognised by their first bytes (a DOCX is a ZIP), never by the name or type a browser claims. */
export function cvKind(bytes: Uint8Array): keyof typeof cvTypes | undefined {
  const head = Buffer.from(bytes.subarray(0, 5)).toString('latin1');
  if (head === '%PDF-') return 'pdf';
  if (head.startsWith('PK\x03\x04')) return 'docx';
  return undefined;
}

/** The people a public form may create or update, as the candidates context takes them in. */
export interface Intake {
  join(
    input: { email: string; profile: Record<string, unknown>; source: { type: 'career-site'; detail: string; utm?: Record<string, string> }; consents: { purpose: string; granted: boolean; textVersion: string; source: 'signup-form' }[]; poolId: string },
    actor: string,
  ): Promise<{ candidate: { id: string }; created: boolean }>;
  apply(
    input: {
      email: string;
      profile: Record<string, unknown>;
      source: { type: 'career-site' | 'job-board'; detail: string; utm?: Record<string, string> };
      consents: { purpose: string; granted: boolean; textVersion: string; source: 'apply-form' }[];
      application: { jobId: string; requisitionId?: string; utm?: Record<string, string>; cv?: { fileName: string; contentType: string; size: number }; note?: string };
    },
    actor: string,
    options: { applicationId: string; beforeApplication: (candidateId: string) => Promise<void> },
  ): Promise<{ candidate: { id: string } }>;
}

export interface CvFiles {
  put(candidateId: string, applicationId: string, file: { bytes: Uint8Array; contentType: string }): Promise<void>;
}

export interface CvUpload {
  fileName: string;
  bytes: Uint8Array;
}

export const PUBLIC_ACTOR = 'public';

/** `utm_source` form fields or a `utm` object → one record of UTM values. */
export function utmOf(request: { utm?: Record<string, string | undefined>; utm_source?: string; utm_medium?: string; utm_campaign?: string; utm_content?: string; utm_term?: string }) {
  const utm = {
    ...request.utm,
    ...(request.utm_source ? { source: request.utm_source } : {}),
    ...(request.utm_medium ? { medium: request.utm_medium } : {}),
    ...(request.utm_campaign ? { campaign: request.utm_campaign } : {}),
    ...(request.utm_content ? { content: request.utm_content } : {}),
    ...(request.utm_term ? { term: request.utm_term } : {}),
  };
  const entries = Object.entries(utm).filter((entry): entry is [string, string] => typeof entry[1] === 'string' && entry[1] !== '');
  return entries.length ? Object.fromEntries(entries) : undefined;
}

/**
 * Visitors of the career pages: double opt-in sign-ups to the talent community and applications. Answers never
 * depend on whether the address is already known; a filled honeypot is accepted and dropped.
 */
export function communityService(deps: {
  sites: SiteStore;
  jobs: JobStore;
  signups: SignupStore;
  intake: Intake;
  cvs: CvFiles;
  mailer: Mailer;
  signer: { sign(id: string, days: number): Promise<string>; verify(token: string): Promise<string | undefined> };
  org: () => Organisation;
  publicApiUrl: () => string;
  clock: Clock;
  ids: Ids;
}) {
  const { sites, jobs, signups, intake, mailer, clock, ids } = deps;

  async function publishedSite(slug: string): Promise<Site> {
    const site = await sites.bySlug(slug);
    if (!site || site.status !== 'published') throw new NotFound(`There is no published site ${slug}.`);
    return site;
  }

  /** A job that takes applications: 404 for unknown ids and drafts, 410 once closed or past its closing date. */
  async function openJob(id: string): Promise<Job> {
    const job = await jobs.get(id);
    if (!job || job.status === 'draft') throw new NotFound(`There is no job ${id}.`);
    const expired = job.validThrough && Date.parse(job.validThrough) <= Date.parse(clock.now());
    if (job.status === 'closed' || expired) throw new Gone(`The job "${job.title}" is closed and no longer takes applications.`);
    return job;
  }

  return {
    publishedSite,

    async signup(slug: string, request: SignupRequest): Promise<void> {
      const site = await publishedSite(slug);
      if (request.website) return;
      const { email, firstName, lastName, city, country, skills, linkedin, phone, headline } = request;
      const now = clock.now();
      const signup: PendingSignup = {
        id: ids.next('sgn'),
        siteId: site.id,
        email,
        firstName,
        lastName,
        profile: {
          ...(phone ? { phone } : {}),
          ...(headline ? { headline } : {}),
          ...(city && country ? { location: { city, country } } : country ? { location: { country } } : {}),
          ...(skills?.length ? { skills } : {}),
          ...(linkedin ? { links: [{ type: 'linkedin', url: linkedin }] } : {}),
        },
        ...(utmOf(request) ? { utm: utmOf(request) } : {}),
        createdAt: now,
      };
      await signups.save(signup, new Date(Date.parse(now) + SIGNUP_DAYS * 86_400_000).toISOString());
      const link = `${deps.publicApiUrl()}/public/confirm/${await deps.signer.sign(signup.id, SIGNUP_DAYS)}`;
      await mailer.send({ to: email, ...confirmationEmail({ firstName, siteTitle: site.title, link, days: SIGNUP_DAYS, org: deps.org() }) });
    },

    /**
     * Follows a confirmation link: records the consent, creates or updates the person, adds them to the site's pool
     * and welcomes them. A forged, expired or used link changes nothing.
     */
    async confirm(token: string): Promise<{ outcome: 'joined' | 'already' | 'invalid'; siteTitle?: string }> {
      const id = await deps.signer.verify(token);
      const claimed = id ? await signups.claim(id) : undefined;
      if (!id || !claimed) return { outcome: 'invalid' };
      if ('done' in claimed) return { outcome: 'already' };
      const { signup } = claimed;
      const site = await sites.get(signup.siteId);
      if (!site) return { outcome: 'invalid' };
      const { candidate, created } = await intake.join(
        {
          email: signup.email,
          profile: { firstName: signup.firstName, lastName: signup.lastName, ...signup.profile },
          source: { type: 'career-site', detail: site.title, ...(signup.utm ? { utm: signup.utm } : {}) },
          consents: ['talent-community', 'marketing-email'].map((purpose) => ({ purpose, granted: true, textVersion: site.signup.consentVersion, source: 'signup-form' as const })),
          poolId: site.signup.poolId,
        },
        PUBLIC_ACTOR,
      );
      const event = makeEvent(TalentCommunityJoined, { eventId: ids.next('evt'), occurredAt: clock.now(), actor: PUBLIC_ACTOR }, {
        candidateId: candidate.id,
        siteId: site.id,
        created,
        ...(signup.utm ? { utm: signup.utm } : {}),
      });
      await signups.finish(id, candidate.id, [event]);
      await mailer.send({ to: signup.email, ...welcomeEmail({ firstName: signup.firstName, site, org: deps.org() }) });
      return { outcome: 'joined', siteTitle: site.title };
    },

    async apply(jobId: string, request: ApplyRequest, cv?: CvUpload): Promise<void> {
      const job = await openJob(jobId);
      if (request.website) return;
      const kind = cv && cvKind(cv.bytes);
      if (cv) {
        if (cv.bytes.byteLength > MAX_CV_BYTES) throw new PayloadTooLarge('The CV is over 5 MB.');
        if (!kind) throw new UnsupportedMediaType('Send the CV as a PDF or DOCX file.');
      }
      const utm = utmOf(request);
      const applicationId = ids.next('app');
      const { email, firstName, lastName, phone, linkedin, coverLetter } = request;
      await intake.apply(
        {
          email,
          profile: { firstName, lastName, ...(phone ? { phone } : {}), ...(linkedin ? { links: [{ type: 'linkedin', url: linkedin }] } : {}) },
          source: { type: utm?.medium === 'job-board' ? 'job-board' : 'career-site', detail: job.title, ...(utm ? { utm } : {}) },
          consents: request.consent ? [{ purpose: 'talent-community', granted: true, textVersion: 'apply-form', source: 'apply-form' }] : [],
          application: {
            jobId: job.id,
            ...(job.requisitionId ? { requisitionId: job.requisitionId } : {}),
            ...(utm ? { utm } : {}),
            ...(cv && kind ? { cv: { fileName: cv.fileName.slice(0, 200), contentType: cvTypes[kind], size: cv.bytes.byteLength } } : {}),
            ...(coverLetter ? { note: coverLetter.slice(0, 2000) } : {}),
          },
        },
        PUBLIC_ACTOR,
        {
          applicationId,
          beforeApplication: async (candidateId) => {
            if (cv && kind) await deps.cvs.put(candidateId, applicationId, { bytes: cv.bytes, contentType: cvTypes[kind] });
          },
        },
      );
      await mailer.send({ to: email, ...acknowledgementEmail({ firstName, job, org: deps.org() }) });
    },
  };
}

export type CommunityService = ReturnType<typeof communityService>;
