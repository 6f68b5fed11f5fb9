// The sole process on the embedded server checks Slack signatures in memory before the ack, and keeps
// the table as the record a restart reads back; whenever memory or the table may lack some, the
// table decides, failing closed as with replicas.
import { eq, sql } from 'drizzle-orm';
import { beforeEach, describe, expect, it } from 'vitest';
import { requestKeys } from '../../src/slack/request-keys.table.ts';
import { createRequestKeys, fingerprint, rememberFirstSeen } from '../../src/slack/request-keys.ts';
import { eventually } from '../support/outcomes.ts';
import { useTestApp } from '../support/test-app.ts';

const t = useTestApp();
const WINDOW_MS = 60_000;

// An hour on for each test: what an earlier test wrote, even behind its last answer, is past the window.
beforeEach(() => {
  t.clock.advance(60 * 60_000);
});

const keys = () => createRequestKeys({ db: t.deps.db, clock: t.clock });
const remember = (max?: number) =>
  rememberFirstSeen(keys(), WINDOW_MS, { clock: t.clock, logger: t.deps.logger, ...(max ? { max } : {}) });
/** A process that has read the table back: memory answers alone. */
async function started(max?: number) {
  const remembered = remember(max);
  await eventually(() => remembered.answersFromMemory() || undefined, 'the table read back');
  return remembered;
}
const inTable = async (parts: readonly unknown[]) =>
  (await t.deps.db.$count(requestKeys, eq(requestKeys.key, fingerprint(parts)))) === 1;
/** Waits until the table holds each of `list` (writes behind an answer land a moment later). */
const stored = (...list: (readonly unknown[])[]) =>
  eventually(
    async () => ((await Promise.all(list.map(inTable))).every(Boolean) ? true : undefined),
    `${list.map((parts) => parts.join(' ')).join(', ')} stored`,
  );

/** Runs `check` while the table cannot be reached. */
async function withoutTable<T>(check: () => Promise<T>): Promise<T> {
  await t.deps.db.execute(sql`alter table request_keys rename to request_keys_away`);
  try {
    return await check();
  } finally {
    await t.deps.db.execute(sql`alter table request_keys_away rename to request_keys`);
  }
}

describe('a sole process remembering request signatures', () => {
  it('asks the table until it has read it back, then answers from memory and writes behind', async () => {
    const remembered = remember();
    expect(remembered.answersFromMemory()).toBe(false);
    expect(await remembered.firstSeen(['sig', 'a'])).toBe(true); // the table answered
    expect(await inTable(['sig', 'a'])).toBe(true);
    await eventually(() => remembered.answersFromMemory() || undefined, 'the table read back');
    const [repeat, fresh] = await withoutTable(async () => [
      await remembered.firstSeen(['sig', 'a']),
      await remembered.firstSeen(['sig', 'b']),
    ]);
    expect(repeat).toBe(false); // from memory: there was no table to ask
    expect(fresh).toBe(true);
  });

  it('refuses after a restart what the process before saw, until the window has passed', async () => {
    const earlier = await started();
    expect(await earlier.firstSeen(['sig', 'restart'])).toBe(true);
    await stored(['sig', 'restart']);

    const restarted = await started();
    expect(await withoutTable(() => restarted.firstSeen(['sig', 'restart']))).toBe(false); // from what it read back
    t.clock.advance(WINDOW_MS + 1000);
    expect(await restarted.firstSeen(['sig', 'restart'])).toBe(true);
    expect(await restarted.firstSeen(['sig', 'restart'])).toBe(false);
  });

  it('fails closed once a write failed, and writes what it missed when the table is back', async () => {
    const remembered = await started();
    await withoutTable(async () => {
      expect(await remembered.firstSeen(['sig', 'unwritten'])).toBe(true); // answered, its write fails
      await eventually(() => (remembered.answersFromMemory() ? undefined : true), 'the failed write noticed');
      await expect(remembered.firstSeen(['sig', 'meanwhile'])).rejects.toThrow(); // the guard answers 503
    });
    expect(await remembered.firstSeen(['sig', 'after'])).toBe(true); // the table answered…
    await stored(['sig', 'unwritten']); // …and the missed one was written
    expect(await started().then((next) => next.firstSeen(['sig', 'unwritten']))).toBe(false);
    expect(remembered.answersFromMemory()).toBe(true);
  });

  it('fails closed while it could not read the table back, and reads it once the table answers', async () => {
    const other = await started();
    expect(await other.firstSeen(['sig', 'known'])).toBe(true);
    await stored(['sig', 'known']);
    const blind = await withoutTable(async () => {
      const remembered = remember();
      await expect(remembered.firstSeen(['sig', 'unknown'])).rejects.toThrow();
      return remembered;
    });
    expect(blind.answersFromMemory()).toBe(false);
    expect(await blind.firstSeen(['sig', 'known'])).toBe(false); // only the table knew
    // Each check asks for the read back again, until it succeeds.
    await eventually(
      async () => (await blind.firstSeen(['sig', 'poll'])) !== undefined && (blind.answersFromMemory() || undefined),
      'the table read back at last',
    );
  });

  it('asks the table once it dropped signatures still within the window', async () => {
    const small = await started(2);
    for (const key of ['x', 'y', 'z']) expect(await small.firstSeen(['sig', key])).toBe(true);
    await stored(['sig', 'x'], ['sig', 'y'], ['sig', 'z']);
    expect(small.answersFromMemory()).toBe(true);
    expect(await small.firstSeen(['sig', 'w'])).toBe(true); // room made by dropping 'x'
    expect(small.answersFromMemory()).toBe(false);
    expect(await small.firstSeen(['sig', 'x'])).toBe(false); // dropped here, refused by the table
    t.clock.advance(WINDOW_MS + 1000); // what was dropped has expired
    expect(small.answersFromMemory()).toBe(true);
  });

  it('asks the table for good once the table held a signature it had not seen', async () => {
    const remembered = await started();
    await keys().firstSeen(['sig', 'elsewhere'], WINDOW_MS); // another process, against the rules
    expect(await remembered.firstSeen(['sig', 'elsewhere'])).toBe(true); // memory could not know
    await eventually(() => (remembered.answersFromMemory() ? undefined : true), 'the other writer noticed');
    expect(await remembered.firstSeen(['sig', 'new'])).toBe(true); // the table answered
    expect(remembered.answersFromMemory()).toBe(false);
  });
});
