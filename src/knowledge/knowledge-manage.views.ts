// What changing an answer looks like: its buttons (shown to the people allowed), the edit form and
// its parser, and what people see once a change is made.
import type { KnownBlock, ModalView } from '@slack/types';
import { z } from 'zod';
import { type Blocks, button, context, option, plain, type StateValues, section, truncate } from '../slack/blocks.ts';
import { escapeMrkdwn } from '../slack/mrkdwn.ts';
import { answerControlsBlock, KNOWLEDGE_IDS as IDS } from './knowledge.ids.ts';
import type { AnswerStatus } from './knowledge.models.ts';
import { parseQuestionAndAnswer, questionAndAnswerInputs } from './knowledge-modals.views.ts';

type ChangeableAnswer = { id: string; title: string; status: AnswerStatus };

/** Edit, Mark outdated (while it is active) and Retire, which asks first: it cannot be undone here. */
export function manageButtons(answer: ChangeableAnswer) {
  return [
    button('Edit', IDS.editButton, { value: answer.id }),
    ...(answer.status === 'active' ? [button('Mark outdated', IDS.outdatedButton, { value: answer.id })] : []),
    // Not red: it sits on every result; the confirmation is where the danger shows.
    button('Retire', IDS.retireButton, {
      value: answer.id,
      confirm: {
        title: 'Retire this answer?',
        text: `“${escapeMrkdwn(truncate(answer.title, 150))}” will no longer show in searches or be offered to anyone.`,
        confirm: 'Retire it',
        deny: 'Keep it',
        style: 'danger',
      },
    }),
  ];
}

const STATUS_OPTIONS = {
  active: option('Right as it is', 'active'),
  outdated: option('May be outdated: show it marked', 'outdated'),
} as const;

/** What the edit form carries: the answer, and when it was last changed as the form saw it. */
const editTargetSchema = z.object({
  answerId: z.uuid(),
  openedAt: z.iso.datetime().transform((d) => new Date(d)),
  /** Opened from App Home, which is drawn again once the answer is saved. */
  fromHome: z.boolean().default(false),
});

/** The edit form, prefilled with the answer as it is now. */
export function editAnswerModal(
  answer: { id: string; title: string; body: string; status: AnswerStatus; updatedAt: Date },
  { fromHome = false }: { fromHome?: boolean } = {},
): ModalView {
  const status = answer.status === 'outdated' ? STATUS_OPTIONS.outdated : STATUS_OPTIONS.active;
  return {
    type: 'modal',
    callback_id: IDS.editModal,
    private_metadata: JSON.stringify({ answerId: answer.id, openedAt: answer.updatedAt.toISOString(), fromHome }),
    title: plain('Edit answer'),
    submit: plain('Save changes'),
    close: plain('Cancel'),
    blocks: [
      ...questionAndAnswerInputs(answer),
      {
        type: 'input',
        block_id: IDS.statusBlock,
        label: plain('Is it still right?'),
        element: {
          type: 'radio_buttons',
          action_id: IDS.statusInput,
          options: [STATUS_OPTIONS.active, STATUS_OPTIONS.outdated],
          initial_option: status,
        },
      },
      context(
        'Saving counts as confirming the answer is right, so its authors are not asked to review it for a while.',
      ),
    ],
  };
}

/** Reads the edit form: the new question, answer and status; or errors by field. */
export function parseEditSubmission(values: StateValues, privateMetadata: string) {
  let target: z.infer<typeof editTargetSchema>;
  try {
    target = editTargetSchema.parse(JSON.parse(privateMetadata));
  } catch {
    return { ok: false as const, errors: { [IDS.titleBlock]: 'This form is out of date; close it and start again.' } };
  }
  const { title, body, errors } = parseQuestionAndAnswer(values);
  const status = z
    .enum(['active', 'outdated'])
    .safeParse(values[IDS.statusBlock]?.[IDS.statusInput]?.selected_option?.value);
  if (!status.success) errors[IDS.statusBlock] = 'Say whether the answer is still right';
  if (title === undefined || body === undefined || !status.success) return { ok: false as const, errors };
  return { ok: true as const, ...target, title, body, status: status.data };
}

export type AnswerChange = 'edited' | 'outdated' | 'retired' | 'confirmed';

/** What a change did, in a line, for whoever made it; `already` when a double click found it done. */
export function describeChange(change: AnswerChange, title: string, already = false): string {
  const quoted = `“${escapeMrkdwn(truncate(title, 150))}”`;
  // A retired answer is gone for everyone: a second Retire is refused as "no longer there".
  if (already) return `${quoted} was already marked outdated.`;
  switch (change) {
    case 'edited':
      return `:pencil2: Saved your changes to ${quoted}.`;
    case 'outdated':
      return `:warning: Marked ${quoted} as outdated: it still shows in searches, marked, until someone edits it.`;
    case 'retired':
      return `:wastebasket: Retired ${quoted}: it no longer shows in searches.`;
    case 'confirmed':
      return `:white_check_mark: Thanks: ${quoted} is marked as still right.`;
  }
}

/** The same blocks with an answer's buttons replaced by a note of what was done, so they cannot be pressed again. */
export function replaceControls(blocks: readonly KnownBlock[], answerId: string, note: string): Blocks {
  const id = answerControlsBlock(answerId);
  return blocks.map((b) => (b.block_id === id ? { ...context(note), block_id: id } : b));
}

/** The edit form's last screen: what was saved. */
export function savedModal(text: string): ModalView {
  return {
    type: 'modal',
    title: plain('Edit answer'),
    close: plain('Done'),
    blocks: [section(text)],
  };
}
