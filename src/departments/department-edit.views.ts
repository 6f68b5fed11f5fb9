// The form that edits a department's leads, working hours and SLA targets, opened from App Home.
import type { KnownBlock, ModalView } from '@slack/types';
import { z } from 'zod';
import { capitalise, header, option, plain, type StateValues, truncate } from '../slack/blocks.ts';
import { timeZoneSelect } from '../slack/time-zone-select.ts';
import { timeZoneSchema } from '../time-zones.ts';
import { DEPARTMENT_IDS as IDS } from './departments.ids.ts';
import {
  PRIORITIES,
  type Priority,
  type SlaTargets,
  slaTargetSchema,
  workingHoursSchema,
} from './departments.models.ts';
import type { Department } from './departments.repository.ts';

const DAYS = ['Monday', 'Tuesday', 'Wednesday', 'Thursday', 'Friday', 'Saturday', 'Sunday'];
const dayOption = (day: number) => option(DAYS[day - 1]!, String(day));

const slaBlock = (priority: Priority, target: 'ack' | 'resolve') => `${IDS.slaBlockPrefix}${priority}_${target}`;

const numberInput = (blockId: string, label: string, initial: number, decimal: boolean, hint?: string): KnownBlock => ({
  type: 'input',
  block_id: blockId,
  label: plain(label),
  ...(hint ? { hint: plain(hint) } : {}),
  element: {
    type: 'number_input',
    action_id: IDS.slaInput,
    is_decimal_allowed: decimal,
    initial_value: String(initial),
    min_value: decimal ? '0.25' : '1',
  },
});

const timeInput = (blockId: string, label: string, initial: string): KnownBlock => ({
  type: 'input',
  block_id: blockId,
  label: plain(label),
  element: { type: 'timepicker', action_id: IDS.timeInput, initial_time: initial },
});

/** The Edit form of one department; its key rides in private_metadata. */
export function editDepartmentModal(d: Department, workspaceZone: string): ModalView {
  const blocks: KnownBlock[] = [
    {
      type: 'input',
      block_id: IDS.editLeadsBlock,
      optional: true,
      label: plain('Leads'),
      hint: plain('Reminded when an escalation waits too long; they can edit this department too'),
      element: {
        type: 'multi_users_select',
        action_id: IDS.leadsInput,
        ...(d.leads.length > 0 ? { initial_users: d.leads } : {}),
      },
    },
    header('Working hours'),
    {
      type: 'input',
      block_id: IDS.workDaysBlock,
      label: plain('Days'),
      hint: plain('Normal and low priority targets count only working time'),
      element: {
        type: 'checkboxes',
        action_id: IDS.workDaysInput,
        options: DAYS.map((_, i) => dayOption(i + 1)),
        ...(d.workDays.length > 0 ? { initial_options: d.workDays.map(dayOption) } : {}),
      },
    },
    timeInput(IDS.workStartBlock, 'From', d.workStart),
    timeInput(IDS.workEndBlock, 'Until', d.workEnd),
    {
      type: 'input',
      block_id: IDS.timezoneBlock,
      label: plain('Time zone'),
      element: timeZoneSelect(IDS.timezoneInput, d.timezone ?? workspaceZone),
    },
    header('Response targets'),
    ...PRIORITIES.flatMap((p) => [
      numberInput(slaBlock(p, 'ack'), `${capitalise(p)}: claimed within (minutes)`, d.sla[p].ackMinutes, false),
      numberInput(slaBlock(p, 'resolve'), `${capitalise(p)}: resolved within (hours)`, d.sla[p].resolveHours, true),
    ]),
  ];
  return {
    type: 'modal',
    callback_id: IDS.editModal,
    private_metadata: d.key,
    title: plain(truncate(`Edit ${d.name}`, 24)),
    submit: plain('Save'),
    close: plain('Cancel'),
    blocks,
  };
}

/** What the Edit form changes. */
export interface DepartmentSettings {
  leads: string[];
  workDays: number[];
  workStart: string;
  workEnd: string;
  timezone: string;
  sla: SlaTargets;
}

const number = (text: string | null | undefined) => (text?.trim() ? Number(text) : Number.NaN);

const editSchema = z.object({
  leads: z.array(z.string()),
  hours: workingHoursSchema,
  timezone: timeZoneSchema,
  sla: z.object(
    Object.fromEntries(PRIORITIES.map((p) => [p, slaTargetSchema])) as Record<Priority, typeof slaTargetSchema>,
  ),
});

/** Where each field's error shows in the form. */
function blockOf(path: PropertyKey[]): string {
  const [first, second, third] = path.map(String);
  if (first === 'leads') return IDS.editLeadsBlock;
  if (first === 'timezone') return IDS.timezoneBlock;
  if (first === 'hours') return second === 'workDays' ? IDS.workDaysBlock : IDS.workEndBlock;
  return slaBlock(second as Priority, third === 'ackMinutes' ? 'ack' : 'resolve');
}

/** Reads the Edit form; errors are keyed by block for `response_action: errors`. */
export function parseEditDepartmentSubmission(values: StateValues) {
  const leaf = (block: string, action: string) => values[block]?.[action];
  const parsed = editSchema.safeParse({
    leads: leaf(IDS.editLeadsBlock, IDS.leadsInput)?.selected_users ?? [],
    hours: {
      workDays: (leaf(IDS.workDaysBlock, IDS.workDaysInput)?.selected_options ?? []).map((o) => Number(o.value)),
      workStart: leaf(IDS.workStartBlock, IDS.timeInput)?.selected_time ?? '',
      workEnd: leaf(IDS.workEndBlock, IDS.timeInput)?.selected_time ?? '',
    },
    timezone: leaf(IDS.timezoneBlock, IDS.timezoneInput)?.selected_option?.value ?? '',
    sla: Object.fromEntries(
      PRIORITIES.map((p) => [
        p,
        {
          ackMinutes: number(leaf(slaBlock(p, 'ack'), IDS.slaInput)?.value),
          resolveHours: number(leaf(slaBlock(p, 'resolve'), IDS.slaInput)?.value),
        },
      ]),
    ),
  });
  if (!parsed.success) {
    const errors: Record<string, string> = {};
    for (const issue of parsed.error.issues) errors[blockOf(issue.path)] ??= capitalise(issue.message);
    return { ok: false as const, errors };
  }
  const { leads, hours, timezone, sla } = parsed.data;
  return { ok: true as const, settings: { leads, ...hours, timezone, sla } satisfies DepartmentSettings };
}
