import type { App } from '@slack/bolt';
import type { WebClient } from '@slack/web-api';
import { isUserError } from '../errors.ts';
import type { Logger } from '../logger.ts';
import { AckDeadlinePassed, ackDeadlineIn, TRY_AGAIN } from './ack-deadline.ts';
import { fieldErrorAnswer } from './form-errors.ts';
import { answerInResponseUrl, tellPrivately } from './messaging.ts';

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
 * The one place listener errors become replies: a UserError refusing a form not yet answered shows
 * by its field; any other UserError's message goes privately to the person; anything else is logged
 * once and answered with a generic apology.
 */
export function registerErrorReplies(app: App, { slack, logger }: { slack: WebClient; logger: Logger }): void {
  app.use(async ({ body, ack, next, context }) => {
    try {
      await next();
    } catch (error) {
      if (body.type !== 'view_submission' || !isUserError(error) || !ack || ackDeadlineIn(context)?.answered)
        throw error;
      const answer = fieldErrorAnswer(
        (body as { view?: Parameters<typeof fieldErrorAnswer>[0] }).view,
        error.message,
        error.field,
      );
      if (!answer) throw error;
      logger.info({ code: error.code }, 'user error');
      await ack(answer as never);
    }
  });
  // extendedErrorHandler is on (see app.ts), so the handler gets the request body to reply to.
  const handler = async ({ error, body }: { error: Error; body?: unknown }) => {
    const cause = isUserError(error) ? error : ((error as { original?: unknown }).original ?? error);
    if (cause instanceof AckDeadlinePassed) {
      // Commands and forms were answered with "try again" already; a click was only acked.
      logger.info('stopped a listener that missed its ack deadline');
      if ((body as { type?: string } | undefined)?.type === 'block_actions')
        await replyToError({ slack, logger }, (body ?? {}) as ReplyTarget, TRY_AGAIN).catch(() => {});
      return;
    }
    const text = isUserError(cause) ? cause.message : SOMETHING_WENT_WRONG;
    if (isUserError(cause)) logger.info({ code: cause.code }, 'user error');
    else logger.error({ err: cause }, 'listener failed');
    const target = (body ?? {}) as ReplyTarget;
    try {
      await replyToError({ slack, logger }, target, text);
    } catch (replyError) {
      logger.warn({ err: replyError }, 'could not tell the user about an error');
    }
  };
  app.error(handler as unknown as Parameters<App['error']>[0]);
}

/** Answers the person privately: in the command's response_url, else as tellPrivately does. */
async function replyToError(
  { slack, logger }: { slack: WebClient; logger: Logger },
  target: ReplyTarget,
  text: string,
): Promise<void> {
  if (target.response_url && (await answerInResponseUrl(target.response_url, { text }))) return;
  const user = target.user?.id ?? target.user_id;
  if (!user) return;
  await tellPrivately(
    { slack, logger },
    user,
    target.channel?.id ?? target.channel_id ?? target.container?.channel_id,
    { text },
  );
}
