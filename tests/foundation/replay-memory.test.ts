// The sole process on the embedded server checks Slack signatures in memory before the ack, and keeps
// the table as the record a restart reads back; whenever memory may be missing some, the table decides.
import { setTimeout as sleep } from 'node:timers/promises';
import { sql } from 'drizzle-orm';
import { describe, expect, it } from 'vitest';
import { requestKeys } from '../../src/slack/request-keys.table.ts';
import { createRequestKeys, rememberFirstSeen } from '../../src/slack/request-keys.ts';
import { useTestApp } from '../support/test-app.ts';

const t = useTestApp();
const WINDOW_MS = 60_000;

const keys = () => createRequestKeys({ db: t.deps.db, clock: t.clock });
const remember = (max?: number) =>
  rememberFirstSeen(keys(), WINDOW_MS, { clock: t.clock, logger: t.deps.logger, ...(max ? { max } : {}) });
const stored = () => t.deps.db.$count(requestKeys);

async function until(condition: () => Promise<boolean>): Promise<void> {
  for (let tries = 0; !(await condition()); tries++) {
    if (tries > 100) throw new Error('the condition never held');
    await sleep(20);
  }
}

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
  it('answers from memory once the table is read back, and still writes each one to the table', async () => {
    const firstSeen = remember();
    const before = await stored();
    expect(await firstSeen(['sig', 'a'])).toBe(true); // read back not done yet: the table answered
    await until(async () => (await stored()) === before + 1);
    // The table is gone, and memory alone answers both ways.
    const [repeat, fresh] = await withoutTable(async () => [
      await firstSeen(['sig', 'a']),
      await firstSeen(['sig', 'b']),
    ]);
    expect(repeat).toBe(false);
    expect(fresh).toBe(true);
    await sleep(100);
    const written = await stored();
    expect(await firstSeen(['sig', 'c'])).toBe(true);
    await until(async () => (await stored()) === written + 1); // written behind the answer
  });

  it('refuses after a restart what the process before saw, until the window has passed', async () => {
    const earlier = remember();
    expect(await earlier(['sig', 'restart'])).toBe(true);
    await sleep(100);
    expect(await earlier(['sig', 'restart'])).toBe(false);

    const restarted = remember();
    await sleep(100); // it has read the table back
    expect(await withoutTable(() => restarted(['sig', 'restart']))).toBe(false); // from what it read back
    t.clock.advance(WINDOW_MS + 1000);
    expect(await restarted(['sig', 'restart'])).toBe(true);
    expect(await restarted(['sig', 'restart'])).toBe(false);
  });

  it('fails closed while it could not read the table back: every check asks the table', async () => {
    const checked = remember();
    expect(await checked(['sig', 'known'])).toBe(true);
    await sleep(100);
    const blind = await withoutTable(async () => {
      const started = remember();
      await sleep(100); // its read back has failed by now
      await expect(started(['sig', 'unknown'])).rejects.toThrow();
      return started;
    });
    expect(await blind(['sig', 'known'])).toBe(false); // seen by the other process: only the table knew
  });

  it('asks the table once it had to forget signatures still within the window', async () => {
    const small = remember(2);
    await sleep(100);
    for (const key of ['x', 'y', 'z']) expect(await small(['sig', key])).toBe(true);
    await sleep(100);
    expect(await small(['sig', 'x'])).toBe(false); // forgotten here, refused by the table
    await expect(withoutTable(() => small(['sig', 'w']))).rejects.toThrow(); // the table, not memory, decides
  });
});
