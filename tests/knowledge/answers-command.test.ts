// `/answers <query>`: the best answers privately, a helpful vote per person, and sharing for everyone.
import { eq } from 'drizzle-orm';
import { beforeAll, describe, expect, it } from 'vitest';
import { createDepartmentsRepository } from '../../src/departments/departments.repository.ts';
import { KNOWLEDGE_IDS as IDS } from '../../src/knowledge/knowledge.ids.ts';
import { answerLookups, answers } from '../../src/knowledge/knowledge.table.ts';
import { ADMIN, useTestApp } from '../support/test-app.ts';
import { answersCommand, buttonsOf, pressAnswerButton, seedAnswer } from './helpers.ts';

const t = useTestApp();
let refund: Awaited<ReturnType<typeof seedAnswer>>;

beforeAll(async () => {
  await createDepartmentsRepository(t.deps).upsert({ key: 'billing', name: 'Billing', channelId: 'C0BILLING' });
  t.clock.set(new Date('2026-03-02T10:00:00Z'));
  refund = await seedAnswer(t, {
    title: 'What is our refund policy?',
    body: 'Full refund within 30 days of purchase.\nAnnual plans are pro-rated after that.\nMonthly plans are not refunded.\nAsk billing for exceptions.',
    departmentKey: 'billing',
    creditedUserIds: ['U0MARIA', 'U0JON'],
    sourceKind: 'escalation',
    sourceId: 'esc-1',
    permalink: 'https://example.slack.com/archives/C0BILLING/p1772445600000100',
  });
  await seedAnswer(t, {
    title: 'Refunds for duplicate charges',
    body: 'Refund the duplicate in Stripe.',
    status: 'outdated',
  });
  await seedAnswer(t, { title: 'Old refund rules from 2019', body: 'Refunds within 14 days.', status: 'retired' });
  t.clock.set(new Date('2026-05-04T10:00:00Z'));
});

describe('/answers <query>', () => {
  it('shows the best answers privately with their first lines, source, department, age and buttons', async () => {
    const reply = await answersCommand(t, 'refnd polcy');
    const shown = JSON.stringify(reply.blocks);
    expect(reply.text).toContain('What is our refund policy?');
    expect(shown).toContain('Full refund within 30 days');
    expect(shown).not.toContain('Ask billing for exceptions'); // only the first lines
    expect(shown).toContain('Billing');
    expect(shown).toContain('2 months ago');
    expect(shown).toContain('answered by <@U0MARIA> and <@U0JON>');
    expect(shown).toContain('<https://example.slack.com/archives/C0BILLING/p1772445600000100|from an escalation>');
    const buttons = buttonsOf(reply.blocks).filter((b) => b.value === refund.id);
    expect(buttons.map((b) => b.text.text)).toEqual([':thumbsup: Helpful', 'Share in channel']);
    expect(t.fake.callsTo('chat.postMessage')).toHaveLength(0);
  });

  it('never shows retired answers and marks outdated ones', async () => {
    const reply = await answersCommand(t, 'refunds');
    const shown = JSON.stringify(reply.blocks);
    expect(shown).not.toContain('Old refund rules');
    expect(shown).toMatch(/Refunds for duplicate charges\*\s+:warning: _may be outdated_/);
  });

  it('says plainly when nothing matches, and records the search as a gap', async () => {
    const reply = await answersCommand(t, 'parking at the office', 'U0GAP');
    expect(reply.text).toContain('No saved answer matches “parking at the office” yet');
    const [lookup] = await t.deps.db.select().from(answerLookups).where(eq(answerLookups.userId, 'U0GAP'));
    expect(lookup).toMatchObject({ kind: 'search', answered: false, topic: 'offic park' });
  });

  it('explains how to use it when given nothing', async () => {
    const reply = await answersCommand(t, '   ');
    expect(reply.text).toContain('/answers refund policy');
  });
});

describe('the answer buttons', () => {
  const click = (actionId: string, user: string, value = refund.id) => pressAnswerButton(t, actionId, user, value);
  const replyAt = async (url: string) =>
    (await t.fake.waitForResponse((r) => url.endsWith(`/${r.id}`))).body.text as string;
  const stored = async () => (await t.deps.db.select().from(answers).where(eq(answers.id, refund.id)))[0]!;

  it('counts one helpful vote per person', async () => {
    expect(await replyAt(await click(IDS.helpfulButton, 'U0ONE'))).toContain('marked as helpful');
    expect(await replyAt(await click(IDS.helpfulButton, 'U0ONE'))).toContain('already marked');
    await replyAt(await click(IDS.helpfulButton, 'U0TWO'));
    expect((await stored()).helpfulVotes).toBe(2);
  });

  it('shares the answer for everyone in the channel once, crediting its authors, and counts the use', async () => {
    await Promise.all([click(IDS.shareButton, 'U0SHARER'), click(IDS.shareButton, 'U0SHARER')]);
    const post = await t.fake.waitForCall('chat.postMessage');
    expect(post.args.channel).toBe('C0SUPPORT');
    const shown = JSON.stringify(post.args.blocks);
    expect(shown).toContain('Ask billing for exceptions'); // the whole answer
    expect(shown).toContain('answered by <@U0MARIA> and <@U0JON>');
    expect(shown).toContain('shared by <@U0SHARER>');
    await new Promise((r) => setTimeout(r, 200));
    expect(t.fake.callsTo('chat.postMessage')).toHaveLength(1);
    expect((await stored()).uses).toBe(1);
  });

  it('refuses a button that points at no answer', async () => {
    const reply = await replyAt(await click(IDS.shareButton, 'U0ONE', 'not-an-id'));
    expect(reply).toContain('no longer there');
    expect(t.fake.callsTo('chat.postMessage')).toHaveLength(0);
  });
});

describe('/frontline set search-language', () => {
  const frontline = async (text: string) => {
    const url = t.fake.responseUrl();
    await t.driver.command({ command: '/frontline', text, user_id: ADMIN, response_url: url });
    return (await t.fake.waitForResponse((r) => url.endsWith(`/${r.id}`))).body.text as string;
  };

  it('refuses a language the database does not have, and rebuilds the search in one it has', async () => {
    expect(await frontline('set search-language klingon')).toContain('no search language `klingon`');
    expect(await frontline('set search-language simple')).toContain('`search-language` is now simple');
    // `simple` keeps words as typed: the plural no longer finds the singular by its stem.
    const [row] = await t.deps.db.select({ language: answers.language }).from(answers).where(eq(answers.id, refund.id));
    expect(row?.language).toBe('simple');
    expect(JSON.stringify((await answersCommand(t, 'policy')).blocks)).toContain('What is our refund policy?');
    expect(await frontline('set search-language english')).toContain('is now english');
  });
});

describe('App Home', () => {
  it('has a search box that opens the results, and lists the answers most used in the last 30 days', async () => {
    await t.deps.home.publish('U0HOME');
    const home = (await t.fake.waitForCall('views.publish')).args.view as any;
    const box = home.blocks.find((b: any) => b.block_id === IDS.homeSearchBlock);
    expect(box).toMatchObject({ type: 'input', dispatch_action: true });
    // The refund answer was shared above, within the 30 days.
    expect(JSON.stringify(home.blocks)).toContain('What is our refund policy?');

    await t.driver.blockAction({
      action_id: IDS.homeSearchInput,
      block_id: IDS.homeSearchBlock,
      type: 'plain_text_input',
      action: { value: 'refund polcy' },
      user_id: 'U0HOME',
      view: { type: 'home' },
    });
    const modal = (await t.fake.waitForCall('views.open')).args.view as any;
    expect(modal.title.text).toBe('Answers');
    expect(JSON.stringify(modal.blocks)).toContain('What is our refund policy?');
    expect(buttonsOf(modal.blocks).map((b) => b.action_id)).not.toContain(IDS.shareButton);
  });
});
