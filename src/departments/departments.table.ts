import { sql } from 'drizzle-orm';
import { integer, jsonb, pgTable, text, timestamp } from 'drizzle-orm/pg-core';
import type { IntakeField, SlaTargets } from './departments.models.ts';

/** The directory every feature routes to; removed departments are archived so history keeps its names. */
export const departments = pgTable('departments', {
  key: text('key').primaryKey(),
  name: text('name').notNull(),
  channelId: text('channel_id').notNull(),
  leads: text('leads').array().notNull().default(sql`'{}'::text[]`),
  keywords: text('keywords').array().notNull().default(sql`'{}'::text[]`),
  sla: jsonb('sla').$type<SlaTargets>().notNull(),
  /** What the escalation form asks for this team, in order. */
  intakeFields: jsonb('intake_fields').$type<IntakeField[]>().notNull().default([]),
  /** The user group (S…) an urgent escalation mentions; null means the leads. */
  oncallGroupId: text('oncall_group_id'),
  /** ISO weekdays (1 = Monday … 7 = Sunday) the department works. */
  workDays: integer('work_days').array().notNull().default(sql`'{1,2,3,4,5}'::integer[]`),
  workStart: text('work_start').notNull().default('09:00'),
  workEnd: text('work_end').notNull().default('17:00'),
  /** IANA zone of the working hours; null means the workspace zone. */
  timezone: text('timezone'),
  /** Local dates (YYYY-MM-DD) the department does not work, besides the workspace's holidays. */
  holidays: text('holidays').array().notNull().default(sql`'{}'::text[]`),
  /** The Slack user group new escalations are assigned to in turn; null: they wait in the queue. */
  roundRobinGroup: text('round_robin_group'),
  /** The group's handle as the admin typed it (billing-team), to name it without a mention that pings. */
  roundRobinHandle: text('round_robin_handle'),
  createdAt: timestamp('created_at', { withTimezone: true }).notNull().defaultNow(),
  updatedAt: timestamp('updated_at', { withTimezone: true }).notNull().defaultNow(),
  archivedAt: timestamp('archived_at', { withTimezone: true }),
});
