// Slack shows the person an error when it gets no answer within 3 seconds. Whatever a listener
// waits on before it acks (a slow database, say), Frontline answers in time: past the deadline it
// acks for the listener, telling the person to try again, and the listener's own late ack then
// stops it, so nothing is done after the person was told nothing was.
import type { IncomingMessage } from 'node:http';
import type { AckFn, App } from '@slack/bolt';
import type { Logger } from '../logger.ts';
import type { AcksFirst } from './acks-first.ts';
import { fieldErrorAnswer } from './form-errors.ts';
import { answerInResponseUrl } from './messaging.ts';

/** From the request's arrival: leaves room under Slack's 3 s for the network and the receiver. */
export const ACK_DEADLINE_MS = 2_000;

/** How many clicks turned away under a flood may be told so at once; past it, they are only acked. */
export const MAX_TELLING_CLICKERS = 20;

export const TRY_AGAIN =
  ':hourglass: Frontline is slow to answer just now, so nothing was done. Please try again in a minute.';

/** Thrown by a listener's ack (and by `assertBeforeAckDeadline`) once Frontline has answered for it. */
export class AckDeadlinePassed extends Error {
  constructor() {
    super('the ack deadline passed; the person was told to try again');
    this.name = 'AckDeadlinePassed';
  }
}

/**
 * One request's deadline. Bolt's context carries it (`ackDeadlineIn`) rather than an
 * AsyncLocalStorage: on Node 20 one AsyncLocalStorage puts a hook on every promise the process makes,
 * measured at a tenth of the app's CPU per request.
 */
export interface AckDeadline {
  passed: boolean;
  /** Whether the request was acked, by its listener or for it. */
  answered: boolean;
}

// When each HTTP request reached the server (performance.now()), noted by the edge guard.
const arrivals = new WeakMap<IncomingMessage, number>();

/**
 * Notes when `req` reached the server: its ack deadline then counts from that moment, so time spent
 * in the edge checks comes out of it.
 */
export const noteArrival = (req: IncomingMessage, arrivedAt: number) => void arrivals.set(req, arrivedAt);

/** The HTTP receiver's custom properties: when the request arrived, read back by `enforceAckDeadline`. */
export const arrivalProperties = (req: IncomingMessage): { arrivedAt?: number } => {
  const arrivedAt = arrivals.get(req);
  return arrivedAt === undefined ? {} : { arrivedAt };
};

/** The deadline of the request a Bolt context belongs to (none outside `enforceAckDeadline`). */
export const ackDeadlineIn = (context: object): AckDeadline | undefined =>
  (context as { ackDeadline?: AckDeadline }).ackDeadline;

/**
 * For work done before a listener acks that writes (a form saved before its modal closes): call it
 * last inside the transaction, so a write that outlived the deadline is rolled back, not kept.
 */
export function assertBeforeAckDeadline(deadline: AckDeadline | undefined): void {
  if (deadline?.passed) throw new AckDeadlinePassed();
}

type Body = {
  type?: string;
  command?: string;
  response_url?: string;
  view?: { blocks?: { type?: string; block_id?: string }[] };
};

/** The answer that tells the person to try again, in the form Slack reads for this kind of request. */
function tryAgainAnswer(body: Body): Parameters<AckFn<unknown>>[0] {
  if (body.command) return { response_type: 'ephemeral', text: TRY_AGAIN } as never;
  if (body.type === 'view_submission') return fieldErrorAnswer(body.view, TRY_AGAIN) as never;
  return undefined;
}

/**
 * Wraps every incoming request (HTTP and Socket Mode alike) so its ack comes within ACK_DEADLINE_MS,
 * and what its listener does after acking waits its turn behind the acks still owed (`acksFirst`).
 * While too much work is queued already, a new request is answered "try again" at once and not run.
 */
export function enforceAckDeadline(app: App, logger: Logger, acks: AcksFirst, deadlineMs = ACK_DEADLINE_MS): void {
  type Event = Parameters<App['processEvent']>[0];
  const process = app.processEvent.bind(app);
  let turnedAway = 0;
  let tellingClickers = 0;
  app.processEvent = (event: Event) => {
    const body = event.body as Body;
    // Events carry no answer for anyone and Slack does not send them again once acked: they always get in.
    if (body.type !== 'event_callback' && acks.overloaded()) {
      if (turnedAway++ % 100 === 0)
        logger.warn({ turnedAway }, 'too much work waiting; told the person to try again, and did nothing');
      // A click's ack carries no text: where Slack gave somewhere to answer, the person is told there
      // (a few at a time: turning requests away is what keeps a flood from filling the heap).
      if (body.type === 'block_actions' && body.response_url && tellingClickers < MAX_TELLING_CLICKERS) {
        tellingClickers++;
        void answerInResponseUrl(body.response_url, { text: TRY_AGAIN })
          .catch((error: unknown) => logger.warn({ err: error }, 'could not tell the person to try again'))
          .finally(() => tellingClickers--);
      }
      return event.ack(tryAgainAnswer(body));
    }
    const deadline: AckDeadline = { passed: false, answered: false };
    const ack = event.ack.bind(event);
    const answered = acks.arrived();
    let turn: Promise<() => void> | undefined;
    const { arrivedAt } = (event.customProperties ?? {}) as { arrivedAt?: number };
    const left = arrivedAt === undefined ? deadlineMs : Math.max(0, deadlineMs - (performance.now() - arrivedAt));
    const timer = setTimeout(() => {
      if (deadline.answered) return;
      deadline.answered = true;
      deadline.passed = true;
      logger.warn({ type: (event.body as Body).type ?? 'command' }, 'a listener did not ack in time; answered for it');
      void ack(tryAgainAnswer(body))
        .catch((error: unknown) => logger.warn({ err: error }, 'could not send the late answer'))
        .finally(answered);
    }, left);
    const guarded: Event = {
      ...event,
      customProperties: { ...event.customProperties, ackDeadline: deadline },
      ack: async (response?: unknown) => {
        if (deadline.passed) throw new AckDeadlinePassed();
        deadline.answered = true;
        clearTimeout(timer);
        try {
          await ack(response as never);
        } finally {
          answered();
        }
        turn ??= acks.turn();
        await turn;
      },
    };
    return process(guarded).finally(() => {
      clearTimeout(timer);
      answered();
      void turn?.then((endTurn) => endTurn());
    });
  };
}
