// The review DM: an author's answers nobody has confirmed for a while, each to confirm or update.
import { actions, button, context, divider, section, truncate } from '../slack/blocks.ts';
import type { MessageContent } from '../slack/messaging.ts';
import { blockQuote, escapeMrkdwn } from '../slack/mrkdwn.ts';
import { answerControlsBlock, KNOWLEDGE_IDS as IDS } from './knowledge.ids.ts';
import { ageOf, firstLines } from './knowledge.models.ts';

/** At most this many answers in one DM (Slack takes 50 blocks); the rest come in a later week. */
export const REVIEW_DM_LIMIT = 10;

type DueAnswer = { id: string; title: string; body: string; confirmedAt: Date };

/** Asks an author whether their answers are still right: Still right, Update (the edit form) or Mark outdated. */
export function renderReviewRequest(due: DueAnswer[], { days, now }: { days: number; now: Date }): MessageContent {
  const shown = due.slice(0, REVIEW_DM_LIMIT);
  const count = due.length === 1 ? 'One of your answers has' : `${due.length} of your answers have`;
  const blocks = [
    section(
      `:books: *${count} not been checked for over ${days} days.* People still find ${due.length === 1 ? 'it' : 'them'} with \`/answers\`: is ${due.length === 1 ? 'it' : 'each'} still right?`,
    ),
    ...shown.flatMap((a) => [
      divider(),
      section(`*${escapeMrkdwn(a.title)}*\n${blockQuote(firstLines(a.body, 2, 200))}`),
      context(`Last confirmed ${ageOf(a.confirmedAt, now)}`),
      actions(answerControlsBlock(a.id), [
        button('Still right', IDS.stillRightButton, { value: a.id, style: 'primary' }),
        button('Update', IDS.editButton, { value: a.id }),
        button('Mark outdated', IDS.outdatedButton, { value: a.id }),
      ]),
    ]),
  ];
  if (due.length > shown.length)
    blocks.push(context(`…and ${due.length - shown.length} more, in next week’s message.`));
  blocks.push(
    context('*Update* opens the answer to edit. *Mark outdated* keeps it findable, marked, until someone updates it.'),
  );
  return {
    text: `${count} not been checked for over ${days} days: ${shown.map((a) => `“${escapeMrkdwn(truncate(a.title, 80))}”`).join(', ')}`,
    blocks,
  };
}
