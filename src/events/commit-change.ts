// The one way a use case changes state: the change, the Slack messages that announce it and the
// domain events it raises are written in one transaction, then sent and dispatched. A crash leaves
// all of it or none of it, and what is left is sent by the outbox and the dispatcher later.
import type { Db } from '../db/client.ts';
import type { Delivery, Messenger, QueuedMessage } from '../slack/outbox.ts';
import type { DomainEvent, DomainEvents } from './domain-events.ts';

export interface Change<T> {
  result: T;
  /** Messages for Slack (a card update, a thread note, a DM), sent once the change is committed. */
  messages?: QueuedMessage[];
  events?: DomainEvent[];
}

export interface ChangeDeps {
  db: Db;
  messages: Messenger;
  events: DomainEvents;
}

/**
 * Runs `change` in a transaction with what it announces. `change` returns undefined when nothing
 * changed (a lost race, a repeat); then nothing is sent either.
 */
export async function commitChange<T>(
  deps: ChangeDeps,
  change: (tx: Db) => Promise<Change<T> | undefined>,
): Promise<{ result: T; delivered: Delivery[] } | undefined> {
  const done = await deps.db.transaction(async (transaction) => {
    const tx = transaction as unknown as Db;
    const changed = await change(tx);
    if (!changed) return undefined;
    const keys = await deps.messages.enqueue(tx, changed.messages ?? []);
    const firstId = await deps.events.publish(tx, changed.events ?? []);
    const raised = firstId === undefined ? undefined : { types: (changed.events ?? []).map((e) => e.type), firstId };
    return { result: changed.result, keys, raised };
  });
  if (!done) return undefined;
  const delivered = await deps.messages.deliver(done.keys);
  if (done.raised) await deps.events.dispatch(done.raised);
  return { result: done.result, delivered };
}
