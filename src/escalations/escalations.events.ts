// What escalations announce to the rest of the app (see events/domain-events.ts).
export interface EscalationEvents {
  /** requesterId is null for an escalation raised through the API for someone not in Slack. */
  'escalation.raised': { escalationId: string; departmentKey: string; requesterId: string | null };
  'escalation.claimed': { escalationId: string; userId: string };
  /** The claimer put it back in the queue. */
  'escalation.released': { escalationId: string; userId: string };
  'escalation.resolved': {
    escalationId: string;
    userId: string;
    resolution: string;
    /** The resolver left "Add to answers" ticked: service knowledge keeps the resolution (absent on older events). */
    addToAnswers?: boolean;
    summary?: string;
    departmentKey?: string;
    permalink?: string | null;
  };
  /** The escalation was closed as misrouted and continues as `nextEscalationId` in another department. */
  'escalation.reassigned': {
    escalationId: string;
    nextEscalationId: string;
    userId: string;
    fromDepartment: string;
    toDepartment: string;
  };
  /** A share (`sla-warn-percent`) of a target has gone by: `target` is due at `dueAt` (ISO). */
  'escalation.sla_warning': { escalationId: string; target: 'ack' | 'resolve'; dueAt: string };
  /** The acknowledge or resolve target passed with the escalation still waiting. */
  'escalation.sla_breached': { escalationId: string; target: 'ack' | 'resolve' };
  /** The requester rated how it was handled; a changed mind raises it again with the new rating. */
  'escalation.rated': { escalationId: string; userId: string; rating: 'good' | 'bad' };
  /** The claimer put it on hold; its clocks stop until `escalation.resumed`. */
  'escalation.put_on_hold': { escalationId: string; userId: string; reason: string };
  /** Back from hold: by a button, the requester's reply, or its date (`userId` is then `system`). */
  'escalation.resumed': { escalationId: string; userId: string };
  'escalation.reopened': { escalationId: string; userId: string; reason: string };
}

declare module '../events/domain-events.ts' {
  interface DomainEventMap extends EscalationEvents {}
}
