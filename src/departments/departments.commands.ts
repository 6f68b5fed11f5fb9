// Parsers for `/frontline dept …`: plain functions from words to a typed command, or a usage error.

import { capitalise } from '../slack/blocks.ts';
import { usageError } from '../slack/frontline-command.ts';
import { parseChannel, parseUser, parseUsergroup } from '../slack/mentions.ts';
import { codeSpan, escapeMrkdwn } from '../slack/mrkdwn.ts';
import { timeZoneSchema } from '../time-zones.ts';
import {
  departmentKeySchema,
  holidaysSchema,
  type IntakeField,
  intakeFieldsSchema,
  keywordsSchema,
  type Priority,
  prioritySchema,
  type SlaTarget,
  slaTargetSchema,
  splitHolidays,
  splitIntakeFields,
  splitKeywords,
  workingHoursSchema,
} from './departments.models.ts';

export const DEPT_USAGE = {
  add: '/frontline dept add <key> <#channel> [display name]',
  list: '/frontline dept list',
  remove: '/frontline dept remove <key>',
  leads: '/frontline dept leads <key> <@user> [<@user> …]',
  sla: '/frontline dept sla <key> <urgent|high|normal|low> <ack-minutes> <resolve-hours>',
  keywords: '/frontline dept keywords <key> <word>[, <word> …]',
  hours: '/frontline dept hours <key> <mon-fri> <09:00-17:00> [IANA zone]',
  fields: '/frontline dept fields <key> <"name"> required|optional[, …] (or none)',
  oncall: '/frontline dept oncall <key> <@user-group> (or none)',
  holidays: '/frontline dept holidays <key> <YYYY-MM-DD> [<YYYY-MM-DD> …] | none',
  assign: '/frontline dept assign <key> round-robin <@user-group> | off',
} as const;

// Words that clear a list or a setting.
const NONE = /^(none|clear|-)$/i;

export type DeptCommand =
  /** Without a name, a new department is named after its key and an existing one keeps its name. */
  | { action: 'add'; key: string; channelId: string; name?: string }
  | { action: 'list' }
  | { action: 'remove'; key: string }
  | { action: 'leads'; key: string; leads: string[] }
  | { action: 'sla'; key: string; priority: Priority; target: SlaTarget }
  | { action: 'keywords'; key: string; keywords: string[] }
  /** An empty list clears the fields. */
  | { action: 'fields'; key: string; fields: IntakeField[] }
  /** Null falls back to the leads. */
  | { action: 'oncall'; key: string; groupId: string | null }
  | { action: 'hours'; key: string; workDays: number[]; workStart: string; workEnd: string; timezone: string | null }
  /** Replaces the department's holidays; without dates, shows them. */
  | { action: 'holidays'; key: string; holidays?: string[] }
  /** Round-robin assignment to a user group's members, or off (null). */
  | { action: 'assign'; key: string; group: { id: string; handle: string | null } | null };

const ALL_USAGE = Object.values(DEPT_USAGE);

function parseKey(word: string | undefined, usage: string): string {
  if (!word) usageError('departments.missing_key', 'Which department? Give its key.', usage);
  const key = departmentKeySchema.safeParse(word);
  if (!key.success)
    usageError('departments.bad_key', `${codeSpan(word)} is not a valid key: ${key.error.issues[0]?.message}.`, usage);
  return key.data;
}

const DAYS = ['monday', 'tuesday', 'wednesday', 'thursday', 'friday', 'saturday', 'sunday'];
/** ISO weekday index (0 = Monday) of "mon", "tues", "friday"…, or -1. */
const dayIndex = (word: string) => (word.length >= 3 ? DAYS.findIndex((day) => day.startsWith(word.trim())) : -1);

/** "mon-fri", "mon,wed,fri", "sun-thu" → ISO weekday numbers (1 = Monday). */
export function parseWorkDays(text: string): number[] | undefined {
  const days = new Set<number>();
  for (const part of text.toLowerCase().split(',')) {
    const [from, to, extra] = part.split('-').map((d) => dayIndex(d.trim()));
    if (extra !== undefined) return undefined;
    if (from === undefined || from < 0 || (to !== undefined && to < 0)) return undefined;
    if (to === undefined) days.add(from + 1);
    else
      for (let d = from; ; d = (d + 1) % 7) {
        days.add(d + 1);
        if (d === to) break;
      }
  }
  return [...days].sort((a, b) => a - b);
}

/** Parses the words after `/frontline dept`. */
export function parseDeptCommand(args: string[]): DeptCommand {
  const [action = '', ...rest] = args;
  switch (action.toLowerCase()) {
    case 'list':
    case '':
      return { action: 'list' };
    case 'add': {
      const key = parseKey(rest[0], DEPT_USAGE.add);
      const channelId = parseChannel(rest[1]);
      if (!channelId)
        usageError(
          'departments.bad_channel',
          'Pick the department’s channel by typing # and its name.',
          DEPT_USAGE.add,
        );
      const name = rest.slice(2).join(' ').trim() || undefined;
      if (name && name.length > 80)
        usageError('departments.bad_name', 'Keep the display name under 80 characters.', DEPT_USAGE.add);
      return { action: 'add', key, channelId, name };
    }
    case 'remove':
      return { action: 'remove', key: parseKey(rest[0], DEPT_USAGE.remove) };
    case 'leads': {
      const key = parseKey(rest[0], DEPT_USAGE.leads);
      const leads = rest.slice(1).map(parseUser);
      if (leads.length === 0 || leads.some((id) => !id))
        usageError('departments.bad_leads', 'Mention each lead with @, such as @maria.', DEPT_USAGE.leads);
      return { action: 'leads', key, leads: [...new Set(leads as string[])] };
    }
    case 'sla': {
      const key = parseKey(rest[0], DEPT_USAGE.sla);
      const priority = prioritySchema.safeParse(rest[1]?.toLowerCase());
      if (!priority.success)
        usageError('departments.bad_priority', 'The priority must be urgent, high, normal or low.', DEPT_USAGE.sla);
      if (rest.length !== 4)
        usageError(
          'departments.bad_sla',
          'Give exactly the acknowledge minutes and the resolve hours.',
          DEPT_USAGE.sla,
        );
      // Plain decimal numbers only: Number() would also take 0x10 or 1e2.
      const number = (word: string | undefined) => (/^\d+(\.\d+)?$/.test(word ?? '') ? Number(word) : Number.NaN);
      const target = slaTargetSchema.safeParse({ ackMinutes: number(rest[2]), resolveHours: number(rest[3]) });
      if (!target.success)
        usageError(
          'departments.bad_sla',
          `${capitalise(target.error.issues[0]?.message ?? 'those numbers are not valid')}.`,
          DEPT_USAGE.sla,
        );
      return { action: 'sla', key, priority: priority.data, target: target.data };
    }
    case 'keywords': {
      const key = parseKey(rest[0], DEPT_USAGE.keywords);
      const keywords = keywordsSchema.safeParse(splitKeywords(rest.slice(1).join(' ')));
      if (!keywords.success)
        usageError(
          'departments.bad_keywords',
          `${capitalise(keywords.error.issues[0]?.message ?? 'those keywords are not valid')}.`,
          DEPT_USAGE.keywords,
        );
      if (keywords.data.length === 0)
        usageError('departments.bad_keywords', 'List one or more keywords, separated by commas.', DEPT_USAGE.keywords);
      return { action: 'keywords', key, keywords: keywords.data };
    }
    case 'fields': {
      const key = parseKey(rest[0], DEPT_USAGE.fields);
      const text = rest.slice(1).join(' ').trim();
      if (NONE.test(text)) return { action: 'fields', key, fields: [] };
      const split = text ? splitIntakeFields(text) : undefined;
      if (!split)
        usageError(
          'departments.bad_fields',
          'Name each field, then say required or optional, separated by commas.',
          DEPT_USAGE.fields,
        );
      const fields = intakeFieldsSchema.safeParse(split);
      if (!fields.success)
        usageError(
          'departments.bad_fields',
          `${capitalise(fields.error.issues[0]?.message ?? 'those fields are not valid')}.`,
          DEPT_USAGE.fields,
        );
      return { action: 'fields', key, fields: fields.data };
    }
    case 'oncall': {
      const key = parseKey(rest[0], DEPT_USAGE.oncall);
      if (rest.length === 2 && NONE.test(rest[1] ?? '')) return { action: 'oncall', key, groupId: null };
      const groupId = rest.length === 2 ? parseUsergroup(rest[1])?.id : undefined;
      if (!groupId)
        usageError(
          'departments.bad_oncall',
          'Mention one user group with @, such as @billing-oncall, or say none to use the leads.',
          DEPT_USAGE.oncall,
        );
      return { action: 'oncall', key, groupId };
    }
    case 'hours': {
      const key = parseKey(rest[0], DEPT_USAGE.hours);
      const workDays = parseWorkDays(rest[1] ?? '');
      const [workStart = '', workEnd = ''] = (rest[2] ?? '').split('-');
      if (!workDays) usageError('departments.bad_hours', 'Days look like mon-fri or mon,wed,fri.', DEPT_USAGE.hours);
      const hours = workingHoursSchema.safeParse({ workDays, workStart, workEnd });
      if (!hours.success)
        usageError(
          'departments.bad_hours',
          `${hours.error.issues[0]?.message ?? 'those hours are not valid'}.`,
          DEPT_USAGE.hours,
        );
      const zone = rest[3] ? timeZoneSchema.safeParse(rest[3]) : undefined;
      if (zone && !zone.success)
        usageError(
          'departments.bad_zone',
          `${escapeMrkdwn(rest[3] ?? '')} is not an IANA time zone (such as Europe/Paris).`,
          DEPT_USAGE.hours,
        );
      return { action: 'hours', key, ...hours.data, timezone: zone?.data ?? null };
    }
    case 'holidays': {
      const key = parseKey(rest[0], DEPT_USAGE.holidays);
      if (rest.length === 1) return { action: 'holidays', key };
      const holidays = holidaysSchema.safeParse(splitHolidays(rest.slice(1).join(' ')));
      if (!holidays.success)
        usageError(
          'departments.bad_holidays',
          `${capitalise(holidays.error.issues[0]?.message ?? 'those dates are not valid')}.`,
          DEPT_USAGE.holidays,
        );
      return { action: 'holidays', key, holidays: holidays.data };
    }
    case 'assign': {
      const key = parseKey(rest[0], DEPT_USAGE.assign);
      const mode = rest[1]?.toLowerCase();
      if (mode === 'off' && rest.length === 2) return { action: 'assign', key, group: null };
      const group = mode === 'round-robin' && rest.length === 3 ? parseUsergroup(rest[2]) : undefined;
      if (!group)
        usageError(
          'departments.bad_assign',
          'Say `round-robin` and mention the user group with @, such as @billing-team, or say `off`.',
          DEPT_USAGE.assign,
        );
      return { action: 'assign', key, group };
    }
    default:
      return usageError('departments.unknown_action', `I don’t know ${codeSpan(`dept ${action}`)}.`, ALL_USAGE);
  }
}

export const isAdminDeptCommand = (command: DeptCommand) => command.action !== 'list';
