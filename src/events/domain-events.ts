// Domain events: a use case says what happened (`escalation.resolved`) and other capabilities react,
// without the use case knowing who cares. An event is recorded in the transaction of the change
// that caused it, then handed to each subscriber, which records that it handled it together with
// its own work: a crash loses no event, and no subscriber handles one twice.
import { and, asc, eq, gt, inArray, lt, notExists, sql } from 'drizzle-orm';
import type { Clock } from '../clock.ts';
import type { Db, Locks } from '../db/client.ts';
import type { Logger } from '../logger.ts';
import { domainEventReceipts, domainEvents } from './events.table.ts';

/**
 * Every event's payload by type. Each capability adds its own events to this interface (TypeScript
 * declaration merging), beside the use cases that publish them.
 */
// biome-ignore lint/suspicious/noEmptyInterface: filled in by each capability
export interface DomainEventMap {}

export type DomainEventType = keyof DomainEventMap;
export type DomainEvent<T extends DomainEventType = DomainEventType> = { [K in T]: { type: K } & DomainEventMap[K] }[T];
/** An event as a subscriber gets it: with its id and when it happened. */
export type ReceivedEvent<T extends DomainEventType = DomainEventType> = DomainEvent<T> & {
  id: number;
  occurredAt: Date;
};

/** An event of any type, named or not yet declared by its capability: for subscribers that pass events on. */
export type AnyReceivedEvent = { type: string; id: number; occurredAt: Date } & Record<string, unknown>;

/** What a subscriber's handler gets: the transaction its work belongs in (the receipt is written there too). */
export interface HandlerContext {
  tx: Db;
  now: Date;
  /** Runs `work` once the handler's transaction has committed (to send what it recorded). */
  afterCommit(work: () => Promise<void>): void;
}

export interface DomainEvents {
  /** Records events in the caller's transaction; resolves with the first one's id (undefined for none). */
  publish(tx: Db, events: DomainEvent[]): Promise<number | undefined>;
  /** Runs `handle` once for every event of `type`, past and future; `subscriber` names it for good. */
  subscribe<T extends DomainEventType>(
    type: T,
    subscriber: string,
    handle: (event: ReceivedEvent<T>, context: HandlerContext) => Promise<void>,
  ): void;
  /**
   * Runs `handle` once for every event of any of `types`, in the order they happened: a failure holds
   * back the events after it. Names no capability declares yet are taken: their events arrive once
   * they exist.
   */
  subscribeInOrder(
    types: readonly string[],
    subscriber: string,
    handle: (event: AnyReceivedEvent, context: HandlerContext) => Promise<void>,
  ): void;
  /**
   * Hands every event not yet handled to its subscribers: every minute (all of them), and after a
   * change commits (`raised`: its events' types and the first one's id) to the subscribers of those
   * types, from that event on and from where each last got to (the others have nothing new to look for).
   */
  dispatch(raised?: Raised): Promise<void>;
}

/** What a committed change raised: its events' types, and the id of the first. */
export interface Raised {
  types: readonly string[];
  firstId: number;
}

interface Subscription {
  types: string[];
  subscriber: string;
  /** Whether a failed event holds back the ones after it. */
  ordered: boolean;
  handle(event: AnyReceivedEvent, context: HandlerContext): Promise<void>;
  /**
   * In this process, every event up to this id is handled, or will be found by the dispatch of the
   * change that raised it (an id taken before another's may commit after it) or by the minute's run.
   * A dispatch after a change looks only past it: not through every event kept for 90 days.
   */
  handledThrough: number;
}

const BATCH = 100;
/** Events are kept this long, for subscribers added later and for the record. */
export const EVENT_RETENTION_DAYS = 90;

export function createDomainEvents({
  db,
  locks,
  clock,
  logger,
}: {
  db: Db;
  locks: Locks;
  clock: Clock;
  logger: Logger;
}): DomainEvents {
  const subscriptions: Subscription[] = [];

  /** Events of the subscription's types it has not handled yet, oldest first. */
  const unhandled = ({ types, subscriber }: Subscription, after: number) =>
    db
      .select()
      .from(domainEvents)
      .where(
        and(
          types.length === 1 ? eq(domainEvents.type, types[0]!) : inArray(domainEvents.type, types),
          gt(domainEvents.id, after),
          notExists(
            db
              .select({ one: sql`1` })
              .from(domainEventReceipts)
              .where(
                and(
                  eq(domainEventReceipts.eventId, domainEvents.id),
                  eq(domainEventReceipts.subscriber, subscriber),
                  // Implied by the line above, but PostgreSQL does not carry a range across it: without
                  // it the anti-join reads every receipt the subscriber ever wrote.
                  gt(domainEventReceipts.eventId, after),
                ),
              ),
          ),
        ),
      )
      .orderBy(asc(domainEvents.id))
      .limit(BATCH);

  /** Runs one handler under a lock, writing its receipt in its transaction; false when it failed or is busy elsewhere. */
  async function handleOne(subscription: Subscription, row: typeof domainEvents.$inferSelect): Promise<boolean> {
    const release = await locks.tryLock(`domain_event:${row.id}:${subscription.subscriber}`);
    if (!release) return false; // another process or caller is on it
    const committed: (() => Promise<void>)[] = [];
    try {
      await db.transaction(async (tx) => {
        const receipt = await tx
          .insert(domainEventReceipts)
          .values({ eventId: row.id, subscriber: subscription.subscriber, handledAt: clock.now() })
          .onConflictDoNothing()
          .returning({ eventId: domainEventReceipts.eventId });
        if (receipt.length === 0) return; // handled meanwhile
        const event = { ...row.payload, type: row.type, id: row.id, occurredAt: row.occurredAt };
        await subscription.handle(event, {
          tx: tx as unknown as Db,
          now: clock.now(),
          afterCommit: (work) => void committed.push(work),
        });
      });
    } catch (error) {
      logger.error(
        { err: error, event: row.id, type: row.type, subscriber: subscription.subscriber },
        'a domain event subscriber failed; it will be retried',
      );
      return false;
    } finally {
      await release();
    }
    for (const work of committed)
      await work().catch((error: unknown) =>
        logger.warn({ err: error, event: row.id, subscriber: subscription.subscriber }, 'work after an event failed'),
      );
    return true;
  }

  return {
    async publish(tx, events) {
      if (events.length === 0) return undefined;
      const occurredAt = clock.now();
      const ids = await tx
        .insert(domainEvents)
        .values(
          events.map((event) => {
            const { type, ...payload } = event as { type: string } & Record<string, unknown>;
            return { type, payload, occurredAt };
          }),
        )
        .returning({ id: domainEvents.id });
      return Math.min(...ids.map((row) => row.id));
    },
    subscribe(type, subscriber, handle) {
      if (subscriptions.some((s) => s.subscriber === subscriber && s.types.includes(type)))
        throw new Error(`${subscriber} subscribes to ${type} twice`);
      subscriptions.push({
        types: [type],
        subscriber,
        ordered: false,
        handle: handle as unknown as Subscription['handle'],
        handledThrough: 0,
      });
    },
    subscribeInOrder(types, subscriber, handle) {
      if (subscriptions.some((s) => s.subscriber === subscriber))
        throw new Error(`${subscriber} subscribes in order twice`);
      subscriptions.push({ types: [...types], subscriber, ordered: true, handle, handledThrough: 0 });
    },
    async dispatch(raised) {
      try {
        await dispatchAll(raised);
      } catch (error) {
        // The change that raised them is committed: what is left is dispatched again within a minute.
        logger.warn({ err: error }, 'could not dispatch domain events just now');
      }
    },
  };

  async function dispatchAll(raised?: Raised): Promise<void> {
    const wanted = subscriptions.filter((s) => !raised || raised.types.some((type) => s.types.includes(type)));
    for (const subscription of wanted) {
      // The minute's run looks through every event: it finds what a stopped process (this one, or
      // another replica) committed and never dispatched.
      const from = raised ? Math.min(subscription.handledThrough, raised.firstId - 1) : 0;
      subscription.handledThrough = await handleFrom(subscription, from);
    }
  }

  /** Hands on the subscription's unhandled events after `from`; resolves with how far it is now handled. */
  async function handleFrom(subscription: Subscription, from: number): Promise<number> {
    let failed: number | undefined;
    let last = 0;
    // A failed event is left for the next dispatch; the ones after it still go, unless the subscriber
    // passes events on in order (then one busy elsewhere, or failed, holds back the rest).
    outer: for (let after = from; ; ) {
      const rows = await unhandled(subscription, after);
      for (const row of rows) {
        last = row.id;
        if (await handleOne(subscription, row)) continue;
        failed ??= row.id;
        if (subscription.ordered) break outer;
      }
      if (rows.length < BATCH) break;
      after = rows.at(-1)!.id;
    }
    // Never past an event left unhandled, so the next dispatch after a change tries it again.
    return failed === undefined ? Math.max(subscription.handledThrough, last) : failed - 1;
  }
}

/** Forgets events older than the retention (their receipts go with them). */
export async function pruneDomainEvents(db: Db, before: Date): Promise<void> {
  await db.delete(domainEvents).where(lt(domainEvents.occurredAt, before));
}
