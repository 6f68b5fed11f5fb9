import { sql } from 'drizzle-orm';
import {
  boolean,
  customType,
  index,
  integer,
  jsonb,
  pgEnum,
  pgTable,
  primaryKey,
  serial,
  text,
  timestamp,
  uniqueIndex,
  uuid,
} from 'drizzle-orm/pg-core';

const at = (name: string) => timestamp(name, { withTimezone: true });
const tsvector = customType<{ data: string }>({ dataType: () => 'tsvector' });

export const answerSourceEnum = pgEnum('answer_source', ['escalation', 'help_request', 'message', 'manual', 'import']);
export const answerStatusEnum = pgEnum('answer_status', ['active', 'outdated', 'retired']);

/** One answer the company gave: the question as its title, the answer as its body. */
export const answers = pgTable(
  'answers',
  {
    id: uuid('id').primaryKey().defaultRandom(),
    title: text('title').notNull(),
    body: text('body').notNull(),
    sourceKind: answerSourceEnum('source_kind').notNull(),
    /** The escalation id, help request id or `channel:ts` it came from; one answer per source. */
    sourceId: text('source_id'),
    permalink: text('permalink'),
    departmentKey: text('department_key'),
    skills: text('skills').array().notNull().default(sql`'{}'::text[]`),
    themes: text('themes').array().notNull().default(sql`'{}'::text[]`),
    /** The people who gave the answer. */
    creditedUserIds: text('credited_user_ids').array().notNull().default(sql`'{}'::text[]`),
    createdBy: text('created_by'),
    status: answerStatusEnum('status').notNull().default('active'),
    uses: integer('uses').notNull().default(0),
    helpfulVotes: integer('helpful_votes').notNull().default(0),
    /** The text search configuration its `search` vector was built with (the `search-language` setting). */
    language: text('language').notNull().default('english'),
    /** Weighted title (A), tags (B) and body (C); kept by the trigger in the answers_search migration. */
    search: tsvector('search'),
    /** The title alone (kept by the same trigger): finds answers whose question has the words, cheaply. */
    titleSearch: tsvector('title_search'),
    createdAt: at('created_at').notNull(),
    updatedAt: at('updated_at').notNull(),
    /** When someone last said it is still right (its creation, an edit, a review). */
    confirmedAt: at('confirmed_at').notNull(),
    /** When its authors were last asked to review it. */
    reviewRequestedAt: at('review_requested_at'),
  },
  (t) => [
    uniqueIndex('answers_source_idx').on(t.sourceKind, t.sourceId),
    index('answers_search_idx').using('gin', t.search),
    index('answers_title_search_idx').using('gin', t.titleSearch),
    index('answers_status_confirmed_idx').on(t.status, t.confirmedAt),
  ],
);

/**
 * Every word of every title (kept by the answers' trigger, never pruned): a misspelt query word is
 * looked up here by trigram similarity, then searched as the words it is like.
 */
export const answerTitleWords = pgTable('answer_title_words', { word: text('word').primaryKey() }, (t) => [
  index('answer_title_words_trgm_idx').using('gist', t.word.op('gist_trgm_ops')),
]);

/** One "helpful" vote per person and answer. */
export const answerVotes = pgTable(
  'answer_votes',
  {
    answerId: uuid('answer_id')
      .notNull()
      .references(() => answers.id, { onDelete: 'cascade' }),
    userId: text('user_id').notNull(),
    votedAt: at('voted_at').notNull(),
  },
  (t) => [primaryKey({ columns: [t.answerId, t.userId] })],
);

export const answerUseKindEnum = pgEnum('answer_use', ['shared', 'deflected']);

/** Each time an answer was put to use: shared in a channel, or it answered a question before it was posted. */
export const answerUses = pgTable(
  'answer_uses',
  {
    id: serial('id').primaryKey(),
    /** Null for a triage tree's own text that answered a question (it is no saved answer). */
    answerId: uuid('answer_id').references(() => answers.id, { onDelete: 'cascade' }),
    kind: answerUseKindEnum('kind').notNull(),
    userId: text('user_id').notNull(),
    usedAt: at('used_at').notNull(),
  },
  (t) => [index('answer_uses_used_at_idx').on(t.usedAt)],
);

export const answerLookupKindEnum = pgEnum('answer_lookup', ['search', 'ask', 'escalate']);

/** A search or a question looked up before posting; the ones with no answer are the knowledge gaps. */
export const answerLookups = pgTable(
  'answer_lookups',
  {
    id: serial('id').primaryKey(),
    kind: answerLookupKindEnum('kind').notNull(),
    query: text('query').notNull(),
    /** The query's words, stemmed and sorted: the same topic typed differently counts together. */
    topic: text('topic').notNull(),
    userId: text('user_id').notNull(),
    answered: boolean('answered').notNull(),
    lookedUpAt: at('looked_up_at').notNull(),
  },
  (t) => [index('answer_lookups_looked_up_at_idx').on(t.lookedUpAt)],
);

export const heldQuestionKindEnum = pgEnum('held_question_kind', ['help_request', 'escalation']);
export const heldQuestionStatusEnum = pgEnum('held_question_status', ['offered', 'answered', 'posting', 'posted']);

/**
 * A question or escalation held before posting while its asker reads the answers offered: kept
 * here, not in a button, so **Post anyway** posts exactly what was typed, once, even after a restart.
 */
export const heldQuestions = pgTable(
  'held_questions',
  {
    id: uuid('id').primaryKey().defaultRandom(),
    kind: heldQuestionKindEnum('kind').notNull(),
    userId: text('user_id').notNull(),
    question: text('question').notNull(),
    /** The same for a retry of the request that typed it (a form's view id): it is held once. */
    retryKey: text('retry_key'),
    /** What its poster needs to post it, as typed. */
    draft: jsonb('draft').notNull(),
    /** The answers offered, best first. */
    answerIds: uuid('answer_ids').array().notNull(),
    status: heldQuestionStatusEnum('status').notNull().default('offered'),
    /** The answer the asker said settled it. */
    answeredById: uuid('answered_by_id').references(() => answers.id, { onDelete: 'set null' }),
    /** The confirmation the asker got when it was posted, shown again to a repeat click. */
    postedReply: text('posted_reply'),
    createdAt: at('created_at').notNull(),
    /** When it was answered, or when posting it started. */
    decidedAt: at('decided_at'),
  },
  (t) => [
    uniqueIndex('held_questions_retry_key_idx').on(t.retryKey),
    index('held_questions_user_status_idx').on(t.userId, t.status),
  ],
);

/** When each author was last sent the answers of theirs due for review: at most one such DM a week. */
export const answerReviewRequests = pgTable('answer_review_requests', {
  userId: text('user_id').primaryKey(),
  requestedAt: at('requested_at').notNull(),
});
