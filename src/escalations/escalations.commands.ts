// Parses the text after `/escalate`: plain functions from words to a typed command.
import { type Priority, prioritySchema } from '../departments/departments.models.ts';
import { decodeSlackText } from '../slack/mrkdwn.ts';
import { MAX_SUMMARY } from './escalations.models.ts';

export const ESCALATE_USAGE = {
  modal: '/escalate',
  quick: '/escalate <department> [urgent|high|normal|low] <summary>',
  suggest: '/escalate <summary>',
  list: '/escalate list',
  show: '/escalate show <ESC-42>',
} as const;

export type EscalateCommand =
  | { action: 'modal' }
  | { action: 'list' }
  | { action: 'help' }
  /** One escalation by its reference, as typed (ESC-42, esc-42, 42). */
  | { action: 'show'; ref: string }
  /** Enough to create at once, if the department exists. */
  | { action: 'quick'; departmentKey: string; priority: Priority; summary: string }
  /** Something to prefill the modal with, and why it could not be created at once. */
  | { action: 'prefill'; departmentKey?: string; priority: Priority; summary: string; hint: string };

/** Reads `/escalate` text as Slack sends it (escaped). Does not know the directory: the use case checks the department. */
export function parseEscalateCommand(text: string): EscalateCommand {
  const trimmed = decodeSlackText(text).trim();
  if (!trimmed) return { action: 'modal' };
  const [first = '', ...rest] = trimmed.split(/\s+/);
  const word = first.toLowerCase();
  if (word === 'list' && rest.length === 0) return { action: 'list' };
  if (word === 'help' && rest.length === 0) return { action: 'help' };
  if (word === 'show' && rest.length <= 1) return { action: 'show', ref: rest[0] ?? '' };
  const priority = prioritySchema.safeParse(rest[0]?.toLowerCase());
  const words = priority.success ? rest.slice(1) : rest;
  const summary = trimmed
    .slice(trimmed.indexOf(first) + first.length)
    .trim()
    .replace(priority.success ? new RegExp(`^${rest[0]}\\s*`) : /^/, '');
  const base = { departmentKey: word, priority: priority.success ? priority.data : ('normal' as const) };
  if (words.length === 0)
    return { action: 'prefill', ...base, summary: '', hint: 'Add a summary of the customer’s issue.' };
  if (summary.length > MAX_SUMMARY)
    return {
      action: 'prefill',
      ...base,
      summary,
      hint: `That is over ${MAX_SUMMARY} characters, too long for a summary: it is in the details below; say it in a line above.`,
    };
  return { action: 'quick', ...base, summary };
}
