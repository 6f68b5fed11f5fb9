// Pure escalation rules: transitions, business hours, SLA due times, reminder thresholds.
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { DEFAULT_SLA } from '../../src/departments/departments.models.ts';
import {
  addWorkingMinutes,
  dueTimes,
  formatDuration,
  isWorkingTime,
  nextWorkingTime,
  STATUSES,
  thresholdsDue,
  transition,
  type WorkingHours,
} from '../../src/escalations/escalations.models.ts';

const PARIS: WorkingHours = { workDays: [1, 2, 3, 4, 5], workStart: '09:00', workEnd: '17:00', timezone: 'Europe/Paris' };
const UTC: WorkingHours = { ...PARIS, timezone: 'UTC' };
const d = (iso: string) => new Date(iso);

describe('transitions', () => {
  it('lets the first claim in and refuses claiming twice', () => {
    expect(transition('open', 'claim')).toBe('claimed');
    expect(transition('claimed', 'claim')).toBeUndefined();
  });

  it('releases only what is claimed, resolves and reassigns only what is live', () => {
    expect(transition('claimed', 'release')).toBe('open');
    expect(transition('open', 'release')).toBeUndefined();
    expect(transition('open', 'resolve')).toBe('resolved');
    expect(transition('claimed', 'resolve')).toBe('resolved');
    expect(transition('claimed', 'reassign')).toBe('reassigned');
  });

  it('never leaves a resolved or reassigned escalation', () => {
    for (const action of ['claim', 'release', 'resolve', 'reassign'] as const) {
      expect(transition('resolved', action)).toBeUndefined();
      expect(transition('reassigned', action)).toBeUndefined();
    }
    expect(STATUSES).toHaveLength(4);
  });
});

describe('business hours', () => {
  it('adds working minutes within the same day', () => {
    // Monday 10:00 Paris (09:00 UTC) + 4h.
    expect(addWorkingMinutes(d('2026-03-02T09:00:00Z'), 240, PARIS)).toEqual(d('2026-03-02T13:00:00Z'));
  });

  it('carries the rest over the night', () => {
    // Monday 16:00 UTC + 4 working hours = 1h Monday + 3h from Tuesday 09:00.
    expect(addWorkingMinutes(d('2026-03-02T16:00:00Z'), 240, UTC)).toEqual(d('2026-03-03T12:00:00Z'));
  });

  it('skips the weekend', () => {
    // Friday 16:30 UTC + 60 minutes: 30 on Friday, 30 on Monday.
    expect(addWorkingMinutes(d('2026-03-06T16:30:00Z'), 60, UTC)).toEqual(d('2026-03-09T09:30:00Z'));
  });

  it('starts counting when work starts, from the night or a Sunday', () => {
    expect(addWorkingMinutes(d('2026-03-03T02:00:00Z'), 30, UTC)).toEqual(d('2026-03-03T09:30:00Z'));
    expect(addWorkingMinutes(d('2026-03-08T12:00:00Z'), 30, UTC)).toEqual(d('2026-03-09T09:30:00Z'));
  });

  it('reads hours in the department zone, across a DST change', () => {
    // Paris moves to summer time on Sunday 29 March 2026: Friday 16:00 CET (15:00 UTC) + 2h
    // = 1h Friday + 1h Monday from 09:00 CEST (07:00 UTC).
    expect(addWorkingMinutes(d('2026-03-27T15:00:00Z'), 120, PARIS)).toEqual(d('2026-03-30T08:00:00Z'));
  });

  it('knows when the department works and when it will next', () => {
    expect(isWorkingTime(d('2026-03-02T10:00:00Z'), UTC)).toBe(true);
    expect(isWorkingTime(d('2026-03-02T17:00:00Z'), UTC)).toBe(false);
    expect(isWorkingTime(d('2026-03-07T10:00:00Z'), UTC)).toBe(false);
    expect(nextWorkingTime(d('2026-03-06T18:00:00Z'), UTC)).toEqual(d('2026-03-09T09:00:00Z'));
  });

  it('honours custom days such as Sunday to Thursday', () => {
    const hours = { ...UTC, workDays: [7, 1, 2, 3, 4] };
    expect(nextWorkingTime(d('2026-03-06T10:00:00Z'), hours)).toEqual(d('2026-03-08T09:00:00Z'));
  });

  it('always lands in working hours and never before the start (property)', () => {
    fc.assert(
      fc.property(fc.date({ min: d('2025-01-01'), max: d('2027-12-31'), noInvalidDate: true }), fc.integer({ min: 1, max: 5000 }), (start, minutes) => {
        const due = addWorkingMinutes(start, minutes, PARIS);
        expect(due.getTime()).toBeGreaterThan(start.getTime());
        // The instant just before the due time is working time (due may be exactly the closing time).
        expect(isWorkingTime(new Date(due.getTime() - 1000), PARIS)).toBe(true);
      }),
      { numRuns: 200 },
    );
  });
});

describe('SLA due times', () => {
  it('runs urgent and high around the clock', () => {
    const saturdayNight = d('2026-03-07T23:00:00Z');
    const due = dueTimes(saturdayNight, 'urgent', DEFAULT_SLA.urgent, UTC);
    expect(due.ackDueAt).toEqual(d('2026-03-07T23:15:00Z'));
    expect(due.ackAlertAt).toEqual(d('2026-03-07T23:30:00Z'));
    expect(due.resolveDueAt).toEqual(d('2026-03-08T03:00:00Z'));
  });

  it('counts working time only for normal and low', () => {
    const fridayAfternoon = d('2026-03-06T15:00:00Z');
    const due = dueTimes(fridayAfternoon, 'normal', { ackMinutes: 240, resolveHours: 24 }, UTC);
    expect(due.ackDueAt).toEqual(d('2026-03-09T11:00:00Z')); // 2h Friday + 2h Monday
    expect(due.ackAlertAt).toEqual(d('2026-03-09T15:00:00Z'));
    expect(due.resolveDueAt).toEqual(d('2026-03-11T15:00:00Z')); // 24 working hours = 3 days
  });
});

describe('reminder thresholds', () => {
  const e = { status: 'open' as const, priority: 'normal' as const, ackDueAt: d('2026-03-02T10:00:00Z'), ackAlertAt: d('2026-03-02T11:00:00Z'), resolveDueAt: d('2026-03-02T15:00:00Z') };

  it('passes ack, then twice ack, then resolve', () => {
    expect(thresholdsDue(e, d('2026-03-02T09:59:00Z'), UTC)).toEqual([]);
    expect(thresholdsDue(e, d('2026-03-02T10:00:00Z'), UTC)).toEqual(['ack']);
    expect(thresholdsDue(e, d('2026-03-02T11:00:00Z'), UTC)).toEqual(['ack', 'ack_alert']);
    expect(thresholdsDue(e, d('2026-03-02T15:00:00Z'), UTC)).toEqual(['ack', 'ack_alert', 'resolve']);
  });

  it('stops ack reminders once claimed and all reminders once closed', () => {
    expect(thresholdsDue({ ...e, status: 'claimed' }, d('2026-03-02T15:00:00Z'), UTC)).toEqual(['resolve']);
    expect(thresholdsDue({ ...e, status: 'resolved' }, d('2026-03-02T15:00:00Z'), UTC)).toEqual([]);
  });

  it('waits for working hours for normal and low, not for urgent', () => {
    const night = d('2026-03-02T22:00:00Z');
    expect(thresholdsDue(e, night, UTC)).toEqual([]);
    expect(thresholdsDue({ ...e, priority: 'urgent' }, night, UTC)).toEqual(['ack', 'ack_alert', 'resolve']);
  });
});

it('formats durations for people', () => {
  expect(formatDuration(12 * 60_000)).toBe('12m');
  expect(formatDuration(125 * 60_000)).toBe('2h 5m');
  expect(formatDuration(76 * 3600_000)).toBe('3d 4h');
});
