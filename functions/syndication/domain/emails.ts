import { type Paragraph, transactionalEmail } from '../../../shared/email/transactional.ts';
import type { Job, Site } from '../schemas.ts';
import type { Organisation } from './ports.ts';

const email = (subject: string, paragraphs: Paragraph[], org: { name: string }) => transactionalEmail(subject, paragraphs, org.name);

export const confirmationEmail = (input: { firstName: string; siteTitle: string; link: string; days: number; org: Organisation }) =>
  email(
    `Please confirm: join ${input.siteTitle}`,
    [
      `Hi ${input.firstName},`,
      `Thanks for signing up to hear about jobs at ${input.org.name}. Please confirm your address to join the talent community:`,
      { link: input.link, label: 'Confirm my address' },
      `The link works for ${input.days} days. If you did not sign up, ignore this email: without confirmation nothing about you is kept.`,
    ],
    input.org,
  );

export const welcomeEmail = (input: { firstName: string; site: Pick<Site, 'title' | 'url'>; org: Organisation }) =>
  email(
    `Welcome to ${input.site.title}`,
    [
      `Hi ${input.firstName},`,
      `You are now part of the ${input.org.name} talent community. We will write when jobs that fit you open, and you can change what you hear about or leave at any time from the link at the bottom of every email.`,
      { link: input.site.url, label: 'See our open jobs' },
    ],
    input.org,
  );

export const acknowledgementEmail = (input: { firstName: string; job: Pick<Job, 'title' | 'url'>; org: Organisation }) =>
  email(
    `We received your application: ${input.job.title}`,
    [
      `Hi ${input.firstName},`,
      `Thank you for applying for ${input.job.title} at ${input.org.name}. Your application has reached our recruiting team.`,
      'What happens next: a recruiter reads every application and will get back to you, usually within two weeks, either to arrange a first conversation or to let you know. You do not need to do anything in the meantime.',
      { link: input.job.url, label: 'The job you applied for' },
    ],
    input.org,
  );
