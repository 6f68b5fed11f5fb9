import type { Clock } from '../../src/clock.ts';

export interface TestClock extends Clock {
  set(date: Date | string): void;
  advance(ms: number): Date;
  advanceMinutes(minutes: number): Date;
}

/** A clock tests move by hand; it does not tick by itself. */
export function createTestClock(start: Date | string = '2026-03-02T10:00:00Z'): TestClock {
  let current = new Date(start);
  return {
    now: () => new Date(current),
    set(date) {
      current = new Date(date);
    },
    advance(ms) {
      current = new Date(current.getTime() + ms);
      return new Date(current);
    },
    advanceMinutes(minutes) {
      return this.advance(minutes * 60_000);
    },
  };
}
