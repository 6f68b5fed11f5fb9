// What people see of an escalation: the department channel message, thread notes, DMs, lists and Home.
import type { KnownBlock } from '@slack/types';
import type { Priority } from '../departments/departments.models.ts';
import { type Blocks, actions, button, context, section, sections, slackDate, truncate } from '../slack/blocks.ts';
import { mentionUser } from '../slack/mentions.ts';
import { escapeKeepingLinks } from '../slack/mrkdwn.ts';
import { ESCALATION_IDS as IDS } from './escalations.ids.ts';
import { formatDuration } from './escalations.models.ts';
import type { Escalation } from './escalations.repository.ts';

const PRIORITY_ICON: Record<Priority, string> = { urgent: ':red_circle:', high: ':large_orange_circle:', normal: ':large_blue_circle:', low: ':white_circle:' };
const capitalised = (word: string) => word.charAt(0).toUpperCase() + word.slice(1);
export const priorityLabel = (p: Priority) => `${PRIORITY_ICON[p]} ${capitalised(p)}`;

/** A mrkdwn link that survives `|` and `>` in the URL. */
export const linkTo = (url: string, label: string) => `<${url.replace(/\|/g, '%7C').replace(/>/g, '%3E')}|${label}>`;

export interface MessageContext {
  departmentName: string;
  /** Where it went when reassigned: department name and link. */
  reassignedTo?: { departmentName: string; url: string | null };
  reassignedFrom?: { departmentName: string };
}

function statusLine(e: Escalation, ctx: MessageContext): string {
  switch (e.status) {
    case 'open':
      return ':hourglass_flowing_sand: Waiting for someone to claim it.';
    case 'claimed':
      return `:raising_hand: Claimed by ${mentionUser(e.claimerId ?? '')}${e.claimedAt ? ` · ${slackDate(e.claimedAt)}` : ''}`;
    case 'resolved':
      return `:white_check_mark: Resolved by ${mentionUser(e.resolvedBy ?? '')} in ${formatDuration((e.resolvedAt?.getTime() ?? 0) - e.createdAt.getTime())}.`;
    case 'reassigned': {
      const to = ctx.reassignedTo;
      const where = to ? `*${escapeKeepingLinks(to.departmentName)}*${to.url ? ` (${linkTo(to.url, 'see it there')})` : ''}` : 'another department';
      return `:arrow_right: Reassigned to ${where}.`;
    }
  }
}

function buttonsFor(e: Escalation): KnownBlock[] {
  const value = e.id;
  if (e.status === 'open') {
    return [actions('escalation_actions', [button('Claim', IDS.claim, { value, style: 'primary' }), button('Resolve', IDS.resolve, { value }), button('Reassign', IDS.reassign, { value })])];
  }
  if (e.status === 'claimed') {
    return [actions('escalation_actions', [button('Resolve', IDS.resolve, { value, style: 'primary' }), button('Release to queue', IDS.release, { value }), button('Reassign', IDS.reassign, { value })])];
  }
  return [];
}

/** The plain-text fallback and the Block Kit of the department channel message. */
export function renderEscalationMessage(e: Escalation, ctx: MessageContext): { text: string; blocks: Blocks } {
  const fields = [
    `*Priority*\n${priorityLabel(e.priority)}`,
    `*Customer*\n${e.customer ? escapeKeepingLinks(truncate(e.customer, 200)) : '_not given_'}`,
    `*Raised by*\n${mentionUser(e.requesterId)}`,
    `*Conversation*\n${e.link ? linkTo(e.link, 'open the customer conversation') : '_no link_'}`,
    `*Acknowledge by*\n${slackDate(e.ackDueAt)}`,
    `*Resolve by*\n${slackDate(e.resolveDueAt)}`,
  ];
  const from = ctx.reassignedFrom ? ` (reassigned from ${escapeKeepingLinks(ctx.reassignedFrom.departmentName)})` : '';
  const blocks: Blocks = [
    section(`*Escalation for ${escapeKeepingLinks(ctx.departmentName)}*${from}\n>${escapeKeepingLinks(e.summary).replace(/\n/g, '\n>')}`),
    { type: 'section', fields: fields.map((text) => ({ type: 'mrkdwn' as const, text })) },
    ...(e.details ? [section(`*Details*\n${escapeKeepingLinks(e.details)}`)] : []),
    ...(e.resolution ? [section(`*Resolution*\n${escapeKeepingLinks(e.resolution)}`)] : []),
    context(statusLine(e, ctx)),
    ...buttonsFor(e),
  ];
  const text = `${capitalised(e.priority)} escalation for ${ctx.departmentName}: ${truncate(e.summary, 300)} (${e.status})`;
  return { text, blocks };
}

/** One line about an escalation for lists, DMs and Home. */
export function escalationLine(e: Escalation, now: Date, departmentName = e.departmentKey): string {
  const summary = escapeKeepingLinks(truncate(e.summary.replace(/\s+/g, ' '), 90));
  const link = e.messageUrl ? ` · ${linkTo(e.messageUrl, 'open')}` : '';
  const who = e.claimerId ? `claimed by ${mentionUser(e.claimerId)}` : 'unclaimed';
  return `${PRIORITY_ICON[e.priority]} *${escapeKeepingLinks(departmentName)}* · ${summary} · ${who} · raised ${formatDuration(now.getTime() - e.createdAt.getTime())} ago${link}`;
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
export function renderEscalationList(lists: EscalationLists, now: Date, names: Map<string, string>): { text: string; blocks: Blocks } {
  const parts = LIST_TITLES.map(([kind, title]) => {
    const rows = lists[kind];
    const lines = rows.length ? rows.map((e) => `• ${escalationLine(e, now, names.get(e.departmentKey))}`).join('\n') : '_nothing_';
    return `*${title}* (${rows.length})\n${lines}`;
  });
  const text = parts.join('\n\n');
  return { text, blocks: [...parts.flatMap(sections), context('Your departments are those you lead, and the one whose channel you ran this in.')] };
}

// Home holds 100 blocks shared by every capability: a few rows per list, the rest in /escalate list.
const HOME_ROWS = 8;

/** The Escalations part of App Home: the same lists, with buttons to act. */
export function renderEscalationsHome(lists: EscalationLists, now: Date, names: Map<string, string>): Blocks {
  const blocks: Blocks = [
    section(':rotating_light: *Escalations*'),
    actions('escalations_home', [button('Escalate to a team', IDS.openRaiseModal, { style: 'primary' })]),
  ];
  for (const [kind, title] of LIST_TITLES) {
    const rows = lists[kind];
    blocks.push(context(`*${title}* (${rows.length})`));
    for (const e of rows.slice(0, HOME_ROWS)) {
      const accessory =
        kind === 'queue'
          ? button('Claim', IDS.claim, { value: e.id, style: 'primary' })
          : kind === 'claimed'
            ? button('Resolve', IDS.resolve, { value: e.id })
            : undefined;
      blocks.push({ type: 'section', text: { type: 'mrkdwn', text: escalationLine(e, now, names.get(e.departmentKey)) }, ...(accessory ? { accessory } : {}) });
    }
    if (rows.length > HOME_ROWS) blocks.push(context(`…and ${rows.length - HOME_ROWS} more: see \`/escalate list\`.`));
  }
  return blocks;
}

/** A note in the message's thread for each state change. */
export const threadNote = {
  claimed: (userId: string) => `:raising_hand: ${mentionUser(userId)} claimed this.`,
  released: (userId: string) => `:leftwards_arrow_with_hook: ${mentionUser(userId)} released this back to the queue.`,
  resolved: (userId: string, resolution: string) => `:white_check_mark: ${mentionUser(userId)} resolved this: ${escapeKeepingLinks(truncate(resolution, 2500))}`,
  reassigned: (userId: string, to: string, url: string | null) => `:arrow_right: ${mentionUser(userId)} reassigned this to *${escapeKeepingLinks(to)}*${url ? ` (${linkTo(url, 'new message')})` : ''}.`,
};
