// Answers saved by hand from Slack messages: the "Save as answer" shortcut and the answer emoji on
// a thread reply. Anyone may save; the answer credits whoever wrote the message.
import type { WebClient } from '@slack/web-api';
import { UserError } from '../errors.ts';
import { commitChange } from '../events/commit-change.ts';
import { isPrivateConversation } from '../slack/conversations.ts';
import { messagePermalink } from '../slack/messaging.ts';
import { decodeSlackText } from '../slack/mrkdwn.ts';
import { KNOWLEDGE_IDS as IDS } from './knowledge.ids.ts';
import { BODY_MAX, titleFrom } from './knowledge.models.ts';
import type { Answer } from './knowledge.repository.ts';
import type { KnowledgeDeps } from './knowledge.usecases.ts';
import type { SaveTarget } from './knowledge-modals.views.ts';

interface SlackMessage {
  ts?: string;
  thread_ts?: string;
  text?: string;
  user?: string;
}

/** One message by ts, top-level or a thread reply (Slack answers both from conversations.replies). */
async function readMessage(slack: WebClient, channel: string, ts: string): Promise<SlackMessage | undefined> {
  try {
    const res = await slack.conversations.replies({ channel, ts, limit: 1 });
    return res.messages?.find((m) => m.ts === ts);
  } catch {
    return undefined;
  }
}

/** The question a reply answers: its thread's first message. */
const threadQuestion = async (slack: WebClient, channel: string, message: SlackMessage) =>
  message.thread_ts && message.thread_ts !== message.ts
    ? await readMessage(slack, channel, message.thread_ts)
    : undefined;

/** What the save form needs about a message: where it is, who wrote it, and the question it answers. */
export async function describeMessage(
  slack: WebClient,
  { channelId, message }: { channelId: string; message: SlackMessage & { ts: string } },
): Promise<{ target: SaveTarget; title?: string; body: string }> {
  const [isPrivate, permalink, question] = await Promise.all([
    isPrivateConversation(slack, channelId),
    messagePermalink(slack, channelId, message.ts),
    threadQuestion(slack, channelId, message),
  ]);
  const title = question?.text ? titleFrom(decodeSlackText(question.text)) : undefined;
  return {
    target: { channelId, ts: message.ts, authorId: message.user ?? null, permalink: permalink ?? null, isPrivate },
    ...(title ? { title } : {}),
    body: decodeSlackText(message.text ?? ''),
  };
}

/** Stores a message as an answer, once per message. */
export async function saveMessageAsAnswer(
  deps: KnowledgeDeps,
  { target, title, body, userId }: { target: SaveTarget; title: string; body: string; userId: string },
): Promise<Answer> {
  const now = deps.clock.now();
  const language = await deps.language();
  const saved = await commitChange(deps, async (tx) => {
    const answer = await deps.repo.insert(tx, {
      title,
      body,
      sourceKind: 'message',
      sourceId: `${target.channelId}:${target.ts}`,
      permalink: target.permalink,
      creditedUserIds: target.authorId ? [target.authorId] : [],
      createdBy: userId,
      language,
      createdAt: now,
      updatedAt: now,
      confirmedAt: now,
    });
    if (!answer) return undefined;
    return {
      result: answer,
      events: [{ type: 'answer.saved', answerId: answer.id, userId, sourceKind: 'message' }],
    };
  });
  if (!saved)
    throw new UserError('knowledge.already_saved', 'This message is already saved as an answer.', {
      field: IDS.titleBlock,
    });
  return saved.result;
}

export type ReactionOutcome =
  | { saved: Answer }
  | { refused: 'not_a_reply' | 'private' | 'already_saved' | 'unreadable' };

/**
 * The answer emoji on a thread reply saves it as the answer to the thread's first message. A
 * private conversation is not saved this way: nobody has said it may be shared.
 */
export async function saveReactedReply(
  deps: KnowledgeDeps & { slack: WebClient },
  { channelId, ts, userId }: { channelId: string; ts: string; userId: string },
): Promise<ReactionOutcome> {
  const message = await readMessage(deps.slack, channelId, ts);
  if (!message?.text?.trim()) return { refused: 'unreadable' };
  const question = await threadQuestion(deps.slack, channelId, message);
  if (!question?.text?.trim()) return { refused: 'not_a_reply' };
  if (await isPrivateConversation(deps.slack, channelId)) return { refused: 'private' };
  const permalink = await messagePermalink(deps.slack, channelId, ts);
  try {
    const saved = await saveMessageAsAnswer(deps, {
      target: { channelId, ts, authorId: message.user ?? null, permalink: permalink ?? null, isPrivate: false },
      title: titleFrom(decodeSlackText(question.text)),
      body: decodeSlackText(message.text).slice(0, BODY_MAX),
      userId,
    });
    return { saved };
  } catch (error) {
    if (error instanceof UserError && error.code === 'knowledge.already_saved') return { refused: 'already_saved' };
    throw error;
  }
}
