import type { App } from '@slack/bolt';
import type { Logger } from '../logger.ts';
import type { RequestKeys } from './request-keys.ts';

// Slack redelivers an unacknowledged event three times: at once, after a minute and after five.
const REDELIVERY_WINDOW_MS = 15 * 60_000;

/**
 * Lets each Events API delivery through once: a redelivery of an event_id already seen (by any
 * replica) is acked and dropped, so event listeners never act twice on one event. A listener that
 * fails forgets the event, so a redelivery may try again (Frontline acks events at once, so Slack
 * rarely redelivers at all).
 */
export function dropRedeliveredEvents(
  app: App,
  { requestKeys, logger }: { requestKeys: RequestKeys; logger: Logger },
): void {
  app.use(async ({ body, next }) => {
    const eventId =
      (body as { type?: string; event_id?: string }).type === 'event_callback'
        ? (body as { event_id?: string }).event_id
        : undefined;
    if (!eventId) return next();
    const handled = await requestKeys.once(
      { parts: ['slack-event', eventId], windowMs: REDELIVERY_WINDOW_MS },
      async () => {
        await next();
        return true;
      },
    );
    if (!handled) logger.info({ eventId }, 'dropped a redelivered event');
  });
}
