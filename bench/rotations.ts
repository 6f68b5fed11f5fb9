// Planning 12 weeks of a large rotation: 10,000 participants (with history, some away or opted
// out) and 50 hosts, timed as the planner alone (the pure function the scheduler calls).

import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { createDatabase } from '../src/db/client.ts';
import { createLogger } from '../src/logger.ts';
import { upcomingSlots } from '../src/rotations/rotations.models.ts';
import { type PlanInput, planRotation } from '../src/rotations/rotations.planner.ts';
import { createRotationsRepository } from '../src/rotations/rotations.repository.ts';
import { replanRotation } from '../src/rotations/rotations.usecases.ts';
import { createSessionsRepository } from '../src/rotations/sessions.repository.ts';
import { type BenchRow, mib, ms, quantile } from './bench.ts';

const PARTICIPANTS = 10_000;
const HOSTS = 50;
const WEEKS = 12;
const RUNS = 20;

function largeRotation(seats: number): PlanInput {
  const from = new Date('2026-03-02T10:00:00Z');
  const slots = upcomingSlots(
    { cadence: 'weekly', weekday: 3, startTime: '14:00', timezone: 'Europe/Paris', anchorDate: '2026-03-02' },
    from,
    WEEKS,
  ).map((s) => ({
    startsAt: s.startsAt.getTime(),
    date: s.date,
    seats,
  }));
  // Deterministic pseudo-random history so every run plans the same rotation.
  let seed = 42;
  const rand = () => {
    seed = (seed * 1_103_515_245 + 12_345) % 2 ** 31;
    return seed / 2 ** 31;
  };
  const participants = Array.from({ length: PARTICIPANTS }, (_, i) => ({
    id: `U${i.toString().padStart(6, '0')}`,
    turns: Math.floor(rand() * 3),
    lastAt: from.getTime() - Math.floor(rand() * 365) * 86_400_000,
    away: rand() < 0.1 ? [{ from: '2026-03-10', to: '2026-04-20' }] : [],
    active: rand() > 0.05,
  }));
  const hosts = Array.from({ length: HOSTS }, (_, i) => ({
    id: `H${i}`,
    load: Math.floor(rand() * 5),
    lastAt: 0,
    away: rand() < 0.2 ? [{ from: '2026-03-16', to: '2026-03-31' }] : [],
  }));
  return { slots, participants, hosts };
}

function measure(name: string, seats: number): BenchRow {
  const input = largeRotation(seats);
  planRotation(input); // warm-up
  const times: number[] = [];
  let peakHeap = 0;
  let seatsPlanned = 0;
  for (let run = 0; run < RUNS; run++) {
    const heapBefore = process.memoryUsage().heapUsed;
    const start = performance.now();
    seatsPlanned = planRotation(input).seats.length;
    times.push(performance.now() - start);
    peakHeap = Math.max(peakHeap, process.memoryUsage().heapUsed - heapBefore);
  }
  const p99 = quantile(times, 0.99);
  return {
    name,
    figures: {
      p50: ms(quantile(times, 0.5)),
      p99: ms(p99),
      seats: String(seatsPlanned),
      'heap Δ': mib(Math.max(0, peakHeap)),
      rss: mib(process.memoryUsage().rss),
    },
    target: `< 1 s: ${p99 < 1000 ? 'yes' : 'NO'}`,
  };
}

/** The whole hourly planning run of one big rotation on the embedded database: reads, plans, writes. */
async function measureWithDatabase(): Promise<BenchRow> {
  const dataDir = mkdtempSync(join(tmpdir(), 'frontline-bench-rotations-'));
  const database = await createDatabase({ dataDir });
  await database.migrate();
  const { db } = database;
  const clock = { now: () => new Date('2026-03-02T10:00:00Z') };
  const rotations = createRotationsRepository({ db });
  const sessions = createSessionsRepository({ db });
  const settings = {
    name: 'Bench',
    cadence: 'weekly' as const,
    weekday: 3,
    startTime: '14:00',
    durationMinutes: 60,
    timezone: 'UTC',
    shadowsPerSession: 1,
    planAheadWeeks: WEEKS,
    usergroupId: null,
  };
  const userIds = Array.from({ length: PARTICIPANTS }, (_, i) => `U${i}`);
  const hostIds = Array.from({ length: HOSTS }, (_, i) => `H${i}`);
  const rotation = await rotations.create({ ...settings, userIds, hostIds }, 'UBENCH', '2026-03-02', clock.now());
  // No user group and no DMs: Slack is never called by a planning run itself.
  const deps = {
    db,
    events: {} as never,
    rotations,
    sessions,
    slack: {} as never,
    messages: {} as never,
    // A run that withdraws nothing records no messages.
    pacedMessages: { enqueue: async () => [], deliver: async () => [] } as never,
    clock,
    logger: createLogger({ level: 'silent', pretty: false }),
    timezone: async () => 'UTC',
    adminIds: [],
  };
  const times: number[] = [];
  for (let run = 0; run < 5; run++) {
    const start = performance.now();
    await replanRotation(deps, { rotationId: rotation.id });
    times.push(performance.now() - start);
  }
  await database.close();
  rmSync(dataDir, { recursive: true, force: true });
  return {
    name: `replanRotation on the embedded PostgreSQL (reads, plans, writes): ${PARTICIPANTS.toLocaleString('en')} participants, ${WEEKS} weeks`,
    figures: {
      first: ms(times[0]!),
      'p50 (re-runs)': ms(quantile(times.slice(1), 0.5)),
      rss: mib(process.memoryUsage().rss),
    },
  };
}

export async function run(): Promise<BenchRow[]> {
  return [
    measure(`planRotation: ${WEEKS} weeks, ${PARTICIPANTS.toLocaleString('en')} participants, ${HOSTS} hosts`, 1),
    measure(`planRotation: same, 25 shadows per session`, 25),
    await measureWithDatabase(),
  ];
}
