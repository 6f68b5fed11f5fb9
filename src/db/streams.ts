// Ordered streams of rows waiting to be sent, shared by the Slack outbox and webhook deliveries: a row
// goes only when no earlier row of its stream is still pending, and whoever sends the head of a stream
// also sends what queued behind it. Each table has a text key, a `seq` (insertion order), a `stream`,
// a `status` ('pending' while waiting) and a `next_attempt_at`.
import { and, asc, eq, lte, type SQL, sql } from 'drizzle-orm';
import type { PgColumn, PgTable } from 'drizzle-orm/pg-core';
import type { Db } from './client.ts';

export interface StreamTable {
  table: PgTable;
  key: PgColumn;
  seq: PgColumn;
  stream: PgColumn;
  status: PgColumn;
  nextAttemptAt: PgColumn;
}

export interface StreamQueries {
  /** An earlier row of the same stream still waiting: this one must not overtake it. */
  waitsForEarlier(row: { stream: string; seq: number }): Promise<boolean>;
  /** The next row due in a stream whose head was just sent. */
  nextDue(stream: string, now: Date): Promise<string | undefined>;
  /** The keys of pending rows that head their stream and meet `due`, oldest first. */
  dueHeads(due: SQL | undefined, limit: number): Promise<string[]>;
  /**
   * When the first pending row that heads its stream (and meets `where`) falls due. A row behind
   * another of its stream goes only after it, whatever its own time says.
   */
  nextDueAt(where?: SQL): Promise<Date | undefined>;
}

export function createStreamQueries(db: Db, t: StreamTable): StreamQueries {
  const pending = eq(t.status, 'pending');
  /** No pending row of the outer row's stream comes before it. */
  const headsItsStream = sql`not exists (select 1 from ${t.table} as earlier
    where earlier.${sql.identifier(t.stream.name)} = ${t.stream}
      and earlier.${sql.identifier(t.status.name)} = 'pending'
      and earlier.${sql.identifier(t.seq.name)} < ${t.seq})`;
  const keys = async (where: SQL | undefined, limit: number) =>
    (await db.select({ key: t.key }).from(t.table).where(where).orderBy(asc(t.seq)).limit(limit)).map((r) =>
      String(r.key),
    );
  return {
    async waitsForEarlier(row) {
      const earlier = await keys(and(eq(t.stream, row.stream), pending, sql`${t.seq} < ${row.seq}`), 1);
      return earlier.length > 0;
    },
    async nextDue(stream, now) {
      return (await keys(and(eq(t.stream, stream), pending, lte(t.nextAttemptAt, now)), 1))[0];
    },
    dueHeads: (due, limit) => keys(and(pending, due, headsItsStream), limit),
    async nextDueAt(where) {
      const [row] = await db
        .select({ at: sql<Date | null>`min(${t.nextAttemptAt})`.mapWith((value: string | Date) => new Date(value)) })
        .from(t.table)
        .where(and(pending, where, headsItsStream));
      return row?.at ?? undefined;
    },
  };
}

/**
 * Sends one row, then the rows of its stream that were waiting behind it; returns the first row's
 * outcome. `emptied` gives the stream of a send that emptied its row (what queued behind may follow).
 */
export async function drainStream<O>(
  sendOne: (key: string) => Promise<O>,
  emptied: (outcome: O) => string | undefined,
  nextDue: (stream: string) => Promise<string | undefined>,
  key: string,
): Promise<O> {
  const outcome = await sendOne(key);
  for (let stream = emptied(outcome); stream; ) {
    const next = await nextDue(stream);
    if (!next) break;
    stream = emptied(await sendOne(next));
  }
  return outcome;
}

/** Exponential backoff: `baseMs` after the first failure, doubling, never over `maxMs`. */
export const backoffMs = (attempts: number, { baseMs, maxMs }: { baseMs: number; maxMs: number }) =>
  Math.min(maxMs, baseMs * 2 ** Math.min(Math.max(attempts - 1, 0), 30));
