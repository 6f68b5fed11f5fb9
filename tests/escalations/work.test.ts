// Working an escalation in the department channel: claim, release, resolve, reassign, and seeing it.
import { eq } from 'drizzle-orm';
import { beforeAll, describe, expect, it } from 'vitest';
import { createEscalationsRepository, type Escalation } from '../../src/escalations/escalations.repository.ts';
import { escalations } from '../../src/escalations/escalations.table.ts';
import { eventually } from '../support/outcomes.ts';
import { field, stateValues } from '../support/payloads.ts';
import { useTestApp } from '../support/test-app.ts';
import {
  AGENT,
  BILLING,
  click,
  clickForReply,
  escalate,
  LEGAL,
  manifestBotScopes,
  messageOf,
  raised,
  replyAt,
  seedDepartments,
} from './helpers.ts';

const t = useTestApp();
const repo = () => createEscalationsRepository(t.deps);
beforeAll(async () => {
  await seedDepartments(t);
  // Only the bot scopes the manifest asks for: a call needing another one fails the test.
  t.fake.scopes = manifestBotScopes();
});

const ANN = 'U0ANN';
const BOB = 'U0BOB';

const threadReplies = (e: { channelId: string | null; messageTs: string | null }) =>
  t.fake
    .callsTo('chat.postMessage')
    .filter((c) => c.args.channel === e.channelId && c.args.thread_ts === e.messageTs)
    .map((c) => String(c.args.text));

/** The card's buttons as people see them: label, style and action, in order. */
const cardButtons = (e: Pick<Escalation, 'channelId' | 'messageTs'>) =>
  (
    (messageOf(t, e)?.blocks ?? []) as {
      type: string;
      elements?: { text: { text: string }; style?: string; action_id: string; value: string }[];
    }[]
  )
    .filter((b) => b.type === 'actions')
    .flatMap((b) => b.elements ?? [])
    .map((b) => [b.text.text, b.style ?? '', b.action_id, b.value]);

describe('Claim', () => {
  it('claims, shows who and when, notes it in the thread and DMs the requester', async () => {
    const e = await raised(t, 'Claim me');
    t.clock.advanceMinutes(7);
    await click(t, 'escalation_claim', e, ANN);
    // The requester's DM is the last thing a claim does.
    const dm = await t.fake.waitForCall('chat.postMessage', (c) => c.args.channel === AGENT);
    expect(dm.args.text).toContain(`<@${ANN}> picked up your escalation “Claim me”`);
    expect(await repo().get(e.id)).toMatchObject({ status: 'claimed', claimerId: ANN, claimedAt: t.clock.now() });
    const message = JSON.stringify(messageOf(t, e)?.blocks);
    expect(message).toContain(`Claimed by <@${ANN}>`);
    expect(message).toContain('Release to queue');
    expect(message).not.toContain('"Claim"');
    // A high-priority escalation's thread starts with the note to its leads.
    expect(threadReplies(e)).toEqual([
      expect.stringContaining('<@U0LEADB> high priority'),
      expect.stringContaining(`<@${ANN}> claimed this`),
    ]);
    expect((await repo().events(e.id)).map((ev) => [ev.kind, ev.actorId])).toEqual([
      ['created', AGENT],
      ['claimed', ANN],
    ]);
    t.clock.set('2026-03-02T10:00:00Z');
  });

  it('lets exactly one of two people clicking at once win, and tells the other', async () => {
    const e = await raised(t, 'Race me');
    const urls = { [ANN]: t.fake.responseUrl(), [BOB]: t.fake.responseUrl() };
    const [a, b] = await Promise.all([
      click(t, 'escalation_claim', e, ANN, urls[ANN]),
      click(t, 'escalation_claim', e, BOB, urls[BOB]),
    ]);
    expect([a.status, b.status]).toEqual([200, 200]);
    await t.fake.waitForCall('chat.update');
    const winner = (await repo().get(e.id))!.claimerId!;
    const loser = winner === ANN ? BOB : ANN;
    const loserReply = await replyAt(t, urls[loser]!);
    expect([ANN, BOB]).toContain(winner);
    expect(loserReply).toBe(`:raising_hand: Already claimed by <@${winner}>.`);
    expect((await repo().events(e.id)).filter((ev) => ev.kind === 'claimed')).toHaveLength(1);
    await t.fake.waitForCall('chat.postMessage', (c) => c.args.channel === AGENT);
    expect(t.fake.callsTo('chat.postMessage').filter((c) => c.args.channel === AGENT)).toHaveLength(1);
  });

  it('treats a retried click as already claimed, without a second claim event', async () => {
    const e = await raised(t, 'Retry me');
    await click(t, 'escalation_claim', e, ANN);
    await t.fake.waitForCall('chat.update');
    const url = t.fake.responseUrl();
    await t.driver.blockAction(
      {
        action_id: 'escalation_claim',
        value: e.id,
        user_id: ANN,
        channel_id: e.channelId!,
        message_ts: e.messageTs!,
        response_url: url,
      },
      { retryNum: 1 },
    );
    expect(await replyAt(t, url)).toContain(`Already claimed by <@${ANN}>`);
    expect((await repo().events(e.id)).filter((ev) => ev.kind === 'claimed')).toHaveLength(1);
  });

  it('refuses a button whose escalation does not exist', async () => {
    const missing = { channelId: BILLING.channelId, messageTs: '1772445600.000200' };
    expect(await clickForReply(t, 'escalation_claim', { id: 'not-a-uuid', ...missing }, ANN)).toContain(
      'no longer exists',
    );
    expect(
      await clickForReply(t, 'escalation_claim', { id: '00000000-0000-4000-8000-000000000000', ...missing }, ANN),
    ).toContain('no longer exists');
  });
});

describe('Release', () => {
  it('puts it back in the queue for the claimer only', async () => {
    const e = await raised(t, 'Release me');
    await click(t, 'escalation_claim', e, ANN);
    await t.fake.waitForCall('chat.update');
    expect(await clickForReply(t, 'escalation_release', e, BOB)).toContain(
      `Only <@${ANN}>, who claimed it, can release it`,
    );
    expect((await repo().get(e.id))?.status).toBe('claimed');

    await click(t, 'escalation_release', e, ANN);
    await t.fake.waitForCall('chat.postMessage', (c) => String(c.args.text).includes('released this back'));
    expect(await repo().get(e.id)).toMatchObject({ status: 'open', claimerId: null });
    expect(JSON.stringify(messageOf(t, e)?.blocks)).toContain('Waiting for someone to claim it');
    expect(await clickForReply(t, 'escalation_release', e, ANN)).toContain(
      'Nobody has claimed it, so there is nothing to release',
    );
    expect((await repo().events(e.id)).map((ev) => ev.kind)).toEqual(['created', 'claimed', 'released']);
  });
});

describe('Resolve', () => {
  it('asks for a resolution, refuses an empty one, then resolves with the time taken and DMs the requester', async () => {
    const e = await raised(t, 'Resolve me');
    await click(t, 'escalation_claim', e, ANN);
    await t.fake.waitForCall('chat.update');
    await click(t, 'escalation_resolve', e, ANN);
    const modal = (await t.fake.waitForCall('views.open')).args.view as {
      callback_id: string;
      private_metadata: string;
    };
    expect(modal).toMatchObject({ callback_id: 'escalation_resolve_modal', private_metadata: e.id });

    const submit = (text: string, viewId: string) =>
      t.driver.viewSubmission({
        callback_id: 'escalation_resolve_modal',
        view_id: viewId,
        private_metadata: e.id,
        user_id: ANN,
        values: stateValues({ 'escalation_resolution/resolution': field.text(text) }),
      });
    expect((await submit('   ', 'V0RES1')).body).toMatchObject({
      response_action: 'errors',
      errors: { escalation_resolution: 'Say how it was resolved' },
    });
    expect((await repo().get(e.id))?.status).toBe('claimed');

    t.clock.advanceMinutes(95);
    await Promise.all([
      submit('Refunded the second charge.', 'V0RES1'),
      submit('Refunded the second charge.', 'V0RES1'),
    ]);
    const dm = await t.fake.waitForCall(
      'chat.postMessage',
      (c) => c.args.channel === AGENT && String(c.args.text).includes('was resolved'),
    );
    expect(dm.args.text).toContain('Refunded the second charge.');
    expect(await repo().get(e.id)).toMatchObject({
      status: 'resolved',
      resolvedBy: ANN,
      resolution: 'Refunded the second charge.',
    });
    expect(JSON.stringify(messageOf(t, e)?.blocks)).toContain(`Resolved by <@${ANN}> in 1 h 35 min`);
    // Thread notes follow each other in order, so the note may come a moment after the DM.
    await t.fake.waitForCall(
      'chat.postMessage',
      (c) => c.args.thread_ts === e.messageTs && String(c.args.text).includes('resolved this'),
    );
    expect(threadReplies(e).filter((text) => text.includes('resolved this'))).toHaveLength(1);
    expect((await repo().events(e.id)).map((ev) => ev.kind)).toEqual(['created', 'claimed', 'resolved']);

    expect(await clickForReply(t, 'escalation_resolve', e, BOB)).toContain(`Already resolved by <@${ANN}>`);
    t.clock.set('2026-03-02T10:00:00Z');
  });
});

describe('Reassign', () => {
  it('posts it in the new department, points the old message there and keeps the history', async () => {
    const e = await raised(t, 'Wrong team');
    await click(t, 'escalation_reassign', e, ANN);
    const modal = (await t.fake.waitForCall('views.open')).args.view;
    expect(JSON.stringify(modal)).toContain('"value":"legal"');
    expect(JSON.stringify(modal)).not.toContain('"value":"billing"');

    const submit = (department: string | null, viewId: string) =>
      t.driver.viewSubmission({
        callback_id: 'escalation_reassign_modal',
        view_id: viewId,
        private_metadata: e.id,
        user_id: ANN,
        values: stateValues({
          'escalation_reassign_department/department': field.select(department),
          'escalation_reassign_reason/reason': field.text('Contract question'),
        }),
      });
    expect((await submit('billing', 'V0RA1')).body).toMatchObject({
      response_action: 'errors',
      errors: { escalation_reassign_department: expect.stringContaining('already with that department') },
    });
    expect((await submit(null, 'V0RA1')).body).toMatchObject({ response_action: 'errors' });

    await Promise.all([submit('legal', 'V0RA1'), submit('legal', 'V0RA1')]);
    const posted = await t.fake.waitForCall('chat.postMessage', (c) => c.args.channel === LEGAL.channelId);
    expect(JSON.stringify(posted.args.blocks)).toContain('reassigned from Billing');
    await t.fake.waitForCall('chat.postMessage', (c) => String(c.args.text).includes('reassigned this to *Legal*'));

    const old = (await repo().get(e.id))!;
    expect(old.status).toBe('reassigned');
    const next = (await repo().get(old.reassignedToId!))!;
    expect(next).toMatchObject({
      departmentKey: 'legal',
      status: 'open',
      summary: 'Wrong team',
      requesterId: AGENT,
      reassignedFromId: e.id,
      channelId: LEGAL.channelId,
    });
    expect(next.details).toContain('Contract question');
    expect(JSON.stringify(messageOf(t, e)?.blocks)).toContain(
      `Reassigned to *Legal* (<${next.messageUrl}|see it there>)`,
    );
    expect((await repo().events(e.id)).map((ev) => ev.kind)).toEqual(['created', 'reassigned']);
    expect(t.fake.callsTo('chat.postMessage').filter((c) => c.args.channel === LEGAL.channelId)).toHaveLength(1);

    // The new message works like any other; the old one refuses.
    expect(await clickForReply(t, 'escalation_claim', e, BOB)).toContain('reassigned to another department');
    await click(t, 'escalation_claim', next, BOB);
    await t.fake.waitForCall('chat.update', (c) => c.args.channel === LEGAL.channelId);
    expect((await repo().get(next.id))?.claimerId).toBe(BOB);
  });
});

describe('/escalate list and App Home', () => {
  it('lists my raised and claimed escalations and my departments’ queue, oldest first', async () => {
    const LEAD = BILLING.leads[0]!;
    await t.deps.db.update(escalations).set({ status: 'resolved' }).where(eq(escalations.status, 'open'));
    t.clock.set('2026-03-02T11:00:00Z');
    const older = await raised(t, 'Queue older');
    t.clock.advanceMinutes(5);
    const newer = await raised(t, 'Queue newer');
    await escalate(t, `legal Raised by the lead`, LEAD);
    await click(t, 'escalation_claim', newer, LEAD);
    await t.fake.waitForCall('chat.update');

    const list = await escalate(t, 'list', LEAD);
    const [raisedPart, claimedPart, queuePart] = list.split('\n\n');
    expect(raisedPart).toContain('*Raised by you* (1)');
    expect(raisedPart).toContain('Raised by the lead');
    expect(claimedPart).toContain('*Claimed by you* (1)');
    expect(claimedPart).toContain('Queue newer');
    expect(queuePart).toContain(older.messageUrl!);
    expect(queuePart).not.toContain('Queue newer');

    // Someone who leads nothing sees the queue of the department whose channel they are in.
    const inChannel = await escalate(t, 'list', 'U0MEMBER', { channel_id: BILLING.channelId });
    expect(inChannel).toContain('Queue older');
    expect(await escalate(t, 'list', 'U0MEMBER')).toContain('*Waiting in your departments’ queue* (0)');

    await t.deps.home.publish(LEAD);
    const home = JSON.stringify((await t.fake.waitForCall('views.publish')).args.view);
    expect(home).toContain('Escalate to a team');
    expect(home).toContain('Queue older');
    expect(home).toContain('escalation_claim');
    t.clock.set('2026-03-02T10:00:00Z');
  });

  it('claims from Home and opens the raise modal from its button', async () => {
    const e = await raised(t, 'Claim from home');
    await t.driver.blockAction({ action_id: 'escalation_claim', value: e.id, user_id: ANN, view: { type: 'home' } });
    await t.fake.waitForCall('views.publish', (c) => c.args.user_id === ANN);
    expect((await repo().get(e.id))?.claimerId).toBe(ANN);
    expect(JSON.stringify(messageOf(t, e)?.blocks)).toContain(`Claimed by <@${ANN}>`);

    await t.driver.blockAction({ action_id: 'escalation_open_raise', user_id: ANN, view: { type: 'home' } });
    expect((await t.fake.waitForCall('views.open')).args.view).toMatchObject({ callback_id: 'escalation_raise' });
  });
});

describe('the card', () => {
  it('offers the buttons its status allows, the first one primary, and none once it is settled', async () => {
    const e = await raised(t, 'Buttons please');
    expect(cardButtons(e)).toEqual([
      ['Claim', 'primary', 'escalation_claim', e.id],
      ['Resolve', '', 'escalation_resolve', e.id],
      ['Reassign', '', 'escalation_reassign', e.id],
    ]);
    await click(t, 'escalation_claim', e, ANN);
    await t.fake.waitForCall('chat.update', (c) => JSON.stringify(c.args.blocks).includes('Release to queue'));
    expect(cardButtons(e)).toEqual([
      ['Resolve', 'primary', 'escalation_resolve', e.id],
      ['Release to queue', '', 'escalation_release', e.id],
      ['Put on hold', '', 'escalation_hold', e.id],
      ['Reassign', '', 'escalation_reassign', e.id],
    ]);
    await t.deps.db
      .update(escalations)
      .set({ status: 'resolved', resolvedBy: ANN, resolvedAt: t.clock.now() })
      .where(eq(escalations.id, e.id));
    // The claim's own send may still hold the card's row (its session lock) as the test goes on: then
    // this sync leaves the row due, and the next one draws the card as the escalation stands.
    await eventually(async () => {
      await t.deps.messages.sync('escalation', e.id);
      return cardButtons(e).length === 0 ? true : undefined;
    }, 'the settled card, without buttons');
    expect(cardButtons(e)).toEqual([]);
  });
});
