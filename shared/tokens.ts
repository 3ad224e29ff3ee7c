import { createHmac, timingSafeEqual } from 'node:crypto';

/**
 * Signed tokens for links that need no login (unsubscribe, preferences): a compact JSON payload of
 * ids, and an HMAC-SHA256 over it. The payload holds opaque ids only, never an address or a name, so a token
 * reveals nothing about the person; tampering or a wrong purpose fails verification.
 */
/** Links that act on one stored record rather than on a person. */
export type RecordUse = 'c' | 'q' | 'x' | 'v' | 's';

export interface TokenClaims {
  /**
   * What the token is for: `u` unsubscribe, `p` preferences, `r` renew the person's consents that expire soon;
   * record links: `c` a pending sign-up, `q` a privacy request, `x` an export file, `v` an event RSVP, `s` a survey invitation.
   */
  use: 'u' | 'p' | 'r' | RecordUse;
  /** The person; in a record link, the record's id. */
  candidateId: string;
  campaignId?: string;
  /** Expiry, seconds since the epoch. */
  exp: number;
}

const b64 = (data: Buffer | string) => Buffer.from(data).toString('base64url');
const mac = (payload: string, secret: string) => createHmac('sha256', secret).update(payload).digest().subarray(0, 16);

export function signToken(claims: TokenClaims, secret: string): string {
  const payload = b64(JSON.stringify([claims.use, claims.candidateId, claims.campaignId ?? '', claims.exp]));
  return `${payload}.${b64(mac(payload, secret))}`;
}

/** The claims of a genuine, unexpired token for this use; otherwise undefined. */
export function verifyToken(token: string, use: TokenClaims['use'], secret: string, nowSeconds: number): TokenClaims | undefined {
  const [payload, signature, extra] = token.split('.');
  if (!payload || !signature || extra !== undefined) return undefined;
  const expected = mac(payload, secret);
  const given = Buffer.from(signature, 'base64url');
  if (given.length !== expected.length || !timingSafeEqual(given, expected)) return undefined;
  try {
    const [tokenUse, candidateId, campaignId, exp] = JSON.parse(Buffer.from(payload, 'base64url').toString('utf8')) as [string, string, string, number];
    if (tokenUse !== use || typeof exp !== 'number' || exp < nowSeconds || typeof candidateId !== 'string') return undefined;
    return { use, candidateId, ...(campaignId ? { campaignId } : {}), exp };
  } catch {
    return undefined;
  }
}

/*
 * Reply addresses carry their own, shorter token: an address's local part may have at most 64 characters
 * (RFC 5321), so `reply+<token>` holds the two ids as 16-byte ULIDs and a 48-bit MAC, 51 characters in base64url.
 * It never expires: a reply to an old email still finds its person.
 */
const CROCKFORD = '0123456789ABCDEFGHJKMNPQRSTVWXYZ';
const REPLY_MAC_BYTES = 6;

function ulidBytes(id: string | undefined, prefix: string): Buffer {
  const bytes = Buffer.alloc(16);
  if (!id) return bytes;
  let value = 0n;
  for (const char of id.slice(prefix.length + 1)) value = value * 32n + BigInt(CROCKFORD.indexOf(char));
  for (let i = 15; i >= 0; i--, value >>= 8n) bytes[i] = Number(value & 0xffn);
  return bytes;
}

function ulidOf(bytes: Buffer, prefix: string): string | undefined {
  if (bytes.every((b) => b === 0)) return undefined;
  let value = BigInt(`0x${bytes.toString('hex')}`);
  let text = '';
  for (let i = 0; i < 26; i++, value >>= 5n) text = CROCKFORD[Number(value & 31n)] + text;
  return `${prefix}_${text}`;
}

export function signReplyToken(candidateId: string, campaignId: string | undefined, secret: string): string {
  const payload = Buffer.concat([ulidBytes(candidateId, 'cand'), ulidBytes(campaignId, 'camp')]);
  return b64(Buffer.concat([payload, createHmac('sha256', secret).update(payload).digest().subarray(0, REPLY_MAC_BYTES)]));
}

export function verifyReplyToken(token: string, secret: string): { candidateId: string; campaignId?: string } | undefined {
  const bytes = Buffer.from(token, 'base64url');
  if (bytes.length !== 32 + REPLY_MAC_BYTES) return undefined;
  const payload = bytes.subarray(0, 32);
  const expected = createHmac('sha256', secret).update(payload).digest().subarray(0, REPLY_MAC_BYTES);
  if (!timingSafeEqual(bytes.subarray(32), expected)) return undefined;
  const candidateId = ulidOf(payload.subarray(0, 16), 'cand');
  const campaignId = ulidOf(payload.subarray(16), 'camp');
  return candidateId ? { candidateId, ...(campaignId ? { campaignId } : {}) } : undefined;
}
