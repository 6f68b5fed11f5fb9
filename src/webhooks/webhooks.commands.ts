// Parsers for `/frontline webhook …`: plain functions from words to a typed command, or a usage error.
import { z } from 'zod';
import { usageError } from '../slack/frontline-command.ts';
import { codeSpan } from '../slack/mrkdwn.ts';
import { parseEventList, urlProblem, WEBHOOK_EVENTS, type WebhookEvent } from './webhooks.models.ts';

export const WEBHOOK_USAGE = {
  add: '/frontline webhook add <https-url> [event,…]',
  list: '/frontline webhook list',
  log: '/frontline webhook log <id>',
  resume: '/frontline webhook resume <id>',
  remove: '/frontline webhook remove <id>',
} as const;

export type WebhookCommand =
  | { action: 'add'; url: string; events: WebhookEvent[] }
  | { action: 'list' }
  | { action: 'log' | 'resume' | 'remove'; id: string };

const subscriptionIdSchema = z.string().regex(/^wh_[a-z0-9]{4,40}$/);

/** A URL as Slack sends it in escaped command text (`<https://…>` or `<https://…|label>`), or as typed. */
const unwrapLink = (word: string) => /^<([^|>]+)(\|[^>]*)?>$/.exec(word)?.[1] ?? word;

/** The URL schema: zod for the shape, the webhook rules for where it may point. */
export const webhookUrlSchema = (allowPrivate: boolean) =>
  z
    .string()
    .trim()
    .superRefine((url, ctx) => {
      const problem = urlProblem(url, { allowPrivate });
      if (problem) ctx.addIssue({ code: 'custom', message: problem });
    });

function parseId(word: string | undefined, usage: string): string {
  const id = subscriptionIdSchema.safeParse(word?.toLowerCase());
  if (!id.success)
    usageError(
      'webhooks.bad_id',
      word
        ? `${codeSpan(word)} is not a webhook id; they look like \`wh_k3x9q2m7\` (see \`/frontline webhook list\`).`
        : 'Which webhook? Give its id from `/frontline webhook list`.',
      usage,
    );
  return id.data;
}

/** Parses the words after `/frontline webhook`. */
export function parseWebhookCommand(args: string[], { allowPrivate }: { allowPrivate: boolean }): WebhookCommand {
  const [action = '', ...rest] = args;
  switch (action.toLowerCase()) {
    case '':
    case 'list':
      return { action: 'list' };
    case 'add': {
      if (!rest[0])
        usageError('webhooks.missing_url', 'Give the https URL that should receive the events.', WEBHOOK_USAGE.add);
      const url = webhookUrlSchema(allowPrivate).safeParse(unwrapLink(rest[0]));
      if (!url.success) usageError('webhooks.bad_url', `That URL ${url.error.issues[0]?.message}.`, WEBHOOK_USAGE.add);
      const { events, unknown } = parseEventList(rest.slice(1).join(','));
      if (unknown.length > 0)
        usageError(
          'webhooks.unknown_event',
          `I don’t know ${unknown.map((u) => codeSpan(u)).join(', ')}. Events: ${WEBHOOK_EVENTS.map((e) => codeSpan(e)).join(', ')} (or \`escalation.*\`, or none for all).`,
          WEBHOOK_USAGE.add,
        );
      return { action: 'add', url: url.data, events };
    }
    case 'log':
    case 'resume':
    case 'remove': {
      const verb = action.toLowerCase() as 'log' | 'resume' | 'remove';
      return { action: verb, id: parseId(rest[0], WEBHOOK_USAGE[verb]) };
    }
    default:
      usageError(
        'webhooks.unknown_action',
        `I don’t know ${codeSpan(`webhook ${action}`)}.`,
        Object.values(WEBHOOK_USAGE),
      );
  }
}
