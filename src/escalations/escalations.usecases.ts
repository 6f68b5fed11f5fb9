// Orchestration: store first, then tell Slack. Every function takes its dependencies as named args.
import type { WebClient } from '@slack/web-api';
import type { Clock } from '../clock.ts';
import type { Department, DepartmentsRepository } from '../departments/departments.repository.ts';
import { UserError } from '../errors.ts';
import type { Logger } from '../logger.ts';
import { slackDate } from '../slack/blocks.ts';
import { mentionChannel, mentionUser } from '../slack/mentions.ts';
import { messagePermalink } from '../slack/messaging.ts';
import type { Messenger, Outbox } from '../slack/outbox.ts';
import type { RaiseInput } from './escalation-modals.views.ts';
import { countsWorkingTimeOnly, dueTimes, type EscalationAction, isWorkingTime, nextWorkingTime, transition, type WorkingHours } from './escalations.models.ts';
import type { Escalation, EscalationsRepository } from './escalations.repository.ts';
import { escapeKeepingLinks } from '../slack/mrkdwn.ts';
import { linkTo, type MessageContext, renderEscalationMessage, threadNote } from './escalations.views.ts';

export interface EscalationDeps {
  repo: EscalationsRepository;
  departments: DepartmentsRepository;
  slack: WebClient;
  messages: Messenger;
  clock: Clock;
  logger: Logger;
  /** The workspace zone, for departments without their own. */
  timezone(): Promise<string>;
}

export async function workingHoursOf(d: Department, timezone: () => Promise<string>): Promise<WorkingHours> {
  return { workDays: d.workDays, workStart: d.workStart, workEnd: d.workEnd, timezone: d.timezone ?? (await timezone()) };
}

export const noDepartments = () =>
  new UserError('escalations.no_departments', ':office: There are no departments to escalate to yet. A Frontline admin can add one with `/frontline dept add`.');

export const unknownDepartment = (key: string, known: Department[]) =>
  known.length === 0
    ? noDepartments()
    : new UserError('escalations.unknown_department', `:mag: There is no department \`${key}\`. Pick one of: ${known.map((d) => `\`${d.key}\` (${d.name})`).join(', ')}.`);

async function departmentName(deps: EscalationDeps, key: string): Promise<string> {
  return (await deps.departments.getIncludingArchived(key))?.name ?? key;
}

async function messageContext(deps: EscalationDeps, e: Escalation): Promise<MessageContext> {
  const ctx: MessageContext = { departmentName: await departmentName(deps, e.departmentKey) };
  if (e.reassignedToId) {
    const next = await deps.repo.get(e.reassignedToId);
    if (next) ctx.reassignedTo = { departmentName: await departmentName(deps, next.departmentKey), url: next.messageUrl };
  }
  if (e.reassignedFromId) {
    const previous = await deps.repo.get(e.reassignedFromId);
    if (previous) ctx.reassignedFrom = { departmentName: await departmentName(deps, previous.departmentKey) };
  }
  return ctx;
}

/** The department message mirrors the escalation row: drawn from it whenever it is posted or updated. */
export const ESCALATION_CARD = 'escalation';

export function defineEscalationCard(messages: Outbox, deps: EscalationDeps): void {
  messages.defineMirror(ESCALATION_CARD, {
    async render(id) {
      const e = await deps.repo.get(id);
      const channel = e?.channelId ?? (e && (await deps.departments.getIncludingArchived(e.departmentKey))?.channelId);
      if (!e || !channel) return undefined;
      return { channel, ts: e.messageTs, ...renderEscalationMessage(e, await messageContext(deps, e)) };
    },
    async posted(id, posted) {
      const messageUrl = (await messagePermalink(deps.slack, posted.channel, posted.ts)) ?? null;
      await deps.repo.setMessage(id, { channelId: posted.channel, messageTs: posted.ts, messageUrl });
    },
  });
}

/** Posts a stored escalation to its department's channel (or leaves it to the outbox) and returns it as stored. */
export async function postEscalation(deps: EscalationDeps, e: Escalation): Promise<Escalation> {
  await deps.messages.sync(ESCALATION_CARD, e.id);
  return (await deps.repo.get(e.id)) ?? e;
}

/** Posts it, or leaves it unposted (it is stored) for the outbox or the SLA check to post once Slack takes it. */
async function postOrLeaveForRetry(deps: EscalationDeps, e: Escalation): Promise<Escalation> {
  try {
    return await postEscalation(deps, e);
  } catch (error) {
    deps.logger.warn({ err: error, escalation: e.id }, 'Slack refused an escalation; the SLA check will try again');
    return e;
  }
}

/** Redraws the department message after a state change. */
const refreshMessage = (deps: EscalationDeps, e: Escalation) => deps.messages.sync(ESCALATION_CARD, e.id);

async function noteInThread(deps: EscalationDeps, e: Escalation, text: string): Promise<void> {
  if (e.channelId && e.messageTs) await deps.messages.post({ channel: e.channelId, text, threadTs: e.messageTs });
}

export interface Raised {
  escalation: Escalation;
  department: Department;
  /** When the department will pick it up, if raised outside its working hours. */
  pickupAt?: Date;
}

/** Stores an escalation, then posts it to the department's channel. */
export async function raiseEscalation(deps: EscalationDeps, requesterId: string, input: RaiseInput): Promise<Raised> {
  const department = await deps.departments.get(input.departmentKey);
  if (!department) throw unknownDepartment(input.departmentKey, await deps.departments.list());
  const now = deps.clock.now();
  const hours = await workingHoursOf(department, deps.timezone);
  const stored = await deps.repo.create({ ...input, requesterId, createdAt: now, ...dueTimes(now, input.priority, department.sla[input.priority], hours) });
  const escalation = await postOrLeaveForRetry(deps, stored);
  const outside = countsWorkingTimeOnly(input.priority) && !isWorkingTime(now, hours);
  return { escalation, department, ...(outside ? { pickupAt: nextWorkingTime(now, hours) } : {}) };
}

/** The requester's confirmation: where it went, and when it will be picked up. */
export function raisedReply({ escalation, department, pickupAt }: Raised): string {
  if (!escalation.messageTs) {
    return `:floppy_disk: I saved your escalation for *${escapeKeepingLinks(department.name)}*, but Slack would not let me post it in ${mentionChannel(department.channelId)} just now. I will keep trying every minute; nothing is lost.`;
  }
  const where = escalation.messageUrl ? linkTo(escalation.messageUrl, 'See it there') : mentionChannel(department.channelId);
  const pickup = pickupAt
    ? `\n:crescent_moon: ${escapeKeepingLinks(department.name)} is outside working hours now; they will pick it up from ${slackDate(pickupAt)}.`
    : '';
  return `:white_check_mark: Escalated to *${escapeKeepingLinks(department.name)}* in ${mentionChannel(department.channelId)}. ${where}.\nAcknowledge target: ${slackDate(escalation.ackDueAt)}.${pickup}`;
}

async function explainRefusal(deps: EscalationDeps, id: string, action: string): Promise<never> {
  const e = await deps.repo.get(id);
  if (!e) throw new UserError('escalations.not_found', ':mag: That escalation no longer exists.');
  switch (e.status) {
    case 'claimed':
      throw new UserError('escalations.already_claimed', `:raising_hand: Already claimed by ${mentionUser(e.claimerId ?? '')}.`);
    case 'resolved':
      throw new UserError('escalations.already_resolved', `:white_check_mark: Already resolved by ${mentionUser(e.resolvedBy ?? '')}.`);
    case 'reassigned':
      throw new UserError('escalations.reassigned', ':arrow_right: It was reassigned to another department; act on the new message.');
    case 'open':
      throw new UserError('escalations.not_claimed', `:hourglass_flowing_sand: Nobody has claimed it, so there is nothing to ${action}.`);
  }
}

/** First click wins; the requester hears who picked it up. */
export async function claimEscalation(deps: EscalationDeps, id: string, userId: string): Promise<Escalation> {
  const e = await deps.repo.claim(id, userId, deps.clock.now());
  if (!e) return explainRefusal(deps, id, 'claim');
  await refreshMessage(deps, e);
  await noteInThread(deps, e, threadNote.claimed(userId));
  if (e.requesterId !== userId) {
    const link = e.messageUrl ? ` ${linkTo(e.messageUrl, 'See it')}.` : '';
    await deps.messages.dm(e.requesterId, { text: `:raising_hand: ${mentionUser(userId)} picked up your escalation “${escapeKeepingLinks(e.summary.slice(0, 200))}”.${link}` });
  }
  return e;
}

/** Only the claimer can put it back in the queue. */
export async function releaseEscalation(deps: EscalationDeps, id: string, userId: string): Promise<Escalation> {
  const e = await deps.repo.release(id, userId, deps.clock.now());
  if (!e) {
    const current = await deps.repo.get(id);
    if (current?.status === 'claimed' && current.claimerId !== userId) {
      throw new UserError('escalations.not_claimer', `:no_entry: Only ${mentionUser(current.claimerId ?? '')}, who claimed it, can release it.`);
    }
    return explainRefusal(deps, id, 'release');
  }
  await refreshMessage(deps, e);
  await noteInThread(deps, e, threadNote.released(userId));
  return e;
}

/** Checks an escalation can still take `action` before opening a modal for it. */
export async function requireAllowed(deps: EscalationDeps, id: string, action: EscalationAction): Promise<Escalation> {
  const e = await deps.repo.get(id);
  if (e && transition(e.status, action)) return e;
  return explainRefusal(deps, id, action);
}

export async function resolveEscalation(deps: EscalationDeps, id: string, userId: string, resolution: string): Promise<Escalation> {
  const e = await deps.repo.resolve(id, userId, resolution, deps.clock.now());
  if (!e) return explainRefusal(deps, id, 'resolve');
  await refreshMessage(deps, e);
  await noteInThread(deps, e, threadNote.resolved(userId, resolution));
  const link = e.messageUrl ? `\n${linkTo(e.messageUrl, 'See the escalation')}` : '';
  await deps.messages.dm(e.requesterId, {
    text: `:white_check_mark: Your escalation “${escapeKeepingLinks(e.summary.slice(0, 200))}” was resolved by ${mentionUser(userId)}:\n>${escapeKeepingLinks(resolution).replace(/\n/g, '\n>')}${link}`,
  });
  return e;
}

/** Hands a live escalation to another department: a new message there, the old one points to it. */
export async function reassignEscalation(deps: EscalationDeps, id: string, userId: string, departmentKey: string, reason: string | null): Promise<Escalation> {
  const target = await deps.departments.get(departmentKey);
  if (!target) throw unknownDepartment(departmentKey, await deps.departments.list());
  const now = deps.clock.now();
  const hours = await workingHoursOf(target, deps.timezone);
  const moved = await deps.repo.reassign(
    id,
    userId,
    (old) => ({
      departmentKey,
      priority: old.priority,
      customer: old.customer,
      summary: old.summary,
      details: reason ? `${old.details ? `${old.details}\n` : ''}Reassigned by ${mentionUser(userId)}: ${reason}` : old.details,
      link: old.link,
      requesterId: old.requesterId,
      createdAt: now,
      ...dueTimes(now, old.priority, target.sla[old.priority], hours),
    }),
    now,
  );
  if (!moved) return explainRefusal(deps, id, 'reassign');
  const next = await postOrLeaveForRetry(deps, moved.next);
  await refreshMessage(deps, moved.old);
  await noteInThread(deps, moved.old, threadNote.reassigned(userId, target.name, next.messageUrl));
  if (moved.old.requesterId !== userId) {
    await deps.messages.dm(moved.old.requesterId, { text: `:arrow_right: Your escalation “${escapeKeepingLinks(moved.old.summary.slice(0, 200))}” was moved to *${escapeKeepingLinks(target.name)}*.` });
  }
  return next;
}
