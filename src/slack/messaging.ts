import type { WebClient } from '@slack/web-api';
import type { Logger } from '../logger.ts';
import type { Blocks } from './blocks.ts';

export interface MessageContent {
  /** Plain-text fallback: what notifications and screen readers show. */
  text: string;
  blocks?: Blocks;
}

/** Posts to a channel (or a thread in it, or a person's DM given their user ID) and returns where it landed. */
export async function postMessage(
  slack: WebClient,
  channel: string,
  content: MessageContent & {
    threadTs?: string;
    metadata?: { event_type: string; event_payload: Record<string, string> };
  },
): Promise<{ channel: string; ts: string }> {
  const res = await slack.chat.postMessage({
    channel,
    text: content.text,
    ...(content.blocks ? { blocks: content.blocks } : {}),
    ...(content.threadTs ? { thread_ts: content.threadTs } : {}),
    ...(content.metadata ? { metadata: content.metadata } : {}),
    unfurl_links: false,
  });
  return { channel: res.channel ?? channel, ts: res.ts ?? '' };
}

/** Sends a direct message from the app to a person now, or throws (most messages go through the outbox instead). */
export const sendDirectMessage = (slack: WebClient, userId: string, content: MessageContent) =>
  postMessage(slack, userId, content);

/** How a private message reaches a person where no ephemeral can: a DM from the app. */
type DirectMessage = (userId: string, content: MessageContent) => Promise<unknown>;

/**
 * Tells only `userId`: an ephemeral in `channelId`, else a DM from the app (from App Home, a modal or
 * a DM there is no channel to whisper in, and Slack refuses ephemerals where the app is not a member).
 */
export async function tellPrivately(
  {
    slack,
    logger,
    dm = (userId, content) => sendDirectMessage(slack, userId, content),
  }: { slack: WebClient; logger: Logger; dm?: DirectMessage },
  userId: string,
  channelId: string | undefined,
  content: MessageContent,
): Promise<void> {
  if (channelId && !channelId.startsWith('D')) {
    try {
      await slack.chat.postEphemeral({
        channel: channelId,
        user: userId,
        text: content.text,
        ...(content.blocks ? { blocks: content.blocks } : {}),
      });
      return;
    } catch (error) {
      logger.info({ err: error, channel: channelId }, 'could not whisper in the channel; sending a DM instead');
    }
  }
  await dm(userId, content);
}

/** A private answer through a payload's response_url (no Web API call); false when it was not taken. */
export async function answerInResponseUrl(url: string, content: MessageContent): Promise<boolean> {
  const res = await fetch(url, {
    method: 'POST',
    headers: { 'content-type': 'application/json' },
    body: JSON.stringify({ response_type: 'ephemeral', replace_original: false, ...content }),
  });
  return res.ok;
}

/** A link to a message, or undefined when Slack cannot give one. */
export async function messagePermalink(slack: WebClient, channel: string, ts: string): Promise<string | undefined> {
  try {
    const res = await slack.chat.getPermalink({ channel, message_ts: ts });
    return res.permalink;
  } catch {
    return undefined;
  }
}

/** The error code of a failed Web API call (`not_in_channel`), if Slack gave one. */
export const slackErrorCode = (error: unknown): string | undefined =>
  (error as { data?: { error?: string } }).data?.error;
