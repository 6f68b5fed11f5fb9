// The modals of escalations (raise, resolve, reassign) and the zod parsers of what they send back.
import type { KnownBlock, ModalView } from '@slack/types';
import { z } from 'zod';
import { PRIORITIES, type Priority, prioritySchema } from '../departments/departments.models.ts';
import type { Department } from '../departments/departments.repository.ts';
import { context, option, plain, truncate } from '../slack/blocks.ts';
import { ESCALATION_IDS as IDS } from './escalations.ids.ts';
import { MAX_SUMMARY } from './escalations.models.ts';
import { escapeKeepingLinks } from '../slack/mrkdwn.ts';
import { priorityLabel } from './escalations.views.ts';

export const MAX_CUSTOMER = 200;
export const MAX_DETAILS = 3000;
export const MAX_RESOLUTION = 3000;

export interface RaisePrefill {
  departmentKey?: string;
  priority?: Priority;
  customer?: string;
  summary?: string;
  details?: string;
  link?: string;
  /** Shown above the fields: why the modal opened instead of creating at once. */
  hint?: string;
}

const departmentOption = (d: Department) => option(truncate(`${d.name} (${d.key})`, 75), d.key);
const priorityOption = (p: Priority) => option(priorityLabel(p), p);

function departmentSelect(actionId: string, departments: Department[], selected?: string) {
  const initial = departments.find((d) => d.key === selected);
  return {
    type: 'static_select' as const,
    action_id: actionId,
    placeholder: plain('Pick the team'),
    options: departments.slice(0, 100).map(departmentOption),
    ...(initial ? { initial_option: departmentOption(initial) } : {}),
  };
}

const initialValue = (value: string | undefined, max: number) => (value ? { initial_value: value.slice(0, max) } : {});

/** The "Escalate to a team" modal, optionally prefilled (from command text or a message). */
export function raiseModal(departments: Department[], prefill: RaisePrefill = {}): ModalView {
  const blocks: KnownBlock[] = [
    ...(prefill.hint ? [context(`:information_source: ${escapeKeepingLinks(prefill.hint)}`)] : []),
    { type: 'input', block_id: IDS.departmentBlock, label: plain('Department'), element: departmentSelect(IDS.departmentInput, departments, prefill.departmentKey) },
    {
      type: 'input',
      block_id: IDS.priorityBlock,
      label: plain('Priority'),
      element: { type: 'static_select', action_id: IDS.priorityInput, options: PRIORITIES.map(priorityOption), initial_option: priorityOption(prefill.priority ?? 'normal') },
    },
    {
      type: 'input',
      block_id: IDS.customerBlock,
      optional: true,
      label: plain('Customer'),
      hint: plain('Name, email or account id'),
      element: { type: 'plain_text_input', action_id: IDS.customerInput, max_length: MAX_CUSTOMER, ...initialValue(prefill.customer, MAX_CUSTOMER) },
    },
    {
      type: 'input',
      block_id: IDS.summaryBlock,
      label: plain('Summary'),
      element: { type: 'plain_text_input', action_id: IDS.summaryInput, multiline: true, max_length: MAX_SUMMARY, placeholder: plain('What does the customer need?'), ...initialValue(prefill.summary, MAX_SUMMARY) },
    },
    {
      type: 'input',
      block_id: IDS.detailsBlock,
      optional: true,
      label: plain('Details'),
      element: { type: 'plain_text_input', action_id: IDS.detailsInput, multiline: true, max_length: MAX_DETAILS, ...initialValue(prefill.details, MAX_DETAILS) },
    },
    {
      type: 'input',
      block_id: IDS.linkBlock,
      optional: true,
      label: plain('Link to the customer conversation'),
      element: { type: 'url_text_input', action_id: IDS.linkInput, ...(prefill.link ? { initial_value: prefill.link } : {}) },
    },
  ];
  return { type: 'modal', callback_id: IDS.raiseModal, title: plain('Escalate to a team'), submit: plain('Escalate'), close: plain('Cancel'), blocks };
}

type StateValues = Record<string, Record<string, { value?: string | null; selected_option?: { value: string } | null }>>;

const optionalText = (max: number, tooLong: string) =>
  z.string().trim().max(max, tooLong).transform((v) => v || null);

/** http(s) URLs only: a link people can open. */
export const linkSchema = z
  .string()
  .trim()
  .transform((v) => v || null)
  .pipe(z.url({ protocol: /^https?$/, error: 'Enter a link starting with https://' }).max(2000, 'That link is too long').nullable());

export const raiseInputSchema = z.object({
  departmentKey: z.string({ error: 'Pick a department' }).min(1, 'Pick a department'),
  priority: prioritySchema,
  customer: optionalText(MAX_CUSTOMER, `Keep the customer under ${MAX_CUSTOMER} characters`),
  summary: z.string().trim().min(1, 'Describe the issue in a few words').max(MAX_SUMMARY, `Keep the summary under ${MAX_SUMMARY} characters; put the rest in details`),
  details: optionalText(MAX_DETAILS, `Keep the details under ${MAX_DETAILS} characters`),
  link: linkSchema,
});
export type RaiseInput = z.infer<typeof raiseInputSchema>;

const FIELD_BLOCKS: Record<keyof RaiseInput, string> = {
  departmentKey: IDS.departmentBlock,
  priority: IDS.priorityBlock,
  customer: IDS.customerBlock,
  summary: IDS.summaryBlock,
  details: IDS.detailsBlock,
  link: IDS.linkBlock,
};

/** Reads the raise modal; errors are keyed by block for `response_action: errors`. */
export function parseRaiseSubmission(values: StateValues): { ok: true; input: RaiseInput } | { ok: false; errors: Record<string, string> } {
  const text = (block: string, action: string) => values[block]?.[action]?.value ?? '';
  const parsed = raiseInputSchema.safeParse({
    departmentKey: values[IDS.departmentBlock]?.[IDS.departmentInput]?.selected_option?.value,
    priority: values[IDS.priorityBlock]?.[IDS.priorityInput]?.selected_option?.value ?? 'normal',
    customer: text(IDS.customerBlock, IDS.customerInput),
    summary: text(IDS.summaryBlock, IDS.summaryInput),
    details: text(IDS.detailsBlock, IDS.detailsInput),
    link: text(IDS.linkBlock, IDS.linkInput),
  });
  if (parsed.success) return { ok: true, input: parsed.data };
  const errors: Record<string, string> = {};
  for (const issue of parsed.error.issues) errors[FIELD_BLOCKS[issue.path[0] as keyof RaiseInput]] ??= issue.message;
  return { ok: false, errors };
}

/** Asks for the resolution; the escalation id rides in private_metadata. */
export function resolveModal(escalationId: string, summary: string): ModalView {
  return {
    type: 'modal',
    callback_id: IDS.resolveModal,
    private_metadata: escalationId,
    title: plain('Resolve escalation'),
    submit: plain('Resolve'),
    close: plain('Cancel'),
    blocks: [
      context(`>${escapeKeepingLinks(truncate(summary.replace(/\s+/g, ' '), 500))}`),
      {
        type: 'input',
        block_id: IDS.resolutionBlock,
        label: plain('Resolution'),
        hint: plain('The requester gets this in a DM'),
        element: { type: 'plain_text_input', action_id: IDS.resolutionInput, multiline: true, max_length: MAX_RESOLUTION },
      },
    ],
  };
}

export const escalationIdSchema = z.uuid({ error: 'That escalation no longer exists' });

export function parseResolveSubmission(privateMetadata: string, values: StateValues) {
  return z
    .object({
      id: escalationIdSchema,
      resolution: z.string().trim().min(1, 'Say how it was resolved').max(MAX_RESOLUTION, `Keep the resolution under ${MAX_RESOLUTION} characters`),
    })
    .safeParse({ id: privateMetadata, resolution: values[IDS.resolutionBlock]?.[IDS.resolutionInput]?.value ?? '' });
}

/** Picks the department to hand the escalation to. */
export function reassignModal(escalationId: string, departments: Department[]): ModalView {
  return {
    type: 'modal',
    callback_id: IDS.reassignModal,
    private_metadata: escalationId,
    title: plain('Reassign escalation'),
    submit: plain('Reassign'),
    close: plain('Cancel'),
    blocks: [
      { type: 'input', block_id: IDS.reassignDepartmentBlock, label: plain('Hand it to'), element: departmentSelect(IDS.reassignDepartmentInput, departments) },
      {
        type: 'input',
        block_id: IDS.reassignReasonBlock,
        optional: true,
        label: plain('Why'),
        element: { type: 'plain_text_input', action_id: IDS.reassignReasonInput, max_length: 500 },
      },
    ],
  };
}

export function parseReassignSubmission(privateMetadata: string, values: StateValues) {
  return z
    .object({
      id: escalationIdSchema,
      departmentKey: z.string({ error: 'Pick a department' }).min(1, 'Pick a department'),
      reason: optionalText(500, 'Keep the reason under 500 characters'),
    })
    .safeParse({
      id: privateMetadata,
      departmentKey: values[IDS.reassignDepartmentBlock]?.[IDS.reassignDepartmentInput]?.selected_option?.value,
      reason: values[IDS.reassignReasonBlock]?.[IDS.reassignReasonInput]?.value ?? '',
    });
}
