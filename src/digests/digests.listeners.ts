import type { App } from '@slack/bolt';
import type { Deps } from '../deps.ts';
import { UserError } from '../errors.ts';
import { parseSetting } from '../settings/workspace.settings.ts';
import { slackDate } from '../slack/blocks.ts';
import { replyPrivately } from '../slack/frontline-command.ts';
import { isPerson, mentionChannel } from '../slack/mentions.ts';
import { DIGEST_USAGE, parseDigestCommand } from './digests.commands.ts';
import { type DigestSchedule, registerDigestJob } from './digests.jobs.ts';
import {
  DEFAULT_DIGEST_AUDIENCE,
  DEFAULT_DIGEST_CRON,
  type DigestAudience,
  digestAudienceSchema,
  digestCronSchema,
  nextDigestSlot,
} from './digests.models.ts';
import { createDigestsRepository } from './digests.repository.ts';
import { type DigestDeps, previewDigest, sendDigestNow } from './digests.usecases.ts';

export function register(_app: App, deps: Deps): void {
  const repo = createDigestsRepository(deps);
  const audience = deps.settings.define<DigestAudience>({
    name: 'digest-audience',
    usage: 'everyone|members|admins',
    example: '/frontline set digest-audience members',
    description:
      'who may preview and subscribe to the digest, which quotes customers (default members: everyone but guests)',
    parse: (text) => parseSetting(digestAudienceSchema, 'digest-audience', text, 'everyone|members|admins'),
    describe: (value) => value,
  });
  /** Whether this person may read the digest: it quotes customers and messages from private channels. */
  const mayRead = async (userId: string) => {
    const allowed = (await audience.get()) ?? DEFAULT_DIGEST_AUDIENCE;
    if (allowed === 'everyone') return true;
    if (allowed === 'admins') return deps.admins.isAdmin(userId);
    return !(await deps.admins.isGuest(userId));
  };
  const requireReader = async (userId: string) => {
    if (await mayRead(userId)) return;
    const allowed = (await audience.get()) ?? DEFAULT_DIGEST_AUDIENCE;
    throw new UserError(
      'digests.not_in_audience',
      `:lock: The customer digest is for ${allowed === 'admins' ? 'Frontline admins' : 'members of the workspace, not guests'}, since it quotes customers. Nothing was changed.`,
    );
  };
  const useCaseDeps: DigestDeps = {
    sections: deps.digests,
    repo,
    slack: deps.slack,
    messages: deps.messages.paced,
    logger: deps.logger,
    clock: deps.clock,
    timezone: deps.timezone,
    digestChannel: () => deps.workspace.digestChannel.get(),
    mayRead,
  };
  const schedule = deps.settings.define<DigestSchedule>({
    name: 'digest-schedule',
    usage: '"<cron expression>"',
    example: '/frontline set digest-schedule "0 9 * * 1"',
    description: 'when the weekly customer digest is posted (cron, in the workspace time zone; default Monday 09:00)',
    parse: (text) => ({
      cron: parseSetting(digestCronSchema, 'digest-schedule', text.replace(/^["“']|["”']$/g, ''), '"0 9 * * 1"'),
      since: deps.clock.now().toISOString(),
    }),
    describe: (value) => `\`${value.cron}\``,
  });
  registerDigestJob(deps, useCaseDeps, schedule);

  const describeNext = async (cron: string) => {
    const zone = await deps.timezone();
    const next = nextDigestSlot(cron, zone, deps.clock.now());
    return next ? ` Next: ${slackDate(next, '{date_long_pretty} at {time}')} (schedule read in ${zone}).` : '';
  };

  deps.frontline.subcommand('digest', async ({ text, userId, respond }) => {
    const command = parseDigestCommand(text);
    switch (command.action) {
      case 'preview': {
        await requireReader(userId);
        const message = await previewDigest(useCaseDeps);
        await replyPrivately(respond, message.text, [...message.blocks.slice(0, 49)]);
        return;
      }
      case 'subscribe':
        await requireReader(userId);
        await replyPrivately(
          respond,
          (await repo.subscribe(userId, deps.clock.now()))
            ? ':inbox_tray: You will get the weekly customer digest by DM.'
            : 'You are already subscribed to the weekly digest.',
        );
        return;
      case 'unsubscribe':
        await replyPrivately(
          respond,
          (await repo.unsubscribe(userId))
            ? ':outbox_tray: You will no longer get the digest by DM.'
            : 'You were not subscribed.',
        );
        return;
      case 'send': {
        await deps.admins.requireAdmin(userId);
        const delivered = await sendDigestNow(useCaseDeps);
        const where = delivered.map((t) => (isPerson(t) ? null : mentionChannel(t))).filter(Boolean);
        const dms = delivered.filter(isPerson).length;
        await replyPrivately(
          respond,
          `:mailbox_with_mail: Digest sent${where.length ? ` to ${where.join(', ')}` : ''}${dms ? `${where.length ? ' and' : ''} to ${dms} subscriber${dms === 1 ? '' : 's'}` : ''}.`,
        );
        return;
      }
      case 'schedule': {
        await deps.admins.requireAdmin(userId);
        await schedule.set({ cron: command.cron, since: deps.clock.now().toISOString() }, userId);
        await replyPrivately(
          respond,
          `:calendar: The digest now goes out on \`${command.cron}\`.${await describeNext(command.cron)}`,
        );
        return;
      }
      case 'status': {
        const cron = (await schedule.get())?.cron ?? DEFAULT_DIGEST_CRON;
        const channel = await deps.workspace.digestChannel.get();
        await replyPrivately(
          respond,
          `:newspaper: The customer digest goes out on \`${cron}\`${channel ? ` to ${mentionChannel(channel)}` : ' (no digest channel set: `/frontline set digest-channel #leadership`)'} and to ${(await repo.subscribers()).length} subscriber(s).${await describeNext(cron)}`,
        );
        return;
      }
    }
  });

  deps.frontline.help(
    'Weekly customer digest',
    [
      { usage: '/frontline digest', description: 'when the digest goes out, where, and to how many subscribers' },
      { usage: DIGEST_USAGE.preview, description: 'see this week’s digest now, only to you' },
      { usage: DIGEST_USAGE.subscribe, description: 'get the digest by DM every week (`unsubscribe` to stop)' },
      { usage: DIGEST_USAGE.send, description: 'post the digest now', adminOnly: true },
      {
        usage: DIGEST_USAGE.schedule,
        description: 'when it is posted, in the workspace time zone (default Monday 09:00)',
        example: '/frontline digest schedule "0 9 * * 1"',
        adminOnly: true,
      },
    ],
    { area: 'digest', summary: 'the week in numbers for leaders: `/frontline digest preview`' },
  );
}
