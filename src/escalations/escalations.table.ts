import { sql } from 'drizzle-orm';
import { index, jsonb, pgTable, primaryKey, text, timestamp, uuid } from 'drizzle-orm/pg-core';
import type { Priority } from '../departments/departments.models.ts';
import type { EscalationEventKind, EscalationStatus, ReminderThreshold } from './escalations.models.ts';

/** One customer issue handed to a department. A reassignment closes this row and opens a new one. */
export const escalations = pgTable(
  'escalations',
  {
    id: uuid('id').primaryKey().defaultRandom(),
    departmentKey: text('department_key').notNull(),
    priority: text('priority').$type<Priority>().notNull(),
    customer: text('customer'),
    summary: text('summary').notNull(),
    details: text('details'),
    link: text('link'),
    requesterId: text('requester_id').notNull(),
    /** Where the department's message was posted; null until Slack accepted it. */
    channelId: text('channel_id'),
    messageTs: text('message_ts'),
    /** Link to that message, kept so lists and Home need no Slack call per row. */
    messageUrl: text('message_url'),
    status: text('status').$type<EscalationStatus>().notNull().default('open'),
    claimerId: text('claimer_id'),
    claimedAt: timestamp('claimed_at', { withTimezone: true }),
    resolvedBy: text('resolved_by'),
    resolvedAt: timestamp('resolved_at', { withTimezone: true }),
    resolution: text('resolution'),
    ackDueAt: timestamp('ack_due_at', { withTimezone: true }).notNull(),
    /** Twice the acknowledge target: unclaimed past this, the leads get a DM. */
    ackAlertAt: timestamp('ack_alert_at', { withTimezone: true }).notNull(),
    resolveDueAt: timestamp('resolve_due_at', { withTimezone: true }).notNull(),
    reassignedFromId: uuid('reassigned_from_id'),
    reassignedToId: uuid('reassigned_to_id'),
    createdAt: timestamp('created_at', { withTimezone: true }).notNull(),
    updatedAt: timestamp('updated_at', { withTimezone: true }).notNull(),
  },
  (t) => [
    index('escalations_created_at_idx').on(t.createdAt),
    index('escalations_resolved_at_idx').on(t.resolvedAt),
    index('escalations_claimed_at_idx').on(t.claimedAt),
    index('escalations_queue_idx').on(t.departmentKey, t.status, t.createdAt),
    index('escalations_requester_idx').on(t.requesterId, t.status),
    index('escalations_claimer_idx').on(t.claimerId, t.status),
    index('escalations_live_idx').on(t.ackDueAt).where(sql`${t.status} in ('open', 'claimed')`),
  ],
);

/** Every state change, in order: who did what, when. */
export const escalationEvents = pgTable(
  'escalation_events',
  {
    id: uuid('id').primaryKey().defaultRandom(),
    escalationId: uuid('escalation_id').notNull().references(() => escalations.id),
    kind: text('kind').$type<EscalationEventKind>().notNull(),
    actorId: text('actor_id').notNull(),
    at: timestamp('at', { withTimezone: true }).notNull(),
    detail: jsonb('detail').$type<Record<string, string>>(),
  },
  (t) => [index('escalation_events_escalation_idx').on(t.escalationId, t.at), index('escalation_events_kind_at_idx').on(t.kind, t.at)],
);

/** One row per reminder sent: the primary key makes each threshold fire once across processes. */
export const escalationReminders = pgTable(
  'escalation_reminders',
  {
    escalationId: uuid('escalation_id').notNull().references(() => escalations.id),
    threshold: text('threshold').$type<ReminderThreshold>().notNull(),
    sentAt: timestamp('sent_at', { withTimezone: true }).notNull(),
  },
  (t) => [primaryKey({ columns: [t.escalationId, t.threshold] })],
);
