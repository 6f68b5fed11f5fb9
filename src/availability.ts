// Who is away, as capabilities that know tell it (rotations: `/shadow away`), for capabilities that
// hand out work (escalations' round-robin), so neither reads the other's tables.

/** Of `userIds`, those away on the local date `date` (YYYY-MM-DD). */
export type AwaySource = (userIds: string[], date: string) => Promise<Set<string>>;

export interface Availability {
  /** Adds a source of away days; each capability that records absences adds one. */
  source(name: string, away: AwaySource): void;
  /** Of `userIds`, those any source says are away on `date`. */
  awayOn(userIds: string[], date: string): Promise<Set<string>>;
}

export function createAvailability(): Availability {
  const sources = new Map<string, AwaySource>();
  return {
    source(name, away) {
      if (sources.has(name)) throw new Error(`away source ${name} is added twice`);
      sources.set(name, away);
    },
    async awayOn(userIds, date) {
      if (userIds.length === 0) return new Set();
      const sets = await Promise.all([...sources.values()].map((away) => away(userIds, date)));
      return new Set(sets.flatMap((set) => [...set]));
    },
  };
}
