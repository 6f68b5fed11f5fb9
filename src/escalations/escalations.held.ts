// How an escalation held before posting (answers were offered first, see before-posting.ts) is
// raised when its requester chooses "Escalate anyway": through raiseEscalation, exactly as typed.
import { z } from 'zod';
import type { BeforePosting } from '../before-posting.ts';
import { prioritySchema } from '../departments/departments.models.ts';
import type { RaiseInput } from './escalation-modals.views.ts';
import { ESCALATION_CARD, type EscalationDeps, raisedReply, raiseEscalation } from './escalations.usecases.ts';

/** What the quick path or the form typed, already checked there, kept while answers are offered. */
const heldEscalationSchema = z.object({
  input: z.object({
    departmentKey: z.string().min(1),
    priority: prioritySchema,
    summary: z.string().min(1),
    customer: z.string().nullable(),
    details: z.string().nullable(),
    link: z.string().nullable(),
  }),
  fields: z.record(z.string(), z.string()).optional(),
});

/** The draft a held escalation keeps. */
export type HeldEscalation = { input: RaiseInput; fields?: Record<string, string> };

export function postHeldEscalations(beforePosting: BeforePosting, escalations: EscalationDeps): void {
  beforePosting.poster('escalation', async (draft, { userId, once }) => {
    const { input, fields } = heldEscalationSchema.parse(draft);
    const raised = await raiseEscalation(escalations, {
      requester: { requesterId: userId },
      input: { ...input, ...(fields ? { fields } : {}) },
      dedupe: once,
    });
    return raised && { reply: raisedReply(raised), thread: { mirror: ESCALATION_CARD, ref: raised.escalation.id } };
  });
}
