// Pure escalation rules: transitions, business hours, SLA due times, reminder thresholds.
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { DEFAULT_SLA } from '../../src/departments/departments.models.ts';
import {
  ACTIONS,
  actionsAllowed,
  addSlaMinutes,
  addWorkingMinutes,
  dueTimes,
  dueTimesAfterHold,
  formatDuration,
  holdEndsAt,
  isLive,
  isUnfinished,
  isWorkingTime,
  mayReopen,
  nextWorkingTime,
  reopenableUntil,
  reopenedStatus,
  STATUSES,
  slaMinutesBetween,
  thresholdsDue,
  transition,
  type WorkingHours,
  workingMinutesBetween,
} from '../../src/escalations/escalations.models.ts';

const PARIS: WorkingHours = {
  workDays: [1, 2, 3, 4, 5],
  workStart: '09:00',
  workEnd: '17:00',
  timezone: 'Europe/Paris',
};
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

  it('never leaves a reassigned escalation, and leaves a resolved one only by reopening it', () => {
    for (const action of ACTIONS) {
      expect(transition('reassigned', action)).toBeUndefined();
      if (action !== 'reopen') expect(transition('resolved', action)).toBeUndefined();
    }
    expect(transition('resolved', 'reopen')).toBe('claimed');
    expect(reopenedStatus(false)).toBe('open');
    expect(STATUSES).toHaveLength(5);
  });

  it('puts on hold only what is claimed, and resumes or resolves only what is on hold', () => {
    expect(transition('claimed', 'hold')).toBe('on_hold');
    expect(transition('open', 'hold')).toBeUndefined();
    expect(transition('on_hold', 'hold')).toBeUndefined();
    expect(transition('on_hold', 'resume')).toBe('claimed');
    expect(transition('claimed', 'resume')).toBeUndefined();
    expect(transition('on_hold', 'resolve')).toBe('resolved');
    expect(isLive('on_hold')).toBe(false);
    expect(isUnfinished('on_hold')).toBe(true);
  });

  it('offers on the card exactly the actions each status allows', () => {
    for (const status of STATUSES)
      expect(actionsAllowed(status, { assigned: true })).toEqual(
        ACTIONS.filter((action) => transition(status, action)),
      );
    expect(actionsAllowed('open')).toEqual(['claim', 'resolve', 'reassign']);
    expect(actionsAllowed('claimed')).toEqual(['resolve', 'release', 'hold', 'reassign']);
    expect(actionsAllowed('on_hold')).toEqual(['resume', 'resolve']);
    expect(actionsAllowed('resolved')).toEqual(['reopen']);
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

  it('carries a start with milliseconds past the closing time to the next morning', () => {
    // Found by the property below: Friday 10:19:00.001 in Paris plus 401 minutes is 1 ms past 17:00.
    expect(addWorkingMinutes(d('2027-11-05T09:19:00.001Z'), 401, PARIS)).toEqual(d('2027-11-08T08:00:00.001Z'));
  });

  it('always lands in working hours and never before the start (property)', () => {
    fc.assert(
      fc.property(
        fc.date({ min: d('2025-01-01'), max: d('2027-12-31'), noInvalidDate: true }),
        fc.integer({ min: 1, max: 5000 }),
        (start, minutes) => {
          const due = addWorkingMinutes(start, minutes, PARIS);
          expect(due.getTime()).toBeGreaterThan(start.getTime());
          // The instant just before the due time is working time (due may be exactly the closing time).
          expect(isWorkingTime(new Date(due.getTime() - 1), PARIS)).toBe(true);
        },
      ),
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
  const e = {
    status: 'open' as const,
    priority: 'normal' as const,
    ackDueAt: d('2026-03-02T10:00:00Z'),
    ackAlertAt: d('2026-03-02T11:00:00Z'),
    resolveDueAt: d('2026-03-02T15:00:00Z'),
  };

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

describe('durations in words', () => {
  it('says them as people do', () => {
    expect(
      [0, 59_999, 60_000, 12 * 60_000, 130 * 60_000, 120 * 60_000, 76 * 3600_000, 72 * 3600_000, 3430 * 60_000].map(
        formatDuration,
      ),
    ).toEqual([
      'under a minute',
      'under a minute',
      '1 min',
      '12 min',
      '2 h 10 min',
      '2 h',
      '3 d 4 h',
      '3 d',
      '2 d 9 h 10 min',
    ]);
    expect(formatDuration(-5000)).toBe('under a minute');
  });

  it('reads back to the whole minutes it was given (property)', () => {
    fc.assert(
      fc.property(fc.integer({ min: 1, max: 10 ** 7 }), fc.integer({ min: 0, max: 59_999 }), (minutes, extraMs) => {
        const words = formatDuration(minutes * 60_000 + extraMs);
        const m = /^(?:(\d+) d)? ?(?:(\d+) h)? ?(?:(\d+) min)?$/.exec(words);
        expect(m, words).not.toBeNull();
        expect(Number(m![1] ?? 0) * 1440 + Number(m![2] ?? 0) * 60 + Number(m![3] ?? 0)).toBe(minutes);
        // Days only from two days on; no unit is ever zero.
        expect(minutes < 48 * 60 ? m![1] : undefined).toBeUndefined();
        expect(words).not.toMatch(/\b0 /);
      }),
    );
  });

  it('never shrinks as time goes on, and always says something (property)', () => {
    const rank = (words: string) => {
      if (words === 'under a minute') return 0;
      const unit = { d: 1440, h: 60, min: 1 } as const;
      return [...words.matchAll(/(\d+) (d|h|min)/g)].reduce(
        (sum, [, n, u]) => sum + Number(n) * unit[u as keyof typeof unit],
        0,
      );
    };
    fc.assert(
      fc.property(fc.nat(10 ** 10), fc.nat(10 ** 8), (ms, more) => {
        expect(formatDuration(ms).length).toBeGreaterThan(0);
        expect(rank(formatDuration(ms + more))).toBeGreaterThanOrEqual(rank(formatDuration(ms)));
      }),
    );
  });
});

describe('time on hold', () => {
  const due = (iso: string) => ({ ackDueAt: d(iso), ackAlertAt: d(iso), resolveDueAt: d(iso) });

  it('counts working minutes between two times, skipping the night and the weekend', () => {
    // Friday 16:00 to Monday 10:00 UTC: one hour on Friday, one on Monday.
    expect(workingMinutesBetween(d('2026-03-06T16:00:00Z'), d('2026-03-09T10:00:00Z'), UTC)).toBe(120);
    expect(workingMinutesBetween(d('2026-03-09T10:00:00Z'), d('2026-03-06T16:00:00Z'), UTC)).toBe(0);
  });

  it('keeps the working time a target had left, counted again from the resumption', () => {
    // Resolve due Monday 12:00, held from Friday 16:00 to Tuesday 09:30.
    const after = dueTimesAfterHold(
      due('2026-03-09T12:00:00Z'),
      { heldFrom: d('2026-03-06T16:00:00Z'), resumedAt: d('2026-03-10T09:30:00Z') },
      'normal',
      UTC,
    );
    // 1 h Friday + 3 h Monday = 4 working hours left: Tuesday 09:30 + 4 h.
    expect(after.resolveDueAt).toEqual(d('2026-03-10T13:30:00Z'));
  });

  it('moves urgent targets by the wall-clock time held, and leaves targets already passed alone', () => {
    const held = { heldFrom: d('2026-03-06T16:00:00Z'), resumedAt: d('2026-03-06T18:30:00Z') };
    expect(dueTimesAfterHold(due('2026-03-06T17:00:00Z'), held, 'urgent', UTC).resolveDueAt).toEqual(
      d('2026-03-06T19:30:00Z'),
    );
    expect(dueTimesAfterHold(due('2026-03-06T15:00:00Z'), held, 'urgent', UTC).resolveDueAt).toEqual(
      d('2026-03-06T15:00:00Z'),
    );
  });

  it('never brings a target forward, and a hold of no time changes nothing (property)', () => {
    const instant = fc.date({ min: d('2026-01-01T00:00:00Z'), max: d('2026-12-31T00:00:00Z'), noInvalidDate: true });
    fc.assert(
      fc.property(
        instant,
        fc.nat(7 * 24 * 60),
        fc.nat(7 * 24 * 60),
        fc.constantFrom('urgent', 'normal') as fc.Arbitrary<'urgent' | 'normal'>,
        (heldFrom, heldFor, leftMinutes, priority) => {
          const target = addSlaMinutes(heldFrom, leftMinutes, priority, PARIS);
          const resumedAt = new Date(heldFrom.getTime() + heldFor * 60_000);
          const moved = dueTimesAfterHold(due(target.toISOString()), { heldFrom, resumedAt }, priority, PARIS);
          expect(moved.resolveDueAt.getTime()).toBeGreaterThanOrEqual(target.getTime());
          const same = dueTimesAfterHold(due(target.toISOString()), { heldFrom, resumedAt: heldFrom }, priority, PARIS);
          expect(same.resolveDueAt.getTime()).toBe(
            target > heldFrom
              ? addSlaMinutes(heldFrom, slaMinutesBetween(heldFrom, target, priority, PARIS), priority, PARIS).getTime()
              : target.getTime(),
          );
        },
      ),
      { numRuns: 200 },
    );
  });

  it('comes back on the first working minute of its date, in the department zone', () => {
    expect(holdEndsAt('2026-03-09', PARIS)).toEqual(d('2026-03-09T08:00:00Z'));
    // A Saturday: the Monday after.
    expect(holdEndsAt('2026-03-07', PARIS)).toEqual(d('2026-03-09T08:00:00Z'));
  });
});

describe('reopening', () => {
  it('lets the requester, the leads and people in the department channel reopen, and nobody else', () => {
    expect(mayReopen({ userId: 'UREQ', inDepartmentChannel: false }, 'UREQ', ['ULEAD'])).toBe(true);
    expect(mayReopen({ userId: 'ULEAD', inDepartmentChannel: false }, 'UREQ', ['ULEAD'])).toBe(true);
    expect(mayReopen({ userId: 'UANY', inDepartmentChannel: true }, 'UREQ', ['ULEAD'])).toBe(true);
    expect(mayReopen({ userId: 'UANY', inDepartmentChannel: false }, 'UREQ', ['ULEAD'])).toBe(false);
  });

  it('allows it for reopen-days after the resolution', () => {
    expect(reopenableUntil(d('2026-03-06T16:00:00Z'), 14)).toEqual(d('2026-03-20T16:00:00Z'));
  });
});
