// Shared steps for the help-request tests: asking, clicking the message's buttons, reading replies.
import { readFileSync } from 'node:fs';
import { eq } from 'drizzle-orm';
import { beforeAll, expect } from 'vitest';
import { helpRequests } from '../../src/help-requests/help-requests.table.ts';
import { type TestApp, useTestApp } from '../support/test-app.ts';

export const HELP_CHANNEL = 'C0HELP';
/** Generous waits: the machine is shared, and a slow reply is not a wrong one. */
export const WAIT_MS = 10_000;

const manifest = JSON.parse(readFileSync(new URL('../../manifest.json', import.meta.url), 'utf8')) as {
  oauth_config: { scopes: { bot: string[] } };
};

/** The test app, with fake Slack granting only the bot scopes manifest.json asks for. */
export function useHelpTestApp(): TestApp {
  const t = useTestApp();
  beforeAll(() => {
    t.fake.scopes = new Set(manifest.oauth_config.scopes.bot);
  });
  return t;
}

/** Runs a slash command and returns the private reply's body. */
export async function command(
  t: TestApp,
  commandName: string,
  text: string,
  user: string,
  options?: { retryNum?: number; trigger_id?: string },
) {
  const url = t.fake.responseUrl();
  const res = await t.driver.command(
    {
      command: commandName,
      text,
      user_id: user,
      response_url: url,
      ...(options?.trigger_id ? { trigger_id: options.trigger_id } : {}),
    },
    options,
  );
  expect(res.status).toBe(200);
  const reply = await t.fake.waitForResponse((r) => url.endsWith(`/${r.id}`), WAIT_MS);
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
export function click(
  t: TestApp,
  actionId: 'help_claim' | 'help_solve',
  request: { id: number; channelId: string | null; messageTs: string | null },
  user: string,
  options?: { retryNum?: number },
) {
  return t.driver.blockAction(
    {
      action_id: actionId,
      value: String(request.id),
      user_id: user,
      channel_id: request.channelId!,
      message_ts: request.messageTs!,
      message: postedMessage(t, request) as Record<string, unknown>,
    },
    options,
  );
}

/** Direct messages the app sent to a person (posting to a user id opens the app DM). */
export const dmsTo = (t: TestApp, user: string) =>
  t.fake
    .callsTo('chat.postMessage')
    .filter((c) => c.args.channel === user)
    .map((c) => String(c.args.text));

type CallPredicate = Parameters<TestApp['fake']['waitForCall']>[1];
type ResponsePredicate = Parameters<TestApp['fake']['waitForResponse']>[0];
/** Waits for a Web API call the app makes after acking. */
export const waitCall = (t: TestApp, method: string, predicate?: CallPredicate) =>
  t.fake.waitForCall(method, predicate, WAIT_MS);
/** Waits for a post to a response_url. */
export const waitResponse = (t: TestApp, predicate?: ResponsePredicate) => t.fake.waitForResponse(predicate, WAIT_MS);
