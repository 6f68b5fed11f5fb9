import type { WebClient } from '@slack/web-api';
import { UserError } from '../errors.ts';
import type { Logger } from '../logger.ts';
import { mentionChannel, mentionUser } from '../slack/mentions.ts';
import type { DeptCommand } from './departments.commands.ts';
import { formatMinutes } from './departments.models.ts';
import type { DepartmentInput, DepartmentsRepository } from './departments.repository.ts';

const notFound = (key: string) =>
  new UserError('departments.not_found', `:mag: There is no department \`${key}\`. See them all with \`/frontline dept list\`.`);

/** Creates or updates a department and joins its channel so escalations can be posted there. */
export async function addDepartment({ repo, slack, logger }: { repo: DepartmentsRepository; slack: WebClient; logger: Logger }, input: DepartmentInput): Promise<string> {
  const { department, created } = await repo.upsert(input);
  let joinNote = '';
  try {
    await slack.conversations.join({ channel: input.channelId });
  } catch (error) {
    // Private channels cannot be joined by the app: someone there has to invite it.
    logger.info({ err: error, channel: input.channelId }, 'could not join a department channel');
    joinNote = `\n:information_source: I could not join ${mentionChannel(input.channelId)} by myself. If it is private, type \`/invite @Frontline\` there.`;
  }
  return `:white_check_mark: ${created ? 'Added' : 'Updated'} *${department.name}* (\`${input.key}\`): escalations go to ${mentionChannel(input.channelId)}.${joinNote}`;
}

/** Carries out an admin `/frontline dept` command and returns the confirmation to show. */
export async function runDeptCommand(deps: { repo: DepartmentsRepository; slack: WebClient; logger: Logger }, command: Exclude<DeptCommand, { action: 'list' }>): Promise<string> {
  const { repo } = deps;
  switch (command.action) {
    case 'add':
      return addDepartment(deps, command);
    case 'remove':
      if (!(await repo.archive(command.key))) throw notFound(command.key);
      return `:wastebasket: Removed \`${command.key}\`. Its past escalations keep their history.`;
    case 'leads':
      if (!(await repo.setLeads(command.key, command.leads))) throw notFound(command.key);
      return `:busts_in_silhouette: Leads of \`${command.key}\`: ${command.leads.map(mentionUser).join(' ')}.`;
    case 'sla':
      if (!(await repo.setSla(command.key, command.priority, command.target))) throw notFound(command.key);
      return `:stopwatch: \`${command.key}\` ${command.priority}: acknowledge within ${formatMinutes(command.target.ackMinutes)}, resolve within ${formatMinutes(command.target.resolveHours * 60)}.`;
    case 'keywords':
      if (!(await repo.setKeywords(command.key, command.keywords))) throw notFound(command.key);
      return `:label: Keywords of \`${command.key}\`: ${command.keywords.join(', ')}.`;
    case 'hours':
      if (!(await repo.setWorkingHours(command.key, command))) throw notFound(command.key);
      return `:clock9: Working hours of \`${command.key}\` saved: ${command.workStart}-${command.workEnd}${command.timezone ? ` ${command.timezone}` : ''}.`;
  }
}
