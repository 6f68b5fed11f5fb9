// A row kept to be sent later (a backoff, a wait for its card, a post that may still be landing) is
// often due within the minute: waiting for the next minute's job would delay it by up to a minute.
// A wake is one timer that runs the sender when the earliest such row falls due.
import type { Clock } from '../clock.ts';
import type { Logger } from '../logger.ts';

/** Beyond this the minute's job comes first. */
const WAKE_HORIZON_MS = 60_000;
// A row due but held by another sender is still due after a run: it is tried again a second later, not at once.
const MIN_DELAY_MS = 1_000;

export interface Wake {
  /** Runs the sender at `when` (a clock time), unless a run is planned sooner; a time beyond the horizon is left to the minute's job. */
  at(when: Date | undefined): void;
  /** Plans no more runs and waits for one under way. */
  stop(): Promise<void>;
}

/** One timer at a time, always for the earliest time asked for; `send` is expected to plan the next. */
export function createWake({
  clock,
  logger,
  send,
}: {
  clock: Clock;
  logger: Logger;
  send: () => Promise<unknown>;
}): Wake {
  let timer: NodeJS.Timeout | undefined;
  let plannedAt = Number.POSITIVE_INFINITY;
  let stopped = false;
  const running = new Set<Promise<unknown>>();

  const run = () => {
    timer = undefined;
    plannedAt = Number.POSITIVE_INFINITY;
    const sending = send()
      .catch((error: unknown) => logger.warn({ err: error }, 'could not send what fell due'))
      .finally(() => running.delete(sending));
    running.add(sending);
  };

  return {
    at(when) {
      if (stopped || !when) return;
      const now = clock.now().getTime();
      const due = Math.max(when.getTime(), now + MIN_DELAY_MS);
      if (due - now > WAKE_HORIZON_MS || due >= plannedAt) return;
      clearTimeout(timer);
      plannedAt = due;
      // Unref'd: a planned send never keeps the process alive on its own.
      timer = setTimeout(run, due - now).unref();
    },
    async stop() {
      stopped = true;
      clearTimeout(timer);
      await Promise.all(running);
    },
  };
}
