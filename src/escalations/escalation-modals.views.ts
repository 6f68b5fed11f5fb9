// The modals of escalations (raise, resolve, reassign, hold, reopen) and the zod parsers of what they send back.
import type { KnownBlock, ModalView } from '@slack/types';
import { z } from 'zod';
import {
  type IntakeField,
  MAX_INTAKE_FIELDS,
  PRIORITIES,
  type Priority,
  prioritySchema,
} from '../departments/departments.models.ts';
import type { Department } from '../departments/departments.repository.ts';
import { button, context, mrkdwn, option, plain, type StateValues, truncate } from '../slack/blocks.ts';
import { escapeMrkdwn, plainTextOf } from '../slack/mrkdwn.ts';
import { ESCALATION_IDS as IDS } from './escalations.ids.ts';
import { HOLD_REASONS, type HoldReasonChoice, MAX_FIELD_ANSWER, MAX_SUMMARY } from './escalations.models.ts';
import { priorityLabel, triageLine } from './escalations.views.ts';
import { TRIAGE_IDS } from './triage.ids.ts';
import type { RaisedByTriage } from './triage.models.ts';
import { MAX_NODES, MAX_OPTION_LABEL, walkStepsSchema, withAddedFields } from './triage.models.ts';

export const MAX_CUSTOMER = 200;
export const MAX_DETAILS = 3000;
export const MAX_RESOLUTION = 3000;
/** The form's summary is a line people scan in lists; the details hold the rest. */
export const MAX_FORM_SUMMARY = 150;

export interface RaisePrefill {
  departmentKey?: string;
  priority?: Priority;
  customer?: string;
  summary?: string;
  details?: string;
  link?: string;
  /** Intake field answers typed so far, by field label. */
  fieldValues?: Record<string, string>;
  /** The team the app suggested (and picked) from the summary, so a later suggestion may replace it. */
  suggestedKey?: string;
  /** Shown above the fields, as mrkdwn: why the modal opened instead of creating at once. */
  hint?: string;
  /** The command's or shortcut's response_url: the form confirms there, as the quick path does. */
  replyUrl?: string;
  /** The triage walk that led to the form: shown on top, its fields added to the team's. */
  triage?: FormTriage;
}

/** A triage walk as the form carries it: its path and fields, and the step its Back button returns to. */
export type FormTriage = RaisedByTriage & { backTo?: number[] };

// People pick a team by its name; the key is for commands.
const departmentOption = (d: Department) => option(truncate(plainTextOf(d.name), 75), d.key);
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

/** The block of an intake field: named after the field, so its value follows it from one team's form to another's. */
export const fieldBlockId = (label: string) => `${IDS.fieldBlockPrefix}${label.toLowerCase()}`;

/** The inputs a department (and the triage outcome) asks for on top of the usual ones. */
function intakeFieldInputs(fields: IntakeField[], typed: Record<string, string> = {}): KnownBlock[] {
  return fields.map((f) => ({
    type: 'input',
    block_id: fieldBlockId(f.label),
    optional: !f.required,
    label: plain(f.label),
    element: {
      type: 'plain_text_input',
      action_id: IDS.fieldInput,
      max_length: MAX_FIELD_ANSWER,
      ...initialValue(typed[f.label], MAX_FIELD_ANSWER),
    },
  }));
}

/** Whether a submitted form shows every one of `fields` (it may have been drawn for another team). */
export const showsIntakeFieldsOf = (view: { blocks: { block_id?: string }[] }, fields: IntakeField[]) =>
  fields.every((f) => view.blocks.some((b) => b.block_id === fieldBlockId(f.label)));

/** The answers typed in a form's intake fields, by field label. */
export function typedFieldValues(fields: IntakeField[], values: StateValues): Record<string, string> {
  const typed: Record<string, string> = {};
  for (const f of fields) {
    const value = values[fieldBlockId(f.label)]?.[IDS.fieldInput]?.value;
    if (value) typed[f.label] = value;
  }
  return typed;
}

/** Everything typed in a raise form so far, to draw it again (for another team, or with a hint). */
export function prefillFromState(
  values: StateValues,
  departments: Department[],
  added: IntakeField[] = [],
): RaisePrefill {
  const text = (block: string, action: string) => values[block]?.[action]?.value ?? undefined;
  const departmentKey = values[IDS.departmentBlock]?.[IDS.departmentInput]?.selected_option?.value ?? undefined;
  const priority = prioritySchema.safeParse(values[IDS.priorityBlock]?.[IDS.priorityInput]?.selected_option?.value);
  const fieldValues: Record<string, string> = {};
  for (const fields of [...departments.map((d) => d.intakeFields), added])
    Object.assign(fieldValues, typedFieldValues(fields, values));
  const prefill: RaisePrefill = { fieldValues };
  if (departmentKey) prefill.departmentKey = departmentKey;
  if (priority.success) prefill.priority = priority.data;
  for (const [key, block, action] of [
    ['customer', IDS.customerBlock, IDS.customerInput],
    ['summary', IDS.summaryBlock, IDS.summaryInput],
    ['details', IDS.detailsBlock, IDS.detailsInput],
    ['link', IDS.linkBlock, IDS.linkInput],
  ] as const) {
    const value = text(block, action);
    if (value) prefill[key] = value;
  }
  return prefill;
}

/** The form's summary is one line; prefilled text longer than that moves whole into the details. */
function splitPrefill({ summary, details }: RaisePrefill): { summary?: string; details?: string } {
  if (!summary || (summary.length <= MAX_FORM_SUMMARY && !summary.includes('\n')))
    return { ...(summary ? { summary } : {}), ...(details ? { details } : {}) };
  const firstLine = summary.split('\n').find((line) => line.trim()) ?? summary;
  return {
    summary: truncate(firstLine.trim(), MAX_FORM_SUMMARY),
    details: [summary, details].filter(Boolean).join('\n\n'),
  };
}

/** The walk that led to the form, with a way back to its questions. */
function triagePart(triage: FormTriage | undefined): KnownBlock[] {
  if (!triage?.path.length) return [];
  const line = triageLine(triage.path);
  if (!triage.backTo) return [context(line)];
  return [{ type: 'section', text: mrkdwn(line), accessory: button('← Back to the questions', TRIAGE_IDS.back) }];
}

/** The "Escalate to a team" modal, optionally prefilled (from command text or a message). */
export function raiseModal(departments: Department[], prefill: RaisePrefill = {}): ModalView {
  const text = splitPrefill(prefill);
  const blocks: KnownBlock[] = [
    ...triagePart(prefill.triage),
    ...(prefill.hint ? [context(`:information_source: ${prefill.hint}`)] : []),
    {
      type: 'input',
      block_id: IDS.departmentBlock,
      // Picking a team redraws the form with the fields that team asks for.
      dispatch_action: true,
      label: plain('Department'),
      element: departmentSelect(IDS.departmentInput, departments, prefill.departmentKey),
    },
    {
      type: 'input',
      block_id: IDS.priorityBlock,
      label: plain('Priority'),
      element: {
        type: 'static_select',
        action_id: IDS.priorityInput,
        options: PRIORITIES.map(priorityOption),
        initial_option: priorityOption(prefill.priority ?? 'normal'),
      },
    },
    {
      type: 'input',
      block_id: IDS.summaryBlock,
      // As the summary is typed, the app suggests the team.
      dispatch_action: true,
      label: plain('Summary'),
      element: {
        type: 'plain_text_input',
        action_id: IDS.summaryInput,
        dispatch_action_config: { trigger_actions_on: ['on_character_entered'] },
        max_length: MAX_FORM_SUMMARY,
        placeholder: plain('What does the customer need, in a line?'),
        ...initialValue(text.summary, MAX_FORM_SUMMARY),
      },
    },
    ...intakeFieldInputs(
      withAddedFields(
        departments.find((d) => d.key === prefill.departmentKey)?.intakeFields ?? [],
        prefill.triage?.fields,
      ),
      prefill.fieldValues,
    ),
    {
      type: 'input',
      block_id: IDS.detailsBlock,
      optional: true,
      label: plain('Details'),
      hint: plain('What was tried, what the customer said: anything the team should know'),
      element: {
        type: 'plain_text_input',
        action_id: IDS.detailsInput,
        multiline: true,
        max_length: MAX_DETAILS,
        ...initialValue(text.details, MAX_DETAILS),
      },
    },
    {
      type: 'input',
      block_id: IDS.customerBlock,
      optional: true,
      label: plain('Customer'),
      hint: plain('Name, email or account id'),
      element: {
        type: 'plain_text_input',
        action_id: IDS.customerInput,
        max_length: MAX_CUSTOMER,
        ...initialValue(prefill.customer, MAX_CUSTOMER),
      },
    },
    {
      type: 'input',
      block_id: IDS.linkBlock,
      optional: true,
      label: plain('Link to the customer conversation'),
      element: {
        type: 'url_text_input',
        action_id: IDS.linkInput,
        ...(prefill.link ? { initial_value: prefill.link } : {}),
      },
    },
  ];
  return {
    type: 'modal',
    callback_id: IDS.raiseModal,
    private_metadata: JSON.stringify({
      ...(prefill.replyUrl ? { replyUrl: prefill.replyUrl } : {}),
      ...(prefill.suggestedKey ? { suggestedKey: prefill.suggestedKey } : {}),
      ...(prefill.triage ? { triage: prefill.triage } : {}),
    }),
    title: plain('Escalate to a team'),
    submit: plain('Escalate'),
    close: plain('Cancel'),
    blocks,
  };
}

const optionalText = (max: number, tooLong: string) =>
  z
    .string()
    .trim()
    .max(max, tooLong)
    .transform((v) => v || null);

/** http(s) URLs only: a link people can open. */
export const linkSchema = z
  .string()
  .trim()
  .transform((v) => v || null)
  .pipe(
    z
      .url({ protocol: /^https?$/, error: 'Enter a link starting with https://' })
      .max(2000, 'That link is too long')
      .nullable(),
  );

export const raiseInputSchema = z.object({
  departmentKey: z.string({ error: 'Pick a department' }).min(1, 'Pick a department'),
  priority: prioritySchema,
  customer: optionalText(MAX_CUSTOMER, `Keep the customer under ${MAX_CUSTOMER} characters`),
  summary: z
    .string()
    .trim()
    .min(1, 'Describe the issue in a few words')
    .max(MAX_SUMMARY, `Keep the summary under ${MAX_SUMMARY} characters; put the rest in details`),
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
export function parseRaiseSubmission(
  values: StateValues,
): { ok: true; input: RaiseInput } | { ok: false; errors: Record<string, string> } {
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
      summaryContext(summary),
      {
        type: 'input',
        block_id: IDS.resolutionBlock,
        label: plain('Resolution'),
        hint: plain('The requester gets this in a DM'),
        element: {
          type: 'plain_text_input',
          action_id: IDS.resolutionInput,
          multiline: true,
          max_length: MAX_RESOLUTION,
        },
      },
      {
        type: 'input',
        block_id: IDS.addToAnswersBlock,
        optional: true,
        label: plain('Keep for next time'),
        element: {
          type: 'checkboxes',
          action_id: IDS.addToAnswersInput,
          options: [ADD_TO_ANSWERS],
          initial_options: [ADD_TO_ANSWERS],
        },
      },
    ],
  };
}

// Service knowledge keeps the resolution as an answer (it hears of it through `escalation.resolved`).
const ADD_TO_ANSWERS = {
  ...option('Add to answers', 'yes'),
  description: plain('The next person who asks finds it with /answers'),
};

/** Where the raise form confirms: the response_url it was opened with, if any (else a DM). */
const raiseFormMetadataSchema = z.object({
  replyUrl: z.url({ protocol: /^https?$/ }).optional(),
  suggestedKey: z.string().optional(),
  triage: z
    .object({
      path: z.array(z.string().max(MAX_OPTION_LABEL)).max(MAX_NODES),
      fields: z.array(z.object({ label: z.string(), required: z.boolean() })).max(MAX_INTAKE_FIELDS),
      backTo: walkStepsSchema.optional(),
    })
    .optional(),
});

/**
 * What a raise form carries from one drawing to the next: where to confirm (the command's or
 * shortcut's response_url) and the team the app suggested. Anything unreadable counts as nothing.
 */
export function raiseFormMetadataOf(privateMetadata: string): z.infer<typeof raiseFormMetadataSchema> {
  try {
    const parsed = raiseFormMetadataSchema.safeParse(JSON.parse(privateMetadata));
    return parsed.success ? parsed.data : {};
  } catch {
    return {};
  }
}

/** A form to draw again as it stands: what was typed, where to confirm, the triage walk (not the suggestion). */
export function redrawnPrefill(
  view: { private_metadata: string; state: { values: StateValues } },
  departments: Department[],
): RaisePrefill {
  const { replyUrl, triage } = raiseFormMetadataOf(view.private_metadata);
  return {
    ...prefillFromState(view.state.values, departments, triage?.fields),
    ...(replyUrl ? { replyUrl } : {}),
    ...(triage ? { triage } : {}),
  };
}

export const escalationIdSchema = z.uuid({ error: 'That escalation no longer exists' });

export function parseResolveSubmission(privateMetadata: string, values: StateValues) {
  return z
    .object({
      id: escalationIdSchema,
      resolution: z
        .string()
        .trim()
        .min(1, 'Say how it was resolved')
        .max(MAX_RESOLUTION, `Keep the resolution under ${MAX_RESOLUTION} characters`),
    })
    .safeParse({ id: privateMetadata, resolution: values[IDS.resolutionBlock]?.[IDS.resolutionInput]?.value ?? '' });
}

/** Whether the resolve form's "Add to answers" stayed ticked (a form from before it existed counts as no). */
export function parseAddToAnswers(values: StateValues): boolean {
  return (values[IDS.addToAnswersBlock]?.[IDS.addToAnswersInput]?.selected_options ?? []).some(
    (o) => o.value === 'yes',
  );
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
      {
        type: 'input',
        block_id: IDS.reassignDepartmentBlock,
        label: plain('Hand it to'),
        element: departmentSelect(IDS.reassignDepartmentInput, departments),
      },
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

export const MAX_HOLD_REASON = 200;
export const MAX_REOPEN_REASON = 1000;

const summaryContext = (summary: string) => context(`>${escapeMrkdwn(truncate(summary.replace(/\s+/g, ' '), 500))}`);

const HOLD_CHOICES: [HoldReasonChoice, string][] = [
  ['customer', 'Waiting on customer'],
  ['vendor', 'Waiting on vendor'],
  ['other', 'Something else (say what below)'],
];

/** Puts an escalation on hold: why (two usual reasons or typed) and, optionally, the day it comes back. */
export function holdModal(escalationId: string, summary: string): ModalView {
  return {
    type: 'modal',
    callback_id: IDS.holdModal,
    private_metadata: escalationId,
    title: plain('Put on hold'),
    submit: plain('Put on hold'),
    close: plain('Cancel'),
    blocks: [
      summaryContext(summary),
      {
        type: 'input',
        block_id: IDS.holdReasonBlock,
        label: plain('Waiting for'),
        element: {
          type: 'radio_buttons',
          action_id: IDS.holdReasonInput,
          options: HOLD_CHOICES.map(([value, text]) => option(text, value)),
          initial_option: option(HOLD_CHOICES[0]![1], HOLD_CHOICES[0]![0]),
        },
      },
      {
        type: 'input',
        block_id: IDS.holdOtherBlock,
        optional: true,
        label: plain('Something else'),
        element: {
          type: 'plain_text_input',
          action_id: IDS.holdOtherInput,
          max_length: MAX_HOLD_REASON,
          placeholder: plain('e.g. waiting on the bank'),
        },
      },
      {
        type: 'input',
        block_id: IDS.holdUntilBlock,
        optional: true,
        label: plain('Come back to it on'),
        hint: plain('It resumes by itself that morning, when the requester replies in the thread, or with Resume.'),
        element: { type: 'datepicker', action_id: IDS.holdUntilInput },
      },
      context(':stopwatch: Its SLA clocks stop and nobody is reminded while it is on hold.'),
    ],
  };
}

const HOLD_FIELD_BLOCKS: Record<string, string> = {
  choice: IDS.holdReasonBlock,
  other: IDS.holdOtherBlock,
  until: IDS.holdUntilBlock,
};

/**
 * Reads the hold modal: the reason as it will show ("waiting on customer" or as typed) and the date if
 * any; errors are keyed by block for `response_action: errors`.
 */
export function parseHoldSubmission(
  privateMetadata: string,
  values: StateValues,
):
  | { ok: true; hold: { id: string; reason: string; until: string | null } }
  | { ok: false; errors: Record<string, string> } {
  const parsed = z
    .object({
      id: escalationIdSchema,
      choice: z.enum(['customer', 'vendor', 'other'], { error: 'Pick what it is waiting for' }),
      other: optionalText(MAX_HOLD_REASON, `Keep the reason under ${MAX_HOLD_REASON} characters`),
      until: z.iso.date({ error: 'Pick a date' }).nullable(),
    })
    .transform(({ id, choice, other, until }, ctx) => {
      if (choice === 'other' && !other) {
        ctx.addIssue({ code: 'custom', path: ['other'], message: 'Say what it is waiting for' });
        return z.NEVER;
      }
      return { id, reason: choice === 'other' ? other! : HOLD_REASONS[choice], until };
    })
    .safeParse({
      id: privateMetadata,
      choice: values[IDS.holdReasonBlock]?.[IDS.holdReasonInput]?.selected_option?.value,
      other: values[IDS.holdOtherBlock]?.[IDS.holdOtherInput]?.value ?? '',
      until: values[IDS.holdUntilBlock]?.[IDS.holdUntilInput]?.selected_date ?? null,
    });
  if (parsed.success) return { ok: true, hold: parsed.data };
  const errors: Record<string, string> = {};
  // A stale or forged id has no field of its own: it is said on the first one.
  for (const issue of parsed.error.issues)
    errors[HOLD_FIELD_BLOCKS[String(issue.path[0])] ?? IDS.holdReasonBlock] ??= issue.message;
  return { ok: false, errors };
}

/** Where the Reopen button was clicked, carried through the modal: the channel says who may reopen. */
const reopenMetadataSchema = z.object({ id: escalationIdSchema, channelId: z.string().nullable() });

/** Asks why it is reopened: the thread shows it. */
export function reopenModal(from: z.infer<typeof reopenMetadataSchema>, summary: string): ModalView {
  return {
    type: 'modal',
    callback_id: IDS.reopenModal,
    private_metadata: JSON.stringify(from),
    title: plain('Reopen escalation'),
    submit: plain('Reopen'),
    close: plain('Cancel'),
    blocks: [
      summaryContext(summary),
      {
        type: 'input',
        block_id: IDS.reopenReasonBlock,
        label: plain('Why reopen it?'),
        hint: plain('Shown in its thread. It goes back to whoever had it, or to the queue if they are away.'),
        element: {
          type: 'plain_text_input',
          action_id: IDS.reopenReasonInput,
          multiline: true,
          max_length: MAX_REOPEN_REASON,
        },
      },
    ],
  };
}

export function parseReopenSubmission(privateMetadata: string, values: StateValues) {
  let from: unknown;
  try {
    from = JSON.parse(privateMetadata);
  } catch {
    from = {};
  }
  return z
    .object({
      from: reopenMetadataSchema,
      reason: z
        .string()
        .trim()
        .min(1, 'Say why it needs more work')
        .max(MAX_REOPEN_REASON, `Keep the reason under ${MAX_REOPEN_REASON} characters`),
    })
    .safeParse({ from, reason: values[IDS.reopenReasonBlock]?.[IDS.reopenReasonInput]?.value ?? '' });
}
