// What happens between typing a question and posting it. Capabilities that post questions (help
// requests, escalations) hold each one here after the ack and say how a held one is posted later;
// a capability that can answer it first (service knowledge) decides whether to hold it. Neither
// reads the other's tables or use cases.
import type { Logger } from './logger.ts';
import type { CardRef } from './slack/outbox.ts';
import type { Dedupe } from './slack/request-keys.ts';

/** The kinds of question that can be held, one poster each. */
export type QuestionKind = 'help_request' | 'escalation';

/** A question about to be posted, with everything needed to post it later exactly as typed. */
export interface TypedQuestion {
  kind: QuestionKind;
  userId: string;
  /** What to look answers up by: the question or the escalation's summary, as typed. */
  question: string;
  /** The poster's input, as JSON: read back by the poster's own parser. */
  draft: Record<string, unknown>;
  /** The same for a retry of the request that typed it (a form's view id, a command's trigger id). */
  retryKey: string;
  /** Where the person can be answered privately (a command's or form's response_url); else a DM. */
  replyUrl?: string;
}

/** A held question once posted: the asker's confirmation and the new thread, for notes about it. */
export interface PostedQuestion {
  reply: string;
  thread: CardRef;
}

/**
 * Posts a held draft the way its listener would have. `once` must guard the posting (the use case's
 * own dedupe), so a double click or a retry posts it once; undefined for such a repeat.
 */
export type QuestionPoster = (
  draft: unknown,
  context: { userId: string; once: Dedupe },
) => Promise<PostedQuestion | undefined>;

/** Decides whether to hold a question (true: the person decides later; nothing is posted now). */
export type QuestionHold = (question: TypedQuestion) => Promise<boolean>;

export interface BeforePosting {
  /** How held questions of a kind are posted; the capability that posts them adds it. */
  poster(kind: QuestionKind, post: QuestionPoster): void;
  /** What may hold a question before it is posted (service knowledge offers answers). */
  holdWith(hold: QuestionHold): void;
  /** Called after the ack: true when the question is held, false to post it now as usual. */
  hold(question: TypedQuestion): Promise<boolean>;
  /** Posts a held draft through its kind's poster. */
  post(
    kind: QuestionKind,
    draft: unknown,
    context: { userId: string; once: Dedupe },
  ): Promise<PostedQuestion | undefined>;
}

export function createBeforePosting({ logger }: { logger: Logger }): BeforePosting {
  const posters = new Map<QuestionKind, QuestionPoster>();
  let holder: QuestionHold | undefined;
  return {
    poster(kind, post) {
      if (posters.has(kind)) throw new Error(`a poster for ${kind} is added twice`);
      posters.set(kind, post);
    },
    holdWith(hold) {
      if (holder) throw new Error('a question hold is added twice');
      holder = hold;
    },
    async hold(question) {
      if (!holder || !posters.has(question.kind)) return false;
      try {
        return await holder(question);
      } catch (error) {
        // Offering answers first is a courtesy: when it fails, the question is posted as it always was.
        logger.warn({ err: error, kind: question.kind }, 'could not look for answers before posting; posting now');
        return false;
      }
    },
    async post(kind, draft, context) {
      const post = posters.get(kind);
      if (!post) throw new Error(`no poster for ${kind}`);
      return await post(draft, context);
    },
  };
}
