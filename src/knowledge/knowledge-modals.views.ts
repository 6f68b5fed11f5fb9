// The "Save as answer" form and the parser of what it sends back.
import type { KnownBlock, ModalView } from '@slack/types';
import { z } from 'zod';
import { context, option, plain, type StateValues, truncate } from '../slack/blocks.ts';
import { KNOWLEDGE_IDS as IDS } from './knowledge.ids.ts';
import { answerBodySchema, answerTitleSchema, BODY_MAX, TITLE_MAX } from './knowledge.models.ts';

/** Where the message being saved lives, carried by the form. */
export const saveTargetSchema = z.object({
  channelId: z.string().min(1),
  ts: z.string().min(1),
  authorId: z.string().nullable(),
  permalink: z.string().nullable(),
  /** From a private channel or a DM: saved only once the saver ticks that it may be shared. */
  isPrivate: z.boolean(),
});
export type SaveTarget = z.infer<typeof saveTargetSchema>;

const SHAREABLE = option('It may be shared with the whole company', 'yes');

/** The Question and Answer fields of the save and edit forms, prefilled when there is something to start from. */
export function questionAndAnswerInputs(prefill: { title?: string; body?: string }): KnownBlock[] {
  return [
    {
      type: 'input',
      block_id: IDS.titleBlock,
      label: plain('Question'),
      hint: plain('What someone would ask: it is what people search for'),
      element: {
        type: 'plain_text_input',
        action_id: IDS.titleInput,
        max_length: TITLE_MAX,
        ...(prefill.title ? { initial_value: truncate(prefill.title, TITLE_MAX) } : {}),
        placeholder: plain('How do I refund a double charge?'),
      },
    },
    {
      type: 'input',
      block_id: IDS.bodyBlock,
      label: plain('Answer'),
      element: {
        type: 'plain_text_input',
        action_id: IDS.bodyInput,
        multiline: true,
        max_length: BODY_MAX,
        ...(prefill.body ? { initial_value: truncate(prefill.body, BODY_MAX) } : {}),
      },
    },
  ];
}

/** Reads the Question and Answer fields: each value when valid, and an error by each field that is not. */
export function parseQuestionAndAnswer(values: StateValues) {
  const errors: Record<string, string> = {};
  const title = answerTitleSchema.safeParse(values[IDS.titleBlock]?.[IDS.titleInput]?.value ?? '');
  if (!title.success) errors[IDS.titleBlock] = title.error.issues[0]!.message;
  const body = answerBodySchema.safeParse(values[IDS.bodyBlock]?.[IDS.bodyInput]?.value ?? '');
  if (!body.success) errors[IDS.bodyBlock] = body.error.issues[0]!.message;
  return { title: title.data, body: body.data, errors };
}

/** The form that saves a message as an answer, prefilled with the question (a thread's first message) and the message. */
export function saveAnswerModal(target: SaveTarget, prefill: { title?: string; body?: string }): ModalView {
  return {
    type: 'modal',
    callback_id: IDS.saveModal,
    private_metadata: JSON.stringify(target),
    title: plain('Save as answer'),
    submit: plain('Save answer'),
    close: plain('Cancel'),
    blocks: [
      ...questionAndAnswerInputs(prefill),
      ...(target.isPrivate
        ? [
            {
              type: 'input' as const,
              block_id: IDS.shareableBlock,
              label: plain('This is from a private conversation'),
              element: { type: 'checkboxes' as const, action_id: IDS.shareableInput, options: [SHAREABLE] },
            },
          ]
        : []),
      context(
        target.authorId
          ? `The answer credits <@${target.authorId}>, who wrote the message. Anyone in the company can find it with \`/answers\`.`
          : 'Anyone in the company can find it with `/answers`.',
      ),
    ],
  };
}

/** Reads the save form: the question, the answer, and where it came from; or errors by field. */
export function parseSaveSubmission(values: StateValues, privateMetadata: string) {
  let target: SaveTarget | undefined;
  try {
    target = saveTargetSchema.parse(JSON.parse(privateMetadata));
  } catch {
    return { ok: false as const, errors: { [IDS.titleBlock]: 'This form is out of date; close it and start again.' } };
  }
  const { title, body, errors } = parseQuestionAndAnswer(values);
  const ticked = (values[IDS.shareableBlock]?.[IDS.shareableInput]?.selected_options ?? []).some(
    (o) => o.value === 'yes',
  );
  if (target.isPrivate && !ticked)
    errors[IDS.shareableBlock] = 'Tick this only if everyone in the company may read it; otherwise cancel';
  if (title === undefined || body === undefined || Object.keys(errors).length > 0)
    return { ok: false as const, errors };
  return { ok: true as const, target, title, body };
}
