import { UserError } from '../errors.ts';
import { commitChange } from '../events/commit-change.ts';
import { slackDate } from '../slack/blocks.ts';
import { mentionUser } from '../slack/mentions.ts';
import type { MessageContent } from '../slack/messaging.ts';
import { escapeMrkdwn } from '../slack/mrkdwn.ts';
import { ROTATION_IDS } from './rotations.ids.ts';
import { localDate, OPEN_STATUSES, sessionEnd } from './rotations.models.ts';
import { isAwayOn } from './rotations.planner.ts';
import { announceAssignments, type RotationDeps, replanRotation } from './rotations.usecases.ts';
import { renderSchedule } from './rotations.views.ts';
import { changeSeats, SESSIONS_MESSAGE } from './sessions.messages.ts';
import { createSessionsRepository, type SessionWithRotation } from './sessions.repository.ts';
import { attendancePrompt, reflectionPrompt, reminderMessage, untakenMessage } from './sessions.views.ts';

const HOUR = 3_600_000;

/** A shadow acting on one of their sessions. */
interface SessionAnswer {
  id: number;
  userId: string;
}

const notYours = () =>
  new UserError(
    'rotations.session_closed',
    ':information_source: This session is no longer yours to change: it has passed, or it was already answered or reassigned.',
  );

async function mySession(deps: RotationDeps, id: number, userId: string): Promise<SessionWithRotation> {
  const session = await deps.sessions.get(id);
  if (
    !session ||
    session.shadowId !== userId ||
    !OPEN_STATUSES.includes(session.status) ||
    session.startsAt <= deps.clock.now()
  )
    throw notYours();
  return session;
}

/** Accept: the seat is theirs. A double click is harmless: accepting again changes nothing. */
export async function acceptSession(deps: RotationDeps, { id, userId }: SessionAnswer): Promise<string> {
  const session = await mySession(deps, id, userId);
  const now = deps.clock.now();
  const accepted = await changeSeats(deps, async (sessions) => {
    const row = await sessions.answer(id, userId, ['planned', 'offered', 'accepted'], 'accepted', now);
    return row && [row];
  });
  if (!accepted) throw notYours();
  return `:white_check_mark: You accepted *${escapeMrkdwn(session.rotationName)}*, ${slackDate(session.startsAt)}. I will remind you the day before and 15 minutes before.`;
}

/** Can't make it (skip): counts as their turn; the seat goes to the next fair person, and the host's message says so. */
export async function skipSession(deps: RotationDeps, { id, userId }: SessionAnswer): Promise<string> {
  const session = await mySession(deps, id, userId);
  const now = deps.clock.now();
  const declined = await changeSeats(deps, async (sessions) => {
    const row = await sessions.answer(id, userId, OPEN_STATUSES, 'declined', now);
    return row && [row];
  });
  if (!declined) throw notYours();
  await replanRotation(deps, { rotationId: session.rotationId });
  await announceAssignments(deps);
  return ":ok_hand: No problem: I passed this session to the next person in line. It counts as your turn, so you won't be asked again right away.";
}

/** Swap (postpone): they keep their turn and trade places with the next person in the plan. */
export async function swapSession(deps: RotationDeps, { id, userId }: SessionAnswer): Promise<string> {
  const session = await mySession(deps, id, userId);
  const away = await deps.rotations.awayFrom(localDate(deps.clock.now(), 'UTC'));
  const partner = await deps.sessions.swapPartner(session, (user, date) => isAwayOn(away.get(user) ?? [], date));
  if (!partner) {
    throw new UserError(
      'rotations.no_swap',
      ":information_source: Nobody later in this rotation can trade with you right now. Use *Can't make it* to pass the session on instead.",
    );
  }
  // Both seats are offered afresh to their new shadows; both people's and both hosts' messages are redrawn.
  const traded = await changeSeats(deps, (sessions) => sessions.trade(session, partner, deps.clock.now()));
  if (!traded) throw notYours();
  return `:arrows_counterclockwise: Swapped: ${mentionUser(partner.shadowId)} takes this one, and yours is now ${slackDate(partner.startsAt)}.`;
}

export async function markAttendance(
  deps: RotationDeps,
  { id, hostId, attended }: { id: number; hostId: string; attended: boolean },
): Promise<string> {
  const done = await commitChange(deps, async (tx) => {
    const sessions = createSessionsRepository({ db: tx });
    const before = await sessions.get(id);
    const row = await sessions.markAttendance(id, hostId, attended ? 'held' : 'no_show', deps.clock.now());
    if (!row) return undefined;
    const held = attended && before?.status !== 'held';
    return {
      result: row,
      events: held
        ? [{ type: 'shadow_session.held' as const, sessionId: row.id, shadowId: row.shadowId, hostId: row.hostId }]
        : [],
    };
  });
  const row = done?.result;
  if (!row)
    throw new UserError(
      'rotations.not_host',
      ':information_source: Only the host can mark attendance, once the session has started.',
    );
  return attended
    ? `:white_check_mark: Marked ${mentionUser(row.shadowId)} as attended. Thanks!`
    : `:x: Marked ${mentionUser(row.shadowId)} as a no-show.`;
}

/** Refuses a reflection on a session that is not this person's to reflect on (or a forged one). */
export const noReflection = () =>
  new UserError(
    'rotations.no_reflection',
    ':information_source: You can reflect on a session you shadowed, once it has started.',
    { field: ROTATION_IDS.surprised },
  );

/** The session a reflection may be written about: the shadow's own, once it started. */
export async function reflectableSession(
  deps: RotationDeps,
  { id, userId }: SessionAnswer,
): Promise<SessionWithRotation> {
  const session = await deps.sessions.get(id);
  if (
    !session ||
    session.shadowId !== userId ||
    session.startsAt > deps.clock.now() ||
    ['declined', 'cancelled'].includes(session.status)
  )
    throw noReflection();
  return session;
}

const groupBySession = (rows: SessionWithRotation[]) => {
  const groups = new Map<string, SessionWithRotation[]>();
  for (const r of rows)
    groups.set(`${r.rotationId}:${r.startsAt.getTime()}`, [
      ...(groups.get(`${r.rotationId}:${r.startsAt.getTime()}`) ?? []),
      r,
    ]);
  return [...groups.values()];
};

/** Sends a notice once across processes; gives the claim back if Slack refused it. */
async function sendOnce(
  deps: RotationDeps,
  sessionId: number,
  kind: string,
  recipient: string,
  content: MessageContent,
): Promise<void> {
  const now = deps.clock.now();
  if (!(await deps.sessions.claimNotice(sessionId, kind, recipient, now))) return;
  try {
    await deps.messages.dm(recipient, content);
  } catch (error) {
    await deps.sessions.releaseNotice(sessionId, kind, recipient);
    deps.logger.warn({ err: error, sessionId, kind }, 'could not send a shadow notice; will retry');
  }
}

/** A session that started leaves its shadow's sessions message (its buttons no longer apply), once per seat. */
async function clearStarted(deps: RotationDeps, seat: SessionWithRotation): Promise<void> {
  if (!seat.offeredAt) return;
  await commitChange(deps, async (tx) =>
    (await createSessionsRepository({ db: tx }).claimNotice(seat.id, 'started', seat.shadowId, deps.clock.now()))
      ? { result: seat, messages: [{ card: { mirror: SESSIONS_MESSAGE, ref: seat.shadowId } }] }
      : undefined,
  );
}

/** Reminders (day before, 15 minutes before), untaken-session alerts, started sessions cleared, and after-session prompts. */
export async function sendNotices(deps: RotationDeps): Promise<void> {
  const now = deps.clock.now();
  const taken = ['offered', 'accepted'] as const;
  for (const [kind, window] of [
    ['day_before', 24 * HOUR],
    ['soon', 15 * 60_000],
  ] as const) {
    for (const seats of groupBySession(
      await deps.sessions.startingBetween(now, new Date(now.getTime() + window), [...taken]),
    )) {
      const soon = kind === 'soon';
      for (const seat of seats)
        await sendOnce(deps, seat.id, kind, seat.shadowId, reminderMessage([seat], 'shadow', soon));
      await sendOnce(deps, seats[0]!.id, kind, seats[0]!.hostId, reminderMessage(seats, 'host', soon));
    }
  }
  for (const seat of await deps.sessions.startingBetween(now, new Date(now.getTime() + 24 * HOUR), [
    'planned',
    'offered',
  ])) {
    // Frontline admins, and whoever set the rotation up (there may be no configured admins).
    for (const admin of new Set([...deps.adminIds, seat.rotationCreatedBy]))
      await sendOnce(deps, seat.id, 'untaken', admin, untakenMessage(seat));
  }
  const started = await deps.sessions.startingBetween(new Date(now.getTime() - 32 * HOUR), now, [
    ...OPEN_STATUSES,
    'held',
  ]);
  for (const seat of started) await clearStarted(deps, seat);
  const ended = started.filter((s) => sessionEnd(s.startsAt, s.durationMinutes) <= now);
  for (const seats of groupBySession(ended)) {
    for (const seat of seats) await sendOnce(deps, seat.id, 'reflection', seat.shadowId, reflectionPrompt(seat));
    await sendOnce(deps, seats[0]!.id, 'attendance', seats[0]!.hostId, attendancePrompt(seats));
  }
}

/** The coming week's sessions, posted to the support channel. */
export async function postWeeklySchedule(
  deps: RotationDeps,
  { supportChannel }: { supportChannel: string | undefined },
): Promise<void> {
  if (!supportChannel) return;
  const now = deps.clock.now();
  const week = await deps.sessions.schedule(undefined, now, new Date(now.getTime() + 7 * 24 * HOUR));
  if (week.length === 0) return;
  await deps.messages.post({ channel: supportChannel, ...renderSchedule('Shadowing this week', week) });
}
