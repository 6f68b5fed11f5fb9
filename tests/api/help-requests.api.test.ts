// POST /api/help-requests and GET /api/help-requests/:ref as another tool calls them, over real HTTP.
import { beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { createHelpRequestsRepository } from '../../src/help-requests/help-requests.repository.ts';
import { helpRequests } from '../../src/help-requests/help-requests.table.ts';
import { manifestBotScopes, seedDepartments } from '../escalations/helpers.ts';
import { click, HELP_CHANNEL, postedMessage, waitCall } from '../help-requests/help-test-helpers.ts';
import { type ApiCallOptions, callApi } from '../support/api.ts';
import { useTestApp } from '../support/test-app.ts';

const TOKEN = 'api-token-0123456789abcdef';
const ASKER = 'U0ASKER';
const t = useTestApp({ env: { FRONTLINE_API_TOKEN: TOKEN } });
beforeAll(async () => {
  await seedDepartments(t);
  t.fake.scopes = manifestBotScopes();
  t.fake.setUser({ id: ASKER, email: 'asker@acme.com' });
});
beforeEach(() => void t.clock.advanceMinutes(1));

const ask = (body: unknown, options: Partial<ApiCallOptions> = {}) =>
  callApi(t.baseUrl, 'POST', '/api/help-requests', { token: TOKEN, ...options, body });
const show = (ref: string) => callApi(t.baseUrl, 'GET', `/api/help-requests/${ref}`, { token: TOKEN });
const count = async () => (await t.deps.db.select({ id: helpRequests.id }).from(helpRequests)).length;
const stored = (id: number) => createHelpRequestsRepository(t.deps).get(id);

describe('POST /api/help-requests', () => {
  it('answers 409 while there is no help channel, and asks nothing', async () => {
    const res = await ask({ question: 'How do I extend a trial?', requester: { slack_id: ASKER } });
    expect(res.status).toBe(409);
    expect(res.body.error).toContain('/frontline set help-channel');
    expect(await count()).toBe(0);
  });

  it('asks in the help channel like /ask, mentioning the topic’s people: 201 with id, ref and link', async () => {
    await t.deps.workspace.helpChannel.set(HELP_CHANNEL);
    const res = await ask({
      question: 'Why was Acme charged twice?',
      topic: 'billing',
      urgency: 'high',
      customer: 'Acme',
      requester: { email: 'asker@acme.com' },
      external_id: 'intercom-1',
    });
    expect(res.status).toBe(201);
    const request = await stored(res.body.id as number);
    expect(request).toMatchObject({ askerId: ASKER, topic: 'billing', urgency: 'high', raisedVia: 'api' });
    expect(res.body).toEqual({ id: request!.id, ref: `HELP-${request!.id}`, url: request!.permalink });
    const shown = JSON.stringify(postedMessage(t, request!).blocks);
    expect(shown).toContain(`HELP-${request!.id}`);
    expect(shown).toContain('<@U0LEADB>'); // billing's lead, as `/ask billing: …` would mention
    expect(
      (await ask({ question: 'Something else', requester: { slack_id: ASKER }, external_id: 'intercom-1' })).body,
    ).toEqual(res.body);
  });

  it('refuses (400) an asker who is not in Slack, and names every bad field', async () => {
    const before = await count();
    const outsider = await ask({ question: 'Can someone help?', requester: { email: 'nobody@acme.com' } });
    expect(outsider.status).toBe(400);
    expect(Object.keys(outsider.body.fields as object)).toEqual(['requester.email']);
    const bad = await ask({ question: 'x', urgency: 'now', requester: {} });
    expect(bad.status).toBe(400);
    expect(Object.keys(bad.body.fields as object).sort()).toEqual(['question', 'requester', 'urgency']);
    expect(await count()).toBe(before);
  });

  it('answers 502 when Slack refuses the post for good, and the same external_id may then ask again', async () => {
    t.fake.failNext('chat.postMessage', { error: 'channel_not_found' });
    const body = {
      question: 'Can anyone read Portuguese invoices?',
      requester: { slack_id: ASKER },
      external_id: 'zd-9',
    };
    const refused = await ask(body);
    expect(refused.status).toBe(502);
    expect(refused.body.error).toContain('help channel');
    expect((await ask(body)).status).toBe(201);
  });

  it('answers 401 without the token and 413 past 64 KB', async () => {
    expect((await ask({ question: 'Hello there', requester: { slack_id: ASKER } }, { token: '' })).status).toBe(401);
    expect((await ask({ question: 'x'.repeat(70_000), requester: { slack_id: ASKER } })).status).toBe(413);
  });
});

describe('GET /api/help-requests/:ref', () => {
  it('returns its state, who is helping, its times and how it was solved', async () => {
    const created = await ask({ question: 'Who owns the SSO setup?', requester: { slack_id: ASKER } });
    const id = created.body.id as number;
    expect((await show(created.body.ref as string)).body).toMatchObject({
      status: 'open',
      claimer: null,
      helpers: [],
      resolution: null,
      requester: { slack_id: ASKER },
    });
    const request = (await stored(id))!;
    await click(t, 'help_claim', request, 'U0HELPER');
    await waitCall(t, 'chat.postMessage', (c) => c.args.channel === ASKER);
    const helping = await show(`help-${id}`);
    expect(helping.body).toMatchObject({ status: 'claimed', claimer: { slack_id: 'U0HELPER' } });
    expect(helping.body.helpers).toEqual([{ slack_id: 'U0HELPER', joined_at: expect.any(String) }]);
    expect((await show(String(id))).status).toBe(200);
  });

  it('answers 404 for an unknown reference and 400 for another kind’s', async () => {
    expect((await show('HELP-99999')).status).toBe(404);
    expect((await show('ESC-1')).status).toBe(400);
  });
});
