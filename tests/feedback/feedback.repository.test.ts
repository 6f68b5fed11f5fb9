// The metrics query the digest reads: only the range asked for, grouped as the digest shows it.
import { beforeAll, describe, expect, it } from 'vitest';
import { createFeedbackRepository, type NewFeedback } from '../../src/feedback/feedback.repository.ts';
import { useTestApp } from '../support/test-app.ts';

const t = useTestApp();
const repo = () => createFeedbackRepository(t.deps);
const at = (
  iso: string,
  themes: string[],
  sentimentLabel: NewFeedback['sentimentLabel'],
  sentimentScore: number,
  text = `${themes.join('+')} ${sentimentLabel} ${iso}`,
): NewFeedback => ({
  text,
  themes,
  sentimentLabel,
  sentimentScore,
  receivedAt: new Date(iso),
  capturedVia: 'webhook',
});

beforeAll(async () => {
  for (const item of [
    at('2026-05-04T00:00:00Z', ['billing', 'ux'], 'negative', -2),
    at('2026-05-05T00:00:00Z', ['billing'], 'negative', -5, 'Worst invoice ever'),
    at('2026-05-06T00:00:00Z', ['billing'], 'positive', 4),
    at('2026-05-07T00:00:00Z', [], 'neutral', 0),
    at('2026-05-10T23:59:59Z', ['ux'], 'positive', 2),
    at('2026-05-11T00:00:00Z', ['billing'], 'negative', -1), // the end is exclusive
    at('2026-04-20T00:00:00Z', ['billing'], 'positive', 1),
  ]) {
    await repo().insert(item);
  }
});

describe('feedback metrics', () => {
  it('counts the range by sentiment and theme and picks representative quotes', async () => {
    const m = await repo().metrics({ start: new Date('2026-05-04T00:00:00Z'), end: new Date('2026-05-11T00:00:00Z') });
    expect(m.total).toBe(5);
    expect(m.bySentiment).toEqual({ positive: 2, neutral: 1, negative: 2 });
    expect(m.byTheme).toEqual([
      { theme: 'billing', total: 3, positive: 1, neutral: 0, negative: 2 },
      { theme: 'ux', total: 2, positive: 1, neutral: 0, negative: 1 },
    ]);
    expect(m.quotes.map((q) => [q.theme, q.text])).toEqual([
      ['billing', 'Worst invoice ever'], // billing is mostly negative: its strongest negative item
      ['ux', 'billing+ux negative 2026-05-04T00:00:00Z'], // ux is split evenly: a tie leans to the complaint
      [null, 'billing positive 2026-05-06T00:00:00Z'], // filled with the strongest-worded item left
    ]);
  });

  it('counts weeks by sentiment for the chart, oldest first', async () => {
    const weeks = await repo().weeklySentiment(new Date('2026-05-11T00:00:00Z'), 3);
    expect(weeks).toEqual([
      { positive: 1, neutral: 0, negative: 0 },
      { positive: 0, neutral: 0, negative: 0 },
      { positive: 2, neutral: 1, negative: 2 },
    ]);
  });

  it('answers an empty range with zeros', async () => {
    const m = await repo().metrics({ start: new Date('2025-01-01T00:00:00Z'), end: new Date('2025-01-08T00:00:00Z') });
    expect(m).toEqual({ total: 0, bySentiment: { positive: 0, neutral: 0, negative: 0 }, byTheme: [], quotes: [] });
  });
});
