// Triage at run time: the tree FRONTLINE_CONFIG declared, the answer an outcome shows, and the deflection it counts.
import type { Clock } from '../clock.ts';
import type { Db } from '../db/client.ts';
import type { KnowledgeRepository } from '../knowledge/knowledge.repository.ts';
import { createRequestKeys } from '../slack/request-keys.ts';
import type { TriageOutcome, TriageTree } from './triage.models.ts';

/** The triage tree in use: FRONTLINE_CONFIG's `triage`, set when the file is applied at start. */
export interface TriageTrees {
  current(): TriageTree | undefined;
  use(tree: TriageTree | undefined): void;
}

export function createTriageTrees(): TriageTrees {
  let tree: TriageTree | undefined;
  return {
    current: () => tree,
    use(next) {
      tree = next;
    },
  };
}

export interface TriageDeps {
  db: Db;
  clock: Clock;
  knowledge: KnowledgeRepository;
}

/** What an answer outcome shows: a saved answer found by its title, or the tree's own text. */
export interface TriageAnswer {
  answerId: string | null;
  title: string | null;
  body: string;
}

/** The answer an outcome names; undefined when no saved answer has that title any more. */
export async function triageAnswerOf(
  deps: TriageDeps,
  outcome: Extract<TriageOutcome, { kind: 'answer' }>,
): Promise<TriageAnswer | undefined> {
  if ('text' in outcome) return { answerId: null, title: null, body: outcome.text };
  const saved = await deps.knowledge.byTitle(outcome.title);
  return saved && { answerId: saved.id, title: saved.title, body: saved.body };
}

// Slack may deliver a click twice; a view id is never reused, so a day is plenty.
const SOLVED_WINDOW_MS = 24 * 3600_000;

/**
 * "That solved it": the question was answered before it was escalated, counted as a deflection in the
 * knowledge digest. Once per walk (`viewId`): a double click counts one. False when already counted.
 */
export async function recordTriageDeflection(
  deps: TriageDeps,
  { viewId, userId, answerId }: { viewId: string; userId: string; answerId: string | null },
): Promise<boolean> {
  // The fingerprint and the count in one transaction: a crash between them loses neither alone.
  return deps.db.transaction(async (t) => {
    const tx = t as unknown as Db;
    if (
      !(await createRequestKeys({ db: tx, clock: deps.clock }).firstSeen(['triage.solved', viewId], SOLVED_WINDOW_MS))
    )
      return false;
    await deps.knowledge.recordUse(tx, { answerId, userId, kind: 'deflected', at: deps.clock.now() });
    return true;
  });
}
