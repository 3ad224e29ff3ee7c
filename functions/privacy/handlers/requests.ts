import { escapeHtml, simplePage } from '../../../shared/html.ts';
import { endpoint, htmlPage, httpApi, ok, type HttpReply } from '../../../shared/http/api.ts';
import { requests } from '../adapters/services-requests.ts';
import { fileDownload } from '../adapters/s3-export-files.ts';
import * as api from '../api.ts';
import { LINK_DAYS, REQUEST_MESSAGE, type Confirmation, type Review } from '../domain/request-service.ts';

const invalidLink = () =>
  htmlPage(400, simplePage('This link does not work', `<p>The link is incomplete or has expired (confirmation links work for ${LINK_DAYS} days). To ask again, send a new request: nothing was changed.</p>`));
const alreadyDone = () => htmlPage(400, simplePage('Already done', '<p>This request was confirmed already and has been carried out. The link cannot be used again; there is nothing more to do.</p>'));

/** The button posts to the page's own address: only that POST acts. */
const offers = {
  access: ['Get a copy of your data', 'Confirm and we will email you a link to download everything we hold about you, as one JSON file.', 'Send me my data'],
  erasure: ['Erase your data', 'Confirm and we will erase everything we hold about you: your profile, applications, emails and files. This cannot be undone.', 'Erase my data'],
} as const;

function reviewPage(review: Review, token: string): HttpReply {
  if (review.outcome === 'invalid') return invalidLink();
  if (review.outcome === 'done') return alreadyDone();
  const [title, text, button] = offers[review.type];
  return htmlPage(200, simplePage(title, `<p>${text}</p>\n<form method="post" action="${escapeHtml(token)}"><button type="submit">${button}</button></form>`));
}

function confirmationPage({ outcome }: Confirmation): HttpReply {
  switch (outcome) {
    case 'erased':
      return htmlPage(200, simplePage('Your data is erased', '<p>We have erased what we held about you; the last traces go within minutes. You will not hear from us again unless you sign up yourself.</p>'));
    case 'sent':
      return htmlPage(200, simplePage('Your data is on its way', `<p>We have emailed you a link to download a copy of everything we hold about you. The link works for ${LINK_DAYS} days.</p>`));
    case 'no-data':
      return htmlPage(200, simplePage('We hold no data about you', '<p>There is nothing to send: we no longer hold data about this address.</p>'));
    case 'done':
      return alreadyDone();
    case 'invalid':
      return invalidLink();
  }
}

const requestPrivacy = endpoint(api.requestPrivacy, async ({ body }) => {
  await requests.receive(body);
  return { status: 202, body: { message: REQUEST_MESSAGE } };
});

const confirmPrivacy = endpoint(api.confirmPrivacy, async ({ params }) => reviewPage(await requests.review(params.token), params.token));

const confirmPrivacyAction = endpoint(api.confirmPrivacyAction, async ({ params }) => confirmationPage(await requests.confirm(params.token)));

const downloadFile = endpoint(api.downloadFile, async ({ params }) => {
  const url = await fileDownload(params.token);
  if (!url) return htmlPage(400, simplePage('This link does not work', '<p>The download link is incomplete or has expired (links work for 7 days). Ask for your data again on the career site.</p>'));
  return { status: 302, headers: { location: url, 'cache-control': 'no-store' } };
});

const listPrivacyRequests = endpoint(api.listPrivacyRequests, async ({ query }) => ok(await requests.list(query)));

export const handler = httpApi(requestPrivacy, confirmPrivacy, confirmPrivacyAction, downloadFile, listPrivacyRequests);
