import type { App } from '@slack/bolt';
import type { Logger } from '../logger.ts';
import type { RequestKeys } from './request-keys.ts';

// Slack redelivers an event up to three times over about an hour and a half when it saw no ack in time.
const REDELIVERY_WINDOW_MS = 2 * 3600_000;

/**
 * Lets each Events API delivery through once: a redelivery of an event_id already seen (by any
 * replica) is acked and dropped, so event listeners never act twice on one event.
 */
export function dropRedeliveredEvents(app: App, { requestKeys, logger }: { requestKeys: RequestKeys; logger: Logger }): void {
  app.use(async ({ body, next }) => {
    const eventId = (body as { type?: string; event_id?: string }).type === 'event_callback' ? (body as { event_id?: string }).event_id : undefined;
    if (eventId && !(await requestKeys.firstSeen(['slack-event', eventId], REDELIVERY_WINDOW_MS))) {
      logger.info({ eventId }, 'dropped a redelivered event');
      return;
    }
    await next();
  });
}
