// Parser for `/frontline digest …`.
import { usageError } from '../slack/frontline-command.ts';
import { codeSpan } from '../slack/mrkdwn.ts';
import { digestCronSchema } from './digests.models.ts';

export const DIGEST_USAGE = {
  preview: '/frontline digest preview',
  subscribe: '/frontline digest subscribe',
  unsubscribe: '/frontline digest unsubscribe',
  send: '/frontline digest send',
  schedule: '/frontline digest schedule "<cron expression>"',
} as const;

export type DigestCommand =
  | { action: 'preview' | 'subscribe' | 'unsubscribe' | 'send' | 'status' }
  | { action: 'schedule'; cron: string };

/** Parses the text after `/frontline digest` (the cron expression may be quoted). */
export function parseDigestCommand(text: string): DigestCommand {
  const [action = '', ...rest] = text.trim().split(/\s+/);
  switch (action.toLowerCase()) {
    case '':
      return { action: 'status' };
    case 'preview':
    case 'subscribe':
    case 'unsubscribe':
    case 'send':
      return { action: action.toLowerCase() as 'preview' };
    case 'schedule': {
      const expr = rest.join(' ').replace(/^["“']|["”']$/g, '');
      const cron = digestCronSchema.safeParse(expr);
      if (!cron.success)
        usageError(
          'digests.bad_cron',
          `${cron.error.issues[0]?.message ?? 'That schedule is not valid'}.`,
          DIGEST_USAGE.schedule,
        );
      return { action: 'schedule', cron: cron.data };
    }
    default:
      return usageError(
        'digests.unknown_action',
        `I don’t know ${codeSpan(`digest ${action}`)}.`,
        Object.values(DIGEST_USAGE),
      );
  }
}
