// Every table, re-exported from the capability that owns it; drizzle-kit reads this file.

export * from '../departments/departments.table.ts';
export * from '../digests/digests.table.ts';
export * from '../escalations/escalations.table.ts';
export * from '../events/events.table.ts';
export * from '../feedback/feedback.table.ts';
export * from '../help-requests/help-requests.table.ts';
export * from '../http/rate-limits.table.ts';
export * from '../knowledge/knowledge.table.ts';
export * from '../rotations/rotations.table.ts';
export * from '../scheduler/scheduler.table.ts';
export * from '../settings/settings.table.ts';
export * from '../slack/outbox.table.ts';
export * from '../slack/request-keys.table.ts';
export * from '../webhooks/webhooks.table.ts';
