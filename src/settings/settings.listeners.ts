import type { App } from '@slack/bolt';
import type { Deps } from '../deps.ts';
import { replyPrivately, usageError } from '../slack/frontline-command.ts';
import { codeSpan } from '../slack/mrkdwn.ts';

export function register(_app: App, deps: Deps): void {
  const usages = () => deps.settings.all().map((s) => `/frontline set ${s.definition.name} ${s.definition.usage}`);

  deps.frontline.subcommand('set', async ({ args, text, userId, respond }) => {
    const [name = ''] = args;
    if (!name) {
      const current = await Promise.all(
        deps.settings.all().map(async (s) => {
          const value = await s.get();
          return `• \`${s.definition.name}\` = ${value === undefined ? '_not set_' : s.definition.describe(value)} — ${s.definition.description}`;
        }),
      );
      await replyPrivately(respond, `:gear: *Workspace settings*\n${current.join('\n')}`);
      return;
    }
    const setting = deps.settings.find(name.toLowerCase());
    if (!setting) usageError('settings.unknown', `There is no setting ${codeSpan(name)}.`, usages());
    await deps.admins.requireAdmin(userId);
    const valueText = text.slice(name.length).trim();
    if (!valueText)
      usageError(
        'settings.missing_value',
        `Give a value for \`${setting.definition.name}\`.`,
        `/frontline set ${setting.definition.name} ${setting.definition.usage}`,
      );
    const value = setting.definition.parse(valueText);
    await setting.set(value, userId);
    await replyPrivately(
      respond,
      `:white_check_mark: \`${setting.definition.name}\` is now ${setting.definition.describe(value)}.`,
    );
  });

  deps.frontline.help(
    'Settings',
    [
      { usage: '/frontline set', description: 'show every workspace setting and its value', example: '/frontline set' },
      ...deps.settings.all().map((s) => ({
        usage: `/frontline set ${s.definition.name} ${s.definition.usage}`,
        description: s.definition.description,
        example: s.definition.example,
        adminOnly: true,
      })),
    ],
    { area: 'settings', summary: 'channels, time zone and reminders for the workspace: `/frontline set`' },
  );
}
