// Pure rules of shadow rotations: when sessions happen, what counts as a turn, date input. No I/O.
import { DateTime } from 'luxon';
import { z } from 'zod';
import { SLACK_USER_ID } from '../slack/mentions.ts';
import { codeSpan } from '../slack/mrkdwn.ts';
import { timeZoneSchema } from '../time-zones.ts';

export const CADENCES = ['weekly', 'biweekly'] as const;
export type Cadence = (typeof CADENCES)[number];

export const SESSION_STATUSES = ['planned', 'offered', 'accepted', 'declined', 'held', 'no_show', 'cancelled'] as const;
export type SessionStatus = (typeof SESSION_STATUSES)[number];
/** A seat someone holds (or is being asked to hold) for a future session. */
export const OPEN_STATUSES: SessionStatus[] = ['planned', 'offered', 'accepted'];
/** What counts as a turn for fairness: sessions held, missed, and declined. */
export const TURN_STATUSES: SessionStatus[] = ['held', 'no_show', 'declined'];

export const WEEKDAYS = ['Monday', 'Tuesday', 'Wednesday', 'Thursday', 'Friday', 'Saturday', 'Sunday'] as const;

const hhmm = z.string().regex(/^([01]\d|2[0-3]):[0-5]\d$/, 'Times look like 14:00');

const unique = (ids: string[]) => [...new Set(ids)];

/** What an admin sets when creating or editing a rotation. */
export const rotationSettingsSchema = z
  .object({
    name: z.string().trim().min(1, 'Give the rotation a name').max(60, 'Keep the name under 60 characters'),
    cadence: z.enum(CADENCES, { error: 'Pick weekly or every two weeks' }),
    weekday: z.coerce.number({ error: 'Pick a weekday' }).int().min(1, 'Pick a weekday').max(7, 'Pick a weekday'),
    startTime: hhmm,
    durationMinutes: z.coerce
      .number({ error: 'Duration is a number of minutes' })
      .int('Duration is a whole number of minutes')
      .min(15, 'Sessions last at least 15 minutes')
      .max(480, 'Sessions last at most 8 hours'),
    timezone: timeZoneSchema,
    shadowsPerSession: z.coerce
      .number({ error: 'Shadows per session is a number' })
      .int('Shadows per session is a whole number')
      .min(1, 'At least one shadow per session')
      .max(10, 'At most 10 shadows per session'),
    planAheadWeeks: z.coerce
      .number({ error: 'Plan ahead is a number of weeks' })
      .int('Plan ahead is a whole number of weeks')
      .min(1, 'Plan at least 1 week ahead')
      .max(26, 'Plan at most 26 weeks ahead'),
    usergroupId: z.string().nullable(),
    // Each person once: a repeated id would break the members' and hosts' primary keys (and read as a taken name).
    userIds: z.array(z.string().regex(SLACK_USER_ID, 'Pick people from the list')).transform(unique),
    hostIds: z
      .array(z.string().regex(SLACK_USER_ID, 'Pick people from the list'))
      .min(1, 'Pick at least one host')
      .transform(unique),
  })
  // Sessions fill from a group, or from enough people for one session's seats.
  // Checked even when other fields are wrong, so the form shows every problem at once.
  .superRefine(
    (r, ctx) => {
      const seats = Number.isInteger(r.shadowsPerSession) && r.shadowsPerSession > 0 ? r.shadowsPerSession : 1;
      const people = Array.isArray(r.userIds) ? r.userIds.length : 0;
      if (!r.usergroupId && people < seats)
        ctx.addIssue({ code: 'custom', path: ['userIds'], message: participantRule(seats) });
    },
    { when: () => true },
  );

/** The participant rule, as the form states it and as it refuses a rotation that breaks it. */
export const participantRule = (seats: number) =>
  `Pick a user group, or at least ${seats === 1 ? 'one person' : `${seats} people (one per shadow seat)`}`;
export type RotationSettings = z.infer<typeof rotationSettingsSchema>;

export interface SlotRule {
  cadence: Cadence;
  weekday: number;
  startTime: string;
  timezone: string;
  /** First date sessions may fall on (YYYY-MM-DD); biweekly counts fortnights from it. */
  anchorDate: string;
}

export interface Slot {
  startsAt: Date;
  /** The session's local date in the rotation's time zone. */
  date: string;
}

/** The sessions of a rotation starting after `from` and before `from + weeks`. */
export function upcomingSlots(rule: SlotRule, from: Date, weeks: number): Slot[] {
  const [hour, minute] = rule.startTime.split(':').map(Number) as [number, number];
  const anchor = DateTime.fromISO(rule.anchorDate, { zone: rule.timezone }).startOf('day');
  // The first session: the anchor's week, on the rotation's weekday.
  let day = anchor.plus({ days: (rule.weekday - anchor.weekday + 7) % 7 });
  const step = rule.cadence === 'weekly' ? 1 : 2;
  const start = DateTime.fromJSDate(from, { zone: rule.timezone });
  const end = start.plus({ weeks });
  if (day < start.startOf('day')) {
    const weeksBehind = Math.floor(start.startOf('day').diff(day, 'weeks').weeks);
    day = day.plus({ weeks: weeksBehind - (weeksBehind % step) });
  }
  const slots: Slot[] = [];
  for (; day < end; day = day.plus({ weeks: step })) {
    const at = day.set({ hour, minute, second: 0, millisecond: 0 });
    if (at > start && at < end) slots.push({ startsAt: at.toJSDate(), date: at.toISODate()! });
  }
  return slots;
}

/** The local date (YYYY-MM-DD) of an instant in a zone. */
export const localDate = (at: Date, zone: string) => DateTime.fromJSDate(at, { zone }).toISODate()!;

const isoDate = z
  .string()
  .regex(/^\d{4}-\d{2}-\d{2}$/)
  .refine((d) => DateTime.fromISO(d).isValid);

/** Parses `/shadow away <from> [<to>]` dates against today's date; throws a message on bad input. */
export function parseAwayRange(args: string[], today: string): { from: string; to: string } | { error: string } {
  if (args.length < 1 || args.length > 2)
    return { error: 'Give the first day you are away, and the last one if it is more than one day.' };
  const [from, to = from] = args as [string, string?];
  for (const d of [from, to])
    if (!isoDate.safeParse(d).success)
      return { error: `${codeSpan(d ?? '')} is not a date. Dates look like 2026-03-16.` };
  if (to < from) return { error: 'The last day comes before the first one.' };
  if (to < today) return { error: `Those dates are in the past (today is ${today}).` };
  return { from: from < today ? today : from, to: to! };
}

/** Session end: start plus duration. */
export const sessionEnd = (startsAt: Date, durationMinutes: number) =>
  new Date(startsAt.getTime() + durationMinutes * 60_000);

export const describeCadence = (r: {
  cadence: Cadence;
  weekday: number;
  startTime: string;
  timezone: string;
  durationMinutes: number;
}) =>
  `${r.cadence === 'weekly' ? 'every' : 'every other'} ${WEEKDAYS[r.weekday - 1]} at ${r.startTime} ${r.timezone} for ${r.durationMinutes} min`;
