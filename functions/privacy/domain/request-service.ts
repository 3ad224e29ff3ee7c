import { type Paragraph, transactionalEmail } from '../../../shared/email/transactional.ts';
import type { Page, PageRequest } from '../../../shared/http/pagination.ts';
import type { CandidateExport, PrivacyRequest } from '../schemas.ts';
import type { Clock, Erasures, Ids, Mailer, PersonData } from './ports.ts';

/** A confirmation link, and the download link of an access request, work for a week. */
export const LINK_DAYS = 7;
/** A claimed request not completed after this long was abandoned (the function crashed): following the link again finishes it. */
const CLAIM_MINUTES = 5;
/** The one answer to every request, whether or not the address is known: the answer must not reveal it (Art. 12(6)). */
export const REQUEST_MESSAGE = 'Thank you. If we hold data about this address, an email with a confirmation link is on its way to it; we act on your request once you follow that link.';
const PUBLIC_ACTOR = 'public';

type RequestType = PrivacyRequest['type'];
/** What is stored; `expired` is never stored but read off an unconfirmed request whose link has lapsed. */
export type StoredStatus = Exclude<PrivacyRequest['status'], 'expired'>;

export interface PrivacyRequestStore {
  save(request: PrivacyRequest): Promise<void>;
  get(id: string): Promise<PrivacyRequest | undefined>;
  /** Takes an unconfirmed request to carry it out: false when it is completed, or someone claimed it after `staleBefore`. */
  claim(id: string, at: string, staleBefore: string): Promise<boolean>;
  complete(id: string, at: string): Promise<void>;
  /** Newest first, narrowed by stored status and by when they were received. */
  list(filter: { status?: StoredStatus; receivedBefore?: string; receivedSince?: string }, page: PageRequest): Promise<Page<PrivacyRequest>>;
}

/** Who holds an address now, if anyone (the candidates context's email guard). */
export interface CandidateEmails {
  candidateIdOf(email: string): Promise<string | undefined>;
}

/** Where a person's export is kept for them to download. */
export interface ExportFiles {
  publish(candidateId: string, requestId: string, document: CandidateExport, days: number): Promise<{ url: string; expiresAt: string }>;
}

export interface RequestServiceDeps {
  requests: PrivacyRequestStore;
  candidates: CandidateEmails;
  personData: PersonData;
  erasures: Erasures;
  exports: ExportFiles;
  mailer: Mailer;
  /** Signs and verifies links that name one request. */
  signer: { sign(id: string, days: number): Promise<string>; verify(token: string): Promise<string | undefined> };
  /** Salted hash of an address: the request stays provable without keeping the address. */
  hashIdentifier(value: string): Promise<string>;
  org: () => { name: string };
  publicApiUrl: () => string;
  clock: Clock;
  ids: Ids;
}

const DAY_MS = 86_400_000;
const shift = (iso: string, ms: number) => new Date(Date.parse(iso) + ms).toISOString();

/** One calendar month later (Art. 12(3)): the same day of the next month, or its last day when it has no such day (31 Jan → 28/29 Feb). */
export function oneMonthAfter(iso: string): string {
  const at = new Date(iso);
  const year = at.getUTCFullYear();
  const month = at.getUTCMonth() + 1;
  const lastDay = new Date(Date.UTC(year, month + 1, 0)).getUTCDate();
  return new Date(Date.UTC(year, month, Math.min(at.getUTCDate(), lastDay), at.getUTCHours(), at.getUTCMinutes(), at.getUTCSeconds(), at.getUTCMilliseconds())).toISOString();
}

const email = (subject: string, paragraphs: Paragraph[], org: { name: string }) => transactionalEmail(subject, paragraphs, org.name);

const asked: Record<RequestType, string> = { access: 'a copy of the data we hold about you', erasure: 'the erasure of the data we hold about you' };

const confirmationEmail = (type: RequestType, link: string, org: { name: string }) =>
  email(
    type === 'access' ? 'Confirm your request for a copy of your data' : 'Confirm your request to erase your data',
    [
      `We received a request for ${asked[type]} at ${org.name}, made for this email address.`,
      'If it was you, confirm it here:',
      { link, label: type === 'access' ? 'Confirm and send me my data' : 'Confirm the erasure' },
      `The link works for ${LINK_DAYS} days. If you did not ask, ignore this email: nothing happens without your confirmation.`,
    ],
    org,
  );

const deliveryEmail = (link: string, expiresAt: string, org: { name: string }) =>
  email(
    'Your data: a copy of everything we hold about you',
    [
      `As you asked, here is everything ${org.name} holds about you, as one JSON file you can read or take to another service (GDPR Art. 15 and 20).`,
      { link, label: 'Download my data' },
      `The link works until ${expiresAt.slice(0, 10)} (${LINK_DAYS} days). After that, you can ask again at any time.`,
    ],
    org,
  );

export type Review = { outcome: 'ready'; type: RequestType } | { outcome: 'done' } | { outcome: 'invalid' };
export type Confirmation = { outcome: 'erased' | 'sent' | 'no-data' | 'done' | 'invalid' };

/**
 * Self-service access and erasure requests (Art. 15, 17, 20). Anyone may ask for any address, so the answer never
 * depends on whether it is known; only the address's owner, by following the emailed link, makes anything happen.
 * Every request is kept with its deadline for the team, with a salted hash in place of the address.
 */
export function requestService(deps: RequestServiceDeps) {
  const { requests, clock } = deps;

  /** An unconfirmed request whose link has lapsed reads as expired. */
  const asOf = (request: PrivacyRequest, now: string): PrivacyRequest =>
    request.status === 'awaiting-confirmation' && shift(request.receivedAt, LINK_DAYS * DAY_MS) <= now ? { ...request, status: 'expired' } : request;

  /** The request a genuine, unexpired link names, while it is one the person can act on. */
  async function requestOf(token: string): Promise<PrivacyRequest | undefined> {
    const id = await deps.signer.verify(token);
    const request = id ? await requests.get(id) : undefined;
    // Only requests for a known address were sent a link: an unverified one has no candidate.
    return request?.candidateId ? request : undefined;
  }

  /** Someone erased meanwhile has nothing left to erase: the request is met all the same. */
  async function erase(candidateId: string): Promise<Confirmation> {
    await deps.erasures.start(candidateId, 'request', PUBLIC_ACTOR);
    return { outcome: 'erased' };
  }

  async function deliverExport(candidateId: string, requestId: string): Promise<Confirmation> {
    const document = await deps.personData.export(candidateId, LINK_DAYS * 24 * 60);
    if (!document) return { outcome: 'no-data' };
    // The copy goes to the address on the person's record: the one the link went to, unless they changed it since.
    const to = document.resume.basics.email;
    if (typeof to !== 'string') throw new Error(`The export of ${candidateId} has no email address to send it to.`);
    const { url, expiresAt } = await deps.exports.publish(candidateId, requestId, document, LINK_DAYS);
    await deps.mailer.send({ to, ...deliveryEmail(url, expiresAt, deps.org()) });
    return { outcome: 'sent' };
  }

  return {
    /** Stores the request and, if the address is known, emails the confirmation link; a filled honeypot is dropped. */
    async receive(input: { email: string; type: RequestType; website?: string | undefined }): Promise<void> {
      if (input.website) return;
      const receivedAt = clock.now();
      const candidateId = await deps.candidates.candidateIdOf(input.email);
      const request: PrivacyRequest = {
        id: deps.ids.next('prq'),
        type: input.type,
        status: candidateId ? 'awaiting-confirmation' : 'unverified',
        receivedAt,
        deadline: oneMonthAfter(receivedAt),
        ...(candidateId ? { candidateId } : {}),
        emailHash: await deps.hashIdentifier(input.email),
      };
      await requests.save(request);
      if (!candidateId) return;
      const link = `${deps.publicApiUrl()}/public/privacy/confirm/${await deps.signer.sign(request.id, LINK_DAYS)}`;
      await deps.mailer.send({ to: input.email, ...confirmationEmail(request.type, link, deps.org()) });
    },

    /** What the link's page offers: a GET changes nothing, because mail scanners follow links. */
    async review(token: string): Promise<Review> {
      const request = await requestOf(token);
      if (!request) return { outcome: 'invalid' };
      return request.status === 'completed' ? { outcome: 'done' } : { outcome: 'ready', type: request.type };
    },

    /**
     * Carries the request out, once: erasure starts at once; access emails a download link to the export. A second
     * confirmation, or one racing it, changes nothing and sends nothing; a crash midway is finished by confirming again.
     */
    async confirm(token: string): Promise<Confirmation> {
      const request = await requestOf(token);
      if (!request?.candidateId) return { outcome: 'invalid' };
      if (request.status === 'completed') return { outcome: 'done' };
      const now = clock.now();
      if (!(await requests.claim(request.id, now, shift(now, -CLAIM_MINUTES * 60_000)))) return { outcome: 'done' };
      const result = request.type === 'erasure' ? await erase(request.candidateId) : await deliverExport(request.candidateId, request.id);
      await requests.complete(request.id, clock.now());
      return result;
    },

    async list(query: PageRequest & { status?: PrivacyRequest['status'] | undefined }): Promise<Page<PrivacyRequest>> {
      const { status, ...page } = query;
      const now = clock.now();
      const lapsedBefore = shift(now, -LINK_DAYS * DAY_MS);
      const filter =
        status === 'expired'
          ? { status: 'awaiting-confirmation' as const, receivedBefore: lapsedBefore }
          : status === 'awaiting-confirmation'
            ? { status, receivedSince: lapsedBefore }
            : { ...(status ? { status } : {}) };
      const { items, nextCursor } = await requests.list(filter, page);
      return { items: items.map((request) => asOf(request, now)), ...(nextCursor ? { nextCursor } : {}) };
    },
  };
}
