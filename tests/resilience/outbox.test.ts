// Nothing the user submitted is lost when Slack fails: the client retries (honouring Retry-After),
// what still fails waits in the outbox, and the resend job delivers it once, never twice.
import { eq } from 'drizzle-orm';
import { beforeAll, beforeEach, describe, expect, it, vi } from 'vitest';
import { digestSubscribers } from '../../src/digests/digests.table.ts';
import { helpRequests } from '../../src/help-requests/help-requests.table.ts';
import { OUTBOX_JOB } from '../../src/slack/housekeeping.ts';
import { slackOutbox } from '../../src/slack/outbox.table.ts';
import { LANDING_MS } from '../../src/slack/outbox.ts';
import { classifySlackFailure, METHOD_TIERS } from '../../src/slack/slack-client.ts';
import { BILLING, click, escalate, messageOf, raised, seedDepartments, withSummary } from '../escalations/helpers.ts';
import { methodSpec } from '../support/slack-schemas.ts';
import { useTestApp } from '../support/test-app.ts';

const TIMEOUT_MS = 1_500;
// Pacing at ten times Slack's tiers, so the fan-out test can enforce a budget the same way.
const t = useTestApp({ slackTimeoutMs: TIMEOUT_MS, pacingSpeed: 10 });
const CLAIMER = 'U0CLAIMER';

beforeAll(() => seedDepartments(t));
beforeEach(async () => {
  await t.deps.db.delete(slackOutbox);
});

const outboxRows = () => t.deps.db.select().from(slackOutbox);
const cardRow = async (id: string) =>
  (
    await t.deps.db
      .select()
      .from(slackOutbox)
      .where(eq(slackOutbox.key, `escalation:${id}`))
  )[0];
/** Posts Slack carried out (not refused, not failed on purpose). */
const postsTo = (channel: string) =>
  t.fake
    .callsTo('chat.postMessage')
    .filter((c) => c.args.channel === channel && !c.rejected && c.answeredStatus === undefined);
/** Runs the resend job a minute (and more) later, as the scheduler would. */
async function resend(minutesLater = 2): Promise<void> {
  t.clock.advanceMinutes(minutesLater);
  expect(await t.deps.scheduler.runSlot(OUTBOX_JOB, t.clock.now())).toBe(true);
}

describe('when Slack fails', () => {
  it('waits out a 429 for its Retry-After and delivers in the same request', async () => {
    t.fake.failNext('chat.postMessage', { status: 429, retryAfter: 1 });
    await escalate(t, 'billing normal Rate limited once');
    const [e] = await withSummary(t, 'Rate limited once');
    expect(e?.messageTs).toBeTruthy();
    const [refused, landed] = t.fake.callsTo('chat.postMessage').filter((c) => c.args.channel === BILLING.channelId);
    expect(refused?.answeredStatus).toBe(429);
    expect(landed!.at - refused!.at).toBeGreaterThanOrEqual(1000);
    expect(await outboxRows()).toEqual([]);
  });

  it('keeps a post that still fails after the retries, and sends it once when Slack is back', async () => {
    t.fake.failNext('chat.postMessage', { status: 503 }, 3);
    const reply = await escalate(t, 'billing normal Kept for later');
    expect(reply).toContain('I saved your escalation');
    expect(await outboxRows()).toMatchObject([
      { key: expect.stringMatching(/^escalation:/), status: 'pending', maybePosted: false, lastError: 'HTTP 503' },
    ]);

    // Too early: the row waits its minute.
    expect(await t.deps.messages.resendDue(t.clock.now())).toEqual({ sent: 0, pending: 0, failed: 0 });
    await resend();
    const [e] = await withSummary(t, 'Kept for later');
    expect(messageOf(t, e!)?.text).toContain('Kept for later');
    expect(await outboxRows()).toEqual([]); // a sent message leaves the outbox
    await resend();
    expect(postsTo(BILLING.channelId)).toHaveLength(1); // three refused before, then one delivered
  });

  it('does not post twice when a timed-out post did land: it finds it by its metadata', async () => {
    // Slack takes the message but answers after the client gave up.
    t.fake.failNext('chat.postMessage', { delayMs: TIMEOUT_MS + 500 });
    await escalate(t, 'billing normal Slow but landed');
    const [before] = await withSummary(t, 'Slow but landed');
    expect(before?.messageTs).toBeNull();
    await new Promise((r) => setTimeout(r, 700)); // let the slow answer finish landing
    const [kept] = await outboxRows();
    expect(kept).toMatchObject({ maybePosted: true, status: 'pending' });
    // Looked for as soon as it could have landed, not a minute later.
    expect(kept!.nextAttemptAt.getTime() - t.clock.now().getTime()).toBe(LANDING_MS);
    expect(postsTo(BILLING.channelId)).toHaveLength(1); // the client did not retry blindly

    await resend();
    expect(postsTo(BILLING.channelId)).toHaveLength(1);
    expect(t.fake.lastCall('conversations.history')?.args).toMatchObject({
      channel: BILLING.channelId,
      include_all_metadata: true,
    });
    const [after] = await withSummary(t, 'Slow but landed');
    expect(messageOf(t, after!)?.text).toContain('Slow but landed');
  });

  it('finds a timed-out DM that landed in the app’s DM with the person', async () => {
    t.fake.failNext('chat.postMessage', { delayMs: TIMEOUT_MS + 500 });
    expect(await t.deps.messages.dm('U0SLOWDM', { text: 'Slow DM' })).toBeUndefined();
    await new Promise((r) => setTimeout(r, 700));
    await resend();
    expect(postsTo('U0SLOWDM')).toHaveLength(1);
    expect(t.fake.lastCall('conversations.open')?.args).toMatchObject({ users: 'U0SLOWDM' });
    expect(t.fake.lastCall('conversations.history')?.args).toMatchObject({ channel: 'DU0SLOWDM' });
    expect(await outboxRows()).toEqual([]);
  });

  it('posts once when a dropped connection never reached Slack', async () => {
    t.fake.failNext('chat.postMessage', { drop: true });
    await escalate(t, 'billing normal Dropped connection');
    expect(await outboxRows()).toMatchObject([{ maybePosted: true }]);
    await resend();
    expect(postsTo(BILLING.channelId)).toHaveLength(1);
    const [e] = await withSummary(t, 'Dropped connection');
    expect(messageOf(t, e!)?.text).toContain('Dropped connection');
  });

  it('keeps a question for the help channel, tells the asker so, and posts it later', async () => {
    await t.deps.workspace.helpChannel.set('C0HELP');
    t.fake.failNext('chat.postMessage', { status: 503 }, 3);
    const url = t.fake.responseUrl();
    await t.driver.command({
      command: '/ask',
      text: 'Who can explain the refund window for annual plans?',
      user_id: 'U0ASKER',
      response_url: url,
    });
    const reply = await t.fake.waitForResponse((r) => url.endsWith(`/${r.id}`), 10_000);
    expect(reply.body.text).toContain('I saved your question, but Slack would not let me post it in <#C0HELP>');
    const [row] = await outboxRows();
    expect(row).toMatchObject({ key: expect.stringMatching(/^help-request:/), status: 'pending' });

    await resend();
    const [posted] = postsTo('C0HELP');
    expect(posted?.args.text).toContain('refund window');
    const request = await t.deps.db
      .select()
      .from(helpRequests)
      .where(eq(helpRequests.id, Number(row!.ref)));
    expect(request[0]?.messageTs).toBeTruthy();
    expect(t.fake.getMessage('C0HELP', request[0]!.messageTs!)?.text).toContain('refund window');
  });

  it('sends a failed card update later, drawn as the escalation stands then', async () => {
    const e = await raised(t, 'Update kept', 'billing', 'normal');
    t.fake.failNext('chat.update', { status: 503 }, 3);
    await click(t, 'escalation_claim', e, CLAIMER);
    await t.fake.waitForCall('chat.postMessage', (c) => c.args.thread_ts === e.messageTs);
    expect(await cardRow(e.id)).toMatchObject({ status: 'pending', lastError: 'HTTP 503' });
    expect(JSON.stringify(messageOf(t, e)?.blocks)).not.toContain(CLAIMER);

    await resend();
    expect(JSON.stringify(messageOf(t, e)?.blocks)).toContain(CLAIMER);
    expect(postsTo(BILLING.channelId).filter((c) => !c.args.thread_ts)).toHaveLength(1); // updated, not posted again
  });

  it('does not mark a resend sent when the record changed while it was being sent', async () => {
    const e = await raised(t, 'Changed mid-resend', 'billing', 'normal');
    t.fake.failNext('chat.update', { status: 503 }, 3);
    await click(t, 'escalation_claim', e, CLAIMER);
    await t.fake.waitForCall('chat.postMessage', (c) => c.args.thread_ts === e.messageTs);
    expect(await cardRow(e.id)).toMatchObject({ status: 'pending' });

    // The resend draws the card (claimed) and Slack is slow to take it; meanwhile the claimer releases.
    t.fake.failNext('chat.update', { delayMs: 800 });
    t.clock.advanceMinutes(2);
    const resending = t.deps.scheduler.runSlot(OUTBOX_JOB, t.clock.now());
    await t.fake.waitForCall(
      'chat.update',
      (c) => c.args.ts === e.messageTs && JSON.stringify(c.args.blocks).includes(CLAIMER),
    );
    await click(t, 'escalation_release', e, CLAIMER);
    await t.fake.waitForCall(
      'chat.postMessage',
      (c) => c.args.thread_ts === e.messageTs && String(c.args.text).includes('released'),
    );
    await resending;
    // What went out first was already out of date: the card is drawn and sent again, as it now stands.
    await t.fake.waitForCall(
      'chat.update',
      (c) => c.args.ts === e.messageTs && !c.answeredStatus && !JSON.stringify(c.args.blocks).includes(`<@${CLAIMER}>`),
    );
    await vi.waitFor(async () => expect(await cardRow(e.id)).toBeUndefined());
    expect(JSON.stringify(messageOf(t, e)?.blocks)).not.toContain(`<@${CLAIMER}>`);
  });

  it('gives the asker their question back when Slack refuses a kept one for good', async () => {
    await t.deps.workspace.helpChannel.set('C0HELP');
    t.fake.failNext('chat.postMessage', { status: 503 }, 3);
    const url = t.fake.responseUrl();
    await t.driver.command({
      command: '/ask',
      text: 'Does the enterprise plan include SSO for contractors?',
      user_id: 'U0ASKER2',
      response_url: url,
    });
    await t.fake.waitForResponse((r) => url.endsWith(`/${r.id}`), 10_000);
    t.fake.failNext('chat.postMessage', { error: 'channel_not_found' });
    await resend();
    expect(await outboxRows()).toMatchObject([{ status: 'failed', lastError: 'channel_not_found' }]);
    const dm = await t.fake.waitForCall(
      'chat.postMessage',
      (c) => c.args.channel === 'U0ASKER2' && String(c.args.text).includes('could not post your question'),
    );
    expect(dm.args.text).toContain('Does the enterprise plan include SSO for contractors?');
  });

  it('gives up on a kept message that Slack then refuses for good', async () => {
    t.fake.failNext('chat.postMessage', { status: 503 }, 3);
    await escalate(t, 'billing normal Channel archived meanwhile');
    expect(await outboxRows()).toHaveLength(1);
    t.fake.failNext('chat.postMessage', { error: 'is_archived' });
    await resend();
    expect(await outboxRows()).toMatchObject([{ status: 'failed', lastError: 'is_archived' }]);
    await resend();
    expect(t.fake.callsTo('chat.postMessage').filter((c) => c.args.channel === BILLING.channelId)).toHaveLength(4);
  });

  it('sends each kept message once when two replicas run the resend at the same time', async () => {
    for (let i = 0; i < 5; i++) {
      t.fake.failNext('chat.postMessage', { status: 503 }, 3);
      await t.deps.messages.dm(`U0PERSON${i}`, { text: `Kept DM ${i}` });
    }
    expect(await outboxRows()).toHaveLength(5);
    t.clock.advanceMinutes(2);
    const [a, b] = await Promise.all([
      t.deps.messages.resendDue(t.clock.now()),
      t.deps.messages.resendDue(t.clock.now()),
    ]);
    expect(a.sent + b.sent).toBe(5);
    for (let i = 0; i < 5; i++)
      expect(postsTo(`U0PERSON${i}`).filter((c) => c.args.text === `Kept DM ${i}`)).toHaveLength(1);
  });
});

describe('while the app runs its schedules', () => {
  it('sends a kept message when it falls due, not at the next minute’s run', async () => {
    t.fake.failNext('chat.postMessage', { status: 503 }, 3);
    await escalate(t, 'billing normal Due within the minute');
    const [row] = await outboxRows();
    // Due in two seconds. The wake's timer is real while the test clock stands still: the test moves it.
    t.clock.set(new Date(row!.nextAttemptAt.getTime() - 2_000));
    const stopSending = t.deps.messages.sendWhenDue();
    try {
      // As at start: a resend, which finds nothing due yet and plans the next.
      expect(await t.deps.messages.resendDue(t.clock.now())).toEqual({ sent: 0, pending: 0, failed: 0 });
      await new Promise((r) => setTimeout(r, 1_000));
      expect(postsTo(BILLING.channelId)).toEqual([]);
      t.clock.advance(2_000);
      // No resend job runs: the wake sends it.
      await vi.waitFor(async () => expect(await outboxRows()).toEqual([]), { timeout: 4_000, interval: 100 });
      const [e] = await withSummary(t, 'Due within the minute');
      expect(messageOf(t, e!)?.text).toContain('Due within the minute');
      expect(postsTo(BILLING.channelId)).toHaveLength(1);
    } finally {
      await stopSending();
    }
  });
});

describe('a note waiting for its card', () => {
  it('goes as soon as its card is posted, not when it next looks', async () => {
    t.fake.failNext('chat.postMessage', { status: 503 }, 3);
    await escalate(t, 'billing normal Card kept, note waits');
    const [kept] = await withSummary(t, 'Card kept, note waits');
    // Claimed while the card is still not in Slack (and Slack still fails for it): the note must wait.
    t.fake.failNext('chat.postMessage', { status: 503 }, 3);
    await click(t, 'escalation_claim', { ...kept!, messageTs: 'not-posted-yet' }, CLAIMER);
    const row = async (stream: RegExp) => (await outboxRows()).find((r) => stream.test(r.stream));
    // The claim's own sends are done once both wait: the card for Slack, the note for its card.
    const waiting = async (stream: RegExp) => ((await row(stream))?.nextAttemptAt ?? t.clock.now()) > t.clock.now();
    await vi.waitFor(async () =>
      expect((await waiting(/:thread$/)) && (await waiting(/^escalation:[^:]+$/))).toBe(true),
    );
    const card = await row(/^escalation:[^:]+$/);
    // The note looks again just before the card falls due, so its next look comes after the card.
    t.clock.set(new Date(card!.nextAttemptAt.getTime() - 1_000));
    await t.deps.messages.resendDue(t.clock.now());
    expect((await row(/:thread$/))!.nextAttemptAt.getTime()).toBeGreaterThan(card!.nextAttemptAt.getTime());

    t.clock.set(card!.nextAttemptAt);
    await t.deps.messages.resendDue(t.clock.now()); // the card
    await t.deps.messages.resendDue(t.clock.now()); // the note, due now
    const [e] = await withSummary(t, 'Card kept, note waits');
    expect(t.fake.messagesIn(BILLING.channelId).filter((m) => m.thread_ts === e!.messageTs)).toHaveLength(1);
    expect(await row(/:thread$/)).toBeUndefined();
  });
});

describe('a change racing its message', () => {
  it('updates the card a claim clicked before its ts was stored, never posting a second one', async () => {
    // The card lands, then the app waits on its permalink before storing the ts: Claim comes in then.
    t.fake.failNext('chat.getPermalink', { delayMs: 700 });
    const reply = escalate(t, 'billing normal Claimed at once');
    const post = await t.fake.waitForCall(
      'chat.postMessage',
      (c) => c.args.channel === BILLING.channelId && String(c.args.text).includes('Claimed at once'),
    );
    const card = t.fake.messagesIn(BILLING.channelId).find((m) => m.text === post.args.text)!;
    const [stored] = await withSummary(t, 'Claimed at once');
    expect(stored?.messageTs).toBeNull();
    await click(t, 'escalation_claim', { ...stored!, channelId: BILLING.channelId, messageTs: card.ts }, CLAIMER);
    await reply;
    await t.fake.waitForCall(
      'chat.update',
      (c) => c.args.ts === card.ts && JSON.stringify(c.args.blocks).includes(CLAIMER),
    );
    const cards = postsTo(BILLING.channelId).filter(
      (c) => !c.args.thread_ts && String(c.args.text).includes('Claimed at once'),
    );
    expect(cards).toHaveLength(1);
    const [after] = await withSummary(t, 'Claimed at once');
    expect(after?.messageTs).toBe(card.ts);
    expect(JSON.stringify(t.fake.getMessage(BILLING.channelId, card.ts)?.blocks)).toContain(`<@${CLAIMER}>`);
  });

  it('takes a question again after Slack refused to post it (the duplicate check keeps only work that succeeded)', async () => {
    await t.deps.workspace.helpChannel.set('C0PRIVATE');
    const ask = async () => {
      const url = t.fake.responseUrl();
      await t.driver.command({
        command: '/ask',
        text: 'Can contractors get SSO on the team plan?',
        user_id: 'U0RETRY',
        response_url: url,
      });
      return (await t.fake.waitForResponse((r) => url.endsWith(`/${r.id}`), 10_000)).body.text as string;
    };
    // A private channel the app is not in: Slack refuses, and the app cannot join it by itself.
    t.fake.failNext('chat.postMessage', { error: 'not_in_channel' });
    t.fake.failNext('conversations.join', { error: 'method_not_supported_for_channel_type' });
    expect(await ask()).toContain('I could not post your question');
    // Invited now: asking again posts it, instead of "You asked exactly this a moment ago".
    expect(await ask()).toContain('Asked in <#C0PRIVATE>');
    expect(t.fake.messagesIn('C0PRIVATE')).toHaveLength(1);
  });
});

describe('fan-out', () => {
  it('paces a digest to many subscribers within Slack’s tier, without a single 429', async () => {
    // The fake enforces chat.postMessage's workspace budget (100 a minute, ten times faster as the app's pacing).
    t.fake.rateLimit('chat.postMessage', { max: 100, windowMs: 6_000 });
    const subscribers = Array.from({ length: 130 }, (_, i) => ({
      userId: `U0SUB${String(i).padStart(3, '0')}`,
      subscribedAt: t.clock.now(),
    }));
    await t.deps.db.insert(digestSubscribers).values(subscribers);
    const url = t.fake.responseUrl();
    await t.driver.command({ command: '/frontline', text: 'digest send', user_id: 'UADMIN01', response_url: url });
    const reply = await t.fake.waitForResponse((r) => url.endsWith(`/${r.id}`), 30_000);
    expect(reply.body.text).toContain('130 subscribers');
    const dms = t.fake.callsTo('chat.postMessage').filter((c) => String(c.args.channel).startsWith('U0SUB'));
    expect(dms).toHaveLength(130);
    expect(dms.filter((c) => c.rejected || c.answeredStatus === 429)).toEqual([]);
    expect(dms.at(-1)!.at - dms[0]!.at).toBeGreaterThanOrEqual(6_000); // spaced out, not one burst
    await t.deps.db.delete(digestSubscribers).where(eq(digestSubscribers.userId, 'U0SUB000'));
  }, 40_000);

  it('knows the rate tier Slack publishes for every method it paces', () => {
    for (const [method, tier] of Object.entries(METHOD_TIERS))
      expect((methodSpec(method) as { rate_limits?: string } | undefined)?.rate_limits, method).toBe(tier);
  });

  it('tells a call that may have landed from one that never left', () => {
    const requestError = (cause: object) => ({
      code: 'slack_webapi_request_error',
      original: Object.assign(new Error('fetch failed'), { cause }),
    });
    expect(classifySlackFailure(requestError({ code: 'ECONNREFUSED' }))).toMatchObject({
      transient: true,
      maybeDelivered: false,
    });
    expect(classifySlackFailure(requestError({ code: 'ECONNRESET' }))).toMatchObject({
      transient: true,
      maybeDelivered: true,
    });
    expect(
      classifySlackFailure(requestError(Object.assign(new Error('timed out'), { name: 'TimeoutError' }))),
    ).toMatchObject({ transient: true, maybeDelivered: true });
    expect(classifySlackFailure({ code: 'slack_webapi_http_error', statusCode: 503 })).toMatchObject({
      transient: true,
      maybeDelivered: false,
    });
    expect(classifySlackFailure({ code: 'slack_webapi_http_error', statusCode: 502 })).toMatchObject({
      transient: true,
      maybeDelivered: true,
    });
    expect(classifySlackFailure({ code: 'slack_webapi_http_error', statusCode: 413 })).toMatchObject({
      transient: false,
    });
    expect(
      classifySlackFailure({ code: 'slack_webapi_platform_error', data: { error: 'internal_error' } }),
    ).toMatchObject({ transient: true, maybeDelivered: true });
    expect(
      classifySlackFailure({ code: 'slack_webapi_platform_error', data: { error: 'channel_not_found' } }),
    ).toMatchObject({ transient: false });
    expect(classifySlackFailure(new Error('A rate limit was exceeded (url: x, retry-after: 7)'))).toMatchObject({
      transient: true,
      retryAfterMs: 7000,
    });
  });
});
