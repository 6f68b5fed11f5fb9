import { createHash } from 'node:crypto';
import { sql } from 'drizzle-orm';
import type { Clock } from '../clock.ts';
import type { Db } from '../db/client.ts';
import { requestKeys } from './request-keys.table.ts';

export interface RequestKeys {
  /**
   * True the first time `parts` is seen within `windowMs`; false for a retry or a double submit.
   * Atomic across processes: the row is inserted, or refreshed only when the old one has expired.
   */
  firstSeen(parts: readonly unknown[], windowMs: number): Promise<boolean>;
  /** The same for many at once, in one statement; a repeat inside the list counts as seen. */
  firstSeenMany(list: readonly (readonly unknown[])[], windowMs: number): Promise<boolean[]>;
}

const fingerprint = (parts: readonly unknown[]) => createHash('sha256').update(JSON.stringify(parts)).digest('base64url');

export function createRequestKeys({ db, clock }: { db: Db; clock: Clock }): RequestKeys {
  const firstSeenMany = async (list: readonly (readonly unknown[])[], windowMs: number) => {
    const keys = list.map(fingerprint);
    const unique = [...new Set(keys)];
    if (unique.length === 0) return [];
    const now = clock.now();
    const expiredBefore = new Date(now.getTime() - windowMs);
    const rows = await db
      .insert(requestKeys)
      .values(unique.map((key) => ({ key, seenAt: now })))
      .onConflictDoUpdate({
        target: requestKeys.key,
        set: { seenAt: now },
        setWhere: sql`${requestKeys.seenAt} < ${expiredBefore.toISOString()}`,
      })
      .returning({ key: requestKeys.key });
    const fresh = new Set(rows.map((r) => r.key));
    return keys.map((key, i) => fresh.has(key) && keys.indexOf(key) === i);
  };
  return {
    firstSeenMany,
    async firstSeen(parts, windowMs) {
      const [first] = await firstSeenMany([parts], windowMs);
      return first ?? false;
    },
  };
}

/**
 * Gathers the checks made in one turn of the event loop into one statement: a burst of a hundred
 * requests costs a round trip or two, not a hundred queued ones, before each is acked.
 */
export function batchFirstSeen(keys: RequestKeys, windowMs: number): (parts: readonly unknown[]) => Promise<boolean> {
  let pending: { parts: readonly unknown[]; resolve(first: boolean): void; reject(error: unknown): void }[] = [];
  const flush = () => {
    const batch = pending;
    pending = [];
    keys.firstSeenMany(
      batch.map((p) => p.parts),
      windowMs,
    ).then(
      (results) => batch.forEach((p, i) => p.resolve(results[i] ?? false)),
      (error: unknown) => batch.forEach((p) => p.reject(error)),
    );
  };
  return (parts) =>
    new Promise<boolean>((resolve, reject) => {
      if (pending.length === 0) setImmediate(flush);
      pending.push({ parts, resolve, reject });
    });
}
