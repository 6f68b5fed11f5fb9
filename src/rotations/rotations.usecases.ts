import type { WebClient } from '@slack/web-api';
import type { Clock } from '../clock.ts';
import type { Db } from '../db/client.ts';
import { UserError } from '../errors.ts';
import type { DomainEvents } from '../events/domain-events.ts';
import type { Logger } from '../logger.ts';
import { formatUsage } from '../slack/frontline-command.ts';
import { escapeMrkdwn } from '../slack/mrkdwn.ts';
import type { Messenger } from '../slack/outbox.ts';
import { SHADOW_USAGE } from './rotations.commands.ts';
import { ROTATION_IDS } from './rotations.ids.ts';
import { localDate, parseAwayRange, type RotationSettings, upcomingSlots } from './rotations.models.ts';
import { planRotation } from './rotations.planner.ts';
import {
  createRotationsRepository,
  type Rotation,
  type RotationsRepository,
  whilePlanning,
} from './rotations.repository.ts';
import { changeSeats, messagesAbout } from './sessions.messages.ts';
import type { SessionsRepository } from './sessions.repository.ts';

export interface RotationDeps {
  db: Db;
  events: DomainEvents;
  rotations: RotationsRepository;
  sessions: SessionsRepository;
  slack: WebClient;
  messages: Messenger;
  /** Paced to Slack's tiers: a plan tells many people at once. */
  pacedMessages: Messenger;
  clock: Clock;
  logger: Logger;
  timezone(): Promise<string>;
  /** Frontline admins from the config, told about sessions nobody took. */
  adminIds: string[];
}

export const unknownRotation = (name: string) =>
  new UserError(
    'rotations.not_found',
    `:mag: There is no rotation called *${escapeMrkdwn(name)}*. See them all with \`/shadow rotations\`.`,
  );

export async function requireRotation(
  deps: Pick<RotationDeps, 'rotations'>,
  { name }: { name: string },
): Promise<Rotation> {
  const rotation = await deps.rotations.findByName(name);
  if (!rotation) throw unknownRotation(name);
  return rotation;
}

/** Creates (no id) or edits a rotation and its members; planning follows separately. */
export async function saveRotation(
  deps: RotationDeps,
  { id, settings, by }: { id: number | undefined; settings: RotationSettings; by: string },
): Promise<Rotation> {
  const now = deps.clock.now();
  const rotation =
    id === undefined
      ? await deps.rotations.create(settings, by, localDate(now, settings.timezone), now)
      : await deps.rotations.update(id, settings, now);
  if (!rotation)
    throw new UserError('rotations.gone', ':mag: That rotation was deleted meanwhile. Nothing was saved.', {
      field: ROTATION_IDS.name,
    });
  if (id !== undefined)
    await deps.rotations.syncMembers(rotation.id, settings.userIds, await readUsergroup(deps, rotation), now);
  return rotation;
}

/** Members of the rotation's user group from Slack, or null when there is none or Slack could not say. */
async function readUsergroup(deps: RotationDeps, rotation: Rotation): Promise<string[] | null> {
  if (!rotation.usergroupId) return [];
  try {
    const res = await deps.slack.usergroups.users.list({ usergroup: rotation.usergroupId });
    return res.users ?? [];
  } catch (error) {
    deps.logger.warn(
      { err: error, rotation: rotation.id },
      'could not read a rotation’s user group; keeping its members as they were',
    );
    return null;
  }
}

/** Re-reads the user group, then fills every seat of the plan-ahead window fairly (see planRotation). */
export async function replanRotation(deps: RotationDeps, { rotationId }: { rotationId: number }): Promise<void> {
  const before = await deps.rotations.get(rotationId);
  if (!before || before.paused) return;
  // Slack is asked before the rotation is locked, so no lock is held across a network call.
  const fromGroup = await readUsergroup(deps, before);
  const keys = await whilePlanning(deps.db, rotationId, async ({ rotation, rotations, sessions, tx }) => {
    const now = deps.clock.now();
    const { members, joined, left } = await rotations.syncMembers(
      rotationId,
      null,
      rotation.usergroupId === before.usergroupId ? fromGroup : null,
      now,
    );
    if (joined.length + left.length > 0)
      deps.logger.info({ rotation: rotationId, joined: joined.length, left: left.length }, 'rotation members changed');
    const hostIds = await rotations.hosts(rotationId);
    const away = await rotations.awayFrom(localDate(now, rotation.timezone));
    const optedOut = await rotations.optedOut();
    const turns = await sessions.turnsOf(rotationId, now);
    const hostLoad = await sessions.hostLoad(rotationId);
    const plan = planRotation({
      slots: upcomingSlots(rotation, now, rotation.planAheadWeeks).map((s) => ({
        startsAt: s.startsAt.getTime(),
        date: s.date,
        seats: rotation.shadowsPerSession,
      })),
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
      hosts: hostIds.map((id) => ({
        id,
        load: hostLoad.get(id)?.load ?? 0,
        lastAt: hostLoad.get(id)?.lastAt?.getTime() ?? 0,
        away: away.get(id) ?? [],
      })),
      existing: (await sessions.futureOpen(rotationId, now)).map((s) => ({
        startsAt: s.startsAt.getTime(),
        seat: s.seat,
        shadowId: s.shadowId,
        hostId: s.hostId,
      })),
      declined: (await sessions.futureDeclined(rotationId, now)).map((s) => ({
        startsAt: s.startsAt.getTime(),
        shadowId: s.shadowId,
      })),
    });
    const { cancelled, rehosted } = await sessions.applyPlan(rotationId, rotation.durationMinutes, plan, now);
    // Seats their shadows were told about: withdrawn, or with a new host. Seats only planned are told by announcing.
    const told = [...cancelled, ...rehosted].filter((s) => s.offeredAt);
    return deps.pacedMessages.enqueue(tx, await messagesAbout(tx, told));
  });
  if (keys) await deps.pacedMessages.deliver(keys);
}

/**
 * Offers every planned seat: its shadow's sessions message and its host's message are redrawn (one
 * message per person, however many seats they were offered), each seat once across processes.
 */
export async function announceAssignments(deps: RotationDeps): Promise<void> {
  await changeSeats({ ...deps, messages: deps.pacedMessages }, async (sessions) => {
    const offered = await sessions.offerPlanned(deps.clock.now());
    return offered.length > 0 ? offered : undefined;
  });
}

/** Deletes a rotation and withdraws its upcoming seats from their shadows' and hosts' messages. */
export async function deleteRotation(deps: RotationDeps, { id }: { id: number }): Promise<boolean> {
  const now = deps.clock.now();
  const cancelled = await changeSeats({ ...deps, messages: deps.pacedMessages }, async (sessions, tx) =>
    (await createRotationsRepository({ db: tx }).remove(id, now)) ? sessions.cancelFuture(id, now) : undefined,
  );
  return cancelled !== undefined;
}

/** Plans and announces one rotation (after a change) or all of them (on the schedule). */
export async function planAndAnnounce(
  deps: RotationDeps,
  { rotationIds }: { rotationIds?: number[] } = {},
): Promise<void> {
  const ids = rotationIds ?? (await deps.rotations.list()).filter((r) => !r.paused).map((r) => r.id);
  for (const id of ids) await replanRotation(deps, { rotationId: id });
  await announceAssignments(deps);
}

/** `/shadow away`: stores the range, then frees (and refills) their seats on those days. */
export async function markAway(
  deps: RotationDeps,
  { userId, args }: { userId: string; args: string[] },
): Promise<string> {
  const zone = await deps.timezone();
  const range = parseAwayRange(args, localDate(deps.clock.now(), zone));
  if ('error' in range)
    throw new UserError('rotations.bad_away', `:warning: ${range.error}\nUsage: ${formatUsage(SHADOW_USAGE.away)}`);
  await deps.rotations.addAway(userId, range.from, range.to, deps.clock.now());
  await planAndAnnounce(deps, { rotationIds: await deps.rotations.rotationsOf(userId) });
  const days = range.from === range.to ? range.from : `${range.from} to ${range.to}`;
  return `:palm_tree: Got it: no shadow sessions for you on ${days}. Any you had then went to someone else.`;
}

export async function optOut(
  deps: RotationDeps,
  { userId, reason }: { userId: string; reason: string },
): Promise<string> {
  await deps.rotations.optOut(userId, reason.trim().slice(0, 500) || null, deps.clock.now());
  await planAndAnnounce(deps, { rotationIds: await deps.rotations.rotationsOf(userId) });
  return ':wave: You are opted out of shadowing; your upcoming sessions went to others. `/shadow optin` brings you back.';
}

export async function optIn(deps: RotationDeps, { userId }: { userId: string }): Promise<string> {
  if (!(await deps.rotations.optIn(userId))) return ':information_source: You were not opted out, so nothing changed.';
  await deps.rotations.levelWithRound(userId, deps.clock.now());
  await planAndAnnounce(deps, { rotationIds: await deps.rotations.rotationsOf(userId) });
  return ':tada: Welcome back: you are in the rotation again, at the back of the current round.';
}
