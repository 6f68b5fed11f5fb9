// The buttons that change an answer (on /answers results, the Home search, Home's most used answers
// and the review DM) and the edit form. Each change is checked again by its use case.
import type { App, BlockAction, RespondFn } from '@slack/bolt';
import type { KnownBlock, ModalView } from '@slack/types';
import type { WebClient } from '@slack/web-api';
import { createDepartmentsRepository } from '../departments/departments.repository.ts';
import type { Deps } from '../deps.ts';
import type { Home } from '../home/home.ts';
import { parseSetting } from '../settings/workspace.settings.ts';
import { answerControlsBlock, KNOWLEDGE_IDS as IDS, REVIEW_DAYS_SETTING } from './knowledge.ids.ts';
import { answerToChange, confirmAnswer, editAnswer, type ManageDeps, setAnswerStatus } from './knowledge.manage.ts';
import { DEFAULT_REVIEW_DAYS, reviewDaysSchema } from './knowledge.models.ts';
import type { KnowledgeRepository } from './knowledge.repository.ts';
import { registerReviewJob } from './knowledge.review.ts';
import { parseAnswerId } from './knowledge.usecases.ts';
import { createAnswerManagementRepository } from './knowledge-manage.repository.ts';
import {
  describeChange,
  editAnswerModal,
  parseEditSubmission,
  replaceControls,
  savedModal,
} from './knowledge-manage.views.ts';

/**
 * Shows what a change did where the button was: the message's or view's buttons give way to a
 * note; a private reply that Slack does not send back is answered with the note; Home is redrawn.
 */
async function showChange(
  { body, respond, client, home }: { body: BlockAction; respond: RespondFn; client: WebClient; home: Home },
  answerId: string,
  note: string,
) {
  const view = body.view;
  if (view?.type === 'home') return await home.publish(body.user.id);
  if (view) {
    // No hash: a second click from the same stale view only replaces the same buttons again.
    await client.views.update({
      view_id: view.id,
      view: {
        type: 'modal',
        callback_id: view.callback_id,
        title: view.title,
        ...(view.close ? { close: view.close } : {}),
        private_metadata: view.private_metadata,
        blocks: replaceControls(view.blocks as KnownBlock[], answerId, note),
      } as ModalView,
    });
    return;
  }
  // Ephemeral messages (the /answers results) are not sent back with the click: the note is a reply.
  const blocks = body.message?.blocks as KnownBlock[] | undefined;
  if (blocks?.some((b) => b.block_id === answerControlsBlock(answerId)))
    await respond({
      replace_original: true,
      text: body.message?.text ?? note,
      blocks: replaceControls(blocks, answerId, note),
    });
  else await respond({ response_type: 'ephemeral', replace_original: false, text: note });
}

/**
 * Registers the buttons and form that change answers, the `answer-review-days` setting and the
 * review job; returns what the search and Home need to show the buttons to the people allowed.
 */
export function registerAnswerManagement(app: App, appDeps: Deps, repo: KnowledgeRepository): ManageDeps {
  const deps: ManageDeps = {
    repo,
    manage: createAnswerManagementRepository(appDeps),
    departments: createDepartmentsRepository(appDeps),
    admins: appDeps.admins,
    clock: appDeps.clock,
  };
  const home = appDeps.home;
  const reviewDays = appDeps.settings.define({
    name: REVIEW_DAYS_SETTING,
    usage: '<days>',
    example: `/frontline set ${REVIEW_DAYS_SETTING} 90`,
    description: `answers nobody has confirmed for this many days go back to their authors to check (default ${DEFAULT_REVIEW_DAYS})`,
    parse: (text) => parseSetting(reviewDaysSchema, REVIEW_DAYS_SETTING, text, '<days>'),
    describe: (days) => `${days} days`,
  });
  // Review DMs reach many people at once: they go through the paced client.
  registerReviewJob(appDeps.scheduler, {
    db: appDeps.db,
    manage: deps.manage,
    messages: appDeps.messages.paced,
    reviewDays,
  });

  app.action<BlockAction>(IDS.editButton, async ({ ack, body, action, client }) => {
    await ack();
    const answerId = parseAnswerId('value' in action ? action.value : undefined);
    const answer = await answerToChange(deps, { answerId, userId: body.user.id });
    const view = editAnswerModal(answer, { fromHome: body.view?.type === 'home' });
    // From a modal (the Home search), the form goes on top of it.
    if (body.view?.type === 'modal') await client.views.push({ trigger_id: body.trigger_id, view });
    else await client.views.open({ trigger_id: body.trigger_id, view });
  });

  app.view(IDS.editModal, async ({ ack, body, view }) => {
    const parsed = parseEditSubmission(view.state.values, view.private_metadata);
    if (!parsed.ok) {
      await ack({ response_action: 'errors', errors: parsed.errors });
      return;
    }
    const answer = await editAnswer(deps, { ...parsed, userId: body.user.id });
    await ack({ response_action: 'update', view: savedModal(describeChange('edited', answer.title)) });
    if (parsed.fromHome) await home.publish(body.user.id);
  });

  const statusChange = (status: 'outdated' | 'retired') =>
    app.action<BlockAction>(
      status === 'outdated' ? IDS.outdatedButton : IDS.retireButton,
      async ({ ack, body, action, respond, client }) => {
        await ack();
        const answerId = parseAnswerId('value' in action ? action.value : undefined);
        const { outcome, answer } = await setAnswerStatus(deps, { answerId, userId: body.user.id, status });
        const note = describeChange(status, answer.title, outcome === 'already');
        await showChange({ body, respond, client, home }, answerId, note);
      },
    );
  statusChange('outdated');
  statusChange('retired');

  app.action<BlockAction>(IDS.stillRightButton, async ({ ack, body, action, respond, client }) => {
    await ack();
    const answerId = parseAnswerId('value' in action ? action.value : undefined);
    const answer = await confirmAnswer(deps, { answerId, userId: body.user.id });
    await showChange({ body, respond, client, home }, answerId, describeChange('confirmed', answer.title));
  });

  return deps;
}
