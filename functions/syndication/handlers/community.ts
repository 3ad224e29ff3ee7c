import { simplePage, escapeHtml } from '../../../shared/html.ts';
import { endpoint, htmlPage, httpApi, ok, type HttpReply } from '../../../shared/http/api.ts';
import { dynamoJobStore } from '../adapters/dynamo-stores.ts';
import { community } from '../adapters/services-community.ts';
import * as api from '../api.ts';
import type { Job } from '../schemas.ts';
import { answerQuestion } from '../domain/assistant.ts';
import { SIGNUP_MESSAGE } from '../domain/community-service.ts';
import { jobsForSite } from '../domain/site-page.ts';

/** The assistant answers from open jobs read at most once a minute per container, not on every question. */
const JOBS_TTL_MS = 60_000;
let cached: { at: number; jobs: Job[] } | undefined;
async function openJobs(): Promise<Job[]> {
  if (!cached || Date.now() - cached.at > JOBS_TTL_MS) cached = { at: Date.now(), jobs: await dynamoJobStore.open() };
  return cached.jobs;
}

const accepted = (message: string): HttpReply => ({ status: 202, body: { message } });

const signup = endpoint(api.signup, async ({ params, body }) => {
  await community.signup(params.slug, body);
  return accepted(SIGNUP_MESSAGE);
});

const invalidLink = () =>
  htmlPage(400, simplePage('This link does not work', '<p>The link is incomplete or has expired (sign-up links work for 7 days). Please sign up again on the career site.</p>'));
const alreadyConfirmed = () => htmlPage(200, simplePage('Already confirmed', '<p>This link was used already: your sign-up is confirmed. There is nothing more to do.</p>'));

const confirmSignupPage = endpoint(api.confirmSignupPage, async ({ params }) => {
  switch (await community.confirmation(params.token)) {
    case 'pending':
      return htmlPage(200, simplePage('Confirm your sign-up', '<p>One click to confirm your address and join the talent community.</p><form method="post"><button type="submit">Confirm and join</button></form>'));
    case 'already':
      return alreadyConfirmed();
    case 'invalid':
      return invalidLink();
  }
});

const confirmSignup = endpoint(api.confirmSignup, async ({ params }) => {
  const { outcome, siteTitle } = await community.confirm(params.token);
  switch (outcome) {
    case 'joined':
      return htmlPage(200, simplePage('Thank you!', `<p>Your address is confirmed and you are now part of the ${escapeHtml(siteTitle ?? '')} talent community. A welcome email is on its way.</p>`));
    case 'already':
      return alreadyConfirmed();
    case 'invalid':
      return invalidLink();
  }
});

const ask = endpoint(api.ask, async ({ params, body }) => {
  const site = await community.publishedSite(params.slug);
  if (body.website) return ok({ answered: false, answer: "I don't know the answer to that. Please contact the recruiting team.", sources: [], jobs: [] });
  return ok(answerQuestion(body.question, site.faq, jobsForSite(site, await openJobs())));
});

export const handler = httpApi(signup, confirmSignupPage, confirmSignup, ask);
