import { SLACK_USER_ID } from './slack/mentions.ts';
import { readFileSync } from 'node:fs';
import { z } from 'zod';
import { ConfigError } from './config.ts';
import { parseWorkDays } from './departments/departments.commands.ts';
import { departmentKeySchema, keywordsSchema, PRIORITIES, slaTargetSchema, withDefaultSla, workingHoursSchema } from './departments/departments.models.ts';
import type { Db } from './db/client.ts';
import { createDepartmentsRepository } from './departments/departments.repository.ts';
import type { Deps } from './deps.ts';
import { isUserError } from './errors.ts';
import { timeZoneSchema } from './settings/workspace.settings.ts';

const userId = z.string().regex(SLACK_USER_ID, 'must be a Slack user ID such as U012AB3CD');

const departmentSchema = z.object({
  key: departmentKeySchema,
  name: z.string().trim().min(1).max(80),
  channel: z.string().regex(/^[CG][A-Z0-9]{2,}$/, 'must be a Slack channel ID such as C012AB3CD'),
  leads: z.array(userId).default([]),
  keywords: keywordsSchema.default([]),
  sla: z.partialRecord(z.enum(PRIORITIES), slaTargetSchema.partial()).default({}),
  hours: z
    .object({
      days: z.string().transform((d, ctx) => parseWorkDays(d) ?? (ctx.addIssue({ code: 'custom', message: 'days look like mon-fri or mon,wed,fri' }), z.NEVER)),
      start: z.string(),
      end: z.string(),
      timezone: timeZoneSchema.optional(),
    })
    .transform(({ days, start, end, timezone }) => ({ workDays: days, workStart: start, workEnd: end, timezone: timezone ?? null }))
    .pipe(workingHoursSchema.and(z.object({ timezone: z.string().nullable() })))
    .optional(),
});

export const configFileSchema = z.strictObject({
  departments: z
    .array(departmentSchema)
    .default([])
    .refine((list) => new Set(list.map((d) => d.key)).size === list.length, 'list each department key once'),
  settings: z.record(z.string(), z.string()).default({}),
});

const HEADING = 'Frontline cannot start: fix the FRONTLINE_CONFIG file';

/** Applies FRONTLINE_CONFIG (departments and settings kept in version control); throws ConfigError on any problem. */
export async function applyConfigFile(path: string, deps: Deps): Promise<void> {
  let json: unknown;
  try {
    json = JSON.parse(readFileSync(path, 'utf8'));
  } catch (error) {
    throw new ConfigError([`FRONTLINE_CONFIG points to ${path}, which could not be read as JSON: ${(error as Error).message}`], HEADING);
  }
  const parsed = configFileSchema.safeParse(json);
  if (!parsed.success) {
    throw new ConfigError(parsed.error.issues.map((i) => `FRONTLINE_CONFIG ${path}: ${i.path.join('.') || 'file'} ${i.message}`), HEADING);
  }
  const settingValues = Object.entries(parsed.data.settings).map(([name, text]) => {
    const setting = deps.settings.find(name);
    if (!setting) throw new ConfigError([`FRONTLINE_CONFIG ${path}: settings.${name} is not a setting (known: ${deps.settings.all().map((s) => s.definition.name).join(', ')})`], HEADING);
    try {
      return { setting, value: setting.definition.parse(text) };
    } catch (error) {
      throw new ConfigError([`FRONTLINE_CONFIG ${path}: settings.${name} ${isUserError(error) ? error.message.split('\n')[0] : String(error)}`], HEADING);
    }
  });
  // All departments or none: a file that fails half-way must not leave half of it applied.
  await deps.db.transaction(async (tx) => {
    const repo = createDepartmentsRepository({ db: tx as unknown as Db });
    for (const d of parsed.data.departments) {
      await repo.upsert({ key: d.key, name: d.name, channelId: d.channel, leads: d.leads, keywords: d.keywords });
      const sla = withDefaultSla(d.sla);
      for (const priority of PRIORITIES) await repo.setSla(d.key, priority, sla[priority]);
      if (d.hours) await repo.setWorkingHours(d.key, d.hours);
    }
  });
  for (const { setting, value } of settingValues) await setting.set(value, 'FRONTLINE_CONFIG');
  deps.logger.info({ path, departments: parsed.data.departments.length, settings: settingValues.length }, 'applied FRONTLINE_CONFIG');
}
