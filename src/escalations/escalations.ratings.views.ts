// The requester's rating: the question under the resolution DM, the thumbs-down form, the leads' note.
import type { ModalView } from '@slack/types';
import { z } from 'zod';
import { actions, type Blocks, button, context, plain, type StateValues, section, truncate } from '../slack/blocks.ts';
import { mentionUser } from '../slack/mentions.ts';
import { blockQuote, escapeMrkdwn, linkTo } from '../slack/mrkdwn.ts';
import { escalationIdSchema } from './escalation-modals.views.ts';
import { ESCALATION_IDS as IDS } from './escalations.ids.ts';
import type { Rating } from './escalations.models.ts';
import type { Escalation } from './escalations.repository.ts';
import { quoteSummary, raisedBy } from './escalations.views.ts';

export const MAX_RATING_COMMENT = 1000;

const ANSWERED: Record<Rating, string> = {
  good: ':+1: You said it was handled well. Thank you!',
  bad: ':-1: You said it was not handled well. Thank you for saying so: what you write in the form goes to the team’s leads.',
};

/**
 * The requester's DM when their escalation is resolved: the resolution, then "How was this handled?"
 * with both answers (the one given, if any, is shown; they may change their mind). Nobody rates
 * their own work: an escalation its requester resolved gets no question.
 */
export function renderResolvedDm(e: Escalation, rating?: Rating): { text: string; blocks: Blocks } {
  const link = e.messageUrl ? `\n${linkTo(e.messageUrl, 'See the escalation')}` : '';
  const text = `:white_check_mark: Your escalation ${quoteSummary(e)} was resolved by ${mentionUser(e.resolvedBy ?? '')}:\n${blockQuote(e.resolution ?? '')}${link}`;
  if (e.resolvedBy === e.requesterId) return { text, blocks: [section(text)] };
  return {
    text,
    blocks: [
      section(text),
      section('*How was this handled?*'),
      actions('escalation_rating', [
        button(':+1: Handled well', IDS.rateGood, { value: e.id, ...(rating === 'good' ? { style: 'primary' } : {}) }),
        button(':-1: Not well', IDS.rateBad, { value: e.id, ...(rating === 'bad' ? { style: 'danger' } : {}) }),
      ]),
      ...(rating ? [context(ANSWERED[rating])] : []),
    ],
  };
}

/** The thumbs-down form: what went wrong, for the department's leads. */
export function ratingCommentModal(e: Escalation, departmentName: string): ModalView {
  return {
    type: 'modal',
    callback_id: IDS.ratingModal,
    private_metadata: e.id,
    title: plain('What went wrong?'),
    submit: plain('Send to the leads'),
    close: plain('Skip'),
    blocks: [
      context(`${escapeMrkdwn(departmentName)} · ${escapeMrkdwn(truncate(e.summary.replace(/\s+/g, ' '), 300))}`),
      {
        type: 'input',
        block_id: IDS.ratingCommentBlock,
        label: plain('Your comment'),
        hint: plain(`Sent to ${departmentName}’s leads. Your thumbs-down counts even if you skip this.`),
        element: {
          type: 'plain_text_input',
          action_id: IDS.ratingCommentInput,
          multiline: true,
          max_length: MAX_RATING_COMMENT,
          placeholder: plain('What should have gone differently?'),
        },
      },
    ],
  };
}

export function parseRatingComment(privateMetadata: string, values: StateValues) {
  return z
    .object({
      id: escalationIdSchema,
      comment: z
        .string()
        .trim()
        .min(1, 'Say what went wrong, or press Skip')
        .max(MAX_RATING_COMMENT, `Keep it under ${MAX_RATING_COMMENT} characters`),
    })
    .safeParse({
      id: privateMetadata,
      comment: values[IDS.ratingCommentBlock]?.[IDS.ratingCommentInput]?.value ?? '',
    });
}

/** The leads' DM about a thumbs-down with its comment. */
export function badRatingForLeads(e: Escalation, departmentName: string, comment: string): string {
  const link = e.messageUrl ? `\n${linkTo(e.messageUrl, 'See the escalation')}` : '';
  return `:-1: ${raisedBy(e)} said a *${escapeMrkdwn(departmentName)}* escalation, ${quoteSummary(e)}, was not handled well. ${mentionUser(e.resolvedBy ?? '')} resolved it. Their comment:\n${blockQuote(comment)}${link}`;
}
