// The fair shadow planner: a pure function from who is in a rotation (and their history) to who
// shadows which session. No I/O; the use cases feed it rows and store what it returns.

/** An inclusive range of local dates (YYYY-MM-DD) someone is away. */
export interface AwayRange {
  from: string;
  to: string;
}

export interface PlannerParticipant {
  id: string;
  /** Turns already taken: baseline + held + no-shows + declines (declines count, so nobody dodges forever). */
  turns: number;
  /** When they last shadowed (or declined), epoch ms; for someone who never did, when they joined. */
  lastAt: number;
  away: AwayRange[];
  /** False when opted out or gone from the rotation: they keep their history but get no sessions. */
  active: boolean;
}

export interface PlannerHost {
  id: string;
  /** Sessions hosted so far. */
  load: number;
  lastAt: number;
  away: AwayRange[];
}

/** One session to fill: a start time, its local date and how many shadows it takes. */
export interface PlannerSlot {
  startsAt: number;
  date: string;
  seats: number;
}

/** A seat already filled in a future session (planned, offered or accepted). */
export interface ExistingSeat {
  startsAt: number;
  seat: number;
  shadowId: string;
  hostId: string;
}

export interface PlannedSeat {
  startsAt: number;
  date: string;
  /** 1-based seat number within the session. */
  seat: number;
  shadowId: string;
  hostId: string;
  /** True when this seat was already filled by the same shadow (it is kept as it was). */
  kept: boolean;
}

export interface PlanInput {
  slots: PlannerSlot[];
  participants: PlannerParticipant[];
  hosts: PlannerHost[];
  existing?: ExistingSeat[];
  /** People who declined a session: never offered that same session again. */
  declined?: { startsAt: number; shadowId: string }[];
}

export interface Plan {
  seats: PlannedSeat[];
  /** Existing seats that no longer hold (shadow left, opted out or away then): refilled in `seats`. */
  released: ExistingSeat[];
}

export const isAwayOn = (away: readonly AwayRange[], date: string) => away.some((r) => r.from <= date && date <= r.to);

interface Entry {
  id: string;
  turns: number;
  lastAt: number;
  /** Stable tie-break: input order. */
  order: number;
  version: number;
}

const before = (a: Entry, b: Entry) => a.turns - b.turns || a.lastAt - b.lastAt || a.order - b.order;

/** A binary min-heap with lazy deletion: a person's entry is re-pushed when their turns change. */
class FairQueue {
  private heap: Entry[] = [];
  private readonly current = new Map<string, Entry>();

  constructor(entries: Entry[]) {
    for (const e of entries) this.current.set(e.id, e);
    this.heap = [...entries].sort(before);
  }

  get(id: string): Entry | undefined {
    return this.current.get(id);
  }

  /** Records one more turn at `at` for `id`. */
  take(id: string, at: number): void {
    const old = this.current.get(id);
    if (!old) return;
    const next = { ...old, turns: old.turns + 1, lastAt: at, version: old.version + 1 };
    this.current.set(id, next);
    this.push(next);
  }

  /** Pops the fairest entry that `eligible` accepts; the ones passed over stay queued. */
  popWhere(eligible: (id: string) => boolean): Entry | undefined {
    const skipped: Entry[] = [];
    let found: Entry | undefined;
    while (this.heap.length > 0) {
      const top = this.pop()!;
      if (this.current.get(top.id) !== top) continue; // stale: superseded by a later take()
      if (eligible(top.id)) {
        found = top;
        break;
      }
      skipped.push(top);
    }
    for (const e of skipped) this.push(e);
    if (found) this.push(found); // still queued; take() supersedes it
    return found;
  }

  private push(e: Entry): void {
    const h = this.heap;
    h.push(e);
    for (let i = h.length - 1; i > 0; ) {
      const p = (i - 1) >> 1;
      if (before(h[i]!, h[p]!) >= 0) break;
      [h[i], h[p]] = [h[p]!, h[i]!];
      i = p;
    }
  }

  private pop(): Entry | undefined {
    const h = this.heap;
    const top = h[0];
    const last = h.pop();
    if (h.length > 0 && last) {
      h[0] = last;
      for (let i = 0; ; ) {
        const l = 2 * i + 1;
        const r = l + 1;
        let m = i;
        if (l < h.length && before(h[l]!, h[m]!) < 0) m = l;
        if (r < h.length && before(h[r]!, h[m]!) < 0) m = r;
        if (m === i) break;
        [h[i], h[m]] = [h[m]!, h[i]!];
        i = m;
      }
    }
    return top;
  }
}

/**
 * Fills every seat of `slots`, in time order: the host with the least load who is not away, and for
 * each seat the active participant with the fewest turns, least recently shadowed, who is not away
 * that day and not already in the session. Valid existing seats are kept; the rest are refilled.
 * O((slots·seats + passed-over) · log n).
 */
export function planRotation(input: PlanInput): Plan {
  const participants = new Map(input.participants.map((p) => [p.id, p]));
  const hostsById = new Map(input.hosts.map((h) => [h.id, h]));
  const shadows = new FairQueue(
    input.participants
      .filter((p) => p.active)
      .map((p, order) => ({ id: p.id, turns: p.turns, lastAt: p.lastAt, order, version: 0 })),
  );
  const hosts = new FairQueue(
    input.hosts.map((h, order) => ({ id: h.id, turns: h.load, lastAt: h.lastAt, order, version: 0 })),
  );
  const declinedBySlot = new Map<number, string[]>();
  for (const d of input.declined ?? [])
    declinedBySlot.set(d.startsAt, [...(declinedBySlot.get(d.startsAt) ?? []), d.shadowId]);
  const existingBySlot = new Map<number, ExistingSeat[]>();
  for (const seat of input.existing ?? [])
    existingBySlot.set(seat.startsAt, [...(existingBySlot.get(seat.startsAt) ?? []), seat]);

  // First every seat that still holds is counted, so refills see everyone's future sessions too.
  const ordered = [...input.slots].sort((a, b) => a.startsAt - b.startsAt);
  const released: ExistingSeat[] = [];
  const kept = new Map<number, { hostId?: string; seats: Map<number, PlannedSeat> }>();
  for (const slot of ordered) {
    const existing = (existingBySlot.get(slot.startsAt) ?? []).sort((a, b) => a.seat - b.seat);
    existingBySlot.delete(slot.startsAt);
    const hostId = existing
      .map((s) => s.hostId)
      .find((id) => {
        const h = hostsById.get(id);
        return h !== undefined && !isAwayOn(h.away, slot.date);
      });
    if (hostId) hosts.take(hostId, slot.startsAt);
    const filled = new Map<number, PlannedSeat>();
    for (const seat of existing) {
      const p = participants.get(seat.shadowId);
      const taken = [...filled.values()].some((s) => s.shadowId === seat.shadowId) || seat.shadowId === hostId;
      if (
        !p?.active ||
        !shadows.get(p.id) ||
        isAwayOn(p.away, slot.date) ||
        seat.seat > slot.seats ||
        filled.has(seat.seat) ||
        taken
      ) {
        released.push(seat);
        continue;
      }
      shadows.take(seat.shadowId, slot.startsAt);
      filled.set(seat.seat, {
        startsAt: slot.startsAt,
        date: slot.date,
        seat: seat.seat,
        shadowId: seat.shadowId,
        hostId: hostId ?? '',
        kept: true,
      });
    }
    kept.set(slot.startsAt, { hostId, seats: filled });
  }

  const seats: PlannedSeat[] = [];
  for (const slot of ordered) {
    const { hostId: keptHost, seats: filled } = kept.get(slot.startsAt)!;
    const inSession = new Set([...filled.values()].map((s) => s.shadowId));
    const hostId =
      keptHost ?? hosts.popWhere((id) => !inSession.has(id) && !isAwayOn(hostsById.get(id)!.away, slot.date))?.id;
    if (!hostId) {
      // No host free that day: nobody can be shadowed.
      released.push(
        ...[...filled.values()].map(({ startsAt, seat, shadowId }) => ({ startsAt, seat, shadowId, hostId: '' })),
      );
      continue;
    }
    if (!keptHost) hosts.take(hostId, slot.startsAt);
    inSession.add(hostId);
    for (const id of declinedBySlot.get(slot.startsAt) ?? []) inSession.add(id);
    for (let seat = 1; seat <= slot.seats; seat++) {
      if (filled.has(seat)) continue;
      const next = shadows.popWhere((id) => !inSession.has(id) && !isAwayOn(participants.get(id)!.away, slot.date));
      if (!next) break;
      inSession.add(next.id);
      shadows.take(next.id, slot.startsAt);
      filled.set(seat, { startsAt: slot.startsAt, date: slot.date, seat, shadowId: next.id, hostId, kept: false });
    }
    seats.push(...[...filled.values()].map((s) => ({ ...s, hostId })).sort((a, b) => a.seat - b.seat));
  }
  // Seats in sessions that are no longer planned (the cadence changed) are released too.
  for (const rest of existingBySlot.values()) released.push(...rest);
  return { seats, released };
}

/** Where a newcomer starts: level with the current round (the fewest turns anyone active has), never ahead of it. */
export function newcomerBaseline(activeTurns: Iterable<number>): number {
  let min = Number.POSITIVE_INFINITY;
  for (const t of activeTurns) if (t < min) min = t;
  return Number.isFinite(min) ? min : 0;
}
