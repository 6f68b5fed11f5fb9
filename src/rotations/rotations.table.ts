import { sql } from 'drizzle-orm';
import { boolean, index, integer, pgTable, primaryKey, text, timestamp, uniqueIndex } from 'drizzle-orm/pg-core';
import type { Cadence, SessionStatus } from './rotations.models.ts';

/** A shadow rotation: who shadows the support team, when, and how far ahead it is planned. */
export const rotations = pgTable(
  'rotations',
  {
    id: integer('id').primaryKey().generatedAlwaysAsIdentity(),
    name: text('name').notNull(),
    cadence: text('cadence').$type<Cadence>().notNull(),
    /** ISO weekday, 1 = Monday. */
    weekday: integer('weekday').notNull(),
    /** Local start time, HH:MM in `timezone`. */
    startTime: text('start_time').notNull(),
    durationMinutes: integer('duration_minutes').notNull(),
    timezone: text('timezone').notNull(),
    shadowsPerSession: integer('shadows_per_session').notNull().default(1),
    planAheadWeeks: integer('plan_ahead_weeks').notNull().default(8),
    paused: boolean('paused').notNull().default(false),
    /** Slack user group whose members are participants (re-read before each planning run). */
    usergroupId: text('usergroup_id'),
    /** First date sessions may fall on; biweekly rotations count fortnights from it. */
    anchorDate: text('anchor_date').notNull(),
    createdBy: text('created_by').notNull(),
    createdAt: timestamp('created_at', { withTimezone: true }).notNull().defaultNow(),
    updatedAt: timestamp('updated_at', { withTimezone: true }).notNull().defaultNow(),
    deletedAt: timestamp('deleted_at', { withTimezone: true }),
  },
  (t) => [uniqueIndex('rotations_name_live').on(sql`lower(${t.name})`).where(sql`${t.deletedAt} is null`)],
);

/** Members of a rotation; people who leave keep their row (and history) with `leftAt` set. */
export const rotationParticipants = pgTable(
  'rotation_participants',
  {
    rotationId: integer('rotation_id')
      .notNull()
      .references(() => rotations.id, { onDelete: 'cascade' }),
    userId: text('user_id').notNull(),
    /** Picked by name in the modal, or a member of the rotation's user group. */
    viaUsergroup: boolean('via_usergroup').notNull().default(false),
    viaDirect: boolean('via_direct').notNull().default(false),
    /** Turns credited on joining, so newcomers start level with the current round (no burst). */
    baselineTurns: integer('baseline_turns').notNull().default(0),
    joinedAt: timestamp('joined_at', { withTimezone: true }).notNull(),
    leftAt: timestamp('left_at', { withTimezone: true }),
  },
  (t) => [primaryKey({ columns: [t.rotationId, t.userId] }), index('rotation_participants_user').on(t.userId)],
);

export const rotationHosts = pgTable(
  'rotation_hosts',
  {
    rotationId: integer('rotation_id')
      .notNull()
      .references(() => rotations.id, { onDelete: 'cascade' }),
    userId: text('user_id').notNull(),
  },
  (t) => [primaryKey({ columns: [t.rotationId, t.userId] })],
);

/** Days someone cannot shadow (any rotation): `/shadow away`. Inclusive local dates. */
export const shadowAway = pgTable(
  'shadow_away',
  {
    id: integer('id').primaryKey().generatedAlwaysAsIdentity(),
    userId: text('user_id').notNull(),
    fromDate: text('from_date').notNull(),
    toDate: text('to_date').notNull(),
    createdAt: timestamp('created_at', { withTimezone: true }).notNull().defaultNow(),
  },
  (t) => [index('shadow_away_user').on(t.userId, t.toDate)],
);

/** People who opted out of shadowing (every rotation), with their reason. */
export const shadowOptOuts = pgTable('shadow_opt_outs', {
  userId: text('user_id').primaryKey(),
  reason: text('reason'),
  optedOutAt: timestamp('opted_out_at', { withTimezone: true }).notNull(),
});

/** One shadow's seat in one session. A declined or cancelled seat stays for history and fairness. */
export const shadowSessions = pgTable(
  'shadow_sessions',
  {
    id: integer('id').primaryKey().generatedAlwaysAsIdentity(),
    rotationId: integer('rotation_id')
      .notNull()
      .references(() => rotations.id, { onDelete: 'cascade' }),
    startsAt: timestamp('starts_at', { withTimezone: true }).notNull(),
    /** Local date of the session in the rotation's zone (what away ranges compare with). */
    localDate: text('local_date').notNull(),
    durationMinutes: integer('duration_minutes').notNull(),
    seat: integer('seat').notNull(),
    hostId: text('host_id').notNull(),
    shadowId: text('shadow_id').notNull(),
    status: text('status').$type<SessionStatus>().notNull(),
    /** When the seat first appeared in its shadow's sessions message (a seat withdrawn after that is shown struck out). */
    offeredAt: timestamp('offered_at', { withTimezone: true }),
    createdAt: timestamp('created_at', { withTimezone: true }).notNull().defaultNow(),
    updatedAt: timestamp('updated_at', { withTimezone: true }).notNull().defaultNow(),
  },
  (t) => [
    // One live holder per seat: concurrent planners or double clicks cannot both fill it.
    uniqueIndex('shadow_sessions_live_seat')
      .on(t.rotationId, t.startsAt, t.seat)
      .where(sql`${t.status} not in ('declined', 'cancelled')`),
    index('shadow_sessions_shadow').on(t.shadowId, t.startsAt),
    index('shadow_sessions_starts').on(t.startsAt),
    index('shadow_sessions_rotation').on(t.rotationId, t.startsAt),
  ],
);

/** The shadow's reflection after a session. */
export const shadowReflections = pgTable('shadow_reflections', {
  sessionId: integer('session_id')
    .primaryKey()
    .references(() => shadowSessions.id, { onDelete: 'cascade' }),
  userId: text('user_id').notNull(),
  surprised: text('surprised').notNull(),
  fix: text('fix').notNull(),
  usefulness: integer('usefulness').notNull(),
  createdAt: timestamp('created_at', { withTimezone: true }).notNull(),
});

/** Notices sent about a session, one row per kind and recipient, so each goes out once across processes. */
export const shadowNotices = pgTable(
  'shadow_notices',
  {
    sessionId: integer('session_id')
      .notNull()
      .references(() => shadowSessions.id, { onDelete: 'cascade' }),
    kind: text('kind').notNull(),
    recipient: text('recipient').notNull(),
    sentAt: timestamp('sent_at', { withTimezone: true }).notNull(),
  },
  (t) => [primaryKey({ columns: [t.sessionId, t.kind, t.recipient] })],
);

/**
 * Where the messages that mirror sessions landed (a person's sessions message, a host's message
 * about one session), so every change edits the same message, across restarts.
 */
export const shadowMessages = pgTable(
  'shadow_messages',
  {
    /** The outbox mirror that draws the message. */
    mirror: text('mirror').notNull(),
    /** What it mirrors: a user ID, or rotation, start and host of one session. */
    ref: text('ref').notNull(),
    channel: text('channel').notNull(),
    ts: text('ts').notNull(),
    postedAt: timestamp('posted_at', { withTimezone: true }).notNull(),
  },
  (t) => [primaryKey({ columns: [t.mirror, t.ref] })],
);
