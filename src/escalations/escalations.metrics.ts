// The numbers the weekly digest reports about escalations, for one time range, in two indexed queries.
import { and, eq, gte, inArray, isNull, lt, or, type SQL, sql } from 'drizzle-orm';
import type { Db } from '../db/client.ts';
import { escalationEvents, escalationRatings, escalations } from './escalations.table.ts';

export interface TimeRange {
  /** Inclusive. */
  from: Date;
  /** Exclusive. */
  to: Date;
}

export interface EscalationFigures {
  /** Escalations raised in the range (in a department: including those reassigned to it). */
  opened: number;
  resolved: number;
  /** Median minutes from raising to the first claim, over escalations claimed in the range. */
  medianAckMinutes: number | null;
  /** Median minutes from raising to resolution less any time on hold, over escalations resolved in the range. */
  medianResolveMinutes: number | null;
  /** Time on hold of escalations resolved in the range, in minutes, reported apart from the time to resolve. */
  onHoldMinutes: number;
  /** How many of those had been on hold. */
  heldResolved: number;
  /** Resolutions reopened in the range (a department's: of its escalations). */
  reopened: number;
  /** Of escalations raised in the range (not reassigned away), the share that missed the ack or resolve target by the range's end. */
  slaBreachShare: number | null;
  /** Escalations reassigned away in the range: they had been sent to the wrong department. */
  misroutes: number;
  /** Of escalations resolved in the range, those their requester rated. */
  rated: number;
  /** Of those rated, the share rated a thumbs-up; null when none was rated. */
  satisfiedShare: number | null;
}

export interface EscalationMetrics extends EscalationFigures {
  byDepartment: (EscalationFigures & { departmentKey: string })[];
}

const nullableNumber = (value: unknown) => (value === null || value === undefined ? null : Number(value));

/** Opened, resolved, per department, median ack/resolve minutes, SLA breach share and misroutes for `range`. */
export async function escalationMetrics(db: Db, { from, to }: TimeRange): Promise<EscalationMetrics> {
  const lo = sql`${from.toISOString()}::timestamptz`;
  const hi = sql`${to.toISOString()}::timestamptz`;
  const within = (
    column: typeof escalations.createdAt | typeof escalations.claimedAt | typeof escalations.resolvedAt,
  ) => sql`(${column} >= ${lo} and ${column} < ${hi})`;
  const e = escalations;
  const counted = sql`${within(e.createdAt)} and ${e.status} <> 'reassigned'`;
  // An escalation on hold at the range's end is measured up to its hold: its clocks are stopped.
  const breached = sql`(least(coalesce(${e.claimedAt}, ${hi}), ${hi}) > ${e.ackDueAt} or least(coalesce(${e.resolvedAt}, ${e.holdSince}, ${hi}), ${hi}) > ${e.resolveDueAt})`;
  const median = (minutes: SQL, filter: SQL) =>
    sql`percentile_cont(0.5) within group (order by ${minutes}) filter (where ${filter})`.mapWith(nullableNumber);
  const minutesSinceRaised = (end: SQL) => sql`extract(epoch from ${end} - ${e.createdAt}) / 60`;
  const heldMinutes = sql`${e.heldMs} / 60000.0`;

  const rows = await db
    .select({
      departmentKey: e.departmentKey,
      isTotal: sql`grouping(${e.departmentKey}) = 1`.mapWith(Boolean),
      opened: sql`count(*) filter (where ${within(e.createdAt)})`.mapWith(Number),
      openedNew: sql`count(*) filter (where ${within(e.createdAt)} and ${e.reassignedFromId} is null)`.mapWith(Number),
      resolved: sql`count(*) filter (where ${within(e.resolvedAt)})`.mapWith(Number),
      medianAckMinutes: median(minutesSinceRaised(sql`${e.claimedAt}`), within(e.claimedAt)),
      medianResolveMinutes: median(
        sql`${minutesSinceRaised(sql`${e.resolvedAt}`)} - ${heldMinutes}`,
        within(e.resolvedAt),
      ),
      onHoldMinutes: sql`coalesce(sum(${heldMinutes}) filter (where ${within(e.resolvedAt)}), 0)`.mapWith(Number),
      heldResolved: sql`count(*) filter (where ${within(e.resolvedAt)} and ${e.heldMs} > 0)`.mapWith(Number),
      slaCounted: sql`count(*) filter (where ${counted})`.mapWith(Number),
      slaBreached: sql`count(*) filter (where ${counted} and ${breached})`.mapWith(Number),
    })
    .from(e)
    .where(or(within(e.createdAt), within(e.claimedAt), within(e.resolvedAt)))
    .groupBy(sql`grouping sets ((${e.departmentKey}), ())`);

  const misrouteRows = await db
    .select({ departmentKey: sql<string>`${escalationEvents.detail} ->> 'from'`, count: sql`count(*)`.mapWith(Number) })
    .from(escalationEvents)
    .where(and(eq(escalationEvents.kind, 'reassigned'), gte(escalationEvents.at, from), lt(escalationEvents.at, to)))
    .groupBy(sql`1`);
  const misroutes = new Map(misrouteRows.map((r) => [r.departmentKey, r.count]));

  const r = escalationRatings;
  const ratingRows = await db
    .select({
      departmentKey: e.departmentKey,
      isTotal: sql`grouping(${e.departmentKey}) = 1`.mapWith(Boolean),
      rated: sql`count(*)`.mapWith(Number),
      good: sql`count(*) filter (where ${r.rating} = 'good')`.mapWith(Number),
    })
    .from(r)
    .innerJoin(e, eq(e.id, r.escalationId))
    .where(within(e.resolvedAt))
    .groupBy(sql`grouping sets ((${e.departmentKey}), ())`);
  const ratingsOf = (key: string | null) => {
    const row = ratingRows.find((x) => (key === null ? x.isTotal : !x.isTotal && x.departmentKey === key));
    return { rated: row?.rated ?? 0, satisfiedShare: row && row.rated > 0 ? row.good / row.rated : null };
  };

  const reopenRows = await db
    .select({ departmentKey: e.departmentKey, count: sql`count(*)`.mapWith(Number) })
    .from(escalationEvents)
    .innerJoin(e, eq(e.id, escalationEvents.escalationId))
    .where(and(eq(escalationEvents.kind, 'reopened'), gte(escalationEvents.at, from), lt(escalationEvents.at, to)))
    .groupBy(e.departmentKey);
  const reopens = new Map(reopenRows.map((r) => [r.departmentKey, r.count]));
  const sum = (counts: Map<string, number>) => [...counts.values()].reduce((a, b) => a + b, 0);

  const figures = (
    r: (typeof rows)[number] | undefined,
    opened: number,
    misrouted: number,
    reopened: number,
    key: string | null,
  ): EscalationFigures => ({
    opened,
    resolved: r?.resolved ?? 0,
    medianAckMinutes: r?.medianAckMinutes ?? null,
    medianResolveMinutes: r?.medianResolveMinutes ?? null,
    onHoldMinutes: r?.onHoldMinutes ?? 0,
    heldResolved: r?.heldResolved ?? 0,
    slaBreachShare: r && r.slaCounted > 0 ? r.slaBreached / r.slaCounted : null,
    misroutes: misrouted,
    reopened,
    ...ratingsOf(key),
  });
  const total = rows.find((r) => r.isTotal);
  const keys = new Set([
    ...rows.filter((r) => !r.isTotal).map((r) => r.departmentKey),
    ...misroutes.keys(),
    ...reopens.keys(),
  ]);
  const byDepartment = [...keys].sort().map((key) => {
    const r = rows.find((row) => !row.isTotal && row.departmentKey === key);
    return {
      departmentKey: key,
      ...figures(r, r?.opened ?? 0, misroutes.get(key) ?? 0, reopens.get(key) ?? 0, key),
    };
  });
  return { ...figures(total, total?.openedNew ?? 0, sum(misroutes), sum(reopens), null), byDepartment };
}

/**
 * Escalations opened (not counting a reassignment's continuation) in each of `weeks`, in order,
 * for the digest chart. Reads only those weeks, through the created_at index.
 */
export async function weeklyOpened(db: Db, weeks: { start: Date; end: Date }[]): Promise<number[]> {
  if (weeks.length === 0) return [];
  const bounds = [...weeks.map((w) => w.start), weeks.at(-1)!.end];
  const thresholds = sql`array[${sql.join(
    bounds.map((b) => sql`${b.toISOString()}::timestamptz`),
    sql`, `,
  )}]`;
  const rows = await db
    .select({
      bucket: sql`width_bucket(${escalations.createdAt}, ${thresholds})`.mapWith(Number),
      count: sql`count(*)`.mapWith(Number),
    })
    .from(escalations)
    .where(
      and(
        gte(escalations.createdAt, bounds[0]!),
        lt(escalations.createdAt, bounds.at(-1)!),
        sql`${escalations.reassignedFromId} is null`,
      ),
    )
    .groupBy(sql`1`);
  const counts = weeks.map(() => 0);
  // width_bucket numbers the week starting at bounds[i] as i + 1.
  for (const r of rows) counts[r.bucket - 1] = r.count;
  return counts;
}

/** Of the escalations first sent to a department and settled in a range: how many it resolved itself. */
export interface RoutingAccuracy {
  departmentKey: string;
  /** Resolved by the team first sent to. */
  rightFirstTime: number;
  /** Resolved there, or reassigned away, in the range. */
  settled: number;
}

/** Routing accuracy per department: first sends resolved there, against first sends settled (resolved or moved). */
export async function routingAccuracy(db: Db, { from, to }: TimeRange): Promise<RoutingAccuracy[]> {
  const settledAt = sql`case when ${escalations.status} = 'resolved' then ${escalations.resolvedAt} else ${escalations.updatedAt} end`;
  const rows = await db
    .select({
      departmentKey: escalations.departmentKey,
      rightFirstTime: sql<number>`count(*) filter (where ${escalations.status} = 'resolved')`.mapWith(Number),
      settled: sql<number>`count(*)`.mapWith(Number),
    })
    .from(escalations)
    .where(
      and(
        isNull(escalations.reassignedFromId),
        inArray(escalations.status, ['resolved', 'reassigned']),
        gte(settledAt, sql`${from.toISOString()}::timestamptz`),
        lt(settledAt, sql`${to.toISOString()}::timestamptz`),
      ),
    )
    .groupBy(escalations.departmentKey);
  return rows;
}
