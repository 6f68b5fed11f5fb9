// The messages that mirror sessions in Slack, drawn from the database whenever they are sent: one
// per person listing their sessions, and one per host and session naming its shadows. A change
// records which of them to redraw in its own transaction; the outbox then posts each once and edits
// it in place from then on (its channel and ts are kept in shadow_messages), the latest state last.
import type { Clock } from '../clock.ts';
import type { Db } from '../db/client.ts';
import { type ChangeDeps, commitChange } from '../events/commit-change.ts';
import type { Outbox, QueuedMessage } from '../slack/outbox.ts';
import { createSessionsRepository, type Session, type SessionsRepository } from './sessions.repository.ts';
import { hostSessionMessage, sessionsMessage } from './sessions.views.ts';

/** A person's one message about their shadow sessions; its ref is their user ID. */
export const SESSIONS_MESSAGE = 'shadow-sessions';
/** A host's message about one session; its ref is `rotationId:startsAtMs:hostId`. */
export const HOST_MESSAGE = 'shadow-host';

const sessionPrefix = (seat: Pick<Session, 'rotationId' | 'startsAt'>) =>
  `${seat.rotationId}:${seat.startsAt.getTime()}:`;
const HOST_REF = /^(\d+):(\d+):(\w+)$/;

export function defineSessionMessages(
  outbox: Outbox,
  { sessions, clock }: { sessions: SessionsRepository; clock: Clock },
): void {
  outbox.defineMirror(SESSIONS_MESSAGE, {
    async render(userId) {
      const now = clock.now();
      const stored = await sessions.message(SESSIONS_MESSAGE, userId);
      const upcoming = await sessions.upcomingFor(userId, now);
      // Someone without a message yet gets one only when a session is offered to them.
      if (!stored && upcoming.length === 0) return undefined;
      const withdrawn = stored ? await sessions.withdrawnFor(userId, now) : [];
      return {
        channel: stored?.channel ?? userId,
        ts: stored?.ts ?? null,
        ...sessionsMessage({ upcoming, withdrawn }),
      };
    },
    posted: (userId, posted) => sessions.saveMessage(SESSIONS_MESSAGE, userId, posted, clock.now()),
    repostWhenGone: true,
  });
  outbox.defineMirror(HOST_MESSAGE, {
    async render(ref) {
      const [, rotationId, startsAt, hostId] = HOST_REF.exec(ref) ?? [];
      if (!rotationId || !startsAt || !hostId) return undefined;
      const stored = await sessions.message(HOST_MESSAGE, ref);
      const seats = await sessions.seatsOf(Number(rotationId), new Date(Number(startsAt)));
      const hosting = seats.some((s) => s.hostId === hostId && ['offered', 'accepted'].includes(s.status));
      // A host is told once a shadow is offered the session; after that the message follows every change.
      const content = stored || hosting ? hostSessionMessage(seats, hostId) : undefined;
      return content && { channel: stored?.channel ?? hostId, ts: stored?.ts ?? null, ...content };
    },
    posted: (ref, posted) => sessions.saveMessage(HOST_MESSAGE, ref, posted, clock.now()),
    repostWhenGone: true,
  });
}

/**
 * The messages to redraw after `seats` changed: each seat's shadow's sessions message, and its
 * session's messages to hosts (the current host's, and any earlier host's that is already in Slack).
 */
export async function messagesAbout(tx: Db, seats: Session[]): Promise<QueuedMessage[]> {
  const sessions = createSessionsRepository({ db: tx });
  const cards = new Map<string, QueuedMessage>();
  const redraw = (mirror: string, ref: string) => cards.set(`${mirror}:${ref}`, { card: { mirror, ref } });
  for (const seat of seats) {
    redraw(SESSIONS_MESSAGE, seat.shadowId);
    const prefix = sessionPrefix(seat);
    redraw(HOST_MESSAGE, `${prefix}${seat.hostId}`);
    for (const ref of await sessions.messageRefs(HOST_MESSAGE, prefix)) redraw(HOST_MESSAGE, ref);
  }
  return [...cards.values()];
}

/**
 * Changes seats in one transaction with the redraw of the messages about them (see commitChange).
 * `change` returns the seats it changed, or undefined when nothing changed (a lost race).
 */
export async function changeSeats(
  deps: ChangeDeps,
  change: (sessions: SessionsRepository, tx: Db) => Promise<Session[] | undefined>,
): Promise<Session[] | undefined> {
  const done = await commitChange(deps, async (tx) => {
    const seats = await change(createSessionsRepository({ db: tx }), tx);
    return seats && { result: seats, messages: await messagesAbout(tx, seats) };
  });
  return done?.result;
}
