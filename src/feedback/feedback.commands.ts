// Parser for `/frontline theme …`: words in, a typed command or a usage error out.
import { usageError } from '../slack/frontline-command.ts';
import { codeSpan } from '../slack/mrkdwn.ts';
import { parseKeywords, themeNameSchema } from './feedback.models.ts';

export const THEME_USAGE = {
  add: '/frontline theme add <name> <keyword>[, <keyword> …]',
  list: '/frontline theme list',
  remove: '/frontline theme remove <name>',
} as const;

export type ThemeCommand =
  | { action: 'list' }
  | { action: 'add'; name: string; keywords: string[] }
  | { action: 'remove'; name: string };

function parseName(word: string | undefined, usage: string): string {
  if (!word) usageError('feedback.missing_theme', 'Which theme? Give its name.', usage);
  const name = themeNameSchema.safeParse(word.replace(/^#/, ''));
  if (!name.success) usageError('feedback.bad_theme', `${name.error.issues[0]?.message}.`, usage);
  return name.data;
}

/** Parses the words after `/frontline theme`. */
export function parseThemeCommand(args: string[]): ThemeCommand {
  const [action = '', ...rest] = args;
  switch (action.toLowerCase()) {
    case '':
    case 'list':
      return { action: 'list' };
    case 'add': {
      const name = parseName(rest[0], THEME_USAGE.add);
      const keywords = parseKeywords(rest.slice(1).join(' '));
      if (keywords.some((k) => k.length > 60))
        usageError('feedback.bad_keywords', 'Keep each keyword under 60 characters.', THEME_USAGE.add);
      return { action: 'add', name, keywords };
    }
    case 'remove':
      return { action: 'remove', name: parseName(rest[0], THEME_USAGE.remove) };
    default:
      return usageError(
        'feedback.unknown_theme_action',
        `I don’t know ${codeSpan(`theme ${action}`)}.`,
        Object.values(THEME_USAGE),
      );
  }
}
