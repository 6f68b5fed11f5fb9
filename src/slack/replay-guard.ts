import type { IncomingMessage, ServerResponse } from 'node:http';
import type { HTTPReceiver } from '@slack/bolt';
import type { Logger } from '../logger.ts';
import type { RequestKeys } from './request-keys.ts';

// Bolt refuses signatures older than five minutes; a copy is only dangerous inside that window.
const REPLAY_WINDOW_MS = 6 * 60_000;

/**
 * Refuses (401) a signed request whose exact signature was already received: someone replaying a
 * captured request. Slack's own retries are signed afresh, so they pass. Checked in the database so
 * a copy sent to another replica is caught too.
 */
export function guardAgainstReplays(receiver: HTTPReceiver, { requestKeys, logger }: { requestKeys: RequestKeys; logger: Logger }): void {
  const handle = receiver.requestListener;
  receiver.requestListener = (req: IncomingMessage, res: ServerResponse) => {
    const signature = req.headers['x-slack-signature'];
    const timestamp = req.headers['x-slack-request-timestamp'];
    if (req.method !== 'POST' || typeof signature !== 'string' || typeof timestamp !== 'string') return handle(req, res);
    // The body stays buffered in the request until Bolt reads it, after the check.
    requestKeys.firstSeen(['slack-signature', signature, timestamp], REPLAY_WINDOW_MS).then(
      (first) => {
        if (first) return handle(req, res);
        logger.warn({ timestamp }, 'refused a replayed Slack request');
        res.writeHead(401, { 'content-type': 'text/plain' }).end('Replayed request');
      },
      (error: unknown) => {
        // Without the database the request cannot do anything harmful; let it through to get a friendly answer.
        logger.warn({ err: error }, 'could not check a request for replay');
        handle(req, res);
      },
    );
  };
}
