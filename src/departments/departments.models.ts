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
  .regex(/^[a-z0-9][a-z0-9-]{0,31}$/, 'a department key is a short slug of letters, digits and dashes, such as `billing`');

export const prioritySchema = z.enum(PRIORITIES, { error: 'priority must be urgent, high, normal or low' });

export const slaTargetSchema = z.object({
  ackMinutes: z.number({ error: 'acknowledge minutes must be a whole number' }).int('acknowledge minutes must be a whole number').min(1, 'acknowledge minutes must be at least 1').max(60 * 24 * 30, 'acknowledge minutes must be at most 43200 (30 days)'),
  resolveHours: z.number({ error: 'resolve hours must be a number' }).min(0.25, 'resolve hours must be at least 0.25').max(24 * 365, 'resolve hours must be at most 8760 (a year)'),
});

export const hhmmSchema = z.string().regex(/^([01]\d|2[0-3]):[0-5]\d$/, 'times are HH:MM, such as 09:00');

/** Keywords that suggest a department: lower case, unique, each short. */
export const keywordsSchema = z
  .array(z.string().trim().toLowerCase().max(40, 'keep each keyword under 40 characters'))
  .transform((words) => [...new Set(words.filter(Boolean))]);

/** "invoice, Refund ,card" → ['invoice', 'refund', 'card'] (validated by keywordsSchema). */
export const splitKeywords = (text: string) => text.split(',');

export const workingHoursSchema = z
  .object({
    workDays: z.array(z.number().int().min(1).max(7)).min(1, 'pick at least one working day'),
    workStart: hhmmSchema,
    workEnd: hhmmSchema,
  })
  .refine((h) => h.workStart < h.workEnd, 'working hours must end after they start');

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

export function describeSla(sla: SlaTargets): string {
  return PRIORITIES.map((p) => `${p} ${formatMinutes(sla[p].ackMinutes)}/${formatMinutes(sla[p].resolveHours * 60)}`).join(' · ');
}
