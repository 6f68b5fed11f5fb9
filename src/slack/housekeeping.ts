import { lt } from 'drizzle-orm';
import type { Feature } from '../deps.ts';
import { requestKeys } from './request-keys.table.ts';

export const OUTBOX_JOB = 'slack.outbox';

/** Re-sends what Slack would not take (every minute), and forgets request fingerprints after a day. */
export const housekeepingFeature: Feature = {
  name: 'housekeeping',
  register(_app, { scheduler, db, messages, logger }) {
    scheduler.register({
      name: OUTBOX_JOB,
      cron: '* * * * *',
      run: async ({ now }) => {
        const counts = await messages.resendDue(now);
        if (counts.sent + counts.pending + counts.failed > 0) logger.info(counts, 'outbox resend');
      },
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
