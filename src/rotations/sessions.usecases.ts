import { UserError } from '../errors.ts';
import type { MessageContent } from '../slack/messaging.ts';
import { mentionUser } from '../slack/mentions.ts';
import { isAwayOn } from './rotations.planner.ts';
import { localDate, OPEN_STATUSES, sessionEnd } from './rotations.models.ts';
import { announceAssignments, type RotationDeps, replanRotation, withdrawOffers } from './rotations.usecases.ts';
import type { SessionWithRotation } from './sessions.repository.ts';
import { attendancePrompt, hostToldOfChange, reflectionPrompt, reminderMessage, untakenMessage } from './sessions.views.ts';
import { renderSchedule } from './rotations.views.ts';

const HOUR = 3_600_000;

const notYours = () =>
  new UserError('rotations.session_closed', ':information_source: This session is no longer yours to change: it has passed, or it was already answered or reassigned.');

async function mySession(deps: RotationDeps, id: number, userId: string): Promise<SessionWithRotation> {
  const session = await deps.sessions.get(id);
  if (!session || session.shadowId !== userId || !OPEN_STATUSES.includes(session.status) || session.startsAt <= deps.clock.now()) throw notYours();
  return session;
}

/** Accept: the seat is theirs. A double click is harmless: accepting again changes nothing. */
export async function acceptSession(deps: RotationDeps, id: number, userId: string): Promise<{ session: SessionWithRotation; outcome: string }> {
  const session = await mySession(deps, id, userId);
  const updated = await deps.sessions.answer(id, userId, ['planned', 'offered', 'accepted'], 'accepted', deps.clock.now());
  if (!updated) throw notYours();
  return { session, outcome: ':white_check_mark: You accepted. I will remind you the day before and 15 minutes before.' };
}

/** Can't make it (skip): counts as their turn; the seat goes to the next fair person, and the host is told. */
export async function skipSession(deps: RotationDeps, id: number, userId: string): Promise<{ session: SessionWithRotation; outcome: string }> {
  const session = await mySession(deps, id, userId);
  if (!(await deps.sessions.answer(id, userId, OPEN_STATUSES, 'declined', deps.clock.now()))) throw notYours();
  await replanRotation(deps, session.rotationId);
  const seat = (await deps.sessions.schedule(session.rotationId, session.startsAt, new Date(session.startsAt.getTime() + 1))).find((s) => s.seat === session.seat);
  await announceAssignments(deps);
  await tellHost(deps, hostToldOfChange(session, userId, seat?.shadowId, false), session.hostId);
  return { session, outcome: ":ok_hand: No problem: I passed this session to the next person in line. It counts as your turn, so you won't be asked again right away." };
}

/** Swap (postpone): they keep their turn and trade places with the next person in the plan. */
export async function swapSession(deps: RotationDeps, id: number, userId: string): Promise<{ session: SessionWithRotation; outcome: string }> {
  const session = await mySession(deps, id, userId);
  const away = await deps.rotations.awayFrom(localDate(deps.clock.now(), 'UTC'));
  const partner = await deps.sessions.swapPartner(session, (user, date) => isAwayOn(away.get(user) ?? [], date));
  if (!partner) {
    throw new UserError('rotations.no_swap', ":information_source: Nobody later in this rotation can trade with you right now. Use *Can't make it* to pass the session on instead.");
  }
  if (!(await deps.sessions.trade(session, partner, deps.clock.now()))) throw notYours();
  // The partner's DM about their later session is out of date: they get a new one for this session.
  await withdrawOffers(deps, session.rotationName, [partner]);
  await announceAssignments(deps);
  await tellHost(deps, hostToldOfChange(session, userId, partner.shadowId, true), session.hostId);
  return { session, outcome: `:arrows_counterclockwise: Swapped: ${mentionUser(partner.shadowId)} takes this one, and you get their later session (see my new message).` };
}

async function tellHost(deps: RotationDeps, content: MessageContent, hostId: string): Promise<void> {
  try {
    await deps.messages.dm(hostId, content);
  } catch (error) {
    deps.logger.warn({ err: error, hostId }, 'could not tell a host about a change');
  }
}

export async function markAttendance(deps: RotationDeps, id: number, hostId: string, attended: boolean): Promise<string> {
  const row = await deps.sessions.markAttendance(id, hostId, attended ? 'held' : 'no_show', deps.clock.now());
  if (!row) throw new UserError('rotations.not_host', ':information_source: Only the host can mark attendance, once the session has started.');
  return attended ? `:white_check_mark: Marked ${mentionUser(row.shadowId)} as attended. Thanks!` : `:x: Marked ${mentionUser(row.shadowId)} as a no-show.`;
}

/** The session a reflection may be written about: the shadow's own, once it started. */
export async function reflectableSession(deps: RotationDeps, id: number, userId: string): Promise<SessionWithRotation> {
  const session = await deps.sessions.get(id);
  if (!session || session.shadowId !== userId || session.startsAt > deps.clock.now() || ['declined', 'cancelled'].includes(session.status)) {
    throw new UserError('rotations.no_reflection', ':information_source: You can reflect on a session you shadowed, once it has started.');
  }
  return session;
}

const groupBySession = (rows: SessionWithRotation[]) => {
  const groups = new Map<string, SessionWithRotation[]>();
  for (const r of rows) groups.set(`${r.rotationId}:${r.startsAt.getTime()}`, [...(groups.get(`${r.rotationId}:${r.startsAt.getTime()}`) ?? []), r]);
  return [...groups.values()];
};

/** Sends a notice once across processes; gives the claim back if Slack refused it. */
async function sendOnce(deps: RotationDeps, sessionId: number, kind: string, recipient: string, content: MessageContent): Promise<void> {
  const now = deps.clock.now();
  if (!(await deps.sessions.claimNotice(sessionId, kind, recipient, now))) return;
  try {
    await deps.messages.dm(recipient, content);
  } catch (error) {
    await deps.sessions.releaseNotice(sessionId, kind, recipient);
    deps.logger.warn({ err: error, sessionId, kind }, 'could not send a shadow notice; will retry');
  }
}

/** Reminders (day before, 15 minutes before), untaken-session alerts, and after-session prompts. */
export async function sendNotices(deps: RotationDeps): Promise<void> {
  const now = deps.clock.now();
  const taken = ['offered', 'accepted'] as const;
  for (const [kind, window] of [['day_before', 24 * HOUR], ['soon', 15 * 60_000]] as const) {
    for (const seats of groupBySession(await deps.sessions.startingBetween(now, new Date(now.getTime() + window), [...taken]))) {
      const soon = kind === 'soon';
      for (const seat of seats) await sendOnce(deps, seat.id, kind, seat.shadowId, reminderMessage([seat], 'shadow', soon));
      await sendOnce(deps, seats[0]!.id, kind, seats[0]!.hostId, reminderMessage(seats, 'host', soon));
    }
  }
  for (const seat of await deps.sessions.startingBetween(now, new Date(now.getTime() + 24 * HOUR), ['planned', 'offered'])) {
    // Frontline admins, and whoever set the rotation up (there may be no configured admins).
    for (const admin of new Set([...deps.adminIds, seat.rotationCreatedBy])) await sendOnce(deps, seat.id, 'untaken', admin, untakenMessage(seat));
  }
  const ended = (await deps.sessions.startingBetween(new Date(now.getTime() - 32 * HOUR), now, [...OPEN_STATUSES, 'held'])).filter((s) => sessionEnd(s.startsAt, s.durationMinutes) <= now);
  for (const seats of groupBySession(ended)) {
    for (const seat of seats) await sendOnce(deps, seat.id, 'reflection', seat.shadowId, reflectionPrompt(seat));
    await sendOnce(deps, seats[0]!.id, 'attendance', seats[0]!.hostId, attendancePrompt(seats));
  }
}

/** The coming week's sessions, posted to the support channel. */
export async function postWeeklySchedule(deps: RotationDeps, supportChannel: string | undefined): Promise<void> {
  if (!supportChannel) return;
  const now = deps.clock.now();
  const week = await deps.sessions.schedule(undefined, now, new Date(now.getTime() + 7 * 24 * HOUR));
  if (week.length === 0) return;
  await deps.messages.post({ channel: supportChannel, ...renderSchedule('Shadowing this week', week) });
}
