// Scheduled work runs once per slot however many app processes share the database.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { systemClock } from '../../src/clock.ts';
import { createDatabase, type Database } from '../../src/db/client.ts';
import { createLogger } from '../../src/logger.ts';
import { createScheduler, type Scheduler } from '../../src/scheduler/scheduler.ts';
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
});
