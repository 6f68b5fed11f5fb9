// The hold between typing a question and posting it: who may hold it, who posts it, and what
// happens when offering answers first fails (the question is posted as it always was).
import { describe, expect, it } from 'vitest';
import { createBeforePosting, type TypedQuestion } from '../../src/before-posting.ts';
import { createLogger } from '../../src/logger.ts';

const logged: string[] = [];
const logger = createLogger({
  level: 'warn',
  pretty: false,
  destination: { write: (line: string) => logged.push(line) },
});
const question: TypedQuestion = {
  kind: 'help_request',
  userId: 'U0A',
  question: 'q?',
  draft: { text: 'q?' },
  retryKey: 'T1',
};
const once = { parts: ['test'], windowMs: 1000 };
const posted = { reply: 'Asked', thread: { mirror: 'help-request', ref: '1' } };

describe('before posting', () => {
  it('posts at once while nothing holds questions, or nothing posts that kind', async () => {
    const gate = createBeforePosting({ logger });
    expect(await gate.hold(question)).toBe(false);
    gate.holdWith(async () => true);
    expect(await gate.hold(question)).toBe(false); // no poster for help requests: never held
    gate.poster('help_request', async () => posted);
    expect(await gate.hold(question)).toBe(true);
  });

  it('posts at once when offering answers first fails, and says so in the log', async () => {
    const gate = createBeforePosting({ logger });
    gate.poster('help_request', async () => posted);
    gate.holdWith(async () => {
      throw new Error('search timed out');
    });
    expect(await gate.hold(question)).toBe(false);
    expect(logged.some((l) => l.includes('could not look for answers before posting'))).toBe(true);
  });

  it('posts a held draft through its kind’s poster, with the guard it was given', async () => {
    const gate = createBeforePosting({ logger });
    const seen: unknown[] = [];
    gate.poster('escalation', async (draft, context) => {
      seen.push(draft, context);
      return posted;
    });
    expect(await gate.post('escalation', { input: 1 }, { userId: 'U0A', once })).toEqual(posted);
    expect(seen).toEqual([{ input: 1 }, { userId: 'U0A', once }]);
    await expect(gate.post('help_request', {}, { userId: 'U0A', once })).rejects.toThrow('no poster for help_request');
    expect(() => gate.poster('escalation', async () => posted)).toThrow('added twice');
  });
});
