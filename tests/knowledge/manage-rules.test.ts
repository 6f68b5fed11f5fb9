// The pure rules behind changing, reviewing and importing answers.
import { describe, expect, it } from 'vitest';
import {
  answerAuthors,
  mayChangeAnswer,
  reviewCutoff,
  reviewDaysSchema,
} from '../../src/knowledge/knowledge.models.ts';
import { parseAnswersFile } from '../../src/knowledge/knowledge.transfer.ts';
import { REVIEW_DM_LIMIT, renderReviewRequest } from '../../src/knowledge/knowledge-review.views.ts';

describe('who changes and reviews an answer', () => {
  const answer = { creditedUserIds: ['U0A', 'U0B', 'U0A'], createdBy: 'U0SAVER' };
  const nobody = { isAdmin: false, isDepartmentLead: false };

  it('lets its authors, its saver, its department’s leads and admins change it, nobody else', () => {
    expect(mayChangeAnswer(answer, 'U0B', nobody)).toBe(true);
    expect(mayChangeAnswer(answer, 'U0SAVER', nobody)).toBe(true);
    expect(mayChangeAnswer(answer, 'U0X', { isAdmin: false, isDepartmentLead: true })).toBe(true);
    expect(mayChangeAnswer(answer, 'U0X', { isAdmin: true, isDepartmentLead: false })).toBe(true);
    expect(mayChangeAnswer(answer, 'U0X', nobody)).toBe(false);
  });

  it('asks the people it credits, each once, else whoever saved it, else nobody', () => {
    expect(answerAuthors(answer)).toEqual(['U0A', 'U0B']);
    expect(answerAuthors({ creditedUserIds: [], createdBy: 'U0SAVER' })).toEqual(['U0SAVER']);
    expect(answerAuthors({ creditedUserIds: [], createdBy: null })).toEqual([]);
  });

  it('reviews after a whole number of days between a week and ten years', () => {
    expect(reviewDaysSchema.parse(' 90 ')).toBe(90);
    for (const bad of ['soon', '1.5', '6', '3651']) expect(reviewDaysSchema.safeParse(bad).success).toBe(false);
    expect(reviewCutoff(new Date('2026-07-01T00:00:00Z'), 30)).toEqual(new Date('2026-06-01T00:00:00Z'));
  });
});

describe('the review DM', () => {
  it('lists at most ten answers, says how many more wait, and stays within Slack’s 50 blocks', () => {
    const due = Array.from({ length: REVIEW_DM_LIMIT + 2 }, (_, i) => ({
      id: `00000000-0000-4000-8000-${String(i).padStart(12, '0')}`,
      title: `Question ${i} <!channel>`,
      body: 'Answer',
      confirmedAt: new Date('2025-01-01T00:00:00Z'),
    }));
    const { text, blocks } = renderReviewRequest(due, { days: 180, now: new Date('2026-01-01T00:00:00Z') });
    expect(text).toContain('12 of your answers have not been checked for over 180 days');
    expect(text).not.toContain('<!channel>');
    expect(blocks!.length).toBeLessThanOrEqual(50);
    expect(JSON.stringify(blocks)).toContain('…and 2 more, in next week’s message.');
    expect(JSON.stringify(blocks)).not.toContain('Question 10');
  });
});

describe('an answers file', () => {
  it('is the export’s { answers: [...] } or the list alone, with defaults filled in', () => {
    const item = { title: 'Who handles VAT?', body: 'Billing.' };
    for (const text of [JSON.stringify({ answers: [item] }), JSON.stringify([item])])
      expect(parseAnswersFile(text)).toEqual({
        ok: true,
        items: [
          {
            ...item,
            status: 'active',
            department: null,
            skills: [],
            themes: [],
            credited: [],
            permalink: null,
          },
        ],
      });
  });

  it('refuses half a character, naming the item and the field, in either form of the file', () => {
    // JSON.stringify writes a lone surrogate as the escape \ud83d, as a tool that cut text mid-emoji would.
    const item = { title: 'Refunds?', body: 'Yes \ud83d' };
    const problem =
      'Item 1 (“Refunds?”), body: holds half a character (a lone \\u escape from a surrogate pair); write the character itself, or both halves';
    for (const text of [JSON.stringify({ answers: [item] }), JSON.stringify([item])])
      expect(parseAnswersFile(text)).toEqual({ ok: false, problems: [problem] });
    // Both halves of the pair are the character itself.
    expect(parseAnswersFile(JSON.stringify([{ title: 'Refunds?', body: 'Yes \ud83d\ude00' }])).ok).toBe(true);
  });

  it('names the line of a JSON mistake and the item of a bad field', () => {
    expect(parseAnswersFile('[\n  {"title": "x",}\n]')).toMatchObject({
      ok: false,
      problems: [expect.stringContaining('(line 2, column')],
    });
    expect(parseAnswersFile(JSON.stringify([{ title: 'Refunds?', body: 'Yes.', permalink: 'http://x.test' }]))).toEqual(
      {
        ok: false,
        problems: ['Item 1 (“Refunds?”), permalink: must be an https:// link'],
      },
    );
    // As short as a resolution may be, so every export imports back; but not blank.
    expect(parseAnswersFile(JSON.stringify([{ title: 'VPN?', body: 'ok' }])).ok).toBe(true);
    expect(parseAnswersFile(JSON.stringify([{ title: 'VPN?', body: '  ' }]))).toEqual({
      ok: false,
      problems: ['Item 1 (“VPN?”), body: write the answer'],
    });
    const misnamed = parseAnswersFile('{"answer": []}');
    expect(misnamed.ok).toBe(false);
    expect(JSON.stringify(misnamed)).toContain('The file: Unrecognized key');
  });
});
