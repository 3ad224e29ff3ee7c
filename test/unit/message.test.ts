import { describe, expect, it } from 'vitest';
import { composeEmail, suggestJobs } from '../../functions/campaigns/domain/message.ts';
import type { Contact, Links, OpenJob, Signer } from '../../functions/campaigns/domain/ports.ts';

type Profile = NonNullable<Contact['profile']>;

const candidateId = 'cand_01JDX5Q9S3P5W7V9X1Z3B5D7F9';
const campaignId = 'camp_01JDX5Q8R2N4V6T8W0Y2A4C6E8';
const links: Links = { api: 'https://api.talent-relay.example', replyDomain: 'reply.acme-recruiting.com' };

const aProfile = (overrides: Partial<Profile> = {}): Profile => ({
  email: 'ada.lovelace@example.com',
  firstName: 'Ada',
  lastName: 'Lovelace',
  country: 'GB',
  status: 'active',
  skills: ['TypeScript', 'AWS', 'Postgres'],
  consents: [],
  ...overrides,
});
const aJob = (overrides: Partial<OpenJob> = {}): OpenJob => ({
  title: 'Staff Engineer',
  url: 'https://jobs.acme-recruiting.com/roles/staff-engineer',
  skills: ['typescript'],
  country: 'US',
  city: 'Boston',
  ...overrides,
});

/** Tokens that show what was signed, so the links can be checked without a secret. */
const signer: Signer = {
  sign: async ({ use, candidateId, campaignId }) => `${use}-${candidateId}-${campaignId ?? 'none'}`,
  verify: async () => undefined,
  signReply: async (candidateId, campaignId) => `r-${candidateId}-${campaignId ?? 'none'}`,
  verifyReply: async () => undefined,
};

const template = {
  subject: 'A staff role for you, {{firstName}}',
  html: '<p>Hi {{fullName}},</p>{{jobSuggestions}}<p><a href="{{unsubscribeUrl}}">Unsubscribe</a></p>',
  text: 'Hi {{firstName}},\n{{jobSuggestions}}\nUnsubscribe: {{unsubscribeUrl}}',
};

const compose = (overrides: Partial<Parameters<typeof composeEmail>[0]> = {}) =>
  composeEmail({ template, profile: aProfile(), candidateId, campaignId, step: 2, jobs: [aJob()], signer, links, ...overrides });

describe('job suggestions', () => {
  it('ranks a job sharing more skills above a nearer one sharing fewer', () => {
    const nearOne = aJob({ title: 'Backend Engineer, London', skills: ['typescript'], country: 'GB', city: 'London' });
    const twoSkills = aJob({ title: 'Platform Engineer', skills: ['typescript', 'aws'], country: 'US' });
    expect(suggestJobs(aProfile(), [nearOne, twoSkills]).map((j) => j.title)).toEqual(['Platform Engineer', 'Backend Engineer, London']);
  });

  it('ranks a job in their country above an equally skilled one abroad', () => {
    const abroad = aJob({ title: 'Engineer, Boston', country: 'US' });
    const home = aJob({ title: 'Engineer, London', country: 'GB', city: 'London' });
    expect(suggestJobs(aProfile(), [abroad, home]).map((j) => j.title)).toEqual(['Engineer, London', 'Engineer, Boston']);
  });

  it('ranks a remote job above an equally skilled one abroad, and shows it as remote', () => {
    const abroad = aJob({ title: 'Engineer, Boston', country: 'US' });
    const remote = aJob({ title: 'Engineer, anywhere', remote: true, country: 'US' });
    expect(suggestJobs(aProfile(), [abroad, remote])).toEqual([
      { title: 'Engineer, anywhere', url: remote.url, location: 'Remote' },
      { title: 'Engineer, Boston', url: abroad.url, location: 'Boston' },
    ]);
  });

  it('matches skills regardless of case', () => {
    expect(suggestJobs(aProfile({ skills: ['typescript'] }), [aJob({ skills: ['TYPESCRIPT'] })])).toHaveLength(1);
  });

  it('suggests at most 3 jobs', () => {
    const jobs = Array.from({ length: 5 }, (_, i) => aJob({ title: `Engineer ${i}` }));
    expect(suggestJobs(aProfile(), jobs)).toHaveLength(3);
  });

  it('suggests nothing when no job shares a skill, not even a remote one in their country', () => {
    expect(suggestJobs(aProfile(), [aJob({ skills: ['cobol'], country: 'GB', remote: true })])).toEqual([]);
  });
});

describe('composing a campaign email', () => {
  it('sends to the person’s address', async () => {
    expect((await compose()).to).toBe('ada.lovelace@example.com');
  });

  it('carries a one-click unsubscribe header with a signed unsubscribe link (RFC 8058)', async () => {
    expect((await compose()).headers).toEqual({
      'List-Unsubscribe': `<https://api.talent-relay.example/u/u-${candidateId}-${campaignId}>`,
      'List-Unsubscribe-Post': 'List-Unsubscribe=One-Click',
    });
  });

  it('answers to a plus-address carrying the signed reply token', async () => {
    expect((await compose()).replyTo).toBe(`reply+r-${candidateId}-${campaignId}@reply.acme-recruiting.com`);
  });

  it('tags the message with the campaign, the candidate and the step for tracking', async () => {
    expect((await compose()).tags).toEqual({ campaignId, candidateId, step: '2' });
  });

  it('renders the subject with the person’s name', async () => {
    expect((await compose()).subject).toBe('A staff role for you, Ada');
  });

  it('renders the html with the person’s name, the suggested jobs and the unsubscribe link', async () => {
    const { html } = await compose();
    expect(html).toContain('<p>Hi Ada Lovelace,</p>');
    expect(html).toContain('<a href="https://jobs.acme-recruiting.com/roles/staff-engineer">Staff Engineer</a>');
    expect(html).toContain(`href="https://api.talent-relay.example/u/u-${candidateId}-${campaignId}"`);
  });

  it('renders the text part with the person’s name and the unsubscribe link', async () => {
    expect((await compose()).text).toBe(
      `Hi Ada,\n- Staff Engineer (Boston): https://jobs.acme-recruiting.com/roles/staff-engineer\nUnsubscribe: https://api.talent-relay.example/u/u-${candidateId}-${campaignId}`,
    );
  });

  it('links the preferences page with a preferences token', async () => {
    const { html } = await compose({ template: { ...template, html: '<a href="{{preferencesUrl}}">Preferences</a>' } });
    expect(html).toContain(`href="https://api.talent-relay.example/public/preferences/p-${candidateId}-${campaignId}"`);
  });

  it('leaves the campaign out of the tags and tokens of a preview', async () => {
    const email = await compose({ campaignId: undefined, step: undefined });
    expect(email.tags).toEqual({ candidateId });
    expect(email.headers['List-Unsubscribe']).toBe(`<https://api.talent-relay.example/u/u-${candidateId}-none>`);
    expect(email.replyTo).toBe(`reply+r-${candidateId}-none@reply.acme-recruiting.com`);
  });
});
