import type { App } from '@slack/bolt';
import { z } from 'zod';
import type { Deps } from '../deps.ts';
import { parseOrRefuse } from '../errors.ts';
import { parseSetting } from '../settings/workspace.settings.ts';
import { ackDeadlineIn } from '../slack/ack-deadline.ts';
import { replyPrivately } from '../slack/frontline-command.ts';
import { type MessageContent, messagePermalink, tellPrivately } from '../slack/messaging.ts';
import { decodeSlackText } from '../slack/mrkdwn.ts';
import { onMessageReaction } from '../slack/reactions.ts';
import { parseThemeCommand, THEME_USAGE } from './feedback.commands.ts';
import { createFeedbackDigestSection } from './feedback.digest.ts';
import { DEFAULT_FEEDBACK_EMOJI, FEEDBACK_EMOJI_SETTING, FEEDBACK_IDS as IDS } from './feedback.ids.ts';
import { emojiNameSchema, feedbackTextSchema, parseFeedbackText } from './feedback.models.ts';
import { createFeedbackRepository } from './feedback.repository.ts';
import {
  captureFeedback,
  captureReactedMessage,
  editableFeedback,
  feedbackNotFound,
  runThemeCommand,
  saveFeedbackForm,
} from './feedback.usecases.ts';
import {
  feedbackModal,
  parseFeedbackSubmission,
  parseModalMetadata,
  renderConfirmation,
  renderThemeList,
} from './feedback.views.ts';

export function register(app: App, deps: Deps): void {
  const repo = createFeedbackRepository(deps);
  const useCaseDeps = {
    repo,
    clock: deps.clock,
    admins: deps.admins,
    db: deps.db,
    events: deps.events,
    messages: deps.messages,
  };
  deps.digests.section(createFeedbackDigestSection({ repo }));
  const tell = (userId: string, channelId: string | undefined, content: MessageContent) =>
    tellPrivately(
      { slack: deps.slack, logger: deps.logger, dm: (user, message) => deps.messages.dm(user, message) },
      userId,
      channelId,
      content,
    );
  const themeNames = async () => (await repo.listThemes()).map((t) => t.name);
  const feedbackEmoji = deps.settings.define({
    name: FEEDBACK_EMOJI_SETTING,
    usage: '<:emoji:>',
    example: `/frontline set ${FEEDBACK_EMOJI_SETTING} :memo:`,
    description: `reacting with this emoji logs a message as customer feedback (default :${DEFAULT_FEEDBACK_EMOJI}:)`,
    parse: (text) => parseSetting(emojiNameSchema, FEEDBACK_EMOJI_SETTING, text, '<:emoji:>'),
    describe: (name) => `:${name}:`,
  });

  app.command(IDS.command, async ({ ack, command, respond, client }) => {
    await ack();
    if (!command.text.trim()) {
      const view = feedbackModal({ mode: 'create', channelId: command.channel_id }, {}, await themeNames());
      await client.views.open({ trigger_id: command.trigger_id, view });
      return;
    }
    const parsed = parseFeedbackText(decodeSlackText(command.text));
    const text = feedbackTextSchema.safeParse(parsed.text);
    if (!text.success) {
      await replyPrivately(
        respond,
        `:warning: ${text.error.issues[0]?.message}. Example: \`/feedback The export is too slow customer:"Acme Corp" #performance\``,
      );
      return;
    }
    const item = await captureFeedback(useCaseDeps, {
      draft: { text: text.data, customer: parsed.customer ?? null, source: 'other', themes: parsed.themes },
      origin: { capturedVia: 'command', loggedBy: command.user_id },
    });
    const { text: summary, blocks } = renderConfirmation(item, 'Logged');
    await replyPrivately(respond, summary, blocks);
  });

  app.shortcut({ callback_id: IDS.shortcut, type: 'message_action' }, async ({ ack, shortcut, client }) => {
    await ack();
    const channelId = shortcut.channel.id;
    const permalink = await messagePermalink(client, channelId, shortcut.message.ts);
    const metadata = {
      mode: 'create' as const,
      channelId,
      messageTs: shortcut.message.ts,
      ...(permalink ? { permalink } : {}),
    };
    await client.views.open({
      trigger_id: shortcut.trigger_id,
      view: feedbackModal(
        metadata,
        { text: decodeSlackText(shortcut.message.text ?? ''), source: 'chat' },
        await themeNames(),
      ),
    });
  });

  app.action(IDS.editButton, async ({ ack, body, action, client }) => {
    await ack();
    // Not an id this app wrote: a stale or forged button.
    const id = parseOrRefuse(z.uuid(), 'value' in action ? action.value : undefined, feedbackNotFound);
    const item = await editableFeedback(useCaseDeps, { id, userId: body.user.id });
    const channelId = body.channel?.id ?? item.sourceChannelId ?? undefined;
    const prefill = {
      text: item.text,
      customer: item.customer,
      source: item.source,
      themes: item.themes,
      ...(item.sentimentOverridden ? { sentiment: item.sentimentLabel } : {}),
    };
    if ('trigger_id' in body)
      await client.views.open({
        trigger_id: body.trigger_id,
        view: feedbackModal({ mode: 'edit', id, ...(channelId ? { channelId } : {}) }, prefill, await themeNames()),
      });
  });

  app.view(IDS.modal, async ({ ack, body, view, context }) => {
    const parsed = parseFeedbackSubmission(view.state.values);
    const meta = parseModalMetadata(view.private_metadata);
    if (!parsed.ok || !meta) {
      await ack({
        response_action: 'errors',
        errors: parsed.ok ? { [IDS.textBlock]: 'This form is out of date; close it and start again.' } : parsed.errors,
      });
      return;
    }
    const userId = body.user.id;
    // Stored before the modal closes, so a refusal shows next to the field and nothing is lost
    // (rolled back if it took so long that Frontline already told the person to try again).
    const item = await saveFeedbackForm(useCaseDeps, {
      form: meta,
      draft: parsed.draft,
      userId,
      deadline: ackDeadlineIn(context),
    });
    await ack();
    await tell(userId, meta.channelId, renderConfirmation(item, meta.mode === 'edit' ? 'Updated' : 'Logged'));
  });

  onMessageReaction(
    app,
    async () => (await feedbackEmoji.get()) ?? DEFAULT_FEEDBACK_EMOJI,
    async ({ userId, channelId, ts }) => {
      const logged = await captureReactedMessage({ ...useCaseDeps, slack: deps.slack }, { channelId, ts, userId });
      if (logged) await tell(userId, channelId, renderConfirmation(logged, 'Logged'));
    },
  );

  deps.frontline.subcommand('theme', async ({ args, userId, respond }) => {
    const command = parseThemeCommand(args);
    if (command.action === 'list') {
      await replyPrivately(respond, renderThemeList(await repo.listThemes()));
      return;
    }
    await deps.admins.requireAdmin(userId);
    await replyPrivately(respond, await runThemeCommand(useCaseDeps, { command, userId }));
  });

  deps.frontline.help(
    'Customer feedback',
    [
      {
        usage: '/feedback <text> [customer:<name>] [#theme]',
        description: 'log customer feedback; `/feedback` alone opens a form',
        example: '/feedback Export is too slow customer:"Acme Corp" #performance',
      },
      { usage: THEME_USAGE.list, description: 'the themes feedback is grouped by' },
      {
        usage: THEME_USAGE.add,
        description: 'add a theme (or replace its keywords)',
        example: '/frontline theme add billing invoice, refund, charge',
        adminOnly: true,
      },
      {
        usage: THEME_USAGE.remove,
        description: 'remove a theme',
        example: '/frontline theme remove billing',
        adminOnly: true,
      },
    ],
    { area: 'feedback', summary: 'log what a customer said with `/feedback`' },
  );
}
