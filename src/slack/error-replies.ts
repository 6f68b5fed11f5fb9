import type { App } from '@slack/bolt';
import type { WebClient } from '@slack/web-api';
import { isUserError } from '../errors.ts';
import type { Logger } from '../logger.ts';
import { sendDirectMessage } from './messaging.ts';

const SOMETHING_WENT_WRONG =
  ':warning: Sorry, something went wrong on our side and nothing was changed. Please try again in a minute; if it keeps happening, tell your Frontline admin.';

interface ReplyTarget {
  response_url?: string;
  user?: { id?: string };
  user_id?: string;
  channel?: { id?: string };
  channel_id?: string;
  container?: { channel_id?: string };
}

/**
 * The one place listener errors become replies: a UserError's message goes privately to the person,
 * anything else is logged once and answered with a generic apology.
 */
export function registerErrorReplies(app: App, { slack, logger }: { slack: WebClient; logger: Logger }): void {
  // extendedErrorHandler is on (see app.ts), so the handler gets the request body to reply to.
  const handler = async ({ error, body }: { error: Error; body?: unknown }) => {
    const cause = isUserError(error) ? error : ((error as { original?: unknown }).original ?? error);
    const text = isUserError(cause) ? cause.message : SOMETHING_WENT_WRONG;
    if (isUserError(cause)) logger.info({ code: cause.code }, 'user error');
    else logger.error({ err: cause }, 'listener failed');
    const target = (body ?? {}) as ReplyTarget;
    try {
      await replyToError(slack, target, text);
    } catch (replyError) {
      logger.warn({ err: replyError }, 'could not tell the user about an error');
    }
  };
  app.error(handler as unknown as Parameters<App['error']>[0]);
}

/** Answers the person privately: in the command's response_url, as an ephemeral, or by DM from Home and modals. */
async function replyToError(slack: WebClient, target: ReplyTarget, text: string): Promise<void> {
  if (target.response_url) {
    const res = await fetch(target.response_url, {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify({ response_type: 'ephemeral', replace_original: false, text }),
    });
    if (res.ok) return;
  }
  const user = target.user?.id ?? target.user_id;
  if (!user) return;
  const channel = target.channel?.id ?? target.channel_id ?? target.container?.channel_id;
  if (channel && !channel.startsWith('D')) await slack.chat.postEphemeral({ channel, user, text });
  // From App Home or a modal there is no channel to whisper in: a DM from the app is the private reply.
  else await sendDirectMessage(slack, user, { text });
}
