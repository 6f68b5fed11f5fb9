import { readFileSync } from 'node:fs';
import { z } from 'zod';
import { ConfigError } from './config.ts';
import type { Db } from './db/client.ts';
import { parseWorkDays } from './departments/departments.commands.ts';
import {
  departmentKeySchema,
  holidaysSchema,
  intakeFieldsSchema,
  keywordsSchema,
  PRIORITIES,
  slaTargetSchema,
  withDefaultSla,
  workingHoursSchema,
} from './departments/departments.models.ts';
import { createDepartmentsRepository } from './departments/departments.repository.ts';
import type { Deps } from './deps.ts';
import { isUserError } from './errors.ts';
import { triageTreeProblems, triageTreeSchema } from './escalations/triage.models.ts';
import { AnswerImportError, answerItemsSchema, importAnswers } from './knowledge/knowledge.transfer.ts';
import { SLACK_USER_ID } from './slack/mentions.ts';
import { timeZoneSchema } from './time-zones.ts';
import { urlProblem, WEBHOOK_EVENTS } from './webhooks/webhooks.models.ts';
import { createWebhooksRepository } from './webhooks/webhooks.repository.ts';
import { HALF_CHARACTER, loneSurrogateAt, WRITE_IT_WHOLE } from './well-formed-text.ts';

const userId = z.string().regex(SLACK_USER_ID, 'must be a Slack user ID such as U012AB3CD');

const departmentSchema = z.object({
  key: departmentKeySchema,
  name: z.string().trim().min(1).max(80),
  channel: z.string().regex(/^[CG][A-Z0-9]{2,}$/, 'must be a Slack channel ID such as C012AB3CD'),
  leads: z.array(userId).default([]),
  keywords: keywordsSchema.default([]),
  fields: intakeFieldsSchema.default([]),
  oncall: z
    .string()
    .regex(/^S[A-Z0-9]{2,}$/, 'must be a Slack user group ID such as S012AB3CD')
    .nullable()
    .default(null),
  sla: z.partialRecord(z.enum(PRIORITIES), slaTargetSchema.partial()).default({}),
  hours: z
    .object({
      days: z.string().transform((d, ctx) => {
        const days = parseWorkDays(d);
        if (days) return days;
        ctx.addIssue({ code: 'custom', message: 'days look like mon-fri or mon,wed,fri' });
        return z.NEVER;
      }),
      start: z.string(),
      end: z.string(),
      timezone: timeZoneSchema.optional(),
    })
    .transform(({ days, start, end, timezone }) => ({
      workDays: days,
      workStart: start,
      workEnd: end,
      timezone: timezone ?? null,
    }))
    .pipe(workingHoursSchema.and(z.object({ timezone: z.string().nullable() })))
    .optional(),
  /** The department's own days off, YYYY-MM-DD; the workspace's are the `holidays` setting. */
  holidays: holidaysSchema.optional(),
});

const webhookSchema = z.strictObject({
  id: z.string().regex(/^wh_[a-z0-9]{4,40}$/, 'must look like wh_helpdesk (wh_ and lower-case letters or digits)'),
  url: z.string().trim(),
  events: z.array(z.enum(WEBHOOK_EVENTS)).default([]),
  /** Chosen by whoever keeps the file: it signs every delivery (keep the file out of public version control). */
  secret: z.string().min(32, 'must be at least 32 characters (e.g. openssl rand -hex 32)'),
});

export const configFileSchema = z.strictObject({
  departments: z
    .array(departmentSchema)
    .default([])
    .refine((list) => new Set(list.map((d) => d.key)).size === list.length, 'list each department key once'),
  settings: z.record(z.string(), z.string()).default({}),
  webhooks: z
    .array(webhookSchema)
    .default([])
    .refine((list) => new Set(list.map((w) => w.id)).size === list.length, 'list each webhook id once'),
  /** The questions `/escalate` asks before its form (see triage.models.ts). */
  triage: triageTreeSchema.optional(),
  /** Answers to seed, as `npm run answers -- import` reads them: upserted by id, else by title. */
  answers: answerItemsSchema.default([]),
});

const HEADING = 'Frontline cannot start: fix the FRONTLINE_CONFIG file';

/** Applies FRONTLINE_CONFIG (departments, settings, webhooks and answers kept in version control); throws ConfigError on any problem. */
export async function applyConfigFile(path: string, deps: Deps): Promise<void> {
  let json: unknown;
  try {
    json = JSON.parse(readFileSync(path, 'utf8'));
  } catch (error) {
    throw new ConfigError(
      [`FRONTLINE_CONFIG points to ${path}, which could not be read as JSON: ${(error as Error).message}`],
      HEADING,
    );
  }
  const halfCharacter = loneSurrogateAt(json);
  if (halfCharacter !== undefined)
    throw new ConfigError(
      [`FRONTLINE_CONFIG ${path}: ${halfCharacter.join('.') || 'file'} ${HALF_CHARACTER}; ${WRITE_IT_WHOLE}`],
      HEADING,
    );
  const parsed = configFileSchema.safeParse(json);
  if (!parsed.success) {
    throw new ConfigError(
      parsed.error.issues.map((i) => `FRONTLINE_CONFIG ${path}: ${i.path.join('.') || 'file'} ${i.message}`),
      HEADING,
    );
  }
  const settingValues = Object.entries(parsed.data.settings).map(([name, text]) => {
    const setting = deps.settings.find(name);
    if (!setting)
      throw new ConfigError(
        [
          `FRONTLINE_CONFIG ${path}: settings.${name} is not a setting (known: ${deps.settings
            .all()
            .map((s) => s.definition.name)
            .join(', ')})`,
        ],
        HEADING,
      );
    try {
      return { setting, value: setting.definition.parse(text) };
    } catch (error) {
      throw new ConfigError(
        [
          `FRONTLINE_CONFIG ${path}: settings.${name} ${isUserError(error) ? error.message.split('\n')[0] : String(error)}`,
        ],
        HEADING,
      );
    }
  });
  const urlProblems = parsed.data.webhooks.flatMap((w, i) => {
    const problem = urlProblem(w.url, { allowPrivate: deps.config.webhooksAllowPrivate });
    return problem ? [`FRONTLINE_CONFIG ${path}: webhooks.${i}.url ${problem}`] : [];
  });
  const { triage } = parsed.data;
  // A tree may send to departments made in Slack (/frontline dept add) as well as to the file's.
  const departmentKeys = triage && [
    ...parsed.data.departments.map((d) => d.key),
    ...(await createDepartmentsRepository(deps).list()).map((d) => d.key),
  ];
  const problems = [
    ...urlProblems,
    ...(triage ? triageTreeProblems(triage, [...new Set(departmentKeys)]) : []).map(
      (p) => `FRONTLINE_CONFIG ${path}: ${p}`,
    ),
  ];
  if (problems.length > 0) throw new ConfigError(problems, HEADING);
  // All departments and webhooks or none: a file that fails half-way must not leave half of it applied.
  await deps.db.transaction(async (tx) => {
    const repo = createDepartmentsRepository({ db: tx as unknown as Db, clock: deps.clock });
    for (const d of parsed.data.departments) {
      await repo.upsert({
        key: d.key,
        name: d.name,
        channelId: d.channel,
        leads: d.leads,
        keywords: d.keywords,
        intakeFields: d.fields,
        oncallGroupId: d.oncall,
      });
      const sla = withDefaultSla(d.sla);
      for (const priority of PRIORITIES) await repo.setSla(d.key, priority, sla[priority]);
      if (d.hours) await repo.setWorkingHours(d.key, d.hours);
      if (d.holidays) await repo.setHolidays(d.key, d.holidays);
    }
    const webhooks = createWebhooksRepository({ db: tx as unknown as Db });
    for (const w of parsed.data.webhooks)
      await webhooks.upsertFromConfig({ ...w, source: 'config', createdBy: null, createdAt: deps.clock.now() });
    // After the departments: an answer may be tagged with one the file declares.
    await importAnswers(tx as unknown as Db, parsed.data.answers, deps.clock.now()).catch((error: unknown) => {
      if (!(error instanceof AnswerImportError)) throw error;
      throw new ConfigError(
        error.problems.map((p) => `FRONTLINE_CONFIG ${path}: answers: ${p}`),
        HEADING,
      );
    });
  });
  for (const { setting, value } of settingValues) await setting.set(value, 'FRONTLINE_CONFIG');
  deps.triage.use(triage);
  deps.logger.info(
    {
      path,
      departments: parsed.data.departments.length,
      settings: settingValues.length,
      webhooks: parsed.data.webhooks.length,
      triageQuestions: triage ? Object.keys(triage.nodes).length : 0,
      answers: parsed.data.answers.length,
    },
    'applied FRONTLINE_CONFIG',
  );
}
