// The rules of service knowledge, without Slack or a database: what a query is made of, how an
// answer is summarised, who may change it.
import { z } from 'zod';

export type AnswerStatus = 'active' | 'outdated' | 'retired';
export type AnswerSource = 'escalation' | 'help_request' | 'message' | 'manual' | 'import';

/** Search results scoring at least this are offered before posting and count as answering a question. */
export const RELEVANT_SCORE = 0.15;
/** `/answers` shows this many; questions are offered this many before they are posted. */
export const SEARCH_LIMIT = 5;
export const OFFER_LIMIT = 3;
export const DEFAULT_SEARCH_LANGUAGE = 'english';

export const TITLE_MAX = 200;
export const BODY_MAX = 3000;

export const answerTitleSchema = z
  .string()
  .trim()
  .min(3, 'Write the question the answer is for (at least 3 characters)')
  .max(TITLE_MAX, `Keep the question under ${TITLE_MAX} characters`);
export const answerBodySchema = z
  .string()
  .trim()
  .min(3, 'Write the answer itself')
  .max(BODY_MAX, `Keep the answer under ${BODY_MAX} characters`);

/** A text search configuration's name as PostgreSQL spells it (`english`, `simple`, `german`). */
export const searchLanguageSchema = z
  .string()
  .trim()
  .toLowerCase()
  .regex(/^[a-z_][a-z0-9_]*$/, 'Give a text search language such as english, french or simple');

/**
 * The words of a query worth matching on their own, for typo tolerance: letters and digits, lower
 * case, at least 3 long, each once; at most 8 (a pasted paragraph is not a query).
 */
export function queryWords(query: string): string[] {
  const words = query.toLowerCase().match(/[\p{L}\p{N}]{3,}/gu) ?? [];
  return [...new Set(words)].slice(0, 8);
}

/** The first lines of an answer, for a result list: at most `lines` lines and `max` characters. */
export function firstLines(body: string, lines = 3, max = 280): string {
  const kept = body
    .split('\n')
    .map((l) => l.trimEnd())
    .filter((l) => l.trim())
    .slice(0, lines)
    .join('\n');
  if (kept.length <= max && kept.length === body.trim().length) return kept;
  return kept.length <= max
    ? `${kept} …`
    : `${Array.from(kept)
        .slice(0, max - 1)
        .join('')}…`;
}

const DAY_MS = 86_400_000;

/** How old an answer is, the way a person says it: "today", "3 days ago", "2 months ago", "over a year ago". */
export function ageOf(createdAt: Date, now: Date): string {
  const days = Math.floor((now.getTime() - createdAt.getTime()) / DAY_MS);
  if (days < 1) return 'today';
  if (days === 1) return 'yesterday';
  if (days < 14) return `${days} days ago`;
  if (days < 60) return `${Math.floor(days / 7)} weeks ago`;
  if (days < 365) return `${Math.floor(days / 30)} months ago`;
  return days < 730 ? 'over a year ago' : `${Math.floor(days / 365)} years ago`;
}

/** The question an answer answers, from a longer text: its first line, cut to a title's length. */
export function titleFrom(text: string): string {
  const line = text.split('\n').find((l) => l.trim()) ?? '';
  const trimmed = line.trim();
  return trimmed.length <= TITLE_MAX
    ? trimmed
    : `${Array.from(trimmed)
        .slice(0, TITLE_MAX - 1)
        .join('')}…`;
}

/** Who may edit, mark outdated or retire an answer: the people it credits, whoever saved it, its department's leads, admins. */
export function mayChangeAnswer(
  answer: { creditedUserIds: string[]; createdBy: string | null },
  userId: string,
  { isAdmin, isDepartmentLead }: { isAdmin: boolean; isDepartmentLead: boolean },
): boolean {
  return isAdmin || isDepartmentLead || answer.createdBy === userId || answer.creditedUserIds.includes(userId);
}

/** Who is asked to review an answer: the people it credits, else whoever saved it. */
export function answerAuthors(answer: { creditedUserIds: string[]; createdBy: string | null }): string[] {
  if (answer.creditedUserIds.length > 0) return [...new Set(answer.creditedUserIds)];
  return answer.createdBy ? [answer.createdBy] : [];
}

export const DEFAULT_REVIEW_DAYS = 180;
/** An author hears about their answers due for review at most once in this many days. */
export const REVIEW_DM_INTERVAL_DAYS = 7;
export const reviewDaysSchema = z.coerce
  .number({ error: 'Give a number of days' })
  .int('Give a whole number of days')
  .min(7, 'Answers are reviewed after at least 7 days')
  .max(3650, 'Answers are reviewed after at most 3650 days (ten years)');

/** An answer is due for review when nobody has confirmed it since `days` before `now`. */
export const reviewCutoff = (now: Date, days: number) => new Date(now.getTime() - days * DAY_MS);
