// What feedback capture announces to the rest of the app (see events/domain-events.ts).
export interface FeedbackEvents {
  'feedback.captured': { feedbackId: string; capturedVia: string };
}

declare module '../events/domain-events.ts' {
  interface DomainEventMap extends FeedbackEvents {}
}
