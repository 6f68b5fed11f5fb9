import { DateTime } from 'luxon';
import { z } from 'zod';

export const URGENCIES = ['low', 'normal', 'high', 'urgent'] as const;
export type Urgency = (typeof URGENCIES)[number];
export const urgencySchema = z.enum(URGENCIES, { error: 'Pick low, normal, high or urgent' });

export type HelpStatus = 'open' | 'claimed' | 'solved';

export const HELP_REF = 'HELP';

export const QUESTION_MAX = 2000;
export const CONTEXT_MAX = 2000;

export const questionSchema = z
  .string()
  .trim()
  .min(3, 'Write the question you need help with')
  .max(QUESTION_MAX, `Keep the question under ${QUESTION_MAX} characters (put details in the context)`);

export interface AskText {
  /** The topic named before a colon, lowercased; still to be checked against departments and skills. */
  topic?: string;
  question: string;
}

// A topic is a short slug or phrase ("billing", "data science", "c++"); a URL scheme or a long clause is not.
const TOPIC = /^([a-z0-9][a-z0-9 .+#&/-]{0,39})\s*:\s+([\s\S]+)$/i;

/**
 * Splits `/ask <topic>: <question>` into its topic candidate and the question. Text without a
 * leading `word:` (or with a URL there) is all question.
 */
export function splitTopic(text: string): AskText {
  const trimmed = text.trim();
  const m = trimmed.match(TOPIC);
  if (!m) return { question: trimmed };
  const topic = m[1]!.trim().toLowerCase().replace(/\s+/g, ' ');
  return { topic, question: m[2]!.trim() };
}

/**
 * Keeps the topic only when people know it (a department key or someone's skill); otherwise the
 * colon was just punctuation ("Note: the customer…") and the whole text is the question.
 */
export function resolveTopic(parsed: AskText, original: string, isKnown: (topic: string) => boolean): AskText {
  if (parsed.topic && isKnown(parsed.topic)) return parsed;
  return { question: original.trim() };
}

/** Skills match a request by its topic or by appearing as a word in its question. */
export function matchesSkills(request: { topic: string | null; question: string }, skills: string[]): boolean {
  const question = request.question.toLowerCase();
  return skills.some(
    (skill) => request.topic === skill || new RegExp(`(^|[^a-z0-9])${escapeRegExp(skill)}($|[^a-z0-9])`).test(question),
  );
}

const escapeRegExp = (text: string) => text.replace(/[.*+?^${}()|[\]\\]/g, '\\$&');

/** Who may mark a request solved: the asker or anyone helping. */
export const maySolve = (userId: string, request: { askerId: string }, helpers: string[]) =>
  userId === request.askerId || helpers.includes(userId);

/** The start of the calendar month containing `now`, in the workspace time zone. */
export const startOfMonth = (now: Date, zone: string) => DateTime.fromJSDate(now, { zone }).startOf('month').toJSDate();

export const DEFAULT_NUDGE_MINUTES = 30;
export const nudgeMinutesSchema = z.coerce
  .number({ error: 'Give a number of minutes' })
  .int('Give a whole number of minutes')
  .min(1, 'The nudge time must be at least 1 minute')
  .max(7 * 24 * 60, 'The nudge time must be at most 10080 minutes (a week)');
