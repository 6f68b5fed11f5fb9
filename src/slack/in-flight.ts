import type { App } from '@slack/bolt';

export interface InFlight {
  /** Resolves when every request being handled has finished, or after `timeoutMs`. */
  drain(timeoutMs: number): Promise<void>;
}

/**
 * Counts the requests Bolt is still handling. Handlers ack Slack first and keep working after, so
 * closing the server is not enough to know they are done: shutdown waits for these. It wraps
 * `processEvent` rather than adding a middleware: a request whose work waits its turn keeps every
 * middleware's frame alive until then.
 */
export function trackInFlight(app: App): InFlight {
  const running = new Set<Promise<void>>();
  const process = app.processEvent.bind(app);
  app.processEvent = (event) => {
    const handling = process(event);
    running.add(handling);
    const done = () => void running.delete(handling);
    handling.then(done, done);
    return handling;
  };
  return {
    async drain(timeoutMs) {
      let timer: NodeJS.Timeout | undefined;
      const timeout = new Promise<void>((resolve) => (timer = setTimeout(resolve, timeoutMs)));
      await Promise.race([Promise.allSettled([...running]), timeout]);
      clearTimeout(timer);
    },
  };
}
