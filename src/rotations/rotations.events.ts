// What shadow rotations announce to the rest of the app (see events/domain-events.ts).
export interface RotationEvents {
  /** The host marked the shadow as there. */
  'shadow_session.held': { sessionId: number; shadowId: string; hostId: string };
}

declare module '../events/domain-events.ts' {
  interface DomainEventMap extends RotationEvents {}
}
