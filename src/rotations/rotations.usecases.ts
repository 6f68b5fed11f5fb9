import type { WebClient } from '@slack/web-api';
import type { Clock } from '../clock.ts';
import type { Db } from '../db/client.ts';
import { UserError } from '../errors.ts';
import type { Logger } from '../logger.ts';
import { sendDirectMessage } from '../slack/messaging.ts';
import type { Messenger } from '../slack/outbox.ts';
import { localDate, parseAwayRange, type RotationSettings, upcomingSlots } from './rotations.models.ts';
import { planRotation } from './rotations.planner.ts';
import { type Rotation, type RotationsRepository, whilePlanning } from './rotations.repository.ts';
import type { Session, SessionsRepository } from './sessions.repository.ts';
import { assignmentMessage, hostChangedMessage, withdrawnMessage } from './sessions.views.ts';

export interface RotationDeps {
  db: Db;
  rotations: RotationsRepository;
  sessions: SessionsRepository;
  slack: WebClient;
  /** Paced to Slack's tiers: plans DM many people at once. */
  pacedSlack: WebClient;
  messages: Messenger;
  clock: Clock;
  logger: Logger;
  timezone(): Promise<string>;
  /** Frontline admins from the config, told about sessions nobody took. */
  adminIds: string[];
}

export const unknownRotation = (name: string) =>
  new UserError('rotations.not_found', `:mag: There is no rotation called *${name}*. See them all with \`/shadow rotations\`.`);

export async function requireRotation(deps: Pick<RotationDeps, 'rotations'>, name: string): Promise<Rotation> {
  const rotation = await deps.rotations.findByName(name);
  if (!rotation) throw unknownRotation(name);
  return rotation;
}

/** Creates (no id) or edits a rotation and its members; planning follows separately. */
export async function saveRotation(deps: RotationDeps, id: number | undefined, settings: RotationSettings, by: string): Promise<Rotation> {
  const now = deps.clock.now();
  const rotation = id === undefined ? await deps.rotations.create(settings, by, localDate(now, settings.timezone), now) : await deps.rotations.update(id, settings, now);
  if (!rotation) throw new UserError('rotations.gone', ':mag: That rotation was deleted meanwhile. Nothing was saved.');
  if (id !== undefined) await deps.rotations.syncMembers(rotation.id, settings.userIds, await readUsergroup(deps, rotation), now);
  return rotation;
}

/** Members of the rotation's user group from Slack, or null when there is none or Slack could not say. */
async function readUsergroup(deps: RotationDeps, rotation: Rotation): Promise<string[] | null> {
  if (!rotation.usergroupId) return [];
  try {
    const res = await deps.slack.usergroups.users.list({ usergroup: rotation.usergroupId });
    return res.users ?? [];
  } catch (error) {
    deps.logger.warn({ err: error, rotation: rotation.id }, 'could not read a rotation’s user group; keeping its members as they were');
    return null;
  }
}

/** Re-reads the user group, then fills every seat of the plan-ahead window fairly (see planRotation). */
export async function replanRotation(deps: RotationDeps, rotationId: number): Promise<void> {
  const before = await deps.rotations.get(rotationId);
  if (!before || before.paused) return;
  // Slack is asked before the rotation is locked, so no lock is held across a network call.
  const fromGroup = await readUsergroup(deps, before);
  const result = await whilePlanning(deps.db, rotationId, async ({ rotation, rotations, sessions }) => {
    const now = deps.clock.now();
    const { members, joined, left } = await rotations.syncMembers(rotationId, null, rotation.usergroupId === before.usergroupId ? fromGroup : null, now);
    if (joined.length + left.length > 0) deps.logger.info({ rotation: rotationId, joined: joined.length, left: left.length }, 'rotation members changed');
    const hostIds = await rotations.hosts(rotationId);
    const away = await rotations.awayFrom(localDate(now, rotation.timezone));
    const optedOut = await rotations.optedOut();
    const turns = await sessions.turnsOf(rotationId, now);
    const hostLoad = await sessions.hostLoad(rotationId);
    const plan = planRotation({
      slots: upcomingSlots(rotation, now, rotation.planAheadWeeks).map((s) => ({ startsAt: s.startsAt.getTime(), date: s.date, seats: rotation.shadowsPerSession })),
      participants: members.map((m) => {
        const history = turns.get(m.userId);
        return {
          id: m.userId,
          turns: m.baselineTurns + (history?.turns ?? 0),
          lastAt: (history?.lastAt ?? m.joinedAt).getTime(),
          away: away.get(m.userId) ?? [],
          active: !m.leftAt && !optedOut.has(m.userId),
        };
      }),
      hosts: hostIds.map((id) => ({ id, load: hostLoad.get(id)?.load ?? 0, lastAt: hostLoad.get(id)?.lastAt?.getTime() ?? 0, away: away.get(id) ?? [] })),
      existing: (await sessions.futureOpen(rotationId, now)).map((s) => ({ startsAt: s.startsAt.getTime(), seat: s.seat, shadowId: s.shadowId, hostId: s.hostId })),
      declined: (await sessions.futureDeclined(rotationId, now)).map((s) => ({ startsAt: s.startsAt.getTime(), shadowId: s.shadowId })),
    });
    return { name: rotation.name, ...(await sessions.applyPlan(rotationId, rotation.durationMinutes, plan, now)) };
  });
  if (!result) return;
  await withdrawOffers(deps, result.name, result.cancelled);
  await tellNewHost(deps, result.name, result.rehosted);
}

/** Tells shadows whose host changed (the host is away that day) who they will sit with now. */
async function tellNewHost(deps: RotationDeps, rotationName: string, rehosted: Session[]): Promise<void> {
  const now = deps.clock.now();
  for (const seat of rehosted) {
    if (seat.status === 'planned' || !(await deps.sessions.claimNotice(seat.id, `host:${seat.hostId}`, seat.shadowId, now))) continue;
    try {
      await deps.messages.dm(seat.shadowId, hostChangedMessage(rotationName, seat));
    } catch (error) {
      deps.logger.warn({ err: error, session: seat.id }, 'could not tell a shadow about their new host');
    }
  }
}

/** Rewrites the assignment DMs of cancelled seats, so nobody turns up to a session that is gone. */
export async function withdrawOffers(deps: RotationDeps, rotationName: string, cancelled: Session[]): Promise<void> {
  for (const seat of cancelled) {
    if (!seat.dmChannel || !seat.dmTs) continue;
    try {
      await deps.pacedSlack.chat.update({ channel: seat.dmChannel, ts: seat.dmTs, ...withdrawnMessage(rotationName, seat) });
    } catch (error) {
      deps.logger.warn({ err: error, session: seat.id }, 'could not withdraw a shadow assignment message');
    }
  }
}

/** DMs every shadow whose seat is planned but not yet offered; each DM goes once across processes. */
export async function announceAssignments(deps: RotationDeps): Promise<void> {
  const now = deps.clock.now();
  for (const session of await deps.sessions.unannounced(now)) {
    if (!(await deps.sessions.claimNotice(session.id, 'assigned', session.shadowId, now))) continue;
    try {
      // Sent now or retried on the next run, not kept in the outbox: the seat is offered only with its DM's ts.
      const dm = await sendDirectMessage(deps.pacedSlack, session.shadowId, assignmentMessage(session));
      await deps.sessions.markOffered(session.id, session.shadowId, dm, now);
    } catch (error) {
      await deps.sessions.releaseNotice(session.id, 'assigned', session.shadowId);
      deps.logger.warn({ err: error, session: session.id }, 'could not send a shadow assignment; will retry on the next run');
    }
  }
}

/** Plans and announces one rotation (after a change) or all of them (on the schedule). */
export async function planAndAnnounce(deps: RotationDeps, rotationIds?: number[]): Promise<void> {
  const ids = rotationIds ?? (await deps.rotations.list()).filter((r) => !r.paused).map((r) => r.id);
  for (const id of ids) await replanRotation(deps, id);
  await announceAssignments(deps);
}

/** `/shadow away`: stores the range, then frees (and refills) their seats on those days. */
export async function markAway(deps: RotationDeps, userId: string, args: string[]): Promise<string> {
  const zone = await deps.timezone();
  const range = parseAwayRange(args, localDate(deps.clock.now(), zone));
  if ('error' in range) throw new UserError('rotations.bad_away', `:warning: ${range.error}\nUsage: \`/shadow away <YYYY-MM-DD> [<YYYY-MM-DD>]\``);
  await deps.rotations.addAway(userId, range.from, range.to, deps.clock.now());
  await planAndAnnounce(deps, await deps.rotations.rotationsOf(userId));
  const days = range.from === range.to ? range.from : `${range.from} to ${range.to}`;
  return `:palm_tree: Got it: no shadow sessions for you on ${days}. Any you had then went to someone else.`;
}

export async function optOut(deps: RotationDeps, userId: string, reason: string): Promise<string> {
  await deps.rotations.optOut(userId, reason.trim().slice(0, 500) || null, deps.clock.now());
  await planAndAnnounce(deps, await deps.rotations.rotationsOf(userId));
  return ':wave: You are opted out of shadowing; your upcoming sessions went to others. `/shadow optin` brings you back.';
}

export async function optIn(deps: RotationDeps, userId: string): Promise<string> {
  if (!(await deps.rotations.optIn(userId))) return ':information_source: You were not opted out, so nothing changed.';
  await deps.rotations.levelWithRound(userId, deps.clock.now());
  await planAndAnnounce(deps, await deps.rotations.rotationsOf(userId));
  return ':tada: Welcome back: you are in the rotation again, at the back of the current round.';
}
