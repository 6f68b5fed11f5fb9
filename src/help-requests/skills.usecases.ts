import type { Clock } from '../clock.ts';
import { formatUsage } from '../slack/frontline-command.ts';
import { mentionUser } from '../slack/mentions.ts';
import { codeSpan } from '../slack/mrkdwn.ts';
import type { SkillsCommand } from './skills.models.ts';
import { SKILLS_USAGE } from './skills.models.ts';
import type { SkillsRepository } from './skills.repository.ts';

const list = (skills: string[]) => skills.map(codeSpan).join(', ');

/** Carries out `/frontline skills …` for one person and returns what to tell them. */
export async function runSkillsCommand(
  { skills, clock }: { skills: SkillsRepository; clock: Clock },
  { userId, command }: { userId: string; command: SkillsCommand },
): Promise<string> {
  switch (command.action) {
    case 'mine': {
      const mine = await skills.of(userId);
      return mine.length > 0
        ? `:brain: Your skills: ${list(mine)}. Questions on these topics mention you.`
        : `:brain: You have not listed any skills yet. Add what you know with ${formatUsage(SKILLS_USAGE.add)} and questions on it will find you.`;
    }
    case 'add': {
      await skills.add(userId, command.skills, clock.now());
      return `:white_check_mark: Added ${list(command.skills)}. Your skills: ${list(await skills.of(userId))}.`;
    }
    case 'remove': {
      const removed = await skills.remove(userId, command.skills);
      const missing = command.skills.filter((s) => !removed.includes(s));
      const mine = await skills.of(userId);
      return [
        removed.length > 0 ? `:wastebasket: Removed ${list(removed)}.` : '',
        missing.length > 0 ? `You had not listed ${list(missing)}.` : '',
        mine.length > 0 ? `Your skills: ${list(mine)}.` : 'You have no skills listed now.',
      ]
        .filter(Boolean)
        .join(' ');
    }
    case 'who': {
      const experts = await skills.experts(command.skill);
      return experts.length > 0
        ? `:busts_in_silhouette: People who know ${codeSpan(command.skill)}: ${experts.map(mentionUser).join(' ')}. Ask them all with ${codeSpan(`/ask ${command.skill}:`)} _question_.`
        : `:mag: Nobody has listed ${codeSpan(command.skill)} yet. If you know it, add it with ${codeSpan(`/frontline skills add ${command.skill}`)}.`;
    }
  }
}
