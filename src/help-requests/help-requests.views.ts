import type { ModalView } from '@slack/types';
import { z } from 'zod';
import { serialIdSchema } from '../db/ids.ts';
import { formatRef } from '../short-refs.ts';
import {
  actions,
  type Blocks,
  button,
  context,
  header,
  option,
  plain,
  type StateValues,
  section,
  sections,
  slackDate,
  truncate,
} from '../slack/blocks.ts';
import { mentionChannel, mentionUser, SLACK_USER_ID } from '../slack/mentions.ts';
import type { MessageContent } from '../slack/messaging.ts';
import { codeSpan, escapeMrkdwn, linkTo, plainTextOf } from '../slack/mrkdwn.ts';
import { HELP_IDS as IDS } from './help-requests.ids.ts';
import {
  CONTEXT_MAX,
  HELP_REF,
  QUESTION_MAX,
  questionSchema,
  URGENCIES,
  type Urgency,
  urgencySchema,
} from './help-requests.models.ts';
import type { Helper, HelpRequest } from './help-requests.repository.ts';

/** The short reference people quote: HELP-17. */
export const helpRequestRef = (r: Pick<HelpRequest, 'id'>) => formatRef(HELP_REF, r.id);

const URGENCY_LABEL: Record<Urgency, string> = { low: 'Low', normal: 'Normal', high: 'High', urgent: 'Urgent' };
const mentions = (ids: string[]) => ids.map(mentionUser).join(' ');
/** Text people typed, escaped, as a Slack block quote line by line. */
export const quote = (text: string) =>
  escapeMrkdwn(text)
    .split('\n')
    .map((line) => `>${line}`)
    .join('\n');

function statusLine(request: HelpRequest, helpers: Helper[]): string {
  const [first, ...others] = helpers;
  const also = others.length > 0 ? ` (with ${mentions(others.map((h) => h.userId))})` : '';
  if (request.status === 'solved') {
    const helped = helpers.length > 0 ? ` Thanks to ${mentions(helpers.map((h) => h.userId))}.` : '';
    return `:white_check_mark: *Solved* ${request.solvedAt ? slackDate(request.solvedAt) : ''}.${helped}`;
  }
  if (first) return `:handshake: ${mentionUser(first.userId)} is helping${also}. Talk it through in the thread.`;
  return ':hourglass_flowing_sand: Nobody has picked this up yet. Know the answer? Press *I can help*.';
}

/** The request as it appears in the help channel, re-rendered as helpers join and it is solved. */
export function renderHelpRequestMessage(request: HelpRequest, helpers: Helper[]): Required<MessageContent> {
  const details = [
    helpRequestRef(request),
    `Urgency: *${URGENCY_LABEL[request.urgency]}*`,
    request.customer ? `Customer: *${escapeMrkdwn(request.customer)}*` : '',
    request.topic ? `Topic: ${codeSpan(request.topic)}` : '',
    request.sourcePermalink ? linkTo(request.sourcePermalink, 'Original message') : '',
  ].filter(Boolean);
  const blocks: Blocks = [
    section(
      `${request.urgency === 'urgent' ? ':rotating_light: ' : ''}*${mentionUser(request.askerId)} asks:*\n${quote(truncate(request.question, 2900))}`,
    ),
    ...(request.context ? [section(`*Context*\n${escapeMrkdwn(truncate(request.context, 2900))}`)] : []),
    context(details.join(' · ')),
    ...(request.topicPeople.length > 0
      ? [section(`${mentions(request.topicPeople)}: you know *${escapeMrkdwn(request.topic ?? '')}*, can you help?`)]
      : []),
    context(statusLine(request, helpers)),
  ];
  if (request.status !== 'solved') {
    const value = String(request.id);
    blocks.push(
      actions(IDS.actionsBlock, [
        button('I can help', IDS.claim, { value, style: 'primary' }),
        button('Solved', IDS.solve, { value }),
      ]),
    );
  }
  const state = request.status === 'solved' ? '[Solved] ' : '';
  return {
    text: `${state}${mentionUser(request.askerId)} asks for help: ${escapeMrkdwn(truncate(request.question, 300))}`,
    blocks,
  };
}

export interface AskPrefill {
  question?: string;
  sourcePermalink?: string;
}

/** The modal behind `/ask` with no text and the "Ask the company" message shortcut. */
export function askModal(prefill: AskPrefill = {}): ModalView {
  return {
    type: 'modal',
    callback_id: IDS.askModal,
    private_metadata: JSON.stringify({ sourcePermalink: prefill.sourcePermalink ?? null }),
    title: plain('Ask the company'),
    submit: plain('Ask'),
    close: plain('Cancel'),
    blocks: [
      {
        type: 'input',
        block_id: IDS.questionBlock,
        label: plain('Your question'),
        hint: plain('Start with a department or skill and a colon to reach its people, such as "billing: …"'),
        element: {
          type: 'plain_text_input',
          action_id: IDS.questionInput,
          multiline: true,
          max_length: QUESTION_MAX,
          ...(prefill.question ? { initial_value: truncate(prefill.question, QUESTION_MAX) } : {}),
        },
      },
      {
        type: 'input',
        block_id: IDS.contextBlock,
        optional: true,
        label: plain('Context'),
        hint: plain('What you already tried, links, error messages'),
        element: { type: 'plain_text_input', action_id: IDS.contextInput, multiline: true, max_length: CONTEXT_MAX },
      },
      {
        type: 'input',
        block_id: IDS.urgencyBlock,
        label: plain('Urgency'),
        element: {
          type: 'static_select',
          action_id: IDS.urgencyInput,
          options: URGENCIES.map((u) => option(URGENCY_LABEL[u], u)),
          initial_option: option(URGENCY_LABEL.normal, 'normal'),
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
          max_length: 120,
          placeholder: plain('Name or account id'),
        },
      },
      ...(prefill.sourcePermalink ? [context(`Asked from ${linkTo(prefill.sourcePermalink, 'this message')}.`)] : []),
    ],
  };
}

const optionalText = (max: number, label: string) =>
  z
    .string()
    .trim()
    .max(max, `Keep the ${label} under ${max} characters`)
    .transform((s) => (s === '' ? null : s));

const askSubmissionSchema = z.object({
  [IDS.questionBlock]: questionSchema,
  [IDS.contextBlock]: optionalText(CONTEXT_MAX, 'context'),
  [IDS.urgencyBlock]: urgencySchema,
  [IDS.customerBlock]: optionalText(120, 'customer'),
});
const askMetadataSchema = z
  .object({ sourcePermalink: z.url().nullable().catch(null) })
  .catch({ sourcePermalink: null });

/** Field errors keyed by block, for `response_action: errors`. */
function fieldErrors(error: z.ZodError): Record<string, string> {
  const errors: Record<string, string> = {};
  for (const issue of error.issues) errors[String(issue.path[0])] ??= issue.message;
  return errors;
}

const parseJson = (text: string): unknown => {
  try {
    return JSON.parse(text);
  } catch {
    return null;
  }
};

/** Reads the ask modal; text is kept as typed (modal inputs arrive unescaped). */
export function parseAskSubmission(values: StateValues, privateMetadata: string) {
  const parsed = askSubmissionSchema.safeParse({
    [IDS.questionBlock]: values[IDS.questionBlock]?.[IDS.questionInput]?.value ?? '',
    [IDS.contextBlock]: values[IDS.contextBlock]?.[IDS.contextInput]?.value ?? '',
    [IDS.urgencyBlock]: values[IDS.urgencyBlock]?.[IDS.urgencyInput]?.selected_option?.value ?? 'normal',
    [IDS.customerBlock]: values[IDS.customerBlock]?.[IDS.customerInput]?.value ?? '',
  });
  if (!parsed.success) return { ok: false as const, errors: fieldErrors(parsed.error) };
  const d = parsed.data;
  const { sourcePermalink } = askMetadataSchema.parse(parseJson(privateMetadata));
  return {
    ok: true as const,
    input: {
      question: d[IDS.questionBlock],
      context: d[IDS.contextBlock],
      urgency: d[IDS.urgencyBlock],
      customer: d[IDS.customerBlock],
      sourcePermalink,
    },
  };
}

/** Asks who helped most (prefilled with everyone who helped) and for an optional note. */
export function solveModal(request: HelpRequest, helpers: Helper[], answer?: string): ModalView {
  const helperIds = helpers.map((h) => h.userId);
  return {
    type: 'modal',
    callback_id: IDS.solveModal,
    private_metadata: String(request.id),
    title: plain('Mark as solved'),
    submit: plain('Solved'),
    close: plain('Cancel'),
    blocks: [
      section(`*Question*\n${quote(truncate(request.question, 500))}`),
      {
        type: 'input',
        block_id: IDS.topHelpersBlock,
        optional: true,
        label: plain('Who helped?'),
        hint: plain('They get the kudos. Remove anyone who did not really help.'),
        element: {
          type: 'multi_users_select',
          action_id: IDS.topHelpersInput,
          ...(helperIds.length > 0 ? { initial_users: helperIds } : {}),
        },
      },
      {
        type: 'input',
        block_id: IDS.noteBlock,
        optional: true,
        label: plain('A note for the helpers'),
        element: {
          type: 'plain_text_input',
          action_id: IDS.noteInput,
          multiline: true,
          max_length: 500,
          placeholder: plain('What fixed it, or a thank-you'),
        },
      },
      {
        type: 'input',
        block_id: IDS.answerBlock,
        optional: true,
        label: plain('What was the answer?'),
        hint: plain('Kept in answers, crediting who helped most, for the next person who asks'),
        element: {
          type: 'plain_text_input',
          action_id: IDS.answerInput,
          multiline: true,
          max_length: ANSWER_MAX,
          ...(answer ? { initial_value: truncate(answer, ANSWER_MAX) } : {}),
        },
      },
    ],
  };
}

const ANSWER_MAX = 3000;

const solveSubmissionSchema = z.object({
  requestId: serialIdSchema,
  topHelpers: z.array(z.string().regex(SLACK_USER_ID)).max(20, 'Pick at most 20 people'),
  note: optionalText(500, 'note'),
  answer: optionalText(ANSWER_MAX, 'answer'),
});

/** Reads the solve modal. */
export function parseSolveSubmission(values: StateValues, privateMetadata: string) {
  const parsed = solveSubmissionSchema.safeParse({
    requestId: privateMetadata,
    topHelpers: values[IDS.topHelpersBlock]?.[IDS.topHelpersInput]?.selected_users ?? [],
    note: values[IDS.noteBlock]?.[IDS.noteInput]?.value ?? '',
    answer: values[IDS.answerBlock]?.[IDS.answerInput]?.value ?? '',
  });
  if (!parsed.success) {
    const issue = parsed.error.issues[0];
    const block =
      issue?.path[0] === 'note' ? IDS.noteBlock : issue?.path[0] === 'answer' ? IDS.answerBlock : IDS.topHelpersBlock;
    // The request id is what the app wrote in private_metadata: when it is wrong, the form is stale or forged.
    const message =
      issue?.path[0] === 'requestId'
        ? 'This form is out of date; close it and start again.'
        : (issue?.message ?? 'That is not valid');
    return { ok: false as const, errors: { [block]: message } };
  }
  return { ok: true as const, input: parsed.data };
}

/** The question's first words, linked to its message in the help channel. */
export const requestLink = (r: HelpRequest) => {
  const label = plainTextOf(truncate(r.question.replace(/\s+/g, ' '), 80));
  return `${helpRequestRef(r)} ${r.permalink ? linkTo(r.permalink, label) : `“${escapeMrkdwn(label)}”`}`;
};
const statusWord = (r: HelpRequest) => (r.status === 'claimed' ? 'someone is helping' : 'waiting for a helper');

export interface HelpOverview {
  mine: HelpRequest[];
  matching: HelpRequest[];
  skills: string[];
}

function overviewLines({ mine, matching, skills }: HelpOverview): { mine: string; matching: string } {
  return {
    mine:
      mine.length > 0
        ? mine.map((r) => `• ${requestLink(r)} · ${statusWord(r)}`).join('\n')
        : '_None: ask with `/ask` and your question._',
    matching:
      skills.length === 0
        ? '_List what you know with `/frontline skills add` and a skill to see questions you could answer._'
        : matching.length > 0
          ? matching
              .map(
                (r) =>
                  `• ${requestLink(r)} · from ${mentionUser(r.askerId)}${r.topic ? ` · ${codeSpan(r.topic)}` : ''}`,
              )
              .join('\n')
          : `_Nothing open matches your skills (${escapeMrkdwn(skills.join(', '))}) right now._`,
  };
}

/** `/ask list`: my open requests and the ones I could help with. */
export function renderHelpOverview(overview: HelpOverview): Required<MessageContent> {
  const lines = overviewLines(overview);
  const text = `Your open help requests:\n${lines.mine}\n\nOpen requests you could help with:\n${lines.matching}`;
  return {
    text,
    blocks: [
      section(`:raising_hand: *Your open help requests*\n${lines.mine}`),
      section(`:bulb: *You could help with*\n${lines.matching}`),
    ],
  };
}

/** `/ask show HELP-17`: where a request stands, with a link to it. */
export function renderHelpRequestStatus(request: HelpRequest, helpers: Helper[]): Required<MessageContent> {
  const lines = [
    `*${helpRequestRef(request)}* · Urgency: *${URGENCY_LABEL[request.urgency]}* · asked by ${mentionUser(request.askerId)} ${slackDate(request.createdAt)}`,
    quote(truncate(request.question, 500)),
    statusLine(request, helpers),
    ...(request.solveNote ? [`*Note:* ${escapeMrkdwn(truncate(request.solveNote, 500))}`] : []),
    request.permalink
      ? linkTo(request.permalink, 'Open the request')
      : '_It is not in the help channel yet; it will be posted shortly._',
  ];
  const text = lines.join('\n');
  return { text, blocks: sections(text) };
}

/** The Home tab section: the same overview plus how much the person helped this month. */
export function renderHelpHome(overview: HelpOverview, stats: { helpedThisMonth: number; kudos: number }): Blocks {
  const lines = overviewLines(overview);
  const teammates = stats.helpedThisMonth === 1 ? 'teammate' : 'teammates';
  return [
    header('Help requests'),
    section(`*Yours, still open*\n${lines.mine}`),
    section(`*You could help with*\n${lines.matching}`),
    context(`You helped ${stats.helpedThisMonth} ${teammates} this month · ${stats.kudos} kudos so far`),
  ];
}

/** The ephemeral answer when there is no help channel yet: how to set one, and the question back. */
export function noHelpChannelReply(text: string): string {
  return `:warning: There is no help channel yet, so I could not post your question. A Frontline admin can set one with \`/frontline set help-channel #help\`.\nHere is what you wrote, so nothing is lost:\n${quote(text)}`;
}

export const askedConfirmation = ({
  channelId,
  messageTs,
  permalink,
  topicPeople,
}: {
  channelId: string;
  messageTs: string | null;
  permalink: string | null;
  topicPeople: string[];
}) =>
  !messageTs
    ? `:floppy_disk: I saved your question, but Slack would not let me post it in ${mentionChannel(channelId)} just now. I will keep trying every minute; nothing is lost.`
    : `:white_check_mark: Asked in ${mentionChannel(channelId)}${permalink ? ` (${linkTo(permalink, 'see it')})` : ''}${topicPeople.length > 0 ? `, mentioning ${mentions(topicPeople)}` : ''}. You will get a message when someone picks it up.`;
