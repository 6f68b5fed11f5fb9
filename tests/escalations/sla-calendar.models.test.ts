// Pure SLA calendar rules added for holidays and due-soon warnings: holidays skipped like weekends,
// working minutes between two instants, and when each warning falls.
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import {
  addWorkingMinutes,
  dueTimes,
  dueTimesAfterHold,
  isWorkingTime,
  thresholdsDue,
  type WorkingHours,
  warningsDue,
  workingMinutesBetween,
} from '../../src/escalations/escalations.models.ts';

const d = (iso: string) => new Date(iso);
const LONDON: WorkingHours = { workDays: [1, 2, 3, 4, 5], workStart: '09:00', workEnd: '17:00', timezone: 'UTC' };
const CHRISTMAS = new Set(['2026-12-24', '2026-12-25', '2027-01-01']);
const XMAS: WorkingHours = { ...LONDON, holidays: CHRISTMAS };

describe('holidays', () => {
  it('skips a holiday as it skips a weekend', () => {
    // Wednesday 23 Dec 16:00 + 4 working hours: 1h Wednesday, Thursday and Friday off, the weekend, 3h Monday.
    expect(addWorkingMinutes(d('2026-12-23T16:00:00Z'), 240, XMAS)).toEqual(d('2026-12-28T12:00:00Z'));
    expect(addWorkingMinutes(d('2026-12-23T16:00:00Z'), 240, LONDON)).toEqual(d('2026-12-24T12:00:00Z'));
    expect(isWorkingTime(d('2026-12-24T10:00:00Z'), XMAS)).toBe(false);
  });

  it('counts holidays in the department zone', () => {
    // 11:30 UTC on the 23rd is already 00:30 on the 24th in Auckland (UTC+13 in December).
    const auckland: WorkingHours = { ...XMAS, workStart: '00:00', workEnd: '23:59', timezone: 'Pacific/Auckland' };
    expect(isWorkingTime(d('2026-12-23T10:30:00Z'), auckland)).toBe(true);
    expect(isWorkingTime(d('2026-12-23T11:30:00Z'), auckland)).toBe(false);
  });

  it('moves normal and low due times past a holiday, not urgent ones', () => {
    const friday = d('2026-12-31T15:00:00Z'); // a Thursday: New Year's Day next, then a weekend
    const normal = dueTimes(friday, 'normal', { ackMinutes: 240, resolveHours: 24 }, XMAS);
    expect(normal.ackDueAt).toEqual(d('2027-01-04T11:00:00Z'));
    expect(dueTimes(friday, 'urgent', { ackMinutes: 240, resolveHours: 24 }, XMAS).ackDueAt).toEqual(
      d('2026-12-31T19:00:00Z'),
    );
  });

  it('sends no reminder for normal priority on a holiday', () => {
    const e = {
      status: 'open' as const,
      priority: 'normal' as const,
      ackDueAt: d('2026-12-23T10:00:00Z'),
      ackAlertAt: d('2026-12-23T11:00:00Z'),
      resolveDueAt: d('2026-12-23T15:00:00Z'),
    };
    expect(thresholdsDue(e, d('2026-12-24T10:00:00Z'), XMAS)).toEqual([]);
    expect(thresholdsDue(e, d('2026-12-24T10:00:00Z'), LONDON)).toEqual(['ack', 'ack_alert', 'resolve']);
  });

  const dates = fc
    .array(fc.date({ min: d('2026-01-01'), max: d('2026-03-31'), noInvalidDate: true }), { maxLength: 20 })
    .map((list) => new Set(list.map((x) => x.toISOString().slice(0, 10))));

  it('never lands on a holiday, and holidays only ever make a due time later (property)', () => {
    fc.assert(
      fc.property(
        fc.date({ min: d('2026-01-01'), max: d('2026-03-01'), noInvalidDate: true }),
        fc.integer({ min: 1, max: 5000 }),
        dates,
        (start, minutes, holidays) => {
          const hours = { ...LONDON, holidays };
          const due = addWorkingMinutes(start, minutes, hours);
          expect(holidays.has(new Date(due.getTime() - 1).toISOString().slice(0, 10))).toBe(false);
          expect(due.getTime()).toBeGreaterThanOrEqual(addWorkingMinutes(start, minutes, LONDON).getTime());
        },
      ),
      { numRuns: 200 },
    );
  });

  it('counts back exactly the working minutes it added (property)', () => {
    fc.assert(
      fc.property(
        fc.date({ min: d('2026-01-01'), max: d('2026-03-01'), noInvalidDate: true }),
        fc.integer({ min: 0, max: 5000 }),
        dates,
        (start, minutes, holidays) => {
          const hours = { ...LONDON, holidays };
          const due = addWorkingMinutes(start, minutes, hours);
          expect(workingMinutesBetween(start, due, hours)).toBeCloseTo(minutes, 6);
        },
      ),
      { numRuns: 200 },
    );
  });
});

const TARGET_8H = { ackMinutes: 60, resolveHours: 8 };
const TARGET_4H = { ackMinutes: 60, resolveHours: 4 };

describe('due-soon warnings', () => {
  it('falls at the share of working time for normal priority, across a weekend and a holiday', () => {
    // Raised Wednesday 23 Dec 16:00, ack target 240 working minutes: due Monday 28th 12:00 (see above).
    const createdAt = d('2026-12-23T16:00:00Z');
    const target = { ackMinutes: 240, resolveHours: 8 };
    const due = dueTimes(createdAt, 'normal', target, XMAS);
    // 180 working minutes: 60 on Wednesday, 120 on Monday.
    const e = { createdAt, status: 'open' as const, priority: 'normal' as const, ...due };
    expect(warningsDue(e, d('2026-12-28T10:59:00Z'), XMAS, 75, target)).toEqual([]);
    expect(warningsDue(e, d('2026-12-28T11:00:00Z'), XMAS, 75, target)).toEqual(['ack_warning']);
    // Past the target itself the overdue reminder speaks, not the warning.
    expect(warningsDue(e, d('2026-12-28T12:00:00Z'), XMAS, 75, target)).toEqual([]);
  });

  it('counts the time left after a hold and from a reopening, not the time since raising', () => {
    // Thursday 09:00, normal, 24 working hours: due Monday 17:00, warned at 18 h (Monday 11:00).
    const target = { ackMinutes: 240, resolveHours: 24 };
    const createdAt = d('2026-03-05T09:00:00Z');
    const due = dueTimes(createdAt, 'normal', target, LONDON);
    // On hold Friday 15:00 (14 h used) to Tuesday 11:00: 4 working hours to the warning, so Tuesday 15:00.
    const held = dueTimesAfterHold(
      due,
      { heldFrom: d('2026-03-06T15:00:00Z'), resumedAt: d('2026-03-10T11:00:00Z') },
      'normal',
      LONDON,
    );
    expect(held.resolveDueAt).toEqual(d('2026-03-11T13:00:00Z'));
    const e = { createdAt, status: 'claimed' as const, priority: 'normal' as const, ...held };
    expect(warningsDue(e, d('2026-03-10T11:00:00Z'), LONDON, 75, target)).toEqual([]);
    expect(warningsDue(e, d('2026-03-10T14:59:00Z'), LONDON, 75, target)).toEqual([]);
    expect(warningsDue(e, d('2026-03-10T15:00:00Z'), LONDON, 75, target)).toEqual(['resolve_warning']);
    // Reopened the next Thursday at 10:00: new targets, warned 18 working hours on (Monday 12:00).
    const reopened = { ...e, ...dueTimes(d('2026-03-12T10:00:00Z'), 'normal', target, LONDON) };
    expect(warningsDue(reopened, d('2026-03-16T11:59:00Z'), LONDON, 75, target)).toEqual([]);
    expect(warningsDue(reopened, d('2026-03-16T12:00:00Z'), LONDON, 75, target)).toEqual(['resolve_warning']);
  });

  it('warns around the clock for urgent and high, in working hours only for normal and low', () => {
    const createdAt = d('2026-03-06T23:00:00Z'); // Friday night
    const e = {
      createdAt,
      status: 'claimed' as const,
      priority: 'high' as const,
      ...dueTimes(createdAt, 'high', TARGET_8H, LONDON),
    };
    expect(warningsDue(e, d('2026-03-07T05:00:00Z'), LONDON, 75, TARGET_8H)).toEqual(['resolve_warning']);
    expect(warningsDue({ ...e, status: 'open' }, d('2026-03-06T23:45:00Z'), LONDON, 75, TARGET_8H)).toEqual([
      'ack_warning',
    ]);
    expect(warningsDue({ ...e, priority: 'normal' }, d('2026-03-07T05:00:00Z'), LONDON, 75, TARGET_8H)).toEqual([]);
  });

  it('says nothing once closed or when warnings are off', () => {
    const createdAt = d('2026-03-02T10:00:00Z');
    const e = {
      createdAt,
      status: 'resolved' as const,
      priority: 'urgent' as const,
      ...dueTimes(createdAt, 'urgent', TARGET_4H, LONDON),
    };
    expect(warningsDue(e, d('2026-03-02T10:50:00Z'), LONDON, 75, TARGET_4H)).toEqual([]);
    expect(warningsDue({ ...e, status: 'open' }, d('2026-03-02T10:50:00Z'), LONDON, 0, TARGET_4H)).toEqual([]);
  });
});
