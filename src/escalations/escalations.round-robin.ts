// Round-robin: who may take the next turn in a department, read before the raise's transaction
// (Slack and other capabilities are asked outside it; the turn itself is taken inside).
import type { WebClient } from '@slack/web-api';
import { DateTime } from 'luxon';
import type { Availability } from '../availability.ts';
import type { Department } from '../departments/departments.repository.ts';
import type { Logger } from '../logger.ts';
import { isWorkingTime, type WorkingHours } from './escalations.models.ts';

export interface Turn {
  /** The whole group, which fixes the order of turns. */
  members: string[];
  /** Those who may take this turn: working now, not away, not the requester. */
  eligible: Set<string>;
}

/**
 * The department's round-robin group and who in it may be assigned now, or undefined when it has
 * none, it is outside working hours, or Slack could not say who is in the group (then it waits in the queue).
 */
export async function roundRobinTurn(
  deps: { slack: WebClient; logger: Logger; availability: Availability },
  {
    department,
    hours,
    requesterId,
    now,
  }: { department: Department; hours: WorkingHours; requesterId: string | null; now: Date },
): Promise<Turn | undefined> {
  if (!department.roundRobinGroup || !isWorkingTime(now, hours)) return undefined;
  let members: string[];
  try {
    members = (await deps.slack.usergroups.users.list({ usergroup: department.roundRobinGroup })).users ?? [];
  } catch (error) {
    deps.logger.warn(
      { err: error, department: department.key },
      'could not read a round-robin group; left in the queue',
    );
    return undefined;
  }
  const today = DateTime.fromJSDate(now, { zone: hours.timezone }).toISODate() ?? '';
  const away = await deps.availability.awayOn(members, today);
  return { members, eligible: new Set(members.filter((id) => !away.has(id) && id !== requesterId)) };
}
