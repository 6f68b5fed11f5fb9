// What a clear answer to a person looks like, checked the same way at parser level and end to end.
import { expect } from 'vitest';
import { isUserError } from '../../src/errors.ts';

/** The generic apology the app sends when a listener crashed (src/slack/error-replies.ts). */
export const CRASH_APOLOGY = 'something went wrong on our side';

/** A message a person can read: non-empty, no leaked JS values, no stack trace, not the crash apology. */
export function expectClearMessage(text: unknown, what = 'message'): asserts text is string {
  expect(typeof text, `${what} is text`).toBe('string');
  const message = text as string;
  expect(message.trim().length, `${what} is not blank`).toBeGreaterThan(0);
  expect(message, `${what} leaks undefined`).not.toMatch(/\bundefined\b/);
  expect(message, `${what} leaks an object`).not.toContain('[object Object]');
  expect(message, `${what} leaks a stack trace`).not.toMatch(/\n\s+at .+:\d+:\d+\)?/);
  expect(message, `${what} is the crash apology`).not.toContain(CRASH_APOLOGY);
}

/** Runs a parser: its result, or the UserError it refused with (any other throw fails the test). */
export function refusalOf<T>(parse: () => T): { ok: true; value: T } | { ok: false; message: string } {
  try {
    return { ok: true, value: parse() };
  } catch (error) {
    if (!isUserError(error)) throw error;
    expectClearMessage(error.message, `refusal ${error.code}`);
    return { ok: false, message: error.message };
  }
}

/** Input block ids of a modal: the only keys Slack accepts in `response_action: 'errors'`. */
export const inputBlockIds = (view: { blocks: readonly unknown[] }) =>
  view.blocks.flatMap((b) =>
    (b as { type?: string }).type === 'input' ? [String((b as { block_id?: string }).block_id)] : [],
  );

/** Field errors Slack can show: at least one, each on an input block of `modal`, each clear. */
export function expectFieldErrors(errors: unknown, modal: { blocks: readonly unknown[] }): void {
  expect(errors).toBeTypeOf('object');
  const entries = Object.entries(errors as Record<string, unknown>);
  expect(entries.length, 'at least one field error').toBeGreaterThan(0);
  const blocks = inputBlockIds(modal);
  for (const [block, message] of entries) {
    expect(blocks, `error on a block the modal has (${block})`).toContain(block);
    expectClearMessage(message, `error on ${block}`);
  }
}
