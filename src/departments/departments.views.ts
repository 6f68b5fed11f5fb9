import type { ModalView } from '@slack/types';
import { z } from 'zod';
import type { HomeViewer } from '../home/home.ts';
import {
  actions,
  type Blocks,
  button,
  capitalise,
  context,
  header,
  mrkdwn,
  plain,
  type StateValues,
  section,
} from '../slack/blocks.ts';
import { mentionChannel, mentionUser, mentionUserGroup, nameUsergroup } from '../slack/mentions.ts';
import { escapeMrkdwn } from '../slack/mrkdwn.ts';
import { DEPARTMENT_IDS as IDS } from './departments.ids.ts';
import {
  canEditDepartment,
  departmentKeySchema,
  describeHolidays,
  describeIntakeFields,
  describeSla,
  keywordsSchema,
  PRIORITIES,
  slaTargetInWords,
  splitKeywords,
} from './departments.models.ts';
import type { Department } from './departments.repository.ts';

const DAY_NAMES = ['', 'Mon', 'Tue', 'Wed', 'Thu', 'Fri', 'Sat', 'Sun'];

/** [1,2,3,4,5,7] → "Mon–Fri, Sun": runs of days read as ranges. */
function dayRanges(days: number[]): string {
  const runs: number[][] = [];
  for (const day of [...days].sort()) {
    const run = runs.at(-1);
    if (run && run.at(-1) === day - 1) run.push(day);
    else runs.push([day]);
  }
  return runs
    .map((run) =>
      run.length > 2 ? `${DAY_NAMES[run[0]!]}–${DAY_NAMES[run.at(-1)!]}` : run.map((n) => DAY_NAMES[n]).join(', '),
    )
    .join(', ');
}

function describeHours(d: Department, workspaceZone: string): string {
  const days = d.workDays.length === 7 ? 'every day' : dayRanges(d.workDays);
  return `${days} ${d.workStart}–${d.workEnd} (${d.timezone ?? workspaceZone})`;
}

/** One line per department: the directory as people see it. */
export function renderDepartmentLine(d: Department, workspaceZone: string): string {
  const leads = d.leads.length > 0 ? d.leads.map(mentionUser).join(' ') : '_no leads yet_';
  const keywords = d.keywords.length > 0 ? `\n   keywords: ${escapeMrkdwn(d.keywords.join(', '))}` : '';
  const fields =
    d.intakeFields.length > 0 ? `\n   asks for: ${escapeMrkdwn(describeIntakeFields(d.intakeFields))}` : '';
  const oncall = d.oncallGroupId ? ` · on call ${mentionUserGroup(d.oncallGroupId)}` : '';
  const holidays = describeHolidays(d.holidays);
  const daysOff = holidays ? `\n   holidays: ${holidays}` : '';
  const roundRobin = d.roundRobinGroup
    ? ` · round-robin to ${escapeMrkdwn(nameUsergroup({ id: d.roundRobinGroup, handle: d.roundRobinHandle }))}`
    : '';
  return `*${escapeMrkdwn(d.name)}* \`${d.key}\` in ${mentionChannel(d.channelId)} · leads ${leads}${oncall}${roundRobin}\n   SLA ack/resolve: ${describeSla(d.sla)}\n   hours: ${describeHours(d, workspaceZone)}${daysOff}${keywords}${fields}`;
}

export function renderDepartmentList(list: Department[], workspaceZone: string): { text: string; blocks: Blocks } {
  if (list.length === 0) {
    const text = 'No departments yet. An admin can add one with `/frontline dept add billing #billing Billing`.';
    return { text, blocks: [section(`:office: ${text}`)] };
  }
  const lines = list.map((d) => renderDepartmentLine(d, workspaceZone));
  const text = `Departments (${list.length}):\n${lines.join('\n')}`;
  return {
    text,
    blocks: [
      section(`:office: *Departments* (${list.length})`),
      ...lines.map(section).slice(0, 45),
      context('Escalations and help requests route to these teams.'),
    ],
  };
}

// Home holds 100 blocks for every capability: a department takes two.
const HOME_DEPARTMENTS = 10;

/** One department on Home: where it works, its leads, hours, and its targets once, in words. */
function departmentHomeBlocks(d: Department, workspaceZone: string): Blocks {
  const leads = d.leads.length > 0 ? d.leads.map(mentionUser).join(' ') : '_none yet_';
  return [
    {
      type: 'section',
      text: mrkdwn(
        `*${escapeMrkdwn(d.name)}* in ${mentionChannel(d.channelId)}\nLeads: ${leads}\nWorking hours: ${describeHours(d, workspaceZone)}`,
      ),
      accessory: button('Edit', IDS.openEditModal, { value: d.key }),
    },
    {
      type: 'section',
      fields: PRIORITIES.map((p) => mrkdwn(`*${capitalise(p)}*\n${capitalise(slaTargetInWords(d.sla[p]))}`)),
    },
  ];
}

/**
 * The Departments part of App Home: every department for admins, their own for leads, each with an
 * Edit button; nothing for anyone else.
 */
export function renderDepartmentsHome(list: Department[], workspaceZone: string, viewer: HomeViewer): Blocks {
  const editable = list.filter((d) => canEditDepartment(d, viewer.userId, viewer.isAdmin));
  if (!viewer.isAdmin && editable.length === 0) return [];
  const more = editable.length - HOME_DEPARTMENTS;
  return [
    header(viewer.isAdmin ? 'Departments' : 'Departments you lead'),
    ...(editable.length === 0 ? [section('No departments yet: add the teams that take escalations.')] : []),
    ...editable.slice(0, HOME_DEPARTMENTS).flatMap((d) => departmentHomeBlocks(d, workspaceZone)),
    ...(more > 0 ? [section(`…and ${more} more: see \`/frontline dept list\`.`)] : []),
    ...(viewer.isAdmin ? [actions('departments_home', [button('Add a department', IDS.openAddModal)])] : []),
  ];
}

export function addDepartmentModal(): ModalView {
  return {
    type: 'modal',
    callback_id: IDS.addModal,
    title: plain('Add a department'),
    submit: plain('Add'),
    close: plain('Cancel'),
    blocks: [
      {
        type: 'input',
        block_id: IDS.nameBlock,
        label: plain('Display name'),
        element: {
          type: 'plain_text_input',
          action_id: IDS.nameInput,
          max_length: 80,
          placeholder: plain('Billing & Payments'),
        },
      },
      {
        type: 'input',
        block_id: IDS.keyBlock,
        label: plain('Key'),
        hint: plain('A short slug people type in commands, such as billing'),
        element: { type: 'plain_text_input', action_id: IDS.keyInput, max_length: 32, placeholder: plain('billing') },
      },
      {
        type: 'input',
        block_id: IDS.channelBlock,
        label: plain('Channel where escalations land'),
        element: {
          type: 'conversations_select',
          action_id: IDS.channelInput,
          filter: { include: ['public', 'private'], exclude_bot_users: true },
        },
      },
      {
        type: 'input',
        block_id: IDS.leadsBlock,
        optional: true,
        label: plain('Leads'),
        hint: plain('Reminded when an escalation waits too long'),
        element: { type: 'multi_users_select', action_id: IDS.leadsInput },
      },
      {
        type: 'input',
        block_id: IDS.keywordsBlock,
        optional: true,
        label: plain('Keywords'),
        hint: plain('Comma separated: refund, invoice, card'),
        element: { type: 'plain_text_input', action_id: IDS.keywordsInput, max_length: 500 },
      },
    ],
  };
}

const addSubmissionSchema = z.object({
  [IDS.nameBlock]: z.string().trim().min(1, 'Give the department a name').max(80),
  [IDS.keyBlock]: departmentKeySchema,
  [IDS.channelBlock]: z.string({ error: 'Pick a channel' }).min(1, 'Pick a channel'),
  [IDS.leadsBlock]: z.array(z.string()).default([]),
  [IDS.keywordsBlock]: z.string().default('').transform(splitKeywords).pipe(keywordsSchema),
});

/** Reads the Add department modal; returns field errors keyed by block for `response_action: errors`. */
export function parseAddDepartmentSubmission(values: StateValues) {
  const raw = {
    [IDS.nameBlock]: values[IDS.nameBlock]?.[IDS.nameInput]?.value ?? '',
    [IDS.keyBlock]: values[IDS.keyBlock]?.[IDS.keyInput]?.value ?? '',
    [IDS.channelBlock]: values[IDS.channelBlock]?.[IDS.channelInput]?.selected_conversation ?? undefined,
    [IDS.leadsBlock]: values[IDS.leadsBlock]?.[IDS.leadsInput]?.selected_users ?? [],
    [IDS.keywordsBlock]: values[IDS.keywordsBlock]?.[IDS.keywordsInput]?.value ?? '',
  };
  const parsed = addSubmissionSchema.safeParse(raw);
  if (!parsed.success) {
    const errors: Record<string, string> = {};
    for (const issue of parsed.error.issues) errors[String(issue.path[0])] ??= issue.message;
    return { ok: false as const, errors };
  }
  const d = parsed.data;
  return {
    ok: true as const,
    input: {
      key: d[IDS.keyBlock],
      name: d[IDS.nameBlock],
      channelId: d[IDS.channelBlock],
      leads: d[IDS.leadsBlock],
      keywords: d[IDS.keywordsBlock],
    },
  };
}
