import type { WebClient } from '@slack/web-api';
import type { Clock } from '../clock.ts';
import type { Db } from '../db/client.ts';
import { UserError } from '../errors.ts';
import { type ChangeDeps, commitChange } from '../events/commit-change.ts';
import { type AckDeadline, assertBeforeAckDeadline } from '../slack/ack-deadline.ts';
import type { AdminCheck } from '../slack/admins.ts';
import { messagePermalink } from '../slack/messaging.ts';
import { codeSpan, decodeSlackText, escapeMrkdwn } from '../slack/mrkdwn.ts';
import type { ThemeCommand } from './feedback.commands.ts';
import { FEEDBACK_IDS } from './feedback.ids.ts';
import { classifyFeedback, type FeedbackDraft, MAX_FEEDBACK_LENGTH } from './feedback.models.ts';
import { createFeedbackRepository, type FeedbackItem, type FeedbackRepository } from './feedback.repository.ts';
import type { ModalMetadata } from './feedback.views.ts';

export interface FeedbackDeps extends ChangeDeps {
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

// Refusals of the feedback form show by its text field; from a button they are private replies.
const ON_FORM = { field: FEEDBACK_IDS.textBlock };

const alreadyLogged = () =>
  new UserError(
    'feedback.already_logged',
    ':information_source: That message is already logged as customer feedback. Nothing new was stored.',
    ON_FORM,
  );

/** A stale or forged reference to feedback, or feedback deleted meanwhile. */
export const feedbackNotFound = () =>
  new UserError('feedback.not_found', ':mag: That feedback no longer exists.', ON_FORM);

async function classify({ repo, clock }: FeedbackDeps, draft: FeedbackDraft, origin: CaptureOrigin) {
  return {
    ...classifyFeedback(draft, await repo.listThemes()),
    ...origin,
    receivedAt: origin.receivedAt ?? clock.now(),
  };
}

/**
 * Stores a capture with its `feedback.captured` event in one transaction (no event when nothing new
 * was stored). A capture made before its Slack ack (`deadline`) is rolled back if that deadline passed.
 */
async function storeCaptured<T>(
  deps: FeedbackDeps,
  capturedVia: string,
  insert: (repo: FeedbackRepository) => Promise<{ value: T; createdId?: string }>,
  deadline?: AckDeadline,
): Promise<T> {
  const done = await commitChange(deps, async (tx) => {
    const { value, createdId } = await insert(createFeedbackRepository({ db: tx }));
    assertBeforeAckDeadline(deadline);
    return {
      result: value,
      events: createdId ? [{ type: 'feedback.captured' as const, feedbackId: createdId, capturedVia }] : [],
    };
  });
  return done!.result;
}

/** Stores feedback typed or pasted by a person; a Slack message is stored once (UserError on repeats). */
export async function captureFeedback(
  deps: FeedbackDeps,
  { draft, origin, deadline }: { draft: FeedbackDraft; origin: CaptureOrigin; deadline?: AckDeadline },
): Promise<FeedbackItem> {
  const item = await classify(deps, draft, origin);
  return storeCaptured(
    deps,
    item.capturedVia,
    async (repo) => {
      const stored =
        item.sourceChannelId && item.sourceMessageTs
          ? await repo.insertFromMessage({
              ...item,
              sourceChannelId: item.sourceChannelId,
              sourceMessageTs: item.sourceMessageTs,
            })
          : await repo.insert(item);
      if (!stored) throw alreadyLogged();
      return { value: stored, createdId: stored.id };
    },
    deadline,
  );
}

/** Stores feedback from another tool; a repeated external id stores nothing and returns the first id. */
export async function captureExternalFeedback(
  deps: FeedbackDeps,
  draft: FeedbackDraft & { externalId?: string; receivedAt?: Date },
): Promise<{ id: string; created: boolean }> {
  const item = await classify(deps, draft, {
    capturedVia: 'webhook',
    ...(draft.receivedAt ? { receivedAt: draft.receivedAt } : {}),
  });
  return storeCaptured(deps, 'webhook', async (repo) => {
    const result = draft.externalId
      ? await repo.insertExternal({ ...item, externalId: draft.externalId })
      : { id: (await repo.insert(item)).id, created: true };
    return { value: result, ...(result.created ? { createdId: result.id } : {}) };
  });
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
  const text = decodeSlackText(message?.text ?? '').trim();
  if (!text) return undefined;
  const permalink = await messagePermalink(deps.slack, channelId, ts);
  const item = await classify(
    deps,
    { text: text.slice(0, MAX_FEEDBACK_LENGTH), source: 'chat' },
    {
      capturedVia: 'reaction',
      loggedBy: userId,
      sourceChannelId: channelId,
      sourceMessageTs: ts,
      ...(permalink ? { permalink } : {}),
    },
  );
  return storeCaptured(deps, 'reaction', async (repo) => {
    const stored = await repo.insertFromMessage({ ...item, sourceChannelId: channelId, sourceMessageTs: ts });
    return { value: stored, ...(stored ? { createdId: stored.id } : {}) };
  });
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
export async function editableFeedback(
  { repo, admins }: { repo: FeedbackRepository; admins: AdminCheck },
  { id, userId }: { id: string; userId: string },
): Promise<FeedbackItem> {
  const item = await repo.get(id);
  if (!item) throw feedbackNotFound();
  if (item.loggedBy !== userId && !(await admins.isAdmin(userId))) {
    throw new UserError(
      'feedback.not_yours',
      ':lock: Only the person who logged this feedback, or a Frontline admin, can edit it.',
      ON_FORM,
    );
  }
  return item;
}

/** Saves an edit; a sentiment left on "Automatic" is re-scored from the new text. */
export async function editFeedback(
  deps: FeedbackDeps,
  { id, draft, deadline }: { id: string; draft: FeedbackDraft; deadline?: AckDeadline },
): Promise<FeedbackItem> {
  const changes = classifyFeedback(draft, await deps.repo.listThemes());
  // Saved before the form closes: rolled back if that took so long the person was told to try again.
  const item = await deps.db.transaction(async (tx) => {
    const updated = await createFeedbackRepository({ db: tx as unknown as Db }).update(id, changes, deps.clock.now());
    assertBeforeAckDeadline(deadline);
    return updated;
  });
  if (!item) throw feedbackNotFound();
  return item;
}

/** Saves the feedback modal: a new item (from a message when it has one) or an edit by someone allowed to. */
export async function saveFeedbackForm(
  deps: FeedbackDeps & { admins: AdminCheck },
  {
    form,
    draft,
    userId,
    deadline,
  }: { form: ModalMetadata; draft: FeedbackDraft; userId: string; deadline?: AckDeadline },
): Promise<FeedbackItem> {
  if (form.mode === 'edit') {
    await editableFeedback(deps, { id: form.id, userId });
    return editFeedback(deps, { id: form.id, draft, deadline });
  }
  const origin: CaptureOrigin = {
    capturedVia: form.messageTs ? 'shortcut' : 'modal',
    loggedBy: userId,
    ...(form.channelId && form.messageTs ? { sourceChannelId: form.channelId, sourceMessageTs: form.messageTs } : {}),
    ...(form.permalink ? { permalink: form.permalink } : {}),
  };
  return captureFeedback(deps, { draft, origin, deadline });
}

/** Carries out an admin theme command and returns the confirmation. */
export async function runThemeCommand(
  { repo }: { repo: FeedbackRepository },
  { command, userId }: { command: Exclude<ThemeCommand, { action: 'list' }>; userId: string },
): Promise<string> {
  if (command.action === 'add') {
    const created = await repo.upsertTheme(command.name, command.keywords, userId);
    const keywords =
      command.keywords.length > 0
        ? `keywords: ${escapeMrkdwn(command.keywords.join(', '))}`
        : 'no keywords: feedback is tagged when it mentions the name';
    return `:label: ${created ? 'Added' : 'Updated'} theme *${command.name}* (${keywords}). New feedback with no theme given is tagged by these.`;
  }
  if (!(await repo.removeTheme(command.name)))
    throw new UserError(
      'feedback.theme_not_found',
      `:mag: There is no theme ${codeSpan(command.name)}. See them with \`/frontline theme list\`.`,
    );
  return `:wastebasket: Removed theme *${command.name}*. Feedback already tagged with it keeps the tag.`;
}
