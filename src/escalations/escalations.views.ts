// What people see of an escalation: the department channel message, thread notes, DMs, lists and Home.
import type { KnownBlock } from '@slack/types';
import type { Priority } from '../departments/departments.models.ts';
import { formatRef } from '../short-refs.ts';
import {
  actions,
  type Blocks,
  button,
  type ConfirmDialog,
  capitalise,
  context,
  header,
  section,
  sections,
  slackDate,
  truncate,
} from '../slack/blocks.ts';
import { mentionChannel, mentionUser } from '../slack/mentions.ts';
import { blockQuote, escapeMrkdwn, linkTo } from '../slack/mrkdwn.ts';
import { escalationActionId, ESCALATION_IDS as IDS } from './escalations.ids.ts';
import {
  actionsAllowed,
  ESCALATION_REF,
  type EscalationAction,
  type EscalationFields,
  formatDuration,
  type ResumedBy,
  slaClockOf,
  slaStanding,
  timeToResolveMs,
} from './escalations.models.ts';
import type { Escalation } from './escalations.repository.ts';
import { formatTriagePath } from './triage.models.ts';

const PRIORITY_ICON: Record<Priority, string> = {
  urgent: ':red_circle:',
  high: ':large_orange_circle:',
  normal: ':large_blue_circle:',
  low: ':white_circle:',
};
export const priorityLabel = (p: Priority) => `${PRIORITY_ICON[p]} ${capitalise(p)}`;

/** The short reference people quote: ESC-42. */
export const escalationRef = (e: Pick<Escalation, 'number'>) => formatRef(ESCALATION_REF, e.number);

/** “Refund stuck for ACME” (ESC-12): an escalation's summary quoted in a DM, with its reference. */
export const quoteSummary = (e: Escalation) => `“${escapeMrkdwn(e.summary.slice(0, 200))}” (${escalationRef(e)})`;

/** Who raised it: a mention, or the address of someone outside Slack; "via API" when a tool raised it. */
export function raisedBy(e: Pick<Escalation, 'requesterId' | 'requesterEmail' | 'raisedVia'>): string {
  const who = e.requesterId ? mentionUser(e.requesterId) : escapeMrkdwn(e.requesterEmail ?? 'someone outside Slack');
  return e.raisedVia === 'api' ? `${who} via API` : who;
}

// A tool may send many fields: the card shows the first few, each cut short, escaped like all stored text.
const CARD_FIELDS = 10;

function fieldLines(fields: EscalationFields): string {
  const entries = Object.entries(fields);
  const lines = entries
    .slice(0, CARD_FIELDS)
    .map(
      ([name, value]) => `${escapeMrkdwn(truncate(name, 60))}: ${escapeMrkdwn(truncate(String(value ?? '—'), 200))}`,
    );
  if (entries.length > CARD_FIELDS) lines.push(`…and ${entries.length - CARD_FIELDS} more`);
  return lines.join('\n');
}

/** "Triage: Payment problem > Charged twice": the questions answered before escalating, escaped. */
export const triageLine = (path: readonly string[]) => `Triage: ${escapeMrkdwn(truncate(formatTriagePath(path), 500))}`;

export interface MessageContext {
  departmentName: string;
  /** Where it went when reassigned: department name and link. */
  reassignedTo?: { departmentName: string; url: string | null };
  reassignedFrom?: { departmentName: string };
  /** The mention an urgent card opens with (the department's on-call or leads). */
  oncall?: string;
}

function statusLine(e: Escalation, ctx: MessageContext): string {
  switch (e.status) {
    case 'open':
      return e.assigneeId
        ? `:bust_in_silhouette: Assigned in turn to ${mentionUser(e.assigneeId)}, who has not claimed it yet; anyone can.`
        : ':hourglass_flowing_sand: Waiting for someone to claim it.';
    case 'claimed':
      return `:raising_hand: Claimed by ${mentionUser(e.claimerId ?? '')}${e.claimedAt ? ` · ${slackDate(e.claimedAt)}` : ''}`;
    case 'on_hold':
      return `${onHoldLine(e)}${e.claimerId ? ` · claimed by ${mentionUser(e.claimerId)}` : ''}`;
    case 'resolved': {
      const took = formatDuration(timeToResolveMs({ ...e, resolvedAt: e.resolvedAt ?? e.updatedAt }));
      const held = e.heldMs >= 60_000 ? `, not counting ${formatDuration(e.heldMs)} on hold` : '';
      const reopen = e.reopenableUntil ? ` It can be reopened until ${slackDate(e.reopenableUntil)}.` : '';
      return `:white_check_mark: Resolved by ${mentionUser(e.resolvedBy ?? '')} in ${took}${held}.${reopen}`;
    }
    case 'reassigned': {
      const to = ctx.reassignedTo;
      const where = to
        ? `*${escapeMrkdwn(to.departmentName)}*${to.url ? ` (${linkTo(to.url, 'see it there')})` : ''}`
        : 'another department';
      return `:arrow_right: Reassigned to ${where}.`;
    }
  }
}

/** "On hold: waiting on customer since 14:05 today", in each reader's own time zone. */
export const onHoldLine = (e: Pick<Escalation, 'holdReason' | 'holdSince' | 'holdUntil'>) =>
  `:stopwatch: On hold: ${escapeMrkdwn(e.holdReason ?? '')}${e.holdSince ? ` since ${slackDate(e.holdSince, '{time} {date_short_pretty}')}` : ''}${e.holdUntil ? ` · resumes ${slackDate(e.holdUntil)}` : ''}`;

const BUTTON_LABELS: Record<EscalationAction, string> = {
  claim: 'Claim',
  resume: 'Resume',
  reopen: 'Reopen',
  resolve: 'Resolve',
  release: 'Release to queue',
  hold: 'Put on hold',
  reassign: 'Reassign',
  hand_back: 'Hand back to queue',
};

// Actions that undo someone's work ask first; the others open a form or are what the card is for.
const CONFIRMS: Partial<Record<EscalationAction, ConfirmDialog>> = {
  release: {
    title: 'Release this escalation?',
    text: 'It goes back to the queue unclaimed, and the team sees it waiting again.',
    confirm: 'Release',
  },
  // The form that follows has its own Cancel, but moving closes the escalation here: say so first.
  reassign: {
    title: 'Move to another team?',
    text: 'You pick the team next. It is closed here as misrouted and opened there, with its thread linked.',
    confirm: 'Pick a team',
  },
  hand_back: {
    title: 'Hand it back?',
    text: 'It goes back to the queue unassigned, for anyone on the team to claim.',
    confirm: 'Hand back',
  },
};

const actionButton = (action: EscalationAction, id: string, primary: boolean) => {
  const confirm = CONFIRMS[action];
  return button(BUTTON_LABELS[action], escalationActionId(action), {
    value: id,
    ...(primary ? { style: 'primary' as const } : {}),
    ...(confirm ? { confirm } : {}),
  });
};

/** The card's buttons: what its status allows (ALLOWED_FROM), the first one primary. */
function buttonsFor(e: Escalation): KnownBlock[] {
  // Reopen only while its window is open: the lifecycle job clears the window and redraws the card.
  const allowed = actionsAllowed(e.status, { assigned: e.assigneeId !== null }).filter(
    (action) => action !== 'reopen' || e.reopenableUntil,
  );
  return allowed.length
    ? [
        actions(
          'escalation_actions',
          allowed.map((action, i) => actionButton(action, e.id, i === 0)),
        ),
      ]
    : [];
}

/** The targets still ahead: none once resolved; the resolve target is paused while on hold. */
function dueFields(e: Escalation): string[] {
  switch (e.status) {
    case 'resolved':
      return [];
    case 'on_hold':
      return ['*Resolve by*\n_paused while on hold_'];
    default:
      return [`*Acknowledge by*\n${slackDate(e.ackDueAt)}`, `*Resolve by*\n${slackDate(e.resolveDueAt)}`];
  }
}

/** The plain-text fallback and the Block Kit of the department channel message. */
export function renderEscalationMessage(e: Escalation, ctx: MessageContext): { text: string; blocks: Blocks } {
  // A field nobody filled in is left out rather than shown as "not given".
  const fields = [
    `*Priority*\n${priorityLabel(e.priority)}`,
    `*Raised by*\n${raisedBy(e)}`,
    ...(e.customer ? [`*Customer*\n${escapeMrkdwn(truncate(e.customer, 200))}`] : []),
    // The requester's link shows its own address, so nobody is led somewhere other than it says.
    ...(e.link ? [`*Conversation*\n${linkTo(e.link, truncate(e.link, 200))}`] : []),
    ...dueFields(e),
  ];
  const from = ctx.reassignedFrom ? ` (reassigned from ${escapeMrkdwn(ctx.reassignedFrom.departmentName)})` : '';
  const oncall = ctx.oncall ? `:rotating_light: ${ctx.oncall}: urgent, please pick this up now.\n` : '';
  const blocks: Blocks = [
    section(`${oncall}*Escalation for ${escapeMrkdwn(ctx.departmentName)}*${from}\n${blockQuote(e.summary)}`),
    { type: 'section', fields: fields.map((text) => ({ type: 'mrkdwn' as const, text })) },
    ...(e.details ? [section(`*Details*\n${escapeMrkdwn(e.details)}`)] : []),
    ...(e.fields && Object.keys(e.fields).length > 0 ? [section(`*Fields*\n${fieldLines(e.fields)}`)] : []),
    ...(e.triagePath.length > 0 ? [context(triageLine(e.triagePath))] : []),
    ...(e.resolution ? [section(`*Resolution*\n${escapeMrkdwn(e.resolution)}`)] : []),
    context(`${escalationRef(e)} · ${statusLine(e, ctx)}`),
    ...buttonsFor(e),
  ];
  const text = `${ctx.oncall ? `${ctx.oncall} ` : ''}${escalationRef(e)}: ${capitalise(e.priority)} escalation for ${escapeMrkdwn(ctx.departmentName)}: ${escapeMrkdwn(truncate(e.summary, 300))} (${e.status.replace('_', ' ')})`;
  return { text, blocks };
}

/** "just now", "5 min ago", "3 h ago", "2 days ago": how long it has waited, at a glance. */
export function agoInWords(ms: number): string {
  const minutes = Math.floor(ms / 60_000);
  if (minutes < 1) return 'just now';
  // Minutes within the hour, hours within two days, then days: a list needs no more.
  const unit = minutes < 60 ? 1 : minutes < 48 * 60 ? 60 : 1440;
  return `${formatDuration(Math.floor(minutes / unit) * unit * 60_000)} ago`;
}

/** `/escalate show ESC-42`: where it stands, its targets, and a link to its card. */
export function renderEscalationStatus(
  e: Escalation,
  ctx: MessageContext,
  now: Date,
): { text: string; blocks: Blocks } {
  const clock = slaClockOf(e, now);
  const target = (name: string, dueAt: Date, doneAt: Date | null) => {
    const standing = slaStanding(dueAt, doneAt, clock);
    if (standing === 'not_applicable' || standing === 'met') return [];
    return standing === 'on_track'
      ? [`${capitalise(name)} by ${slackDate(dueAt)}`]
      : [`:warning: Missed the ${name} target (${slackDate(dueAt)})`];
  };
  const targets = [
    ...target('acknowledge', e.ackDueAt, e.claimedAt),
    ...target('resolve', e.resolveDueAt, e.resolvedAt),
  ];
  const lines = [
    `*${escalationRef(e)}* · ${priorityLabel(e.priority)} · *${escapeMrkdwn(ctx.departmentName)}* · raised by ${raisedBy(e)} ${formatDuration(now.getTime() - e.createdAt.getTime())} ago`,
    blockQuote(truncate(e.summary, 500)),
    statusLine(e, ctx),
    ...(targets.length > 0 ? [targets.join(' · ')] : []),
    ...(e.resolution ? [`*Resolution:* ${escapeMrkdwn(truncate(e.resolution, 1000))}`] : []),
    e.messageUrl ? linkTo(e.messageUrl, 'Open the card') : '_Its card is not in Slack yet; it will be posted shortly._',
  ];
  const text = lines.join('\n');
  return { text, blocks: sections(text) };
}

/** One line about an escalation for lists, DMs and Home; the summary links to the card. */
export function escalationLine(e: Escalation, now: Date, departmentName = e.departmentKey): string {
  const text = truncate(e.summary.replace(/\s+/g, ' '), 90);
  const summary = e.messageUrl ? linkTo(e.messageUrl, text) : escapeMrkdwn(text);
  const who = `${e.claimerId ? `claimed by ${mentionUser(e.claimerId)}` : 'unclaimed'}${e.status === 'on_hold' ? ' · on hold' : ''}`;
  return `${PRIORITY_ICON[e.priority]} ${escalationRef(e)} *${escapeMrkdwn(departmentName)}* · ${summary} · ${who} · raised ${agoInWords(now.getTime() - e.createdAt.getTime())}`;
}

export interface EscalationLists {
  raised: Escalation[];
  claimed: Escalation[];
  queue: Escalation[];
}

const LIST_TITLES: [keyof EscalationLists, string][] = [
  ['raised', 'Raised by you'],
  ['claimed', 'Claimed by you'],
  ['queue', 'Waiting in your departments’ queue'],
];

/** `/escalate list`: my open escalations and my departments' unclaimed queue, oldest first. */
export function renderEscalationList(
  lists: EscalationLists,
  now: Date,
  names: Map<string, string>,
): { text: string; blocks: Blocks } {
  const parts = LIST_TITLES.map(([kind, title]) => {
    const rows = lists[kind];
    const lines = rows.length
      ? rows.map((e) => `• ${escalationLine(e, now, names.get(e.departmentKey))}`).join('\n')
      : '_nothing_';
    return `*${title}* (${rows.length})\n${lines}`;
  });
  const text = parts.join('\n\n');
  return {
    text,
    blocks: [
      ...parts.flatMap(sections),
      context('Your departments are those you lead, and the one whose channel you ran this in.'),
    ],
  };
}

// Home holds 100 blocks shared by every capability: a few rows per list, the rest in /escalate list.
const HOME_ROWS = 8;

/** The Escalations part of App Home: the same lists, with buttons to act; Home's one primary action. */
export function renderEscalationsHome(lists: EscalationLists, now: Date, names: Map<string, string>): Blocks {
  const blocks: Blocks = [
    header('Escalations'),
    actions('escalations_home', [button('Escalate to a team', IDS.openRaiseModal, { style: 'primary' })]),
  ];
  for (const [kind, title] of LIST_TITLES) {
    const rows = lists[kind];
    if (rows.length === 0) continue;
    blocks.push(section(`*${title}* (${rows.length})`));
    for (const e of rows.slice(0, HOME_ROWS)) {
      const accessory =
        kind === 'queue'
          ? actionButton('claim', e.id, false)
          : kind === 'claimed'
            ? actionButton('resolve', e.id, false)
            : undefined;
      blocks.push({
        type: 'section',
        text: { type: 'mrkdwn', text: escalationLine(e, now, names.get(e.departmentKey)) },
        ...(accessory ? { accessory } : {}),
      });
    }
    if (rows.length > HOME_ROWS) blocks.push(section(`…and ${rows.length - HOME_ROWS} more: see \`/escalate list\`.`));
  }
  if (LIST_TITLES.every(([kind]) => lists[kind].length === 0))
    blocks.push(
      section('Nothing waiting for you: no open escalations raised by you, claimed by you or in your queue.'),
    );
  return blocks;
}

/** What a suggestion's buttons carry: the team and the summary, so the click needs nothing stored. */
export const suggestedValue = (departmentKey: string, summary: string) =>
  JSON.stringify({ d: departmentKey, s: summary });

/** `/escalate <text>` without a team: the suggested one, why, and a way to pick another. */
export function renderSuggestion(
  summary: string,
  department: { key: string; name: string },
  reason: string,
): { text: string; blocks: Blocks } {
  const name = escapeMrkdwn(department.name);
  const value = suggestedValue(department.key, summary);
  const text = `Suggested team: ${name} (${escapeMrkdwn(reason)}).`;
  return {
    text,
    blocks: [
      section(`:bulb: This looks like one for *${name}*: ${escapeMrkdwn(reason)}.\n${blockQuote(summary)}`),
      actions('escalation_suggestion', [
        button(truncate(`Send to ${department.name}`, 75), IDS.sendSuggested, { value, style: 'primary' }),
        button('Pick another team', IDS.pickAnotherTeam, { value }),
      ]),
    ],
  };
}

/** The DM to whom round-robin gave an escalation: what it is, and Claim or Hand back right there. */
export function renderAssignedDm(
  e: Escalation,
  department: { name: string; channelId: string },
): { text: string; blocks: Blocks } {
  const summary = escapeMrkdwn(truncate(e.summary.replace(/\s+/g, ' '), 200));
  const text = `:inbox_tray: It is your turn: a ${e.priority} escalation for *${escapeMrkdwn(department.name)}* in ${mentionChannel(department.channelId)} was assigned to you, “${summary}”. Acknowledge by ${slackDate(e.ackDueAt)}.`;
  return {
    text,
    blocks: [
      section(text),
      actions('escalation_assigned', [actionButton('claim', e.id, true), actionButton('hand_back', e.id, false)]),
      context('Can’t take it? Hand it back and it waits in the queue for anyone to claim.'),
    ],
  };
}

/** A note in the message's thread for each state change. */
export const threadNote = {
  highPriority: (oncall: string) => `:large_orange_circle: ${oncall} high priority: please take a look soon.`,
  claimed: (userId: string) => `:raising_hand: ${mentionUser(userId)} claimed this.`,
  released: (userId: string) => `:leftwards_arrow_with_hook: ${mentionUser(userId)} released this back to the queue.`,
  assigned: (userId: string) => `:bust_in_silhouette: Assigned in turn to ${mentionUser(userId)}.`,
  handedBack: (userId: string) =>
    `:leftwards_arrow_with_hook: ${mentionUser(userId)} handed this back to the queue; anyone can claim it.`,
  resolved: (userId: string, resolution: string) =>
    `:white_check_mark: ${mentionUser(userId)} resolved this: ${escapeMrkdwn(truncate(resolution, 2500))}`,
  onHold: (e: Escalation) =>
    `:stopwatch: ${mentionUser(e.claimerId ?? '')} put this on hold: ${escapeMrkdwn(e.holdReason ?? '')}. Its SLA clocks are stopped${e.holdUntil ? ` until ${slackDate(e.holdUntil)}` : ''}.${e.requesterId ? ` ${mentionUser(e.requesterId)}, reply in this thread when there is news and it resumes.` : ''}`,
  resumed: (e: Escalation, resumedBy: ResumedBy, heldMs: number) => {
    const why =
      resumedBy.by === 'date'
        ? 'its date to come back has arrived'
        : resumedBy.by === 'reply'
          ? `${mentionUser(resumedBy.userId)} replied`
          : `${mentionUser(resumedBy.userId)} resumed it`;
    return `:arrow_forward: Back from hold after ${formatDuration(heldMs)}: ${why}. ${mentionUser(e.claimerId ?? '')}, resolve it by ${slackDate(e.resolveDueAt)}.`;
  },
  reopened: (e: Escalation, userId: string, reason: string, previousClaimerId: string | null) => {
    const to = e.claimerId
      ? `It is back with ${mentionUser(e.claimerId)}`
      : `It is back in the queue${previousClaimerId ? ` (${mentionUser(previousClaimerId)} is away)` : ''}`;
    return `:arrows_counterclockwise: ${mentionUser(userId)} reopened this: ${escapeMrkdwn(truncate(reason, 2500))}\n${to}; resolve it by ${slackDate(e.resolveDueAt)}.`;
  },
  reassigned: (userId: string, to: string) =>
    `:arrow_right: ${mentionUser(userId)} reassigned this to *${escapeMrkdwn(to)}*; see the card above for its new place.`,
};
