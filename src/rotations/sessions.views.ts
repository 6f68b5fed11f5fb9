// What shadows and hosts see about sessions: the sessions messages, reminders, prompts, the reflection modal, Home.
import type { ModalView } from '@slack/types';
import { z } from 'zod';
import {
  actions,
  type Blocks,
  button,
  context,
  divider,
  header,
  option,
  plain,
  type StateValues,
  section,
  slackDate,
} from '../slack/blocks.ts';
import { mentionUser } from '../slack/mentions.ts';
import type { MessageContent } from '../slack/messaging.ts';
import { escapeMrkdwn } from '../slack/mrkdwn.ts';
import { ROTATION_IDS as IDS } from './rotations.ids.ts';
import type { SessionStatus } from './rotations.models.ts';
import type { Session, SessionWithRotation } from './sessions.repository.ts';

const when = (s: SessionWithRotation) => `${slackDate(s.startsAt)} for ${s.durationMinutes} minutes`;
/** The rotation's name as typed, safe in mrkdwn. */
const nameOf = (s: { rotationName: string }) => escapeMrkdwn(s.rotationName);
// Notifications too: Slack formats <!date> in each reader's own zone there, and the fallback is UTC.
const plainWhen = (s: SessionWithRotation) => slackDate(s.startsAt);

/** Swap and Can't make it, on the offer and after Accept, until the session starts. */
const changeButtons = (id: string) => [
  button('Swap to a later date', IDS.swap, { value: id }),
  button("Can't make it", IDS.cantMakeIt, {
    value: id,
    confirm: {
      title: "Can't make it?",
      text: 'The session goes to the next person in line, and it counts as your turn.',
      confirm: 'Pass it on',
      deny: 'Keep it',
    },
  }),
];

/** Sessions listed with their buttons in one message; later ones appear as these pass. */
const SESSIONS_SHOWN = 10;
const WITHDRAWN_SHOWN = 5;

const sessionKey = (s: Session) => `${s.rotationId}:${s.startsAt.getTime()}`;
const answerState = (s: Session) =>
  s.status === 'accepted' ? ':white_check_mark: You accepted' : ':hourglass_flowing_sand: Waiting for your answer';

/**
 * The one message a person gets about their shadow sessions, edited as plans change: each upcoming
 * session with its buttons (Accept until accepted; Swap and Can't make it until it starts), then
 * the sessions that were theirs and no longer are.
 */
export function sessionsMessage({
  upcoming,
  withdrawn,
}: {
  upcoming: SessionWithRotation[];
  withdrawn: SessionWithRotation[];
}): MessageContent {
  const live = new Set(upcoming.map(sessionKey));
  const gone = withdrawn.filter((s) => !live.has(sessionKey(s)));
  const goneLine =
    gone.length > 0
      ? [
          context(
            `No longer yours: ${gone
              .slice(0, WITHDRAWN_SHOWN)
              .map(
                (s) =>
                  `~${nameOf(s)} · ${slackDate(s.startsAt)}~ (${s.status === 'declined' ? 'you passed it on' : s.rotationDeletedAt ? 'the rotation was deleted' : 'the plan changed'})`,
              )
              .join(', ')}${gone.length > WITHDRAWN_SHOWN ? `, and ${gone.length - WITHDRAWN_SHOWN} more` : ''}.`,
          ),
        ]
      : [];
  const next = upcoming[0];
  if (!next)
    return {
      text: 'You have no shadow sessions planned right now.',
      blocks: [section(':calendar: *Your shadow sessions*\nNothing planned for you right now.'), ...goneLine],
    };
  const waiting = upcoming.filter((s) => s.status === 'offered').length;
  const shown = upcoming.slice(0, SESSIONS_SHOWN);
  const later = upcoming.length - shown.length;
  return {
    text: `${upcoming.length === 1 ? '1 shadow session' : `${upcoming.length} shadow sessions`} planned for you. Next: ${nameOf(next)}, ${plainWhen(next)}, with ${mentionUser(next.hostId)}.${waiting > 0 ? ` ${waiting} waiting for your answer.` : ''}`,
    blocks: [
      section(':calendar: *Your shadow sessions*'),
      context(
        'You sit in on live customer conversations with your host, ask anything, and afterwards share a short reflection. No preparation needed.',
      ),
      ...shown.flatMap((s) => {
        const id = String(s.id);
        const accept = s.status === 'offered' ? [button('Accept', IDS.accept, { value: id, style: 'primary' })] : [];
        return [
          divider(),
          section(`*${nameOf(s)}* · ${when(s)}\nWith ${mentionUser(s.hostId)} · ${answerState(s)}`),
          actions(`rotation_answer_${id}`, [...accept, ...changeButtons(id)]),
        ];
      }),
      ...(later > 0 || gone.length > 0 ? [divider()] : []),
      ...(later > 0
        ? [context(`And ${later === 1 ? '1 later session' : `${later} later sessions`}: they show here as these pass.`)]
        : []),
      ...goneLine,
    ],
  };
}

const LIVE_STATUSES: SessionStatus[] = ['offered', 'accepted'];

/**
 * The host's message about one session they host, edited as plans change: who shadows them, and
 * once nobody does, why (passed on, another host, the rotation deleted).
 */
export function hostSessionMessage(seats: SessionWithRotation[], hostId: string): MessageContent | undefined {
  const s = seats[0];
  if (!s) return undefined;
  const mine = seats.filter((x) => x.hostId === hostId && LIVE_STATUSES.includes(x.status));
  const passed = seats.filter((x) => x.hostId === hostId && x.status === 'declined').map((x) => x.shadowId);
  const cantMakeIt = passed.length > 0 ? `${listOf(passed.map(mentionUser))} can't make it.` : '';
  if (mine.length > 0) {
    const who = listOf(
      mine.map((x) => `${mentionUser(x.shadowId)} (${x.status === 'accepted' ? 'accepted' : 'not answered yet'})`),
    );
    return {
      text: `${who} will shadow you in your ${nameOf(s)} session: ${plainWhen(s)}.${cantMakeIt ? ` ${cantMakeIt}` : ''}`,
      blocks: [
        section(
          `:busts_in_silhouette: *${nameOf(s)}* · ${when(s)}\nShadowing you: ${who}${cantMakeIt ? `\n${cantMakeIt}` : ''}`,
        ),
        context(
          'Shadows sit in on your customer conversations and may ask questions. This message changes if the plan does.',
        ),
      ],
    };
  }
  const otherHost = seats.find((x) => x.hostId !== hostId && LIVE_STATUSES.includes(x.status))?.hostId;
  const why = s.rotationDeletedAt
    ? 'The rotation was deleted, so this session is cancelled.'
    : otherHost
      ? `${mentionUser(otherHost)} hosts this session now.`
      : cantMakeIt
        ? `Nobody shadows you in this session now: ${cantMakeIt.slice(0, -1)} and nobody else is free that day.`
        : 'Nobody shadows you in this session now: the plan changed.';
  return {
    text: `Your ${nameOf(s)} session ${plainWhen(s)}: ${why}`,
    blocks: [section(`~*${nameOf(s)}* · ${when(s)}~`), context(`:information_source: ${why}`)],
  };
}

/** "A", "A and B", "A, B and C". */
const listOf = (items: string[]) =>
  items.length <= 1 ? (items[0] ?? '') : `${items.slice(0, -1).join(', ')} and ${items.at(-1)}`;

export function reminderMessage(
  seats: SessionWithRotation[],
  audience: 'shadow' | 'host',
  soon: boolean,
): MessageContent {
  const s = seats[0]!;
  const lead = soon ? 'starts in 15 minutes' : 'is tomorrow';
  const who =
    audience === 'shadow'
      ? `with ${mentionUser(s.hostId)}`
      : `shadowed by ${seats.map((x) => mentionUser(x.shadowId)).join(', ')}`;
  const text = `Reminder: your ${nameOf(s)} shadow session ${lead} (${plainWhen(s)}), ${who}.`;
  return {
    text,
    blocks: [section(`:alarm_clock: Your *${nameOf(s)}* shadow session ${lead}: ${slackDate(s.startsAt)}, ${who}.`)],
  };
}

export const untakenMessage = (s: SessionWithRotation): MessageContent => ({
  text: `Nobody has accepted the ${nameOf(s)} shadow session on ${plainWhen(s)} yet (offered to ${mentionUser(s.shadowId)}, host ${mentionUser(s.hostId)}).`,
  blocks: [
    section(
      `:warning: Nobody has accepted the *${nameOf(s)}* shadow session ${slackDate(s.startsAt)} yet. It is offered to ${mentionUser(s.shadowId)}, hosted by ${mentionUser(s.hostId)}.`,
    ),
  ],
});

export const reflectionPrompt = (s: SessionWithRotation): MessageContent => ({
  text: `Thanks for shadowing ${nameOf(s)}! Share a two-minute reflection?`,
  blocks: [
    section(
      `:speech_balloon: Thanks for shadowing *${nameOf(s)}* with ${mentionUser(s.hostId)}. What stood out? Your reflection reaches leadership in the customer digest.`,
    ),
    actions('rotation_reflect', [
      button('Share a reflection', IDS.openReflection, { value: String(s.id), style: 'primary' }),
    ]),
  ],
});

export const attendancePrompt = (seats: SessionWithRotation[]): MessageContent => {
  const s = seats[0]!;
  return {
    text: `Did your shadows come to the ${nameOf(s)} session on ${plainWhen(s)}?`,
    blocks: seats.flatMap((x) => [
      section(`Did ${mentionUser(x.shadowId)} come to your *${nameOf(x)}* session ${slackDate(x.startsAt)}?`),
      actions(`rotation_attendance_${x.id}`, [
        button('Attended', IDS.attended, { value: String(x.id), style: 'primary' }),
        button('No-show', IDS.noShow, { value: String(x.id) }),
      ]),
    ]),
  };
};

export function reflectionModal(sessionId: number, rotationName: string): ModalView {
  return {
    type: 'modal',
    callback_id: IDS.reflectionModal,
    private_metadata: String(sessionId),
    title: plain('Shadowing reflection'),
    submit: plain('Send'),
    close: plain('Cancel'),
    blocks: [
      context(`About your *${escapeMrkdwn(rotationName)}* session.`),
      {
        type: 'input',
        block_id: IDS.surprised,
        label: plain('What surprised you?'),
        element: { type: 'plain_text_input', action_id: IDS.surprised, multiline: true, max_length: 1000 },
      },
      {
        type: 'input',
        block_id: IDS.fix,
        label: plain('One thing the company should fix'),
        element: { type: 'plain_text_input', action_id: IDS.fix, multiline: true, max_length: 1000 },
      },
      {
        type: 'input',
        block_id: IDS.usefulness,
        label: plain('How useful was it?'),
        element: {
          type: 'static_select',
          action_id: IDS.usefulness,
          options: ['1 - not useful', '2', '3', '4', '5 - very useful'].map((t, i) => option(t, String(i + 1))),
        },
      },
    ],
  };
}

const reflectionSchema = z.object({
  surprised: z.string().trim().min(3, 'Tell us a little more').max(1000),
  fix: z.string().trim().min(3, 'Tell us a little more').max(1000),
  usefulness: z.coerce.number().int().min(1, 'Pick how useful it was').max(5, 'Pick how useful it was'),
});

export function parseReflection(values: StateValues) {
  const parsed = reflectionSchema.safeParse({
    surprised: values[IDS.surprised]?.[IDS.surprised]?.value ?? '',
    fix: values[IDS.fix]?.[IDS.fix]?.value ?? '',
    usefulness: values[IDS.usefulness]?.[IDS.usefulness]?.selected_option?.value ?? 0,
  });
  if (parsed.success) return { ok: true as const, reflection: parsed.data };
  const block = { surprised: IDS.surprised, fix: IDS.fix, usefulness: IDS.usefulness } as Record<string, string>;
  const errors: Record<string, string> = {};
  for (const issue of parsed.error.issues) errors[block[String(issue.path[0])]!] ??= issue.message;
  return { ok: false as const, errors };
}

/** `/shadow` with no arguments. */
export function renderNextSession(next: SessionWithRotation | undefined): string {
  if (!next) return ':calendar: You have no shadow session coming up.';
  const state = next.status === 'accepted' ? 'accepted' : 'waiting for your answer (see my DM)';
  return `:calendar: Your next shadow session: *${nameOf(next)}* ${when(next)} with ${mentionUser(next.hostId)}, ${state}.`;
}

const OUTCOME: Record<string, string> = {
  held: 'held',
  no_show: 'missed',
  declined: 'passed on',
  accepted: 'accepted',
  offered: 'not answered',
  planned: 'planned',
};

/** The shadowing part of App Home. */
export function renderShadowHome(
  next: SessionWithRotation | undefined,
  history: SessionWithRotation[],
  isAdmin: boolean,
): Blocks {
  const blocks: Blocks = [header('Shadowing support'), section(renderNextSession(next))];
  if (history.length > 0)
    blocks.push(
      section(
        `*Your sessions so far*\n${history.map((h) => `• ${nameOf(h)}, ${h.localDate}: ${OUTCOME[h.status] ?? h.status}`).join('\n')}`,
      ),
    );
  if (isAdmin) blocks.push(actions('rotations_home', [button('Set up a rotation', IDS.openSetup)]));
  return blocks;
}
