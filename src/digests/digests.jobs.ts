import type { Deps } from '../deps.ts';
import type { Setting } from '../settings/settings.ts';
import { DEFAULT_DIGEST_CRON } from './digests.models.ts';
import { type DigestDeps, sendDueDigest } from './digests.usecases.ts';

export interface DigestSchedule {
  cron: string;
  /** When it was set: slots before it are not caught up (a new schedule must not fire at once). */
  since: string;
}

export const DIGEST_JOB = 'digests.weekly';

/**
 * Checks every minute whether a digest slot is due, so a changed schedule applies without a
 * restart and a slot missed while the app was down is sent on the first check after it starts.
 */
export function registerDigestJob(deps: Deps, useCaseDeps: DigestDeps, schedule: Setting<DigestSchedule>): void {
  deps.scheduler.register({
    name: DIGEST_JOB,
    cron: '* * * * *',
    run: async ({ now }) => {
      const stored = await schedule.get();
      await sendDueDigest(useCaseDeps, {
        schedule: stored
          ? { cron: stored.cron, since: new Date(stored.since) }
          : { cron: DEFAULT_DIGEST_CRON, since: deps.installedAt },
        now,
      });
    },
  });
}
