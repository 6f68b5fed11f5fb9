// The REST API's view of escalations: what a tool may send to raise one, and what it gets back.
import { z } from 'zod';
import { prioritySchema } from '../departments/departments.models.ts';
import { isoOrNull, slackUser } from '../events/public-views.ts';
import { requesterSchema } from '../http/requester.ts';
import { raiseInputSchema } from './escalation-modals.views.ts';
import { type EscalationFields, slaClockOf, slaStanding } from './escalations.models.ts';
import type { Escalation } from './escalations.repository.ts';
import { escalationRef } from './escalations.views.ts';

const MAX_FIELDS = 50;
const fieldValueSchema = z.union([z.string().max(2000), z.number(), z.boolean(), z.null()], {
  error: 'each field must be a string (up to 2000 characters), a number, true, false or null',
});

/** POST /api/escalations: the raise form's rules, with the names a helpdesk uses. */
export const raiseBodySchema = z.strictObject({
  department: z.string({ error: 'is required: a department key' }).trim().toLowerCase().min(1, 'is required'),
  priority: prioritySchema.default('normal'),
  summary: raiseInputSchema.shape.summary,
  details: raiseInputSchema.shape.details.optional(),
  customer: raiseInputSchema.shape.customer.optional(),
  link: raiseInputSchema.shape.link.optional(),
  requester: requesterSchema,
  external_id: z.string().trim().min(1, 'must not be empty').max(200, 'must be at most 200 characters').optional(),
  fields: z
    .record(z.string().min(1).max(100), fieldValueSchema)
    .refine((f) => Object.keys(f).length <= MAX_FIELDS, `must have at most ${MAX_FIELDS} fields`)
    .optional(),
});
export type RaiseBody = z.infer<typeof raiseBodySchema>;

/** What POST answers: enough to find it again. */
export const createdBody = (e: Escalation) => ({ id: e.id, ref: escalationRef(e), url: e.messageUrl });

/** GET /api/escalations/:ref: its state, who has it, its times, SLA standing and resolution. */
export function escalationBody(
  e: Escalation,
  { departmentName, reassignedTo, now }: { departmentName: string; reassignedTo?: Escalation; now: Date },
) {
  const clock = slaClockOf(e, now);
  return {
    ...createdBody(e),
    status: e.status,
    department: { key: e.departmentKey, name: departmentName },
    priority: e.priority,
    summary: e.summary,
    details: e.details,
    customer: e.customer,
    link: e.link,
    requester: e.requesterId ? { slack_id: e.requesterId } : { email: e.requesterEmail ?? '' },
    raised_via: e.raisedVia,
    external_id: e.externalId,
    fields: (e.fields ?? null) as EscalationFields | null,
    claimer: slackUser(e.claimerId),
    created_at: e.createdAt.toISOString(),
    claimed_at: isoOrNull(e.claimedAt),
    resolved_at: isoOrNull(e.resolvedAt),
    sla: {
      acknowledge: { due_at: e.ackDueAt.toISOString(), status: slaStanding(e.ackDueAt, e.claimedAt, clock) },
      resolve: {
        due_at: e.resolveDueAt.toISOString(),
        status: slaStanding(e.resolveDueAt, e.resolvedAt, clock),
      },
    },
    resolution:
      e.resolution && e.resolvedAt
        ? { text: e.resolution, by: slackUser(e.resolvedBy), at: e.resolvedAt.toISOString() }
        : null,
    reassigned_to: reassignedTo ? { id: reassignedTo.id, ref: escalationRef(reassignedTo) } : null,
  };
}
