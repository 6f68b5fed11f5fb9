import { DateTime } from 'luxon';
import { z } from 'zod';

export const PRIORITIES = ['urgent', 'high', 'normal', 'low'] as const;
export type Priority = (typeof PRIORITIES)[number];

export interface SlaTarget {
  /** Minutes until somebody must acknowledge (claim). */
  ackMinutes: number;
  /** Hours until it must be resolved. */
  resolveHours: number;
}
export type SlaTargets = Record<Priority, SlaTarget>;

/** Defaults that suit most teams: urgent within the quarter hour, low within a few working days. */
export const DEFAULT_SLA: SlaTargets = {
  urgent: { ackMinutes: 15, resolveHours: 4 },
  high: { ackMinutes: 60, resolveHours: 8 },
  normal: { ackMinutes: 240, resolveHours: 24 },
  low: { ackMinutes: 480, resolveHours: 72 },
};

export const departmentKeySchema = z
  .string()
  .trim()
  .toLowerCase()
  .regex(
    /^[a-z0-9][a-z0-9-]{0,31}$/,
    'a department key is a short slug of letters, digits and dashes, such as `billing`',
  );

export const prioritySchema = z.enum(PRIORITIES, { error: 'priority must be urgent, high, normal or low' });

export const slaTargetSchema = z.object({
  ackMinutes: z
    .number({ error: 'acknowledge minutes must be a whole number' })
    .int('acknowledge minutes must be a whole number')
    .min(1, 'acknowledge minutes must be at least 1')
    .max(60 * 24 * 30, 'acknowledge minutes must be at most 43200 (30 days)'),
  resolveHours: z
    .number({ error: 'resolve hours must be a number' })
    .min(0.25, 'resolve hours must be at least 0.25')
    .max(24 * 365, 'resolve hours must be at most 8760 (a year)'),
});

export const hhmmSchema = z.string().regex(/^([01]\d|2[0-3]):[0-5]\d$/, 'times are HH:MM, such as 09:00');

/** Keywords that suggest a department: lower case, unique, each short. */
export const keywordsSchema = z
  .array(z.string().trim().toLowerCase().max(40, 'keep each keyword under 40 characters'))
  .transform((words) => [...new Set(words.filter(Boolean))]);

/** A question a department needs answered on every escalation, such as "Invoice number". */
export interface IntakeField {
  label: string;
  required: boolean;
}

export const MAX_INTAKE_FIELDS = 8;
export const MAX_FIELD_LABEL = 50;

/** A department's intake fields: each named once (case aside), a modal's worth at most. */
export const intakeFieldsSchema = z
  .array(
    z.object({
      label: z
        .string()
        .trim()
        .min(1, 'give each field a name')
        .max(MAX_FIELD_LABEL, `keep each field name under ${MAX_FIELD_LABEL} characters`),
      required: z.boolean().default(false),
    }),
  )
  .max(MAX_INTAKE_FIELDS, `a department asks for at most ${MAX_INTAKE_FIELDS} fields`)
  .refine((fields) => new Set(fields.map((f) => f.label.toLowerCase())).size === fields.length, 'name each field once');

/** `"Invoice number" required, Amount optional` → fields (optional unless said); undefined for an unclear part. */
export function splitIntakeFields(text: string): { label: string; required: boolean }[] | undefined {
  const parts = text
    .split(',')
    .map((part) => part.trim())
    .filter(Boolean);
  const fields = parts.map((part) => {
    const m = /^(.*?)\s+(required|optional)$/i.exec(part);
    return m ? { label: m[1]!.trim(), required: m[2]!.toLowerCase() === 'required' } : { label: part, required: false };
  });
  return fields.every((f) => f.label && !/^(required|optional)$/i.test(f.label)) ? fields : undefined;
}

/** "Invoice number (required), Amount": fields as the directory lists them. */
export const describeIntakeFields = (fields: IntakeField[]) =>
  fields.map((f) => (f.required ? `${f.label} (required)` : f.label)).join(', ');

/** "invoice, Refund ,card" → ['invoice', 'refund', 'card'] (validated by keywordsSchema). */
export const splitKeywords = (text: string) => text.split(',');

export const workingHoursSchema = z
  .object({
    workDays: z.array(z.number().int().min(1).max(7)).min(1, 'pick at least one working day'),
    workStart: hhmmSchema,
    workEnd: hhmmSchema,
  })
  .refine((h) => h.workStart < h.workEnd, 'working hours must end after they start');

/** A calendar date as people type it in commands and the config file: 2026-12-24. */
export const isoDateSchema = z
  .string()
  .trim()
  .refine(
    (text) => /^\d{4}-\d{2}-\d{2}$/.test(text) && DateTime.fromISO(text).isValid,
    'dates are YYYY-MM-DD, such as 2026-12-24',
  );

/** Days off (sorted, each once): working-hours SLAs and reminders skip them like weekends. */
export const holidaysSchema = z
  .array(isoDateSchema)
  .max(100, 'list at most 100 holidays')
  .transform((dates) => [...new Set(dates)].sort());

/** "2026-12-24 2026-12-25, 2027-01-01" or "none" → the dates (validated by holidaysSchema). */
export const splitHolidays = (text: string) =>
  text.trim().toLowerCase() === 'none' ? [] : text.split(/[\s,]+/).filter(Boolean);

/** "24 Dec 2026, 25 Dec 2026": holidays for people, or undefined when there are none. */
export function describeHolidays(dates: readonly string[]): string | undefined {
  if (dates.length === 0) return undefined;
  return dates.map((date) => DateTime.fromISO(date).toFormat('d LLL yyyy')).join(', ');
}

/** Merges partial SLA overrides onto the defaults. */
export function withDefaultSla(overrides: Partial<Record<Priority, Partial<SlaTarget>>> = {}): SlaTargets {
  const merged = { ...DEFAULT_SLA };
  for (const priority of PRIORITIES) merged[priority] = { ...DEFAULT_SLA[priority], ...overrides[priority] };
  return merged;
}

/** "4h", "90m", "3d": short human durations for SLA tables. */
export function formatMinutes(minutes: number): string {
  if (minutes < 60) return `${Math.round(minutes)}m`;
  if (minutes < 60 * 48 && minutes % 60 !== 0) return `${Math.floor(minutes / 60)}h ${Math.round(minutes % 60)}m`;
  if (minutes < 60 * 48) return `${minutes / 60}h`;
  const days = minutes / (60 * 24);
  return Number.isInteger(days) ? `${days}d` : `${Number((minutes / 60).toFixed(2))}h`;
}

const unit = (n: number, word: string) => `${n} ${word}${n === 1 ? '' : 's'}`;

/** "15 minutes", "1 hour 30 minutes", "3 days": durations as a sentence says them. */
export function minutesInWords(minutes: number): string {
  if (minutes < 60) return unit(Math.round(minutes), 'minute');
  const days = minutes / (60 * 24);
  if (minutes >= 60 * 48 && Number.isInteger(days)) return unit(days, 'day');
  const hours = Math.floor(minutes / 60);
  const rest = Math.round(minutes % 60);
  return rest ? `${unit(hours, 'hour')} ${unit(rest, 'minute')}` : unit(hours, 'hour');
}

/** "claimed within 15 minutes, resolved within 4 hours". */
export const slaTargetInWords = (t: SlaTarget) =>
  `claimed within ${minutesInWords(t.ackMinutes)}, resolved within ${minutesInWords(t.resolveHours * 60)}`;

export function describeSla(sla: SlaTargets): string {
  return PRIORITIES.map(
    (p) => `${p} ${formatMinutes(sla[p].ackMinutes)}/${formatMinutes(sla[p].resolveHours * 60)}`,
  ).join(' · ');
}

/** Who may change a department from Home: Frontline admins and its own leads. */
export const canEditDepartment = (d: { leads: string[] }, userId: string, isAdmin: boolean) =>
  isAdmin || d.leads.includes(userId);
