import type { App } from '@slack/bolt';
import type { Deps } from '../deps.ts';
import { UserError } from '../errors.ts';
import { emojiNameSchema } from '../feedback/feedback.models.ts';
import { parseSetting } from '../settings/workspace.settings.ts';
import { replyPrivately } from '../slack/frontline-command.ts';
import { type MessageContent, tellPrivately } from '../slack/messaging.ts';
import { codeSpan, decodeSlackText } from '../slack/mrkdwn.ts';
import { onMessageReaction } from '../slack/reactions.ts';
import { subscribeToWorkDone } from './knowledge.capture.ts';
import { createKnowledgeDigestSection } from './knowledge.digest.ts';
import {
  ANSWER_EMOJI_SETTING,
  DEFAULT_ANSWER_EMOJI,
  KNOWLEDGE_IDS as IDS,
  SEARCH_LANGUAGE_SETTING,
} from './knowledge.ids.ts';
import { changeableAnswers } from './knowledge.manage.ts';
import { DEFAULT_SEARCH_LANGUAGE, searchLanguageSchema } from './knowledge.models.ts';
import { offerAnswersToHelpers } from './knowledge.offer.ts';
import { createKnowledgeRepository } from './knowledge.repository.ts';
import { describeMessage, saveMessageAsAnswer, saveReactedReply } from './knowledge.save.ts';
import { registerAnswersFirst } from './knowledge.suggest.ts';
import { type KnowledgeDeps, markHelpful, parseAnswerId, searchAnswers, shareAnswer } from './knowledge.usecases.ts';
import {
  privateReplyRefusal,
  renderKnowledgeHome,
  renderSaved,
  renderSearchResults,
  searchResultsModal,
} from './knowledge.views.ts';
import { registerAnswerManagement } from './knowledge-manage.listeners.ts';
import { parseSaveSubmission, saveAnswerModal } from './knowledge-modals.views.ts';

const USAGE = '/answers <question or a few words>';
const DAY_MS = 86_400_000;

export function register(app: App, deps: Deps): void {
  const repo = createKnowledgeRepository(deps);
  const searchLanguage = deps.settings.define({
    name: SEARCH_LANGUAGE_SETTING,
    usage: '<language>',
    example: `/frontline set ${SEARCH_LANGUAGE_SETTING} french`,
    description: `the language answers are searched in: word forms and ignored words (default ${DEFAULT_SEARCH_LANGUAGE})`,
    parse: (text) => parseSetting(searchLanguageSchema, SEARCH_LANGUAGE_SETTING, text, '<language>'),
    async check(language) {
      if (!(await repo.languageExists(language)))
        throw new UserError(
          'knowledge.unknown_language',
          `:warning: The database has no search language ${codeSpan(language)}. Try english, french, german, spanish or simple.`,
        );
    },
    describe: (language) => language,
    // Every answer's search vector is rebuilt in the new language (by the database's trigger).
    onChange: (language) => repo.setLanguage(language),
  });
  const useCaseDeps: KnowledgeDeps = {
    repo,
    db: deps.db,
    clock: deps.clock,
    events: deps.events,
    messages: deps.messages,
    requestKeys: deps.requestKeys,
    language: async () => (await searchLanguage.get()) ?? DEFAULT_SEARCH_LANGUAGE,
  };

  const manageDeps = registerAnswerManagement(app, deps, repo);
  subscribeToWorkDone({ events: deps.events, repo, language: useCaseDeps.language });
  offerAnswersToHelpers(registerAnswersFirst(app, deps, useCaseDeps));
  deps.digests.section(createKnowledgeDigestSection({ repo }));
  deps.home.section({
    id: 'knowledge',
    order: 30,
    render: async ({ userId }) => {
      const now = deps.clock.now();
      // The range is half-open: a use this very millisecond counts too.
      const last30Days = { start: new Date(now.getTime() - 30 * DAY_MS), end: new Date(now.getTime() + 1) };
      const mostUsed = await repo.mostUsed(last30Days, 5);
      return renderKnowledgeHome(
        mostUsed,
        await changeableAnswers(
          manageDeps,
          userId,
          mostUsed.map((a) => a.id),
        ),
      );
    },
  });

  app.action(IDS.homeSearchInput, async ({ ack, body, action, client }) => {
    await ack();
    const query = decodeSlackText(('value' in action ? action.value : '') ?? '').trim();
    if (!query || !('trigger_id' in body)) return;
    const results = await searchAnswers(useCaseDeps, { query, userId: body.user.id, kind: 'search' });
    const changeable = await changeableAnswers(
      manageDeps,
      body.user.id,
      results.map((r) => r.id),
    );
    await client.views.open({
      trigger_id: body.trigger_id,
      view: searchResultsModal(query, results, deps.clock.now(), changeable),
    });
  });

  app.command(IDS.command, async ({ ack, command, respond }) => {
    await ack();
    const query = decodeSlackText(command.text).trim();
    if (!query) {
      await replyPrivately(
        respond,
        `Type what you are looking for, such as \`/answers refund policy\`. Usage: \`${USAGE}\``,
      );
      return;
    }
    const results = await searchAnswers(useCaseDeps, { query, userId: command.user_id, kind: 'search' });
    const changeable = await changeableAnswers(
      manageDeps,
      command.user_id,
      results.map((r) => r.id),
    );
    const { text, blocks } = renderSearchResults(query, results, deps.clock.now(), changeable);
    await replyPrivately(respond, text, blocks);
  });

  app.action(IDS.helpfulButton, async ({ ack, body, action, respond }) => {
    await ack();
    const answerId = parseAnswerId('value' in action ? action.value : undefined);
    const outcome = await markHelpful(useCaseDeps, { answerId, userId: body.user.id });
    // From the search modal there is nowhere to reply quietly: the vote still counts.
    if (!('response_url' in body)) return;
    await respond({
      response_type: 'ephemeral',
      replace_original: false,
      text:
        outcome === 'counted'
          ? ':thumbsup: Thanks: marked as helpful, so it comes up first for the next person.'
          : 'You already marked this answer as helpful.',
    });
  });

  app.action(IDS.shareButton, async ({ ack, body, action, respond }) => {
    await ack();
    const answerId = parseAnswerId('value' in action ? action.value : undefined);
    const channelId = body.channel?.id;
    if (!channelId)
      throw new UserError('knowledge.share_nowhere', 'Share answers from a channel: run `/answers` there first.');
    const outcome = await shareAnswer(useCaseDeps, { answerId, userId: body.user.id, channelId });
    if (outcome === 'repeat')
      await respond({ response_type: 'ephemeral', replace_original: false, text: 'That answer was just shared here.' });
  });

  const answerEmoji = deps.settings.define({
    name: ANSWER_EMOJI_SETTING,
    usage: '<:emoji:>',
    example: `/frontline set ${ANSWER_EMOJI_SETTING} :bookmark:`,
    description: `reacting with this emoji on a thread reply saves it as the answer to the thread (default :${DEFAULT_ANSWER_EMOJI}:)`,
    parse: (text) => parseSetting(emojiNameSchema, ANSWER_EMOJI_SETTING, text, '<:emoji:>'),
    describe: (name) => `:${name}:`,
  });
  const tell = (userId: string, channelId: string | undefined, content: MessageContent) =>
    tellPrivately(
      { slack: deps.slack, logger: deps.logger, dm: (user, message) => deps.messages.dm(user, message) },
      userId,
      channelId,
      content,
    );

  app.shortcut({ callback_id: IDS.saveShortcut, type: 'message_action' }, async ({ ack, shortcut, client }) => {
    await ack();
    const { target, title, body } = await describeMessage(client, {
      channelId: shortcut.channel.id,
      message: shortcut.message,
    });
    await client.views.open({
      trigger_id: shortcut.trigger_id,
      view: saveAnswerModal(target, { ...(title ? { title } : {}), body }),
    });
  });

  app.view(IDS.saveModal, async ({ ack, body, view }) => {
    const parsed = parseSaveSubmission(view.state.values, view.private_metadata);
    if (!parsed.ok) {
      await ack({ response_action: 'errors', errors: parsed.errors });
      return;
    }
    // Stored before the form closes, so "already saved" shows next to the question.
    const answer = await saveMessageAsAnswer(useCaseDeps, { ...parsed, userId: body.user.id });
    await ack();
    await tell(body.user.id, parsed.target.channelId, renderSaved(answer));
  });

  onMessageReaction(
    app,
    async () => (await answerEmoji.get()) ?? DEFAULT_ANSWER_EMOJI,
    async ({ userId, channelId, ts }) => {
      const outcome = await saveReactedReply({ ...useCaseDeps, slack: deps.slack }, { channelId, ts, userId });
      // The emoji means other things too: only a save, or a private reply someone meant to save, is answered.
      if ('saved' in outcome) await tell(userId, channelId, renderSaved(outcome.saved));
      else if (outcome.refused === 'private') await tell(userId, channelId, privateReplyRefusal());
    },
  );

  deps.frontline.help('Answers', [
    {
      usage: USAGE,
      description: 'find answers the company already gave; only you see them until you share one',
      example: '/answers refund for a double charge',
    },
    {
      usage: 'Save as answer (message shortcut)',
      description: `keep a message as an answer, crediting who wrote it; or react :${DEFAULT_ANSWER_EMOJI}: on a thread reply`,
    },
    {
      usage: 'Edit, Mark outdated, Retire (buttons on an answer)',
      description:
        'for the people an answer credits, whoever saved it, its department’s leads and admins; authors are asked to confirm answers nobody has checked for a while',
    },
  ]);
}
