// Parses `/shadow …` into a typed command, or a usage error.
import { usageError } from '../slack/frontline-command.ts';
import { splitArgs } from '../slack/mentions.ts';
import { codeSpan } from '../slack/mrkdwn.ts';

export const SHADOW_USAGE = {
  next: '/shadow',
  schedule: '/shadow schedule [rotation]',
  away: '/shadow away <YYYY-MM-DD> [<YYYY-MM-DD>]',
  optout: '/shadow optout [reason]',
  optin: '/shadow optin',
  stats: '/shadow stats [rotation]',
  rotations: '/shadow rotations',
  setup: '/shadow setup',
  edit: '/shadow edit <rotation>',
  pause: '/shadow pause <rotation>',
  resume: '/shadow resume <rotation>',
  delete: '/shadow delete <rotation>',
} as const;

export type ShadowCommand =
  | { action: 'next' | 'optin' | 'rotations' | 'setup' | 'help' }
  | { action: 'schedule' | 'stats'; rotation?: string }
  | { action: 'away'; args: string[] }
  | { action: 'optout'; reason: string }
  | { action: 'edit' | 'pause' | 'resume' | 'delete'; rotation: string };

/** Parses the text after `/shadow`. Rotation names may contain spaces (the rest of the line). */
export function parseShadowCommand(text: string): ShadowCommand {
  const trimmed = text.trim();
  const [first = '', ...rest] = splitArgs(trimmed);
  const tail = trimmed
    .slice(trimmed.indexOf(first) + first.length)
    .trim()
    .replace(/^["“](.*)["”]$/, '$1');
  const action = first.toLowerCase();
  switch (action) {
    case '':
      return { action: 'next' };
    case 'help':
    case 'optin':
    case 'rotations':
    case 'setup':
      return { action };
    case 'schedule':
    case 'stats':
      return tail ? { action, rotation: tail } : { action };
    case 'away':
      return { action, args: rest };
    case 'optout':
      return { action, reason: tail };
    case 'edit':
    case 'pause':
    case 'resume':
    case 'delete':
      if (!tail) usageError('rotations.missing_rotation', 'Which rotation? Give its name.', SHADOW_USAGE[action]);
      return { action, rotation: tail };
    default:
      return usageError(
        'rotations.unknown_action',
        `I don’t know ${codeSpan(`/shadow ${first}`)}.`,
        Object.values(SHADOW_USAGE),
      );
  }
}

export const isAdminShadowCommand = (c: ShadowCommand) =>
  ['setup', 'edit', 'pause', 'resume', 'delete'].includes(c.action);
