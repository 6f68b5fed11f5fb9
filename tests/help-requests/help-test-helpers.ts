// Shared steps for the help-request tests: asking, clicking the message's buttons, reading replies.
import { eq } from 'drizzle-orm';
import { expect } from 'vitest';
import { helpRequests } from '../../src/help-requests/help-requests.table.ts';
import type { TestApp } from '../support/test-app.ts';

export const HELP_CHANNEL = 'C0HELP';

/** Runs a slash command and returns the private reply's body. */
export async function command(t: TestApp, commandName: string, text: string, user: string, options?: { retryNum?: number; trigger_id?: string }) {
  const url = t.fake.responseUrl();
  const res = await t.driver.command({ command: commandName, text, user_id: user, response_url: url, ...(options?.trigger_id ? { trigger_id: options.trigger_id } : {}) }, options);
  expect(res.status).toBe(200);
  const reply = await t.fake.waitForResponse((r) => url.endsWith(`/${r.id}`));
  expect(reply.body.response_type).toBe('ephemeral');
  return reply.body as { text: string; blocks?: unknown[] };
}

/** `/ask <text>` as `user`; returns the private reply's text. */
export const ask = async (t: TestApp, text: string, user: string) => (await command(t, '/ask', text, user)).text;

/** The stored request with this question (asked by this person). */
export async function requestAskedBy(t: TestApp, askerId: string) {
  const rows = await t.deps.db.select().from(helpRequests).where(eq(helpRequests.askerId, askerId));
  expect(rows).toHaveLength(1);
  return rows[0]!;
}

/** The help channel message posted for a request. */
export function postedMessage(t: TestApp, request: { channelId: string | null; messageTs: string | null }) {
  const message = t.fake.getMessage(request.channelId!, request.messageTs!);
  expect(message).toBeDefined();
  return message!;
}

/** Clicks a button on the request's message as `user`. */
export function click(t: TestApp, actionId: 'help_claim' | 'help_solve', request: { id: number; channelId: string | null; messageTs: string | null }, user: string, options?: { retryNum?: number }) {
  return t.driver.blockAction(
    { action_id: actionId, value: String(request.id), user_id: user, channel_id: request.channelId!, message_ts: request.messageTs!, message: postedMessage(t, request) as Record<string, unknown> },
    options,
  );
}

/** Direct messages the app sent to a person (posting to a user id opens the app DM). */
export const dmsTo = (t: TestApp, user: string) => t.fake.callsTo('chat.postMessage').filter((c) => c.args.channel === user).map((c) => String(c.args.text));
