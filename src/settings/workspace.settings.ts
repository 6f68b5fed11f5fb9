import { z } from 'zod';
import { describeHolidays, holidaysSchema, splitHolidays } from '../departments/departments.models.ts';
import { UserError } from '../errors.ts';
import { formatUsage } from '../slack/frontline-command.ts';
import { mentionChannel, parseChannel } from '../slack/mentions.ts';
import { timeZoneSchema } from '../time-zones.ts';
import type { Setting, Settings } from './settings.ts';

/** Parses a value with zod, turning its first issue into a friendly UserError. */
export function parseSetting<T>(schema: z.ZodType<T>, name: string, text: string, usage: string): T {
  const result = schema.safeParse(text.trim());
  if (result.success) return result.data;
  throw new UserError(
    'settings.invalid_value',
    `:warning: ${result.error.issues[0]?.message ?? 'That value is not valid'}.\nUsage: ${formatUsage(`/frontline set ${name} ${usage}`)}`,
  );
}

const channelSchema = z.string().transform((text, ctx) => {
  const id = parseChannel(text);
  if (!id) ctx.addIssue({ code: 'custom', message: 'Pick a channel by typing # and its name' });
  return id ?? '';
});

/** Defines a setting whose value is a channel. */
export function defineChannelSetting(
  settings: Settings,
  name: string,
  description: string,
  example: string,
): Setting<string> {
  return settings.define({
    name,
    usage: '<#channel>',
    example: `/frontline set ${name} #${example}`,
    description,
    parse: (text) => parseSetting(channelSchema, name, text, '<#channel>'),
    describe: mentionChannel,
  });
}

export interface WorkspaceSettings {
  helpChannel: Setting<string>;
  supportChannel: Setting<string>;
  digestChannel: Setting<string>;
  timezone: Setting<string>;
  /** Days off for every department (each may add its own): working-hours SLAs skip them. */
  holidays: Setting<string[]>;
}

/** The settings the foundation owns; capabilities define their own beside their code. */
export function defineWorkspaceSettings(
  settings: Settings,
  onTimezoneChange: (zone: string) => void,
): WorkspaceSettings {
  return {
    helpChannel: defineChannelSetting(settings, 'help-channel', 'where `/ask` posts help requests', 'help'),
    supportChannel: defineChannelSetting(
      settings,
      'support-channel',
      'the support team’s channel (weekly shadow schedule, escalated nudges)',
      'support',
    ),
    digestChannel: defineChannelSetting(
      settings,
      'digest-channel',
      'where the weekly customer digest is posted',
      'leadership',
    ),
    timezone: settings.define({
      name: 'timezone',
      usage: '<IANA zone>',
      example: '/frontline set timezone Europe/Paris',
      description: 'the workspace time zone for schedules (overrides FRONTLINE_TIMEZONE)',
      parse: (text) => parseSetting(timeZoneSchema, 'timezone', text, '<IANA zone>'),
      describe: (zone) => zone,
      onChange: onTimezoneChange,
    }),
    holidays: settings.define({
      name: 'holidays',
      usage: '<YYYY-MM-DD> [<YYYY-MM-DD> …] | none',
      example: '/frontline set holidays 2026-12-25 2027-01-01',
      description: 'days off for every department: working-hours SLAs and reminders skip them like weekends',
      parse: (text) =>
        parseSetting(
          z.string().transform(splitHolidays).pipe(holidaysSchema),
          'holidays',
          text,
          '<YYYY-MM-DD> [<YYYY-MM-DD> …] | none',
        ),
      describe: (dates) => describeHolidays(dates) ?? 'none',
    }),
  };
}
