import { z } from 'zod';
import { usageError } from '../slack/frontline-command.ts';
import { codeSpan } from '../slack/mrkdwn.ts';

export const SKILLS_USAGE = {
  mine: '/frontline skills',
  add: '/frontline skills add <skill>[, <skill> …]',
  remove: '/frontline skills remove <skill>[, <skill> …]',
  who: '/frontline skills who <skill>',
} as const;

export const skillSchema = z
  .string()
  .trim()
  .toLowerCase()
  .transform((s) => s.replace(/\s+/g, ' '))
  .pipe(
    z
      .string()
      .min(1, 'a skill cannot be empty')
      .max(40, 'keep each skill under 40 characters')
      .regex(
        /^[a-z0-9][a-z0-9 .+#&/-]*$/,
        'a skill is letters, digits and spaces (also . + # & / -), such as `sql` or `data science`',
      ),
  );

export type SkillsCommand =
  | { action: 'mine' }
  | { action: 'add' | 'remove'; skills: string[] }
  | { action: 'who'; skill: string };

function parseSkillList(text: string, usage: string): string[] {
  const parts = text
    .split(',')
    .map((s) => s.trim())
    .filter(Boolean);
  if (parts.length === 0) usageError('skills.missing', 'Name at least one skill.', usage);
  if (parts.length > 20) usageError('skills.too_many', 'Add at most 20 skills at a time.', usage);
  const skills = parts.map((part) => {
    const skill = skillSchema.safeParse(part);
    if (!skill.success)
      usageError(
        'skills.bad_skill',
        `${codeSpan(part)} is not a skill I can store: ${skill.error.issues[0]?.message}.`,
        usage,
      );
    return skill.data;
  });
  return [...new Set(skills)];
}

/** Parses the text after `/frontline skills`. */
export function parseSkillsCommand(text: string): SkillsCommand {
  const trimmed = text.trim();
  const [action = '', ...rest] = trimmed.split(/\s+/);
  const remainder = rest.join(' ');
  switch (action.toLowerCase()) {
    case '':
    case 'mine':
    case 'list':
      return { action: 'mine' };
    case 'add':
      return { action: 'add', skills: parseSkillList(remainder, SKILLS_USAGE.add) };
    case 'remove':
      return { action: 'remove', skills: parseSkillList(remainder, SKILLS_USAGE.remove) };
    case 'who': {
      const [skill, ...more] = parseSkillList(remainder, SKILLS_USAGE.who);
      if (more.length > 0) usageError('skills.one_skill', 'Ask about one skill at a time.', SKILLS_USAGE.who);
      return { action: 'who', skill: skill! };
    }
    default:
      return usageError(
        'skills.unknown_action',
        `I don’t know ${codeSpan(`skills ${action}`)}.`,
        Object.values(SKILLS_USAGE),
      );
  }
}
