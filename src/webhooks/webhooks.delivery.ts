// Sends webhook deliveries: each is a row first (written with the handling of its event), posted at
// once and retried with backoff until the receiver answers 2xx, at least once and in order per record.
// A subscription whose every delivery failed for a day is paused and the admins are told.
import { randomUUID } from 'node:crypto';
import { and, eq, inArray, lte, sql } from 'drizzle-orm';
import { type Dispatcher, fetch } from 'undici';
import type { Clock } from '../clock.ts';
import type { Db, Locks } from '../db/client.ts';
import { backoffMs, createStreamQueries, drainStream } from '../db/streams.ts';
import type { AnyReceivedEvent } from '../events/domain-events.ts';
import type { PublicViews } from '../events/public-views.ts';
import type { Logger } from '../logger.ts';
import { SLACK_USER_ID } from '../slack/mentions.ts';
import type { Messenger } from '../slack/outbox.ts';
import { PrivateAddressError, publicOnlyAgent } from './public-only.ts';
import { afterFailure, recordOf, SIGNATURE_HEADER, signDelivery, TIMESTAMP_HEADER, wants } from './webhooks.models.ts';
import { createWebhooksRepository, type WebhookDelivery, type WebhookSubscription } from './webhooks.repository.ts';
import { webhookDeliveries, webhookSubscriptions } from './webhooks.table.ts';
import { renderPausedNotice } from './webhooks.views.ts';

/** What went wrong with a call, in a word an admin can look up (or why the host was refused). */
function describeCause(error: Error): string {
  const cause = error.cause as { code?: string; message?: string } | undefined;
  if (cause instanceof PrivateAddressError) return cause.message;
  return String(cause?.code ?? error.message);
}

const RETRY = { baseMs: 30_000, maxMs: 60 * 60_000 };
const DUE_BATCH = 200;

export interface WebhookSender {
  /** Records a delivery of `event` for every subscription that wants it, in the caller's transaction. */
  enqueue(tx: Db, event: AnyReceivedEvent): Promise<string[]>;
  /** Sends recorded deliveries now (their transaction has committed), each after what its stream holds before it. */
  deliver(keys: string[]): Promise<void>;
  /** Sends what is due, by the minute's job (and at once after a resume). */
  deliverDue(now: Date): Promise<{ delivered: number; pending: number }>;
  /** When the first delivery still waiting (to an active subscription) falls due. */
  nextDueAt(): Promise<Date | undefined>;
}

type Outcome = { delivered: true; stream: string } | { failed: string } | { waiting: string } | { gone: true };

export function createWebhookSender({
  db,
  locks,
  clock,
  logger,
  views,
  messages,
  admins,
  allowPrivate,
  timeoutMs,
}: {
  db: Db;
  locks: Locks;
  clock: Clock;
  logger: Logger;
  views: PublicViews;
  messages: Messenger;
  /** Who hears that a subscription was paused (with whoever added it). */
  admins: string[];
  allowPrivate: boolean;
  /** How long a receiver may take to answer one delivery. */
  timeoutMs: number;
}): WebhookSender {
  const streams = createStreamQueries(db, {
    table: webhookDeliveries,
    key: webhookDeliveries.key,
    seq: webhookDeliveries.seq,
    stream: webhookDeliveries.stream,
    status: webhookDeliveries.status,
    nextAttemptAt: webhookDeliveries.nextAttemptAt,
  });

  async function enqueue(tx: Db, event: AnyReceivedEvent): Promise<string[]> {
    const record = recordOf(event);
    if (!record) return [];
    const subscriptions = (await createWebhooksRepository({ db: tx }).subscribedAt(event.occurredAt)).filter((s) =>
      wants(s.events, event.type),
    );
    if (subscriptions.length === 0) return [];
    const object = (await views.get(record.kind)?.load(tx, record.id)) ?? { id: record.id };
    // Who did it: a person in Slack, else null (an SLA warning, or a hold ending on its date: `system`).
    const actor =
      typeof event.userId === 'string' && SLACK_USER_ID.test(event.userId) ? { slack_id: event.userId } : null;
    const id = randomUUID();
    const body = JSON.stringify({
      id,
      type: event.type,
      time: event.occurredAt.toISOString(),
      data: { [record.kind]: object, actor },
    });
    const now = clock.now();
    const rows = subscriptions.map((s) => ({
      key: `${s.id}:${id}`,
      stream: `${s.id}:${record.kind}:${record.id}`,
      subscriptionId: s.id,
      eventId: id,
      eventType: event.type,
      body,
      nextAttemptAt: now,
      createdAt: now,
    }));
    await tx.insert(webhookDeliveries).values(rows);
    return rows.map((r) => r.key);
  }

  // Outside development and tests, a receiver can only be reached at a public address.
  const dispatcher: Dispatcher | undefined = allowPrivate ? undefined : publicOnlyAgent();

  /** One HTTP call: the stored body, signed now. */
  async function post(subscription: WebhookSubscription, row: WebhookDelivery) {
    const timestamp = Math.floor(clock.now().getTime() / 1000);
    try {
      const res = await fetch(subscription.url, {
        method: 'POST',
        headers: {
          'content-type': 'application/json',
          'user-agent': 'Frontline-Webhooks/1',
          [TIMESTAMP_HEADER]: String(timestamp),
          [SIGNATURE_HEADER]: signDelivery(subscription.secret, timestamp, row.body),
        },
        body: row.body,
        // A redirect could lead anywhere, a private address included: it counts as a failure.
        redirect: 'manual',
        signal: AbortSignal.timeout(timeoutMs),
        dispatcher,
      });
      await res.body?.cancel().catch(() => {});
      return res.ok
        ? { ok: true, status: res.status, error: null }
        : { ok: false, status: res.status, error: `HTTP ${res.status}` };
    } catch (error) {
      const name = (error as Error).name;
      const reason = name === 'TimeoutError' ? `no answer within ${timeoutMs / 1000} s` : describeCause(error as Error);
      return { ok: false, status: null, error: reason };
    }
  }

  async function settleDelivered(row: WebhookDelivery, status: number) {
    const now = clock.now();
    // The subscription first, as everywhere (a removal deletes it, then its deliveries): no deadlock.
    await db.transaction(async (tx) => {
      await tx
        .update(webhookSubscriptions)
        .set({ failingSince: null })
        .where(eq(webhookSubscriptions.id, row.subscriptionId));
      await tx
        .update(webhookDeliveries)
        .set({ status: 'delivered', attempts: row.attempts + 1, lastStatus: status, lastError: null, settledAt: now })
        .where(eq(webhookDeliveries.key, row.key));
    });
  }

  /** Records a failure, then retries later, gives the delivery up, or pauses its subscription. */
  async function settleFailed(row: WebhookDelivery, status: number | null, error: string): Promise<Outcome> {
    const now = clock.now();
    const attempts = row.attempts + 1;
    const paused = await db.transaction(async (transaction) => {
      const tx = transaction as unknown as Db;
      const [subscription] = await tx
        .update(webhookSubscriptions)
        .set({ failingSince: sql`coalesce(${webhookSubscriptions.failingSince}, ${now.toISOString()}::timestamptz)` })
        .where(eq(webhookSubscriptions.id, row.subscriptionId))
        .returning();
      if (!subscription) return [];
      const decision = afterFailure({ now, failingSince: subscription.failingSince ?? now, createdAt: row.createdAt });
      await tx
        .update(webhookDeliveries)
        .set({
          attempts,
          lastStatus: status,
          lastError: error,
          ...(decision === 'give_up'
            ? { status: 'failed' as const, settledAt: now }
            : { nextAttemptAt: new Date(now.getTime() + backoffMs(attempts, RETRY)) }),
        })
        .where(eq(webhookDeliveries.key, row.key));
      if (decision !== 'pause') return [];
      const [wasActive] = await tx
        .update(webhookSubscriptions)
        .set({ status: 'paused', pausedAt: now })
        .where(and(eq(webhookSubscriptions.id, subscription.id), eq(webhookSubscriptions.status, 'active')))
        .returning({ id: webhookSubscriptions.id });
      if (!wasActive) return [];
      const waiting = await createWebhooksRepository({ db: tx }).waiting(subscription.id);
      const notice = renderPausedNotice({ subscription, lastProblem: error, waiting });
      const told = [...new Set([...admins, ...(subscription.createdBy ? [subscription.createdBy] : [])])];
      logger.warn({ subscription: subscription.id, error }, 'a webhook failed for a day; it is paused');
      return messages.enqueue(
        tx,
        told.map((userId) => ({ dm: userId, content: notice })),
      );
    });
    if (paused.length > 0) await messages.deliver(paused);
    return { failed: error };
  }

  /** Sends one delivery under its lock, if it heads its stream and its subscription is active. */
  async function deliverOne(key: string): Promise<Outcome> {
    const release = await locks.tryLock(`webhook_delivery:${key}`);
    if (!release) return { waiting: 'being sent' };
    try {
      const [found] = await db
        .select({ row: webhookDeliveries, subscription: webhookSubscriptions })
        .from(webhookDeliveries)
        .innerJoin(webhookSubscriptions, eq(webhookSubscriptions.id, webhookDeliveries.subscriptionId))
        .where(and(eq(webhookDeliveries.key, key), eq(webhookDeliveries.status, 'pending')));
      if (!found) return { gone: true };
      const { row, subscription } = found;
      if (subscription.status !== 'active') return { waiting: 'its subscription is paused' };
      if (row.nextAttemptAt > clock.now()) return { waiting: 'its next try is later' };
      if (await streams.waitsForEarlier(row)) return { waiting: 'an earlier delivery of its record' };
      const result = await post(subscription, row);
      if (result.ok) {
        await settleDelivered(row, result.status!);
        return { delivered: true, stream: row.stream };
      }
      logger.warn(
        { key, subscription: subscription.id, error: result.error },
        'a webhook delivery failed; kept to retry',
      );
      return await settleFailed(row, result.status, result.error ?? 'failed');
    } finally {
      await release();
    }
  }

  const deliverFrom = (key: string) =>
    drainStream(
      deliverOne,
      (outcome) => ('stream' in outcome ? outcome.stream : undefined),
      (stream) => streams.nextDue(stream, clock.now()),
      key,
    );

  const activeSubscription = inArray(
    webhookDeliveries.subscriptionId,
    db
      .select({ id: webhookSubscriptions.id })
      .from(webhookSubscriptions)
      .where(eq(webhookSubscriptions.status, 'active')),
  );

  return {
    enqueue,
    async deliver(keys) {
      for (const key of keys) await deliverFrom(key);
    },
    async deliverDue(now) {
      const counts = { delivered: 0, pending: 0 };
      for (const key of await streams.dueHeads(
        and(lte(webhookDeliveries.nextAttemptAt, now), activeSubscription),
        DUE_BATCH,
      )) {
        const outcome = await deliverFrom(key);
        if ('delivered' in outcome) counts.delivered++;
        else if (!('gone' in outcome)) counts.pending++;
      }
      return counts;
    },
    nextDueAt: () => streams.nextDueAt(activeSubscription),
  };
}
