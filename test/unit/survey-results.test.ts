import { parse } from 'csv-parse/sync';
import { describe, expect, it } from 'vitest';
import { netPromoterScore, ratingSummary, responseRate, resultsCsv, surveyResults } from '../../functions/engagement/domain/survey-results.ts';
import type { SurveyRecord, SurveyResponse } from '../../functions/engagement/domain/survey-ports.ts';

const survey: SurveyRecord = {
  id: 'srv_01JAAAAAAAAAAAAAAAAAAAAAAA',
  name: 'Applicant experience',
  questions: [
    { id: 'recommend', type: 'nps', label: 'How likely are you to recommend us?', required: true },
    { id: 'process', type: 'rating', label: 'How clear was the process?', required: false },
    { id: 'comment', type: 'text', label: 'Anything else?', required: false },
  ],
  trigger: { on: 'application-received', delay: 'PT1H' },
  status: 'active',
  createdBy: 'user-1',
  createdAt: '2026-01-01T00:00:00.000Z',
  updatedAt: '2026-01-01T00:00:00.000Z',
  version: 1,
};

const aResponse = (n: number, answers: SurveyResponse['answers']): SurveyResponse => ({
  invitationId: `sinv_01JAAAAAAAAAAAAAAAAAAAAAA${n}`,
  candidateId: `cand_01JAAAAAAAAAAAAAAAAAAAAAA${n}`,
  trigger: 'application-received',
  answeredAt: `2026-01-0${n}T10:00:00.000Z`,
  answers,
});

describe('the Net Promoter Score', () => {
  it('is % promoters (9–10) minus % detractors (0–6): 9,10,10,8,7,6,3,9,10,0 → 5 promoters, 3 detractors, NPS 20', () => {
    expect(netPromoterScore([9, 10, 10, 8, 7, 6, 3, 9, 10, 0])).toEqual({ answered: 10, promoters: 5, passives: 2, detractors: 3, nps: 20 });
  });

  it('counts 7 and 8 as passives, which lower neither side but weigh in the total: 10,8,7 → 33', () => {
    expect(netPromoterScore([10, 8, 7])).toMatchObject({ promoters: 1, passives: 2, detractors: 0, nps: 33 });
  });

  it('reaches −100 when everyone is a detractor', () => {
    expect(netPromoterScore([0, 6, 3]).nps).toBe(-100);
  });

  it('rounds halves away from zero, the same size either way: 1 of 8 → 12.5 → 13, and −12.5 → −13', () => {
    expect(netPromoterScore([9, 7, 7, 7, 7, 7, 7, 7]).nps).toBe(13);
    expect(netPromoterScore([6, 7, 7, 7, 7, 7, 7, 7]).nps).toBe(-13);
  });

  it('is null before anyone answered', () => {
    expect(netPromoterScore([])).toEqual({ answered: 0, promoters: 0, passives: 0, detractors: 0, nps: null });
  });
});

describe('rating averages', () => {
  it('are the mean to two decimals with a count per value: 5,4,4,2 → 3.75', () => {
    expect(ratingSummary([5, 4, 4, 2])).toEqual({ answered: 4, average: 3.75, distribution: { 1: 0, 2: 1, 3: 0, 4: 2, 5: 1 } });
  });

  it('round to two decimals: 5,4,4 → 4.33', () => {
    expect(ratingSummary([5, 4, 4]).average).toBe(4.33);
  });

  it('are null before anyone answered', () => {
    expect(ratingSummary([]).average).toBeNull();
  });
});

describe('survey results', () => {
  it('give the response rate in percent to one decimal, null before the first send', () => {
    expect(responseRate(3, 1)).toBe(33.3);
    expect(responseRate(8, 8)).toBe(100);
    expect(responseRate(0, 0)).toBeNull();
  });

  it('take counts from the counters and scores from the answers, per question, leaving unanswered optional questions out', () => {
    const responses = [aResponse(1, { recommend: 10, process: 4, comment: 'Quick and friendly' }), aResponse(2, { recommend: 6 }), aResponse(3, { recommend: 9, process: 5 })];
    const results = surveyResults(survey, { sent: 4, responses: 3, failed: 0, skipped: { suppressed: 1 } }, responses);
    expect(results).toMatchObject({ sent: 4, responses: 3, responseRate: 75, skipped: { suppressed: 1 }, failed: 0 });
    expect(results.questions).toEqual([
      { id: 'recommend', type: 'nps', label: survey.questions[0]!.label, answered: 3, promoters: 2, passives: 0, detractors: 1, nps: 33 },
      { id: 'process', type: 'rating', label: survey.questions[1]!.label, answered: 2, average: 4.5, distribution: { 1: 0, 2: 0, 3: 0, 4: 1, 5: 1 } },
      {
        id: 'comment', type: 'text', label: survey.questions[2]!.label, answered: 1,
        answers: [{ invitationId: responses[0]!.invitationId, candidateId: responses[0]!.candidateId, answeredAt: responses[0]!.answeredAt, text: 'Quick and friendly' }],
      },
    ]);
  });
});

describe('the results CSV', () => {
  it('has one row per response, oldest first, a column per question', () => {
    const rows = parse(resultsCsv(survey, [aResponse(2, { recommend: 6 }), aResponse(1, { recommend: 10, process: 4, comment: 'Fine, "really"' })])) as string[][];
    expect(rows[0]).toEqual(['invitationId', 'candidateId', 'trigger', 'answeredAt', 'recommend', 'process', 'comment']);
    expect(rows.slice(1).map((row) => row.slice(3))).toEqual([
      ['2026-01-01T10:00:00.000Z', '10', '4', 'Fine, "really"'],
      ['2026-01-02T10:00:00.000Z', '6', '', ''],
    ]);
  });

  it.each(['=HYPERLINK("http://evil.example","x")', '+1+2', '-2+3', '@SUM(A1)', '\tcmd', '\rcmd'])('neutralises a cell that a spreadsheet would run as a formula: %j', (text) => {
    const rows = parse(resultsCsv(survey, [aResponse(1, { recommend: 9, comment: text })]), { relax_quotes: true }) as string[][];
    expect(rows[1]![6]).toBe(`'${text}`);
  });

  it('leaves ordinary text alone', () => {
    const rows = parse(resultsCsv(survey, [aResponse(1, { recommend: 9, comment: 'Great – thanks! =)' })])) as string[][];
    expect(rows[1]![6]).toBe('Great – thanks! =)');
  });
});
