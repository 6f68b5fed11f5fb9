// What help requests announce to the rest of the app (see events/domain-events.ts).
export interface HelpRequestEvents {
  /** `question` lets service knowledge note answers given before in the thread (absent on older events). */
  'help_request.asked': { requestId: number; askerId: string; topic: string | null; question?: string };
  /** The first person offered to help (later offers join them and raise nothing). */
  'help_request.picked_up': { requestId: number; userId: string };
  'help_request.solved': {
    requestId: number;
    userId: string;
    topHelpers: string[];
    note: string | null;
    /** "What was the answer?" from the solve form: service knowledge keeps it (absent on older events). */
    answer?: string | null;
    question?: string;
    permalink?: string | null;
  };
}

declare module '../events/domain-events.ts' {
  interface DomainEventMap extends HelpRequestEvents {}
}
