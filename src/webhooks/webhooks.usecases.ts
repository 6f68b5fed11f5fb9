// Orchestration of webhook subscriptions: add, list, remove, resume, log.
import { lookup } from 'node:dns/promises';
import type { Clock } from '../clock.ts';
import { UserError } from '../errors.ts';
import { codeSpan } from '../slack/mrkdwn.ts';
import type { WebhookSender } from './webhooks.delivery.ts';
import { isPrivateAddress, newSecret, newSubscriptionId, type WebhookEvent } from './webhooks.models.ts';
import type { WebhookSubscription, WebhooksRepository } from './webhooks.repository.ts';
import {
  notPausedReply,
  type Reply,
  removedReply,
  renderCreated,
  renderList,
  renderLog,
  renderRemoveConfirm,
  resumedReply,
} from './webhooks.views.ts';

export interface WebhookDeps {
  repo: WebhooksRepository;
  sender: WebhookSender;
  clock: Clock;
  allowPrivate: boolean;
}

const LOG_LENGTH = 20;

const notFound = (id: string) =>
  new UserError('webhooks.not_found', `:mag: There is no webhook ${codeSpan(id)}. See \`/frontline webhook list\`.`);

async function find(deps: WebhookDeps, id: string): Promise<WebhookSubscription> {
  const subscription = await deps.repo.get(id);
  if (!subscription) throw notFound(id);
  return subscription;
}

/** Refuses a host that resolves into a private network (a public name can point inside). */
async function checkHost(url: string, allowPrivate: boolean): Promise<void> {
  if (allowPrivate) return;
  const host = new URL(url).hostname.replace(/^\[|\]$/g, '');
  const addresses = await lookup(host, { all: true }).catch(() => []);
  if (addresses.length === 0)
    throw new UserError('webhooks.unknown_host', `:mag: I cannot find the host ${codeSpan(host)}. Check the URL.`);
  if (addresses.some((a) => isPrivateAddress(a.address)))
    throw new UserError(
      'webhooks.private_host',
      `:no_entry: ${codeSpan(host)} points into a private network; webhooks go to public addresses only.`,
    );
}

/** Adds a subscription with a new secret; the reply shows that secret, once. */
export async function addWebhook(
  deps: WebhookDeps,
  { url, events, userId }: { url: string; events: WebhookEvent[]; userId: string },
): Promise<Reply> {
  await checkHost(url, deps.allowPrivate);
  const subscription = await deps.repo.add({
    id: newSubscriptionId(),
    url,
    events,
    secret: newSecret(),
    createdBy: userId,
    source: 'command',
    createdAt: deps.clock.now(),
  });
  return renderCreated(subscription);
}

export async function listWebhooks(deps: WebhookDeps): Promise<Reply> {
  return renderList(await deps.repo.list());
}

export async function webhookLog(deps: WebhookDeps, { id }: { id: string }): Promise<Reply> {
  const subscription = await find(deps, id);
  return renderLog(subscription, await deps.repo.log(id, LOG_LENGTH));
}

/** The confirm step: what removing would drop, with the button that does it. */
export async function confirmRemoval(deps: WebhookDeps, { id }: { id: string }): Promise<Reply> {
  const subscription = await find(deps, id);
  return renderRemoveConfirm(subscription, await deps.repo.waiting(id));
}

export async function removeWebhook(deps: WebhookDeps, { id }: { id: string }): Promise<string> {
  const subscription = await find(deps, id);
  if (subscription.source === 'config')
    throw new UserError(
      'webhooks.from_config',
      `:page_facing_up: Webhook ${codeSpan(id)} comes from the FRONTLINE_CONFIG file; remove it there (it would come back at the next start).`,
    );
  if (!(await deps.repo.remove(id))) throw notFound(id);
  return removedReply(subscription);
}

/** Resumes a paused subscription; what waited is sent after the reply (the caller does not wait for it). */
export async function resumeWebhook(
  deps: WebhookDeps,
  { id }: { id: string },
): Promise<{ reply: string; sendWaiting?: () => Promise<unknown> }> {
  const subscription = await find(deps, id);
  const waiting = await deps.repo.waiting(id);
  if (!(await deps.repo.resume(id, deps.clock.now()))) return { reply: notPausedReply(subscription) };
  return {
    reply: resumedReply(subscription, waiting),
    sendWaiting: () => deps.sender.deliverDue(deps.clock.now()),
  };
}
