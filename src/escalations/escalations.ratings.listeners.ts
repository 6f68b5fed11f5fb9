// Listeners of the requester's rating: the two answers under the resolution DM and the thumbs-down form.
import type { App, BlockAction, ButtonAction } from '@slack/bolt';
import type { Deps } from '../deps.ts';
import { parseOrRefuse } from '../errors.ts';
import { escalationIdSchema } from './escalation-modals.views.ts';
import { ESCALATION_IDS as IDS } from './escalations.ids.ts';
import { commentOnBadRating, rateEscalation } from './escalations.ratings.ts';
import { parseRatingComment, ratingCommentModal, renderResolvedDm } from './escalations.ratings.views.ts';
import { type EscalationDeps, escalationNotFound } from './escalations.usecases.ts';

// Slack may deliver a modal submission twice; a view id is never reused, so a day is plenty.
const SUBMIT_WINDOW_MS = 24 * 3600_000;

export function registerRatings(app: App, deps: Deps, useCaseDeps: EscalationDeps): void {
  const target = (action: ButtonAction) => parseOrRefuse(escalationIdSchema, action.value, escalationNotFound);

  app.action<BlockAction<ButtonAction>>(IDS.rateGood, async ({ ack, body, action, respond }) => {
    await ack();
    const e = await rateEscalation(useCaseDeps, { id: target(action), userId: body.user.id, rating: 'good' });
    await respond({ replace_original: true, ...renderResolvedDm(e, 'good') });
  });

  app.action<BlockAction<ButtonAction>>(IDS.rateBad, async ({ ack, body, action, respond }) => {
    await ack();
    const e = await rateEscalation(useCaseDeps, { id: target(action), userId: body.user.id, rating: 'bad' });
    // The form first: its trigger lasts three seconds.
    const department = await useCaseDeps.departments.getIncludingArchived(e.departmentKey);
    await deps.slack.views.open({
      trigger_id: body.trigger_id,
      view: ratingCommentModal(e, department?.name ?? e.departmentKey),
    });
    await respond({ replace_original: true, ...renderResolvedDm(e, 'bad') });
  });

  app.view(IDS.ratingModal, async ({ ack, body, view }) => {
    const parsed = parseRatingComment(view.private_metadata, view.state.values);
    if (!parsed.success)
      return ack({
        response_action: 'errors',
        errors: { [IDS.ratingCommentBlock]: parsed.error.issues[0]?.message ?? 'Say what went wrong' },
      });
    await ack();
    await deps.requestKeys.once({ parts: ['escalations.rating_comment', view.id], windowMs: SUBMIT_WINDOW_MS }, () =>
      commentOnBadRating(useCaseDeps, { id: parsed.data.id, userId: body.user.id, comment: parsed.data.comment }),
    );
  });
}
