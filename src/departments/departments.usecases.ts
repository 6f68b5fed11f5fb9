import type { WebClient } from '@slack/web-api';
import { UserError } from '../errors.ts';
import type { Logger } from '../logger.ts';
import { mentionChannel, mentionUser, mentionUserGroup, nameUsergroup } from '../slack/mentions.ts';
import { slackErrorCode } from '../slack/messaging.ts';
import { escapeMrkdwn } from '../slack/mrkdwn.ts';
import type { DepartmentSettings } from './department-edit.views.ts';
import type { DeptCommand } from './departments.commands.ts';
import { canEditDepartment, describeHolidays, describeIntakeFields, formatMinutes } from './departments.models.ts';
import type { DepartmentInput, DepartmentsRepository } from './departments.repository.ts';

/** A department key that names no active department. */
export const notFound = (key: string) =>
  new UserError(
    'departments.not_found',
    `:mag: There is no department \`${key}\`. See them all with \`/frontline dept list\`.`,
  );

/** Someone who neither leads the department nor is an admin. */
export const notLead = () =>
  new UserError('departments.not_lead', ':lock: Only its leads and Frontline admins can change a department.');

/** Creates or updates a department and joins its channel so escalations can be posted there. */
export async function addDepartment(
  { repo, slack, logger }: { repo: DepartmentsRepository; slack: WebClient; logger: Logger },
  input: DepartmentInput,
): Promise<string> {
  const { department, created } = await repo.upsert(input);
  let joinNote = '';
  try {
    await slack.conversations.join({ channel: input.channelId });
  } catch (error) {
    // Private channels cannot be joined by the app: someone there has to invite it.
    logger.info({ err: error, channel: input.channelId }, 'could not join a department channel');
    joinNote = `\n:information_source: I could not join ${mentionChannel(input.channelId)} by myself. If it is private, type \`/invite @Frontline\` there.`;
  }
  return `:white_check_mark: ${created ? 'Added' : 'Updated'} *${escapeMrkdwn(department.name)}* (\`${input.key}\`): escalations go to ${mentionChannel(input.channelId)}.${joinNote}`;
}

/** Checks Slack knows the user group and it has members, so round-robin does not silently assign nobody. */
async function requireUsergroup(slack: WebClient, group: { id: string; handle: string | null }): Promise<void> {
  const users = await slack.usergroups.users
    .list({ usergroup: group.id })
    .then((res) => res.users ?? [])
    // Slack's refusal (no_such_subteam and the like) means it does not know the group; a failure to
    // answer at all is ours, and goes to the person as one, not as a wrong group.
    .catch((error: unknown) => {
      if (slackErrorCode(error)) return undefined;
      throw error;
    });
  if (!users)
    throw new UserError(
      'departments.unknown_usergroup',
      ':mag: Slack does not know that user group. Mention it with @, as you would in a message.',
    );
  if (users.length === 0)
    throw new UserError(
      'departments.empty_usergroup',
      `:busts_in_silhouette: ${escapeMrkdwn(nameUsergroup(group))} has nobody in it yet; add people to it in Slack first.`,
    );
}

/** Carries out an admin `/frontline dept` command and returns the confirmation to show. */
export async function runDeptCommand(
  deps: { repo: DepartmentsRepository; slack: WebClient; logger: Logger },
  command: Exclude<DeptCommand, { action: 'list' }>,
): Promise<string> {
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
      return `:label: Keywords of \`${command.key}\`: ${escapeMrkdwn(command.keywords.join(', '))}.`;
    case 'fields':
      if (!(await repo.setIntakeFields(command.key, command.fields))) throw notFound(command.key);
      return command.fields.length
        ? `:memo: Escalations to \`${command.key}\` ask for: ${escapeMrkdwn(describeIntakeFields(command.fields))}.`
        : `:memo: Escalations to \`${command.key}\` ask for no extra fields.`;
    case 'oncall':
      if (!(await repo.setOncall(command.key, command.groupId))) throw notFound(command.key);
      // A private reply pings nobody, so the group shows by its live name.
      return command.groupId
        ? `:rotating_light: Urgent escalations to \`${command.key}\` mention ${mentionUserGroup(command.groupId)}; high ones mention it in the thread.`
        : `:rotating_light: Urgent escalations to \`${command.key}\` mention its leads.`;
    case 'hours':
      if (!(await repo.setWorkingHours(command.key, command))) throw notFound(command.key);
      return `:clock9: Working hours of \`${command.key}\` saved: ${command.workStart}-${command.workEnd}${command.timezone ? ` ${command.timezone}` : ''}.`;
    case 'assign': {
      if (command.group) await requireUsergroup(deps.slack, command.group);
      if (!(await repo.setRoundRobin(command.key, command.group))) throw notFound(command.key);
      return command.group
        ? `:arrows_counterclockwise: New \`${command.key}\` escalations go in turn to a member of ${escapeMrkdwn(nameUsergroup(command.group))} who is working and not away; they can hand one back to the queue.`
        : `:arrows_counterclockwise: New \`${command.key}\` escalations wait in the queue for someone to claim them.`;
    }
    case 'holidays': {
      if (command.holidays && !(await repo.setHolidays(command.key, command.holidays))) throw notFound(command.key);
      const holidays = command.holidays ?? (await repo.get(command.key))?.holidays;
      if (!holidays) throw notFound(command.key);
      const dates = describeHolidays(holidays);
      return dates
        ? `:palm_tree: Holidays of \`${command.key}\`: ${dates}. Working-hours SLAs and reminders skip them, like weekends.`
        : `:palm_tree: \`${command.key}\` has no holidays of its own (workspace holidays still count: \`/frontline set holidays\`).`;
    }
  }
}

/** Saves the Edit form of a department, for its leads and admins only. */
export async function editDepartment(
  { repo }: { repo: DepartmentsRepository },
  { key, userId, isAdmin, settings }: { key: string; userId: string; isAdmin: boolean; settings: DepartmentSettings },
): Promise<string> {
  const department = await repo.get(key);
  if (!department) throw notFound(key);
  if (!canEditDepartment(department, userId, isAdmin)) throw notLead();
  if (!(await repo.update(key, settings))) throw notFound(key);
  return `:white_check_mark: Saved the leads, working hours and response targets of *${escapeMrkdwn(department.name)}*.`;
}
