// What the asker sees privately before a question or escalation is posted: the answers already
// given that may settle it, each with "This answers it", and "Post anyway".
import type { QuestionKind } from '../before-posting.ts';
import type { Blocks } from '../slack/blocks.ts';
import { actions, button, context, divider, mrkdwn, section, truncate } from '../slack/blocks.ts';
import type { MessageContent } from '../slack/messaging.ts';
import { blockQuote, escapeMrkdwn, linkTo } from '../slack/mrkdwn.ts';
import { HELD_QUESTION_IDS as IDS } from './knowledge.ids.ts';
import { ageOf, firstLines } from './knowledge.models.ts';
import { type ShownAnswer, SOURCE_LABEL, titleLine } from './knowledge.views.ts';

const WAITING: Record<QuestionKind, { before: string; post: string; posted: string; command: string }> = {
  help_request: {
    before: 'Before I post your question',
    post: 'Post anyway',
    posted: 'posted in the help channel',
    command: '/ask',
  },
  escalation: { before: 'Before I escalate this', post: 'Escalate anyway', posted: 'escalated', command: '/escalate' },
};

/** The value of an answer's "This answers it" button: the held question and the answer. */
export const answeredValue = (heldId: string, answerId: string) => `${heldId}:${answerId}`;

/** The answers offered to the asker, privately, before anything is posted. */
export function renderAnswersFirst(
  held: { id: string; kind: QuestionKind; question: string },
  offered: ShownAnswer[],
  now: Date,
): MessageContent {
  const words = WAITING[held.kind];
  const blocks: Blocks = [
    section(
      `:bulb: *${words.before}*, ${offered.length === 1 ? 'this answer' : 'these answers'} may already settle it:\n${blockQuote(truncate(held.question, 300))}`,
    ),
  ];
  for (const answer of offered) {
    const source = answer.permalink
      ? linkTo(answer.permalink, SOURCE_LABEL[answer.sourceKind])
      : SOURCE_LABEL[answer.sourceKind];
    blocks.push(divider(), {
      type: 'section',
      text: mrkdwn(`${titleLine(answer)}\n${escapeMrkdwn(firstLines(answer.body, 1, 150))}`),
      accessory: button('This answers it', IDS.answeredButton, { value: answeredValue(held.id, answer.id) }),
    });
    blocks.push(context(`${source} · ${ageOf(answer.createdAt, now)}`));
  }
  blocks.push(
    divider(),
    actions('held_question_decide', [button(words.post, IDS.postAnywayButton, { value: held.id, style: 'primary' })]),
    context(`Nothing is ${words.posted} until you choose.`),
  );
  return {
    text: `${words.before}: ${offered.map((a) => escapeMrkdwn(a.title)).join(' · ')}. Choose “This answers it” or “${words.post}”.`,
    blocks,
  };
}

/** What replaces the offer once an answer settled the question. */
export function renderSettled(kind: QuestionKind, answerTitle: string | undefined): MessageContent {
  const which = answerTitle ? ` by “${escapeMrkdwn(truncate(answerTitle, 150))}”` : '';
  return {
    text: `:white_check_mark: Glad it was answered already${which}. Nothing was ${WAITING[kind].posted}; if it turns out not to settle it, run \`${WAITING[kind].command}\` again.`,
  };
}
