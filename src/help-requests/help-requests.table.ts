import { sql } from 'drizzle-orm';
import { index, integer, pgTable, primaryKey, serial, text, timestamp, uniqueIndex } from 'drizzle-orm/pg-core';
import type { HelpStatus, Urgency } from './help-requests.models.ts';

const at = (name: string) => timestamp(name, { withTimezone: true });

/** A question asked of the whole company with `/ask`, tracked until it is solved. */
export const helpRequests = pgTable(
  'help_requests',
  {
    id: serial('id').primaryKey(),
    question: text('question').notNull(),
    context: text('context'),
    urgency: text('urgency').$type<Urgency>().notNull().default('normal'),
    customer: text('customer'),
    /** A department key or a skill, when the asker named one (`/ask billing: …`). */
    topic: text('topic'),
    /** Who was mentioned for the topic (a department's leads or the skill's experts), kept for re-renders and nudges. */
    topicPeople: text('topic_people').array().notNull().default(sql`'{}'::text[]`),
    askerId: text('asker_id').notNull(),
    raisedVia: text('raised_via').$type<'slack' | 'api'>().notNull().default('slack'),
    /** The caller's own id for it (a helpdesk ticket): the same id again finds this request. */
    externalId: text('external_id'),
    /** The message it was asked from (message shortcut), if any. */
    sourcePermalink: text('source_permalink'),
    /** Where the request was posted; null until Slack accepted the message. */
    channelId: text('channel_id'),
    messageTs: text('message_ts'),
    permalink: text('permalink'),
    status: text('status').$type<HelpStatus>().notNull().default('open'),
    firstHelperId: text('first_helper_id'),
    solvedBy: text('solved_by'),
    solveNote: text('solve_note'),
    createdAt: at('created_at').notNull(),
    firstHelpedAt: at('first_helped_at'),
    solvedAt: at('solved_at'),
  },
  (t) => [
    uniqueIndex('help_requests_external_id_idx').on(t.externalId),
    index('help_requests_created_at_idx').on(t.createdAt),
    index('help_requests_status_created_at_idx').on(t.status, t.createdAt),
    index('help_requests_asker_idx').on(t.askerId, t.status),
  ],
);

/** Everyone who said "I can help": the first one claimed it, the others joined. */
export const helpRequestHelpers = pgTable(
  'help_request_helpers',
  {
    requestId: integer('request_id')
      .notNull()
      .references(() => helpRequests.id, { onDelete: 'cascade' }),
    userId: text('user_id').notNull(),
    role: text('role').$type<'first' | 'extra'>().notNull(),
    joinedAt: at('joined_at').notNull(),
  },
  (t) => [
    primaryKey({ columns: [t.requestId, t.userId] }),
    index('help_request_helpers_user_idx').on(t.userId, t.joinedAt),
    index('help_request_helpers_joined_at_idx').on(t.joinedAt),
  ],
);

/** Thanks given when a request is solved: one per request and person named as having helped most. */
export const helpKudos = pgTable(
  'help_kudos',
  {
    requestId: integer('request_id')
      .notNull()
      .references(() => helpRequests.id, { onDelete: 'cascade' }),
    userId: text('user_id').notNull(),
    givenBy: text('given_by').notNull(),
    createdAt: at('created_at').notNull(),
  },
  (t) => [primaryKey({ columns: [t.requestId, t.userId] }), index('help_kudos_user_idx').on(t.userId)],
);

/** The opt-in expert pool: what each person says they know (`/frontline skills add`). */
export const helpSkills = pgTable(
  'help_skills',
  {
    userId: text('user_id').notNull(),
    skill: text('skill').notNull(),
    createdAt: at('created_at').notNull(),
  },
  (t) => [uniqueIndex('help_skills_user_skill_idx').on(t.userId, t.skill), index('help_skills_skill_idx').on(t.skill)],
);

/** Nudges already sent for an unclaimed request; the key makes each level happen once across processes. */
export const helpNudges = pgTable(
  'help_nudges',
  {
    requestId: integer('request_id')
      .notNull()
      .references(() => helpRequests.id, { onDelete: 'cascade' }),
    /** 1: in the thread, to the topic's experts; 2: a DM to the support leads. */
    level: integer('level').notNull(),
    sentAt: at('sent_at').notNull(),
  },
  (t) => [primaryKey({ columns: [t.requestId, t.level] })],
);
