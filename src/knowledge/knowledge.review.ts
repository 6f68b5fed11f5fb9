// Answers nobody has confirmed for `answer-review-days` go back to their authors: one DM per author
// a week at most, listing all of theirs. Each DM is claimed per author in answer_review_requests
// with the outbox row, so overlapping runs and replicas send it once.
import type { Db } from '../db/client.ts';
import type { Scheduler } from '../scheduler/scheduler.ts';
import type { Setting } from '../settings/settings.ts';
import type { Messenger } from '../slack/outbox.ts';
import { answerAuthors, DEFAULT_REVIEW_DAYS, REVIEW_DM_INTERVAL_DAYS, reviewCutoff } from './knowledge.models.ts';
import type { AnswerManagementRepository } from './knowledge-manage.repository.ts';
import { renderReviewRequest } from './knowledge-review.views.ts';

export const REVIEW_JOB = 'knowledge.review';
// A bound on one run's work; what is left waits for the next day's run.
const REVIEW_BATCH = 5_000;

export interface ReviewDeps {
  db: Db;
  manage: AnswerManagementRepository;
  messages: Messenger;
  reviewDays: Setting<number>;
}

/** Sends each author whose answers are due for review, and who had no such DM this week, one DM listing them. */
export async function requestReviews(deps: ReviewDeps, now: Date): Promise<void> {
  const days = (await deps.reviewDays.get()) ?? DEFAULT_REVIEW_DAYS;
  const due = await deps.manage.dueForReview(reviewCutoff(now, days), REVIEW_BATCH);
  const byAuthor = new Map<string, typeof due>();
  for (const answer of due)
    for (const author of answerAuthors(answer)) byAuthor.set(author, [...(byAuthor.get(author) ?? []), answer]);

  const notSince = reviewCutoff(now, REVIEW_DM_INTERVAL_DAYS);
  for (const [author, answers] of byAuthor) {
    const keys = await deps.db.transaction(async (transaction) => {
      const tx = transaction as unknown as Db;
      if (!(await deps.manage.claimReviewRequest(tx, { userId: author, at: now, notSince }))) return [];
      await deps.manage.markReviewRequested(
        tx,
        answers.map((a) => a.id),
        now,
      );
      return deps.messages.enqueue(tx, [{ dm: author, content: renderReviewRequest(answers, { days, now }) }]);
    });
    await deps.messages.deliver(keys);
  }
}

export function registerReviewJob(scheduler: Scheduler, deps: ReviewDeps): void {
  // Daily: an answer that falls due reaches its authors within a day, or after their weekly DM.
  scheduler.register({ name: REVIEW_JOB, cron: '0 10 * * *', run: ({ now }) => requestReviews(deps, now) });
}
