// Answers made as work is done: an escalation resolved with "Add to answers" ticked, and a help
// request solved with "What was the answer?" filled in. Escalations and help requests announce it
// (domain events); this capability keeps the answer, in the handler's transaction.
import type { Db } from '../db/client.ts';
import type { DomainEvents } from '../events/domain-events.ts';
import { titleFrom } from './knowledge.models.ts';
import type { KnowledgeRepository, NewAnswer } from './knowledge.repository.ts';

export function subscribeToWorkDone({
  events,
  repo,
  language,
}: {
  events: DomainEvents;
  repo: KnowledgeRepository;
  language(): Promise<string>;
}): void {
  const keep = async (tx: Db, answer: Omit<NewAnswer, 'language'> & { createdBy: string }) => {
    const saved = await repo.insert(tx, { ...answer, language: await language() });
    if (saved)
      await events.publish(tx, [
        { type: 'answer.saved', answerId: saved.id, userId: answer.createdBy, sourceKind: saved.sourceKind },
      ]);
  };

  events.subscribe('escalation.resolved', 'knowledge.capture', async (event, { tx, now }) => {
    if (!event.addToAnswers || !event.summary) return;
    await keep(tx, {
      title: titleFrom(event.summary),
      body: event.resolution,
      sourceKind: 'escalation',
      sourceId: event.escalationId,
      permalink: event.permalink ?? null,
      departmentKey: event.departmentKey ?? null,
      creditedUserIds: [event.userId],
      createdBy: event.userId,
      createdAt: now,
      updatedAt: now,
      confirmedAt: now,
    });
  });

  events.subscribe('help_request.solved', 'knowledge.capture', async (event, { tx, now }) => {
    if (!event.answer || !event.question) return;
    await keep(tx, {
      title: titleFrom(event.question),
      body: event.answer,
      sourceKind: 'help_request',
      sourceId: String(event.requestId),
      permalink: event.permalink ?? null,
      // The people the solver named as having helped most gave the answer; else whoever solved it.
      creditedUserIds: event.topHelpers.length > 0 ? event.topHelpers : [event.userId],
      createdBy: event.userId,
      createdAt: now,
      updatedAt: now,
      confirmedAt: now,
    });
  });
}
