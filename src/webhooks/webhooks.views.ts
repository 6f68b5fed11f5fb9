// What webhook commands answer and the notice a paused subscription sends: pure functions to { text, blocks }.
import { actions, type Blocks, button, context, header, section, slackDate } from '../slack/blocks.ts';
import { codeSpan, escapeMrkdwn } from '../slack/mrkdwn.ts';
import { WEBHOOK_IDS as IDS } from './webhooks.ids.ts';
import { SIGNATURE_HEADER, TIMESTAMP_HEADER } from './webhooks.models.ts';
import type { WebhookDelivery, WebhookSubscription } from './webhooks.repository.ts';

export interface Reply {
  text: string;
  blocks: Blocks;
}

/** A URL shown as text, never as a live link (it may be anything an admin typed). */
const urlText = (url: string) => codeSpan(url);
/** The same in a notification's plain text, which Slack reads as mrkdwn too. */
const urlInert = (url: string) => escapeMrkdwn(url);
const eventsText = (events: string[]) =>
  events.length === 0 ? 'every event' : events.map((e) => codeSpan(e)).join(', ');

const plural = (n: number, one: string, many = `${one}s`) => `${n} ${n === 1 ? one : many}`;

/** The answer to `/frontline webhook add`: the secret, shown this once. */
export function renderCreated(subscription: WebhookSubscription): Reply {
  const text = `Webhook ${subscription.id} added: ${urlInert(subscription.url)} gets ${subscription.events.length === 0 ? 'every event' : subscription.events.join(', ')}. Its signing secret is shown only now.`;
  return {
    text,
    blocks: [
      section(
        `:white_check_mark: Webhook ${codeSpan(subscription.id)} added. ${urlText(subscription.url)} gets ${eventsText(subscription.events)}.`,
      ),
      section(
        `*Signing secret* (shown only this once; keep it in your receiver’s secrets):\n${codeSpan(subscription.secret)}`,
      ),
      context(
        `Each delivery is a POST of JSON ${codeSpan('{ id, type, time, data }')} with ${codeSpan(TIMESTAMP_HEADER)} and ${codeSpan(SIGNATURE_HEADER)}: ${codeSpan('v1=')} + HMAC-SHA256 of ${codeSpan('v1:<timestamp>:<body>')} with this secret. See docs/integrations/verify-signatures.md.`,
      ),
    ],
  };
}

function statusLine({ subscription, waiting }: { subscription: WebhookSubscription; waiting: number }): string {
  const state =
    subscription.status === 'paused'
      ? `:red_circle: *paused*${subscription.pausedAt ? ` since ${slackDate(subscription.pausedAt)}` : ''}`
      : subscription.failingSince
        ? `:warning: failing since ${slackDate(subscription.failingSince)}`
        : ':large_green_circle: active';
  const from = subscription.source === 'config' ? ' · from FRONTLINE_CONFIG' : '';
  const queue = waiting > 0 ? ` · ${plural(waiting, 'delivery', 'deliveries')} waiting` : '';
  return `${codeSpan(subscription.id)} ${urlText(subscription.url)}\n      ${state} · ${eventsText(subscription.events)}${queue}${from}`;
}

/** `/frontline webhook list`. */
export function renderList(list: { subscription: WebhookSubscription; waiting: number }[]): Reply {
  if (list.length === 0)
    return {
      text: 'No webhooks yet. Add one with /frontline webhook add and an https URL.',
      blocks: [
        section(
          `:outbox_tray: No webhooks yet. Add one with ${codeSpan('/frontline webhook add <https-url> [event,…]')} to send Frontline’s events to your helpdesk.`,
        ),
      ],
    };
  return {
    text: `Webhooks: ${list.map(({ subscription }) => `${subscription.id} ${urlInert(subscription.url)} (${subscription.status})`).join('; ')}`,
    blocks: [
      header('Webhooks'),
      ...list.map((item) => section(statusLine(item))),
      context(`See what was sent with ${codeSpan('/frontline webhook log <id>')}.`),
    ],
  };
}

/** The confirm step of `/frontline webhook remove`. */
export function renderRemoveConfirm(subscription: WebhookSubscription, waiting: number): Reply {
  const dropped =
    waiting > 0 ? ` The ${plural(waiting, 'delivery', 'deliveries')} still waiting will not be sent.` : '';
  const text = `Remove webhook ${subscription.id} (${urlInert(subscription.url)})? It stops receiving events.${dropped}`;
  return {
    text,
    blocks: [
      section(
        `:wastebasket: Remove webhook ${codeSpan(subscription.id)} to ${urlText(subscription.url)}? It stops receiving events at once.${dropped}`,
      ),
      actions(IDS.removeBlock, [
        button('Remove webhook', IDS.removeButton, {
          value: subscription.id,
          style: 'danger',
          // The address is in the message above; a long one would pass the dialog's 300 characters.
          confirm: {
            title: 'Remove this webhook?',
            text: `Webhook ${codeSpan(subscription.id)} gets no more events. This cannot be undone.`,
            confirm: 'Remove',
            deny: 'Keep it',
            style: 'danger',
          },
        }),
        button('Keep it', IDS.keepButton, { value: subscription.id }),
      ]),
    ],
  };
}

export const removedReply = (subscription: { id: string; url: string }) =>
  `:wastebasket: Webhook ${codeSpan(subscription.id)} to ${urlText(subscription.url)} is removed. It gets no more events.`;

export const keptReply = (id: string) => `:ok_hand: Webhook ${codeSpan(id)} stays as it is.`;

export const resumedReply = (subscription: WebhookSubscription, waiting: number) =>
  `:arrow_forward: Webhook ${codeSpan(subscription.id)} is resumed.${waiting > 0 ? ` Sending the ${plural(waiting, 'delivery', 'deliveries')} that waited, in order.` : ''}`;

export const notPausedReply = (subscription: WebhookSubscription) =>
  `:information_source: Webhook ${codeSpan(subscription.id)} is not paused; nothing to resume.`;

/** The DM to admins when a subscription failed for a day. */
export function renderPausedNotice({
  subscription,
  lastProblem,
  waiting,
}: {
  subscription: WebhookSubscription;
  lastProblem: string;
  waiting: number;
}): Reply {
  const kept = `${plural(waiting, 'delivery', 'deliveries')} ${waiting === 1 ? 'is' : 'are'} kept and will be sent in order once it is resumed.`;
  const text = `Webhook ${subscription.id} to ${urlInert(subscription.url)} is paused: every delivery failed for 24 hours (last: ${escapeMrkdwn(lastProblem)}). ${kept} Fix the receiver, then run /frontline webhook resume ${subscription.id}.`;
  return {
    text,
    blocks: [
      section(
        `:red_circle: *Webhook ${codeSpan(subscription.id)} is paused.* Every delivery to ${urlText(subscription.url)} failed for 24 hours.\nLast problem: ${escapeMrkdwn(lastProblem)}`,
      ),
      section(`${kept}\nFix the receiver, then run ${codeSpan(`/frontline webhook resume ${subscription.id}`)}.`),
      context(`See the attempts with ${codeSpan(`/frontline webhook log ${subscription.id}`)}.`),
    ],
  };
}

const outcomeOf = (d: WebhookDelivery) => {
  const code = d.lastStatus ? `HTTP ${d.lastStatus}` : (d.lastError ?? '');
  switch (d.status) {
    case 'delivered':
      return `:white_check_mark: ${code}`;
    case 'failed':
      return `:x: gave up after ${plural(d.attempts, 'try', 'tries')} (${escapeMrkdwn(code)})`;
    default:
      return d.attempts === 0
        ? ':hourglass_flowing_sand: waiting'
        : `:repeat: ${escapeMrkdwn(code)} · ${plural(d.attempts, 'try', 'tries')}, next ${slackDate(d.nextAttemptAt, '{time}')}`;
  }
};

/** `/frontline webhook log <id>`: the latest deliveries with their status codes. */
export function renderLog(subscription: WebhookSubscription, deliveries: WebhookDelivery[]): Reply {
  if (deliveries.length === 0)
    return {
      text: `Nothing was sent to webhook ${subscription.id} yet.`,
      blocks: [section(`:outbox_tray: Nothing was sent to webhook ${codeSpan(subscription.id)} yet.`)],
    };
  const lines = deliveries.map(
    (d) => `${slackDate(d.createdAt, '{date_short} {time}')} ${codeSpan(d.eventType)} ${outcomeOf(d)}`,
  );
  return {
    text: `Latest deliveries to webhook ${subscription.id}: ${deliveries.map((d) => `${d.eventType} ${d.status} ${d.lastStatus ?? d.lastError ?? ''}`).join('; ')}`,
    blocks: [
      header(`Webhook ${subscription.id}: latest deliveries`),
      section(lines.join('\n')),
      context(`${urlText(subscription.url)} · newest first · ${plural(deliveries.length, 'delivery', 'deliveries')}`),
    ],
  };
}
