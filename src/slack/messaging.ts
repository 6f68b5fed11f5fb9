import type { WebClient } from '@slack/web-api';
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
  content: MessageContent & { threadTs?: string; metadata?: { event_type: string; event_payload: Record<string, string> } },
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
export const sendDirectMessage = (slack: WebClient, userId: string, content: MessageContent) => postMessage(slack, userId, content);

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
export const slackErrorCode = (error: unknown): string | undefined => (error as { data?: { error?: string } }).data?.error;

/** Sends; when the app is not in the channel yet, joins it (public channels only) and sends again. */
export async function joiningIfNeeded<T>(slack: WebClient, channel: string, send: () => Promise<T>): Promise<T> {
  try {
    return await send();
  } catch (error) {
    if (slackErrorCode(error) !== 'not_in_channel') throw error;
    await slack.conversations.join({ channel });
    return send();
  }
}
