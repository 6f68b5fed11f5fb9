import { lt } from 'drizzle-orm';
import type { Feature } from '../deps.ts';
import { EVENT_RETENTION_DAYS, pruneDomainEvents } from '../events/domain-events.ts';
import { requestKeys } from './request-keys.table.ts';

export const OUTBOX_JOB = 'slack.outbox';
export const EVENTS_JOB = 'domain-events.dispatch';

/**
 * Re-sends what Slack would not take and hands on domain events a subscriber failed (every minute);
 * forgets request fingerprints after a day and events after their retention.
 */
export const housekeepingFeature: Feature = {
  name: 'housekeeping',
  register(_app, { scheduler, db, messages, events, logger }) {
    scheduler.register({
      name: OUTBOX_JOB,
      cron: '* * * * *',
      run: async ({ now }) => {
        const counts = await messages.resendDue(now);
        if (counts.sent + counts.pending + counts.failed > 0) logger.info(counts, 'outbox resend');
      },
    });
    scheduler.register({ name: EVENTS_JOB, cron: '* * * * *', run: () => events.dispatch() });
    scheduler.register({
      name: 'domain-events.prune',
      cron: '41 3 * * *',
      run: ({ now }) => pruneDomainEvents(db, new Date(now.getTime() - EVENT_RETENTION_DAYS * 24 * 3600_000)),
    });
    // Retries and double submits come within seconds.
    scheduler.register({
      name: 'request-keys.prune',
      cron: '23 * * * *',
      run: async ({ now }) => {
        await db.delete(requestKeys).where(lt(requestKeys.seenAt, new Date(now.getTime() - 24 * 3600_000)));
      },
    });
  },
};
