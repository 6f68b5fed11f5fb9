import { createHash } from 'node:crypto';
import { eq, sql } from 'drizzle-orm';
import type { Clock } from '../clock.ts';
import type { Db } from '../db/client.ts';
import { requestKeys } from './request-keys.table.ts';

/** A request fingerprint to record with the work it guards, so a repeat within the window is refused. */
export interface Dedupe {
  parts: readonly unknown[];
  windowMs: number;
}

export interface RequestKeys {
  /**
   * True the first time `parts` is seen within `windowMs`; false for a retry or a double submit.
   * Atomic across processes: the row is inserted, or refreshed only when the old one has expired.
   */
  firstSeen(parts: readonly unknown[], windowMs: number): Promise<boolean>;
  /** The same for many at once, in one statement; a repeat inside the list counts as seen. */
  firstSeenMany(list: readonly (readonly unknown[])[], windowMs: number): Promise<boolean[]>;
  /** Forgets a fingerprint whose work did not succeed, so trying again is not taken for a repeat. */
  forget(parts: readonly unknown[]): Promise<void>;
  /**
   * Runs `work` unless `dedupe` was seen within its window (then resolves undefined). The
   * fingerprint is kept only if the work succeeds: after a failure, trying again works.
   */
  once<T>(dedupe: Dedupe, work: () => Promise<T>): Promise<T | undefined>;
}

const fingerprint = (parts: readonly unknown[]) =>
  createHash('sha256').update(JSON.stringify(parts)).digest('base64url');

export function createRequestKeys({ db, clock }: { db: Db; clock: Clock }): RequestKeys {
  const firstSeenMany = async (list: readonly (readonly unknown[])[], windowMs: number) => {
    const keys = list.map(fingerprint);
    const unique = [...new Set(keys)];
    if (unique.length === 0) return [];
    const now = clock.now();
    const expiredBefore = new Date(now.getTime() - windowMs);
    // The keys go as one array: the same statement for any number of them, built and planned alike
    // (a VALUES list would be a new statement for each batch size, built anew on every request).
    // postgres.js hands back the rows themselves.
    const rows = (await db.execute(sql`
      insert into ${requestKeys} (key, seen_at)
      select key, ${now.toISOString()}::timestamptz from unnest(${sql.param(unique)}::text[]) as key
      on conflict (key) do update set seen_at = excluded.seen_at
      where ${requestKeys.seenAt} < ${expiredBefore.toISOString()}::timestamptz
      returning key`)) as unknown as { key: string }[];
    const fresh = new Set(rows.map((r) => r.key));
    return keys.map((key, i) => fresh.has(key) && keys.indexOf(key) === i);
  };
  const firstSeen = async (parts: readonly unknown[], windowMs: number) => {
    const [first] = await firstSeenMany([parts], windowMs);
    return first ?? false;
  };
  const forget = async (parts: readonly unknown[]) => {
    await db.delete(requestKeys).where(eq(requestKeys.key, fingerprint(parts)));
  };
  return {
    firstSeenMany,
    firstSeen,
    forget,
    async once(dedupe, work) {
      if (!(await firstSeen(dedupe.parts, dedupe.windowMs))) return undefined;
      try {
        return await work();
      } catch (error) {
        await forget(dedupe.parts).catch(() => {});
        throw error;
      }
    },
  };
}

/** The ack path's pool has two connections (see db/client.ts). */
const MAX_BATCHES_IN_FLIGHT = 2;

/**
 * Gathers the checks made in one turn of the event loop into one statement: a burst of a hundred
 * requests costs a round trip or two, not a hundred queued ones, before each is acked.
 */
export function batchFirstSeen(keys: RequestKeys, windowMs: number): (parts: readonly unknown[]) => Promise<boolean> {
  let pending: { parts: readonly unknown[]; resolve(first: boolean): void; reject(error: unknown): void }[] = [];
  let running = 0;
  // Group commit: while as many statements are in flight as the pool has connections, checks wait
  // and go together in the next one, so a burst costs a few round trips, not one queued per tick.
  const flush = () => {
    if (pending.length === 0 || running >= MAX_BATCHES_IN_FLIGHT) return;
    const batch = pending;
    pending = [];
    running += 1;
    keys
      .firstSeenMany(
        batch.map((p) => p.parts),
        windowMs,
      )
      .then(
        (results) => {
          for (const [i, p] of batch.entries()) p.resolve(results[i] ?? false);
        },
        (error: unknown) => {
          for (const p of batch) p.reject(error);
        },
      )
      .finally(() => {
        running -= 1;
        flush();
      });
  };
  return (parts) =>
    new Promise<boolean>((resolve, reject) => {
      if (pending.length === 0) setImmediate(flush);
      pending.push({ parts, resolve, reject });
    });
}
