// Scheduled work runs once per slot however many app processes share the database.
import { sql } from 'drizzle-orm';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { systemClock } from '../../src/clock.ts';
import { createDatabase, type Database } from '../../src/db/client.ts';
import { createLogger } from '../../src/logger.ts';
import { createScheduler, type Scheduler } from '../../src/scheduler/scheduler.ts';
import { acksFirst } from '../../src/slack/acks-first.ts';
import { createTestDatabase, type TestDatabase } from '../support/test-database.ts';

const logger = createLogger({ level: 'silent', pretty: false });
let testDb: TestDatabase;
const databases: Database[] = [];

beforeAll(async () => {
  testDb = await createTestDatabase();
  // Two pools, as two app processes would have.
  for (let i = 0; i < 2; i++) {
    const database = await createDatabase({ url: testDb.url });
    await database.migrate();
    databases.push(database);
  }
});
afterAll(async () => {
  for (const d of databases) await d.close();
  await testDb.drop();
});

function twoSchedulers(record: (who: string, slot: Date) => void): Scheduler[] {
  return databases.map((database, i) => {
    const scheduler = createScheduler({ db: database.db, clock: systemClock, logger, timezone: 'Europe/Paris' });
    scheduler.register({
      name: 'test.tick',
      cron: '* * * * * *',
      run: async ({ slot }) => record(`process-${i}`, slot),
    });
    return scheduler;
  });
}

describe('scheduler', () => {
  it('runs each node-cron slot exactly once across two schedulers on one database', async () => {
    const runs: { who: string; slot: number }[] = [];
    const schedulers = twoSchedulers((who, slot) => runs.push({ who, slot: slot.getTime() }));
    for (const s of schedulers) s.start();
    await new Promise((r) => setTimeout(r, 3500));
    await Promise.all(schedulers.map((s) => s.stop()));

    const slots = runs.map((r) => r.slot);
    expect(runs.length).toBeGreaterThanOrEqual(2);
    expect(new Set(slots).size).toBe(slots.length); // never twice for one slot
    // Stopped schedulers run nothing more.
    const count = runs.length;
    await new Promise((r) => setTimeout(r, 1200));
    expect(runs.length).toBe(count);
  });

  it('runSlot claims a slot once, whichever scheduler asks first', async () => {
    const runs: string[] = [];
    const [a, b] = twoSchedulers((who) => runs.push(who));
    const slot = new Date('2026-03-02T09:00:00Z');
    const results = await Promise.all([a!.runSlot('test.tick', slot), b!.runSlot('test.tick', slot)]);
    expect(results.filter(Boolean)).toHaveLength(1);
    expect(runs).toHaveLength(1);
    expect(await a!.runSlot('test.tick', new Date('2026-03-02T09:01:00Z'))).toBe(true);
    expect(runs).toHaveLength(2);
  });

  it('reschedules in a new time zone without stray tasks, even when stopped straight after', async () => {
    const runs: number[] = [];
    const [a] = twoSchedulers((_who, slot) => runs.push(slot.getTime()));
    a!.start();
    a!.setTimezone('America/New_York');
    a!.setTimezone('Asia/Tokyo');
    expect(a!.timezone()).toBe('Asia/Tokyo');
    await new Promise((r) => setTimeout(r, 2200));
    expect(new Set(runs).size).toBe(runs.length);
    a!.setTimezone('UTC');
    await a!.stop();
    const count = runs.length;
    await new Promise((r) => setTimeout(r, 1500));
    expect(runs.length).toBe(count);
  });

  it('refuses bad job definitions', () => {
    const [a] = twoSchedulers(() => {});
    expect(() => a!.register({ name: 'Bad Name', cron: '* * * * *', run: async () => {} })).toThrow(/lowercase/);
    expect(() => a!.register({ name: 'test.bad-cron', cron: 'every minute', run: async () => {} })).toThrow(
      /invalid cron/,
    );
    expect(() => a!.register({ name: 'test.tick', cron: '* * * * *', run: async () => {} })).toThrow(/twice/);
  });

  it('keeps running other slots when a job fails', async () => {
    const [a] = twoSchedulers(() => {});
    let calls = 0;
    a!.register({
      name: 'test.flaky',
      cron: '* * * * *',
      run: async () => {
        calls++;
        if (calls === 1) throw new Error('boom');
      },
    });
    expect(await a!.runSlot('test.flaky', new Date('2026-03-02T10:00:00Z'))).toBe(true);
    expect(await a!.runSlot('test.flaky', new Date('2026-03-02T10:01:00Z'))).toBe(true);
    expect(calls).toBe(2);
  });

  it('sends what a job keeps waiting at start and when it falls due, not at its next slot, until stopped', async () => {
    const scheduler = createScheduler({ db: databases[0]!.db, clock: systemClock, logger, timezone: 'Europe/Paris' });
    const sent: number[] = [];
    let dueAt: Date | undefined = new Date(systemClock.now().getTime() + 1_500);
    const started = performance.now();
    scheduler.register({
      name: 'test.deliveries',
      cron: '0 0 1 1 *', // once a year: no slot comes during the test
      run: async () => {},
      due: {
        next: async () => dueAt,
        send: async () => {
          sent.push(performance.now() - started);
          if (sent.length === 2) dueAt = undefined; // all sent
        },
      },
    });
    scheduler.start();
    try {
      await new Promise((r) => setTimeout(r, 3_000));
      expect(sent).toHaveLength(2);
      expect(sent[0]).toBeLessThan(500); // at start
      expect(sent[1]).toBeGreaterThan(1_400); // when due, and only then
    } finally {
      await scheduler.stop();
    }
  });

  it('runs a slot’s jobs two at a time, so the minute takes two connections rather than one per job', async () => {
    // A pool of its own, named, so its server connections can be counted.
    const url = new URL(testDb.url);
    url.searchParams.set('application_name', 'frontline_lanes');
    const database = await createDatabase({ url: url.toString() });
    const scheduler = createScheduler({ db: database.db, clock: systemClock, logger, timezone: 'Europe/Paris' });
    const ran = new Set<string>();
    let running = 0;
    let mostAtOnce = 0;
    for (let i = 0; i < 6; i++)
      scheduler.register({
        name: `test.lane-${i}`,
        cron: '* * * * * *',
        run: async () => {
          mostAtOnce = Math.max(mostAtOnce, ++running);
          await database.db.execute(sql`select pg_sleep(0.1)`);
          running--;
          ran.add(`test.lane-${i}`);
        },
      });
    const watcher = databases[1]!.db;
    let mostConnections = 0;
    scheduler.start();
    try {
      for (let waited = 0; ran.size < 6 && waited < 5_000; waited += 50) {
        const rows = (await watcher.execute(
          sql`select count(*)::int as n from pg_stat_activity where application_name = 'frontline_lanes'`,
        )) as unknown as { n: number }[];
        mostConnections = Math.max(mostConnections, rows[0]!.n);
        await new Promise((r) => setTimeout(r, 50));
      }
    } finally {
      await scheduler.stop();
      await database.close();
    }
    expect(ran.size).toBe(6);
    expect(mostAtOnce).toBe(2);
    expect(mostConnections).toBeGreaterThan(0);
    expect(mostConnections).toBeLessThanOrEqual(2);
  });

  it('starts no job while a Slack request is owed its ack, and runs it once the ack went', async () => {
    // The app's arrangement: the scheduler takes its turns from the same queue as the work after acks.
    const acks = acksFirst();
    const scheduler = createScheduler({
      db: databases[0]!.db,
      clock: systemClock,
      logger,
      timezone: 'Europe/Paris',
      turn: () => acks.turn(),
    });
    const ran: number[] = [];
    scheduler.register({ name: 'test.behind-acks', cron: '0 0 1 1 *', run: async () => void ran.push(Date.now()) });
    const answered = acks.arrived(); // a request Slack is waiting on
    try {
      const slot = scheduler.runSlot('test.behind-acks', new Date('2026-01-01T00:00:00Z'));
      await new Promise((r) => setTimeout(r, 300));
      expect(ran).toEqual([]);
      const ackedAt = Date.now();
      answered();
      await expect(slot).resolves.toBe(true);
      expect(ran).toHaveLength(1);
      expect(ran[0]!).toBeGreaterThanOrEqual(ackedAt);
    } finally {
      await scheduler.stop();
    }
  });
});
