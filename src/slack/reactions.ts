// Reactions that mean something to a capability (feedback's :memo:, knowledge's :book:): the
// emoji a setting names, added to a message, whatever its skin tone.
import type { App } from '@slack/bolt';
import { z } from 'zod';

const reactionSchema = z.object({
  user: z.string(),
  reaction: z.string(),
  item: z.object({ type: z.literal('message'), channel: z.string(), ts: z.string() }),
});

export interface MessageReaction {
  userId: string;
  channelId: string;
  ts: string;
}

/** Calls `handle` when someone adds the emoji `emoji()` names to a message. */
export function onMessageReaction(
  app: App,
  emoji: () => Promise<string>,
  handle: (reaction: MessageReaction) => Promise<void>,
): void {
  app.event('reaction_added', async ({ event }) => {
    const reaction = reactionSchema.safeParse(event);
    if (!reaction.success) return;
    // Skin tones arrive as `thumbsup::skin-tone-2`: the base emoji is what counts.
    if (reaction.data.reaction.split('::')[0] !== (await emoji())) return;
    const { user, item } = reaction.data;
    await handle({ userId: user, channelId: item.channel, ts: item.ts });
  });
}
