// Random bodies, field values of the wrong type, bad JSON, wrong content types and tokens sent to
// POST /api/feedback: every refusal is a 4xx with a clear JSON error and stores nothing; every
// valid body stores exactly one item with the values sent (or, for a known external_id, none).

import { eq } from 'drizzle-orm';
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { FEEDBACK_SOURCES } from '../../src/feedback/feedback.models.ts';
import { webhookBodySchema } from '../../src/feedback/feedback.routes.ts';
import { feedbackItems } from '../../src/feedback/feedback.table.ts';
import { MAX_BODY_BYTES } from '../../src/http/json-api.ts';
import { expectClearMessage } from '../support/answers.ts';
import { anyJson, longText, nastyText, textInput } from '../support/arbitraries.ts';
import { expectUnchanged, snapshotDatabase } from '../support/outcomes.ts';
import { useTestApp } from '../support/test-app.ts';
import { postFeedback } from '../support/webhook.ts';

const TOKEN = 'webhook-token-0123456789';
const t = useTestApp({ env: { FRONTLINE_WEBHOOK_TOKEN: TOKEN } });

/** A field value: of its kind (`goodWeight` times in `goodWeight + 1`), else any JSON at all (the wrong type). */
const fieldOf = <T>(good: fc.Arbitrary<T>, goodWeight: number) =>
  fc.oneof({ weight: goodWeight, arbitrary: good }, { weight: 1, arbitrary: anyJson });

/** Mostly `good`, one time in nine `bad`. */
const mostly = <T>(good: fc.Arbitrary<T>, bad: fc.Arbitrary<T>) =>
  fc.oneof({ weight: 8, arbitrary: good }, { weight: 1, arbitrary: bad });

/** A body with every field the webhook knows: nearly right (one field in ten wrong), or anything (one in two). */
const bodyWithFields = (goodWeight: number) =>
  fc.record(
    {
      text: fieldOf(
        fc.oneof(
          { weight: 4, arbitrary: fc.constantFrom('The export is slow', 'Love the new app') },
          { weight: 1, arbitrary: nastyText },
          { weight: 1, arbitrary: longText(2990, 3010) },
        ),
        goodWeight,
      ),
      customer: fieldOf(mostly(fc.constantFrom('Acme Corp', 'Büro Müller'), textInput()), goodWeight),
      source: fieldOf(mostly(fc.constantFrom(...FEEDBACK_SOURCES), fc.constantFrom('fax', 'EMAIL')), goodWeight),
      themes: fieldOf(
        fc.array(mostly(fc.constantFrom('billing', 'Mobile-App'), fc.constantFrom('two words', '#hash', '')), {
          maxLength: 3,
        }),
        goodWeight,
      ),
      external_id: fieldOf(
        mostly(fc.uuid(), fc.oneof(fc.constantFrom('zendesk-1001', ' ', ''), nastyText)),
        goodWeight,
      ),
      received_at: fieldOf(
        mostly(
          fc.constantFrom('2026-02-27T08:30:00+01:00', '2026-02-27T07:30:00Z'),
          fc.constantFrom('2026-02-27', 'yesterday'),
        ),
        goodWeight,
      ),
    },
    { requiredKeys: ['text'] },
  );

const body = fc.oneof(
  { weight: 6, arbitrary: bodyWithFields(10) },
  { weight: 2, arbitrary: bodyWithFields(1) },
  { weight: 1, arbitrary: fc.tuple(bodyWithFields(10), anyJson).map(([fields, colour]) => ({ ...fields, colour })) },
  { weight: 1, arbitrary: anyJson },
);

/** How it is sent: mostly right, sometimes with the wrong token, content type or encoding. */
const request = fc.record({
  body,
  token: fc.oneof(
    { weight: 8, arbitrary: fc.constant(TOKEN) },
    { weight: 1, arbitrary: fc.constantFrom('', `${TOKEN}x`, 'Bearer') },
  ),
  contentType: fc.oneof(
    { weight: 8, arbitrary: fc.constant('application/json') },
    {
      weight: 1,
      arbitrary: fc.constantFrom('application/json; charset=utf-8', 'text/plain', 'application/x-www-form-urlencoded'),
    },
  ),
  raw: fc.oneof(
    { weight: 8, arbitrary: fc.constant(undefined) },
    { weight: 1, arbitrary: fc.oneof(nastyText, fc.constant('{"text": "hi"')) },
  ),
});

describe('POST /api/feedback with random input', () => {
  it('refuses with a 4xx and a clear JSON error and stores nothing, or stores exactly what was sent', async () => {
    await fc.assert(
      fc.asyncProperty(request, async ({ body: json, token, contentType, raw }) => {
        const sent = raw ?? JSON.stringify(json);
        const parsed = (() => {
          try {
            return webhookBodySchema.safeParse(JSON.parse(sent));
          } catch {
            return undefined;
          }
        })();
        const known =
          parsed?.success && parsed.data.external_id
            ? (
                await t.deps.db
                  .select()
                  .from(feedbackItems)
                  .where(eq(feedbackItems.externalId, parsed.data.external_id))
              )[0]
            : undefined;
        const before = await snapshotDatabase(t);
        const res = await postFeedback(t.baseUrl, sent, { token, contentType });
        expect(res.headers.get('content-type')).toMatch(/^application\/json/);
        const answer = (await res.json()) as { id?: string; error?: string };

        const accepted =
          token === TOKEN &&
          /^application\/json/.test(contentType) &&
          Buffer.byteLength(sent) <= MAX_BODY_BYTES &&
          parsed?.success;
        if (!accepted) {
          expect(res.status).toBeGreaterThanOrEqual(400);
          expect(res.status).toBeLessThan(500);
          expectClearMessage(answer.error, `error (${res.status})`);
          return expectUnchanged(t, before);
        }
        if (known) {
          expect(res.status).toBe(200);
          expect(answer).toEqual({ id: known.id });
          return expectUnchanged(t, before);
        }
        expect(res.status).toBe(201);
        const rows = await t.deps.db.select().from(feedbackItems).where(eq(feedbackItems.id, answer.id!));
        expect(rows).toHaveLength(1);
        const data = parsed!.data!;
        expect(rows[0]).toMatchObject({
          text: data.text,
          customer: data.customer ?? null,
          source: data.source ?? 'other',
          externalId: data.external_id ?? null,
          capturedVia: 'webhook',
          ...(data.themes?.length ? { themes: [...new Set(data.themes)] } : {}),
          ...(data.received_at ? { receivedAt: new Date(data.received_at) } : {}),
        });
        const after = await snapshotDatabase(t);
        expect(after.feedback_items).toHaveLength(before.feedback_items!.length + 1);
        // …and announced once, to whoever subscribes to captured feedback.
        expect(after.domain_events!.filter((row) => !before.domain_events!.includes(row))).toEqual([
          expect.stringContaining(`"feedbackId":"${answer.id}"`),
        ]);
        expect({ ...after, feedback_items: [], domain_events: [] }).toEqual({
          ...before,
          feedback_items: [],
          domain_events: [],
        });
      }),
      { numRuns: 150 },
    );
  });
});
