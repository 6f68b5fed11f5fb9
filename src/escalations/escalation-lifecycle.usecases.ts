// On hold, resumed, reopened: the escalation's life after its first claim and its resolution.
import { UserError } from '../errors.ts';
import { mentionUser } from '../slack/mentions.ts';
import { escapeMrkdwn } from '../slack/mrkdwn.ts';
import {
  dueTimes,
  dueTimesAfterHold,
  localDateOf,
  mayReopen,
  type ReminderThreshold,
  type ResumedBy,
} from './escalations.models.ts';
import type { Escalation } from './escalations.repository.ts';
import {
  changeAndAnnounce,
  type EscalationDeps,
  escalationNotFound,
  explainRefusal,
  quoteSummary,
  seeIt,
  workingHoursOf,
} from './escalations.usecases.ts';
import { threadNote } from './escalations.views.ts';

// A reopening sets new targets, so every reminder and due-soon warning can come again. A hold moves its
// targets only by the time held: what was said before it (a warning, or a reminder of a target already
// passed) is not said twice.
const EVERY_REMINDER: ReminderThreshold[] = ['ack', 'ack_alert', 'resolve', 'ack_warning', 'resolve_warning'];

async function hoursOf(deps: EscalationDeps, e: Escalation) {
  const department = await deps.departments.getIncludingArchived(e.departmentKey);
  if (!department) throw escalationNotFound();
  return { department, hours: await workingHoursOf(department, deps) };
}

/** The claimer puts it on hold: its clocks stop and nobody is reminded until it resumes. */
export async function holdEscalation(
  deps: EscalationDeps,
  { id, userId, reason, until }: { id: string; userId: string; reason: string; until: Date | null },
): Promise<Escalation> {
  const e = await changeAndAnnounce(deps, async (repo) => {
    const held = await repo.hold(id, userId, { reason, until }, deps.clock.now());
    return (
      held && {
        result: held,
        announce: {
          cards: [id],
          notes: [{ id, text: threadNote.onHold(held) }],
          events: [{ type: 'escalation.put_on_hold' as const, escalationId: id, userId, reason }],
        },
      }
    );
  });
  if (e) return e;
  const current = await deps.repo.get(id);
  if (current?.status === 'claimed' && current.claimerId !== userId) {
    throw new UserError(
      'escalations.not_claimer',
      `:no_entry: Only ${mentionUser(current.claimerId ?? '')}, who claimed it, can put it on hold.`,
    );
  }
  return explainRefusal(deps, id, 'hold');
}

/**
 * Ends the hold: the due times move on by the SLA time the hold took, and the claimer is told in the
 * thread. A button on a card no longer on hold is refused; the job and a reply just find nothing to do.
 */
export async function resumeEscalation(
  deps: EscalationDeps,
  { id, resumedBy }: { id: string; resumedBy: ResumedBy },
): Promise<Escalation | undefined> {
  const e = await deps.repo.get(id);
  const refuse = () => (resumedBy.by === 'button' ? explainRefusal(deps, id, 'resume') : undefined);
  if (e?.status !== 'on_hold' || !e.holdSince) return refuse();
  const heldFrom = e.holdSince;
  const now = deps.clock.now();
  const { hours } = await hoursOf(deps, e);
  const due = dueTimesAfterHold(e, { heldFrom, resumedAt: now }, e.priority, hours);
  const actor = resumedBy.by === 'date' ? 'system' : resumedBy.userId;
  const resumed = await changeAndAnnounce(deps, async (repo) => {
    const row = await repo.resume(id, actor, heldFrom, due, now, resumedBy.by);
    if (!row) return undefined;
    return {
      result: row,
      announce: {
        cards: [id],
        notes: [{ id, text: threadNote.resumed(row, resumedBy, now.getTime() - heldFrom.getTime()) }],
        events: [{ type: 'escalation.resumed' as const, escalationId: id, userId: actor }],
      },
    };
  });
  return resumed ?? refuse();
}

/** Resumes every hold whose date to come back has arrived. */
export async function resumeHoldsEnding(deps: EscalationDeps): Promise<void> {
  for (const e of await deps.repo.holdsEnding(deps.clock.now())) {
    await resumeEscalation(deps, { id: e.id, resumedBy: { by: 'date' } });
  }
}

/** A reply by the requester in the card's thread brings it back from hold. */
export async function resumeOnRequesterReply(
  deps: EscalationDeps,
  { channelId, threadTs, userId }: { channelId: string; threadTs: string; userId: string },
): Promise<void> {
  const e = await deps.repo.byMessage(channelId, threadTs);
  if (e?.status === 'on_hold' && e.requesterId === userId)
    await resumeEscalation(deps, { id: e.id, resumedBy: { by: 'reply', userId } });
}

/** Checks a resolved escalation may be reopened by `userId` now, before asking them why. */
export async function requireReopenable(
  deps: EscalationDeps,
  { id, userId, inDepartmentChannel }: { id: string; userId: string; inDepartmentChannel: boolean },
): Promise<Escalation> {
  const e = await deps.repo.get(id);
  if (!e) throw escalationNotFound();
  const { department } = await hoursOf(deps, e);
  if (!mayReopen({ userId, inDepartmentChannel }, e.requesterId, department.leads)) {
    throw new UserError(
      'escalations.not_in_department',
      `:no_entry: Only the requester or someone in *${escapeMrkdwn(department.name)}* can reopen it.`,
    );
  }
  if (e.status !== 'resolved') return explainRefusal(deps, id, 'reopen');
  if (!e.reopenableUntil || e.reopenableUntil <= deps.clock.now()) {
    throw new UserError(
      'escalations.reopen_expired',
      ':calendar: It was resolved too long ago to reopen. Raise a new escalation with `/escalate` instead.',
    );
  }
  return e;
}

/**
 * Reopens a resolution within its window: back to its claimer (to the queue when they are away), with
 * new targets from now; the thread says who reopened it and why.
 */
export async function reopenEscalation(
  deps: EscalationDeps,
  {
    id,
    userId,
    reason,
    inDepartmentChannel,
  }: { id: string; userId: string; reason: string; inDepartmentChannel: boolean },
): Promise<Escalation> {
  const e = await requireReopenable(deps, { id, userId, inDepartmentChannel });
  const now = deps.clock.now();
  const { department, hours } = await hoursOf(deps, e);
  const away = e.claimerId
    ? await deps.availability.awayOn([e.claimerId], localDateOf(now, hours.timezone))
    : new Set();
  const claimerId = e.claimerId && !away.has(e.claimerId) ? e.claimerId : null;
  const due = dueTimes(now, e.priority, department.sla[e.priority], hours);
  const reopened = await changeAndAnnounce(deps, async (repo) => {
    const row = await repo.reopen(id, userId, { claimerId, due, reason }, now);
    if (!row) return undefined;
    await repo.forgetReminders(id, EVERY_REMINDER);
    const told = (to: string | null, text: string) => (to === null || to === userId ? [] : [{ userId: to, text }]);
    const dms = [
      ...(claimerId
        ? told(
            claimerId,
            `:arrows_counterclockwise: ${mentionUser(userId)} reopened the escalation you resolved, ${quoteSummary(row)}; it is back with you.${seeIt(row, 'See it')}`,
          )
        : []),
      ...told(
        row.requesterId,
        `:arrows_counterclockwise: ${mentionUser(userId)} reopened your escalation ${quoteSummary(row)}.${seeIt(row, 'See it')}`,
      ),
    ];
    return {
      result: row,
      announce: {
        cards: [id],
        notes: [{ id, text: threadNote.reopened(row, userId, reason, e.claimerId) }],
        dms,
        events: [{ type: 'escalation.reopened' as const, escalationId: id, userId, reason }],
      },
    };
  });
  return reopened ?? explainRefusal(deps, id, 'reopen');
}

/** Takes the Reopen button off cards whose window has closed. */
export async function closeReopenWindows(deps: EscalationDeps): Promise<void> {
  await changeAndAnnounce(deps, async (repo) => {
    const closed = await repo.closeReopenWindows(deps.clock.now());
    return closed.length ? { result: closed, announce: { cards: closed.map((c) => c.id) } } : undefined;
  });
}
