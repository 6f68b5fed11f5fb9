// Changing answers: their authors, their department's leads and admins edit them, mark them
// outdated or retire them, from /answers, the Home search and Home's most used answers; anyone else
// sees no buttons and is refused if they forge one.
import { eq } from 'drizzle-orm';
import { beforeAll, describe, expect, it } from 'vitest';
import { createDepartmentsRepository } from '../../src/departments/departments.repository.ts';
import { answerControlsBlock, KNOWLEDGE_IDS as IDS } from '../../src/knowledge/knowledge.ids.ts';
import { createKnowledgeRepository } from '../../src/knowledge/knowledge.repository.ts';
import { answers } from '../../src/knowledge/knowledge.table.ts';
import { eventually } from '../support/outcomes.ts';
import { field, stateValues } from '../support/payloads.ts';
import { ADMIN, useTestApp } from '../support/test-app.ts';
import { answersCommand, buttonsOf, pressAnswerButton, seedAnswer } from './helpers.ts';

const t = useTestApp();
const LEAD = 'U0LEAD';
const AUTHOR = 'U0MARIA';
const SAVER = 'U0SAVER';
const STRANGER = 'U0OTHER';
const MANAGE = [IDS.editButton, IDS.outdatedButton, IDS.retireButton];

let answerId: string;
const stored = async (id = answerId) => (await t.deps.db.select().from(answers).where(eq(answers.id, id)))[0]!;

beforeAll(async () => {
  await createDepartmentsRepository(t.deps).upsert({
    key: 'billing',
    name: 'Billing',
    channelId: 'C0BILLING',
    leads: [LEAD],
  });
  t.clock.set(new Date('2026-03-02T10:00:00Z'));
  answerId = (
    await seedAnswer(t, {
      title: 'How do I refund a double charge?',
      body: 'Refund the second charge in Stripe, then reply with the refund id.',
      departmentKey: 'billing',
      creditedUserIds: [AUTHOR],
      createdBy: SAVER,
    })
  ).id;
  t.clock.set(new Date('2026-03-09T10:00:00Z'));
});

const press = (actionId: string, user: string, value = answerId) => pressAnswerButton(t, actionId, user, value);

/** Presses a button and returns the private reply. */
async function click(actionId: string, user: string, value = answerId) {
  const url = await press(actionId, user, value);
  return (await t.fake.waitForResponse((r) => url.endsWith(`/${r.id}`))).body as { text: string };
}

/** Presses Edit and returns the form it opens. */
async function openEditForm(user: string) {
  await press(IDS.editButton, user);
  return (await t.fake.waitForCall('views.open')).args.view as any;
}

describe('who sees the buttons that change an answer', () => {
  it.each([
    ['the person it credits', AUTHOR],
    ['whoever saved it', SAVER],
    ['a lead of its department', LEAD],
    ['an admin', ADMIN],
  ])('%s sees Edit, Mark outdated and Retire, Retire asking first', async (_, user) => {
    const reply = await answersCommand(t, 'refund double charge', user);
    const buttons = buttonsOf(reply.blocks).filter((b) => b.value === answerId);
    expect(buttons.map((b) => b.text.text)).toEqual([
      ':thumbsup: Helpful',
      'Share in channel',
      'Edit',
      'Mark outdated',
      'Retire',
    ]);
    const retire = buttons.find((b) => b.action_id === IDS.retireButton) as any;
    expect(retire.confirm.style).toBe('danger');
    expect(retire.confirm.text.text).toContain('How do I refund a double charge?');
  });

  it('anyone else sees only Helpful and Share, and a forged button changes nothing', async () => {
    const reply = await answersCommand(t, 'refund double charge', STRANGER);
    expect(buttonsOf(reply.blocks).map((b) => b.action_id)).not.toEqual(expect.arrayContaining([IDS.editButton]));
    const before = await stored();
    for (const action of MANAGE)
      expect((await click(action, STRANGER)).text).toContain('Only the people an answer credits');
    expect(t.fake.callsTo('views.open')).toHaveLength(0);
    expect(await stored()).toEqual(before);
  });
});

describe('marking an answer outdated', () => {
  it('keeps it in searches, marked; a double click is harmless', async () => {
    const before = await stored();
    expect((await click(IDS.outdatedButton, LEAD)).text).toContain(
      'Marked “How do I refund a double charge?” as outdated',
    );
    const after = await stored();
    expect(after.status).toBe('outdated');
    expect(after.updatedAt.getTime()).toBeGreaterThan(before.updatedAt.getTime());
    expect((await click(IDS.outdatedButton, LEAD)).text).toContain('was already marked outdated');
    const shown = JSON.stringify((await answersCommand(t, 'refund double charge', STRANGER)).blocks);
    expect(shown).toContain(':warning: _may be outdated_');
    // An outdated answer offers no second Mark outdated.
    const buttons = buttonsOf((await answersCommand(t, 'refund double charge', AUTHOR)).blocks);
    expect(buttons.map((b) => b.action_id)).not.toContain(IDS.outdatedButton);
  });
});

describe('editing an answer', () => {
  const editValues = (title: string, body: string, status: string) =>
    stateValues({
      [`${IDS.titleBlock}/${IDS.titleInput}`]: field.text(title),
      [`${IDS.bodyBlock}/${IDS.bodyInput}`]: field.text(body),
      [`${IDS.statusBlock}/${IDS.statusInput}`]: field.radio(status),
    });

  it('opens a prefilled form; saving changes it, counts as confirming it, and a stale form is refused', async () => {
    t.clock.advanceMinutes(60);
    const view = await openEditForm(AUTHOR);
    const initial = (block: string) => view.blocks.find((b: any) => b.block_id === block)?.element;
    expect(initial(IDS.titleBlock).initial_value).toBe('How do I refund a double charge?');
    expect(initial(IDS.bodyBlock).initial_value).toContain('Refund the second charge in Stripe');
    expect(initial(IDS.statusBlock).initial_option.value).toBe('outdated');

    const submit = (user: string, title: string) =>
      t.driver.viewSubmission({
        callback_id: IDS.editModal,
        private_metadata: view.private_metadata,
        blocks: view.blocks,
        user_id: user,
        values: editValues(title, 'Refund it in Stripe <!channel>; Stripe emails the customer.', 'active'),
      });
    const refused = await submit(STRANGER, 'Refund a duplicate charge');
    expect(JSON.stringify(refused.body.errors)).toContain('Only the people an answer credits');

    const saved = await submit(AUTHOR, 'How do I refund a duplicate charge?');
    expect(saved.body.response_action).toBe('update');
    expect(JSON.stringify(saved.body.view.blocks)).toContain(
      'Saved your changes to “How do I refund a duplicate charge?”',
    );
    const after = await stored();
    expect(after).toMatchObject({
      title: 'How do I refund a duplicate charge?',
      body: 'Refund it in Stripe <!channel>; Stripe emails the customer.',
      status: 'active',
    });
    expect(after.updatedAt).toEqual(t.clock.now());
    expect(after.confirmedAt).toEqual(t.clock.now());
    const shared = JSON.stringify((await answersCommand(t, 'duplicate charge', STRANGER)).blocks);
    expect(shared).not.toContain('<!channel>');

    // The same form again: the answer changed since it was opened.
    const stale = await submit(AUTHOR, 'Something else entirely');
    expect(JSON.stringify(stale.body.errors)).toContain('Someone changed this answer while you had it open');
    expect((await stored()).title).toBe('How do I refund a duplicate charge?');
  });

  it('refuses an empty question by its field', async () => {
    const view = await openEditForm(SAVER);
    const res = await t.driver.viewSubmission({
      callback_id: IDS.editModal,
      private_metadata: view.private_metadata,
      user_id: AUTHOR,
      values: editValues(' ', 'x', 'active'),
    });
    expect(res.body.errors[IDS.titleBlock]).toContain('Write the question');
    expect(res.body.errors[IDS.bodyBlock]).toContain('Write the answer');
  });
});

describe('Home', () => {
  it('lists the most used answers with their buttons for the people allowed, and redraws after a change', async () => {
    await t.deps.db.transaction((tx) =>
      createKnowledgeRepository(t.deps).recordUse(tx as never, {
        answerId,
        userId: STRANGER,
        kind: 'shared',
        at: t.clock.now(),
      }),
    );
    const homeOf = async (user: string, nth = 1) => {
      const call = await eventually(
        () => t.fake.callsTo('views.publish').filter((c) => c.args.user_id === user)[nth - 1],
        `Home published for ${user} (${nth})`,
      );
      return call.args.view as any;
    };
    await t.deps.home.publish(STRANGER);
    const strangers = await homeOf(STRANGER);
    expect(JSON.stringify(strangers.blocks)).toContain('How do I refund a duplicate charge?');
    const manageButtons = (blocks: any[]) =>
      buttonsOf(blocks)
        .filter((b) => b.value === answerId)
        .map((b) => b.action_id);
    expect(manageButtons(strangers.blocks)).toEqual([]);

    await t.deps.home.publish(LEAD);
    const leads = await homeOf(LEAD);
    expect(manageButtons(leads.blocks)).toEqual(MANAGE);

    // From the Home search modal, Mark outdated replaces the buttons with what was done.
    const modalBlocks = [{ type: 'actions', block_id: answerControlsBlock(answerId), elements: [] }];
    await t.driver.blockAction({
      action_id: IDS.outdatedButton,
      value: answerId,
      user_id: LEAD,
      view: {
        type: 'modal',
        callback_id: IDS.resultsModal,
        blocks: modalBlocks,
        title: { type: 'plain_text', text: 'Answers' },
      },
    });
    const updated = (await t.fake.waitForCall('views.update')).args.view as any;
    expect(JSON.stringify(updated.blocks)).toContain('as outdated');
    expect(updated.blocks[0].type).toBe('context');

    // Edited from Home, Home is drawn again: the row says it may be outdated.
    await t.driver.blockAction({ action_id: IDS.editButton, value: answerId, user_id: LEAD, view: { type: 'home' } });
    const form = (await t.fake.waitForCall('views.open')).args.view as any;
    const saved = await t.driver.viewSubmission({
      callback_id: IDS.editModal,
      private_metadata: form.private_metadata,
      blocks: form.blocks,
      user_id: LEAD,
      values: stateValues({
        [`${IDS.titleBlock}/${IDS.titleInput}`]: field.text('How do I refund a duplicate charge?'),
        [`${IDS.bodyBlock}/${IDS.bodyInput}`]: field.text('Refund it in Stripe while we check the new flow.'),
        [`${IDS.statusBlock}/${IDS.statusInput}`]: field.radio('outdated'),
      }),
    });
    expect(saved.body.response_action).toBe('update');
    expect(JSON.stringify((await homeOf(LEAD, 2)).blocks)).toContain(
      'How do I refund a duplicate charge? · _may be outdated_',
    );

    // From Home, Retire takes it off the list.
    await t.driver.blockAction({ action_id: IDS.retireButton, value: answerId, user_id: LEAD, view: { type: 'home' } });
    const redrawn = await homeOf(LEAD, 3);
    expect(JSON.stringify(redrawn.blocks)).not.toContain('How do I refund a duplicate charge?');
    expect((await stored()).status).toBe('retired');
  });
});

describe('retiring an answer', () => {
  it('takes it out of searches for good; its buttons are refused afterwards', async () => {
    expect(JSON.stringify((await answersCommand(t, 'duplicate charge', ADMIN)).blocks)).not.toContain(
      'How do I refund a duplicate charge?',
    );
    expect((await click(IDS.retireButton, ADMIN)).text).toContain('no longer there');
    expect((await click(IDS.editButton, ADMIN)).text).toContain('no longer there');
    expect((await click(IDS.stillRightButton, AUTHOR)).text).toContain('no longer there');
  });
});
