/** The source of "now": injected so SLA, reminder and digest rules are tested by moving a clock. */
export interface Clock {
  now(): Date;
}

export const systemClock: Clock = { now: () => new Date() };
