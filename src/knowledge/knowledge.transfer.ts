// Answers in and out as JSON: `npm run answers -- import|export` and FRONTLINE_CONFIG's `answers`
// share one item shape. An item updates the answer with its id, else the one with its title, else
// becomes a new answer; the export writes ids, so importing it back restores exactly what was saved.
import { asc, eq, inArray, sql } from 'drizzle-orm';
import { z } from 'zod';
import type { Db } from '../db/client.ts';
import { departmentKeySchema } from '../departments/departments.models.ts';
import { departments } from '../departments/departments.table.ts';
import { readSetting } from '../settings/settings.ts';
import { SLACK_USER_ID } from '../slack/mentions.ts';
import { HALF_CHARACTER, loneSurrogateAt, WRITE_IT_WHOLE } from '../well-formed-text.ts';
import { SEARCH_LANGUAGE_SETTING } from './knowledge.ids.ts';
import { BODY_MAX, DEFAULT_SEARCH_LANGUAGE, TITLE_MAX } from './knowledge.models.ts';
import { answers } from './knowledge.table.ts';

const tag = z.string().trim().min(1).max(60);

/** One answer in an import file, an export or FRONTLINE_CONFIG. */
export const answerItemSchema = z.strictObject({
  /** Written by the export; an import updates the answer with this id, or restores it under it. */
  id: z.uuid('must be an answer id as the export writes it').optional(),
  // As short as what work captures ("ok" resolves an escalation), so every export imports back.
  title: z.string().trim().min(1, 'write the question').max(TITLE_MAX, `keep it under ${TITLE_MAX} characters`),
  body: z.string().trim().min(1, 'write the answer').max(BODY_MAX, `keep it under ${BODY_MAX} characters`),
  status: z.enum(['active', 'outdated', 'retired']).default('active'),
  /** A department key: the answer's department tag. */
  department: departmentKeySchema.nullable().default(null),
  skills: z.array(tag).default([]),
  themes: z.array(tag).default([]),
  /** The people who gave the answer: they are asked to review it. */
  credited: z.array(z.string().regex(SLACK_USER_ID, 'must be a Slack user ID such as U012AB3CD')).default([]),
  permalink: z
    .url({ protocol: /^https$/, error: 'must be an https:// link' })
    .nullable()
    .default(null),
  createdAt: z.iso.datetime({ offset: true, error: 'must be a date and time such as 2026-03-02T10:00:00Z' }).optional(),
});
export type AnswerItem = z.infer<typeof answerItemSchema>;

const sameTitle = (title: string) => title.trim().toLowerCase();

/** A list of items, each answer once: ids once, and titles once among the items that have no id. */
export const answerItemsSchema = z.array(answerItemSchema).superRefine((items, ctx) => {
  const seen = new Map<string, number>();
  items.forEach((item, i) => {
    const [key, field] = item.id ? [`id:${item.id}`, 'id'] : [`title:${sameTitle(item.title)}`, 'title'];
    const first = seen.get(key);
    if (first === undefined) seen.set(key, i);
    else
      ctx.addIssue({
        code: 'custom',
        path: [i, field],
        message: `is the same as item ${first + 1}'s: list each answer once`,
      });
  });
});

/** An import file: `{ "answers": [...] }` as the export writes it, or the list alone. */
const answersFileSchema = z.preprocess(
  (json) => (Array.isArray(json) ? { answers: json } : json),
  z.strictObject({ answers: answerItemsSchema }),
);

/** Where in the file a JSON syntax error is, from the parser's character position. */
function lineAndColumn(text: string, message: string): string {
  const position = Number(/position (\d+)/.exec(message)?.[1]);
  if (!Number.isFinite(position)) return '';
  const before = text.slice(0, position).split('\n');
  return ` (line ${before.length}, column ${before.at(-1)!.length + 1})`;
}

/** Reads an import file's text: its items, or each problem with the item (counted from 1, and its title) it is in. */
export function parseAnswersFile(text: string): { ok: true; items: AnswerItem[] } | { ok: false; problems: string[] } {
  let json: unknown;
  try {
    json = JSON.parse(text);
  } catch (error) {
    const message = (error as Error).message;
    return { ok: false, problems: [`The file is not valid JSON${lineAndColumn(text, message)}: ${message}`] };
  }
  const raw = (Array.isArray(json) ? json : (json as { answers?: unknown } | null)?.answers) as unknown[] | undefined;
  // A path as the schema sees the file ({ answers: [...] }), named for a person: the item and its title.
  const problemAt = (path: PropertyKey[], message: string) => {
    const [, index, ...field] = path;
    if (typeof index !== 'number') return `${path.join('.') || 'The file'}: ${message}`;
    const title = (raw?.[index] as { title?: unknown } | undefined)?.title;
    const named = typeof title === 'string' && title.trim() ? ` (“${title.trim().slice(0, 60)}”)` : '';
    return `Item ${index + 1}${named}${field.length > 0 ? `, ${field.join('.')}` : ''}: ${message}`;
  };
  // Checked before the schema: text columns would store a replacement character in its place.
  const halfCharacter = loneSurrogateAt(json);
  if (halfCharacter !== undefined)
    return {
      ok: false,
      problems: [
        problemAt(
          Array.isArray(json) ? ['answers', ...halfCharacter] : halfCharacter,
          `${HALF_CHARACTER}; ${WRITE_IT_WHOLE}`,
        ),
      ],
    };
  const parsed = answersFileSchema.safeParse(json);
  if (parsed.success) return { ok: true, items: parsed.data.answers };
  return { ok: false, problems: parsed.error.issues.map((issue) => problemAt(issue.path, issue.message)) };
}

/** Items that cannot be applied as they are; thrown before anything is written. */
export class AnswerImportError extends Error {
  constructor(readonly problems: string[]) {
    super(problems.join('\n'));
    this.name = 'AnswerImportError';
  }
}

export interface ImportSummary {
  created: number;
  updated: number;
  unchanged: number;
}

type AnswerRow = typeof answers.$inferSelect;

const fieldsOf = (item: AnswerItem) => ({
  title: item.title,
  body: item.body,
  status: item.status,
  departmentKey: item.department,
  skills: item.skills,
  themes: item.themes,
  creditedUserIds: item.credited,
  permalink: item.permalink,
});

const differs = (row: AnswerRow, fields: ReturnType<typeof fieldsOf>) =>
  (Object.keys(fields) as Array<keyof typeof fields>).some(
    (k) => JSON.stringify(row[k] ?? null) !== JSON.stringify(fields[k] ?? null),
  );

// Any fixed number: imports (the command, a start with FRONTLINE_CONFIG) take turns.
const IMPORT_LOCK_KEY = 7_246_015;

/**
 * Upserts the items in one transaction (`db` may already be one): all of them or, when a
 * department is unknown, none (AnswerImportError). Changed answers count as confirmed now.
 */
export async function importAnswers(db: Db, items: AnswerItem[], now: Date): Promise<ImportSummary> {
  return await db.transaction(async (transaction) => {
    const tx = transaction as unknown as Db;
    await tx.execute(sql`select pg_advisory_xact_lock(${IMPORT_LOCK_KEY})`);
    const keys = [...new Set(items.flatMap((i) => (i.department ? [i.department] : [])))];
    const known = new Set(
      keys.length > 0
        ? (await tx.select({ key: departments.key }).from(departments).where(inArray(departments.key, keys))).map(
            (d) => d.key,
          )
        : [],
    );
    const unknown = items.flatMap((item, i) =>
      item.department && !known.has(item.department)
        ? [`Item ${i + 1} (“${item.title.slice(0, 60)}”), department: there is no department ${item.department}`]
        : [],
    );
    if (unknown.length > 0) throw new AnswerImportError(unknown);

    const setting = await readSetting(tx, SEARCH_LANGUAGE_SETTING);
    const language = typeof setting === 'string' ? setting : DEFAULT_SEARCH_LANGUAGE;

    const summary: ImportSummary = { created: 0, updated: 0, unchanged: 0 };
    for (const item of items) {
      const fields = fieldsOf(item);
      const [existing] = item.id
        ? await tx.select().from(answers).where(eq(answers.id, item.id))
        : await tx
            .select()
            .from(answers)
            .where(sql`lower(btrim(${answers.title})) = ${sameTitle(item.title)}`)
            // Several answers may share a question: the live, most recently changed one is updated.
            .orderBy(sql`${answers.status} = 'retired'`, sql`${answers.updatedAt} desc`, asc(answers.id))
            .limit(1);
      if (!existing) {
        const createdAt = item.createdAt ? new Date(item.createdAt) : now;
        await tx.insert(answers).values({
          ...(item.id ? { id: item.id } : {}),
          ...fields,
          sourceKind: 'import',
          language,
          createdAt,
          updatedAt: now,
          confirmedAt: now,
        });
        summary.created++;
      } else if (differs(existing, fields)) {
        await tx
          .update(answers)
          .set({ ...fields, updatedAt: now, confirmedAt: now })
          .where(eq(answers.id, existing.id));
        summary.updated++;
      } else summary.unchanged++;
    }
    return summary;
  });
}

/** Every answer, retired ones included, as import items: oldest first, then by question. */
export async function exportAnswers(db: Db): Promise<{ answers: AnswerItem[] }> {
  const rows = await db.select().from(answers).orderBy(asc(answers.createdAt), asc(answers.title), asc(answers.id));
  return {
    answers: rows.map((r) => ({
      id: r.id,
      title: r.title,
      body: r.body,
      status: r.status,
      department: r.departmentKey,
      skills: r.skills,
      themes: r.themes,
      credited: r.creditedUserIds,
      permalink: r.permalink,
      createdAt: r.createdAt.toISOString(),
    })),
  };
}
