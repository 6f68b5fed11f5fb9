import type { WebClient } from '@slack/web-api';

/** Private channels, DMs and group DMs; a conversation Slack will not describe counts as private. */
export async function isPrivateConversation(slack: WebClient, channelId: string): Promise<boolean> {
  try {
    const { channel } = await slack.conversations.info({ channel: channelId });
    return Boolean(channel?.is_private || channel?.is_im || channel?.is_mpim);
  } catch {
    return true;
  }
}

/**
 * Whether `userId` may read what was posted in `channelId`: anyone for a public channel, members
 * only for a private one. When Slack cannot tell, the answer is no.
 */
export async function mayReadConversation(slack: WebClient, channelId: string, userId: string): Promise<boolean> {
  if (!(await isPrivateConversation(slack, channelId))) return true;
  try {
    for await (const page of slack.paginate('conversations.members', { channel: channelId, limit: 1000 })) {
      if ((page as { members?: string[] }).members?.includes(userId)) return true;
    }
    return false;
  } catch {
    return false;
  }
}
