// Shared set-up for the knowledge tests: answers stored as an admin's import would store them.
import { expect } from 'vitest';
import { createKnowledgeRepository, type NewAnswer } from '../../src/knowledge/knowledge.repository.ts';
import type { TestApp } from '../support/test-app.ts';

/** Stores an answer directly (its source is an import unless given) and returns it. */
export async function seedAnswer(t: TestApp, answer: Partial<NewAnswer> & { title: string; body: string }) {
  const at = t.clock.now();
  const row = await createKnowledgeRepository(t.deps).insert(t.deps.db, {
    sourceKind: 'import',
    sourceId: answer.title,
    createdAt: at,
    updatedAt: at,
    confirmedAt: at,
    ...answer,
  });
  expect(row).toBeDefined();
  return row!;
}

/** Runs `/answers <query>` and returns the private reply's body. */
export async function answersCommand(t: TestApp, query: string, user = 'U0AGENT', channel = 'C0SUPPORT') {
  const url = t.fake.responseUrl();
  const res = await t.driver.command({
    command: '/answers',
    text: query,
    user_id: user,
    channel_id: channel,
    response_url: url,
  });
  expect(res.status).toBe(200);
  const reply = await t.fake.waitForResponse((r) => url.endsWith(`/${r.id}`), 10_000);
  expect(reply.body.response_type).toBe('ephemeral');
  return reply.body as { text: string; blocks: any[] };
}

/** Presses an answer's button on an /answers result (an ephemeral message in C0SUPPORT); returns its response_url. */
export async function pressAnswerButton(t: TestApp, actionId: string, user: string, value: string) {
  const url = t.fake.responseUrl();
  const res = await t.driver.blockAction({
    action_id: actionId,
    value,
    user_id: user,
    channel_id: 'C0SUPPORT',
    block_id: `answer_${value}`,
    response_url: url,
  });
  expect(res.status).toBe(200);
  return url;
}

/** The buttons of a message's blocks, by action id. */
export const buttonsOf = (blocks: any[]) =>
  blocks.flatMap((b) => (b.type === 'actions' ? b.elements : [])) as Array<{
    action_id: string;
    value: string;
    text: { text: string };
  }>;
