import { sql } from 'drizzle-orm';
import {
  bigint,
  index,
  integer,
  jsonb,
  pgTable,
  primaryKey,
  text,
  timestamp,
  uniqueIndex,
  uuid,
} from 'drizzle-orm/pg-core';
import type { Priority } from '../departments/departments.models.ts';
import type {
  EscalationEventKind,
  EscalationFields,
  EscalationStatus,
  RaisedVia,
  Rating,
  ReminderThreshold,
} from './escalations.models.ts';

/** One customer issue handed to a department. A reassignment closes this row and opens a new one. */
export const escalations = pgTable(
  'escalations',
  {
    id: uuid('id').primaryKey().defaultRandom(),
    /** The short reference people quote (ESC-42); its own sequence, numbered in order of creation. */
    number: integer('number').notNull().generatedByDefaultAsIdentity(),
    departmentKey: text('department_key').notNull(),
    priority: text('priority').$type<Priority>().notNull(),
    customer: text('customer'),
    summary: text('summary').notNull(),
    details: text('details'),
    link: text('link'),
    /** Who raised it, in Slack; null when raised through the API for someone not in Slack. */
    requesterId: text('requester_id'),
    /** The requester's address when raised through the API for someone not in Slack. */
    requesterEmail: text('requester_email'),
    raisedVia: text('raised_via').$type<RaisedVia>().notNull().default('slack'),
    /** The caller's own id for it (a helpdesk ticket): the same id again finds this escalation. */
    externalId: text('external_id'),
    /** Extra fields the caller sent, stored as given and shown on the card. */
    fields: jsonb('fields').$type<EscalationFields>(),
    /** The triage tree's options picked before the form (Payment problem, Charged twice); empty when none. */
    triagePath: text('triage_path').array().notNull().default(sql`'{}'::text[]`),
    /** Where the department's message was posted; null until Slack accepted it. */
    channelId: text('channel_id'),
    messageTs: text('message_ts'),
    /** Link to that message, kept so lists and Home need no Slack call per row. */
    messageUrl: text('message_url'),
    status: text('status').$type<EscalationStatus>().notNull().default('open'),
    claimerId: text('claimer_id'),
    /** Who round-robin gave it to; anyone may still claim it, and they may hand it back (then null). */
    assigneeId: text('assignee_id'),
    claimedAt: timestamp('claimed_at', { withTimezone: true }),
    resolvedBy: text('resolved_by'),
    resolvedAt: timestamp('resolved_at', { withTimezone: true }),
    resolution: text('resolution'),
    ackDueAt: timestamp('ack_due_at', { withTimezone: true }).notNull(),
    /** Twice the acknowledge target: unclaimed past this, the leads get a DM. */
    ackAlertAt: timestamp('ack_alert_at', { withTimezone: true }).notNull(),
    resolveDueAt: timestamp('resolve_due_at', { withTimezone: true }).notNull(),
    /** While on hold: why, as typed or chosen, since when, and the day it comes back by itself, if given. */
    holdReason: text('hold_reason'),
    holdSince: timestamp('hold_since', { withTimezone: true }),
    holdUntil: timestamp('hold_until', { withTimezone: true }),
    /** Time on hold in all, finished holds only (the current one runs from holdSince). */
    heldMs: bigint('held_ms', { mode: 'number' }).notNull().default(0),
    /** Resolved: until when it may be reopened; cleared (and the card redrawn) once that has passed. */
    reopenableUntil: timestamp('reopenable_until', { withTimezone: true }),
    reassignedFromId: uuid('reassigned_from_id'),
    reassignedToId: uuid('reassigned_to_id'),
    createdAt: timestamp('created_at', { withTimezone: true }).notNull(),
    updatedAt: timestamp('updated_at', { withTimezone: true }).notNull(),
  },
  (t) => [
    uniqueIndex('escalations_number_idx').on(t.number),
    uniqueIndex('escalations_external_id_idx').on(t.externalId),
    index('escalations_created_at_idx').on(t.createdAt),
    index('escalations_resolved_at_idx').on(t.resolvedAt),
    index('escalations_claimed_at_idx').on(t.claimedAt),
    index('escalations_queue_idx').on(t.departmentKey, t.status, t.createdAt),
    index('escalations_requester_idx').on(t.requesterId, t.status),
    index('escalations_claimer_idx').on(t.claimerId, t.status),
    index('escalations_live_idx').on(t.ackDueAt).where(sql`${t.status} in ('open', 'claimed')`),
    index('escalations_message_idx').on(t.channelId, t.messageTs),
    index('escalations_hold_until_idx').on(t.holdUntil).where(sql`${t.status} = 'on_hold'`),
    index('escalations_reopenable_idx').on(t.reopenableUntil).where(sql`${t.reopenableUntil} is not null`),
  ],
);

/** Every state change, in order: who did what, when. */
export const escalationEvents = pgTable(
  'escalation_events',
  {
    id: uuid('id').primaryKey().defaultRandom(),
    escalationId: uuid('escalation_id')
      .notNull()
      .references(() => escalations.id),
    kind: text('kind').$type<EscalationEventKind>().notNull(),
    actorId: text('actor_id').notNull(),
    at: timestamp('at', { withTimezone: true }).notNull(),
    detail: jsonb('detail').$type<Record<string, string>>(),
  },
  (t) => [
    index('escalation_events_escalation_idx').on(t.escalationId, t.at),
    index('escalation_events_kind_at_idx').on(t.kind, t.at),
  ],
);

/** One row per reminder sent: the primary key makes each threshold fire once across processes. */
export const escalationReminders = pgTable(
  'escalation_reminders',
  {
    escalationId: uuid('escalation_id')
      .notNull()
      .references(() => escalations.id),
    threshold: text('threshold').$type<ReminderThreshold>().notNull(),
    sentAt: timestamp('sent_at', { withTimezone: true }).notNull(),
  },
  (t) => [primaryKey({ columns: [t.escalationId, t.threshold] })],
);

/** Per department, whose round-robin turn was last: the next new escalation goes to the member after them. */
export const escalationRoundRobin = pgTable('escalation_round_robin', {
  departmentKey: text('department_key').primaryKey(),
  /** Null until the first turn. */
  lastUserId: text('last_user_id'),
  updatedAt: timestamp('updated_at', { withTimezone: true }).notNull(),
});

/** The requester's answer to "How was this handled?": one per escalation, the latest answer counts. */
export const escalationRatings = pgTable('escalation_ratings', {
  escalationId: uuid('escalation_id')
    .primaryKey()
    .references(() => escalations.id),
  requesterId: text('requester_id').notNull(),
  rating: text('rating').$type<Rating>().notNull(),
  /** What went wrong, from the thumbs-down form; sent to the department's leads. */
  comment: text('comment'),
  ratedAt: timestamp('rated_at', { withTimezone: true }).notNull(),
});
