// POST /api/feedback as a help desk or email forwarder would call it.
import { eq } from 'drizzle-orm';
import { describe, expect, it } from 'vitest';
import { feedbackItems } from '../../src/feedback/feedback.table.ts';
import { ADMIN, startTestApp, useTestApp } from '../support/test-app.ts';
import { postFeedback } from '../support/webhook.ts';

const TOKEN = 'webhook-token-0123456789';
const t = useTestApp({ env: { FRONTLINE_WEBHOOK_TOKEN: TOKEN } });
const count = async () => (await t.deps.db.select().from(feedbackItems)).length;

const post = (body: unknown, { token = TOKEN, contentType = 'application/json', baseUrl = t.baseUrl } = {}) =>
  postFeedback(baseUrl, body, { token, contentType });

describe('POST /api/feedback', () => {
  it('stores valid feedback, tags and scores it, and answers 201 with its id', async () => {
    const url = t.fake.responseUrl();
    await t.driver.command({
      command: '/frontline',
      text: 'theme add shipping delivery, courier',
      user_id: ADMIN,
      response_url: url,
    });
    await t.fake.waitForResponse((r) => url.endsWith(`/${r.id}`));
    const res = await post({
      text: 'The courier lost my parcel, awful',
      customer: 'cust-42',
      source: 'email',
      received_at: '2026-02-27T08:30:00+01:00',
    });
    expect(res.status).toBe(201);
    const { id } = (await res.json()) as { id: string };
    const [item] = await t.deps.db.select().from(feedbackItems).where(eq(feedbackItems.id, id));
    expect(item).toMatchObject({
      customer: 'cust-42',
      source: 'email',
      themes: ['shipping'],
      sentimentLabel: 'negative',
      capturedVia: 'webhook',
      loggedBy: null,
    });
    expect(item?.receivedAt.toISOString()).toBe('2026-02-27T07:30:00.000Z');
    expect(t.fake.calls.filter((c) => c.method.startsWith('chat.'))).toHaveLength(0);
  });

  it('stores nothing new for a repeated external_id and answers 200 with the same id', async () => {
    const body = { text: 'Love the app', themes: ['mobile'], external_id: 'zendesk-1001' };
    const [a, b] = await Promise.all([post(body), post(body)]);
    const statuses = [a.status, b.status].sort();
    expect(statuses).toEqual([200, 201]);
    const ids = [(await a.json()) as { id: string }, (await b.json()) as { id: string }].map((r) => r.id);
    expect(ids[0]).toBe(ids[1]);
    const again = await post({ ...body, text: 'Changed text' });
    expect(again.status).toBe(200);
    expect(await again.json()).toEqual({ id: ids[0] });
    expect(
      await t.deps.db.select().from(feedbackItems).where(eq(feedbackItems.externalId, 'zendesk-1001')),
    ).toHaveLength(1);
  });

  it.each([
    ['no token', { token: '' }],
    ['a wrong token', { token: 'webhook-token-0123456788' }],
  ])('answers 401 with %s and stores nothing', async (_, options) => {
    const before = await count();
    const res = await post({ text: 'hello' }, options);
    expect(res.status).toBe(401);
    expect(await count()).toBe(before);
  });

  it.each([
    [{}, 'text: is required'],
    [{ text: '' }, 'text: Write the feedback itself'],
    [{ text: 'hi', source: 'fax' }, 'source:'],
    [{ text: 'hi', themes: 'billing' }, 'themes:'],
    [{ text: 'hi', themes: ['two words'] }, 'themes.0:'],
    [{ text: 'hi', received_at: 'yesterday' }, 'received_at: must be an ISO 8601 date-time'],
    [{ text: 'hi', colour: 'blue' }, 'colour'],
    ['{"text": "hi"', 'The body is not valid JSON'],
    ['{"text": "Love it \\ud83d"}', 'Fix these fields: text.'],
    ['[1,2]', 'body:'],
  ])('answers 400 naming the problem for %j and stores nothing', async (body, problem) => {
    const before = await count();
    const res = await post(body);
    expect(res.status).toBe(400);
    expect(((await res.json()) as { error: string }).error).toContain(problem);
    expect(await count()).toBe(before);
  });

  it('refuses other content types (415) and bodies over 64 KB (413)', async () => {
    expect((await post('text=hi', { contentType: 'application/x-www-form-urlencoded' })).status).toBe(415);
    expect((await post({ text: 'x'.repeat(70 * 1024) })).status).toBe(413);
  });

  it('is closed (401) when no token is configured', async () => {
    const other = await startTestApp({ fake: t.fake });
    try {
      expect((await post({ text: 'hi' }, { baseUrl: other.baseUrl, token: 'anything-at-all-here' })).status).toBe(401);
    } finally {
      await other.stop();
    }
  });
});
