import { sql } from 'drizzle-orm';
import { integer, jsonb, pgTable, text, timestamp } from 'drizzle-orm/pg-core';
import type { SlaTargets } from './departments.models.ts';

/** The directory every feature routes to; removed departments are archived so history keeps its names. */
export const departments = pgTable('departments', {
  key: text('key').primaryKey(),
  name: text('name').notNull(),
  channelId: text('channel_id').notNull(),
  leads: text('leads').array().notNull().default(sql`'{}'::text[]`),
  keywords: text('keywords').array().notNull().default(sql`'{}'::text[]`),
  sla: jsonb('sla').$type<SlaTargets>().notNull(),
  /** ISO weekdays (1 = Monday … 7 = Sunday) the department works. */
  workDays: integer('work_days').array().notNull().default(sql`'{1,2,3,4,5}'::integer[]`),
  workStart: text('work_start').notNull().default('09:00'),
  workEnd: text('work_end').notNull().default('17:00'),
  /** IANA zone of the working hours; null means the workspace zone. */
  timezone: text('timezone'),
  createdAt: timestamp('created_at', { withTimezone: true }).notNull().defaultNow(),
  updatedAt: timestamp('updated_at', { withTimezone: true }).notNull().defaultNow(),
  archivedAt: timestamp('archived_at', { withTimezone: true }),
});
