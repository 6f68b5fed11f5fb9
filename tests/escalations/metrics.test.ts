// The digest's escalation numbers, checked against escalations seeded with known times.
import { beforeAll, expect, it } from 'vitest';
import { createEscalationsRepository, type Escalation } from '../../src/escalations/escalations.repository.ts';
import { useTestApp } from '../support/test-app.ts';

const t = useTestApp();
const repo = () => createEscalationsRepository(t.deps);
const d = (iso: string) => new Date(iso);
const plus = (date: Date, minutes: number) => new Date(date.getTime() + minutes * 60_000);

/** Stores an escalation raised at `at` with a 15-minute ack and 4-hour resolve target. */
const seed = (departmentKey: string, at: string, summary: string) =>
  repo().create({
    departmentKey,
    priority: 'urgent',
    summary,
    requesterId: 'U0AGENT',
    createdAt: d(at),
    ackDueAt: plus(d(at), 15),
    ackAlertAt: plus(d(at), 30),
    resolveDueAt: plus(d(at), 240),
  }) as Promise<Escalation>; // no external id: always stored

beforeAll(async () => {
  const a = await seed('billing', '2026-03-02T10:00:00Z', 'A on time');
  await repo().claim(a.id, 'U1', d('2026-03-02T10:10:00Z'));
  await repo().resolve(a.id, 'U1', 'done', d('2026-03-02T12:00:00Z'));

  const b = await seed('billing', '2026-03-03T10:00:00Z', 'B late twice');
  await repo().claim(b.id, 'U1', d('2026-03-03T10:30:00Z'));
  await repo().resolve(b.id, 'U1', 'done', d('2026-03-03T15:00:00Z'));

  const c = await seed('billing', '2026-03-04T10:00:00Z', 'C misrouted');
  const moved = await repo().reassign(
    c.id,
    'U1',
    (old) => ({
      summary: old.summary,
      priority: old.priority,
      requesterId: old.requesterId,
      departmentKey: 'legal',
      createdAt: d('2026-03-04T10:20:00Z'),
      ackDueAt: d('2026-03-04T10:35:00Z'),
      ackAlertAt: d('2026-03-04T10:50:00Z'),
      resolveDueAt: d('2026-03-04T14:20:00Z'),
    }),
    d('2026-03-04T10:20:00Z'),
  );
  await repo().claim(moved!.next.id, 'U2', d('2026-03-04T10:40:00Z'));

  const before = await seed('legal', '2026-03-01T08:00:00Z', 'D from last week');
  await repo().claim(before.id, 'U2', d('2026-03-01T08:05:00Z'));
  await repo().resolve(before.id, 'U2', 'done', d('2026-03-02T09:00:00Z'));

  await seed('billing', '2026-03-10T10:00:00Z', 'E next week');
  await seed('legal', '2026-03-08T23:50:00Z', 'F not due yet'); // ack due 00:05, after the range ends
});

it('reports opened, resolved, medians, SLA breaches and misroutes for a week, overall and by department', async () => {
  const metrics = await repo().metrics({ from: d('2026-03-02T00:00:00Z'), to: d('2026-03-09T00:00:00Z') });
  expect(metrics).toEqual({
    opened: 4, // A, B, C, F: C's continuation in legal is the same customer issue
    resolved: 3, // A, B and last week's D
    medianAckMinutes: 20, // A 10, C in legal 20, B 30
    medianResolveMinutes: 300, // A 120, B 300, D 1500
    slaBreachShare: 0.5, // B (both targets) and C in legal (ack, and unresolved past 4h) of A, B, C-legal, F
    misroutes: 1,
    rated: 0,
    satisfiedShare: null,
    onHoldMinutes: 0,
    heldResolved: 0,
    reopened: 0,
    byDepartment: [
      {
        departmentKey: 'billing',
        opened: 3,
        resolved: 2,
        medianAckMinutes: 20,
        medianResolveMinutes: 210,
        slaBreachShare: 0.5,
        misroutes: 1,
        rated: 0,
        satisfiedShare: null,
        onHoldMinutes: 0,
        heldResolved: 0,
        reopened: 0,
      },
      {
        departmentKey: 'legal',
        opened: 2,
        resolved: 1,
        medianAckMinutes: 20,
        medianResolveMinutes: 1500,
        slaBreachShare: 0.5,
        misroutes: 0,
        rated: 0,
        satisfiedShare: null,
        onHoldMinutes: 0,
        heldResolved: 0,
        reopened: 0,
      },
    ],
  });
});

it('reports zeros and no medians for an empty range', async () => {
  expect(await repo().metrics({ from: d('2025-01-01T00:00:00Z'), to: d('2025-01-08T00:00:00Z') })).toEqual({
    opened: 0,
    resolved: 0,
    medianAckMinutes: null,
    medianResolveMinutes: null,
    slaBreachShare: null,
    misroutes: 0,
    rated: 0,
    satisfiedShare: null,
    onHoldMinutes: 0,
    heldResolved: 0,
    reopened: 0,
    byDepartment: [],
  });
});

it('reports routing accuracy: first sends resolved by their team, against those resolved or moved away', async () => {
  const week = { from: d('2026-03-02T00:00:00Z'), to: d('2026-03-09T00:00:00Z') };
  const accuracy = await repo().routingAccuracy(week);
  // Billing resolved A and B itself and moved C away; Legal's D was resolved this week; C's successor is not a first send.
  expect(accuracy.sort((a, b) => a.departmentKey.localeCompare(b.departmentKey))).toEqual([
    { departmentKey: 'billing', rightFirstTime: 2, settled: 3 },
    { departmentKey: 'legal', rightFirstTime: 1, settled: 1 },
  ]);
  expect(await repo().routingAccuracy({ from: d('2026-02-23T00:00:00Z'), to: week.from })).toEqual([]);
});
