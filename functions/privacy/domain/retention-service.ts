import { escapeHtml } from '../../../shared/html.ts';
import type { RetentionSettings } from '../schemas.ts';
import { addDays } from './consents.ts';
import type { Clock, Erasures, Mailer, SettingsStore } from './ports.ts';
import { retentionCutoffs, retentionDecision, type RetentionDecision, type RetentionProfile } from './retention.ts';

/** Who the audit log and the erasure name as having acted. */
export const RETENTION_ACTOR = 'schedule:retention';
/** The index of last activity is read this many years before the cutoff (the system holds nobody older). */
const YEARS_BACK = 10;
/** Ids listed in one email; the run's report (in the logs) has them all. */
const MAX_LISTED = 500;

export interface RetentionSubject {
  person: RetentionProfile;
  /** When the team was last warned about the person, if ever. */
  warnedAt?: string;
}

export interface RetentionPeople {
  /** People the index last saw active before `before`, from year `fromYear` on, a page at a time. */
  inactiveBefore(before: string, fromYear: number): AsyncIterable<RetentionSubject[]>;
  /** Notes that the team was warned about them, in each person's own partition (their erasure removes it); forgotten after `until`. */
  markWarned(candidateIds: string[], warnedAt: string, until: string): Promise<void>;
}

export interface RetentionReport {
  mode: RetentionSettings['mode'];
  ranAt: string;
  /** People the rule selects today (in `erase` mode, also those warned and waiting). */
  matched: number;
  warned: number;
  erased: number;
  candidateIds: string[];
  warnedIds: string[];
  erasedIds: string[];
  /** The day the people warned today will be erased, if they still match. */
  eraseOn?: string;
}

export interface RetentionDeps {
  people: RetentionPeople;
  settings: SettingsStore;
  erasures: Pick<Erasures, 'start'>;
  mailer: Mailer;
  clock: Clock;
}

function listed(ids: string[]): string[] {
  const shown = ids.slice(0, MAX_LISTED).map((id) => `- ${id}`);
  return ids.length > MAX_LISTED ? [...shown, `- … and ${ids.length - MAX_LISTED} more`] : shown;
}

/** The team's email about a run: counts and candidate ids only, never names or addresses. */
export function retentionEmail(report: RetentionReport, rule: RetentionSettings): { subject: string; text: string } {
  const ruleText = `The retention rule selects people without a valid consent and without activity for ${rule.inactiveMonths} months, ` +
    `or for ${rule.communityMonths} months with one; people with an application in progress are kept.`;
  if (report.mode === 'dry-run') {
    return {
      subject: `Retention dry run: ${report.matched} candidate(s) would be erased`,
      text: [ruleText, 'The mode is dry-run: nothing was changed. In erase mode the team is warned first, then they are erased.', '', 'Candidates selected today:', ...listed(report.candidateIds)].join('\n'),
    };
  }
  return {
    subject: `Retention: ${report.warned} candidate(s) to be erased on ${report.eraseOn}, ${report.erased} erasure(s) started`,
    text: [
      ruleText,
      ...(report.warnedIds.length ? ['', `To be erased on ${report.eraseOn} unless they become active, give consent or apply before then:`, ...listed(report.warnedIds)] : []),
      ...(report.erasedIds.length ? ['', `Erasure started today (warned ${rule.warningDays} days or more ago):`, ...listed(report.erasedIds)] : []),
    ].join('\n'),
  };
}

/** The daily retention run: reports (dry run), or warns the team and, a warning period later, erases. */
export function retentionService({ people, settings, erasures, mailer, clock }: RetentionDeps) {
  async function decide(rule: RetentionSettings, now: string): Promise<Map<string, RetentionDecision>> {
    const before = retentionCutoffs(rule, now).latest;
    const decisions = new Map<string, RetentionDecision>();
    for await (const page of people.inactiveBefore(before, Number(before.slice(0, 4)) - YEARS_BACK)) {
      for (const { person, warnedAt } of page) {
        // The indexer may briefly list someone under two years while it moves them: the first look decides.
        if (decisions.has(person.id)) continue;
        const decision = retentionDecision(person, warnedAt, rule, now);
        if (decision !== 'keep') decisions.set(person.id, decision);
      }
    }
    return decisions;
  }

  async function tellTeam(report: RetentionReport, rule: RetentionSettings) {
    const { subject, text } = retentionEmail(report, rule);
    const html = `<pre style="font:14px/1.5 ui-monospace,monospace">${escapeHtml(text)}</pre>`;
    for (const to of rule.notify) await mailer.send({ to, subject, text, html });
  }

  return {
    async run(): Promise<RetentionReport> {
      const rule = await settings.retention();
      const now = clock.now();
      const decisions = await decide(rule, now);
      const candidateIds = [...decisions.keys()];
      const report: RetentionReport = { mode: rule.mode, ranAt: now, matched: candidateIds.length, warned: 0, erased: 0, candidateIds, warnedIds: [], erasedIds: [] };
      if (rule.mode === 'dry-run') {
        if (report.matched) await tellTeam(report, rule);
        return report;
      }

      const warnedIds = candidateIds.filter((id) => decisions.get(id) === 'warn');
      const erasedIds: string[] = [];
      for (const id of candidateIds.filter((candidateId) => decisions.get(candidateId) === 'erase')) {
        if (await erasures.start(id, 'retention', RETENTION_ACTOR)) erasedIds.push(id);
      }
      Object.assign(report, { warned: warnedIds.length, erased: erasedIds.length, warnedIds, erasedIds, eraseOn: addDays(now, rule.warningDays).slice(0, 10) });
      if (!warnedIds.length && !erasedIds.length) return report;
      // The team hears before the warnings are noted: if the email fails, the next run warns again rather than
      // erasing people nobody was told about.
      await tellTeam(report, rule);
      await people.markWarned(warnedIds, now, addDays(now, 2 * rule.warningDays));
      return report;
    },
  };
}
