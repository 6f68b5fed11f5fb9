// Slack dates: each reader sees their own time zone, and the fallback (notifications, old clients)
// says the same in the same words, in UTC, never ISO digits beside "Dec 8, 2026 at 2:00 PM".
import { describe, expect, it } from 'vitest';
import { slackDate } from '../../src/slack/blocks.ts';

const at = new Date('2026-12-08T14:00:00Z');
const stamp = 1796738400;

describe('slackDate', () => {
  it('carries a fallback in the words of its format', () => {
    expect(slackDate(at)).toBe(`<!date^${stamp}^{date_short_pretty} at {time}|Dec 8, 2026 at 2:00 PM UTC>`);
    expect(slackDate(at, '{time}')).toBe(`<!date^${stamp}^{time}|2:00 PM UTC>`);
    expect(slackDate(at, '{date_long_pretty} at {time}')).toBe(
      `<!date^${stamp}^{date_long_pretty} at {time}|Tuesday, December 8, 2026 at 2:00 PM UTC>`,
    );
    expect(slackDate(at, '{date_num} {time_secs}')).toBe(
      `<!date^${stamp}^{date_num} {time_secs}|2026-12-08 2:00:00 PM UTC>`,
    );
  });

  it('reads midnight and noon as people write them', () => {
    expect(slackDate(new Date('2026-12-08T00:05:00Z'), '{time}')).toContain('|12:05 AM UTC>');
    expect(slackDate(new Date('2026-12-08T12:00:00Z'), '{time}')).toContain('|12:00 PM UTC>');
  });
});
