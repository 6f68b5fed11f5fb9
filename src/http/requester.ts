// Who a call through the REST API is on behalf of: a Slack user id, or an email address looked up in Slack.
import type { WebClient } from '@slack/web-api';
import { z } from 'zod';
import { SLACK_USER_ID } from '../slack/mentions.ts';
import { slackErrorCode } from '../slack/messaging.ts';
import { HttpError } from './json-api.ts';

/** `{ slack_id }` or `{ email }`, exactly one. */
export const requesterSchema = z
  .strictObject({
    slack_id: z.string().regex(SLACK_USER_ID, 'must be a Slack user ID such as U012AB3CD').optional(),
    email: z.email('must be an email address such as jane@acme.com').max(254).optional(),
  })
  .refine((r) => (r.slack_id === undefined) !== (r.email === undefined), 'give either slack_id or email, not both');
export type RequesterBody = z.infer<typeof requesterSchema>;

/** A person in Slack, or (for an email Slack does not know) only their address. */
export type FoundRequester =
  | { requesterId: string; requesterEmail?: null }
  | { requesterId: null; requesterEmail: string };

/** Finds the requester in Slack: by id as given, by email with users.lookupByEmail (a deleted account or a bot counts as not found). */
export async function findRequester(slack: WebClient, requester: RequesterBody): Promise<FoundRequester> {
  if (requester.slack_id) return { requesterId: requester.slack_id };
  const email = requester.email ?? '';
  try {
    const { user } = await slack.users.lookupByEmail({ email });
    if (user?.id && !user.deleted && !user.is_bot) return { requesterId: user.id };
  } catch (error) {
    if (slackErrorCode(error) !== 'users_not_found')
      throw new HttpError(502, 'Slack did not answer who the requester is; nothing was stored. Try again shortly.');
  }
  return { requesterId: null, requesterEmail: email };
}
