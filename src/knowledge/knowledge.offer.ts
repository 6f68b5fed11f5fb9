// Answers offered before anyone has to give them again: a help request posted to the help channel
// gets "Possibly answered before" in its thread, for the helpers, when saved answers match it.
import type { DomainEvents } from '../events/domain-events.ts';
import { HELP_REQUEST_CARD } from '../help-requests/help-requests.ids.ts';
import type { Messenger } from '../slack/outbox.ts';
import type { HeldQuestionsRepository } from './held-questions.repository.ts';
import { OFFER_LIMIT } from './knowledge.models.ts';
import { type KnowledgeDeps, relevantOnly, searchAnswers } from './knowledge.usecases.ts';
import { renderPossiblyAnswered } from './knowledge.views.ts';

// A request posted from a hold is posted within moments of the asker's click.
const JUST_POSTED_MS = 2 * 60_000;

export function offerAnswersToHelpers(
  deps: KnowledgeDeps & { events: DomainEvents; messages: Messenger; held: HeldQuestionsRepository },
): void {
  deps.events.subscribe('help_request.asked', 'knowledge.possibly_answered', async (event, { tx, afterCommit }) => {
    if (!event.question) return;
    // Posted anyway after answers were offered: that note, naming what the asker saw, says more.
    const since = new Date(deps.clock.now().getTime() - JUST_POSTED_MS);
    const { askerId: userId, question } = event;
    if (await deps.held.postedSince({ userId, kind: 'help_request', question, since })) return;
    const matches = relevantOnly(
      await searchAnswers(deps, { query: event.question, userId: event.askerId, kind: 'ask', limit: OFFER_LIMIT }),
    );
    if (matches.length === 0) return;
    const keys = await deps.messages.enqueue(tx, [
      {
        // Notes wait for their card: this one follows the request's message into its thread.
        inThreadOf: { mirror: HELP_REQUEST_CARD, ref: String(event.requestId) },
        content: renderPossiblyAnswered(matches, deps.clock.now()),
        key: `knowledge.possibly_answered:${event.requestId}`,
      },
    ]);
    afterCommit(async () => {
      await deps.messages.deliver(keys);
    });
  });
}
