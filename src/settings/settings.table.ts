import { jsonb, pgTable, text, timestamp } from 'drizzle-orm/pg-core';

/** Workspace-wide settings (`/frontline set …`), one row per setting name. */
export const workspaceSettings = pgTable('workspace_settings', {
  name: text('name').primaryKey(),
  value: jsonb('value').notNull(),
  updatedBy: text('updated_by'),
  updatedAt: timestamp('updated_at', { withTimezone: true }).notNull().defaultNow(),
});
