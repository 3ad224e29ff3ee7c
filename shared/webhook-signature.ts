import { createHmac, timingSafeEqual } from 'node:crypto';

/**
 * The webhook signature both ways (outbound deliveries, inbound ATS events):
 * `X-TalentRelay-Signature: t=<unix seconds>,v1=<hex HMAC-SHA256 of "<t>.<raw body>">`. The timestamp is signed with
 * the body, so a captured request cannot be replayed outside the tolerance window.
 */
export const SIGNATURE_HEADER = 'x-talentrelay-signature';
/** How far a signed timestamp may be from now, either way (clock skew and delivery delay). */
export const SIGNATURE_TOLERANCE_SECONDS = 300;

const hmac = (secret: string, timestamp: number, body: string) => createHmac('sha256', secret).update(`${timestamp}.${body}`).digest('hex');

export function signWebhook(secret: string, body: string, nowSeconds: number): string {
  return `t=${nowSeconds},v1=${hmac(secret, nowSeconds, body)}`;
}

/** Whether the header is a signature of this body by this secret, made within the tolerance of now. */
export function verifyWebhook(header: string | undefined, secret: string, body: string, nowSeconds: number, toleranceSeconds = SIGNATURE_TOLERANCE_SECONDS): boolean {
  if (!header) return false;
  const parts = new Map(header.split(',').map((part) => part.trim().split('=', 2) as [string, string]));
  const timestamp = Number(parts.get('t'));
  if (!Number.isInteger(timestamp) || Math.abs(nowSeconds - timestamp) > toleranceSeconds) return false;
  const expected = Buffer.from(hmac(secret, timestamp, body), 'hex');
  // Any of several v1 values may match (a sender rotating its secret signs with both).
  return header.split(',').map((part) => part.trim()).filter((part) => /^v1=[0-9a-f]{64}$/i.test(part)).some((part) => timingSafeEqual(Buffer.from(part.slice(3), 'hex'), expected));
}
