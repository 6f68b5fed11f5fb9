// Scheduled work for shadow rotations; the scheduler runs each slot once across processes, and
// every message is also claimed per session in shadow_notices, so overlapping runs send it once.
import type { Deps } from '../deps.ts';
import { planAndAnnounce, type RotationDeps } from './rotations.usecases.ts';
import { postWeeklySchedule, sendNotices } from './sessions.usecases.ts';

export const ROTATION_JOBS = {
  plan: 'rotations.plan',
  notices: 'rotations.notices',
  weeklySchedule: 'rotations.weekly-schedule',
} as const;

export function registerJobs(deps: Deps, useCaseDeps: RotationDeps): void {
  // Jobs reach many people at once: their messages go through the paced client.
  const pacedDeps: RotationDeps = { ...useCaseDeps, messages: deps.messages.paced };
  // Hourly: user groups change, people mark themselves away, the window moves forward.
  deps.scheduler.register({ name: ROTATION_JOBS.plan, cron: '5 * * * *', run: () => planAndAnnounce(pacedDeps) });
  deps.scheduler.register({ name: ROTATION_JOBS.notices, cron: '* * * * *', run: () => sendNotices(pacedDeps) });
  deps.scheduler.register({
    name: ROTATION_JOBS.weeklySchedule,
    cron: '0 9 * * 1',
    run: async () => postWeeklySchedule(pacedDeps, { supportChannel: await deps.workspace.supportChannel.get() }),
  });
}
