import type { ModalView } from '@slack/types';
import { z } from 'zod';
import { type Blocks, actions, button, context, plain, section } from '../slack/blocks.ts';
import { mentionChannel, mentionUser } from '../slack/mentions.ts';
import type { Department } from './departments.repository.ts';
import { DEPARTMENT_IDS as IDS } from './departments.ids.ts';
import { departmentKeySchema, describeSla, keywordsSchema, splitKeywords } from './departments.models.ts';

const DAY_NAMES = ['', 'Mon', 'Tue', 'Wed', 'Thu', 'Fri', 'Sat', 'Sun'];

function describeHours(d: Department, workspaceZone: string): string {
  const days = d.workDays.length === 7 ? 'every day' : d.workDays.map((n) => DAY_NAMES[n]).join(', ');
  return `${days} ${d.workStart}-${d.workEnd} ${d.timezone ?? workspaceZone}`;
}

/** One line per department: the directory as people see it. */
export function renderDepartmentLine(d: Department, workspaceZone: string): string {
  const leads = d.leads.length > 0 ? d.leads.map(mentionUser).join(' ') : '_no leads yet_';
  const keywords = d.keywords.length > 0 ? `\n   keywords: ${d.keywords.join(', ')}` : '';
  return `*${d.name}* \`${d.key}\` in ${mentionChannel(d.channelId)} · leads ${leads}\n   SLA ack/resolve: ${describeSla(d.sla)}\n   hours: ${describeHours(d, workspaceZone)}${keywords}`;
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
    blocks: [section(`:office: *Departments* (${list.length})`), ...lines.map(section).slice(0, 45), context('Escalations and help requests route to these teams.')],
  };
}

/** The admin part of App Home: the directory and an Add button. */
export function renderDepartmentsHome(list: Department[], workspaceZone: string): Blocks {
  return [
    section(':office: *Department directory* (admins)'),
    ...(list.length === 0 ? [context('No departments yet: add the teams that take escalations.')] : list.slice(0, 20).map((d) => section(renderDepartmentLine(d, workspaceZone)))),
    actions('departments_home', [button('Add department', IDS.openAddModal, { style: 'primary' })]),
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
        element: { type: 'plain_text_input', action_id: IDS.nameInput, max_length: 80, placeholder: plain('Billing & Payments') },
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
        element: { type: 'conversations_select', action_id: IDS.channelInput, filter: { include: ['public', 'private'], exclude_bot_users: true } },
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

type StateValues = Record<string, Record<string, { value?: string | null; selected_conversation?: string | null; selected_users?: string[] | null }>>;

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
