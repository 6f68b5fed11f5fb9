// The planner's fairness rules, shown on random rotations with fast-check.
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { upcomingSlots } from '../../src/rotations/rotations.models.ts';
import {
  isAwayOn,
  newcomerBaseline,
  type PlanInput,
  type PlannerParticipant,
  planRotation,
} from '../../src/rotations/rotations.planner.ts';

const DAY = 86_400_000;
const T0 = Date.UTC(2026, 2, 2, 14);
const dateOf = (ms: number) => new Date(ms).toISOString().slice(0, 10);

/** Weekly slots from T0. */
const slots = (weeks: number, seats = 1) =>
  Array.from({ length: weeks }, (_, i) => ({ startsAt: T0 + i * 7 * DAY, date: dateOf(T0 + i * 7 * DAY), seats }));
const person = (id: string, extra: Partial<PlannerParticipant> = {}): PlannerParticipant => ({
  id,
  turns: 0,
  lastAt: 0,
  away: [],
  active: true,
  ...extra,
});
const host = (id: string, load = 0) => ({ id, load, lastAt: 0, away: [] });
const countBy = (ids: string[]) => ids.reduce((m, id) => m.set(id, (m.get(id) ?? 0) + 1), new Map<string, number>());

const rotationArb = fc.record({
  people: fc.integer({ min: 1, max: 30 }),
  hosts: fc.integer({ min: 1, max: 5 }),
  weeks: fc.integer({ min: 1, max: 40 }),
  seats: fc.integer({ min: 1, max: 3 }),
});

/** Random histories, away ranges and opt-outs: the messy rotation. */
const messyArb = fc.record({
  people: fc.array(
    fc.record({
      turns: fc.integer({ min: 0, max: 5 }),
      lastAt: fc.integer({ min: 0, max: 1000 }),
      active: fc.boolean(),
      away: fc.array(fc.tuple(fc.integer({ min: 0, max: 90 }), fc.integer({ min: 0, max: 20 })), { maxLength: 2 }),
    }),
    { minLength: 1, maxLength: 25 },
  ),
  hostAway: fc.array(fc.integer({ min: 0, max: 90 }), { maxLength: 5 }),
  weeks: fc.integer({ min: 1, max: 13 }),
  seats: fc.integer({ min: 1, max: 3 }),
});

type Messy = typeof messyArb extends fc.Arbitrary<infer T> ? T : never;

function messyInput(m: Messy): PlanInput {
  return {
    slots: slots(m.weeks, m.seats),
    participants: m.people.map((p, i) =>
      person(`U${i}`, {
        turns: p.turns,
        lastAt: p.lastAt,
        active: p.active,
        away: p.away.map(([start, len]) => ({ from: dateOf(T0 + start * DAY), to: dateOf(T0 + (start + len) * DAY) })),
      }),
    ),
    hosts: [
      {
        id: 'H0',
        load: 0,
        lastAt: 0,
        away: m.hostAway.map((d) => ({ from: dateOf(T0 + d * DAY), to: dateOf(T0 + d * DAY) })),
      },
      host('H1', 2),
    ],
  };
}

describe('planRotation', () => {
  it('has everyone shadow once before anyone shadows twice', () => {
    fc.assert(
      fc.property(rotationArb, ({ people, hosts, weeks, seats }) => {
        const plan = planRotation({
          slots: slots(weeks, seats),
          participants: Array.from({ length: people }, (_, i) => person(`U${i}`)),
          hosts: Array.from({ length: hosts }, (_, i) => host(`H${i}`)),
        });
        const order = plan.seats.map((s) => s.shadowId);
        // Every prefix of the plan is balanced: counts differ by at most one.
        const counts = new Map<string, number>();
        for (const id of order) {
          counts.set(id, (counts.get(id) ?? 0) + 1);
          const values = Array.from({ length: people }, (_, i) => counts.get(`U${i}`) ?? 0);
          expect(Math.max(...values) - Math.min(...values)).toBeLessThanOrEqual(1);
        }
        expect(new Set(order.slice(0, people)).size).toBe(Math.min(people, order.length));
      }),
    );
  });

  it('sends the least recently shadowed first', () => {
    fc.assert(
      fc.property(fc.uniqueArray(fc.integer({ min: 0, max: 1e6 }), { minLength: 1, maxLength: 30 }), (lastAts) => {
        const participants = lastAts.map((lastAt, i) => person(`U${i}`, { lastAt }));
        const plan = planRotation({ slots: slots(lastAts.length), participants, hosts: [host('H')] });
        const expected = [...participants].sort((a, b) => a.lastAt - b.lastAt).map((p) => p.id);
        expect(plan.seats.map((s) => s.shadowId)).toEqual(expected);
      }),
    );
  });

  it('picks, for every seat, someone with the fewest turns among those free that day (declines count as turns)', () => {
    fc.assert(
      fc.property(messyArb, (m) => {
        const input = messyInput(m);
        const plan = planRotation(input);
        const turns = new Map(input.participants.map((p) => [p.id, p.turns]));
        const bySlot = new Map<number, typeof plan.seats>();
        for (const s of plan.seats) bySlot.set(s.startsAt, [...(bySlot.get(s.startsAt) ?? []), s]);
        for (const slot of input.slots) {
          const taken = bySlot.get(slot.startsAt) ?? [];
          const free = input.participants.filter((p) => p.active && !isAwayOn(p.away, slot.date));
          for (const seat of taken) {
            const chosen = turns.get(seat.shadowId)!;
            const others = free.filter((p) => !taken.some((s) => s.shadowId === p.id));
            for (const other of others) expect(chosen).toBeLessThanOrEqual(turns.get(other.id)!);
          }
          // Seats go unfilled only when nobody else is free.
          expect(taken.length).toBe(
            bySlot.has(slot.startsAt) || free.length === 0 ? Math.min(slot.seats, free.length) : 0,
          );
          for (const seat of taken) turns.set(seat.shadowId, turns.get(seat.shadowId)! + 1);
        }
      }),
    );
  });

  it('never places anyone on a date they are away, while opted out, or twice in one session', () => {
    fc.assert(
      fc.property(messyArb, (m) => {
        const input = messyInput(m);
        const byId = new Map(input.participants.map((p) => [p.id, p]));
        const plan = planRotation(input);
        for (const seat of plan.seats) {
          const p = byId.get(seat.shadowId)!;
          expect(p.active).toBe(true);
          expect(isAwayOn(p.away, seat.date)).toBe(false);
          expect(seat.hostId === 'H0' && isAwayOn(input.hosts[0]!.away, seat.date)).toBe(false);
        }
        const perSession = plan.seats.map((s) => `${s.startsAt}:${s.shadowId}`);
        expect(new Set(perSession).size).toBe(perSession.length);
      }),
    );
  });

  it('balances hosts’ load', () => {
    fc.assert(
      fc.property(
        rotationArb,
        fc.array(fc.integer({ min: 0, max: 6 }), { minLength: 1, maxLength: 5 }),
        ({ people, weeks }, loads) => {
          const hosts = loads.map((load, i) => host(`H${i}`, load));
          const plan = planRotation({
            slots: slots(weeks),
            participants: Array.from({ length: people }, (_, i) => person(`U${i}`)),
            hosts,
          });
          const hosted = countBy(
            [...new Set(plan.seats.map((s) => `${s.startsAt}|${s.hostId}`))].map((k) => k.split('|')[1]!),
          );
          const total = hosts.map((h) => h.load + (hosted.get(h.id) ?? 0));
          // Whoever hosts never had more load than any other host at that moment, so the spread only
          // shrinks to one, or stays where history put it when there were too few sessions to even it.
          const initialSpread = Math.max(...loads) - Math.min(...loads);
          expect(Math.max(...total) - Math.min(...total)).toBeLessThanOrEqual(Math.max(1, initialSpread));
          for (const h of hosts) if (h.load > Math.min(...loads) + weeks) expect(hosted.get(h.id) ?? 0).toBe(0);
        },
      ),
    );
  });

  it('puts newcomers at the back of the current round: no burst of sessions', () => {
    fc.assert(
      fc.property(
        fc.array(fc.integer({ min: 2, max: 6 }), { minLength: 2, maxLength: 20 }),
        fc.integer({ min: 1, max: 30 }),
        (history, weeks) => {
          const veterans = history.map((turns, i) => person(`U${i}`, { turns, lastAt: i }));
          const joinedAt = 10_000;
          const newcomer = person('NEW', { turns: newcomerBaseline(history), lastAt: joinedAt });
          const plan = planRotation({ slots: slots(weeks), participants: [...veterans, newcomer], hosts: [host('H')] });
          const order = plan.seats.map((s) => s.shadowId);
          const first = order.indexOf('NEW');
          // Everyone already in the current round goes before the newcomer.
          const round = veterans.filter((v) => v.turns === newcomerBaseline(history)).map((v) => v.id);
          if (first >= 0) for (const id of round) expect(order.slice(0, first)).toContain(id);
          // And the newcomer never gets more sessions than a veteran of the same round.
          const counts = countBy(order);
          for (const id of round) expect(counts.get('NEW') ?? 0).toBeLessThanOrEqual(counts.get(id) ?? 0);
        },
      ),
    );
  });

  it('keeps valid seats and refills a leaver’s future sessions fairly', () => {
    fc.assert(
      fc.property(rotationArb, fc.nat(), ({ people, weeks, seats }, pick) => {
        const participants = Array.from({ length: people + 1 }, (_, i) => person(`U${i}`));
        const input = { slots: slots(weeks, seats), participants, hosts: [host('H')] };
        const first = planRotation(input);
        const leaver = participants[pick % participants.length]!;
        const existing = first.seats.map(({ startsAt, seat, shadowId, hostId }) => ({
          startsAt,
          seat,
          shadowId,
          hostId,
        }));
        const after = planRotation({
          ...input,
          participants: participants.map((p) => (p === leaver ? { ...p, active: false } : p)),
          existing,
        });
        expect(after.seats.some((s) => s.shadowId === leaver.id)).toBe(false);
        expect(after.released.every((s) => s.shadowId === leaver.id)).toBe(true);
        expect(after.released.length).toBe(first.seats.filter((s) => s.shadowId === leaver.id).length);
        // Everyone else keeps their seats, and every seat that could be filled still is.
        for (const s of first.seats.filter((x) => x.shadowId !== leaver.id))
          expect(after.seats).toContainEqual({ ...s, kept: true });
        expect(after.seats.length).toBe(slots(weeks, seats).reduce((n) => n + Math.min(seats, people), 0));
        // With one seat per session the refill keeps everyone within one session of each other. (With
        // several, the fewest-turns person may already sit in the freed session, so the greedy refill
        // only promises the per-seat rule proven above.)
        const counts = countBy(after.seats.map((s) => s.shadowId));
        const values = participants.filter((p) => p !== leaver).map((p) => counts.get(p.id) ?? 0);
        if (seats === 1) expect(Math.max(...values) - Math.min(...values)).toBeLessThanOrEqual(1);
      }),
    );
  });

  it('releases seats of someone now away that day, and of sessions no longer planned', () => {
    const participants = [person('A'), person('B'), person('C')];
    const input = { slots: slots(3), participants, hosts: [host('H')] };
    const first = planRotation(input);
    expect(first.seats.map((s) => s.shadowId)).toEqual(['A', 'B', 'C']);
    const away = participants.map((p) =>
      p.id === 'B' ? { ...p, away: [{ from: first.seats[1]!.date, to: first.seats[1]!.date }] } : p,
    );
    const existing = [...first.seats, { ...first.seats[0]!, startsAt: T0 - DAY }];
    const again = planRotation({ ...input, participants: away, existing });
    expect(again.seats.map((s) => [s.shadowId, s.kept])).toEqual([
      ['A', true],
      ['A', false],
      ['C', true],
    ]);
    expect(again.released.map((s) => s.shadowId).sort()).toEqual(['A', 'B']);
  });
});

describe('newcomerBaseline', () => {
  it('is the fewest turns anyone active has, or 0 for the first member', () => {
    expect(newcomerBaseline([3, 2, 5])).toBe(2);
    expect(newcomerBaseline([])).toBe(0);
  });
});

describe('upcomingSlots', () => {
  const rule = {
    cadence: 'weekly' as const,
    weekday: 3,
    startTime: '14:00',
    timezone: 'Europe/Paris',
    anchorDate: '2026-03-02',
  };

  it('lists each weekday session in the rotation’s zone, across a DST change', () => {
    const list = upcomingSlots(rule, new Date('2026-03-02T10:00:00Z'), 5);
    expect(list.map((s) => s.date)).toEqual(['2026-03-04', '2026-03-11', '2026-03-18', '2026-03-25', '2026-04-01']);
    expect(list[0]!.startsAt.toISOString()).toBe('2026-03-04T13:00:00.000Z');
    expect(list[4]!.startsAt.toISOString()).toBe('2026-04-01T12:00:00.000Z'); // summer time
  });

  it('keeps the fortnight rhythm from the anchor for biweekly rotations', () => {
    const biweekly = { ...rule, cadence: 'biweekly' as const };
    expect(upcomingSlots(biweekly, new Date('2026-03-12T10:00:00Z'), 6).map((s) => s.date)).toEqual([
      '2026-03-18',
      '2026-04-01',
      '2026-04-15',
    ]);
    expect(upcomingSlots(biweekly, new Date('2026-03-02T10:00:00Z'), 4).map((s) => s.date)).toEqual([
      '2026-03-04',
      '2026-03-18',
    ]);
  });
});
