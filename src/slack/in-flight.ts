import type { App } from '@slack/bolt';

export interface InFlight {
  /** Resolves when every request being handled has finished, or after `timeoutMs`. */
  drain(timeoutMs: number): Promise<void>;
}

/**
 * Counts the requests Bolt is still handling. Handlers ack Slack first and keep working after, so
 * closing the server is not enough to know they are done: shutdown waits for these.
 */
export function trackInFlight(app: App): InFlight {
  const running = new Set<Promise<void>>();
  app.use(async ({ next }) => {
    const handling = next();
    running.add(handling);
    try {
      await handling;
    } finally {
      running.delete(handling);
    }
  });
  return {
    async drain(timeoutMs) {
      let timer: NodeJS.Timeout | undefined;
      const timeout = new Promise<void>((resolve) => (timer = setTimeout(resolve, timeoutMs)));
      await Promise.race([Promise.allSettled([...running]), timeout]);
      clearTimeout(timer);
    },
  };
}
