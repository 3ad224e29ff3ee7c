import { makeEvent } from '../../../events/contract.ts';
import { TalentCommunityJoined } from '../../../events/syndication.ts';
import { Gone, NotFound, PayloadTooLarge, UnsupportedMediaType } from '../../../shared/errors.ts';
import { derivedId } from '../../../shared/ids.ts';
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

/**
 * PDF and DOCX recognised by their bytes, never by the name or type a browser claims: a DOCX is a ZIP whose
 * directory names `word/document.xml` (a spreadsheet or an app package is a ZIP too).
 */
export function cvKind(bytes: Uint8Array): keyof typeof cvTypes | undefined {
  const content = Buffer.from(bytes.buffer, bytes.byteOffset, bytes.byteLength);
  if (content.subarray(0, 5).toString('latin1') === '%PDF-') return 'pdf';
  if (content.subarray(0, 4).toString('latin1') === 'PK\x03\x04' && content.includes('word/document.xml') && content.includes('[Content_Types].xml')) return 'docx';
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
      consents: never[];
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
  /** Bounced, complained or unsubscribed addresses get no email from the forms either. */
  suppressed: (email: string) => Promise<boolean>;
  signer: { sign(id: string, days: number): Promise<string>; verify(token: string): Promise<string | undefined> };
  org: () => Organisation;
  publicApiUrl: () => string;
  clock: Clock;
  ids: Ids;
}) {
  const { sites, jobs, signups, intake, clock, ids } = deps;
  const mail = async (message: Parameters<Mailer['send']>[0]) => {
    if (!(await deps.suppressed(message.to))) await deps.mailer.send(message);
  };

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
      // Submitting again within the hour stores nothing and sends nothing: the form cannot flood an inbox.
      if (!(await signups.save(signup, new Date(Date.parse(now) + SIGNUP_DAYS * 86_400_000).toISOString()))) return;
      const link = `${deps.publicApiUrl()}/public/confirm/${await deps.signer.sign(signup.id, SIGNUP_DAYS)}`;
      await mail({ to: email, ...confirmationEmail({ firstName, siteTitle: site.title, link, days: SIGNUP_DAYS, org: deps.org() }) });
    },

    /** What following the link would do, without doing it. */
    async confirmation(token: string): Promise<'pending' | 'already' | 'invalid'> {
      const id = await deps.signer.verify(token);
      const claimed = id ? await signups.claim(id) : undefined;
      if (!claimed) return 'invalid';
      return 'done' in claimed ? 'already' : 'pending';
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
          // Each lapses after its purpose's period (privacy settings), set where consents are recorded.
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
      await mail({ to: signup.email, ...welcomeEmail({ firstName: signup.firstName, site, org: deps.org() }) });
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
      // One application per person, job and day: a double click or a retried request adds nothing.
      const now = clock.now();
      const applicationId = derivedId('app', now, `${job.id}:${request.email}:${now.slice(0, 10)}`);
      const { email, firstName, lastName, phone, linkedin, coverLetter } = request;
      await intake.apply(
        {
          email,
          profile: { firstName, lastName, ...(phone ? { phone } : {}), ...(linkedin ? { links: [{ type: 'linkedin', url: linkedin }] } : {}) },
          source: { type: utm?.medium === 'job-board' ? 'job-board' : 'career-site', detail: job.title, ...(utm ? { utm } : {}) },
          consents: [],
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
      await mail({ to: email, ...acknowledgementEmail({ firstName, job, org: deps.org() }) });
    },
  };
}

export type CommunityService = ReturnType<typeof communityService>;
