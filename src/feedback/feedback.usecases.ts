import type { WebClient } from '@slack/web-api';
import type { Clock } from '../clock.ts';
import { UserError } from '../errors.ts';
import type { Logger } from '../logger.ts';
import type { AdminCheck } from '../slack/admins.ts';
import { messagePermalink, type MessageContent } from '../slack/messaging.ts';
import type { Messenger } from '../slack/outbox.ts';
import type { ThemeCommand } from './feedback.commands.ts';
import { classifyFeedback, type FeedbackDraft, MAX_FEEDBACK_LENGTH } from './feedback.models.ts';
import type { FeedbackItem, FeedbackRepository } from './feedback.repository.ts';
import type { ModalMetadata } from './feedback.views.ts';

export interface FeedbackDeps {
  repo: FeedbackRepository;
  clock: Clock;
}

/** Where a capture came from in Slack (or outside it) and who logged it. */
export interface CaptureOrigin {
  capturedVia: FeedbackItem['capturedVia'];
  loggedBy?: string;
  receivedAt?: Date;
  sourceChannelId?: string;
  sourceMessageTs?: string;
  permalink?: string;
}

const alreadyLogged = () =>
  new UserError('feedback.already_logged', ':information_source: That message is already logged as customer feedback. Nothing new was stored.');

async function classify({ repo, clock }: FeedbackDeps, draft: FeedbackDraft, origin: CaptureOrigin) {
  return { ...classifyFeedback(draft, await repo.listThemes()), ...origin, receivedAt: origin.receivedAt ?? clock.now() };
}

/** Stores feedback typed or pasted by a person; a Slack message is stored once (UserError on repeats). */
export async function captureFeedback(deps: FeedbackDeps, draft: FeedbackDraft, origin: CaptureOrigin): Promise<FeedbackItem> {
  const item = await classify(deps, draft, origin);
  if (item.sourceChannelId && item.sourceMessageTs) {
    const stored = await deps.repo.insertFromMessage({ ...item, sourceChannelId: item.sourceChannelId, sourceMessageTs: item.sourceMessageTs });
    if (!stored) throw alreadyLogged();
    return stored;
  }
  return deps.repo.insert(item);
}

/** Stores feedback from another tool; a repeated external id stores nothing and returns the first id. */
export async function captureExternalFeedback(deps: FeedbackDeps, draft: FeedbackDraft & { externalId?: string; receivedAt?: Date }): Promise<{ id: string; created: boolean }> {
  const item = await classify(deps, draft, { capturedVia: 'webhook', ...(draft.receivedAt ? { receivedAt: draft.receivedAt } : {}) });
  if (draft.externalId) return deps.repo.insertExternal({ ...item, externalId: draft.externalId });
  const stored = await deps.repo.insert(item);
  return { id: stored.id, created: true };
}

/**
 * Reads a reacted-to message through the Web API and stores it once; undefined when it was
 * already logged (another person reacted too) or has no text.
 */
export async function captureReactedMessage(
  deps: FeedbackDeps & { slack: WebClient },
  { channelId, ts, userId }: { channelId: string; ts: string; userId: string },
): Promise<FeedbackItem | undefined> {
  if (await deps.repo.findByMessage(channelId, ts)) return undefined;
  const message = await readMessage(deps.slack, channelId, ts);
  const text = message?.text?.trim();
  if (!text) return undefined;
  const permalink = await messagePermalink(deps.slack, channelId, ts);
  const item = await classify(deps, { text: text.slice(0, MAX_FEEDBACK_LENGTH), source: 'chat' }, {
    capturedVia: 'reaction',
    loggedBy: userId,
    sourceChannelId: channelId,
    sourceMessageTs: ts,
    ...(permalink ? { permalink } : {}),
  });
  return deps.repo.insertFromMessage({ ...item, sourceChannelId: channelId, sourceMessageTs: ts });
}

/** A channel message by ts; thread replies are not in history, so those are read from the thread. */
async function readMessage(slack: WebClient, channel: string, ts: string): Promise<{ text?: string } | undefined> {
  const history = await slack.conversations.history({ channel, latest: ts, inclusive: true, limit: 1 });
  const top = history.messages?.find((m) => m.ts === ts);
  if (top) return top;
  const replies = await slack.conversations.replies({ channel, ts, latest: ts, inclusive: true, limit: 1 });
  return replies.messages?.find((m) => m.ts === ts);
}

/** The item if this person may change it: whoever logged it, or an admin. */
export async function editableFeedback({ repo, admins }: { repo: FeedbackRepository; admins: AdminCheck }, id: string, userId: string): Promise<FeedbackItem> {
  const item = await repo.get(id);
  if (!item) throw new UserError('feedback.not_found', ':mag: That feedback no longer exists.');
  if (item.loggedBy !== userId && !(await admins.isAdmin(userId))) {
    throw new UserError('feedback.not_yours', ':lock: Only the person who logged this feedback, or a Frontline admin, can edit it.');
  }
  return item;
}

/** Saves an edit; a sentiment left on "Automatic" is re-scored from the new text. */
export async function editFeedback(deps: FeedbackDeps, id: string, draft: FeedbackDraft): Promise<FeedbackItem> {
  const changes = classifyFeedback(draft, await deps.repo.listThemes());
  const item = await deps.repo.update(id, changes, deps.clock.now());
  if (!item) throw new UserError('feedback.not_found', ':mag: That feedback no longer exists.');
  return item;
}

/** Saves the feedback modal: a new item (from a message when it has one) or an edit by someone allowed to. */
export async function saveFeedbackForm(deps: FeedbackDeps & { admins: AdminCheck }, form: ModalMetadata, draft: FeedbackDraft, userId: string): Promise<FeedbackItem> {
  if (form.mode === 'edit') {
    await editableFeedback(deps, form.id, userId);
    return editFeedback(deps, form.id, draft);
  }
  return captureFeedback(deps, draft, {
    capturedVia: form.messageTs ? 'shortcut' : 'modal',
    loggedBy: userId,
    ...(form.channelId && form.messageTs ? { sourceChannelId: form.channelId, sourceMessageTs: form.messageTs } : {}),
    ...(form.permalink ? { permalink: form.permalink } : {}),
  });
}

/** Tells only `userId`: ephemeral in the channel, or a DM from the app where it cannot whisper. */
export async function tellPrivately({ slack, messages, logger }: { slack: WebClient; messages: Messenger; logger: Logger }, userId: string, channelId: string | undefined, content: MessageContent) {
  if (channelId && !channelId.startsWith('D')) {
    try {
      await slack.chat.postEphemeral({ channel: channelId, user: userId, text: content.text, ...(content.blocks ? { blocks: content.blocks } : {}) });
      return;
    } catch (error) {
      logger.info({ err: error, channel: channelId }, 'could not whisper in the channel; sending a DM instead');
    }
  }
  await messages.dm(userId, content);
}

/** Carries out an admin theme command and returns the confirmation. */
export async function runThemeCommand({ repo }: { repo: FeedbackRepository }, command: Exclude<ThemeCommand, { action: 'list' }>, userId: string): Promise<string> {
  if (command.action === 'add') {
    const created = await repo.upsertTheme(command.name, command.keywords, userId);
    const keywords = command.keywords.length > 0 ? `keywords: ${command.keywords.join(', ')}` : 'no keywords: feedback is tagged when it mentions the name';
    return `:label: ${created ? 'Added' : 'Updated'} theme *${command.name}* (${keywords}). New feedback with no theme given is tagged by these.`;
  }
  if (!(await repo.removeTheme(command.name))) throw new UserError('feedback.theme_not_found', `:mag: There is no theme \`${command.name}\`. See them with \`/frontline theme list\`.`);
  return `:wastebasket: Removed theme *${command.name}*. Feedback already tagged with it keeps the tag.`;
}
