import { createHmac } from 'node:crypto';
import { describe, expect, it } from 'vitest';
import { SIGNATURE_TOLERANCE_SECONDS, signWebhook, verifyWebhook } from '../../shared/webhook-signature.ts';

const secret = 'whsec-test-0123456789abcdef';
const body = JSON.stringify({ id: 'evt_01JDX5Q9S3P5W7V9X1Z3B5D7F9', type: 'CandidateCreated', occurredAt: '2026-11-26T02:00:00.000Z', data: { candidateId: 'cand_1' } });
const now = 1_795_600_000; // seconds since the epoch, late November 2026

describe('webhook signatures', () => {
  it('signs as t=<seconds>,v1=<hex HMAC-SHA256 of "<t>.<body>"> so a receiver can recompute it with any HMAC library', () => {
    const expected = createHmac('sha256', secret).update(`${now}.${body}`).digest('hex');
    expect(signWebhook(secret, body, now)).toBe(`t=${now},v1=${expected}`);
  });

  it('verifies a signature it made, for the same body and secret', () => {
    expect(verifyWebhook(signWebhook(secret, body, now), secret, body, now)).toBe(true);
  });

  it('refuses a body changed by a single character', () => {
    expect(verifyWebhook(signWebhook(secret, body, now), secret, body.replace('cand_1', 'cand_2'), now)).toBe(false);
  });

  it('refuses a signature made with another secret', () => {
    expect(verifyWebhook(signWebhook('another-secret-0123456789', body, now), secret, body, now)).toBe(false);
  });

  it('refuses a timestamp moved to replay the signature later', () => {
    const [, v1] = signWebhook(secret, body, now).split(',');
    expect(verifyWebhook(`t=${now + 60},${v1}`, secret, body, now + 60)).toBe(false);
  });

  it('accepts a signature up to the tolerance old or ahead, and refuses one beyond it', () => {
    const header = signWebhook(secret, body, now);
    expect(verifyWebhook(header, secret, body, now + SIGNATURE_TOLERANCE_SECONDS)).toBe(true);
    expect(verifyWebhook(header, secret, body, now - SIGNATURE_TOLERANCE_SECONDS)).toBe(true);
    expect(verifyWebhook(header, secret, body, now + SIGNATURE_TOLERANCE_SECONDS + 1)).toBe(false);
    expect(verifyWebhook(header, secret, body, now - SIGNATURE_TOLERANCE_SECONDS - 1)).toBe(false);
  });

  it('refuses a missing header, one without a timestamp, with a non-integer timestamp, or without a v1 value', () => {
    const v1 = signWebhook(secret, body, now).split(',')[1]!;
    for (const header of [undefined, '', v1, `t=${now}.5,${v1}`, `t=soon,${v1}`, `t=${now}`, `t=${now},v0=${v1.slice(3)}`]) {
      expect(verifyWebhook(header, secret, body, now), String(header)).toBe(false);
    }
  });

  it('refuses a v1 value that is not the full digest (a truncated or non-hex one)', () => {
    const header = signWebhook(secret, body, now);
    expect(verifyWebhook(header.slice(0, -2), secret, body, now)).toBe(false);
    expect(verifyWebhook(`t=${now},v1=${'z'.repeat(64)}`, secret, body, now)).toBe(false);
    expect(verifyWebhook(`${header}zz`, secret, body, now)).toBe(false);
  });

  it('accepts a header carrying several v1 values when one matches (a sender rotating its secret), spaces allowed', () => {
    const old = signWebhook('the-old-secret-0123456789', body, now).split(',')[1]!;
    const current = signWebhook(secret, body, now).split(',')[1]!;
    expect(verifyWebhook(`t=${now}, ${old}, ${current}`, secret, body, now)).toBe(true);
    expect(verifyWebhook(`t=${now},${old}`, secret, body, now)).toBe(false);
  });
});
