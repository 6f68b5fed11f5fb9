import type { WebClient } from '@slack/web-api';
import type { Blocks } from './blocks.ts';

export interface MessageContent {
  /** Plain-text fallback: what notifications and screen readers show. */
  text: string;
  blocks?: Blocks;
}

/** Sends a direct message from the app to a person (posting to a user ID opens the app DM). */
export async function sendDirectMessage(slack: WebClient, userId: string, content: MessageContent): Promise<{ channel: string; ts: string }> {
  const res = await slack.chat.postMessage({ channel: userId, text: content.text, ...(content.blocks ? { blocks: content.blocks } : {}), unfurl_links: false });
  return { channel: res.channel ?? userId, ts: res.ts ?? '' };
}

/** Posts to a channel (or a thread in it) and returns where the message landed. */
export async function postMessage(slack: WebClient, channel: string, content: MessageContent & { threadTs?: string }): Promise<{ channel: string; ts: string }> {
  const res = await slack.chat.postMessage({
    channel,
    text: content.text,
    ...(content.blocks ? { blocks: content.blocks } : {}),
    ...(content.threadTs ? { thread_ts: content.threadTs } : {}),
    unfurl_links: false,
  });
  return { channel: res.channel ?? channel, ts: res.ts ?? '' };
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
