// Orchestration: store first, then tell Slack. Every function takes its dependencies as named args.
import type { WebClient } from '@slack/web-api';
import type { Availability } from '../availability.ts';
import type { Clock } from '../clock.ts';
import type { Db } from '../db/client.ts';
import {
  createDepartmentsRepository,
  type Department,
  type DepartmentsRepository,
} from '../departments/departments.repository.ts';
import type { Deps } from '../deps.ts';
import { UserError } from '../errors.ts';
import { commitChange } from '../events/commit-change.ts';
import type { DomainEvent, DomainEvents } from '../events/domain-events.ts';
import type { Logger } from '../logger.ts';
import { formatRef } from '../short-refs.ts';
import { type Blocks, slackDate } from '../slack/blocks.ts';
import { mayReadConversation } from '../slack/conversations.ts';
import { mentionChannel, mentionUser, mentionUserGroup } from '../slack/mentions.ts';
import { messagePermalink } from '../slack/messaging.ts';
import { blockQuote, codeSpan, escapeMrkdwn, linkTo } from '../slack/mrkdwn.ts';
import type { CardRef, Messenger, Outbox, QueuedMessage } from '../slack/outbox.ts';
import { createRequestKeys, type Dedupe } from '../slack/request-keys.ts';
import type { RaiseInput } from './escalation-modals.views.ts';
import {
  answerIntakeFields,
  countsWorkingTimeOnly,
  DEFAULT_REOPEN_DAYS,
  dueTimes,
  ESCALATION_REF,
  type EscalationAction,
  type EscalationFields,
  isLive,
  isUnfinished,
  isWorkingTime,
  nextInTurn,
  nextWorkingTime,
  REOPEN_DAYS_SETTING,
  reopenableUntil,
  reopenDaysSchema,
  transition,
  type WorkingHours,
} from './escalations.models.ts';
import { renderResolvedDm } from './escalations.ratings.views.ts';

export { quoteSummary } from './escalations.views.ts';

import { createEscalationsRepository, type Escalation, type EscalationsRepository } from './escalations.repository.ts';
import { roundRobinTurn } from './escalations.round-robin.ts';
import { readSlaWarnPercent } from './escalations.settings.ts';
import {
  escalationRef,
  type MessageContext,
  quoteSummary,
  renderAssignedDm,
  renderEscalationMessage,
  threadNote,
} from './escalations.views.ts';
import { type RaisedByTriage, withAddedFields } from './triage.models.ts';

export interface EscalationDeps {
  db: Db;
  events: DomainEvents;
  repo: EscalationsRepository;
  departments: DepartmentsRepository;
  slack: WebClient;
  messages: Messenger;
  clock: Clock;
  logger: Logger;
  /** The workspace zone, for departments without their own. */
  timezone(): Promise<string>;
  /** The workspace's holidays (YYYY-MM-DD), which every department skips besides its own. */
  workspaceHolidays(): Promise<string[]>;
  /** `sla-warn-percent`: the share of each target after which a due-soon warning goes out (0: none). */
  slaWarnPercent(): Promise<number>;
  /** Who is away (shadow away days and any other source), for round-robin and reopening. */
  availability: Availability;
  /** The `reopen-days` setting: how long after its resolution an escalation may be reopened. */
  reopenDays(): Promise<number>;
}

/** The use cases' dependencies, built from the app's (listeners and routes share them). */
export function createEscalationDeps(deps: Deps): EscalationDeps {
  return {
    db: deps.db,
    events: deps.events,
    repo: createEscalationsRepository(deps),
    departments: createDepartmentsRepository(deps),
    slack: deps.slack,
    messages: deps.messages,
    clock: deps.clock,
    logger: deps.logger,
    timezone: deps.timezone,
    workspaceHolidays: async () => (await deps.workspace.holidays.get()) ?? [],
    slaWarnPercent: readSlaWarnPercent(deps.settings),
    availability: deps.availability,
    async reopenDays() {
      const days = reopenDaysSchema.safeParse(await deps.settings.find(REOPEN_DAYS_SETTING)?.get());
      return days.success ? days.data : DEFAULT_REOPEN_DAYS;
    },
  };
}

/** The department's working calendar: its days and hours in its zone, minus its and the workspace's holidays. */
export async function workingHoursOf(
  d: Department,
  { timezone, workspaceHolidays }: Pick<EscalationDeps, 'timezone' | 'workspaceHolidays'>,
): Promise<WorkingHours> {
  return {
    workDays: d.workDays,
    workStart: d.workStart,
    workEnd: d.workEnd,
    timezone: d.timezone ?? (await timezone()),
    holidays: new Set([...d.holidays, ...(await workspaceHolidays())]),
  };
}

export const noDepartments = () =>
  new UserError(
    'escalations.no_departments',
    ':office: There are no departments to escalate to yet. A Frontline admin can add one with `/frontline dept add`.',
  );

export const unknownDepartment = (key: string, known: Department[]) =>
  known.length === 0
    ? noDepartments()
    : new UserError(
        'escalations.unknown_department',
        `:mag: There is no department ${codeSpan(key)}. Pick one of: ${known.map((d) => `${codeSpan(d.key)} (${escapeMrkdwn(d.name)})`).join(', ')}.`,
      );

/** Intake fields a department requires were left out (a command cannot fill them in). */
export const missingFields = (d: Department, labels: string[]) =>
  new UserError(
    'escalations.missing_fields',
    `:memo: *${escapeMrkdwn(d.name)}* needs ${escapeMrkdwn(labels.join(', '))}. Use \`/escalate\` to fill in the form.`,
  );

async function departmentName(deps: EscalationDeps, key: string): Promise<string> {
  return (await deps.departments.getIncludingArchived(key))?.name ?? key;
}

/** Who "now" means for a department: its on-call user group, else its leads; undefined when it has neither. */
export function oncallMention(d: Department): string | undefined {
  if (d.oncallGroupId) return mentionUserGroup(d.oncallGroupId);
  return d.leads.length ? d.leads.map(mentionUser).join(' ') : undefined;
}

async function messageContext(deps: EscalationDeps, e: Escalation): Promise<MessageContext> {
  const department = await deps.departments.getIncludingArchived(e.departmentKey);
  const ctx: MessageContext = { departmentName: department?.name ?? e.departmentKey };
  // Urgent means now: the post itself mentions who must act, so it notifies them as it lands.
  const oncall = e.priority === 'urgent' && department ? oncallMention(department) : undefined;
  if (oncall) ctx.oncall = oncall;
  if (e.reassignedToId) {
    const next = await deps.repo.get(e.reassignedToId);
    if (next)
      ctx.reassignedTo = { departmentName: await departmentName(deps, next.departmentKey), url: next.messageUrl };
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
export async function postEscalation(
  deps: EscalationDeps,
  { escalation: e }: { escalation: Escalation },
): Promise<Escalation> {
  await deps.messages.sync(ESCALATION_CARD, e.id);
  return (await deps.repo.get(e.id)) ?? e;
}

const card = (id: string): CardRef => ({ mirror: ESCALATION_CARD, ref: id });

/** What a change tells Slack, recorded in the change's own transaction so a crash loses none of it. */
interface Announcement {
  /** The cards to post or redraw. */
  cards: string[];
  notes?: { id: string; text: string }[];
  dms?: { userId: string; text: string; blocks?: Blocks }[];
  events?: DomainEvent[];
}

/**
 * Runs a change with what it tells Slack and the events it raises (see commitChange). `change`
 * gets the transaction's repository and returns undefined when the change did not happen.
 */
export async function changeAndAnnounce<T>(
  deps: EscalationDeps,
  change: (repo: EscalationsRepository, tx: Db) => Promise<{ result: T; announce: Announcement } | undefined>,
): Promise<T | undefined> {
  const done = await commitChange(deps, async (tx) => {
    const changed = await change(createEscalationsRepository({ db: tx }), tx);
    if (!changed) return undefined;
    const { cards, notes = [], dms = [], events = [] } = changed.announce;
    const messages: QueuedMessage[] = [
      ...cards.map((id) => ({ card: card(id) })),
      ...notes.map((n) => ({ inThreadOf: card(n.id), content: { text: n.text } })),
      ...dms.map((d) => ({ dm: d.userId, content: { text: d.text, ...(d.blocks ? { blocks: d.blocks } : {}) } })),
    ];
    return { result: changed.result, messages, events };
  });
  return done?.result;
}

/** Who raised an escalation: a person in Slack, or for one raised through the API maybe only an address. */
export type Requester = { requesterId: string; requesterEmail?: null } | { requesterId: null; requesterEmail: string };

/** What a tool adds when it raises an escalation through the REST API. */
export interface RaisedByApi {
  /** The tool's own id for it: the same id again finds this escalation instead of raising another. */
  externalId: string | null;
  fields: EscalationFields | null;
}

export interface Raised {
  escalation: Escalation;
  department: Department;
  /** When the department will pick it up, if raised outside its working hours. */
  pickupAt?: Date;
}

/**
 * Stores an escalation and its card in one transaction, then posts the card: from Slack and from the
 * REST API (`api`) alike. Undefined when `dedupe` was seen already (a double submit) or `api.externalId`
 * was raised before: the first one did the work.
 */
export async function raiseEscalation(
  deps: EscalationDeps,
  {
    requester,
    input,
    dedupe,
    api,
    triage,
  }: {
    requester: Requester;
    input: RaiseInput & { fields?: Record<string, string> };
    dedupe?: Dedupe;
    api?: RaisedByApi;
    /** The triage tree's path to this form and the fields its outcome adds to the team's. */
    triage?: RaisedByTriage;
  },
): Promise<Raised | undefined> {
  const department = await deps.departments.get(input.departmentKey);
  if (!department) throw unknownDepartment(input.departmentKey, await deps.departments.list());
  // A tool calling the API sends its own fields; people in Slack answer the team's intake fields.
  const intake = api
    ? undefined
    : answerIntakeFields(withAddedFields(department.intakeFields, triage?.fields), input.fields ?? {});
  if (intake && !intake.ok) throw missingFields(department, Object.keys(intake.errors));
  // High priority: who must act hears it in the thread, without the card itself paging them.
  const highNote = input.priority === 'high' ? oncallMention(department) : undefined;
  const now = deps.clock.now();
  const hours = await workingHoursOf(department, deps);
  const turn = await roundRobinTurn(deps, { department, hours, requesterId: requester.requesterId, now });
  const stored = await changeAndAnnounce(deps, async (repo, tx) => {
    if (dedupe && !(await createRequestKeys({ db: tx, clock: deps.clock }).firstSeen(dedupe.parts, dedupe.windowMs)))
      return undefined;
    const created = await repo.create({
      ...input,
      requesterId: requester.requesterId,
      requesterEmail: requester.requesterEmail ?? null,
      ...(intake?.ok && Object.keys(intake.answers).length ? { fields: intake.answers } : {}),
      ...(api ? { raisedVia: 'api' as const, externalId: api.externalId, fields: api.fields } : {}),
      ...(triage?.path.length ? { triagePath: triage.path } : {}),
      createdAt: now,
      ...dueTimes(now, input.priority, department.sla[input.priority], hours),
    });
    if (!created) return undefined;
    const { requesterId } = requester;
    // The turn is taken once the escalation exists (a repeated external id takes none).
    const assigneeId = turn
      ? await repo.takeTurn(
          department.key,
          (last) => nextInTurn(turn.members, last, (id) => turn.eligible.has(id)),
          now,
        )
      : undefined;
    const e = assigneeId ? await repo.assign(created.id, assigneeId, now) : created;
    return {
      result: e,
      announce: {
        cards: [e.id],
        notes: [
          ...(highNote ? [{ id: e.id, text: threadNote.highPriority(highNote) }] : []),
          ...(assigneeId ? [{ id: e.id, text: threadNote.assigned(assigneeId) }] : []),
        ],
        // Drawn now, before the card has a link: the DM names the channel instead.
        dms: assigneeId ? [{ userId: assigneeId, ...renderAssignedDm(e, department) }] : [],
        events: [{ type: 'escalation.raised', escalationId: e.id, departmentKey: e.departmentKey, requesterId }],
      },
    };
  });
  if (!stored) return undefined;
  const escalation = (await deps.repo.get(stored.id)) ?? stored;
  const outside = countsWorkingTimeOnly(input.priority) && !isWorkingTime(now, hours);
  return { escalation, department, ...(outside ? { pickupAt: nextWorkingTime(now, hours) } : {}) };
}

/** The requester's confirmation: where it went, and when it will be picked up. */
export function raisedReply({ escalation, department, pickupAt }: Raised): string {
  if (!escalation.messageTs) {
    return `:floppy_disk: I saved your escalation *${escalationRef(escalation)}* for *${escapeMrkdwn(department.name)}*, but Slack would not let me post it in ${mentionChannel(department.channelId)} just now. I will keep trying every minute; nothing is lost.`;
  }
  const where = escalation.messageUrl
    ? linkTo(escalation.messageUrl, 'See it there')
    : mentionChannel(department.channelId);
  const pickup = pickupAt
    ? `\n:crescent_moon: ${escapeMrkdwn(department.name)} is outside working hours now; they will pick it up from ${slackDate(pickupAt)}.`
    : '';
  return `:white_check_mark: Escalated to *${escapeMrkdwn(department.name)}* in ${mentionChannel(department.channelId)} as *${escalationRef(escalation)}*. ${where}.\nSomeone there should claim it by ${slackDate(escalation.ackDueAt)}.${pickup}`;
}

/** An escalation by the number in its reference (ESC-42), with what its card says about where it went. */
export async function findEscalationByNumber(
  deps: EscalationDeps,
  { number, viewerId }: { number: number; viewerId: string },
): Promise<{ escalation: Escalation; context: MessageContext } | undefined> {
  const escalation = await deps.repo.byNumber(number);
  if (!escalation) return undefined;
  // A private department channel keeps its customers' words to its members and the people involved.
  const involved = viewerId === escalation.requesterId || viewerId === escalation.claimerId;
  if (!involved && escalation.channelId && !(await mayReadConversation(deps.slack, escalation.channelId, viewerId)))
    throw new UserError(
      'escalations.private',
      `:lock: ${formatRef(ESCALATION_REF, number)} is in a private channel you are not in, so only its members can see it.`,
    );
  return { escalation, context: await messageContext(deps, escalation) };
}

/** A stale or forged reference to an escalation. */
export const escalationNotFound = () =>
  new UserError('escalations.not_found', ':mag: That escalation no longer exists.');

/** Why `action` did not apply, from the escalation as it is now: a stale card or a second click. */
export async function explainRefusal(deps: EscalationDeps, id: string, action: EscalationAction): Promise<never> {
  const e = await deps.repo.get(id);
  if (!e) throw escalationNotFound();
  if (action === 'reopen' && isUnfinished(e.status))
    throw new UserError(
      'escalations.not_resolved',
      ':arrows_counterclockwise: It is open again already; see the card.',
    );
  if (action === 'resume' && isLive(e.status))
    throw new UserError('escalations.not_on_hold', ':arrow_forward: It is not on hold any more; see the card.');
  switch (e.status) {
    case 'on_hold':
      throw new UserError(
        'escalations.on_hold',
        `:stopwatch: It is on hold: ${escapeMrkdwn(e.holdReason ?? '')}.${action === 'hold' ? '' : ' Resume it first.'}`,
      );
    case 'claimed':
      throw new UserError(
        'escalations.already_claimed',
        `:raising_hand: Already claimed by ${mentionUser(e.claimerId ?? '')}.`,
      );
    case 'resolved':
      throw new UserError(
        'escalations.already_resolved',
        `:white_check_mark: Already resolved by ${mentionUser(e.resolvedBy ?? '')}.`,
      );
    case 'reassigned':
      throw new UserError(
        'escalations.reassigned',
        ':arrow_right: It was reassigned to another department; act on the new message.',
      );
    case 'open':
      throw new UserError(
        'escalations.not_claimed',
        `:hourglass_flowing_sand: Nobody has claimed it, so there is nothing to ${action}.`,
      );
  }
}

/** A DM to the requester, when they are in Slack (one raised through the API may not be). */
export const toRequester = (e: Escalation, text: string) => (e.requesterId ? [{ userId: e.requesterId, text }] : []);
export const seeIt = (e: Escalation, label: string) => (e.messageUrl ? ` ${linkTo(e.messageUrl, label)}.` : '');

/** First click wins; the requester hears who picked it up. */
export async function claimEscalation(
  deps: EscalationDeps,
  { id, userId }: { id: string; userId: string },
): Promise<Escalation> {
  const e = await changeAndAnnounce(deps, async (repo) => {
    const claimed = await repo.claim(id, userId, deps.clock.now());
    if (!claimed) return undefined;
    const dms =
      claimed.requesterId === userId
        ? []
        : toRequester(
            claimed,
            `:raising_hand: ${mentionUser(userId)} picked up your escalation ${quoteSummary(claimed)}.${seeIt(claimed, 'See it')}`,
          );
    return {
      result: claimed,
      announce: {
        cards: [id],
        notes: [{ id, text: threadNote.claimed(userId) }],
        dms,
        events: [{ type: 'escalation.claimed', escalationId: id, userId }],
      },
    };
  });
  return e ?? explainRefusal(deps, id, 'claim');
}

/** Only the claimer can put it back in the queue. */
export async function releaseEscalation(
  deps: EscalationDeps,
  { id, userId }: { id: string; userId: string },
): Promise<Escalation> {
  const e = await changeAndAnnounce(deps, async (repo) => {
    const released = await repo.release(id, userId, deps.clock.now());
    return (
      released && {
        result: released,
        announce: {
          cards: [id],
          notes: [{ id, text: threadNote.released(userId) }],
          events: [{ type: 'escalation.released', escalationId: id, userId }],
        },
      }
    );
  });
  if (!e) {
    const current = await deps.repo.get(id);
    if (current?.status === 'claimed' && current.claimerId !== userId) {
      throw new UserError(
        'escalations.not_claimer',
        `:no_entry: Only ${mentionUser(current.claimerId ?? '')}, who claimed it, can release it.`,
      );
    }
    return explainRefusal(deps, id, 'release');
  }
  return e;
}

/** The assignee gives a round-robin escalation back to the queue, where anyone can claim it. */
export async function handBackEscalation(
  deps: EscalationDeps,
  { id, userId }: { id: string; userId: string },
): Promise<Escalation> {
  const e = await changeAndAnnounce(deps, async (repo) => {
    const handed = await repo.handBack(id, userId, deps.clock.now());
    return (
      handed && { result: handed, announce: { cards: [id], notes: [{ id, text: threadNote.handedBack(userId) }] } }
    );
  });
  if (e) return e;
  const current = await deps.repo.get(id);
  if (current?.status === 'open')
    throw new UserError(
      'escalations.not_assignee',
      current.assigneeId
        ? `:no_entry: It was assigned to ${mentionUser(current.assigneeId)}; only they can hand it back.`
        : ':hourglass_flowing_sand: It is not assigned to anyone; it is already in the queue.',
    );
  return explainRefusal(deps, id, 'hand_back');
}

/** Checks an escalation can still take `action` before opening a modal for it. */
export async function requireAllowed(
  deps: EscalationDeps,
  { id, action }: { id: string; action: EscalationAction },
): Promise<Escalation> {
  const e = await deps.repo.get(id);
  if (e && transition(e.status, action)) return e;
  return explainRefusal(deps, id, action);
}

/** Someone who claimed it (and maybe put it on hold) hears when another person resolves or moves it: it was theirs. */
function toldClaimer(before: Escalation | undefined, userId: string, text: string): { userId: string; text: string }[] {
  return (before?.status === 'claimed' || before?.status === 'on_hold') &&
    before.claimerId &&
    before.claimerId !== userId
    ? [{ userId: before.claimerId, text }]
    : [];
}

/** Resolves a live escalation; the requester, and a claimer who was not the resolver, get the resolution. */
export async function resolveEscalation(
  deps: EscalationDeps,
  {
    id,
    userId,
    resolution,
    addToAnswers = false,
  }: { id: string; userId: string; resolution: string; addToAnswers?: boolean },
): Promise<Escalation> {
  const now = deps.clock.now();
  const reopenDays = await deps.reopenDays();
  const until = reopenDays > 0 ? reopenableUntil(now, reopenDays) : null;
  const e = await changeAndAnnounce(deps, async (repo) => {
    const before = await repo.get(id);
    const resolved = await repo.resolve(id, userId, resolution, now, until);
    if (!resolved) return undefined;
    const quoted = blockQuote(resolution);
    const dms = [
      // With "How was this handled?" under it (see escalations.ratings.views.ts).
      ...(resolved.requesterId ? [{ userId: resolved.requesterId, ...renderResolvedDm(resolved) }] : []),
      ...toldClaimer(
        before,
        userId,
        `:white_check_mark: ${mentionUser(userId)} resolved the escalation you claimed, ${quoteSummary(resolved)}:\n${quoted}${seeIt(resolved, 'See it')}`,
      ),
    ];
    return {
      result: resolved,
      announce: {
        cards: [id],
        notes: [{ id, text: threadNote.resolved(userId, resolution) }],
        dms,
        events: [
          {
            type: 'escalation.resolved',
            escalationId: id,
            userId,
            resolution,
            addToAnswers,
            summary: resolved.summary,
            departmentKey: resolved.departmentKey,
            permalink: resolved.messageUrl,
          },
        ],
      },
    };
  });
  return e ?? explainRefusal(deps, id, 'resolve');
}

/** Hands a live escalation to another department: a new message there, the old one points to it. */
export async function reassignEscalation(
  deps: EscalationDeps,
  { id, userId, departmentKey, reason }: { id: string; userId: string; departmentKey: string; reason: string | null },
): Promise<Escalation> {
  const target = await deps.departments.get(departmentKey);
  if (!target) throw unknownDepartment(departmentKey, await deps.departments.list());
  const now = deps.clock.now();
  const hours = await workingHoursOf(target, deps);
  const next = await changeAndAnnounce(deps, async (repo) => {
    const before = await repo.get(id);
    const moved = await repo.reassign(
      id,
      userId,
      (old) => ({
        departmentKey,
        priority: old.priority,
        customer: old.customer,
        summary: old.summary,
        details: reason
          ? `${old.details ? `${old.details}\n` : ''}Reassigned by ${mentionUser(userId)}: ${reason}`
          : old.details,
        link: old.link,
        requesterId: old.requesterId,
        requesterEmail: old.requesterEmail,
        raisedVia: old.raisedVia,
        fields: old.fields,
        triagePath: old.triagePath,
        createdAt: now,
        ...dueTimes(now, old.priority, target.sla[old.priority], hours),
      }),
      now,
    );
    if (!moved) return undefined;
    const { old } = moved;
    const where = `*${escapeMrkdwn(target.name)}*`;
    const dms = [
      ...(old.requesterId !== userId
        ? toRequester(old, `:arrow_right: Your escalation ${quoteSummary(old)} was moved to ${where}.`)
        : []),
      ...toldClaimer(
        before,
        userId,
        `:arrow_right: ${mentionUser(userId)} moved the escalation you claimed, ${quoteSummary(old)}, to ${where}.${reason ? ` Why: ${escapeMrkdwn(reason)}` : ''}`,
      ),
    ];
    // The new card first: the old card and its thread note link to it once it is posted.
    const events: DomainEvent[] = [
      {
        type: 'escalation.reassigned',
        escalationId: id,
        nextEscalationId: moved.next.id,
        userId,
        fromDepartment: old.departmentKey,
        toDepartment: departmentKey,
      },
    ];
    return {
      result: moved.next,
      announce: {
        cards: [moved.next.id, id],
        notes: [{ id, text: threadNote.reassigned(userId, target.name) }],
        dms,
        events,
      },
    };
  });
  if (!next) return explainRefusal(deps, id, 'reassign');
  return (await deps.repo.get(next.id)) ?? next;
}
