// Slack waits for every ack; nobody waits for the work a listener does after it. On a small machine
// that work (a transaction, Web API calls) competes for the same cores as the acks of requests that
// arrived with it, so in a burst the last acks come late. The work after an ack therefore takes a
// turn: it starts when no request is waiting for its ack and none has arrived for a moment, a few
// at a time, so acks go out first. The scheduler's jobs take turns too: most start at the minute's
// first second, and a burst that arrived among them was acked up to twice as slowly.

/** How much work (after an ack, or a scheduled job's) may run at once: most of the database pool (10), kept in bounds. */
const WORKERS = 8;
/** Work waits no longer than this for the acks to be answered: a steady stream must not starve it. */
const MAX_WAIT_MS = 2_000;
/**
 * How long after the last request arrived work may start. A burst reaches the app over tens of
 * milliseconds, and the app can answer its first requests before the rest arrive: work started in
 * that gap took the cores from the acks still to come (measured: p99 of a 100-request burst 9-30 %
 * lower with it, in each of four paired runs).
 */
const QUIET_MS = 10;
/**
 * Past this much work waiting or under way, new requests are turned away: under a flood that lasts,
 * work arrives faster than it ends, and every queued request holds its payload until the heap runs out.
 */
export const MAX_BACKLOG = 500;

export interface AcksFirst {
  /** A request arrived that Slack is waiting on; call the returned function once it is answered. */
  arrived(): () => void;
  /** Resolves when work after an ack may start; call the returned function when that work ends. */
  turn(): Promise<() => void>;
  /** Whether MAX_BACKLOG pieces of work are waiting or under way: time to turn new requests away. */
  overloaded(): boolean;
}

interface Waiting {
  start(): void;
  /** It has waited its longest: acks still owed no longer hold it back (the worker limit still does). */
  overdue: boolean;
}

export function acksFirst(
  workers = WORKERS,
  maxWaitMs = MAX_WAIT_MS,
  maxBacklog = MAX_BACKLOG,
  quietMs = QUIET_MS,
): AcksFirst {
  let unanswered = 0;
  let working = 0;
  const waiting: Waiting[] = [];
  let lastArrival = -Infinity;
  let lookingAgain = false;

  // Whether no request arrived within quietMs; if one did, looks again once that time is up.
  const quiet = () => {
    const left = lastArrival + quietMs - performance.now();
    if (left <= 0) return true;
    if (!lookingAgain) {
      lookingAgain = true;
      setTimeout(() => {
        lookingAgain = false;
        next();
      }, left);
    }
    return false;
  };

  // Oldest first. However long the queue grows under overload, at most `workers` run: work that
  // all started at once would hold a transaction and a Slack call each and exhaust the heap.
  const next = () => {
    while (waiting.length > 0 && working < workers && ((unanswered === 0 && quiet()) || waiting[0]!.overdue))
      waiting.shift()!.start();
  };
  const release = () => {
    working--;
    next();
  };
  return {
    overloaded: () => waiting.length + working >= maxBacklog,
    arrived() {
      unanswered++;
      lastArrival = performance.now();
      let answered = false;
      return () => {
        if (answered) return;
        answered = true;
        unanswered--;
        next();
      };
    },
    turn() {
      return new Promise((resolve) => {
        const entry: Waiting = {
          overdue: false,
          start: () => {
            clearTimeout(timer);
            working++;
            resolve(once(release));
          },
        };
        const timer = setTimeout(() => {
          // Everything queued before it has waited longer still: they are overdue too.
          for (const w of waiting) {
            w.overdue = true;
            if (w === entry) break;
          }
          next();
        }, maxWaitMs);
        waiting.push(entry);
        next();
      });
    },
  };
}

function once(fn: () => void): () => void {
  let done = false;
  return () => {
    if (done) return;
    done = true;
    fn();
  };
}
