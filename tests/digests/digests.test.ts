// The weekly digest end to end: seeded feedback in, messages, DMs and the chart out to Slack.
import { PNG } from 'pngjs';
import { beforeAll, describe, expect, it } from 'vitest';
import { DIGEST_JOB } from '../../src/digests/digests.jobs.ts';
import { createFeedbackRepository, type NewFeedback } from '../../src/feedback/feedback.repository.ts';
import { ADMIN, startTestApp, type TestApp, useTestApp } from '../support/test-app.ts';
import { createTestClock } from '../support/test-clock.ts';

const t = useTestApp();
const DIGEST_CHANNEL = 'C0LEADERS';

async function frontline(text: string, user = ADMIN): Promise<string> {
  const url = t.fake.responseUrl();
  await t.driver.command({ command: '/frontline', text, user_id: user, response_url: url });
  return (await t.fake.waitForResponse((r) => url.endsWith(`/${r.id}`))).body.text as string;
}

function item(
  at: string,
  text: string,
  themes: string[],
  sentimentLabel: NewFeedback['sentimentLabel'],
  sentimentScore: number,
  extra: Partial<NewFeedback> = {},
): NewFeedback {
  return {
    text,
    themes,
    sentimentLabel,
    sentimentScore,
    receivedAt: new Date(at),
    source: 'email',
    capturedVia: 'webhook',
    ...extra,
  };
}

/** Week reported by the Monday 9 March 09:00 UTC slot: the whole days 2–8 Mar; compared with 23 Feb – 1 Mar. */
const SEED: NewFeedback[] = [
  // reported week: 8 items
  item('2026-03-02T09:00:00Z', 'Invoice was wrong again, terrible', ['billing'], 'negative', -3),
  item('2026-03-03T12:00:00Z', 'Charged twice, awful and infuriating experience', ['billing'], 'negative', -7, {
    customer: 'Acme',
    permalink: 'https://example.slack.com/archives/C0SALES/p1',
  }),
  item('2026-03-04T12:00:00Z', 'Invoice is wrong', ['billing'], 'negative', -2),
  item('2026-03-05T12:00:00Z', 'Billing page looks nice', ['billing'], 'positive', 3),
  item('2026-03-05T13:00:00Z', 'Onboarding was great', ['onboarding'], 'positive', 3),
  item('2026-03-06T13:00:00Z', 'Onboarding call helped a lot', ['onboarding'], 'positive', 2),
  item('2026-03-07T13:00:00Z', 'The app is fast now, love it', ['performance'], 'positive', 3),
  item('2026-03-08T23:59:59Z', 'Reports load quickly, good job', ['performance'], 'positive', 3),
  // the week before: 4 items
  item('2026-02-24T10:00:00Z', 'Billing works fine', ['billing'], 'positive', 1),
  item('2026-02-25T10:00:00Z', 'Got my invoice', ['billing'], 'neutral', 0),
  item('2026-02-26T10:00:00Z', 'So slow, bad', ['performance'], 'negative', -3),
  item('2026-03-01T23:59:59Z', 'Timeouts all day, horrible', ['performance'], 'negative', -3),
  // outside both weeks
  item('2026-03-09T00:00:00Z', 'After the slot', ['billing'], 'negative', -2),
  item('2026-02-01T10:00:00Z', 'Long ago', ['billing'], 'negative', -2),
];

beforeAll(async () => {
  const repo = createFeedbackRepository(t.deps);
  for (const seed of SEED) await repo.insert(seed);
});

const digestPosts = () =>
  t.fake.callsTo('chat.postMessage').filter((c) => String(c.args.text).startsWith('Customer digest'));

describe('the scheduled weekly digest', () => {
  it('posts the numbers of the reported week to the digest channel and subscribers, with the chart', async () => {
    await frontline(`set digest-channel <#${DIGEST_CHANNEL}|leaders>`);
    expect(await frontline('digest subscribe', 'U0CEO')).toContain('You will get the weekly customer digest by DM');
    t.clock.set('2026-03-09T09:00:00Z');
    expect(await t.deps.scheduler.runSlot(DIGEST_JOB, new Date('2026-03-09T09:00:00Z'))).toBe(true);

    const posts = digestPosts();
    expect(posts.map((p) => p.args.channel)).toEqual([DIGEST_CHANNEL, 'U0CEO']);
    const text = String(posts[0]!.args.text);
    const blocks = JSON.stringify(posts[0]!.args.blocks);
    expect(text).toContain('Customer digest · last 7 days (2 Mar – 8 Mar)');
    expect(blocks).toContain('"Items\\n*8*   ↑ 100%"');
    expect(blocks).toContain('":red_circle: Negative\\n*3*   ↑ 50%"');
    expect(blocks).toContain('":large_green_circle: Positive\\n*5*   ↑ 400%"');
    expect(blocks).toContain('*billing* 4 (↑ 100%): 1 positive · 3 negative');
    expect(blocks).toContain('*onboarding* 2 (↑ from 0): 2 positive');
    expect(blocks).toContain('*performance* 2 (no change): 2 positive');
    // The most representative billing quote: its prevailing (negative) sentiment, strongest words, with its link.
    expect(blocks).toContain('Charged twice, awful and infuriating experience');
    expect(blocks).toContain('<https://example.slack.com/archives/C0SALES/p1|view message>');
    expect(blocks).not.toContain('After the slot');
    // Three insights: most improved, notable decline, emerging.
    expect(text).toContain('*performance* improved most: 0 of 2 negative, down from 2 of 2 negative');
    expect(text).toContain('*billing* is getting worse: 3 of 4 negative, up from 0 of 2 negative');
    expect(text).toContain('New theme *onboarding*: 2 mentions this week, none the week before');

    // The chart is uploaded once, privately, and shown inside every copy of the digest.
    expect(t.fake.callsTo('files.getUploadURLExternal')).toHaveLength(1);
    const [complete] = t.fake.callsTo('files.completeUploadExternal');
    expect(complete!.args.channel_id).toBeUndefined();
    const fileId = (complete!.args.files as { id: string }[])[0]!.id;
    for (const post of posts) {
      const image = (post.args.blocks as { type: string; slack_file?: { id: string }; alt_text?: string }[]).find(
        (b) => b.type === 'image',
      );
      expect(image?.slack_file).toEqual({ id: fileId });
      // The chart's last week is the digest's week: the same numbers.
      expect(image?.alt_text).toContain('Last 7 days: Feedback: 3 negative, 0 neutral, 5 positive');
    }
    const png = PNG.sync.read(t.fake.uploads.get(fileId)!);
    expect(png.width).toBeGreaterThan(1200); // drawn at twice its size
    expect(png.height).toBeGreaterThan(500); // one panel: the escalations had none in eight weeks
  });

  it('is not sent on install for the default schedule’s slot of that morning', async () => {
    // The app first started on Monday 2 March at 10:00: the 09:00 slot was never missed.
    expect(t.deps.installedAt).toEqual(new Date('2026-03-02T10:00:00Z'));
    t.clock.set('2026-03-02T10:01:00Z');
    expect(await t.deps.scheduler.runSlot(DIGEST_JOB, new Date('2026-03-02T10:01:00Z'))).toBe(true);
    expect(digestPosts()).toHaveLength(0);

    // A later start on the same database keeps the first start as the install time.
    const restarted: TestApp = await startTestApp({
      database: t.database,
      fake: t.fake,
      clock: createTestClock('2026-03-05T12:00:00Z'),
    });
    try {
      expect(restarted.deps.installedAt).toEqual(new Date('2026-03-02T10:00:00Z'));
    } finally {
      await restarted.stop();
    }
  });

  it('is sent exactly once per slot by two app processes', async () => {
    const other: TestApp = await startTestApp({ database: t.database, fake: t.fake });
    try {
      t.clock.set('2026-03-16T09:01:00Z');
      other.clock.set('2026-03-16T09:01:00Z');
      const ran = await Promise.all([
        t.deps.scheduler.runSlot(DIGEST_JOB, new Date('2026-03-16T09:01:00Z')),
        other.deps.scheduler.runSlot(DIGEST_JOB, new Date('2026-03-16T09:01:00Z')),
        other.deps.scheduler.runSlot(DIGEST_JOB, new Date('2026-03-16T09:00:00Z')),
      ]);
      expect(ran.filter(Boolean)).toHaveLength(2); // the job slot itself is claimed once…
      t.clock.set('2026-03-16T09:05:00Z');
      expect(await t.deps.scheduler.runSlot(DIGEST_JOB, new Date('2026-03-16T09:05:00Z'))).toBe(true);
      expect(digestPosts().filter((p) => p.args.channel === DIGEST_CHANNEL)).toHaveLength(1); // …and the digest slot once
    } finally {
      await other.stop(); // its own pool; the database is the first app's
    }
  });

  it('catches up a slot missed while the app was down, within a day only', async () => {
    t.clock.set('2026-03-23T15:30:00Z'); // the app was down at 09:00
    await t.deps.scheduler.runSlot(DIGEST_JOB, new Date('2026-03-23T15:30:00Z'));
    const [post] = digestPosts().filter((p) => p.args.channel === DIGEST_CHANNEL);
    expect(String(post?.args.text)).toContain('last 7 days (16 Mar – 22 Mar)'); // the missed slot's week, not "now"
    t.fake.reset();

    t.clock.set('2026-03-31T09:30:00Z'); // Monday 30 March's slot is over a day old
    await t.deps.scheduler.runSlot(DIGEST_JOB, new Date('2026-03-31T09:30:00Z'));
    expect(digestPosts()).toHaveLength(0);
  });

  it('resumes a run cut short, without posting anywhere twice', async () => {
    t.clock.set('2026-04-06T09:00:00Z');
    t.fake.failNext('chat.postMessage', { error: 'channel_not_found' }, 1);
    await t.deps.scheduler.runSlot(DIGEST_JOB, new Date('2026-04-06T09:00:00Z'));
    expect(digestPosts().map((p) => p.args.channel)).toEqual([DIGEST_CHANNEL, 'U0CEO']); // the first was refused
    t.clock.set('2026-04-06T09:05:00Z'); // another process, while the claim is fresh: hands off
    await t.deps.scheduler.runSlot(DIGEST_JOB, new Date('2026-04-06T09:05:00Z'));
    expect(digestPosts()).toHaveLength(2);
    t.clock.set('2026-04-06T09:20:00Z'); // after the claim's lease: resumes where the run stopped
    await t.deps.scheduler.runSlot(DIGEST_JOB, new Date('2026-04-06T09:20:00Z'));
    expect(digestPosts().map((p) => p.args.channel)).toEqual([DIGEST_CHANNEL, 'U0CEO', DIGEST_CHANNEL]);
    t.clock.set('2026-04-06T09:40:00Z'); // finished: nothing more
    await t.deps.scheduler.runSlot(DIGEST_JOB, new Date('2026-04-06T09:40:00Z'));
    expect(digestPosts()).toHaveLength(3);
  });

  it('sends the chart beside the digest when Slack refuses it inside', async () => {
    t.clock.set('2026-03-09T09:00:00Z');
    t.fake.failNext('chat.postMessage', { error: 'invalid_blocks' }, 1);
    await frontline('digest send');
    const posts = digestPosts();
    // The refused post, the same digest without its chart, then the subscriber's with it.
    expect(posts.map((p) => p.args.channel)).toEqual([DIGEST_CHANNEL, DIGEST_CHANNEL, 'U0CEO']);
    expect(posts.map((p) => JSON.stringify(p.args.blocks).includes('"image"'))).toEqual([true, false, true]);
    const shared = t.fake.callsTo('files.completeUploadExternal').filter((c) => c.args.channel_id === DIGEST_CHANNEL);
    expect(shared).toHaveLength(1);
    expect(String(shared[0]!.args.initial_comment)).toContain('Customer trend, last 8 weeks');
  });

  it('joins the digest channel when it was never invited there', async () => {
    t.clock.set('2026-04-13T09:00:00Z');
    t.fake.failNext('chat.postMessage', { error: 'not_in_channel' }, 1);
    await t.deps.scheduler.runSlot(DIGEST_JOB, new Date('2026-04-13T09:00:00Z'));
    expect(t.fake.lastCall('conversations.join')?.args).toMatchObject({ channel: DIGEST_CHANNEL });
    expect(digestPosts().map((p) => p.args.channel)).toEqual([DIGEST_CHANNEL, DIGEST_CHANNEL, 'U0CEO']);
  });

  it('says a quiet week in one line, without a chart', async () => {
    t.clock.set('2026-06-01T09:00:00Z');
    await t.deps.scheduler.runSlot(DIGEST_JOB, new Date('2026-06-01T09:00:00Z'));
    const [post] = digestPosts();
    expect(post?.args.blocks).toHaveLength(2);
    expect(String(post?.args.text)).toContain('A quiet week');
    expect(t.fake.callsTo('files.getUploadURLExternal')).toHaveLength(0);
  });
});

describe('/frontline digest', () => {
  it('previews only to the caller', async () => {
    t.clock.set('2026-03-09T09:00:00Z');
    const url = t.fake.responseUrl();
    await t.driver.command({ command: '/frontline', text: 'digest preview', user_id: 'U0ANYONE', response_url: url });
    const reply = await t.fake.waitForResponse((r) => url.endsWith(`/${r.id}`));
    expect(reply.body.response_type).toBe('ephemeral');
    expect(JSON.stringify(reply.body.blocks)).toContain('Items\\n*8*');
    expect(t.fake.callsTo('chat.postMessage')).toHaveLength(0);
  });

  it('sends now for admins only', async () => {
    t.fake.setUser({ id: 'U0PLAIN', is_admin: false });
    expect(await frontline('digest send', 'U0PLAIN')).toContain('Only Frontline admins');
    expect(digestPosts()).toHaveLength(0);
    expect(await frontline('digest send')).toContain(`Digest sent to <#${DIGEST_CHANNEL}> and to 1 subscriber`);
    expect(digestPosts()).toHaveLength(2);
  });

  it('changes the schedule (admins), which then decides the slots', async () => {
    expect(await frontline('digest schedule "every day"')).toContain('Give five cron fields');
    expect(await frontline('digest schedule "0 25 * * *"')).toContain('not a valid cron expression');
    t.clock.set('2026-07-01T10:00:00Z'); // a Wednesday
    expect(await frontline('digest schedule "30 16 * * 3"')).toContain('The digest now goes out on `30 16 * * 3`');
    // A new schedule does not fire at once for a slot before it was set.
    t.clock.set('2026-07-01T10:01:00Z');
    await t.deps.scheduler.runSlot(DIGEST_JOB, new Date('2026-07-01T10:01:00Z'));
    expect(digestPosts()).toHaveLength(0);
    t.clock.set('2026-07-01T16:30:00Z');
    await t.deps.scheduler.runSlot(DIGEST_JOB, new Date('2026-07-01T16:30:00Z'));
    expect(digestPosts()).toHaveLength(2);
    expect(await frontline('digest', 'U0ANYONE')).toContain(
      `goes out on \`30 16 * * 3\` to <#${DIGEST_CHANNEL}> and to 1 subscriber(s)`,
    );
    expect(await frontline('digest unsubscribe', 'U0CEO')).toContain('no longer get the digest');
    expect(await frontline('digest unsubscribe', 'U0CEO')).toContain('You were not subscribed');
  });
});
