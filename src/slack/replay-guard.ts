import type { IncomingMessage, ServerResponse } from 'node:http';
import { type HTTPReceiver, HTTPModuleFunctions } from '@slack/bolt';
import type { Logger } from '../logger.ts';
import { batchFirstSeen, type RequestKeys } from './request-keys.ts';

// Bolt refuses signatures older than five minutes; a copy is only dangerous inside that window.
const REPLAY_WINDOW_MS = 6 * 60_000;

/**
 * Refuses (401) a correctly signed request whose exact signature was already received: someone
 * replaying a captured request. Slack's own retries are signed afresh, so they pass. Only verified
 * requests are recorded (forgeries write nothing), in the database so a copy sent to another replica
 * is caught too.
 */
export function guardAgainstReplays(
  receiver: HTTPReceiver,
  { signingSecret, requestKeys, logger }: { signingSecret: string; requestKeys: RequestKeys; logger: Logger },
): void {
  const handle = receiver.requestListener;
  const firstSeen = batchFirstSeen(requestKeys, REPLAY_WINDOW_MS);
  const check = async (req: IncomingMessage, res: ServerResponse) => {
    try {
      // Buffers the body onto req.rawBody, which Bolt then reuses.
      await HTTPModuleFunctions.parseAndVerifyHTTPRequest({ signingSecret }, req);
    } catch (error) {
      // Bolt answers a bad signature or a stale timestamp with 401 itself; a body it could not read never reaches it.
      if (HTTPModuleFunctions.isBufferedIncomingMessage(req)) return handle(req, res);
      res.writeHead(HTTPModuleFunctions.isRawBodyError(error) ? error.statusCode : 400).end();
      return;
    }
    const signature = String(req.headers['x-slack-signature']);
    const timestamp = String(req.headers['x-slack-request-timestamp']);
    let first = true;
    try {
      first = await firstSeen(['slack-signature', signature, timestamp]);
    } catch (error) {
      // Without the database the request cannot change anything; let it through to get a friendly answer.
      logger.warn({ err: error }, 'could not check a request for replay');
    }
    if (!first) {
      logger.warn({ timestamp }, 'refused a replayed Slack request');
      res.writeHead(401, { 'content-type': 'text/plain' }).end('Replayed request');
      return;
    }
    handle(req, res);
  };
  receiver.requestListener = (req, res) => {
    if (req.method !== 'POST' || req.headers['x-slack-signature'] === undefined) return handle(req, res);
    void check(req, res);
  };
}
