// The REST API's view of help requests: what a tool may send to ask, and what it gets back.
import { z } from 'zod';
import { isoOrNull, slackUser } from '../events/public-views.ts';
import { requesterSchema } from '../http/requester.ts';
import { CONTEXT_MAX, questionSchema, urgencySchema } from './help-requests.models.ts';
import type { Helper, HelpRequest } from './help-requests.repository.ts';
import { helpRequestRef } from './help-requests.views.ts';

/** POST /api/help-requests: the ask form's rules; `topic` is what `/ask <topic>: …` names. */
export const askBodySchema = z.strictObject({
  question: questionSchema,
  context: z.string().trim().max(CONTEXT_MAX, `must be at most ${CONTEXT_MAX} characters`).optional(),
  urgency: urgencySchema.default('normal'),
  customer: z.string().trim().max(200, 'must be at most 200 characters').optional(),
  topic: z
    .string()
    .trim()
    .regex(/^[a-z0-9][a-z0-9 .+#&/-]{0,39}$/i, 'must be a department key or a skill, such as billing')
    .optional(),
  requester: requesterSchema,
  external_id: z.string().trim().min(1, 'must not be empty').max(200, 'must be at most 200 characters').optional(),
});
export type AskBody = z.infer<typeof askBodySchema>;

/** What POST answers: enough to find it again. */
export const askedBody = (r: HelpRequest) => ({ id: r.id, ref: helpRequestRef(r), url: r.permalink });

/** GET /api/help-requests/:ref: its state, who is helping, its times and how it was solved. */
export function helpRequestBody(r: HelpRequest, helpers: Helper[]) {
  return {
    ...askedBody(r),
    status: r.status,
    question: r.question,
    context: r.context,
    urgency: r.urgency,
    customer: r.customer,
    topic: r.topic,
    requester: { slack_id: r.askerId },
    raised_via: r.raisedVia,
    external_id: r.externalId,
    claimer: slackUser(r.firstHelperId),
    helpers: helpers.map((h) => ({ slack_id: h.userId, joined_at: h.joinedAt.toISOString() })),
    created_at: r.createdAt.toISOString(),
    claimed_at: isoOrNull(r.firstHelpedAt),
    solved_at: isoOrNull(r.solvedAt),
    resolution: r.solvedAt ? { note: r.solveNote, by: slackUser(r.solvedBy), at: r.solvedAt.toISOString() } : null,
  };
}
