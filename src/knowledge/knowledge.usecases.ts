// What people do with the company's answers: find them, vote for them, share them.
import { z } from 'zod';
import type { Clock } from '../clock.ts';
import type { Db } from '../db/client.ts';
import { parseOrRefuse, UserError } from '../errors.ts';
import { type ChangeDeps, commitChange } from '../events/commit-change.ts';
import type { RequestKeys } from '../slack/request-keys.ts';
import { RELEVANT_SCORE, SEARCH_LIMIT } from './knowledge.models.ts';
import type { FoundAnswer, KnowledgeRepository } from './knowledge.repository.ts';
import { renderSharedAnswer } from './knowledge.views.ts';

export interface KnowledgeDeps extends ChangeDeps {
  repo: KnowledgeRepository;
  clock: Clock;
  requestKeys: RequestKeys;
  /** The `search-language` setting, else english. */
  language(): Promise<string>;
}

export const answerNotFound = () =>
  new UserError('knowledge.answer_not_found', 'That answer is no longer there: it may have been retired.');

/** The answer a button points at; any other value is a stale or forged button. */
export const parseAnswerId = (value: unknown) => parseOrRefuse(z.uuid(), value, answerNotFound);

/**
 * The best answers for what someone typed, best first, recorded as a search; one that finds
 * nothing above the relevance threshold is a knowledge gap.
 */
export async function searchAnswers(
  deps: KnowledgeDeps,
  {
    query,
    userId,
    kind,
    limit = SEARCH_LIMIT,
    recordGap = true,
  }: {
    query: string;
    userId: string;
    kind: 'search' | 'ask' | 'escalate';
    limit?: number;
    /** False when something else records this question if it finds nothing (the posted help request's lookup). */
    recordGap?: boolean;
  },
): Promise<FoundAnswer[]> {
  const language = await deps.language();
  const results = await deps.repo.search({ query, language, limit });
  const answered = (results[0]?.score ?? 0) >= RELEVANT_SCORE;
  if (answered || recordGap)
    await deps.repo.recordLookup({ kind, query, language, userId, answered, at: deps.clock.now() });
  return results;
}

/** Only the answers relevant enough to offer before a question is posted. */
export const relevantOnly = (results: FoundAnswer[]) => results.filter((r) => r.score >= RELEVANT_SCORE);

/** A "helpful" vote: one per person and answer. */
export async function markHelpful(
  deps: KnowledgeDeps,
  { answerId, userId }: { answerId: string; userId: string },
): Promise<'counted' | 'already'> {
  const answer = await deps.repo.byId(answerId);
  if (!answer || answer.status === 'retired') throw answerNotFound();
  const counted = await deps.db.transaction((tx) =>
    deps.repo.vote(tx as unknown as Db, { answerId, userId, at: deps.clock.now() }),
  );
  return counted ? 'counted' : 'already';
}

/**
 * Posts an answer for everyone in a channel, crediting its authors, and counts the use. A double
 * click within a minute posts it once.
 */
export async function shareAnswer(
  deps: KnowledgeDeps,
  { answerId, userId, channelId }: { answerId: string; userId: string; channelId: string },
): Promise<'shared' | 'repeat'> {
  const answer = await deps.repo.byId(answerId);
  if (!answer || answer.status === 'retired') throw answerNotFound();
  const shown = { ...answer, departmentName: await deps.repo.departmentName(answer.departmentKey) };
  const now = deps.clock.now();
  const done = await deps.requestKeys.once(
    { parts: ['knowledge.share', answerId, channelId, userId], windowMs: 60_000 },
    () =>
      commitChange(deps, async (tx) => {
        await deps.repo.recordUse(tx, { answerId, userId, kind: 'shared', at: now });
        return {
          result: 'shared' as const,
          messages: [{ post: { channel: channelId, ...renderSharedAnswer(shown, userId, now) } }],
        };
      }),
  );
  return done ? 'shared' : 'repeat';
}
