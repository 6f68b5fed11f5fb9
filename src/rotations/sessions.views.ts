// What shadows and hosts see about sessions: assignment DMs, reminders, prompts, the reflection modal, Home.
import type { ModalView } from '@slack/types';
import { z } from 'zod';
import { type Blocks, actions, button, context, option, plain, section, slackDate } from '../slack/blocks.ts';
import type { MessageContent } from '../slack/messaging.ts';
import { mentionUser } from '../slack/mentions.ts';
import { ROTATION_IDS as IDS } from './rotations.ids.ts';
import type { Session, SessionWithRotation } from './sessions.repository.ts';

const when = (s: SessionWithRotation) => `${slackDate(s.startsAt)} for ${s.durationMinutes} minutes`;
const plainWhen = (s: SessionWithRotation) => `${s.startsAt.toISOString().replace('T', ' ').slice(0, 16)} UTC`;

/** The DM a shadow gets when a session is theirs to take. */
export function assignmentMessage(s: SessionWithRotation): MessageContent {
  const id = String(s.id);
  return {
    text: `You're shadowing ${s.rotationName} on ${plainWhen(s)} with <@${s.hostId}>. Accept, swap or pass it on.`,
    blocks: [
      section(`:wave: *You're up to shadow support* (${s.rotationName})\n*When:* ${when(s)}\n*With:* ${mentionUser(s.hostId)}`),
      context('What to expect: you sit in on live customer conversations with your host, ask anything, and afterwards share a short reflection. No preparation needed.'),
      actions('rotation_answer', [
        button('Accept', IDS.accept, { value: id, style: 'primary' }),
        button('Swap to a later date', IDS.swap, { value: id }),
        button("Can't make it", IDS.cantMakeIt, { value: id }),
      ]),
    ],
  };
}

/** What an assignment DM becomes when its seat is cancelled (rotation changed or deleted, person away). */
export function withdrawnMessage(rotationName: string, seat: Session): { text: string; blocks: Blocks } {
  const text = `This ${rotationName} shadow session is no longer yours: the plan changed. Nothing to do.`;
  return { text, blocks: [section(`~${rotationName} · ${slackDate(seat.startsAt)}~`), context(`:information_source: ${text}`)] };
}

export function hostChangedMessage(rotationName: string, seat: Session): MessageContent {
  const text = `Your ${rotationName} shadow session now has a new host: ${mentionUser(seat.hostId)} (the previous host is away that day).`;
  return { text, blocks: [section(`:arrows_counterclockwise: Your *${rotationName}* shadow session ${slackDate(seat.startsAt)} now has a new host: ${mentionUser(seat.hostId)}. The previous host is away that day.`)] };
}

/** Replaces the assignment DM once answered, so the buttons cannot be pressed again. */
export function answeredMessage(s: SessionWithRotation, outcome: string): MessageContent {
  return { text: outcome, blocks: [section(`*${s.rotationName}* · ${when(s)} with ${mentionUser(s.hostId)}`), context(outcome)] };
}

export const hostToldOfChange = (s: SessionWithRotation, from: string, to: string | undefined, swapped: boolean): MessageContent => {
  const why = swapped ? 'swapped to a later date' : "can't make it";
  const next = to ? `${mentionUser(to)} has been offered the seat.` : 'Nobody else is free that day, so the seat stays empty.';
  return { text: `${mentionUser(from)} ${why} for your ${s.rotationName} session on ${plainWhen(s)}. ${next}`, blocks: [section(`:arrows_counterclockwise: ${mentionUser(from)} ${why} for your *${s.rotationName}* session ${when(s)}.\n${next}`)] };
};

export function reminderMessage(seats: SessionWithRotation[], audience: 'shadow' | 'host', soon: boolean): MessageContent {
  const s = seats[0]!;
  const lead = soon ? 'starts in 15 minutes' : 'is tomorrow';
  const who = audience === 'shadow' ? `with ${mentionUser(s.hostId)}` : `shadowed by ${seats.map((x) => mentionUser(x.shadowId)).join(', ')}`;
  const text = `Reminder: your ${s.rotationName} shadow session ${lead} (${plainWhen(s)}), ${who}.`;
  return { text, blocks: [section(`:alarm_clock: Your *${s.rotationName}* shadow session ${lead}: ${slackDate(s.startsAt)}, ${who}.`)] };
}

export const untakenMessage = (s: SessionWithRotation): MessageContent => ({
  text: `Nobody has accepted the ${s.rotationName} shadow session on ${plainWhen(s)} yet (offered to <@${s.shadowId}>, host <@${s.hostId}>).`,
  blocks: [section(`:warning: Nobody has accepted the *${s.rotationName}* shadow session ${slackDate(s.startsAt)} yet. It is offered to ${mentionUser(s.shadowId)}, hosted by ${mentionUser(s.hostId)}.`)],
});

export const reflectionPrompt = (s: SessionWithRotation): MessageContent => ({
  text: `Thanks for shadowing ${s.rotationName}! Share a two-minute reflection?`,
  blocks: [section(`:speech_balloon: Thanks for shadowing *${s.rotationName}* with ${mentionUser(s.hostId)}. What stood out? Your reflection reaches leadership in the customer digest.`), actions('rotation_reflect', [button('Share a reflection', IDS.openReflection, { value: String(s.id), style: 'primary' })])],
});

export const attendancePrompt = (seats: SessionWithRotation[]): MessageContent => {
  const s = seats[0]!;
  return {
    text: `Did your shadows come to the ${s.rotationName} session on ${plainWhen(s)}?`,
    blocks: seats.flatMap((x) => [
      section(`Did ${mentionUser(x.shadowId)} come to your *${x.rotationName}* session ${slackDate(x.startsAt)}?`),
      actions(`rotation_attendance_${x.id}`, [button('Attended', IDS.attended, { value: String(x.id), style: 'primary' }), button('No-show', IDS.noShow, { value: String(x.id) })]),
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
      context(`About your *${rotationName}* session.`),
      { type: 'input', block_id: IDS.surprised, label: plain('What surprised you?'), element: { type: 'plain_text_input', action_id: IDS.surprised, multiline: true, max_length: 1000 } },
      { type: 'input', block_id: IDS.fix, label: plain('One thing the company should fix'), element: { type: 'plain_text_input', action_id: IDS.fix, multiline: true, max_length: 1000 } },
      {
        type: 'input',
        block_id: IDS.usefulness,
        label: plain('How useful was it?'),
        element: { type: 'static_select', action_id: IDS.usefulness, options: ['1 - not useful', '2', '3', '4', '5 - very useful'].map((t, i) => option(t, String(i + 1))) },
      },
    ],
  };
}

const reflectionSchema = z.object({
  surprised: z.string().trim().min(3, 'Tell us a little more').max(1000),
  fix: z.string().trim().min(3, 'Tell us a little more').max(1000),
  usefulness: z.coerce.number().int().min(1, 'Pick how useful it was').max(5, 'Pick how useful it was'),
});

type StateValues = Record<string, Record<string, { value?: string | null; selected_option?: { value: string } | null }>>;

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
  return `:calendar: Your next shadow session: *${next.rotationName}* ${when(next)} with ${mentionUser(next.hostId)}, ${state}.`;
}

const OUTCOME: Record<string, string> = { held: 'held', no_show: 'missed', declined: 'passed on', accepted: 'accepted', offered: 'not answered', planned: 'planned' };

/** The shadowing part of App Home. */
export function renderShadowHome(next: SessionWithRotation | undefined, history: SessionWithRotation[], isAdmin: boolean): Blocks {
  const blocks: Blocks = [section(`:busts_in_silhouette: *Shadowing support*\n${renderNextSession(next)}`)];
  if (history.length > 0) blocks.push(context(`Your history: ${history.map((h) => `${h.rotationName} ${h.localDate} (${OUTCOME[h.status] ?? h.status})`).join(' · ')}`));
  if (isAdmin) blocks.push(actions('rotations_home', [button('Set up a rotation', IDS.openSetup, { style: 'primary' })]));
  return blocks;
}
