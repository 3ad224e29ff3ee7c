import { escapeHtml as escape, simplePage } from '../../../shared/html.ts';
import { topics, type Preferences } from '../schemas.ts';

/** The small public pages behind email links: nothing about anyone. */

export const page = simplePage;

export const invalidLinkPage = () =>
  page('This link does not work', '<p>The link is incomplete or has expired. Use the link in a recent email from us, or reply to that email and we will help.</p>');

/** A GET shows a button; only the POST it makes unsubscribes, so a mail scanner following links changes nothing. */
export const confirmUnsubscribePage = (token: string, preferencesUrl: string) =>
  page('Unsubscribe', `<p>Stop receiving recruiting emails from us at this address?</p>
<form method="post" action="${escape(token)}"><input type="hidden" name="List-Unsubscribe" value="One-Click"><button type="submit">Unsubscribe</button></form>
<p>Prefer fewer emails instead? <a href="${escape(preferencesUrl)}">Choose topics and frequency</a>.</p>`);

export const unsubscribedPage = () => page('You are unsubscribed', '<p>You will not receive recruiting emails from us any more. It can take effect on an email already on its way, but on nothing after it.</p>');

export function preferencesPage(token: string, preferences: Preferences, saved = false): string {
  const labels: Record<(typeof topics)[number], string> = {
    newsletter: 'Newsletter', 'job-alerts': 'Job alerts that fit my profile', events: 'Hiring events and webinars', nurture: 'Personal updates from recruiters',
  };
  const boxes = topics
    .map((t) => `<label><input type="checkbox" name="topics" value="${t}"${preferences.topics[t] === false ? '' : ' checked'}> ${labels[t]}</label><br>`)
    .join('\n');
  const options = (['any', 'weekly', 'monthly'] as const)
    .map((f) => `<option value="${f}"${preferences.frequency === f ? ' selected' : ''}>${{ any: 'Whenever there is news', weekly: 'At most once a week', monthly: 'At most once a month' }[f]}</option>`)
    .join('');
  return page('Email preferences', `${saved ? '<p role="status">Your preferences are saved.</p>' : ''}
<form method="post" action="${escape(token)}">
<fieldset><legend>What would you like to hear about?</legend>
${boxes}
</fieldset>
<p><label for="frequency">How often</label> <select id="frequency" name="frequency">${options}</select></p>
<p><label><input type="checkbox" name="unsubscribeAll" value="on"> Unsubscribe from everything</label></p>
<button type="submit">Save</button>
</form>`);
}
