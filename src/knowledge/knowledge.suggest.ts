// Answers offered before anyone asks: `/ask` and `/escalate` hold a question after their ack; when
// saved answers match it, the asker sees them privately first and either says one settles it
// (nothing is posted; the answer's use and the week's deflections count it) or posts anyway
// (through the owner's own use case, once; the answers offered are then noted in its thread).
import type { App, BlockAction, ButtonAction } from '@slack/bolt';
import { z } from 'zod';
import type { BeforePosting, TypedQuestion } from '../before-posting.ts';
import type { Db } from '../db/client.ts';
import type { Deps } from '../deps.ts';
import { parseOrRefuse, UserError } from '../errors.ts';
import { commitChange } from '../events/commit-change.ts';
import { answerInResponseUrl, type MessageContent } from '../slack/messaging.ts';
import {
  createHeldQuestionsRepository,
  type HeldQuestion,
  type HeldQuestionsRepository,
} from './held-questions.repository.ts';
import { HELD_QUESTION_IDS as IDS } from './knowledge.ids.ts';
import { OFFER_LIMIT } from './knowledge.models.ts';
import { type KnowledgeDeps, relevantOnly, searchAnswers } from './knowledge.usecases.ts';
import { renderPossiblyAnswered } from './knowledge.views.ts';
import { renderAnswersFirst, renderSettled } from './knowledge-suggest.views.ts';

const DAY_MS = 86_400_000;
/** How long a held question waits for its asker; its posting is guarded for as long. */
const HOLD_MS = 7 * DAY_MS;
/** Held questions are kept this long (well past their buttons' week), then forgotten. */
const KEEP_HELD_MS = 30 * DAY_MS;
export const FORGET_HELD_JOB = 'knowledge.held.forget';

export interface SuggestDeps extends KnowledgeDeps {
  held: HeldQuestionsRepository;
  beforePosting: BeforePosting;
}

const noLongerWaiting = () =>
  new UserError(
    'knowledge.held_gone',
    ':hourglass: That question is no longer waiting to be posted. Run the command again if you still need to ask it.',
  );

/** The held question and answer a "This answers it" button points at; anything else is a stale or forged button. */
const parseAnswered = (value: unknown) =>
  parseOrRefuse(
    z
      .string()
      .transform((v) => v.split(':'))
      .pipe(z.tuple([z.uuid(), z.uuid()]))
      .transform(([heldId, answerId]) => ({ heldId, answerId })),
    value,
    noLongerWaiting,
  );
const parseHeldId = (value: unknown) => parseOrRefuse(z.uuid(), value, noLongerWaiting);

/**
 * Looks up answers to a question about to be posted. With relevant ones, keeps the question and
 * offers them to the asker privately (true); with none, the question is posted as usual (false).
 */
export async function offerAnswersFirst(deps: SuggestDeps, question: TypedQuestion): Promise<boolean> {
  const offered = relevantOnly(
    await searchAnswers(deps, {
      query: question.question,
      userId: question.userId,
      kind: question.kind === 'help_request' ? 'ask' : 'escalate',
      limit: OFFER_LIMIT,
      // A help request that finds nothing is posted now, and its own lookup records the gap.
      recordGap: question.kind !== 'help_request',
    }),
  );
  if (offered.length === 0) return false;
  const held = await deps.held.hold({
    kind: question.kind,
    userId: question.userId,
    question: question.question,
    retryKey: question.retryKey,
    draft: question.draft,
    answerIds: offered.map((a) => a.id),
    createdAt: deps.clock.now(),
  });
  if (!held) return true; // a retry: the first delivery offered them
  const content = renderAnswersFirst(held, offered, deps.clock.now());
  if (!question.replyUrl || !(await answerInResponseUrl(question.replyUrl, content).catch(() => false)))
    await deps.messages.dm(question.userId, content);
  return true;
}

/** The held question behind a button, only for the person who typed it. */
async function ownHeld(deps: SuggestDeps, heldId: string, userId: string): Promise<HeldQuestion> {
  const held = await deps.held.get(heldId);
  if (!held || held.userId !== userId) throw noLongerWaiting();
  return held;
}

/** What a click on a question decided already is told. */
function alreadyDecided(held: HeldQuestion): string {
  switch (held.status) {
    case 'answered':
      return 'You said an answer settled this, so nothing was posted. Run the command again if you still need to ask.';
    case 'posted':
      return held.postedReply ?? 'This was posted already.';
    default:
      return 'This is being posted already: it is posted once, however many times you click.';
  }
}

/** "This answers it": nothing is posted; the answer's use and the week's deflections count it, once. */
export async function settleHeldQuestion(
  deps: SuggestDeps,
  { heldId, answerId, userId }: { heldId: string; answerId: string; userId: string },
): Promise<{ content: MessageContent; repeat: boolean }> {
  const held = await ownHeld(deps, heldId, userId);
  if (!held.answerIds.includes(answerId)) throw noLongerWaiting();
  const now = deps.clock.now();
  const settled = await deps.db.transaction(async (transaction) => {
    const tx = transaction as unknown as Db;
    if (!(await deps.held.markAnswered(tx, { id: heldId, answerId, at: now }))) return false;
    await deps.repo.recordUse(tx, { answerId, userId, kind: 'deflected', at: now });
    return true;
  });
  if (!settled) return { content: { text: alreadyDecided((await deps.held.get(heldId)) ?? held) }, repeat: true };
  return { content: renderSettled(held.kind, (await deps.repo.byId(answerId))?.title), repeat: false };
}

/**
 * "Post anyway": posts the held question exactly as typed through its owner's use case, once, and
 * notes the answers offered in its thread for whoever picks it up.
 */
export async function postHeldQuestion(
  deps: SuggestDeps,
  { heldId, userId }: { heldId: string; userId: string },
): Promise<{ reply: string; repeat: boolean }> {
  const held = await ownHeld(deps, heldId, userId);
  if (held.status === 'answered' || held.status === 'posted') return { reply: alreadyDecided(held), repeat: true };
  const now = deps.clock.now();
  if (now.getTime() - held.createdAt.getTime() > HOLD_MS) throw noLongerWaiting();
  if (!(await deps.held.startPosting({ id: heldId, at: now })))
    return { reply: alreadyDecided((await deps.held.get(heldId)) ?? held), repeat: true };
  let posted: Awaited<ReturnType<BeforePosting['post']>>;
  try {
    posted = await deps.beforePosting.post(held.kind, held.draft, {
      userId,
      once: { parts: ['knowledge.held', heldId], windowMs: HOLD_MS },
    });
  } catch (error) {
    // Not posted (no help channel any more, Slack refused it): the asker may choose again.
    await deps.held.backToOffered(heldId);
    throw error;
  }
  // Its posting's own dedupe saw it done: a double click, or a crash after posting.
  if (!posted)
    return { reply: 'This was posted already: it is posted once, however many times you click.', repeat: true };
  const offered = await deps.repo.foundByIds(held.answerIds);
  const { reply, thread } = posted;
  await commitChange(deps, async (tx) => {
    await deps.held.markPosted(tx, { id: heldId, reply });
    return {
      result: true,
      messages:
        offered.length > 0
          ? [
              {
                inThreadOf: thread,
                content: renderPossiblyAnswered(offered, now, { seenBy: userId }),
                key: `knowledge.held:${heldId}`,
              },
            ]
          : [],
    };
  });
  return { reply, repeat: false };
}

/** Holds questions while their answers are offered, and the two buttons that decide them. */
export function registerAnswersFirst(app: App, deps: Deps, knowledge: KnowledgeDeps): SuggestDeps {
  const suggest: SuggestDeps = {
    ...knowledge,
    held: createHeldQuestionsRepository(deps),
    beforePosting: deps.beforePosting,
  };
  deps.beforePosting.holdWith((question) => offerAnswersFirst(suggest, question));
  deps.scheduler.register({
    name: FORGET_HELD_JOB,
    cron: '17 4 * * *',
    run: ({ now }) => suggest.held.forget(new Date(now.getTime() - KEEP_HELD_MS)),
  });

  // The offer is replaced by the outcome; a repeat click is answered beside it, leaving the outcome.
  app.action<BlockAction<ButtonAction>>(IDS.answeredButton, async ({ ack, body, action, respond }) => {
    await ack();
    const { content, repeat } = await settleHeldQuestion(suggest, {
      ...parseAnswered(action.value),
      userId: body.user.id,
    });
    await respond({ response_type: 'ephemeral', replace_original: !repeat, ...content });
  });

  app.action<BlockAction<ButtonAction>>(IDS.postAnywayButton, async ({ ack, body, action, respond }) => {
    await ack();
    const { reply, repeat } = await postHeldQuestion(suggest, {
      heldId: parseHeldId(action.value),
      userId: body.user.id,
    });
    await respond({ response_type: 'ephemeral', replace_original: !repeat, text: reply });
  });
  return suggest;
}
