import { eq, lt, sql } from 'drizzle-orm';
import cron, { type RunCoordinator, type ScheduledTask } from 'node-cron';
import pLimit from 'p-limit';
import type { Clock } from '../clock.ts';
import type { Db } from '../db/client.ts';
import type { Logger } from '../logger.ts';
import { jobRuns } from './scheduler.table.ts';
import { createWake, type Wake } from './wake.ts';

export interface JobContext {
  /** The cron slot this run stands for (node-cron's scheduled time). */
  slot: Date;
  /** The injected clock's "now", which tests move. */
  now: Date;
}

export interface Job {
  /** Unique, stable name: it keys the once-per-slot claim in the database. */
  name: string;
  /** Cron expression (5 or 6 fields), read in the workspace time zone. */
  cron: string;
  run(ctx: JobContext): Promise<void>;
  /**
   * For a job that sends what waits in a table (deliveries kept for a retry): while the scheduler
   * runs, what waits is also sent once at start and then as each piece falls due, rather than at the
   * job's next slot. `send` runs outside any slot, so on every replica: it must be safe to run twice.
   */
  due?: {
    /** When the first piece still waiting falls due. */
    next(): Promise<Date | undefined>;
    send(now: Date): Promise<unknown>;
  };
}

export interface Scheduler {
  /** Adds a job; jobs added after start() begin at once. */
  register(job: Job): void;
  start(): void;
  /** Runs a job for a slot if no process has run that slot yet; true when this call ran it. */
  runSlot(name: string, slot: Date): Promise<boolean>;
  /** The zone cron expressions are read in now. */
  timezone(): string;
  /** Reschedules every job in another zone (after `/frontline set timezone`). */
  setTimezone(zone: string): void;
  stop(): Promise<void>;
}

/** A node-cron RunCoordinator backed by job_runs: the first process to insert a slot's row runs it. */
export function createDbRunCoordinator(db: Db): RunCoordinator {
  return {
    async shouldRun(key) {
      // Keys are `${job}:${slot ISO}`; job names have no colon (checked in register).
      const job = key.slice(0, key.indexOf(':'));
      const slot = new Date(key.slice(key.indexOf(':') + 1));
      if (Number.isNaN(slot.getTime())) throw new Error(`unexpected run key ${key}`);
      const inserted = await db
        .insert(jobRuns)
        .values({ key, job, slot })
        .onConflictDoNothing()
        .returning({ key: jobRuns.key });
      return inserted.length === 1;
    },
    async onComplete(key) {
      await db.update(jobRuns).set({ finishedAt: sql`now()` }).where(eq(jobRuns.key, key));
    },
  };
}

const slotKey = (name: string, slot: Date) => `${name}:${slot.toISOString()}`;

/**
 * How many jobs' database work (slot claims, runs, sends of what waits) goes on at once. Most jobs
 * run every minute, all at its first second: at once, each took a connection, and the pool opened
 * eight (about 20 MB each on the embedded server) every minute for 20 s. Two lanes keep that to two
 * while one slow job (the weekly digest) leaves the other lane to the rest.
 */
const JOB_LANES = 2;

/** One scheduler per process; every job runs once per slot across all processes sharing the database. */
export function createScheduler({
  db,
  clock,
  logger,
  timezone,
  turn = async () => () => {},
}: {
  db: Db;
  clock: Clock;
  logger: Logger;
  timezone: string;
  /**
   * Resolves when background work may start; the returned function ends its turn. The app passes
   * `acksFirst`'s: a job started a second late harms nobody, an ack delayed past 3 s fails in Slack.
   */
  turn?: () => Promise<() => void>;
}): Scheduler {
  const inFlight = new Set<Promise<unknown>>();
  const claims = createDbRunCoordinator(db);
  const lanes = pLimit(JOB_LANES);
  // Work waiting for a lane is tracked too, and claims: stop() must not close the database under a
  // claim node-cron is waiting on.
  const track = <T>(work: () => Promise<T>): Promise<T> => {
    const queued = lanes(async () => {
      const endTurn = await turn();
      try {
        return await work();
      } finally {
        endTurn();
      }
    });
    inFlight.add(queued);
    return queued.finally(() => inFlight.delete(queued));
  };
  const coordinator: RunCoordinator = {
    shouldRun: (key, ttl) => track(async () => claims.shouldRun(key, ttl)),
    onComplete: (key) => track(async () => claims.onComplete?.(key)),
  };
  const jobs = new Map<string, Job>();
  const tasks = new Map<string, ScheduledTask>();
  let zone = timezone;
  let started = false;
  // Reschedules run one after another, so quick zone changes and stop() never leave stray tasks.
  let rescheduling = Promise.resolve();
  jobs.set('scheduler.prune', {
    name: 'scheduler.prune',
    cron: '17 3 * * *',
    run: ({ now }) => pruneJobRuns(db, new Date(now.getTime() - 30 * 24 * 3600_000)),
  });

  const wakes = new Map<string, Wake>();
  /** Plans a job's next send for when the first piece still waiting falls due (no query without a wake). */
  const planNextSend = async (job: Job) => wakes.get(job.name)?.at(await job.due?.next());
  /** Sends what a job's table holds now, then plans the next send. */
  const sendDue = async (job: Job) => {
    if (!job.due) return;
    await job.due.send(clock.now());
    await planNextSend(job);
  };
  const startWake = (job: Job) => {
    if (!job.due) return;
    wakes.set(job.name, createWake({ clock, logger, send: () => track(() => sendDue(job)) }));
    void track(() =>
      sendDue(job).catch((error: unknown) => logger.warn({ err: error, job: job.name }, 'could not send what waits')),
    );
  };

  const execute = (job: Job, slot: Date) => {
    const started = Date.now();
    return track(() =>
      job
        .run({ slot, now: clock.now() })
        // The slot's run may have left work due before the next slot.
        .then(() => planNextSend(job))
        .then(
          // Debug lines say which replica ran each slot, for operators running several.
          () => logger.debug({ job: job.name, slot, ms: Date.now() - started }, 'scheduled job ran'),
          (error: unknown) => logger.error({ err: error, job: job.name, slot }, 'scheduled job failed'),
        ),
    );
  };

  const schedule = (job: Job) => {
    const task = cron.createTask(job.cron, (ctx) => execute(job, ctx.date), {
      name: job.name,
      timezone: zone,
      noOverlap: true,
      distributed: true,
      runCoordinator: coordinator,
      suppressMissedWarning: true,
    });
    task.on('execution:skipped', (ctx) => {
      if (ctx.reason === 'coordinator-error')
        logger.warn({ job: job.name }, 'could not claim a scheduled slot (database unavailable?)');
      else logger.debug({ job: job.name, slot: ctx.date }, 'scheduled slot already run by another process');
    });
    void task.start();
    tasks.set(job.name, task);
  };

  const unscheduleAll = async () => {
    await Promise.all([...tasks.values()].map((task) => task.destroy()));
    tasks.clear();
  };

  return {
    register(job) {
      if (!/^[a-z0-9._-]+$/.test(job.name))
        throw new Error(`job name ${job.name} must be lowercase letters, digits, dots and dashes`);
      if (jobs.has(job.name)) throw new Error(`job ${job.name} is registered twice`);
      if (!cron.validate(job.cron)) throw new Error(`job ${job.name} has an invalid cron expression: ${job.cron}`);
      jobs.set(job.name, job);
      if (started) {
        schedule(job);
        startWake(job);
      }
    },
    start() {
      started = true;
      for (const job of jobs.values()) {
        schedule(job);
        startWake(job);
      }
      logger.info({ jobs: [...jobs.keys()], timezone: zone }, 'scheduler started');
    },
    async runSlot(name, slot) {
      const job = jobs.get(name);
      if (!job) throw new Error(`no job named ${name}`);
      const key = slotKey(name, slot);
      if (!(await coordinator.shouldRun(key, 0))) return false;
      await execute(job, slot);
      await coordinator.onComplete?.(key);
      return true;
    },
    timezone: () => zone,
    setTimezone(next) {
      zone = next;
      rescheduling = rescheduling.then(async () => {
        if (!started) return;
        await unscheduleAll();
        if (started) for (const job of jobs.values()) schedule(job);
      });
    },
    async stop() {
      started = false;
      await rescheduling;
      await unscheduleAll();
      await Promise.all([...wakes.values()].map((wake) => wake.stop()));
      wakes.clear();
      // A claim that finishes may start a run: wait until nothing is left.
      while (inFlight.size > 0) {
        await Promise.allSettled([...inFlight]);
        await new Promise((resolve) => setImmediate(resolve));
      }
    },
  };
}

/** Forgets slot claims from before `before` so job_runs stays small. */
export async function pruneJobRuns(db: Db, before: Date): Promise<void> {
  await db.delete(jobRuns).where(lt(jobRuns.slot, before));
}
