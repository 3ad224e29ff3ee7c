import { createHmac, timingSafeEqual } from 'node:crypto';
import { SIGNATURE_HEADER, SIGNATURE_TOLERANCE_SECONDS, verifyWebhook } from '../../../shared/webhook-signature.ts';
import type { AtsFormat } from '../ats-schemas.ts';

/** An inbound request as it arrived: the exact bytes that were signed, and its headers (lower-case names). */
export interface Delivery {
  rawBody: string;
  headers: Record<string, string | undefined>;
}

const hmacHex = (secret: string, message: string) => createHmac('sha256', secret).update(message, 'utf8').digest();

/** Constant-time comparison of a hex signature with the expected digest; anything that is not hex never matches. */
function sameDigest(givenHex: string, expected: Buffer): boolean {
  if (!/^[0-9a-f]+$/i.test(givenHex)) return false;
  const given = Buffer.from(givenHex, 'hex');
  return given.length === expected.length && timingSafeEqual(given, expected);
}

/** Greenhouse: `Signature: sha256 <hex HMAC-SHA256 of the raw body>`; nothing time-bound is signed. */
function greenhouseSigned(delivery: Delivery, secret: string): boolean {
  const match = /^sha256 ([0-9a-f]{64})$/i.exec(delivery.headers.signature?.trim() ?? '');
  return !!match && sameDigest(match[1]!, hmacHex(secret, delivery.rawBody));
}

/**
 * Lever: the body carries `token`, `triggeredAt` (ms) and `signature`, the hex HMAC-SHA256 of `token + triggeredAt`.
 * The body itself is not signed, so the token and time are what make a delivery unique (the event id is built from them).
 */
function leverSigned(delivery: Delivery, secret: string, nowSeconds: number): boolean {
  let body: unknown;
  try {
    body = JSON.parse(delivery.rawBody);
  } catch {
    return false;
  }
  const { token, triggeredAt, signature } = (body ?? {}) as Record<string, unknown>;
  if (typeof token !== 'string' || typeof signature !== 'string' || typeof triggeredAt !== 'number' || !Number.isInteger(triggeredAt)) return false;
  if (Math.abs(nowSeconds * 1000 - triggeredAt) > SIGNATURE_TOLERANCE_SECONDS * 1000) return false;
  return sameDigest(signature, hmacHex(secret, `${token}${triggeredAt}`));
}

/** Whether any of the connection's secrets signed this delivery in its format's scheme (and recently, where the scheme signs a time). */
export function verifyDelivery(format: AtsFormat, delivery: Delivery, secrets: string[], nowSeconds: number): boolean {
  return secrets.some((secret) => {
    switch (format) {
      case 'native':
        return verifyWebhook(delivery.headers[SIGNATURE_HEADER], secret, delivery.rawBody, nowSeconds);
      case 'greenhouse':
        return greenhouseSigned(delivery, secret);
      case 'lever':
        return leverSigned(delivery, secret, nowSeconds);
    }
  });
}
