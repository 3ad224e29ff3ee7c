import { describe, expect, it } from 'vitest';
import { signReplyToken, signToken, verifyReplyToken, verifyToken, type TokenClaims } from '../../shared/tokens.ts';

const secret = 'test-signing-secret-0123456789abcdef';
const now = 1_795_600_000; // seconds since the epoch, late November 2026
const candidateId = 'cand_01JDX5Q9S3P5W7V9X1Z3B5D7F9';
const campaignId = 'camp_01JDX5Q8R2N4V6T8W0Y2A4C6E8';

const claims = (overrides: Partial<TokenClaims> = {}): TokenClaims => ({ use: 'u', candidateId, campaignId, exp: now + 3600, ...overrides });
/** The same string with the character at `index` replaced by another base64url character. */
const withCharChanged = (text: string, index: number) => text.slice(0, index) + (text[index] === 'A' ? 'B' : 'A') + text.slice(index + 1);

describe('link tokens', () => {
  it('verifies a token it signed, giving back its claims', () => {
    expect(verifyToken(signToken(claims(), secret), 'u', secret, now)).toStrictEqual(claims());
  });

  it('gives back no campaign id for a token signed without one', () => {
    const withoutCampaign: TokenClaims = { use: 'p', candidateId, exp: now + 3600 };
    expect(verifyToken(signToken(withoutCampaign, secret), 'p', secret, now)).toStrictEqual(withoutCampaign);
  });

  it('refuses a token whose payload was swapped for another person’s', () => {
    const [, signature] = signToken(claims(), secret).split('.');
    const [otherPayload] = signToken(claims({ candidateId: 'cand_01JDX5QA0000000000000000ZZ' }), secret).split('.');
    expect(verifyToken(`${otherPayload}.${signature}`, 'u', secret, now)).toBeUndefined();
  });

  it('refuses a token whose signature was altered', () => {
    const [payload, signature] = signToken(claims(), secret).split('.') as [string, string];
    expect(verifyToken(`${payload}.${withCharChanged(signature, 5)}`, 'u', secret, now)).toBeUndefined();
  });

  it('refuses a preferences token used to unsubscribe', () => {
    expect(verifyToken(signToken(claims({ use: 'p' }), secret), 'u', secret, now)).toBeUndefined();
  });

  it('refuses an expired token', () => {
    expect(verifyToken(signToken(claims({ exp: now - 1 }), secret), 'u', secret, now)).toBeUndefined();
  });

  it('refuses a token signed with another secret', () => {
    expect(verifyToken(signToken(claims(), 'another-secret'), 'u', secret, now)).toBeUndefined();
  });

  it.each(['', 'garbage', '.', 'a.b', 'a.b.c', 'eyJ1IjoxfQ.AAAAAAAAAAAAAAAAAAAAAA', `${'x'.repeat(40)}.${'y'.repeat(22)}`])('refuses %j', (token) => {
    expect(verifyToken(token, 'u', secret, now)).toBeUndefined();
  });

  it('refuses a genuine token with a part appended', () => {
    expect(verifyToken(`${signToken(claims(), secret)}.extra`, 'u', secret, now)).toBeUndefined();
  });

  it('carries only opaque ids: the payload names no email address', () => {
    const [payload] = signToken(claims(), secret).split('.') as [string];
    const decoded = Buffer.from(payload, 'base64url').toString('utf8');
    expect(JSON.parse(decoded)).toEqual(['u', candidateId, campaignId, now + 3600]);
    expect(decoded).not.toContain('@');
  });
});

describe('reply tokens', () => {
  it('verifies a token it signed, giving back the candidate and campaign', () => {
    expect(verifyReplyToken(signReplyToken(candidateId, campaignId, secret), secret)).toStrictEqual({ candidateId, campaignId });
  });

  it('gives back only the candidate for a token signed without a campaign', () => {
    expect(verifyReplyToken(signReplyToken(candidateId, undefined, secret), secret)).toStrictEqual({ candidateId });
  });

  it.each([
    ['the smallest id', 'cand_00000000000000000000000001', 'camp_00000000000000000000000001'],
    ['the largest ULID', 'cand_7ZZZZZZZZZZZZZZZZZZZZZZZZZ', 'camp_7ZZZZZZZZZZZZZZZZZZZZZZZZZ'],
    ['every Crockford letter', 'cand_0123456789ABCDEFGHJKMNPQRS', 'camp_7RSTVWXYZ0123456789ABCDEFG'],
  ])('round-trips %s', (_, candidate, campaign) => {
    expect(verifyReplyToken(signReplyToken(candidate, campaign, secret), secret)).toStrictEqual({ candidateId: candidate, campaignId: campaign });
  });

  it('fits the 64-character local part of an address as reply+<token>, in base64url', () => {
    const local = `reply+${signReplyToken(candidateId, campaignId, secret)}`;
    expect(local.length).toBeLessThanOrEqual(64);
    expect(local).toMatch(/^reply\+[A-Za-z0-9_-]+$/);
  });

  it('refuses a token with a character changed', () => {
    const token = signReplyToken(candidateId, campaignId, secret);
    expect(verifyReplyToken(withCharChanged(token, 10), secret)).toBeUndefined();
  });

  it('refuses a token signed with another secret', () => {
    expect(verifyReplyToken(signReplyToken(candidateId, campaignId, 'another-secret'), secret)).toBeUndefined();
  });

  it.each(['', 'garbage', 'A'.repeat(51)])('refuses %j', (token) => {
    expect(verifyReplyToken(token, secret)).toBeUndefined();
  });
});
