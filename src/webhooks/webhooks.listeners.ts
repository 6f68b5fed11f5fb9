import type { App } from '@slack/bolt';
import { z } from 'zod';
import type { Deps } from '../deps.ts';
import { parseOrRefuse, UserError } from '../errors.ts';
import { replyPrivately } from '../slack/frontline-command.ts';
import { parseWebhookCommand, WEBHOOK_USAGE } from './webhooks.commands.ts';
import { createWebhookSender } from './webhooks.delivery.ts';
import { WEBHOOK_IDS as IDS } from './webhooks.ids.ts';
import { WEBHOOK_EVENTS } from './webhooks.models.ts';
import { createWebhooksRepository } from './webhooks.repository.ts';
import {
  addWebhook,
  confirmRemoval,
  listWebhooks,
  removeWebhook,
  resumeWebhook,
  webhookLog,
} from './webhooks.usecases.ts';
import { keptReply } from './webhooks.views.ts';

export const WEBHOOKS_JOB = 'webhooks.deliver';
// Sent and given-up deliveries are kept this long for `/frontline webhook log`.
const LOG_RETENTION_DAYS = 14;

const staleButton = () => new UserError('webhooks.not_found', ':mag: That webhook no longer exists.');

export function register(app: App, deps: Deps): void {
  const allowPrivate = deps.config.webhooksAllowPrivate;
  const repo = createWebhooksRepository(deps);
  const sender = createWebhookSender({
    db: deps.db,
    locks: deps.database.locks,
    clock: deps.clock,
    logger: deps.logger,
    views: deps.publicViews,
    messages: deps.messages,
    admins: deps.config.admins,
    allowPrivate,
    timeoutMs: deps.config.webhooksTimeoutMs,
  });
  const useCaseDeps = { repo, sender, clock: deps.clock, allowPrivate };
  const inBackground = (work: () => Promise<unknown>) =>
    void work().catch((error: unknown) => deps.logger.warn({ err: error }, 'could not send webhook deliveries now'));

  // One subscriber for every event, in the order they happened: deliveries of one record keep that order.
  deps.events.subscribeInOrder(WEBHOOK_EVENTS, 'webhooks.deliveries', async (event, { tx, afterCommit }) => {
    const keys = await sender.enqueue(tx, event);
    // Sent after the commit, without holding up the change that raised the event.
    if (keys.length > 0) afterCommit(async () => inBackground(() => sender.deliver(keys)));
  });

  deps.scheduler.register({
    name: WEBHOOKS_JOB,
    cron: '* * * * *',
    run: async ({ now }) => {
      const counts = await sender.deliverDue(now);
      if (counts.delivered + counts.pending > 0) deps.logger.info(counts, 'webhook deliveries');
      await repo.pruneSettled(new Date(now.getTime() - LOG_RETENTION_DAYS * 24 * 3600_000));
    },
    // What a killed process or a failing receiver left goes at start and when due, not at the next minute.
    due: { next: () => sender.nextDueAt(), send: (now) => sender.deliverDue(now) },
  });

  deps.frontline.subcommand('webhook', async ({ args, userId, respond }) => {
    await deps.admins.requireAdmin(userId);
    const command = parseWebhookCommand(args, { allowPrivate });
    switch (command.action) {
      case 'list': {
        const { text, blocks } = await listWebhooks(useCaseDeps);
        return void (await replyPrivately(respond, text, blocks));
      }
      case 'add': {
        const { text, blocks } = await addWebhook(useCaseDeps, { ...command, userId });
        return void (await replyPrivately(respond, text, blocks));
      }
      case 'log': {
        const { text, blocks } = await webhookLog(useCaseDeps, command);
        return void (await replyPrivately(respond, text, blocks));
      }
      case 'remove': {
        const { text, blocks } = await confirmRemoval(useCaseDeps, command);
        return void (await replyPrivately(respond, text, blocks));
      }
      case 'resume': {
        const { reply, sendWaiting } = await resumeWebhook(useCaseDeps, command);
        await replyPrivately(respond, reply);
        if (sendWaiting) inBackground(sendWaiting);
      }
    }
  });

  app.action(IDS.removeButton, async ({ ack, body, action, respond }) => {
    await ack();
    await deps.admins.requireAdmin(body.user.id);
    const id = parseOrRefuse(
      z.string().regex(/^wh_[a-z0-9]+$/),
      'value' in action ? action.value : undefined,
      staleButton,
    );
    await respond({ replace_original: true, text: await removeWebhook(useCaseDeps, { id }) });
  });

  app.action(IDS.keepButton, async ({ ack, action, respond }) => {
    await ack();
    const id = parseOrRefuse(
      z.string().regex(/^wh_[a-z0-9]+$/),
      'value' in action ? action.value : undefined,
      staleButton,
    );
    await respond({ replace_original: true, text: keptReply(id) });
  });

  deps.frontline.help(
    'Webhooks',
    [
      {
        usage: WEBHOOK_USAGE.add,
        description: 'send Frontline’s events to your helpdesk or another tool, signed',
        example: '/frontline webhook add https://hooks.example.com/frontline escalation.resolved,escalation.claimed',
        adminOnly: true,
      },
      { usage: WEBHOOK_USAGE.list, description: 'the webhooks, and whether they are working', adminOnly: true },
      {
        usage: WEBHOOK_USAGE.log,
        description: 'the latest deliveries with the receiver’s status codes',
        example: '/frontline webhook log wh_k3x9q2m7',
        adminOnly: true,
      },
      {
        usage: WEBHOOK_USAGE.resume,
        description: 'send again to a webhook paused after a day of failures',
        example: '/frontline webhook resume wh_k3x9q2m7',
        adminOnly: true,
      },
      {
        usage: WEBHOOK_USAGE.remove,
        description: 'stop sending to a webhook (asks first)',
        example: '/frontline webhook remove wh_k3x9q2m7',
        adminOnly: true,
      },
    ],
    { area: 'webhooks', summary: 'send Frontline’s events to your helpdesk: `/frontline webhook add`' },
  );
}
