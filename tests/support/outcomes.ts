// What came of one request, as a person and the database would see it: the private reply or the
// modal a slash command led to, the answer to a modal submission, and every table's rows.
import { randomBytes } from 'node:crypto';
import { is } from 'drizzle-orm';
import { getTableConfig, PgTable } from 'drizzle-orm/pg-core';
import fc from 'fast-check';
import { expect } from 'vitest';
import * as schema from '../../src/db/schema.ts';
import { CRASH_APOLOGY, expectClearMessage } from './answers.ts';
import type { RecordedCall } from './fake-slack.ts';
import type { StateValue } from './payloads.ts';
import { triggerId } from './payloads.ts';
import type { TestApp } from './test-app.ts';

// Bookkeeping, not data: the replay guard and duplicate checks note every request, the scheduler its slots.
// Receipts only say a subscriber saw an event (an earlier run's, often, handled after its ack); what the
// subscriber wrote is compared like any other table.
const BOOKKEEPING = new Set(['request_keys', 'job_runs', 'domain_event_receipts']);

/** Every data table's rows (as sorted JSON, so order does not matter): compare two to prove nothing was written. */
export async function snapshotDatabase(t: TestApp): Promise<Record<string, string[]>> {
  const tables = (Object.values(schema) as unknown[]).filter((value): value is PgTable => is(value, PgTable));
  const entries = await Promise.all(
    tables
      .map((table) => [getTableConfig(table).name, table] as const)
      .filter(([name]) => !BOOKKEEPING.has(name))
      .map(
        async ([name, table]) =>
          [name, (await t.deps.db.select().from(table)).map((row) => JSON.stringify(row)).sort()] as const,
      ),
  );
  return Object.fromEntries(entries);
}

export type Snapshot = Awaited<ReturnType<typeof snapshotDatabase>>;

// Messages waiting to be sent leave as they are delivered: a refusal must add none, and may see some go.
const OUTBOX = 'slack_outbox';

/** Asserts the database is as `before`: what a refusal or a read must leave. */
export async function expectUnchanged(t: TestApp, before: Snapshot): Promise<void> {
  const { [OUTBOX]: outboxAfter = [], ...after } = await snapshotDatabase(t);
  const { [OUTBOX]: outboxBefore = [], ...rest } = before;
  expect(after, 'nothing written').toEqual(rest);
  const keyOf = (row: string) => (JSON.parse(row) as { key: string }).key;
  const known = new Set(outboxBefore.map(keyOf));
  expect(
    outboxAfter.filter((row) => !known.has(keyOf(row))),
    'no message recorded',
  ).toEqual([]);
}

/**
 * Runs `body` end to end for `numRuns` random inputs. Each run starts with a quiet fake Slack and
 * the clock past every duplicate window (a minute), and ends with nothing Slack would reject and
 * nobody sent the crash apology (checked at the start too, for work that outlived its run).
 */
export function fuzzEndToEnd<T>(
  t: TestApp,
  input: fc.Arbitrary<T>,
  body: (value: T) => Promise<void>,
  numRuns: number,
): Promise<void> {
  return fc.assert(
    fc.asyncProperty(input, async (value) => {
      expectNoCrash(t);
      t.fake.reset();
      t.clock.advance(61_000);
      try {
        await body(value);
        expectNoCrash(t);
      } catch (error) {
        // Let the failed run's work settle and forget it before the failure is reported.
        await new Promise((r) => setTimeout(r, 200));
        t.fake.reset();
        throw error;
      }
    }),
    // No shrinking: each run is a whole flow of several seconds, and shrinking a failure would
    // outlast the test's timeout and hide the error behind "timed out".
    // FC_SEED=<seed> FC_PATH=<path> replays a failure CI reported.
    { numRuns, endOnFailure: true, ...replay() },
  );
}

function replay(): { seed?: number; path?: string } {
  const seed = process.env.FC_SEED;
  return seed ? { seed: Number(seed), path: process.env.FC_PATH } : {};
}

/** Waits for `find` to return something (polling every 5 ms), or fails with `what`. */
export async function eventually<T>(
  find: () => T | undefined | Promise<T | undefined>,
  what: string,
  // As long as the other end-to-end helpers wait (PATIENCE_MS): CI shares two cores.
  timeoutMs = 10_000,
): Promise<T> {
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    const found = await find();
    if (found !== undefined) return found;
    if (Date.now() > deadline) throw new Error(`timed out after ${timeoutMs} ms waiting for ${what}`);
    // Each look is a query: a few a second is enough, and spares the busy machine.
    await new Promise((r) => setTimeout(r, 25));
  }
}

export interface CommandOutcome {
  /** The private reply posted to the command's response_url. */
  reply?: { text: string; body: Record<string, unknown> };
  /** The modal opened with the command's trigger. */
  opened?: RecordedCall;
}

/**
 * Runs a slash command as Slack would and returns how the app answered: a reply in the
 * response_url or a modal opened with the trigger. The HTTP answer must be the empty 200 ack.
 */
export async function runCommand(
  t: TestApp,
  input: { command: string; text: string; user_id: string; channel_id?: string },
): Promise<CommandOutcome> {
  const url = t.fake.responseUrl();
  const trigger = triggerId();
  const res = await t.driver.command({ ...input, response_url: url, trigger_id: trigger });
  expect(res.status, `HTTP status for ${input.command}`).toBe(200);
  expect(res.body, 'an empty ack').toBe('');
  const id = url.slice(url.lastIndexOf('/') + 1);
  return eventually(
    () => {
      const response = t.fake.responses.find((r) => r.id === id);
      const opened = t.fake.calls.find((c) => c.method === 'views.open' && c.args.trigger_id === trigger);
      if (!response && !opened) return undefined;
      return {
        ...(response ? { reply: { text: String(response.body.text), body: response.body } } : {}),
        ...(opened ? { opened } : {}),
      };
    },
    `a reply or a modal for ${input.command} ${JSON.stringify(input.text.slice(0, 80))}`,
  );
}

/** Runs a slash command that must answer with a private reply, and returns the reply's (clear) text. */
export async function replyTo(t: TestApp, input: Parameters<typeof runCommand>[1]): Promise<string> {
  const { reply, opened } = await runCommand(t, input);
  expect(opened, 'no modal opened').toBeUndefined();
  expect(reply?.body.response_type).toBe('ephemeral');
  expectClearMessage(reply?.text, `reply to ${input.command} ${input.text.slice(0, 80)}`);
  return reply!.text;
}

/** Nothing Slack would reject was sent, and nobody was sent the crash apology. */
export function expectNoCrash(t: TestApp): void {
  expect(t.fake.violations, 'calls Slack would reject').toEqual([]);
  const said = [...t.fake.responses.map((r) => r.body?.text), ...t.fake.calls.map((c) => c.args.text)].filter(
    (text) => typeof text === 'string',
  );
  for (const text of said) expect(text).not.toContain(CRASH_APOLOGY);
}

export interface SubmissionOutcome {
  /** `errors` when the app kept the modal open with field errors; undefined when it closed it. */
  errors?: Record<string, string>;
  body: unknown;
}

/** Submits a modal as Slack would; the app must answer 200 within the ack, closing it or showing field errors. */
export async function submitView(
  t: TestApp,
  input: {
    callback_id: string;
    user_id: string;
    values: Record<string, Record<string, StateValue>>;
    private_metadata?: string;
    view_id?: string;
    /** The blocks of the view as drawn, for listeners that read them. */
    blocks?: unknown[];
  },
): Promise<SubmissionOutcome> {
  // Each submission is a new view, as in Slack: the app ignores a view id it has seen (double submits).
  const res = await t.driver.viewSubmission({ view_id: `V${randomBytes(5).toString('hex').toUpperCase()}`, ...input });
  expect(res.status, `HTTP status for ${input.callback_id}`).toBe(200);
  if (res.body === '') return { body: res.body };
  expect(res.body).toMatchObject({ response_action: 'errors' });
  return { errors: (res.body as { errors: Record<string, string> }).errors, body: res.body };
}
