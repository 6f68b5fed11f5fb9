// Shared set-up for the escalation tests: a directory of departments and short ways to act.
import { readFileSync } from 'node:fs';
import { eq } from 'drizzle-orm';
import { expect } from 'vitest';
import { createDepartmentsRepository } from '../../src/departments/departments.repository.ts';
import type { Escalation } from '../../src/escalations/escalations.repository.ts';
import { escalations } from '../../src/escalations/escalations.table.ts';
import { ADMIN, type TestApp } from '../support/test-app.ts';

export const BILLING = { key: 'billing', name: 'Billing', channelId: 'C0BILLING', leads: ['U0LEADB'] };
export const LEGAL = { key: 'legal', name: 'Legal', channelId: 'C0LEGAL', leads: ['U0LEADL'] };
export const AGENT = 'U0AGENT';
// The first request of a file is slow while the app warms up on a shared two-core machine.
export const PATIENCE_MS = 10_000;

export async function seedDepartments(t: TestApp): Promise<void> {
  const repo = createDepartmentsRepository(t.deps);
  await repo.upsert(BILLING);
  await repo.upsert(LEGAL);
}

/** Runs `/escalate <text>` and returns the private reply's text. */
export async function escalate(
  t: TestApp,
  text: string,
  user = AGENT,
  options: { retryNum?: number; channel_id?: string } = {},
): Promise<string> {
  const url = t.fake.responseUrl();
  const res = await t.driver.command(
    {
      command: '/escalate',
      text,
      user_id: user,
      response_url: url,
      ...(options.channel_id ? { channel_id: options.channel_id } : {}),
    },
    options,
  );
  expect(res.status).toBe(200);
  const reply = await t.fake.waitForResponse((r) => url.endsWith(`/${r.id}`), PATIENCE_MS);
  expect(reply.body.response_type).toBe('ephemeral');
  return reply.body.text as string;
}

export const withSummary = (t: TestApp, summary: string): Promise<Escalation[]> =>
  t.deps.db.select().from(escalations).where(eq(escalations.summary, summary));

/** Raises one escalation through the command and returns it as stored. */
export async function raised(
  t: TestApp,
  summary: string,
  department = 'billing',
  priority = 'high',
): Promise<Escalation> {
  await escalate(t, `${department} ${priority} ${summary}`);
  const [row] = await withSummary(t, summary);
  expect(row?.messageTs).toBeTruthy();
  return row!;
}

/** The message as it now stands in the fake Slack channel. */
export const messageOf = (t: TestApp, e: Pick<Escalation, 'channelId' | 'messageTs'>) =>
  t.fake.getMessage(e.channelId!, e.messageTs!);

/** Clicks a button on the escalation's channel message; `url` receives any private answer. */
export const click = (t: TestApp, actionId: string, e: Escalation, user: string, url = t.fake.responseUrl()) =>
  t.driver.blockAction({
    action_id: actionId,
    value: e.id,
    user_id: user,
    channel_id: e.channelId!,
    message_ts: e.messageTs!,
    message: messageOf(t, e) ?? { ts: e.messageTs! },
    response_url: url,
  });

/** Clicks and returns the private answer the clicker got. */
export async function clickForReply(
  t: TestApp,
  actionId: string,
  e: Pick<Escalation, 'id' | 'channelId' | 'messageTs'>,
  user: string,
): Promise<string> {
  const url = t.fake.responseUrl();
  await click(t, actionId, e as Escalation, user, url);
  return replyAt(t, url);
}

/** The ephemeral text posted to one response_url. */
export async function replyAt(t: TestApp, url: string): Promise<string> {
  const reply = await t.fake.waitForResponse((r) => url.endsWith(`/${r.id}`), PATIENCE_MS);
  expect(reply.body.response_type).toBe('ephemeral');
  return reply.body.text as string;
}

/** The bot scopes manifest.json grants. */
export function manifestBotScopes(): Set<string> {
  const manifest = JSON.parse(readFileSync(new URL('../../manifest.json', import.meta.url), 'utf8')) as {
    oauth_config: { scopes: { bot: string[] } };
  };
  return new Set(manifest.oauth_config.scopes.bot);
}

/** Runs `/frontline <text>` as `user` (an admin unless given) and returns the private reply's text. */
export async function frontline(t: TestApp, text: string, user = ADMIN): Promise<string> {
  const url = t.fake.responseUrl();
  const res = await t.driver.command({ command: '/frontline', text, user_id: user, response_url: url });
  expect(res.status).toBe(200);
  return replyAt(t, url);
}
