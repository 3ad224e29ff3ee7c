import { escapeHtml } from '../../../shared/html.ts';
import type { TriggerKind } from '../survey-schemas.ts';
import type { Organisation, SurveyRecord } from './survey-ports.ts';
import { SURVEY_LINK_DAYS, surveyTitle } from './survey-page.ts';

/** What the person is asked about, in their words. */
const occasions: Record<TriggerKind, (org: string) => string> = {
  'application-received': (org) => `How did applying to ${org} go?`,
  interview: (org) => `How was your interview with ${org}?`,
  'event-attended': (org) => `How did you find the ${org} event you attended?`,
  'hired-or-rejected': (org) => `How did you find the application process at ${org}?`,
  manual: (org) => `How has your experience with ${org} been?`,
};

/** The invitation: a short text part and the same words as simple HTML, with the person's own link. */
export function invitationEmail(input: { survey: Pick<SurveyRecord, 'title' | 'questions' | 'trigger'>; firstName?: string; link: string; org: Organisation }) {
  const { survey, org, link } = input;
  const count = survey.questions.length;
  const paragraphs = [
    input.firstName ? `Hi ${input.firstName},` : 'Hello,',
    `${occasions[survey.trigger.on](org.name)} We would like to hear it: ${count === 1 ? 'one question' : `${count} short questions`}, about a minute.`,
  ];
  const after = [`The link is yours alone and works for ${SURVEY_LINK_DAYS} days. Answering is optional.`];
  const subject = surveyTitle(survey, org);
  const text = [...paragraphs, `Answer the survey: ${link}`, ...after, `— ${org.name}`].join('\n\n');
  const html = `<div style="font:16px/1.5 system-ui,sans-serif;color:#1a1a1a;max-width:36rem">${paragraphs.map((p) => `<p>${escapeHtml(p)}</p>`).join('')}<p><a href="${escapeHtml(link)}" style="display:inline-block;padding:.6rem 1rem;background:#2952cc;color:#fff;border-radius:4px;text-decoration:none">Answer the survey</a></p>${after.map((p) => `<p>${escapeHtml(p)}</p>`).join('')}<p>— ${escapeHtml(org.name)}</p></div>`;
  return { subject, text, html };
}
