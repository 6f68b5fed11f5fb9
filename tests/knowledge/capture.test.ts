// Answers made as work is done: resolving an escalation and solving a help request, end to end.
import { eq } from 'drizzle-orm';
import { beforeAll, describe, expect, it } from 'vitest';
import { helpRequests } from '../../src/help-requests/help-requests.table.ts';
import { HELD_QUESTION_IDS } from '../../src/knowledge/knowledge.ids.ts';
import { answerLookups, answers } from '../../src/knowledge/knowledge.table.ts';
import { click as clickEscalation, raised, seedDepartments } from '../escalations/helpers.ts';
import {
  ask,
  click as clickHelp,
  command,
  HELP_CHANNEL,
  requestAskedBy,
  useHelpTestApp,
  waitCall,
} from '../help-requests/help-test-helpers.ts';
import { eventually } from '../support/outcomes.ts';
import { field, stateValues } from '../support/payloads.ts';
import { answersCommand, buttonsOf, seedAnswer } from './helpers.ts';

const t = useHelpTestApp();
beforeAll(async () => {
  await seedDepartments(t);
  await t.deps.workspace.helpChannel.set(HELP_CHANNEL);
});

const answerFrom = async (sourceId: string) =>
  (await t.deps.db.select().from(answers).where(eq(answers.sourceId, sourceId)))[0];

describe('resolving an escalation', () => {
  const resolve = async (viewId: string, summary: string, resolution: string, addToAnswers: string[] | undefined) => {
    const e = await raised(t, summary);
    await clickEscalation(t, 'escalation_claim', e, 'U0ANN');
    await t.fake.waitForCall('chat.update');
    await clickEscalation(t, 'escalation_resolve', e, 'U0ANN');
    const modal = (await t.fake.waitForCall('views.open')).args.view as any;
    const box = modal.blocks.find((b: any) => b.block_id === 'escalation_add_to_answers');
    expect(box.element.initial_options.map((o: any) => o.text.text)).toEqual(['Add to answers']); // on by default
    await t.driver.viewSubmission({
      callback_id: 'escalation_resolve_modal',
      view_id: viewId,
      private_metadata: e.id,
      user_id: 'U0ANN',
      values: stateValues({
        'escalation_resolution/resolution': field.text(resolution),
        ...(addToAnswers ? { 'escalation_add_to_answers/add_to_answers': field.checkboxes(addToAnswers) } : {}),
      }),
    });
    return e;
  };

  it('keeps the resolution as an answer crediting the resolver, found by the next person', async () => {
    const e = await resolve('V0RES1', 'Customer charged twice for March', 'Refunded the duplicate charge in Stripe.', [
      'yes',
    ]);
    const answer = await eventually(() => answerFrom(e.id), 'the answer kept from the resolution');
    expect(answer).toMatchObject({
      title: 'Customer charged twice for March',
      body: 'Refunded the duplicate charge in Stripe.',
      sourceKind: 'escalation',
      departmentKey: 'billing',
      creditedUserIds: ['U0ANN'],
      permalink: expect.stringContaining('/archives/C0BILLING/'),
    });
    const reply = await answersCommand(t, 'charged twice');
    expect(JSON.stringify(reply.blocks)).toContain('Refunded the duplicate charge in Stripe.');
  });

  it('keeps nothing when the resolver unticks "Add to answers"', async () => {
    const e = await resolve('V0RES2', 'A one-off for Globex', 'Called them back.', []);
    await eventually(
      () => t.fake.callsTo('chat.postMessage').find((c) => String(c.args.text).includes('was resolved')),
      'the requester told',
    );
    await t.deps.events.dispatch();
    expect(await answerFrom(e.id)).toBeUndefined();
  });
});

describe('solving a help request', () => {
  it('prefills "What was the answer?" from the top helper’s reply and keeps it, crediting who helped most', async () => {
    await ask(t, 'How do I move a customer to annual billing mid-month?', 'U0ASKER');
    const request = await requestAskedBy(t, 'U0ASKER');
    await clickHelp(t, 'help_claim', request, 'U0KIND');
    await waitCall(t, 'chat.update');
    t.fake.addMessage(HELP_CHANNEL, {
      ts: '1772445999.000100',
      thread_ts: request.messageTs!,
      user: 'U0KIND',
      text: 'Let me check',
    });
    t.fake.addMessage(HELP_CHANNEL, {
      ts: '1772446000.000200',
      thread_ts: request.messageTs!,
      user: 'U0KIND',
      text: 'Switch the plan in Billing &gt; Plan; the unused days are credited &amp; prorated.',
    });
    await clickHelp(t, 'help_solve', request, 'U0ASKER');
    const view = (await waitCall(t, 'views.open')).args.view as any;
    const answerBlock = view.blocks.find((b: any) => b.block_id === 'help_answer');
    expect(answerBlock.label.text).toBe('What was the answer?');
    expect(answerBlock.element.initial_value).toBe(
      'Switch the plan in Billing > Plan; the unused days are credited & prorated.',
    );
    await t.driver.viewSubmission({
      callback_id: 'help_solve_modal',
      user_id: 'U0ASKER',
      private_metadata: view.private_metadata,
      values: stateValues({
        'help_top_helpers/top_helpers': field.users(['U0KIND']),
        'help_note/note': field.text('Thanks!'),
        'help_answer/answer': field.text(answerBlock.element.initial_value),
      }),
    });
    const answer = await eventually(() => answerFrom(String(request.id)), 'the answer kept from the solve form');
    expect(answer).toMatchObject({
      title: 'How do I move a customer to annual billing mid-month?',
      body: 'Switch the plan in Billing > Plan; the unused days are credited & prorated.',
      sourceKind: 'help_request',
      creditedUserIds: ['U0KIND'],
      createdBy: 'U0ASKER',
    });
  });

  it('keeps nothing when the answer is left empty', async () => {
    await ask(t, 'Who has the office keys?', 'U0ASKER2');
    const request = await requestAskedBy(t, 'U0ASKER2');
    await t.driver.viewSubmission({
      callback_id: 'help_solve_modal',
      user_id: 'U0ASKER2',
      private_metadata: String(request.id),
      values: stateValues({ 'help_top_helpers/top_helpers': field.users([]), 'help_answer/answer': field.text('  ') }),
    });
    await eventually(
      async () => ((await requestAskedBy(t, 'U0ASKER2')).status === 'solved' ? true : undefined),
      'the request solved',
    );
    await t.deps.events.dispatch();
    expect(await answerFrom(String(request.id))).toBeUndefined();
  });
});

describe('a help request posted to the help channel', () => {
  it('gets "Possibly answered before" in its thread when saved answers match, and nothing when none does', async () => {
    await seedAnswer(t, {
      title: 'Customer wants their account data deleted (GDPR)',
      body: 'Send the erasure request form; engineering deletes within 30 days.',
      creditedUserIds: ['U0LEGAL'],
    });
    // Asked in Slack, the answers are offered to the asker first: posted anyway, the note follows it.
    const offer = await command(t, '/ask', 'How do we delete a customers account data under GDPR?', 'U0GDPR');
    const postAnyway = buttonsOf(offer.blocks as any[]).find((b) => b.action_id === HELD_QUESTION_IDS.postAnywayButton);
    await t.driver.blockAction({ action_id: postAnyway!.action_id, value: postAnyway!.value, user_id: 'U0GDPR' });
    const [request] = await eventually(async () => {
      const rows = await t.deps.db.select().from(helpRequests).where(eq(helpRequests.askerId, 'U0GDPR'));
      return rows[0]?.messageTs ? rows : undefined;
    }, 'the request posted');
    const note = await waitCall(
      t,
      'chat.postMessage',
      (c) => c.args.thread_ts === request!.messageTs && String(c.args.text).startsWith('Possibly answered before'),
    );
    expect(note.args.channel).toBe(HELP_CHANNEL);
    expect(JSON.stringify(note.args.blocks)).toContain('Send the erasure request form');
    expect(JSON.stringify(note.args.blocks)).toContain('answered by <@U0LEGAL>');

    await ask(t, 'Where do we keep the spare monitors?', 'U0MONITOR');
    const unanswered = await requestAskedBy(t, 'U0MONITOR');
    await eventually(async () => {
      const [gap] = await t.deps.db.select().from(answerLookups).where(eq(answerLookups.userId, 'U0MONITOR'));
      return gap?.answered === false ? gap : undefined;
    }, 'the question recorded as a gap');
    expect(t.fake.callsTo('chat.postMessage').filter((c) => c.args.thread_ts === unanswered.messageTs)).toEqual([]);
  });
});
