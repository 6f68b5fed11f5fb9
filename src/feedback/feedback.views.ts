import type { ModalView } from '@slack/types';
import { z } from 'zod';
import {
  actions,
  type Blocks,
  button,
  capitalise,
  context,
  option,
  plain,
  type StateValues,
  section,
  truncate,
} from '../slack/blocks.ts';
import { mentionUser } from '../slack/mentions.ts';
import { blockQuote, escapeMrkdwn, linkTo } from '../slack/mrkdwn.ts';
import { FEEDBACK_IDS as IDS } from './feedback.ids.ts';
import {
  customerSchema,
  FEEDBACK_SOURCES,
  type FeedbackDraft,
  feedbackTextSchema,
  MAX_FEEDBACK_LENGTH,
  SENTIMENT_LABELS,
  SOURCE_NAMES,
  themeNameSchema,
} from './feedback.models.ts';
import type { FeedbackItem, FeedbackTheme } from './feedback.repository.ts';

/** Carried through the modal: a new item (maybe from a message) or the item being edited. */
export const modalMetadataSchema = z.union([
  z.object({
    mode: z.literal('create'),
    channelId: z.string().optional(),
    messageTs: z.string().optional(),
    permalink: z.string().optional(),
  }),
  z.object({ mode: z.literal('edit'), id: z.uuid(), channelId: z.string().optional() }),
]);
export type ModalMetadata = z.infer<typeof modalMetadataSchema>;

/** Reads the modal's private_metadata; undefined when it is not what this app wrote. */
export function parseModalMetadata(raw: string | undefined): ModalMetadata | undefined {
  try {
    const parsed = modalMetadataSchema.safeParse(JSON.parse(raw || '{}'));
    return parsed.success ? parsed.data : undefined;
  } catch {
    return undefined;
  }
}

export interface ModalPrefill {
  text?: string;
  customer?: string | null;
  source?: FeedbackDraft['source'];
  themes?: string[];
  /** Only a label someone chose; automatic scoring shows as "Automatic". */
  sentiment?: FeedbackDraft['sentiment'];
}

const AUTO = 'auto';
const sentimentOptions = [
  option('Automatic (from the words)', AUTO),
  ...SENTIMENT_LABELS.map((label) => option(capitalise(label), label)),
];
const sourceOptions = FEEDBACK_SOURCES.map((s) => option(SOURCE_NAMES[s], s));

/** The feedback modal: for `/feedback` alone, the message shortcut (prefilled) and Edit. */
export function feedbackModal(metadata: ModalMetadata, prefill: ModalPrefill, knownThemes: string[]): ModalView {
  const sentiment = sentimentOptions.find((o) => o.value === (prefill.sentiment ?? AUTO))!;
  const permalink = metadata.mode === 'create' ? metadata.permalink : undefined;
  return {
    type: 'modal',
    callback_id: IDS.modal,
    private_metadata: JSON.stringify(metadata),
    title: plain(metadata.mode === 'edit' ? 'Edit feedback' : 'Log customer feedback'),
    submit: plain(metadata.mode === 'edit' ? 'Save' : 'Log feedback'),
    close: plain('Cancel'),
    blocks: [
      ...(permalink ? [context(`From ${linkTo(permalink, 'this message')}`)] : []),
      {
        type: 'input',
        block_id: IDS.textBlock,
        label: plain('Feedback'),
        element: {
          type: 'plain_text_input',
          action_id: IDS.textInput,
          multiline: true,
          max_length: MAX_FEEDBACK_LENGTH,
          ...(prefill.text ? { initial_value: truncate(prefill.text, MAX_FEEDBACK_LENGTH) } : {}),
          placeholder: plain('What did the customer say?'),
        },
      },
      {
        type: 'input',
        block_id: IDS.customerBlock,
        optional: true,
        label: plain('Customer'),
        element: {
          type: 'plain_text_input',
          action_id: IDS.customerInput,
          max_length: 200,
          ...(prefill.customer ? { initial_value: prefill.customer } : {}),
          placeholder: plain('Name or account id'),
        },
      },
      {
        type: 'input',
        block_id: IDS.sourceBlock,
        label: plain('Source'),
        element: {
          type: 'static_select',
          action_id: IDS.sourceInput,
          options: sourceOptions,
          placeholder: plain('Email, chat, phone…'),
          // The quick path records "Other": the form starts there too, so neither asks more than the other.
          initial_option: sourceOptions.find((o) => o.value === (prefill.source ?? 'other'))!,
        },
      },
      {
        type: 'input',
        block_id: IDS.themesBlock,
        optional: true,
        label: plain('Themes'),
        hint: plain(
          knownThemes.length > 0
            ? truncate(`Comma separated. Known themes: ${knownThemes.join(', ')}. Leave empty to tag by keywords.`, 150)
            : 'Comma separated, such as billing, onboarding. Leave empty to tag by keywords.',
        ),
        element: {
          type: 'plain_text_input',
          action_id: IDS.themesInput,
          max_length: 300,
          ...(prefill.themes?.length ? { initial_value: prefill.themes.join(', ') } : {}),
        },
      },
      {
        type: 'input',
        block_id: IDS.sentimentBlock,
        label: plain('Sentiment'),
        element: {
          type: 'static_select',
          action_id: IDS.sentimentInput,
          options: sentimentOptions,
          initial_option: sentiment,
        },
      },
    ],
  };
}

const themesFieldSchema = z.string().transform((text, ctx) => {
  const names = text
    .split(',')
    .map((n) => n.trim().replace(/^#/, ''))
    .filter(Boolean);
  const parsed = names.map((n) => themeNameSchema.safeParse(n));
  const bad = names.filter((_, i) => !parsed[i]!.success);
  if (bad.length > 0)
    ctx.addIssue({
      code: 'custom',
      message: `Theme names are single words such as billing or mobile-app (not: ${bad.join(', ')})`,
    });
  return [...new Set(parsed.flatMap((p) => (p.success ? [p.data] : [])))];
});

const submissionSchema = z.object({
  [IDS.textBlock]: feedbackTextSchema,
  [IDS.customerBlock]: z.union([z.literal(''), customerSchema]),
  [IDS.sourceBlock]: z.enum(FEEDBACK_SOURCES, { error: 'Pick where the feedback came from' }),
  [IDS.themesBlock]: themesFieldSchema,
  [IDS.sentimentBlock]: z.enum([AUTO, ...SENTIMENT_LABELS]).default(AUTO),
});

/** Reads the modal; field errors are keyed by block for `response_action: errors`. */
export function parseFeedbackSubmission(
  values: StateValues,
): { ok: true; draft: FeedbackDraft } | { ok: false; errors: Record<string, string> } {
  const field = (block: string, action: string) => values[block]?.[action];
  const parsed = submissionSchema.safeParse({
    [IDS.textBlock]: field(IDS.textBlock, IDS.textInput)?.value ?? '',
    [IDS.customerBlock]: field(IDS.customerBlock, IDS.customerInput)?.value?.trim() ?? '',
    [IDS.sourceBlock]: field(IDS.sourceBlock, IDS.sourceInput)?.selected_option?.value,
    [IDS.themesBlock]: field(IDS.themesBlock, IDS.themesInput)?.value ?? '',
    [IDS.sentimentBlock]: field(IDS.sentimentBlock, IDS.sentimentInput)?.selected_option?.value ?? undefined,
  });
  if (!parsed.success) {
    const errors: Record<string, string> = {};
    for (const issue of parsed.error.issues) errors[String(issue.path[0])] ??= issue.message;
    return { ok: false, errors };
  }
  const d = parsed.data;
  const sentiment = d[IDS.sentimentBlock];
  return {
    ok: true,
    draft: {
      text: d[IDS.textBlock],
      customer: d[IDS.customerBlock] || null,
      source: d[IDS.sourceBlock],
      themes: d[IDS.themesBlock],
      ...(sentiment !== AUTO ? { sentiment } : {}),
    },
  };
}

const joinWords = (words: string[]) =>
  words.length > 1 ? `${words.slice(0, -1).join(', ')} and ${words.at(-1)}` : (words[0] ?? '');

/** "negative feedback about *performance*, from *Acme*, by email": each word says what it is. */
function describeFeedback(item: FeedbackItem): string {
  const about = item.themes.length > 0 ? ` about ${joinWords(item.themes.map((t) => `*${t}*`))}` : ' with no theme yet';
  const from = item.customer ? `, from *${escapeMrkdwn(item.customer)}*` : '';
  const via = item.source === 'other' ? '' : `, received by ${SOURCE_NAMES[item.source].toLowerCase()}`;
  return `${item.sentimentLabel} feedback${about}${from}${via}`;
}

/** The private confirmation the person who logged feedback sees, with an Edit button. */
export function renderConfirmation(item: FeedbackItem, verb: 'Logged' | 'Updated'): { text: string; blocks: Blocks } {
  const summary = `${verb === 'Logged' ? 'Saved as' : 'Updated: now'} ${describeFeedback(item)}.`;
  const quote = blockQuote(truncate(item.text, 500));
  return {
    text: `${summary}\n${quote}`,
    blocks: [
      section(`:white_check_mark: ${summary}\n${quote}`),
      actions('feedback_confirmation', [button('Edit', IDS.editButton, { value: item.id })]),
      context('Only you can see this. It goes into the weekly customer digest.'),
    ],
  };
}

export function renderThemeList(themes: FeedbackTheme[]): string {
  if (themes.length === 0)
    return 'No feedback themes yet. An admin can add one: `/frontline theme add billing invoice, refund, charge`.';
  const lines = themes.map(
    (t) =>
      `• *${t.name}*${t.keywords.length > 0 ? `: ${escapeMrkdwn(t.keywords.join(', '))}` : ''}${t.createdBy ? ` (by ${mentionUser(t.createdBy)})` : ''}`,
  );
  return `:label: Feedback themes (${themes.length}):\n${lines.join('\n')}`;
}
