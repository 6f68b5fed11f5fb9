// Every message the app sends goes through here, a transactional outbox: a use case records its
// messages in slack_outbox in the same transaction as the change they announce, then asks for them
// to be delivered at once. What Slack does not take yet, and what a crash left behind, is delivered
// later: once at start, when it falls due (while the app runs its schedules), and by the resend job
// every minute; each message once, in order, never twice.
import { randomUUID } from 'node:crypto';
import type { WebClient } from '@slack/web-api';
import { and, eq, gt, lte, or, sql } from 'drizzle-orm';
import type { Clock } from '../clock.ts';
import type { Db, Locks } from '../db/client.ts';
import { backoffMs, createStreamQueries, drainStream } from '../db/streams.ts';
import type { Logger } from '../logger.ts';
import { createWake, type Wake } from '../scheduler/wake.ts';
import type { Blocks } from './blocks.ts';
import { isPerson } from './mentions.ts';
import { type MessageContent, postMessage, slackErrorCode } from './messaging.ts';
import { slackOutbox } from './outbox.table.ts';
import { classifySlackFailure, SLACK_TIMEOUT_MS } from './slack-client.ts';

export interface Posted {
  channel: string;
  ts: string;
}

export interface OutgoingMessage extends MessageContent {
  /** A channel ID, or a user ID for a direct message from the app. */
  channel: string;
  threadTs?: string;
}

/** A record whose card is a message (an escalation): names the card in the outbox. */
export interface CardRef {
  mirror: string;
  ref: string;
}

/** One message to record with a change: a record's card, a note in its thread, a DM or a post. */
export type QueuedMessage =
  | { card: CardRef }
  | { inThreadOf: CardRef; content: MessageContent; key?: string }
  | { dm: string; content: MessageContent; key?: string }
  | { post: OutgoingMessage; key?: string };

/** A message that mirrors a record (an escalation's card): rendered from the database whenever it is sent. */
export interface Mirror {
  /** How the message should look now and its ts if it is already in Slack; undefined when it should not be sent. */
  render(ref: string): Promise<(OutgoingMessage & { ts?: string | null }) | undefined>;
  /** Remembers where the first post landed (the record's stored ts then turns later sends into updates). */
  posted(ref: string, posted: Posted): Promise<void>;
  /** Slack refused a kept message for good: tell whoever is waiting for it. */
  refused?(ref: string, reason: string): Promise<void>;
  /** When its message is gone from Slack (message_not_found), post it again rather than give up: it carries buttons someone needs. */
  repostWhenGone?: boolean;
}

/** What became of a message asked to go out now. */
export type Delivery = { sent: Posted } | { kept: string } | { refused: string };

export interface Messenger {
  /** Posts now; resolves undefined when Slack is failing and the message was kept for the resend job. */
  post(message: OutgoingMessage): Promise<Posted | undefined>;
  /** A direct message from the app to a person. */
  dm(userId: string, content: MessageContent): Promise<Posted | undefined>;
  /** Posts a record's message, or updates it when the record already has one (its stored ts decides). */
  sync(mirror: string, ref: string): Promise<Posted | undefined>;
  /** Records messages in the caller's transaction; returns their keys, in order, for `deliver`. */
  enqueue(tx: Db, messages: QueuedMessage[]): Promise<string[]>;
  /** Sends recorded messages now (their transaction has committed), in order; a refusal is reported, not thrown. */
  deliver(keys: string[]): Promise<Delivery[]>;
}

export interface Outbox extends Messenger {
  /** The same, through the client paced to Slack's rate tiers: for fan-out to many people. */
  paced: Messenger;
  defineMirror(name: string, mirror: Mirror): void;
  /**
   * Sends what is due; run every minute by the scheduler (so by one replica per slot). At start,
   * `everything` tries every waiting message at once: a restart often follows an outage's end.
   */
  resendDue(now: Date, options?: { everything?: boolean }): Promise<{ sent: number; pending: number; failed: number }>;
  /**
   * From now on, also resends each waiting message when it falls due (when that comes before the
   * next minute's run), rather than at that run; the next `resendDue` plans the first such resend.
   * Returns a function that stops it.
   */
  sendWhenDue(): () => Promise<void>;
}

/** The outbox key of a record's card: one row per card, so its latest version replaces a waiting one. */
export const cardKey = ({ mirror, ref }: CardRef) => `${mirror}:${ref}`;
/** The stream of the notes in a card's thread, by the card's outbox key. */
const threadStreamOf = (key: string) => `${key}:thread`;

/** Marks what the app posted, so a resend after a crash or a timeout can find a message that did land. */
const MESSAGE_EVENT_TYPE = 'frontline_message';

const RESEND_BATCH = 200;
// A card changed again while it was being sent is drawn again; past this many rounds the next run takes it.
const MAX_ROUNDS = 10;
const MAX_BACKOFF_MS = 60 * 60_000;
// A thread note whose card is not in Slack yet waits this long before looking again.
const WAIT_FOR_CARD_MS = 30_000;
// How far back to look for a message that may have landed: 10 pages of Slack's 200.
const LANDED_PAGES = 10;
/**
 * A post whose fate is unknown (its process died, it timed out) may still be landing: it is looked
 * for only once this long has passed since it was sent, longer than a Slack call may take.
 */
export const LANDING_MS = SLACK_TIMEOUT_MS + 5_000;

type Row = typeof slackOutbox.$inferSelect;
type Attempt = {
  key: string;
  mirror?: string;
  ref?: string;
  ts?: string | null;
  message: OutgoingMessage;
  maybePosted: boolean;
  /** Tried before (or possibly sent): notes may have been kept waiting for this card meanwhile. */
  late: boolean;
  since: Date;
};
// `stream` comes with a send that emptied its row: what queued behind it may follow.
type Outcome = (Delivery & { stream?: string }) | { waiting: string } | { busy: true } | { gone: true };

export function createOutbox({
  db,
  locks,
  clock,
  logger,
  slack,
  paced,
}: {
  db: Db;
  locks: Locks;
  clock: Clock;
  logger: Logger;
  slack: WebClient;
  paced: WebClient;
}): Outbox {
  const mirrors = new Map<string, Mirror>();
  // Set while the app runs its schedules: tests drive the resend job by hand, with a clock that does not tick.
  let wake: Wake | undefined;
  const streams = createStreamQueries(db, {
    table: slackOutbox,
    key: slackOutbox.key,
    seq: slackOutbox.seq,
    stream: slackOutbox.stream,
    status: slackOutbox.status,
    nextAttemptAt: slackOutbox.nextAttemptAt,
  });
  const mirrorOf = (name: string) => {
    const mirror = mirrors.get(name);
    if (!mirror) throw new Error(`no message mirror named ${name}`);
    return mirror;
  };

  /** The row for one queued message: its key, its stream (what it must follow) and what to send. */
  function toRow(message: QueuedMessage, now: Date): typeof slackOutbox.$inferInsert {
    const base = { nextAttemptAt: now, createdAt: now };
    if ('card' in message) {
      const key = cardKey(message.card);
      return { ...base, key, stream: key, mirror: message.card.mirror, ref: message.card.ref };
    }
    const key = message.key ?? randomUUID();
    if ('inThreadOf' in message) {
      const { mirror, ref } = message.inThreadOf;
      return {
        ...base,
        key,
        stream: threadStreamOf(cardKey(message.inThreadOf)),
        threadMirror: mirror,
        threadRef: ref,
        text: message.content.text,
        blocks: message.content.blocks ?? null,
      };
    }
    if ('dm' in message)
      return {
        ...base,
        key,
        stream: `dm:${message.dm}`,
        channel: message.dm,
        text: message.content.text,
        blocks: message.content.blocks ?? null,
      };
    const { post } = message;
    return {
      ...base,
      key,
      stream: key,
      channel: post.channel,
      threadTs: post.threadTs ?? null,
      text: post.text,
      blocks: post.blocks ?? null,
    };
  }

  async function enqueue(tx: Db, messages: QueuedMessage[]): Promise<string[]> {
    if (messages.length === 0) return [];
    const now = clock.now();
    const rows = messages.map((m) => toRow(m, now));
    for (const row of rows) {
      // A card already waiting is the same message: mark it changed (a send under way then keeps it
      // due) rather than adding a second. A failed one is given a fresh start.
      await tx
        .insert(slackOutbox)
        .values(row)
        .onConflictDoUpdate({
          target: slackOutbox.key,
          set: {
            version: sql`${slackOutbox.version} + 1`,
            status: 'pending',
            // Due now, unless an earlier send may still be landing: it must not land after this one.
            nextAttemptAt: sql`case when ${slackOutbox.maybePosted} then greatest(${slackOutbox.nextAttemptAt}, ${now.toISOString()}::timestamptz) else ${now.toISOString()}::timestamptz end`,
            attempts: sql`case when ${slackOutbox.status} = 'failed' then 0 else ${slackOutbox.attempts} end`,
          },
        });
    }
    return rows.map((r) => r.key);
  }

  /** Finds a message this app posted under `key` since `since`, when an earlier try may have landed. */
  async function findLanded(client: WebClient, { key, message, since }: Attempt): Promise<Posted | undefined> {
    const channel = isPerson(message.channel)
      ? (await client.conversations.open({ users: message.channel })).channel?.id
      : message.channel;
    if (!channel) return undefined;
    const oldest = String(Math.floor(since.getTime() / 1000) - 60);
    let cursor: string | undefined;
    for (let page = 0; page < LANDED_PAGES; page++) {
      const query = { channel, oldest, include_all_metadata: true, limit: 200, ...(cursor ? { cursor } : {}) };
      const res = message.threadTs
        ? await client.conversations.replies({ ...query, ts: message.threadTs })
        : await client.conversations.history(query);
      const found = res.messages?.find(
        (m) => (m.metadata?.event_payload as { key?: unknown } | undefined)?.key === key,
      );
      if (found?.ts) return { channel, ts: found.ts };
      cursor = res.response_metadata?.next_cursor;
      if (!res.has_more || !cursor) return undefined;
    }
    return undefined;
  }

  /** Posts with the key in its metadata; a public channel the app is not in yet is joined first. */
  async function postKeyed(client: WebClient, key: string, message: OutgoingMessage): Promise<Posted> {
    const post = () =>
      postMessage(client, message.channel, {
        ...message,
        metadata: { event_type: MESSAGE_EVENT_TYPE, event_payload: { key } },
      });
    try {
      return await post();
    } catch (error) {
      if (slackErrorCode(error) !== 'not_in_channel' || isPerson(message.channel)) throw error;
      await client.conversations.join({ channel: message.channel });
      return post();
    }
  }

  /**
   * Marks a row as possibly sent before the call: if this process dies while Slack holds the call,
   * the next try waits until it could have landed (an update landing late would undo a newer one;
   * a post is then looked for first). It plans no wake: the send settles the row itself, and a
   * process that dies takes its timer with it (the next start plans from the table).
   */
  const markInFlight = (key: string) =>
    db
      .update(slackOutbox)
      .set({ maybePosted: true, nextAttemptAt: new Date(clock.now().getTime() + LANDING_MS) })
      .where(eq(slackOutbox.key, key));

  /** One try: update when the message is in Slack, else post (after looking for an uncertain earlier try). */
  async function send(client: WebClient, attempt: Attempt): Promise<Posted> {
    const { message } = attempt;
    if (attempt.ts) {
      await markInFlight(attempt.key);
      try {
        await client.chat.update({
          channel: message.channel,
          ts: attempt.ts,
          text: message.text,
          ...(message.blocks ? { blocks: message.blocks } : {}),
        });
        return { channel: message.channel, ts: attempt.ts };
      } catch (error) {
        const repost = attempt.mirror && mirrorOf(attempt.mirror).repostWhenGone;
        if (!repost || slackErrorCode(error) !== 'message_not_found') throw error;
      }
    }
    const landed = attempt.maybePosted ? await findLanded(client, attempt) : undefined;
    if (!landed) await markInFlight(attempt.key);
    const posted = landed ?? (await postKeyed(client, attempt.key, message));
    if (attempt.mirror && attempt.ref) {
      await mirrorOf(attempt.mirror).posted(attempt.ref, posted);
      // Notes are kept waiting for a card that failed or may have been sent: one posted at its first
      // try sends its change's notes next (a note from a click in the moment before its ts is stored waits its 30 s).
      if (attempt.late) await releaseNotesOf(attempt.key);
    }
    return posted;
  }

  /**
   * A card is in Slack now: the notes that waited for it go as soon as a sender comes (a wake, or
   * the minute's job), not WAIT_FOR_CARD_MS after they last looked. One that may be landing waits on.
   */
  async function releaseNotesOf(key: string) {
    const now = clock.now();
    const released = await db
      .update(slackOutbox)
      .set({ nextAttemptAt: now })
      .where(
        and(
          eq(slackOutbox.stream, threadStreamOf(key)),
          eq(slackOutbox.status, 'pending'),
          eq(slackOutbox.maybePosted, false),
          gt(slackOutbox.nextAttemptAt, now),
        ),
      )
      .returning({ key: slackOutbox.key });
    if (released.length > 0) wake?.at(now);
  }

  /** What a row should send now; undefined when there is nothing (left) to send, a string when it must wait. */
  async function attemptFor(row: Row): Promise<Attempt | string | undefined> {
    const base = {
      key: row.key,
      ts: row.ts,
      maybePosted: row.maybePosted,
      late: row.maybePosted || row.attempts > 0,
      since: row.createdAt,
    };
    const content = { text: row.text ?? '', ...(row.blocks ? { blocks: row.blocks as Blocks } : {}) };
    if (row.mirror && row.ref) {
      const rendered = await mirrorOf(row.mirror).render(row.ref);
      if (!rendered) return undefined;
      const { ts, ...message } = rendered;
      return { ...base, mirror: row.mirror, ref: row.ref, ts: ts ?? row.ts, message };
    }
    if (row.threadMirror && row.threadRef) {
      const card = await mirrorOf(row.threadMirror).render(row.threadRef);
      if (!card) return undefined;
      if (!card.ts) return 'its card is not in Slack yet';
      return { ...base, message: { channel: card.channel, threadTs: card.ts, ...content } };
    }
    return {
      ...base,
      message: { channel: row.channel ?? '', ...(row.threadTs ? { threadTs: row.threadTs } : {}), ...content },
    };
  }

  /**
   * Deletes a sent row unless a newer version arrived meanwhile: then it must be sent again, and
   * since what was sent is known to have landed, at once.
   */
  async function settleSent(row: Row): Promise<boolean> {
    const deleted = await db
      .delete(slackOutbox)
      .where(and(eq(slackOutbox.key, row.key), eq(slackOutbox.version, row.version)))
      .returning({ key: slackOutbox.key });
    if (deleted.length > 0) return true;
    await db
      .update(slackOutbox)
      .set({ maybePosted: false, nextAttemptAt: clock.now() })
      .where(eq(slackOutbox.key, row.key));
    return false;
  }

  async function settleFailed(row: Row, error: unknown): Promise<Outcome> {
    const failure = classifySlackFailure(error);
    const attempts = row.attempts + 1;
    if (!failure.transient) {
      logger.error({ err: error, key: row.key, channel: row.channel }, 'Slack refused a message; giving up on it');
      await db
        .update(slackOutbox)
        .set({ status: 'failed', attempts, lastError: failure.reason })
        .where(eq(slackOutbox.key, row.key));
      return { refused: failure.reason };
    }
    logger.warn({ err: error, key: row.key }, 'Slack did not take a message; kept in the outbox to send again');
    // A call that may have been carried out is looked for once it could have landed; one Slack
    // surely did not take waits a minute first.
    const backoff = backoffMs(attempts, {
      baseMs: failure.maybeDelivered ? LANDING_MS : 60_000,
      maxMs: MAX_BACKOFF_MS,
    });
    const nextAttemptAt = new Date(clock.now().getTime() + Math.max(backoff, failure.retryAfterMs ?? 0));
    await db
      .update(slackOutbox)
      .set({
        attempts,
        lastError: failure.reason,
        maybePosted: row.maybePosted || failure.maybeDelivered,
        nextAttemptAt,
      })
      .where(eq(slackOutbox.key, row.key));
    wake?.at(nextAttemptAt);
    return { kept: failure.reason };
  }

  /**
   * Sends one row, holding its lock so no other process or caller sends it at the same time. A row
   * changed while it was being sent is sent again (a card then shows its record as it now stands).
   */
  async function deliverOne(client: WebClient, key: string): Promise<Outcome> {
    const release = await locks.tryLock(`slack_outbox:${key}`);
    if (!release) return { busy: true };
    try {
      let result: Outcome = { gone: true };
      for (let round = 0; round < MAX_ROUNDS; round++) {
        const [row] = await db
          .select()
          .from(slackOutbox)
          .where(and(eq(slackOutbox.key, key), eq(slackOutbox.status, 'pending')));
        if (!row) return result;
        if (row.maybePosted && row.nextAttemptAt > clock.now()) {
          wake?.at(row.nextAttemptAt);
          return { waiting: 'an earlier try may still be landing' };
        }
        if (await streams.waitsForEarlier(row)) return { waiting: 'an earlier message of its stream' };
        const attempt = await attemptFor(row);
        if (attempt === undefined) {
          await settleSent(row);
          return result;
        }
        if (typeof attempt === 'string') {
          const nextAttemptAt = new Date(clock.now().getTime() + WAIT_FOR_CARD_MS);
          await db.update(slackOutbox).set({ nextAttemptAt }).where(eq(slackOutbox.key, key));
          wake?.at(nextAttemptAt);
          return { waiting: attempt };
        }
        try {
          result = { sent: await send(client, attempt) };
        } catch (error) {
          return await settleFailed(row, error);
        }
        if (await settleSent(row)) return { ...result, stream: row.stream };
      }
      return result;
    } finally {
      await release();
    }
  }

  /**
   * Sends one row, then the rows of its stream that were waiting behind it: whoever sends the head
   * of a stream also sends what queued up meanwhile, so nothing waits for the next run for no reason.
   */
  const deliverFrom = (client: WebClient, key: string): Promise<Outcome> =>
    drainStream(
      (next) => deliverOne(client, next),
      (outcome) => ('stream' in outcome ? outcome.stream : undefined),
      (stream) => streams.nextDue(stream, clock.now()),
      key,
    );

  /** The public face of an outcome: a send under way elsewhere or a wait counts as kept. */
  const asDelivery = (outcome: Outcome): Delivery =>
    'sent' in outcome
      ? { sent: outcome.sent }
      : 'kept' in outcome || 'refused' in outcome
        ? outcome
        : 'waiting' in outcome
          ? { kept: outcome.waiting }
          : { kept: 'being sent' };

  const messenger = (client: WebClient): Messenger => {
    const deliver = async (keys: string[]) => {
      const results: Delivery[] = [];
      for (const key of keys) results.push(asDelivery(await deliverFrom(client, key)));
      return results;
    };
    /** Records one message on its own and sends it now; a refusal is thrown, as the caller asked for it now. */
    const sendNow = async (message: QueuedMessage) => {
      const [result] = await deliver(await enqueue(db, [message]));
      if (result && 'refused' in result)
        throw Object.assign(new Error(`Slack refused the message: ${result.refused}`), {
          data: { error: result.refused },
        });
      return result && 'sent' in result ? result.sent : undefined;
    };
    return {
      enqueue,
      deliver,
      post: (message) => sendNow({ post: message }),
      dm: (userId, content) => sendNow({ dm: userId, content }),
      sync: (mirror, ref) => sendNow({ card: { mirror, ref } }),
    };
  };

  /** The keys due now (or all waiting ones) that head their stream, oldest first. */
  const dueKeys = (now: Date, everything: boolean) =>
    streams.dueHeads(
      // Even at start, a post that may still be landing waits its time.
      everything
        ? or(eq(slackOutbox.maybePosted, false), lte(slackOutbox.nextAttemptAt, now))
        : lte(slackOutbox.nextAttemptAt, now),
      RESEND_BATCH,
    );

  /** Plans the wake for the first message still waiting (one behind another of its stream waits for it, not its own time). */
  const planWake = async () => wake?.at(await streams.nextDueAt());

  const pacedMessenger = messenger(paced);
  const outbox: Outbox = {
    ...messenger(slack),
    paced: pacedMessenger,
    defineMirror(name, mirror) {
      if (mirrors.has(name)) throw new Error(`message mirror ${name} is defined twice`);
      mirrors.set(name, mirror);
    },
    async resendDue(now, { everything = false } = {}) {
      const counts = { sent: 0, pending: 0, failed: 0 };
      for (const key of await dueKeys(now, everything)) {
        const outcome = await deliverFrom(paced, key);
        if ('sent' in outcome) counts.sent++;
        else if ('refused' in outcome) {
          counts.failed++;
          const [row] = await db.select().from(slackOutbox).where(eq(slackOutbox.key, key));
          if (row?.mirror && row.ref) await mirrorOf(row.mirror).refused?.(row.ref, outcome.refused);
        } else if ('kept' in outcome || 'waiting' in outcome) counts.pending++;
      }
      await planWake();
      return counts;
    },
    sendWhenDue() {
      const ownWake = createWake({ clock, logger, send: () => outbox.resendDue(clock.now()) });
      // Not planned here: the start's resend plans it once done. A look of its own at the same
      // moment took one more connection: 15 MiB more for the embedded server, idle.
      wake = ownWake;
      return async () => {
        if (wake === ownWake) wake = undefined;
        await ownWake.stop();
      };
    },
  };
  return outbox;
}
