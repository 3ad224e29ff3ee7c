import { InvalidInput, NotFound } from '../../../shared/errors.ts';
import type { TokenClaims } from '../../../shared/tokens.ts';
import type { Candidate, CreateCandidate } from '../../candidates/schemas.ts';
import type { ConsentRecord, RecordConsent } from '../schemas.ts';
import { confirmRenewalPage, invalidLinkPage, nothingToRenewPage, renewalEmail, renewedPage } from './consent-pages.ts';
import { RENEWAL_WINDOW_DAYS, addDays, consentExpiry, consentState, renewalsDue, renewedExpiry, type StoredConsent } from './consents.ts';
import type { Clock, Mailer, SettingsStore } from './ports.ts';

/** Someone asked to renew is asked again this many days later at the earliest (while the consent still runs out). */
export const ASK_AGAIN_AFTER_DAYS = 7;
/** The renewal link works this long: about as long as the consent it renews has left. */
const LINK_DAYS = RENEWAL_WINDOW_DAYS;
/** As in campaign emails: an unsubscribe link works long after the email is read. */
const UNSUBSCRIBE_LINK_DAYS = 365;

type NewConsent = NonNullable<CreateCandidate['consents']>[number];

/** The people whose consents these are: the candidates context, whose profile holds the history. */
export interface ConsentHolders {
  /** Throws NotFound when there is no such candidate. */
  get(candidateId: string): Promise<Pick<Candidate, 'id' | 'email' | 'firstName' | 'status' | 'consents'>>;
  /** Appends records to the person's history; answers the history as stored. */
  record(candidateId: string, consents: NewConsent[], actor: string): Promise<StoredConsent[]>;
}

/** Who is asked to renew, and when they were last asked. */
export interface RenewalAsks {
  /** Ids of people with a granted consent that expires between the two times (the expiry index), a page at a time. */
  expiring(from: string, to: string): AsyncIterable<string[]>;
  /** Notes that the person is asked at `at`, unless they were asked at or after `since`: false then. */
  claim(candidateId: string, at: string, since: string): Promise<boolean>;
  /** Forgets the ask made at `at` (the email could not be sent), so a re-run asks again. */
  release(candidateId: string, at: string): Promise<void>;
  /** Whether email to the address is suppressed (bounced, complained, unsubscribed). */
  suppressed(email: string): Promise<boolean>;
}

export interface LinkSigner {
  sign(claims: Omit<TokenClaims, 'exp'>, days: number): Promise<string>;
  verify(token: string, use: TokenClaims['use']): Promise<TokenClaims | undefined>;
}

export interface ConsentDeps {
  holders: ConsentHolders;
  settings: SettingsStore;
  asks: RenewalAsks;
  mailer: Mailer;
  signer: LinkSigner;
  /** Base URL of the public API, where renewal links point. */
  links: { api: string };
  clock: Clock;
}

/** A page answer: status and HTML. An invalid or expired link is a 400 page that changes nothing. */
export interface PageReply {
  status: number;
  html: string;
}

const RENEW = 'r';

export function consentService({ holders, settings, asks, mailer, signer, links, clock }: ConsentDeps) {
  async function find(candidateId: string) {
    try {
      return await holders.get(candidateId);
    } catch (error) {
      if (error instanceof NotFound) return undefined;
      throw error;
    }
  }

  /** The person a renewal link names, and what it would renew; undefined when the link does not work (any more). */
  async function renewalOf(token: string, now: string) {
    const claims = await signer.verify(token, RENEW);
    const person = claims && (await find(claims.candidateId));
    return person && { person, due: renewalsDue(person.consents, now, { includeLapsed: true }) };
  }

  /** Asks one person, once in a while; whether they were asked now. */
  async function ask(candidateId: string, now: string): Promise<'asked' | 'skipped'> {
    const person = await find(candidateId);
    if (!person) return 'skipped';
    // The index lags the profile a little: what counts is the profile as it is now.
    const due = renewalsDue(person.consents, now);
    if (!due.length || person.status === 'do-not-contact' || (await asks.suppressed(person.email))) return 'skipped';
    // Claimed before sending, so a re-run the same day (or within the week) never asks twice. Counted in days, so a
    // schedule that runs a little earlier one day still asks on the same weekday.
    const weekAgo = addDays(`${now.slice(0, 10)}T00:00:00.000Z`, 1 - ASK_AGAIN_AFTER_DAYS);
    if (!(await asks.claim(candidateId, now, weekAgo))) return 'skipped';
    try {
      const [renew, unsubscribe] = await Promise.all([signer.sign({ use: RENEW, candidateId }, LINK_DAYS), signer.sign({ use: 'u', candidateId }, UNSUBSCRIBE_LINK_DAYS)]);
      const expiring = due.map((c) => ({ purpose: c.purpose, expiresAt: c.expiresAt! }));
      const urls = { renew: `${links.api}/public/consents/${renew}`, unsubscribe: `${links.api}/u/${unsubscribe}` };
      await mailer.send({ to: person.email, ...renewalEmail(person, expiring, urls) });
      return 'asked';
    } catch (error) {
      await asks.release(candidateId, now);
      throw error;
    }
  }

  return {
    async list(candidateId: string) {
      return consentState((await holders.get(candidateId)).consents, clock.now());
    },

    async record(candidateId: string, input: RecordConsent, actor: string): Promise<ConsentRecord> {
      const periods = await settings.retention();
      const now = clock.now();
      if (input.expiresAt !== undefined && !input.granted) {
        throw new InvalidInput('A withdrawal does not expire.', [{ path: 'body.expiresAt', message: 'only a granted consent expires' }]);
      }
      if (input.expiresAt !== undefined && Date.parse(input.expiresAt) <= Date.parse(now)) {
        throw new InvalidInput('The consent would have expired already.', [{ path: 'body.expiresAt', message: 'must be in the future' }]);
      }
      // Stored in UTC, so the expiry index and string comparisons at send time order it correctly. A default period runs
      // from now: the candidates service stamps `recordedAt` a moment later.
      const expiresAt = input.expiresAt ? new Date(input.expiresAt).toISOString() : consentExpiry(input, now, periods);
      const { purpose, granted, lawfulBasis, textVersion, source } = input;
      const history = await holders.record(candidateId, [{ purpose, granted, lawfulBasis, source, ...(textVersion ? { textVersion } : {}), ...(expiresAt ? { expiresAt } : {}) }], actor);
      return history.at(-1)!;
    },

    async renewalPage(token: string): Promise<PageReply> {
      const renewal = await renewalOf(token, clock.now());
      if (!renewal) return { status: 400, html: invalidLinkPage() };
      if (!renewal.due.length) return { status: 200, html: nothingToRenewPage() };
      return { status: 200, html: confirmRenewalPage(token, renewal.due.map((c) => ({ purpose: c.purpose, expiresAt: c.expiresAt! }))) };
    },

    /** Renews every consent of the person's that runs out within the window; repeating it renews nothing more. */
    async renew(token: string): Promise<PageReply> {
      const now = clock.now();
      const renewal = await renewalOf(token, now);
      if (!renewal) return { status: 400, html: invalidLinkPage() };
      if (!renewal.due.length) return { status: 200, html: nothingToRenewPage() };
      const periods = await settings.retention();
      const renewed: NewConsent[] = renewal.due.map((c) => ({
        purpose: c.purpose,
        granted: true,
        source: 'email-link',
        ...(c.lawfulBasis ? { lawfulBasis: c.lawfulBasis } : {}),
        ...(c.textVersion ? { textVersion: c.textVersion } : {}),
        expiresAt: renewedExpiry(c, now, periods),
      }));
      await holders.record(renewal.person.id, renewed, 'public');
      return { status: 200, html: renewedPage(renewed.map((c) => ({ purpose: c.purpose, expiresAt: c.expiresAt! }))) };
    },

    /**
     * The daily run: everyone with a consent that runs out within the window, found on the expiry index (no Scan), gets
     * one email with one link for all of theirs, unless they were asked in the last week. A failed send is counted and
     * left for the next run; the others go on.
     */
    async askForRenewals(): Promise<{ asked: number; skipped: number; failed: { candidateId: string; error: string }[] }> {
      const now = clock.now();
      const people = new Set<string>();
      for await (const ids of asks.expiring(now, addDays(now, RENEWAL_WINDOW_DAYS))) for (const id of ids) people.add(id);
      const result = { asked: 0, skipped: 0, failed: [] as { candidateId: string; error: string }[] };
      for (const candidateId of people) {
        try {
          result[await ask(candidateId, now)]++;
        } catch (error) {
          // The error's name only: SES messages can carry the address.
          result.failed.push({ candidateId, error: error instanceof Error ? error.name : 'Error' });
        }
      }
      return result;
    },
  };
}
