// Answers nobody has confirmed for `answer-review-days` go back to their authors: one DM per author
// a week at most, listing all of theirs, each with Still right, Update and Mark outdated; sent once
// even with two app processes running the job together.
import { eq } from 'drizzle-orm';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { answerControlsBlock, KNOWLEDGE_IDS as IDS } from '../../src/knowledge/knowledge.ids.ts';
import { REVIEW_JOB } from '../../src/knowledge/knowledge.review.ts';
import { answers } from '../../src/knowledge/knowledge.table.ts';
import { runCommand } from '../support/outcomes.ts';
import { ADMIN, startTestApp, type TestApp, useTestApp } from '../support/test-app.ts';
import { buttonsOf, seedAnswer } from './helpers.ts';

const t = useTestApp();
let second: TestApp;
const DAY = 86_400_000;
const ids: Record<string, string> = {};

beforeAll(async () => {
  second = await startTestApp({ database: t.database, fake: t.fake, clock: t.clock });
  t.clock.set(new Date('2026-01-05T10:00:00Z'));
  const seed = async (key: string, answer: Parameters<typeof seedAnswer>[1]) => {
    ids[key] = (await seedAnswer(t, answer)).id;
  };
  await seed('vpn', {
    title: 'Why does the VPN drop every hour?',
    body: 'Renew the certificate.',
    creditedUserIds: ['U0MARIA'],
  });
  await seed('sso', {
    title: 'How do I set up SSO for a customer?',
    body: 'Send them the SAML metadata.',
    creditedUserIds: ['U0MARIA', 'U0JON'],
  });
  await seed('saved', { title: 'Where are invoices kept?', body: 'Billing > Invoices.', createdBy: 'U0SAVER' });
  await seed('outdated', {
    title: 'Old pricing',
    body: 'Ten dollars.',
    creditedUserIds: ['U0OLD'],
    status: 'outdated',
  });
  await seed('retired', {
    title: 'Older pricing',
    body: 'Five dollars.',
    creditedUserIds: ['U0OLD'],
    status: 'retired',
  });
  t.clock.set(new Date('2026-04-01T10:00:00Z'));
  await seed('recent', { title: 'Is there a status page?', body: 'status.example.com', creditedUserIds: ['U0NEW'] });
});
afterAll(async () => {
  await second.stop();
});

/** A minute on, runs the review job in both processes at once, for two slots, as overlapping schedulers might. */
async function runBothSchedulers() {
  const now = t.clock.advanceMinutes(1);
  await Promise.all([
    t.deps.scheduler.runSlot(REVIEW_JOB, now),
    second.deps.scheduler.runSlot(REVIEW_JOB, new Date(now.getTime() + 1)),
  ]);
}

const reviewDms = (user: string) => t.fake.callsTo('chat.postMessage').filter((c) => c.args.channel === user);
const stored = async (key: string) => (await t.deps.db.select().from(answers).where(eq(answers.id, ids[key]!)))[0]!;

async function frontline(text: string, user = ADMIN) {
  const { reply } = await runCommand(t, { command: '/frontline', text, user_id: user });
  return String(reply?.body.text);
}

describe('/frontline set answer-review-days', () => {
  it('refuses a bad number of days and keeps the default', async () => {
    expect(await frontline('set answer-review-days soon')).toContain('Give a number of days');
    expect(await frontline('set answer-review-days 2')).toContain('at least 7 days');
    expect(await t.deps.settings.find('answer-review-days')?.get()).toBeUndefined();
  });
});

describe('the review job', () => {
  it('waits for the default 180 days', async () => {
    // 86 days after the first answers: not due by default.
    await runBothSchedulers();
    expect(t.fake.callsTo('chat.postMessage')).toHaveLength(0);
  });

  it('sends each author one DM listing all their answers due, once across two schedulers', async () => {
    expect(await frontline('set answer-review-days 60')).toContain('60 days');
    await runBothSchedulers();
    const [maria, ...moreMaria] = reviewDms('U0MARIA');
    expect(moreMaria).toEqual([]);
    expect(String(maria!.args.text)).toContain('2 of your answers have not been checked for over 60 days');
    const blocks = maria!.args.blocks as any[];
    expect(JSON.stringify(blocks)).toContain('Why does the VPN drop every hour?');
    expect(JSON.stringify(blocks)).toContain('How do I set up SSO for a customer?');
    expect(
      buttonsOf(blocks)
        .filter((b) => b.value === ids.vpn)
        .map((b) => b.text.text),
    ).toEqual(['Still right', 'Update', 'Mark outdated']);
    expect(reviewDms('U0JON')).toHaveLength(1);
    expect(JSON.stringify(reviewDms('U0JON')[0]!.args.blocks)).toContain('How do I set up SSO');
    expect(String(reviewDms('U0SAVER')[0]?.args.text)).toContain('One of your answers has');
    // Recent, outdated and retired answers are not asked about.
    expect(reviewDms('U0NEW')).toEqual([]);
    expect(reviewDms('U0OLD')).toEqual([]);
    expect(t.fake.callsTo('chat.postMessage')).toHaveLength(3);
    expect((await stored('vpn')).reviewRequestedAt).toEqual(t.clock.now());
  });

  it('sends nobody a second DM within the week, and asks again after it', async () => {
    t.clock.advance(6 * DAY);
    await runBothSchedulers();
    expect(t.fake.callsTo('chat.postMessage')).toHaveLength(0);
    t.clock.advance(DAY);
    await runBothSchedulers();
    expect(reviewDms('U0MARIA')).toHaveLength(1);
    expect(t.fake.callsTo('chat.postMessage')).toHaveLength(3);
  });

  it('Still right confirms the answer in the DM; the next DM leaves it out', async () => {
    const dm = (await t.deps.db.select().from(answers).where(eq(answers.id, ids.vpn!)))[0]!;
    expect(dm.status).toBe('active');
    const blocks = [
      { type: 'actions', block_id: answerControlsBlock(ids.vpn!), elements: [] },
      { type: 'actions', block_id: answerControlsBlock(ids.sso!), elements: [] },
    ];
    const url = t.fake.responseUrl();
    const click = (user: string, actionId = IDS.stillRightButton, key = 'vpn') =>
      t.driver.blockAction({
        action_id: actionId,
        value: ids[key],
        user_id: user,
        channel_id: 'D0MARIA',
        block_id: answerControlsBlock(ids[key]!),
        message: { text: 'review', blocks },
        response_url: url,
      });

    // Someone else pressing it (a forwarded message, a forged click) is refused.
    await click('U0OTHER');
    expect((await t.fake.waitForResponse((r) => url.endsWith(`/${r.id}`))).body.text).toContain('Only the people');
    expect((await stored('vpn')).confirmedAt).toEqual(dm.confirmedAt);

    await click('U0MARIA');
    const replaced = await t.fake.waitForResponse((r) => url.endsWith(`/${r.id}`) && r.body.replace_original === true);
    expect(JSON.stringify(replaced.body.blocks)).toContain('is marked as still right');
    expect(replaced.body.blocks[0].type).toBe('context');
    expect(replaced.body.blocks[1].type).toBe('actions');
    expect((await stored('vpn')).confirmedAt).toEqual(t.clock.now());

    await click('U0MARIA', IDS.editButton as typeof IDS.stillRightButton, 'sso');
    const form = (await t.fake.waitForCall('views.open')).args.view as any;
    expect(form.callback_id).toBe(IDS.editModal);

    t.clock.advance(8 * DAY);
    t.fake.reset();
    await runBothSchedulers();
    const [next] = reviewDms('U0MARIA');
    expect(String(next?.args.text)).toContain('One of your answers has');
    expect(JSON.stringify(next?.args.blocks)).not.toContain('Why does the VPN drop');
  });
});
