// Pure rules for escalations: state transitions, SLA due times with business hours, reminders.
import { DateTime } from 'luxon';
import type { Priority, SlaTarget } from '../departments/departments.models.ts';

/** Slack's limit for a section's text, and so for a summary. */
export const MAX_SUMMARY = 3000;

export const STATUSES = ['open', 'claimed', 'resolved', 'reassigned'] as const;
export type EscalationStatus = (typeof STATUSES)[number];
export type EscalationEventKind = 'created' | 'claimed' | 'released' | 'resolved' | 'reassigned' | 'reminded';
export type EscalationAction = 'claim' | 'release' | 'resolve' | 'reassign';
export type ReminderThreshold = 'ack' | 'ack_alert' | 'resolve';

/** The statuses each action may start from; the database UPDATEs use the same lists as their WHERE. */
export const ALLOWED_FROM: Record<EscalationAction, readonly EscalationStatus[]> = {
  claim: ['open'],
  release: ['claimed'],
  resolve: ['open', 'claimed'],
  reassign: ['open', 'claimed'],
};

export const STATUS_AFTER: Record<EscalationAction, EscalationStatus> = {
  claim: 'claimed',
  release: 'open',
  resolve: 'resolved',
  reassign: 'reassigned',
};

/** The status after `action`, or undefined when the escalation cannot take it from `status`. */
export function transition(status: EscalationStatus, action: EscalationAction): EscalationStatus | undefined {
  return ALLOWED_FROM[action].includes(status) ? STATUS_AFTER[action] : undefined;
}

export const isLive = (status: EscalationStatus) => status === 'open' || status === 'claimed';

export interface WorkingHours {
  /** ISO weekdays, 1 = Monday. */
  workDays: number[];
  workStart: string;
  workEnd: string;
  timezone: string;
}

/** Urgent and high run around the clock; normal and low count working time only. */
export const countsWorkingTimeOnly = (priority: Priority) => priority === 'normal' || priority === 'low';

function windowOf(day: DateTime, hours: WorkingHours): { start: DateTime; end: DateTime } | undefined {
  if (!hours.workDays.includes(day.weekday)) return undefined;
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
  let remaining = minutes;
  for (let i = 0; i < MAX_DAYS; i++, day = day.plus({ days: 1 }).startOf('day')) {
    const window = windowOf(day, hours);
    if (!window || startAt >= window.end) continue;
    const from = startAt > window.start ? startAt : window.start;
    const available = window.end.diff(from, 'minutes').minutes;
    if (remaining <= available) return from.plus({ minutes: remaining }).toJSDate();
    remaining -= available;
  }
  return new Date(start.getTime() + minutes * 60_000);
}

/** `at` itself when it falls in working hours, else when the next working window opens. */
export function nextWorkingTime(at: Date, hours: WorkingHours): Date {
  return addWorkingMinutes(at, 0, hours);
}

export const isWorkingTime = (at: Date, hours: WorkingHours) => nextWorkingTime(at, hours).getTime() === at.getTime();

export interface DueTimes {
  ackDueAt: Date;
  ackAlertAt: Date;
  resolveDueAt: Date;
}

/** When an escalation raised at `start` must be acknowledged (and alerted at twice that) and resolved. */
export function dueTimes(start: Date, priority: Priority, target: SlaTarget, hours: WorkingHours): DueTimes {
  const add = (minutes: number) =>
    countsWorkingTimeOnly(priority) ? addWorkingMinutes(start, minutes, hours) : new Date(start.getTime() + minutes * 60_000);
  return { ackDueAt: add(target.ackMinutes), ackAlertAt: add(2 * target.ackMinutes), resolveDueAt: add(target.resolveHours * 60) };
}

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

/** "2h 5m", "3d 4h", "12m": how long something took, for people. */
export function formatDuration(ms: number): string {
  const minutes = Math.max(0, Math.round(ms / 60_000));
  if (minutes < 60) return `${minutes}m`;
  const hours = Math.floor(minutes / 60);
  if (hours < 48) return minutes % 60 ? `${hours}h ${minutes % 60}m` : `${hours}h`;
  const days = Math.floor(hours / 24);
  return hours % 24 ? `${days}d ${hours % 24}h` : `${days}d`;
}
