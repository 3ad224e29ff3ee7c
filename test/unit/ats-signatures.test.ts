import { createHmac } from 'node:crypto';
import { describe, expect, it } from 'vitest';
import { verifyDelivery } from '../../functions/integrations/domain/ats-signatures.ts';
import { signWebhook } from '../../shared/webhook-signature.ts';

const secret = 'a-connection-secret-of-enough-length';
const now = 1_765_000_000;
const body = JSON.stringify({ eventId: 'evt-1', candidate: { email: 'grace@example.com' } });
const hex = (key: string, message: string) => createHmac('sha256', key).update(message).digest('hex');

describe('native signatures', () => {
  it('verify the X-TalentRelay-Signature of the raw body within five minutes', () => {
    expect(verifyDelivery('native', { rawBody: body, headers: { 'x-talentrelay-signature': signWebhook(secret, body, now - 299) } }, [secret], now)).toBe(true);
  });

  it('refuse a stale timestamp, another secret, a changed body or no header', () => {
    expect(verifyDelivery('native', { rawBody: body, headers: { 'x-talentrelay-signature': signWebhook(secret, body, now - 301) } }, [secret], now)).toBe(false);
    expect(verifyDelivery('native', { rawBody: body, headers: { 'x-talentrelay-signature': signWebhook('another', body, now) } }, [secret], now)).toBe(false);
    expect(verifyDelivery('native', { rawBody: `${body} `, headers: { 'x-talentrelay-signature': signWebhook(secret, body, now) } }, [secret], now)).toBe(false);
    expect(verifyDelivery('native', { rawBody: body, headers: {} }, [secret], now)).toBe(false);
  });

  it('accept any of the connection\'s current secrets (the previous one during a rotation)', () => {
    expect(verifyDelivery('native', { rawBody: body, headers: { 'x-talentrelay-signature': signWebhook('old-secret', body, now) } }, [secret, 'old-secret'], now)).toBe(true);
  });
});

describe('Greenhouse signatures', () => {
  it('verify "sha256 <hex HMAC of the raw body>" in the Signature header', () => {
    expect(verifyDelivery('greenhouse', { rawBody: body, headers: { signature: `sha256 ${hex(secret, body)}` } }, [secret], now)).toBe(true);
  });

  it('refuse another secret, a changed body, another algorithm or a malformed header', () => {
    expect(verifyDelivery('greenhouse', { rawBody: body, headers: { signature: `sha256 ${hex('another', body)}` } }, [secret], now)).toBe(false);
    expect(verifyDelivery('greenhouse', { rawBody: body.replace('grace', 'mallory'), headers: { signature: `sha256 ${hex(secret, body)}` } }, [secret], now)).toBe(false);
    expect(verifyDelivery('greenhouse', { rawBody: body, headers: { signature: `sha1 ${hex(secret, body)}` } }, [secret], now)).toBe(false);
    expect(verifyDelivery('greenhouse', { rawBody: body, headers: { signature: 'sha256 zz' } }, [secret], now)).toBe(false);
  });
});

describe('Lever signatures', () => {
  const leverBody = (triggeredAt: number, signature: string) => JSON.stringify({ event: 'candidateHired', token: 'tok-1', triggeredAt, signature, data: {} });

  it('verify the body\'s signature of token + triggeredAt within five minutes', () => {
    const triggeredAt = (now - 60) * 1000;
    expect(verifyDelivery('lever', { rawBody: leverBody(triggeredAt, hex(secret, `tok-1${triggeredAt}`)), headers: {} }, [secret], now)).toBe(true);
  });

  it('refuse a triggeredAt over five minutes old, another secret, or a body that is not JSON', () => {
    const old = (now - 301) * 1000;
    expect(verifyDelivery('lever', { rawBody: leverBody(old, hex(secret, `tok-1${old}`)), headers: {} }, [secret], now)).toBe(false);
    const recent = now * 1000;
    expect(verifyDelivery('lever', { rawBody: leverBody(recent, hex('another', `tok-1${recent}`)), headers: {} }, [secret], now)).toBe(false);
    expect(verifyDelivery('lever', { rawBody: 'not json', headers: {} }, [secret], now)).toBe(false);
  });
});
