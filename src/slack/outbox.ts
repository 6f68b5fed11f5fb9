// Every message the app sends goes through here: sent at once, and when Slack still fails after the
// client's retries, kept in slack_outbox and re-sent every minute until it lands, never twice.
import { randomUUID } from 'node:crypto';
import type { WebClient } from '@slack/web-api';
import { and, asc, eq, lt, lte, sql } from 'drizzle-orm';
import type { Clock } from '../clock.ts';
import type { Db } from '../db/client.ts';
import type { Logger } from '../logger.ts';
import type { Blocks } from './blocks.ts';
import { isPerson } from './mentions.ts';
import { type MessageContent, postMessage } from './messaging.ts';
import { slackOutbox } from './outbox.table.ts';
import { classifySlackFailure } from './slack-client.ts';

export interface Posted {
  channel: string;
  ts: string;
}

export interface OutgoingMessage extends MessageContent {
  /** A channel ID, or a user ID for a direct message from the app. */
  channel: string;
  threadTs?: string;
}

/** A message that mirrors a record (an escalation's card): rendered from the database whenever it is sent. */
export interface Mirror {
  /** How the message should look now and its ts if it is already in Slack; undefined when it should not be sent. */
  render(ref: string): Promise<(OutgoingMessage & { ts?: string | null }) | undefined>;
  /** Remembers where the first post landed (the record's stored ts then turns later sends into updates). */
  posted(ref: string, posted: Posted): Promise<void>;
  /** Slack refused a kept message for good: tell whoever is waiting for it. */
  refused?(ref: string, reason: string): Promise<void>;
}

export interface Messenger {
  /** Posts now; resolves undefined when Slack is failing and the message was kept for the resend job. */
  post(message: OutgoingMessage): Promise<Posted | undefined>;
  /** A direct message from the app to a person. */
  dm(userId: string, content: MessageContent): Promise<Posted | undefined>;
  /** Posts a record's message, or updates it when the record already has one (its stored ts decides). */
  sync(mirror: string, ref: string): Promise<Posted | undefined>;
}

export interface Outbox extends Messenger {
  /** The same, through the client paced to Slack's rate tiers: for fan-out to many people. */
  paced: Messenger;
  defineMirror(name: string, mirror: Mirror): void;
  /** Sends what is due; run every minute by the scheduler (so by one replica per slot). */
  resendDue(now: Date): Promise<{ sent: number; pending: number; failed: number }>;
}

/** Marks what the app posted, so a resend after a timeout can find a message that did land. */
const MESSAGE_EVENT_TYPE = 'frontline_message';

const RESEND_BATCH = 200;
const MAX_SYNC_ROUNDS = 3;
const MAX_BACKOFF_MS = 60 * 60_000;
// Each row is claimed just before it is sent, for longer than one send can take (retries included).
const CLAIM_MS = 10 * 60_000;
// How far back to look for a message that may have landed: 10 pages of Slack's 200.
const LANDED_PAGES = 10;

type Row = typeof slackOutbox.$inferSelect;
type Attempt = { key: string; mirror?: string; ref?: string; ts?: string | null; message: OutgoingMessage; maybePosted: boolean; since: Date };

export function createOutbox({ db, clock, logger, slack, paced }: { db: Db; clock: Clock; logger: Logger; slack: WebClient; paced: WebClient }): Outbox {
  const mirrors = new Map<string, Mirror>();
  const mirrorOf = (name: string) => {
    const mirror = mirrors.get(name);
    if (!mirror) throw new Error(`no message mirror named ${name}`);
    return mirror;
  };

  /** Finds a message this app posted under `key` since `since`, when an earlier try may have landed. */
  async function findLanded(client: WebClient, { key, message, since }: Attempt): Promise<Posted | undefined> {
    const channel = isPerson(message.channel) ? (await client.conversations.open({ users: message.channel })).channel?.id : message.channel;
    if (!channel) return undefined;
    const oldest = String(Math.floor(since.getTime() / 1000) - 60);
    let cursor: string | undefined;
    for (let page = 0; page < LANDED_PAGES; page++) {
      const query = { channel, oldest, include_all_metadata: true, limit: 200, ...(cursor ? { cursor } : {}) };
      const res = message.threadTs ? await client.conversations.replies({ ...query, ts: message.threadTs }) : await client.conversations.history(query);
      const found = res.messages?.find((m) => (m.metadata?.event_payload as { key?: unknown } | undefined)?.key === key);
      if (found?.ts) return { channel, ts: found.ts };
      cursor = res.response_metadata?.next_cursor;
      if (!res.has_more || !cursor) return undefined;
    }
    return undefined;
  }

  /** One try: update when the message is in Slack, else post (after checking an uncertain earlier try). */
  async function send(client: WebClient, attempt: Attempt): Promise<Posted> {
    const { message } = attempt;
    const content = { text: message.text, ...(message.blocks ? { blocks: message.blocks } : {}) };
    if (attempt.ts) {
      await client.chat.update({ channel: message.channel, ts: attempt.ts, ...content });
      return { channel: message.channel, ts: attempt.ts };
    }
    const landed = attempt.maybePosted ? await findLanded(client, attempt) : undefined;
    const posted = landed ?? (await postMessage(client, message.channel, { ...message, metadata: { event_type: MESSAGE_EVENT_TYPE, event_payload: { key: attempt.key } } }));
    if (attempt.mirror && attempt.ref) await mirrorOf(attempt.mirror).posted(attempt.ref, posted);
    return posted;
  }

  /** Keeps a message Slack would not take for the resend job; a newer version of the same key replaces it. */
  async function keep(attempt: Attempt, reason: string, retryAfterMs: number | undefined): Promise<void> {
    const now = clock.now();
    const { message } = attempt;
    const values = {
      mirror: attempt.mirror ?? null,
      ref: attempt.ref ?? null,
      channel: message.channel,
      threadTs: message.threadTs ?? null,
      ts: attempt.ts ?? null,
      text: message.text,
      blocks: (message.blocks as unknown[] | undefined) ?? null,
      status: 'pending' as const,
      maybePosted: attempt.maybePosted,
      lastError: reason,
      nextAttemptAt: new Date(now.getTime() + Math.max(retryAfterMs ?? 0, 60_000)),
    };
    // A row already sent is a past message of the same record: start afresh rather than inherit its history.
    const revived = sql`${slackOutbox.status} = 'sent'`;
    await db
      .insert(slackOutbox)
      .values({ key: attempt.key, ...values, attempts: 1, createdAt: now })
      .onConflictDoUpdate({
        target: slackOutbox.key,
        set: {
          ...values,
          maybePosted: sql`(not ${revived} and ${slackOutbox.maybePosted}) or ${attempt.maybePosted}`,
          attempts: sql`case when ${revived} then 1 else ${slackOutbox.attempts} + 1 end`,
          createdAt: sql`case when ${revived} then ${now.toISOString()}::timestamptz else ${slackOutbox.createdAt} end`,
          version: sql`${slackOutbox.version} + 1`,
        },
      });
  }

  /** Sends now, or keeps it when the failure is Slack's and passing; a refusal (channel_not_found…) is thrown. */
  async function deliver(client: WebClient, attempt: Attempt): Promise<Posted | undefined> {
    try {
      return await send(client, attempt);
    } catch (error) {
      const failure = classifySlackFailure(error);
      if (!failure.transient) throw error;
      logger.warn({ err: error, key: attempt.key }, 'Slack did not take a message; kept in the outbox to send again');
      await keep({ ...attempt, maybePosted: attempt.maybePosted || failure.maybeDelivered }, failure.reason, failure.retryAfterMs);
      return undefined;
    }
  }

  /**
   * When an earlier version of a record's message is waiting, marks it changed (so a resend under way
   * does not mark it sent) and, when it is an update of a message already in Slack, due now. A first
   * post keeps its time: one may be under way, and posting it again could post twice.
   */
  async function refreshPending(key: string): Promise<boolean> {
    const rows = await db
      .update(slackOutbox)
      .set({ version: sql`${slackOutbox.version} + 1`, nextAttemptAt: sql`case when ${slackOutbox.ts} is null then ${slackOutbox.nextAttemptAt} else ${clock.now().toISOString()}::timestamptz end` })
      .where(and(eq(slackOutbox.key, key), eq(slackOutbox.status, 'pending')))
      .returning({ key: slackOutbox.key });
    return rows.length > 0;
  }

  const messenger = (client: WebClient): Messenger => ({
    post: (message) => deliver(client, { key: randomUUID(), message, maybePosted: false, since: clock.now() }),
    dm: (userId, content) => deliver(client, { key: randomUUID(), message: { channel: userId, ...content }, maybePosted: false, since: clock.now() }),
    async sync(mirror, ref) {
      const key = `${mirror}:${ref}`;
      // An earlier version is waiting to be sent: it is drawn again then, so this one needs no send of its own.
      if (await refreshPending(key)) return undefined;
      // Two changes at once may land their updates in either order: after updating, draw it again and
      // update until what Slack shows is what the record says (no locks held across the Slack call).
      let shown: string | undefined;
      let result: Posted | undefined;
      for (let round = 0; round < MAX_SYNC_ROUNDS; round++) {
        const rendered = await mirrorOf(mirror).render(ref);
        if (!rendered) return result;
        const { ts, ...message } = rendered;
        const drawn = JSON.stringify(message);
        if (drawn === shown) return result;
        result = await deliver(client, { key, mirror, ref, ts, message, maybePosted: false, since: clock.now() });
        if (!result || !ts) return result;
        shown = drawn;
      }
      return result;
    },
  });

  /** The keys due now, oldest first; each is claimed on its own just before it is sent. */
  const dueKeys = (now: Date) =>
    db
      .select({ key: slackOutbox.key })
      .from(slackOutbox)
      .where(and(eq(slackOutbox.status, 'pending'), lte(slackOutbox.nextAttemptAt, now)))
      .orderBy(asc(slackOutbox.createdAt))
      .limit(RESEND_BATCH);

  /** Takes one due row for this run; another replica's run that got there first wins. */
  async function claim(key: string, now: Date): Promise<Row | undefined> {
    const [row] = await db
      .update(slackOutbox)
      .set({ nextAttemptAt: new Date(clock.now().getTime() + CLAIM_MS) })
      .where(and(eq(slackOutbox.key, key), eq(slackOutbox.status, 'pending'), lte(slackOutbox.nextAttemptAt, now)))
      .returning();
    return row;
  }

  /** Records the outcome of a send, unless a newer version came in meanwhile (then it is due again now). */
  async function settle(row: Row, set: Partial<typeof slackOutbox.$inferInsert>): Promise<void> {
    const updated = await db
      .update(slackOutbox)
      .set(set)
      .where(and(eq(slackOutbox.key, row.key), eq(slackOutbox.version, row.version)))
      .returning({ key: slackOutbox.key });
    if (updated.length === 0) await db.update(slackOutbox).set({ nextAttemptAt: clock.now() }).where(and(eq(slackOutbox.key, row.key), eq(slackOutbox.status, 'pending')));
  }

  async function resendOne(row: Row, now: Date): Promise<'sent' | 'pending' | 'failed'> {
    let attempt: Attempt = { key: row.key, ts: row.ts, message: { channel: row.channel, text: row.text, ...(row.threadTs ? { threadTs: row.threadTs } : {}), ...(row.blocks ? { blocks: row.blocks as Blocks } : {}) }, maybePosted: row.maybePosted, since: row.createdAt };
    if (row.mirror && row.ref) {
      const rendered = await mirrorOf(row.mirror).render(row.ref);
      if (!rendered) {
        await settle(row, { status: 'sent', sentAt: clock.now(), lastError: 'nothing to send any more' });
        return 'sent';
      }
      const { ts, ...message } = rendered;
      attempt = { ...attempt, mirror: row.mirror, ref: row.ref, ts: ts ?? row.ts, message };
    }
    try {
      await send(paced, attempt);
      await settle(row, { status: 'sent', sentAt: clock.now(), lastError: null });
      return 'sent';
    } catch (error) {
      const failure = classifySlackFailure(error);
      const attempts = row.attempts + 1;
      if (!failure.transient) {
        logger.error({ err: error, key: row.key, channel: row.channel }, 'Slack refused a kept message; giving up on it');
        await settle(row, { status: 'failed', attempts, lastError: failure.reason });
        if (row.mirror && row.ref) await mirrorOf(row.mirror).refused?.(row.ref, failure.reason);
        return 'failed';
      }
      const backoff = Math.min(MAX_BACKOFF_MS, 60_000 * 2 ** Math.min(attempts - 1, 6));
      await settle(row, { attempts, lastError: failure.reason, maybePosted: row.maybePosted || failure.maybeDelivered, nextAttemptAt: new Date(now.getTime() + Math.max(backoff, failure.retryAfterMs ?? 0)) });
      return 'pending';
    }
  }

  return {
    ...messenger(slack),
    paced: messenger(paced),
    defineMirror(name, mirror) {
      if (mirrors.has(name)) throw new Error(`message mirror ${name} is defined twice`);
      mirrors.set(name, mirror);
    },
    async resendDue(now) {
      const counts = { sent: 0, pending: 0, failed: 0 };
      for (const { key } of await dueKeys(now)) {
        const row = await claim(key, now);
        if (row) counts[await resendOne(row, now)]++;
      }
      // Sent rows are kept a week for the record, then forgotten.
      await db.delete(slackOutbox).where(and(eq(slackOutbox.status, 'sent'), lt(slackOutbox.sentAt, new Date(now.getTime() - 7 * 24 * 3600_000))));
      return counts;
    },
  };
}
