// Pure rules for escalations: state transitions, SLA due times with business hours, reminders.
import { DateTime } from 'luxon';
import { z } from 'zod';
import type { IntakeField, Priority, SlaTarget } from '../departments/departments.models.ts';

/** Slack's limit for a section's text, and so for a summary. */
export const MAX_SUMMARY = 3000;
export const MAX_FIELD_ANSWER = 500;

/**
 * Checks typed answers (by field label) against a department's intake fields: the answers by label
 * (kept in the escalation's fields, so renaming a field keeps history), empty optional ones left out,
 * or a message per field that is missing or too long.
 */
export function answerIntakeFields(
  fields: IntakeField[],
  typed: Record<string, string | undefined>,
): { ok: true; answers: Record<string, string> } | { ok: false; errors: Record<string, string> } {
  const answers: Record<string, string> = {};
  const errors: Record<string, string> = {};
  for (const field of fields) {
    const value = (typed[field.label] ?? '').trim();
    if (!value && field.required) errors[field.label] = `${field.label} is required for this team`;
    else if (value.length > MAX_FIELD_ANSWER) errors[field.label] = `Keep it under ${MAX_FIELD_ANSWER} characters`;
    else if (value) answers[field.label] = value;
  }
  return Object.keys(errors).length ? { ok: false, errors } : { ok: true, answers };
}

/** Where an escalation was raised: in Slack, or by another tool through the REST API. */
export type RaisedVia = 'slack' | 'api';

/** Extra fields a tool sent with an escalation: a flat map of names to plain values. */
export type EscalationFields = Record<string, string | number | boolean | null>;

export const ESCALATION_REF = 'ESC';

export const STATUSES = ['open', 'claimed', 'on_hold', 'resolved', 'reassigned'] as const;
export type EscalationStatus = (typeof STATUSES)[number];
export type EscalationEventKind =
  | 'created'
  | 'claimed'
  | 'released'
  | 'resolved'
  | 'reassigned'
  | 'reminded'
  | 'assigned'
  | 'handed_back'
  | 'rated'
  | 'put_on_hold'
  | 'resumed'
  | 'reopened';
/** The requester's answer to "How was this handled?". */
export const RATINGS = ['good', 'bad'] as const;
export type Rating = (typeof RATINGS)[number];
/** Every action on an escalation, in the order its card offers them (the first one it offers is primary). */
export const ACTIONS = ['claim', 'resume', 'reopen', 'resolve', 'release', 'hold', 'reassign', 'hand_back'] as const;
export type EscalationAction = (typeof ACTIONS)[number];
export type ReminderThreshold = 'ack' | 'ack_alert' | 'resolve' | WarningThreshold;
/** Due-soon warnings: a share of the acknowledge or resolve target has gone by. */
export type WarningThreshold = 'ack_warning' | 'resolve_warning';

/** The statuses each action may start from; the database UPDATEs use the same lists as their WHERE. */
export const ALLOWED_FROM: Record<EscalationAction, readonly EscalationStatus[]> = {
  claim: ['open'],
  release: ['claimed'],
  resolve: ['open', 'claimed', 'on_hold'],
  reassign: ['open', 'claimed'],
  hold: ['claimed'],
  resume: ['on_hold'],
  reopen: ['resolved'],
  // Only its assignee, and only while it is assigned (see ONLY_WHEN_ASSIGNED).
  hand_back: ['open'],
};

/** Actions that need the escalation assigned to someone (round-robin) besides the status. */
export const ONLY_WHEN_ASSIGNED: readonly EscalationAction[] = ['hand_back'];

export const STATUS_AFTER: Record<EscalationAction, EscalationStatus> = {
  claim: 'claimed',
  release: 'open',
  resolve: 'resolved',
  reassign: 'reassigned',
  hold: 'on_hold',
  resume: 'claimed',
  // Back to its claimer; to the queue instead when they are away (see reopenedStatus).
  reopen: 'claimed',
  hand_back: 'open',
};

/** The event each action records. */
export const EVENT_OF: Record<EscalationAction, EscalationEventKind> = {
  claim: 'claimed',
  release: 'released',
  resolve: 'resolved',
  reassign: 'reassigned',
  hold: 'put_on_hold',
  resume: 'resumed',
  reopen: 'reopened',
  hand_back: 'handed_back',
};

/** The status after `action`, or undefined when the escalation cannot take it from `status`. */
export function transition(status: EscalationStatus, action: EscalationAction): EscalationStatus | undefined {
  return ALLOWED_FROM[action].includes(status) ? STATUS_AFTER[action] : undefined;
}

/** The actions an escalation in `status` (and assigned or not) can take, in the card's order: its buttons. */
export const actionsAllowed = (status: EscalationStatus, { assigned = false }: { assigned?: boolean } = {}) =>
  ACTIONS.filter(
    (action) => ALLOWED_FROM[action].includes(status) && (assigned || !ONLY_WHEN_ASSIGNED.includes(action)),
  );

/**
 * Whose turn it is after `last`: members in a fixed order (by id), the first one after `last` who is
 * `eligible`, wrapping round; someone who left the group still marks the place. Undefined if nobody is.
 */
export function nextInTurn(
  members: readonly string[],
  last: string | null,
  eligible: (userId: string) => boolean,
): string | undefined {
  const order = [...new Set(members)].sort();
  // findIndex gives -1 when `last` sorts after everyone: start again from the first.
  const start =
    last === null
      ? 0
      : Math.max(
          0,
          order.findIndex((id) => id > last),
        );
  for (let i = 0; i < order.length; i++) {
    const id = order[(start + i) % order.length]!;
    if (eligible(id)) return id;
  }
  return undefined;
}

/** Open or claimed: its clocks run and it is reminded about. On hold, they stop. */
export const isLive = (status: EscalationStatus) => status === 'open' || status === 'claimed';

/** Not finished yet: live or on hold, so it still belongs in people's lists. */
export const isUnfinished = (status: EscalationStatus) => isLive(status) || status === 'on_hold';

export interface WorkingHours {
  /** ISO weekdays, 1 = Monday. */
  workDays: number[];
  workStart: string;
  workEnd: string;
  timezone: string;
  /** Local dates (YYYY-MM-DD, in `timezone`) nobody works, whatever the weekday: skipped like weekends. */
  holidays?: ReadonlySet<string>;
}

/** Urgent and high run around the clock; normal and low count working time only. */
export const countsWorkingTimeOnly = (priority: Priority) => priority === 'normal' || priority === 'low';

function windowOf(day: DateTime, hours: WorkingHours): { start: DateTime; end: DateTime } | undefined {
  if (!hours.workDays.includes(day.weekday) || hours.holidays?.has(day.toISODate() ?? '')) return undefined;
  const [sh = 0, sm = 0] = hours.workStart.split(':').map(Number);
  const [eh = 0, em = 0] = hours.workEnd.split(':').map(Number);
  const midnight = day.startOf('day');
  return { start: midnight.set({ hour: sh, minute: sm }), end: midnight.set({ hour: eh, minute: em }) };
}

// Two years of days: far beyond any SLA, and a guard against a calendar with no working days.
const MAX_DAYS = 730;

/** `minutes` of working time after `start`, skipping nights, weekends and other non-working days. */
export function addWorkingMinutes(start: Date, minutes: number, hours: WorkingHours): Date {
  let day = DateTime.fromJSDate(start, { zone: hours.timezone });
  const startAt = day;
  // Whole milliseconds: fractional minutes left over from a start with milliseconds would round away.
  let remaining = Math.round(minutes * 60_000);
  for (let i = 0; i < MAX_DAYS; i++, day = day.plus({ days: 1 }).startOf('day')) {
    const window = windowOf(day, hours);
    if (!window || startAt >= window.end) continue;
    const from = DateTime.max(startAt, window.start);
    const available = window.end.toMillis() - from.toMillis();
    if (remaining <= available) return new Date(from.toMillis() + remaining);
    remaining -= available;
  }
  return new Date(start.getTime() + minutes * 60_000);
}

/** `at` itself when it falls in working hours, else when the next working window opens. */
export function nextWorkingTime(at: Date, hours: WorkingHours): Date {
  return addWorkingMinutes(at, 0, hours);
}

/** The calendar date (YYYY-MM-DD) at `at` in `zone`. */
export const localDateOf = (at: Date, zone: string) => DateTime.fromJSDate(at, { zone }).toISODate()!;

export const isWorkingTime = (at: Date, hours: WorkingHours) => nextWorkingTime(at, hours).getTime() === at.getTime();

export interface DueTimes {
  ackDueAt: Date;
  ackAlertAt: Date;
  resolveDueAt: Date;
}

/** `minutes` of SLA time after `start`: working time for normal and low, around the clock for urgent and high. */
export function addSlaMinutes(start: Date, minutes: number, priority: Priority, hours: WorkingHours): Date {
  return countsWorkingTimeOnly(priority)
    ? addWorkingMinutes(start, minutes, hours)
    : new Date(start.getTime() + minutes * 60_000);
}

/** Minutes of working time between `from` and `to` (none when `to` is not after `from`). */
export function workingMinutesBetween(from: Date, to: Date, hours: WorkingHours): number {
  const start = DateTime.fromJSDate(from, { zone: hours.timezone });
  const end = DateTime.fromJSDate(to, { zone: hours.timezone });
  let minutes = 0;
  for (let day = start.startOf('day'), i = 0; day < end && i < MAX_DAYS; day = day.plus({ days: 1 }), i++) {
    const window = windowOf(day, hours);
    if (!window) continue;
    const overlap = DateTime.min(window.end, end).diff(DateTime.max(window.start, start), 'minutes').minutes;
    if (overlap > 0) minutes += overlap;
  }
  return minutes;
}

/** Minutes of SLA time between `from` and `to`, counted the way `addSlaMinutes` adds them. */
export function slaMinutesBetween(from: Date, to: Date, priority: Priority, hours: WorkingHours): number {
  return countsWorkingTimeOnly(priority)
    ? workingMinutesBetween(from, to, hours)
    : Math.max(0, (to.getTime() - from.getTime()) / 60_000);
}

/** When an escalation raised at `start` must be acknowledged (and alerted at twice that) and resolved. */
export function dueTimes(start: Date, priority: Priority, target: SlaTarget, hours: WorkingHours): DueTimes {
  const add = (minutes: number) => addSlaMinutes(start, minutes, priority, hours);
  return {
    ackDueAt: add(target.ackMinutes),
    ackAlertAt: add(2 * target.ackMinutes),
    resolveDueAt: add(target.resolveHours * 60),
  };
}

/**
 * The clocks stop on hold: a target still ahead when the hold began keeps the SLA time it had left,
 * counted again from the resumption. A target already passed stays where it was.
 */
export function dueTimesAfterHold(
  due: DueTimes,
  { heldFrom, resumedAt }: { heldFrom: Date; resumedAt: Date },
  priority: Priority,
  hours: WorkingHours,
): DueTimes {
  const moved = (at: Date) =>
    at <= heldFrom ? at : addSlaMinutes(resumedAt, slaMinutesBetween(heldFrom, at, priority, hours), priority, hours);
  return { ackDueAt: moved(due.ackDueAt), ackAlertAt: moved(due.ackAlertAt), resolveDueAt: moved(due.resolveDueAt) };
}

/** Why an escalation waits; the two usual ones are offered as choices, anything else is typed. */
export const HOLD_REASONS = { customer: 'waiting on customer', vendor: 'waiting on vendor' } as const;
export type HoldReasonChoice = keyof typeof HOLD_REASONS | 'other';

/** What brought an escalation back from hold. */
export type ResumedBy = { by: 'button'; userId: string } | { by: 'date' } | { by: 'reply'; userId: string };

/** When a hold with a date to come back ends: that date's first working minute in the department. */
export function holdEndsAt(localDate: string, hours: WorkingHours): Date {
  return nextWorkingTime(DateTime.fromISO(localDate, { zone: hours.timezone }).startOf('day').toJSDate(), hours);
}

/** Raised to resolved, less the time on hold: what the card and the digest call the time to resolve. */
export const timeToResolveMs = (e: { createdAt: Date; resolvedAt: Date; heldMs: number }) =>
  Math.max(0, e.resolvedAt.getTime() - e.createdAt.getTime() - e.heldMs);

export const REOPEN_DAYS_SETTING = 'reopen-days';
export const DEFAULT_REOPEN_DAYS = 14;
export const reopenDaysSchema = z.coerce
  .number({ error: 'Give a number of days' })
  .int('Give a whole number of days')
  .min(0, 'Give 0 (never reopen) or more days')
  .max(365, 'The reopen window can be at most 365 days');

/** Until when a resolution may be reopened. */
export const reopenableUntil = (resolvedAt: Date, reopenDays: number) =>
  new Date(resolvedAt.getTime() + reopenDays * 24 * 3600_000);

/**
 * Who may reopen: the requester, the department's leads, or anyone clicking the card in the department's
 * channel (Slack only shows them the card there if they are in it).
 */
export function mayReopen(
  who: { userId: string; inDepartmentChannel: boolean },
  requesterId: string | null,
  leads: string[],
) {
  return who.userId === requesterId || leads.includes(who.userId) || who.inDepartmentChannel;
}

/** A reopened escalation goes back to its claimer, or to the queue when they are away (or there was none). */
export const reopenedStatus = (claimerAvailable: boolean): EscalationStatus => (claimerAvailable ? 'claimed' : 'open');

export interface ReminderCandidate {
  status: EscalationStatus;
  priority: Priority;
  ackDueAt: Date;
  ackAlertAt: Date;
  resolveDueAt: Date;
}

/** The reminder thresholds passed at `now`; normal and low wait for working hours so nobody is pinged at night. */
export function thresholdsDue(e: ReminderCandidate, now: Date, hours: WorkingHours): ReminderThreshold[] {
  if (!isLive(e.status)) return [];
  if (countsWorkingTimeOnly(e.priority) && !isWorkingTime(now, hours)) return [];
  const due: ReminderThreshold[] = [];
  if (e.status === 'open' && now >= e.ackDueAt) due.push('ack');
  if (e.status === 'open' && now >= e.ackAlertAt) due.push('ack_alert');
  if (now >= e.resolveDueAt) due.push('resolve');
  return due;
}

/** The share of each target after which its claimer (or the leads) hear it is due soon, unless set otherwise. */
export const DEFAULT_SLA_WARN_PERCENT = 75;

/**
 * The due-soon warnings passed at `now` and still worth sending (the target itself not reached yet:
 * then the overdue reminder speaks). A warning falls when the SLA time left before a target is down to
 * `100 - percent`% of the target's length, counted like the target (working time for normal and low).
 * Counting what is left, not what has gone by since raising, keeps it right after a hold (the clocks
 * stopped, so the time left is what it was) and after a reopening (new targets from then). The length is
 * the department's target, or less when the due time was set under a shorter one. Normal and low wait
 * for working hours, like reminders.
 */
export function warningsDue(
  e: ReminderCandidate & { createdAt: Date },
  now: Date,
  hours: WorkingHours,
  percent: number,
  target: SlaTarget,
): WarningThreshold[] {
  if (!isLive(e.status) || percent <= 0) return [];
  if (countsWorkingTimeOnly(e.priority) && !isWorkingTime(now, hours)) return [];
  const between = (from: Date, to: Date) => slaMinutesBetween(from, to, e.priority, hours);
  const reached = (due: Date, targetMinutes: number) =>
    now < due && between(now, due) <= (Math.min(targetMinutes, between(e.createdAt, due)) * (100 - percent)) / 100;
  const due: WarningThreshold[] = [];
  if (e.status === 'open' && reached(e.ackDueAt, target.ackMinutes)) due.push('ack_warning');
  if (reached(e.resolveDueAt, target.resolveHours * 60)) due.push('resolve_warning');
  return due;
}

/**
 * "under a minute", "12 min", "2 h 5 min", "3 d 4 h 10 min": how long one escalation took, in words,
 * to the whole minute, in days from two days on. The digest's medians round further ("2.5 days").
 */
export function formatDuration(ms: number): string {
  const minutes = Math.max(0, Math.floor(ms / 60_000));
  if (minutes < 1) return 'under a minute';
  const days = minutes >= 48 * 60 ? Math.floor(minutes / 1440) : 0;
  const hours = Math.floor((minutes - days * 1440) / 60);
  const parts = [days && `${days} d`, hours && `${hours} h`, minutes % 60 && `${minutes % 60} min`];
  return parts.filter(Boolean).join(' ');
}

/** Where one SLA target stands: still running, passed while still running, or met or missed when done. */
export type SlaStanding = 'on_track' | 'overdue' | 'met' | 'missed' | 'not_applicable';

/** Measures `doneAt` (or, if not done, `now`) against `dueAt`; a target never reached on a closed escalation does not apply. */
/** Where an escalation's SLA clocks stand at `now`: stopped at the start of its hold, if on hold. */
export const slaClockOf = (e: { status: EscalationStatus; holdSince: Date | null }, now: Date) => ({
  now: e.holdSince ?? now,
  live: isUnfinished(e.status),
});

export function slaStanding(
  dueAt: Date,
  doneAt: Date | null,
  { now, live }: { now: Date; live: boolean },
): SlaStanding {
  if (doneAt) return doneAt <= dueAt ? 'met' : 'missed';
  if (!live) return 'not_applicable';
  return now <= dueAt ? 'on_track' : 'overdue';
}
