// Answers offered before anyone asks: `/ask` and `/escalate` show matching answers privately first,
// and post only when the asker chooses "Post anyway", once, with the answers noted in the thread.
import { eq } from 'drizzle-orm';
import { beforeAll, describe, expect, it } from 'vitest';
import { DIGEST_JOB } from '../../src/digests/digests.jobs.ts';
import { helpRequests } from '../../src/help-requests/help-requests.table.ts';
import { HELD_QUESTION_IDS as IDS } from '../../src/knowledge/knowledge.ids.ts';
import { FORGET_HELD_JOB } from '../../src/knowledge/knowledge.suggest.ts';
import { answerLookups, answers, answerUses, heldQuestions } from '../../src/knowledge/knowledge.table.ts';
import { AGENT, BILLING, escalate, seedDepartments, withSummary } from '../escalations/helpers.ts';
import { command, HELP_CHANNEL, useHelpTestApp, WAIT_MS } from '../help-requests/help-test-helpers.ts';
import { eventually } from '../support/outcomes.ts';
import { field, stateValues } from '../support/payloads.ts';
import { buttonsOf, seedAnswer } from './helpers.ts';

const t = useHelpTestApp();
let charged: Awaited<ReturnType<typeof seedAnswer>>;
let trial: Awaited<ReturnType<typeof seedAnswer>>;

beforeAll(async () => {
  await seedDepartments(t);
  await t.deps.workspace.helpChannel.set(HELP_CHANNEL);
  t.clock.set('2026-03-02T10:00:00Z');
  charged = await seedAnswer(t, {
    title: 'Customer charged twice for the same invoice',
    body: 'Refund the duplicate charge in Stripe, then tell the customer.\nThe refund takes five days.',
    departmentKey: 'billing',
    creditedUserIds: ['U0MARIA'],
    sourceKind: 'escalation',
    sourceId: 'esc-charged',
    permalink: 'https://example.slack.com/archives/C0BILLING/p1772445600000100',
  });
  trial = await seedAnswer(t, {
    title: 'How do I extend a trial by a week?',
    body: 'Admin console > Accounts > Trial > Extend. Up to 30 days without approval.',
  });
  t.clock.set('2026-03-04T10:00:00Z');
});

const responsesTo = (url: string) => t.fake.responses.filter((r) => url.endsWith(`/${r.id}`));
/** The private answers to two clicks, one each. */
const bothAnswered = (urls: string[]) =>
  eventually(() => {
    const all = urls.flatMap(responsesTo);
    return all.length === 2 ? all.map((r) => r.body) : undefined;
  }, 'both clicks answered');
/** The private answer sent to `url`. */
const answerAt = async (url: string) => (await t.fake.waitForResponse((r) => url.endsWith(`/${r.id}`), WAIT_MS)).body;
const helpPosts = () => t.fake.callsTo('chat.postMessage').filter((c) => c.args.channel === HELP_CHANNEL);
const requestsBy = (user: string) => t.deps.db.select().from(helpRequests).where(eq(helpRequests.askerId, user));
const heldBy = (user: string) => t.deps.db.select().from(heldQuestions).where(eq(heldQuestions.userId, user));
const usesOf = async (answerId: string) =>
  (await t.deps.db.select().from(answers).where(eq(answers.id, answerId)))[0]!.uses;

/** Clicks a button of the offer as `user`; returns the url its private answers go to. */
async function click(actionId: string, value: string, user: string, url = t.fake.responseUrl()) {
  const res = await t.driver.blockAction({ action_id: actionId, value, user_id: user, response_url: url });
  expect(res.status).toBe(200);
  return url;
}

const postAnywayOf = (blocks: any[]) => buttonsOf(blocks).find((b) => b.action_id === IDS.postAnywayButton)!;
const answeredButtons = (blocks: any[]) =>
  blocks.flatMap((b) => (b.accessory?.action_id === IDS.answeredButton ? [b.accessory] : [])) as Array<{
    value: string;
    text: { text: string };
  }>;

describe('/ask <question> with answers already given', () => {
  it('offers them privately before posting anything: title, first line, source link and the two choices', async () => {
    const offer = await command(t, '/ask', 'A customer was charged twice on one invoice, what do we do?', 'U0ASK1');
    const shown = JSON.stringify(offer.blocks);
    expect(offer.text).toContain('Before I post your question');
    expect(shown).toContain('Customer charged twice for the same invoice');
    expect(shown).toContain('Refund the duplicate charge in Stripe, then tell the customer.');
    expect(shown).not.toContain('five days'); // only the first line
    expect(shown).toContain('<https://example.slack.com/archives/C0BILLING/p1772445600000100|from an escalation>');
    const offered = answeredButtons(offer.blocks as any[]);
    expect(offered.map((b) => b.text.text)).toEqual(['This answers it']);
    expect(postAnywayOf(offer.blocks as any[]).text.text).toBe('Post anyway');
    expect(helpPosts()).toHaveLength(0);
    expect(await requestsBy('U0ASK1')).toHaveLength(0);
  });

  it('"This answers it" posts nothing and counts a use and a deflection, once however many clicks', async () => {
    const offer = await command(t, '/ask', 'Customer charged twice for an invoice', 'U0ASK2');
    const [answered] = answeredButtons(offer.blocks as any[]);
    const before = await usesOf(charged.id);
    const urls = [t.fake.responseUrl(), t.fake.responseUrl()];
    await Promise.all(urls.map((url) => click(IDS.answeredButton, answered!.value, 'U0ASK2', url)));
    const replies = await bothAnswered(urls);
    const settled = replies.find((r) => r.replace_original === true)!;
    expect(settled.text).toContain('Glad it was answered already by “Customer charged twice for the same invoice”');
    expect(replies.find((r) => r.replace_original === false)!.text).toContain('nothing was posted');
    expect(await usesOf(charged.id)).toBe(before + 1);
    const uses = await t.deps.db.select().from(answerUses).where(eq(answerUses.userId, 'U0ASK2'));
    expect(uses.map((u) => u.kind)).toEqual(['deflected']);
    expect(await heldBy('U0ASK2')).toMatchObject([{ status: 'answered', answeredById: charged.id }]);

    // Choosing the other button afterwards posts nothing either.
    const late = await click(IDS.postAnywayButton, postAnywayOf(offer.blocks as any[]).value, 'U0ASK2');
    expect((await answerAt(late)).text).toContain('You said an answer settled this');
    expect(helpPosts()).toHaveLength(0);
    expect(await requestsBy('U0ASK2')).toHaveLength(0);
  });

  it('"Post anyway" posts exactly what was typed once, even clicked twice, with the answers offered in its thread', async () => {
    const typed = 'billing: Customer charged twice on the March invoice';
    const offer = await command(t, '/ask', typed, 'U0ASK3');
    const value = postAnywayOf(offer.blocks as any[]).value;
    const urls = [t.fake.responseUrl(), t.fake.responseUrl()];
    await Promise.all(urls.map((url) => click(IDS.postAnywayButton, value, 'U0ASK3', url)));
    const replies = await bothAnswered(urls);
    expect(replies.find((r) => r.replace_original === true)!.text).toContain(`Asked in <#${HELP_CHANNEL}>`);
    const [request, ...more] = await requestsBy('U0ASK3');
    expect(more).toEqual([]);
    expect(request).toMatchObject({ question: 'Customer charged twice on the March invoice', topic: 'billing' });
    const note = await eventually(
      () => helpPosts().find((c) => c.args.thread_ts === request!.messageTs),
      'the note in the request thread',
    );
    expect(note.args.text).toMatch(/^Possibly answered before/);
    const blocks = JSON.stringify(note.args.blocks);
    expect(blocks).toContain('Customer charged twice for the same invoice');
    expect(blocks).toContain('<@U0ASK3> was shown these first and chose to go ahead');
    // One note: the helpers' own "Possibly answered before" gives way to the one naming what the asker saw.
    await t.deps.events.dispatch();
    expect(helpPosts().filter((c) => c.args.thread_ts === request!.messageTs)).toHaveLength(1);
    expect(helpPosts().filter((c) => !c.args.thread_ts && String(c.args.text).includes('March invoice'))).toHaveLength(
      1,
    );

    // A stale button later: the same confirmation, nothing new.
    const later = await click(IDS.postAnywayButton, value, 'U0ASK3');
    expect((await answerAt(later)).text).toContain(`Asked in <#${HELP_CHANNEL}>`);
    const [answered] = answeredButtons(offer.blocks as any[]);
    const before = await usesOf(charged.id);
    await click(IDS.answeredButton, answered!.value, 'U0ASK3');
    expect(await usesOf(charged.id)).toBe(before);
    expect(await requestsBy('U0ASK3')).toHaveLength(1);
  });

  it('after a crash mid-way (a restart), "Post anyway" still posts it, once', async () => {
    const offer = await command(t, '/ask', 'Customer charged twice after the upgrade', 'U0CRASH');
    // The process died after taking the click, before posting: the row says so, and the next click carries on.
    await t.deps.db.update(heldQuestions).set({ status: 'posting' }).where(eq(heldQuestions.userId, 'U0CRASH'));
    const value = postAnywayOf(offer.blocks as any[]).value;
    const first = await click(IDS.postAnywayButton, value, 'U0CRASH');
    expect((await answerAt(first)).text).toContain(`Asked in <#${HELP_CHANNEL}>`);
    // Died again after posting, before noting it: the posting's own dedupe keeps it to one.
    await t.deps.db.update(heldQuestions).set({ status: 'posting' }).where(eq(heldQuestions.userId, 'U0CRASH'));
    const again = await click(IDS.postAnywayButton, value, 'U0CRASH');
    expect((await answerAt(again)).text).toContain('posted once, however many times you click');
    expect(await requestsBy('U0CRASH')).toHaveLength(1);
  });

  it('refuses a forged button or someone else’s, kindly, and changes nothing', async () => {
    const offer = await command(t, '/ask', 'Customer charged twice again', 'U0ASK4');
    for (const [action, value, user] of [
      [IDS.postAnywayButton, postAnywayOf(offer.blocks as any[]).value, 'U0OTHER'],
      [IDS.postAnywayButton, 'not-a-question', 'U0ASK4'],
      [IDS.answeredButton, `${postAnywayOf(offer.blocks as any[]).value}:${trial.id}`, 'U0ASK4'],
    ] as const) {
      const url = await click(action, value, user);
      expect((await answerAt(url)).text).toContain('no longer waiting to be posted');
    }
    expect(await heldBy('U0ASK4')).toMatchObject([{ status: 'offered' }]);
    expect(await requestsBy('U0ASK4')).toHaveLength(0);
  });

  it('escapes the answers and the question it shows', async () => {
    await seedAnswer(t, {
      title: 'Printer jam <!channel> on floor *3*',
      body: 'Open tray <https://evil.example|2> and call <!here>.',
    });
    const offer = await command(t, '/ask', 'printer jam again &lt;!everyone&gt; floor 3', 'U0ASK5');
    const shown = JSON.stringify(offer.blocks);
    expect(shown).toContain('Printer jam');
    for (const live of ['<!channel>', '<!here>', '<!everyone>', '<https://evil.example|2>'])
      expect(shown).not.toContain(live);
  });
});

describe('/ask form (command with no text, or the message shortcut)', () => {
  it('closes the form, then offers the answers by DM (where its confirmation goes), once per submission', async () => {
    await t.driver.messageShortcut({
      callback_id: 'ask_message',
      channel_id: 'C0SALES',
      user_id: 'U0FORM1',
      message: { ts: '1700000000.000200', text: 'Can I extend a trial by a week for Acme?', user: 'U0REP' },
    });
    const { private_metadata } = (await t.fake.waitForCall('views.open', () => true, WAIT_MS)).args.view as {
      private_metadata: string;
    };
    const submit = () =>
      t.driver.viewSubmission({
        callback_id: 'help_ask',
        view_id: 'V0ASKFORM1',
        user_id: 'U0FORM1',
        private_metadata,
        values: stateValues({
          'help_question/question': field.text('Can I extend a trial by a week for Acme?'),
          'help_context/context': field.text('They are mid-evaluation.'),
          'help_urgency/urgency': field.select('high'),
          'help_customer/customer': field.text('Acme'),
        }),
      });
    // Slack delivering the submission twice: one offer.
    const [a, b] = await Promise.all([submit(), submit()]);
    expect([a.status, b.status, a.body, b.body]).toEqual([200, 200, '', '']); // the form closes
    const dm = await t.fake.waitForCall('chat.postMessage', (c) => c.args.channel === 'U0FORM1', WAIT_MS);
    expect(dm.args.text).toContain('Before I post your question');
    expect(JSON.stringify(dm.args.blocks)).toContain('How do I extend a trial by a week?');
    await t.deps.events.dispatch();
    expect(t.fake.callsTo('chat.postMessage').filter((c) => c.args.channel === 'U0FORM1')).toHaveLength(1);
    expect(await heldBy('U0FORM1')).toHaveLength(1);
    expect(await requestsBy('U0FORM1')).toHaveLength(0);

    const url = await click(IDS.postAnywayButton, postAnywayOf(dm.args.blocks as any[]).value, 'U0FORM1');
    expect((await answerAt(url)).text).toContain(`Asked in <#${HELP_CHANNEL}>`);
    expect(await requestsBy('U0FORM1')).toMatchObject([
      {
        question: 'Can I extend a trial by a week for Acme?',
        context: 'They are mid-evaluation.',
        urgency: 'high',
        customer: 'Acme',
        sourcePermalink: 'https://example.slack.com/archives/C0SALES/p1700000000000200',
      },
    ]);
  });
});

describe('/escalate with answers already given', () => {
  it('quick path: offers them privately, and "Escalate anyway" raises it once as typed, noting them on the card', async () => {
    const url = t.fake.responseUrl();
    await t.driver.command({
      command: '/escalate',
      text: 'billing high Customer charged twice for the same invoice again',
      user_id: AGENT,
      response_url: url,
    });
    const offer = await answerAt(url);
    expect(offer.response_type).toBe('ephemeral');
    expect(offer.text).toContain('Before I escalate this');
    expect(postAnywayOf(offer.blocks).text.text).toBe('Escalate anyway');
    const summary = 'Customer charged twice for the same invoice again';
    expect(await withSummary(t, summary)).toHaveLength(0);

    const value = postAnywayOf(offer.blocks).value;
    const urls = [t.fake.responseUrl(), t.fake.responseUrl()];
    await Promise.all(urls.map((u) => click(IDS.postAnywayButton, value, AGENT, u)));
    const replies = await bothAnswered(urls);
    expect(replies.find((r) => r.replace_original === true)!.text).toContain('Escalated to *Billing*');
    const [raised, ...more] = await withSummary(t, summary);
    expect(more).toEqual([]);
    expect(raised).toMatchObject({ departmentKey: 'billing', priority: 'high', requesterId: AGENT });
    const note = await t.fake.waitForCall(
      'chat.postMessage',
      (c) =>
        c.args.channel === BILLING.channelId &&
        c.args.thread_ts === raised!.messageTs &&
        /^Possibly/.test(String(c.args.text)),
      WAIT_MS,
    );
    expect(JSON.stringify(note.args.blocks)).toContain(`<@${AGENT}> was shown these first and chose to go ahead`);
  });

  it('form: offers them where /escalate was typed; "This answers it" raises nothing and counts a deflection', async () => {
    const url = t.fake.responseUrl();
    await t.driver.command({ command: '/escalate', text: '', user_id: 'U0ESC2', response_url: url });
    const view = (await t.fake.waitForCall('views.open')).args.view as { private_metadata: string };
    const summary = 'Customer charged twice for the same invoice (form)';
    await t.driver.viewSubmission({
      callback_id: 'escalation_raise',
      view_id: 'V0ESCFORM1',
      user_id: 'U0ESC2',
      private_metadata: view.private_metadata,
      values: stateValues({
        'escalation_department/department': field.select('billing'),
        'escalation_priority/priority': field.select('normal'),
        'escalation_customer/customer': field.text('Acme'),
        'escalation_summary/summary': field.text(summary),
        'escalation_details/details': field.text(''),
        'escalation_link/link': field.url(''),
      }),
    });
    const offer = await answerAt(url);
    expect(offer.text).toContain('Before I escalate this');
    const before = await usesOf(charged.id);
    const [answered] = answeredButtons(offer.blocks);
    const reply = await click(IDS.answeredButton, answered!.value, 'U0ESC2');
    expect((await answerAt(reply)).text).toContain('Nothing was escalated');
    expect(await usesOf(charged.id)).toBe(before + 1);
    expect(await withSummary(t, summary)).toHaveLength(0);
    expect(t.fake.callsTo('chat.postMessage').filter((c) => c.args.channel === BILLING.channelId)).toHaveLength(0);
  });
});

describe('with no answer to offer', () => {
  it('posts /ask and raises /escalate at once, as always', async () => {
    expect((await command(t, '/ask', 'Where do we keep the spare monitors?', 'U0NONE')).text).toContain(
      `Asked in <#${HELP_CHANNEL}>`,
    );
    expect(await requestsBy('U0NONE')).toHaveLength(1);
    expect(await escalate(t, 'legal normal NDA redlines for Globex', 'U0NONE')).toContain('Escalated to *Legal*');
    expect(await withSummary(t, 'NDA redlines for Globex')).toHaveLength(1);
    expect(await heldBy('U0NONE')).toHaveLength(0);
    // Each recorded once as a knowledge gap (the posted request's own lookup records the question).
    await t.deps.events.dispatch();
    const lookups = await t.deps.db.select().from(answerLookups).where(eq(answerLookups.userId, 'U0NONE'));
    expect(lookups.map((l) => [l.kind, l.answered]).sort()).toEqual([
      ['ask', false],
      ['escalate', false],
    ]);
  });
});

describe('the knowledge digest', () => {
  it('counts the questions answered without posting', async () => {
    const deflected = await t.deps.db.select().from(answerUses).where(eq(answerUses.kind, 'deflected'));
    expect(deflected.length).toBeGreaterThan(0);
    await t.deps.workspace.digestChannel.set('C0LEADERS');
    t.clock.set('2026-03-09T09:00:00Z');
    expect(await t.deps.scheduler.runSlot(DIGEST_JOB, new Date('2026-03-09T09:00:00Z'))).toBe(true);
    const post = t.fake.callsTo('chat.postMessage').find((c) => String(c.args.text).startsWith('Customer digest'));
    expect(JSON.stringify(post!.args.blocks)).toContain(`Answered before posting\\n*${deflected.length}*`);
  });
});

describe('held questions', () => {
  it('are forgotten 30 days after they were asked, whatever became of them', async () => {
    const held = await t.deps.db.select().from(heldQuestions);
    expect(held.length).toBeGreaterThan(0);
    const newest = Math.max(...held.map((h) => h.createdAt.getTime()));
    const oldest = Math.min(...held.map((h) => h.createdAt.getTime()));
    const runAt = async (at: number) => {
      t.clock.set(new Date(at).toISOString());
      await t.deps.scheduler.runSlot(FORGET_HELD_JOB, new Date(at));
    };
    await runAt(oldest + 30 * 86_400_000 - 1);
    expect(await t.deps.db.select().from(heldQuestions)).toHaveLength(held.length);
    await runAt(newest + 30 * 86_400_000 + 1);
    expect(await t.deps.db.select().from(heldQuestions)).toHaveLength(0);
  });
});
