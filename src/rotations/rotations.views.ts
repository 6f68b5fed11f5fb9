// Setting rotations up and seeing them: the setup modal (and its parser), lists, schedule, stats.

import type { ModalView, PlainTextOption, View } from '@slack/types';
import { z } from 'zod';
import { serialIdSchema } from '../db/ids.ts';
import {
  actions,
  type Blocks,
  button,
  context,
  header,
  option,
  plain,
  type StateValues,
  section,
  slackDate,
} from '../slack/blocks.ts';
import { mentionUser } from '../slack/mentions.ts';
import { escapeMrkdwn } from '../slack/mrkdwn.ts';
import { timeZoneSelect } from '../slack/time-zone-select.ts';
import { ROTATION_IDS as IDS } from './rotations.ids.ts';
import { describeCadence, type RotationSettings, rotationSettingsSchema, WEEKDAYS } from './rotations.models.ts';
import type { Rotation } from './rotations.repository.ts';
import type { SessionWithRotation } from './sessions.repository.ts';

type InputElement = Extract<View['blocks'][number], { type: 'input' }>['element'];
const input = (
  id: string,
  label: string,
  element: InputElement,
  extra: { optional?: boolean; hint?: string } = {},
) => ({
  type: 'input' as const,
  block_id: id,
  label: plain(label),
  element,
  ...(extra.optional ? { optional: true } : {}),
  ...(extra.hint ? { hint: plain(extra.hint) } : {}),
});

const NO_GROUP = 'none';

export interface SetupDefaults {
  rotation?: Rotation & { hostIds: string[]; userIds: string[] };
  timezone: string;
  usergroups: { id: string; name: string }[];
}

/** The setup modal; with `rotation` it edits that rotation. */
export function setupModal({ rotation: r, timezone, usergroups }: SetupDefaults): ModalView {
  const weekdays = WEEKDAYS.map((d, i) => option(d, String(i + 1)));
  const cadences = [option('Every week', 'weekly'), option('Every two weeks', 'biweekly')];
  const groupOptions: PlainTextOption[] = usergroups.slice(0, 98).map((g) => option(g.name, g.id));
  // Editing keeps the current group choosable even if Slack could not list groups, and lets it be removed.
  if (r?.usergroupId) {
    if (!groupOptions.some((o) => o.value === r.usergroupId))
      groupOptions.unshift(option(r.usergroupId, r.usergroupId));
    groupOptions.unshift(option('No user group', NO_GROUP));
  }
  const initialGroup = groupOptions.find((o) => o.value === r?.usergroupId);
  return {
    type: 'modal',
    callback_id: IDS.setupModal,
    private_metadata: r ? String(r.id) : '',
    title: plain(r ? 'Edit shadow rotation' : 'New shadow rotation'),
    submit: plain(r ? 'Save' : 'Create'),
    close: plain('Cancel'),
    blocks: [
      input(IDS.name, 'Rotation name', {
        type: 'plain_text_input',
        action_id: IDS.name,
        max_length: 60,
        placeholder: plain('Engineering shadows support'),
        ...(r ? { initial_value: r.name } : {}),
      }),
      header('Who'),
      section(
        '*Participants* are the people who shadow: pick a user group, or at least as many people as shadows per session, or both.',
      ),
      ...(groupOptions.length > 0
        ? [
            input(
              IDS.usergroup,
              'Participants from a user group',
              {
                type: 'static_select',
                action_id: IDS.usergroup,
                options: groupOptions,
                ...(initialGroup ? { initial_option: initialGroup } : {}),
              },
              { optional: true, hint: 'Its members are read again before each planning run.' },
            ),
          ]
        : []),
      input(
        IDS.users,
        'People',
        {
          type: 'multi_users_select',
          action_id: IDS.users,
          ...(r?.userIds.length ? { initial_users: r.userIds } : {}),
        },
        { optional: true, hint: 'Who shadows, besides any user group.' },
      ),
      input(IDS.hosts, 'Hosts (support agents being shadowed)', {
        type: 'multi_users_select',
        action_id: IDS.hosts,
        ...(r?.hostIds.length ? { initial_users: r.hostIds } : {}),
      }),
      header('When'),
      input(IDS.cadence, 'How often', {
        type: 'static_select',
        action_id: IDS.cadence,
        options: cadences,
        initial_option: cadences[r?.cadence === 'biweekly' ? 1 : 0]!,
      }),
      input(IDS.weekday, 'Day', {
        type: 'static_select',
        action_id: IDS.weekday,
        options: weekdays,
        initial_option: weekdays[(r?.weekday ?? 2) - 1]!,
      }),
      input(IDS.startTime, 'Start time', {
        type: 'timepicker',
        action_id: IDS.startTime,
        initial_time: r?.startTime ?? '14:00',
      }),
      input(IDS.duration, 'Duration (minutes)', {
        type: 'number_input',
        action_id: IDS.duration,
        is_decimal_allowed: false,
        min_value: '15',
        max_value: '480',
        initial_value: String(r?.durationMinutes ?? 60),
      }),
      input(IDS.timezone, 'Time zone', timeZoneSelect(IDS.timezone, r?.timezone ?? timezone)),
      header('Planning'),
      input(IDS.shadows, 'Shadows per session', {
        type: 'number_input',
        action_id: IDS.shadows,
        is_decimal_allowed: false,
        min_value: '1',
        max_value: '10',
        initial_value: String(r?.shadowsPerSession ?? 1),
      }),
      input(IDS.planAhead, 'Plan ahead (weeks)', {
        type: 'number_input',
        action_id: IDS.planAhead,
        is_decimal_allowed: false,
        min_value: '1',
        max_value: '26',
        initial_value: String(r?.planAheadWeeks ?? 8),
      }),
    ],
  };
}

/** Reads the setup modal; field errors are keyed by block for `response_action: errors`. */
export function parseSetupSubmission(
  values: StateValues,
): { ok: true; settings: RotationSettings } | { ok: false; errors: Record<string, string> } {
  const leaf = (id: string) => values[id]?.[id];
  const raw = {
    name: leaf(IDS.name)?.value ?? '',
    usergroupId: [undefined, NO_GROUP].includes(leaf(IDS.usergroup)?.selected_option?.value)
      ? null
      : leaf(IDS.usergroup)!.selected_option!.value,
    userIds: leaf(IDS.users)?.selected_users ?? [],
    hostIds: leaf(IDS.hosts)?.selected_users ?? [],
    cadence: leaf(IDS.cadence)?.selected_option?.value,
    weekday: leaf(IDS.weekday)?.selected_option?.value,
    startTime: leaf(IDS.startTime)?.selected_time ?? '',
    durationMinutes: leaf(IDS.duration)?.value ?? '',
    timezone: leaf(IDS.timezone)?.selected_option?.value ?? '',
    shadowsPerSession: leaf(IDS.shadows)?.value ?? '',
    planAheadWeeks: leaf(IDS.planAhead)?.value ?? '',
  };
  const blockOf: Record<string, string> = {
    name: IDS.name,
    usergroupId: IDS.usergroup,
    userIds: IDS.users,
    hostIds: IDS.hosts,
    cadence: IDS.cadence,
    weekday: IDS.weekday,
    startTime: IDS.startTime,
    durationMinutes: IDS.duration,
    timezone: IDS.timezone,
    shadowsPerSession: IDS.shadows,
    planAheadWeeks: IDS.planAhead,
  };
  const parsed = rotationSettingsSchema.safeParse(raw);
  const errors: Record<string, string> = {};
  if (!parsed.success)
    for (const issue of parsed.error.issues) errors[blockOf[String(issue.path[0])] ?? IDS.name] ??= issue.message;
  if (!parsed.success || Object.keys(errors).length > 0) return { ok: false, errors };
  return { ok: true, settings: parsed.data };
}

// What setupModal writes in private_metadata: nothing for a new rotation, else the edited one's id.
const setupTargetSchema = z.union([z.literal('').transform(() => undefined), serialIdSchema]);

/** The rotation a setup modal edits (undefined: a new one), or `false` when the metadata is not what the app wrote. */
export function parseSetupTarget(privateMetadata: string | undefined): number | undefined | false {
  const target = setupTargetSchema.safeParse(privateMetadata ?? '');
  return target.success ? target.data : false;
}

const statusLabel = (r: Rotation) => (r.paused ? ' _(paused)_' : '');

/** `/shadow rotations`: every rotation, with admin buttons to edit, pause and delete. */
export function renderRotationList(
  list: (Rotation & { members: number; hosts: number })[],
  isAdmin: boolean,
): { text: string; blocks: Blocks } {
  if (list.length === 0) {
    const text = 'No shadow rotations yet. An admin can start one with `/shadow setup`.';
    return { text, blocks: [section(`:busts_in_silhouette: ${text}`)] };
  }
  const line = (r: (typeof list)[number]) =>
    `*${escapeMrkdwn(r.name)}*${statusLabel(r)}: ${describeCadence(r)}, ${r.shadowsPerSession} shadow${r.shadowsPerSession === 1 ? '' : 's'} per session · ${r.members} participants · ${r.hosts} hosts`;
  const blocks: Blocks = [section(`:busts_in_silhouette: *Shadow rotations* (${list.length})`)];
  for (const r of list.slice(0, 15)) {
    blocks.push(section(line(r)));
    if (isAdmin) {
      blocks.push(
        actions(`rotation_${r.id}`, [
          button('Edit', IDS.edit, { value: String(r.id) }),
          r.paused
            ? button('Resume', IDS.resume, { value: String(r.id) })
            : button('Pause', IDS.pause, { value: String(r.id) }),
          button('Delete', IDS.remove, {
            value: String(r.id),
            style: 'danger',
            confirm: {
              title: 'Delete this rotation?',
              text: `*${escapeMrkdwn(r.name)}* stops, and its planned sessions are withdrawn from everyone’s DMs. Past sessions stay in the history.`,
              confirm: 'Delete',
              style: 'danger',
            },
          }),
        ]),
      );
    }
  }
  return { text: `Shadow rotations:\n${list.map(line).join('\n')}`, blocks };
}

const sessionLine = (s: SessionWithRotation) =>
  `${slackDate(s.startsAt)} · *${escapeMrkdwn(s.rotationName)}* · ${mentionUser(s.shadowId)} with ${mentionUser(s.hostId)}${s.status === 'accepted' ? ' :white_check_mark:' : ''}`;

/** The upcoming plan, one line per seat; `title` is mrkdwn. */
export function renderSchedule(title: string, list: SessionWithRotation[]): { text: string; blocks: Blocks } {
  if (list.length === 0)
    return { text: `${title}: nothing planned.`, blocks: [section(`:calendar: *${title}*: nothing planned.`)] };
  const lines = list.slice(0, 40).map(sessionLine);
  const more = list.length > 40 ? [context(`…and ${list.length - 40} more.`)] : [];
  return {
    text: `${title}:\n${lines.join('\n')}`,
    blocks: [section(`:calendar: *${title}*`), section(lines.join('\n')), ...more],
  };
}

type Tally = { userId: string; held: number; declined: number; noShows: number };

/** `/shadow stats`: per person and per host, so fairness is visible. */
export function renderStats(stats: { shadows: Tally[]; hosts: Tally[] }): { text: string; blocks: Blocks } {
  const rows = (list: Tally[]) =>
    [...list]
      .sort((a, b) => b.held - a.held || a.userId.localeCompare(b.userId))
      .slice(0, 40)
      .map((t) => `${mentionUser(t.userId)}: ${t.held} held · ${t.declined} declined · ${t.noShows} no-shows`);
  if (stats.shadows.length === 0)
    return { text: 'No shadow sessions yet.', blocks: [section(':bar_chart: No shadow sessions yet.')] };
  const shadows = rows(stats.shadows).join('\n');
  const hosts = rows(stats.hosts).join('\n');
  return {
    text: `Shadowing stats\nShadows:\n${shadows}\nHosts:\n${hosts}`,
    blocks: [section(':bar_chart: *Shadowing stats*'), section(`*Shadows*\n${shadows}`), section(`*Hosts*\n${hosts}`)],
  };
}
