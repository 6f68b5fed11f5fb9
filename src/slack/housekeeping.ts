import { lt } from 'drizzle-orm';
import type { Feature } from '../deps.ts';
import { requestKeys } from './request-keys.table.ts';

/** Forgets request fingerprints after a day: retries and double submits come within seconds. */
export const housekeepingFeature: Feature = {
  name: 'housekeeping',
  register(_app, { scheduler, db }) {
    scheduler.register({
      name: 'request-keys.prune',
      cron: '23 * * * *',
      run: async ({ now }) => {
        await db.delete(requestKeys).where(lt(requestKeys.seenAt, new Date(now.getTime() - 24 * 3600_000)));
      },
    });
  },
};
