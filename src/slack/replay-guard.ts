import type { IncomingMessage, ServerResponse } from 'node:http';
import { HTTPModuleFunctions, type HTTPReceiver } from '@slack/bolt';
import { withDeadline } from '../deadline.ts';
import type { Logger } from '../logger.ts';
import { noteArrival } from './ack-deadline.ts';
import type { AcksFirst } from './acks-first.ts';
import { batchFirstSeen, type RequestKeys } from './request-keys.ts';

/** Where Slack sends commands, interactions and events in HTTP mode. */
export const SLACK_EVENTS_PATH = '/slack/events';
/** The most a Slack request body may be (Bolt's own limit): nothing larger is read. */
export const SLACK_BODY_LIMIT = HTTPModuleFunctions.defaultBodyLimit;
// Slack's rule: a request whose timestamp is more than five minutes from now, either way, is refused.
const MAX_CLOCK_SKEW_S = 5 * 60;
// A signature is usable from five minutes before its timestamp to five after: remember it that long, and a little more.
const REPLAY_WINDOW_MS = 11 * 60_000;
// Slack gives up after 3 s: a check that has not answered by now answers 503 in time, and Slack retries.
const CHECK_DEADLINE_MS = 1_500;

// After a refusal Node drops, unread, whatever the client still sends; closing at once instead would
// reset the connection under a client still writing, and it would never see the answer.
const answer = (res: ServerResponse, status: number, text: string) =>
  res.writeHead(status, { 'content-type': 'text/plain' }).end(text);

/**
 * Stands in front of Bolt on `POST /slack/events` only (other routes go straight to Bolt, inside its
 * own error handling):
 * - refuses a body declared or found to be over 4 MB (413) before reading past the limit;
 * - refuses a timestamp more than five minutes from now in either direction (401; Slack's verifier bounds only the past);
 * - verifies the signature (401 otherwise): the one check of it, as Bolt's own is turned off
 *   (`signatureVerification: false`) so a request is not verified twice on the ack path;
 * - refuses (401) a correctly signed request whose exact signature was already received: someone
 *   replaying a captured request. Slack's own retries are signed afresh, so they pass. Signatures are
 *   kept in the database, so a copy sent to another replica is caught too;
 * - fails closed: when that check fails or takes over 1.5 s, answers 503 and does nothing.
 */
export function guardSlackRequests(
  receiver: HTTPReceiver,
  {
    signingSecret,
    requestKeys,
    logger,
    acks,
  }: { signingSecret: string; requestKeys: RequestKeys; logger: Logger; acks: AcksFirst },
): void {
  const pass = receiver.requestListener;
  const firstSeen = batchFirstSeen(requestKeys, REPLAY_WINDOW_MS);
  const check = async (req: IncomingMessage, res: ServerResponse, arrivedAt: number) => {
    // Bolt's ack deadline counts from the arrival, so a slow check leaves the listener less time.
    noteArrival(req, arrivedAt);
    if (Number(req.headers['content-length'] ?? 0) > SLACK_BODY_LIMIT)
      return answer(res, 413, 'Request body too large');
    const timestamp = req.headers['x-slack-request-timestamp'];
    if (typeof timestamp === 'string' && !(Math.abs(Date.now() / 1000 - Number(timestamp)) <= MAX_CLOCK_SKEW_S)) {
      logger.warn({ timestamp }, 'refused a Slack request timestamped more than five minutes from now');
      return answer(res, 401, 'Request timestamp too far from now');
    }
    try {
      // Buffers the body (up to the limit) onto req.rawBody, which Bolt then reuses.
      await HTTPModuleFunctions.parseAndVerifyHTTPRequest({ signingSecret, bodyLimit: SLACK_BODY_LIMIT }, req);
    } catch (error) {
      if (HTTPModuleFunctions.isRawBodyError(error))
        return answer(
          res,
          error.statusCode,
          error.statusCode === 413 ? 'Request body too large' : 'Unreadable request body',
        );
      logger.warn({ err: error }, 'refused a Slack request whose signature did not verify');
      return answer(res, 401, 'Invalid request signature');
    }
    const signature = req.headers['x-slack-signature'];
    if (typeof signature !== 'string') return pass(req, res); // Slack's unsigned ssl_check, which Bolt answers
    let first: boolean;
    try {
      first = await withDeadline(firstSeen(['slack-signature', signature, timestamp]), CHECK_DEADLINE_MS);
    } catch (error) {
      logger.error({ err: error }, 'could not check a Slack request for replay; refused it (Slack will retry)');
      return answer(res, 503, 'Cannot check this request right now');
    }
    if (!first) {
      logger.warn({ timestamp }, 'refused a replayed Slack request');
      return answer(res, 401, 'Replayed request');
    }
    pass(req, res);
  };
  receiver.requestListener = (req, res) => {
    const path = new URL(req.url ?? '/', 'http://localhost').pathname;
    // The same test as Bolt's own routing: every request Bolt takes for an event passes through here.
    if (req.method?.toUpperCase() !== 'POST' || path !== SLACK_EVENTS_PATH) return pass(req, res);
    // Slack waits from here, through the checks, until Bolt's ack ends the response.
    res.once('close', acks.arrived());
    void check(req, res, performance.now());
  };
}
