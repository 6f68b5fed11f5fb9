// Domain events: use cases say what happened, subscribers react; each subscriber handles each event
// once, a failing one is retried, and an event only exists if its change was committed.
import { sql } from 'drizzle-orm';
import { beforeAll, describe, expect, it, vi } from 'vitest';
import { commitChange } from '../../src/events/commit-change.ts';
import type { DomainEventType, ReceivedEvent } from '../../src/events/domain-events.ts';
import { domainEventReceipts, domainEvents } from '../../src/events/events.table.ts';
import { EVENTS_JOB } from '../../src/slack/housekeeping.ts';
import { AGENT, click, raised, seedDepartments } from '../escalations/helpers.ts';
import { field, stateValues } from '../support/payloads.ts';
import { useTestApp } from '../support/test-app.ts';

const t = useTestApp({ env: { FRONTLINE_WEBHOOK_TOKEN: 'a-webhook-token-long-enough' } });
const seen: ReceivedEvent[] = [];
const watch = (type: DomainEventType) =>
  t.deps.events.subscribe(type, `test.${type}`, async (event) => void seen.push(event));

beforeAll(async () => {
  await seedDepartments(t);
  await t.deps.workspace.helpChannel.set('C0HELP');
  for (const type of [
    'escalation.raised',
    'escalation.claimed',
    'escalation.resolved',
    'escalation.reassigned',
    'help_request.asked',
    'help_request.solved',
    'feedback.captured',
  ] as const)
    watch(type);
});

const ofType = (type: string) => seen.filter((e) => e.type === type);

describe('domain events', () => {
  it('are published by escalations as they are raised, claimed, moved and resolved, and reach a subscriber once', async () => {
    const e = await raised(t, 'Evented escalation');
    expect(ofType('escalation.raised')).toEqual([
      expect.objectContaining({ escalationId: e.id, departmentKey: 'billing', requesterId: AGENT }),
    ]);
    await click(t, 'escalation_claim', e, 'U0ANN');
    await t.fake.waitForCall('chat.update', (c) => c.args.ts === e.messageTs);
    await t.driver.viewSubmission({
      callback_id: 'escalation_resolve_modal',
      view_id: 'V0EVT1',
      private_metadata: e.id,
      user_id: 'U0ANN',
      values: stateValues({ 'escalation_resolution/resolution': field.text('Refunded.') }),
    });
    await t.fake.waitForCall('chat.postMessage', (c) => String(c.args.text).includes('was resolved'));
    await vi.waitFor(() => expect(ofType('escalation.resolved')).toHaveLength(1));
    // The claim's own dispatch comes after its messages are sent, and may still be under way.
    await vi.waitFor(() => expect(ofType('escalation.claimed')).toHaveLength(1));
    expect(ofType('escalation.claimed')).toEqual([expect.objectContaining({ escalationId: e.id, userId: 'U0ANN' })]);
    expect(ofType('escalation.resolved')).toEqual([
      expect.objectContaining({ escalationId: e.id, userId: 'U0ANN', resolution: 'Refunded.' }),
    ]);

    const moved = await raised(t, 'Evented reassignment');
    await t.driver.viewSubmission({
      callback_id: 'escalation_reassign_modal',
      view_id: 'V0EVT2',
      private_metadata: moved.id,
      user_id: 'U0ANN',
      values: stateValues({
        'escalation_reassign_department/department': field.select('legal'),
        'escalation_reassign_reason/reason': field.text(''),
      }),
    });
    await t.fake.waitForCall('chat.postMessage', (c) => c.args.channel === 'C0LEGAL');
    await vi.waitFor(() => expect(ofType('escalation.reassigned')).toHaveLength(1));
    expect(ofType('escalation.reassigned')).toEqual([
      expect.objectContaining({
        escalationId: moved.id,
        fromDepartment: 'billing',
        toDepartment: 'legal',
        userId: 'U0ANN',
      }),
    ]);

    // Dispatching again hands nothing out twice.
    await t.deps.events.dispatch();
    expect(ofType('escalation.claimed')).toHaveLength(1);
  });

  it('are published when a help request is asked and solved, and feedback captured', async () => {
    const url = t.fake.responseUrl();
    await t.driver.command({
      command: '/ask',
      text: 'Who knows how proration works on upgrades?',
      user_id: AGENT,
      response_url: url,
    });
    await t.fake.waitForResponse((r) => url.endsWith(`/${r.id}`));
    const [asked] = ofType('help_request.asked');
    expect(asked).toMatchObject({ askerId: AGENT, topic: null });
    const requestId = (asked as ReceivedEvent<'help_request.asked'>).requestId;
    await t.driver.viewSubmission({
      callback_id: 'help_solve_modal',
      view_id: 'V0EVT3',
      private_metadata: String(requestId),
      user_id: AGENT,
      values: stateValues({}),
    });
    await vi.waitFor(() => expect(ofType('help_request.solved')).toHaveLength(1));
    expect(ofType('help_request.solved')).toEqual([expect.objectContaining({ requestId, userId: AGENT })]);

    const res = await fetch(`${t.baseUrl}/api/feedback`, {
      method: 'POST',
      headers: { authorization: 'Bearer a-webhook-token-long-enough', 'content-type': 'application/json' },
      body: JSON.stringify({ text: 'Exports are slow', external_id: 'evt-1' }),
    });
    const { id } = (await res.json()) as { id: string };
    expect(ofType('feedback.captured')).toEqual([expect.objectContaining({ feedbackId: id, capturedVia: 'webhook' })]);
    // The same external id again stores nothing new, and says nothing new.
    await fetch(`${t.baseUrl}/api/feedback`, {
      method: 'POST',
      headers: { authorization: 'Bearer a-webhook-token-long-enough', 'content-type': 'application/json' },
      body: JSON.stringify({ text: 'Exports are slow', external_id: 'evt-1' }),
    });
    expect(ofType('feedback.captured')).toHaveLength(1);
  });

  it('are handed again to a subscriber that failed, until it succeeds, and never once it has', async () => {
    // Fails the first time it sees each event.
    const tried = new Set<number>();
    const handled: number[] = [];
    t.deps.events.subscribe('escalation.raised', 'test.flaky', async (event) => {
      if (!tried.has(event.id)) {
        tried.add(event.id);
        throw new Error('not this time');
      }
      handled.push(event.id);
    });
    const e = await raised(t, 'Flaky subscriber');
    const [event] = await t.deps.db
      .select()
      .from(domainEvents)
      .where(sql`${domainEvents.payload} ->> 'escalationId' = ${e.id}`);
    // It failed when the change was committed, and waits for the next run.
    expect(tried).toContain(event!.id);
    expect(handled).not.toContain(event!.id);
    expect(await t.deps.scheduler.runSlot(EVENTS_JOB, t.clock.now())).toBe(true);
    expect(handled.filter((id) => id === event!.id)).toHaveLength(1);
    await t.deps.events.dispatch();
    expect(handled.filter((id) => id === event!.id)).toHaveLength(1);
    const receipts = await t.deps.db
      .select()
      .from(domainEventReceipts)
      .where(sql`${domainEventReceipts.eventId} = ${event!.id}`);
    // The app's own subscribers (webhooks…) have their receipts too; these are the test's.
    expect(
      receipts
        .map((r) => r.subscriber)
        .filter((s) => s.startsWith('test.'))
        .sort(),
    ).toEqual(['test.escalation.raised', 'test.flaky']);
  });

  it('are looked for, after a change, only by the subscribers of the types it raised; the rest wait for the next run', async () => {
    // Published without a dispatch, as by a process that stopped right after its commit.
    const feedbackId = '00000000-0000-4000-8000-00000000feed';
    await t.deps.db.transaction((tx) =>
      t.deps.events.publish(tx as never, [{ type: 'feedback.captured', feedbackId, capturedVia: 'slack' }]),
    );
    const fromTheStoppedProcess = () =>
      ofType('feedback.captured').filter((e) => (e as ReceivedEvent<'feedback.captured'>).feedbackId === feedbackId);
    const e = await raised(t, 'Dispatched to its own subscribers');
    expect(ofType('escalation.raised')).toContainEqual(expect.objectContaining({ escalationId: e.id }));
    expect(fromTheStoppedProcess()).toEqual([]);
    t.clock.advanceMinutes(1);
    expect(await t.deps.scheduler.runSlot(EVENTS_JOB, t.clock.now())).toBe(true);
    expect(fromTheStoppedProcess()).toHaveLength(1);
  });

  it('reach their subscribers at once when a change commits after one that took a later id', async () => {
    const claimedBy = (userId: string) =>
      ofType('escalation.claimed').filter((e) => (e as ReceivedEvent<'escalation.claimed'>).userId === userId);
    const claim = (userId: string) => ({
      type: 'escalation.claimed' as const,
      escalationId: '00000000-0000-4000-8000-0000000000c1',
      userId,
    });
    // The slow change takes its event's id first and commits last.
    let slowId: number | undefined;
    let commitSlow!: () => void;
    const slow = t.deps.db.transaction(async (tx) => {
      slowId = await t.deps.events.publish(tx as never, [claim('U0SLOW')]);
      await new Promise<void>((resolve) => (commitSlow = resolve));
    });
    await vi.waitFor(() => expect(slowId).toBeDefined());
    await commitChange(t.deps, async () => ({ result: 'fast', events: [claim('U0FAST')] }));
    expect(claimedBy('U0FAST')).toHaveLength(1);
    commitSlow();
    await slow;
    await t.deps.events.dispatch({ types: ['escalation.claimed'], firstId: slowId! });
    expect(claimedBy('U0SLOW')).toHaveLength(1);
  });

  it('in order: one that failed holds back those after it, and goes first when they are looked for', async () => {
    const handed: number[] = [];
    let failures = 0;
    t.deps.events.subscribeInOrder(['test.ordered'], 'test.in-order', async (event) => {
      if (event.n === 1 && failures++ === 0) throw new Error('not this time');
      handed.push(event.n as number);
    });
    const raise = (n: number) =>
      commitChange(t.deps, async () => ({ result: n, events: [{ type: 'test.ordered', n } as never] }));
    await raise(1);
    expect(handed).toEqual([]);
    await raise(2);
    expect(handed).toEqual([1, 2]);
  });

  it('do not exist for a change that was rolled back', async () => {
    const before = await t.deps.db.select({ n: sql<number>`count(*)::int` }).from(domainEvents);
    await t.deps.db
      .transaction(async (tx) => {
        await t.deps.events.publish(tx as never, [
          { type: 'escalation.claimed', escalationId: '00000000-0000-4000-8000-000000000000', userId: 'U0NOBODY' },
        ]);
        throw new Error('the change failed');
      })
      .catch(() => {});
    await t.deps.events.dispatch();
    expect(await t.deps.db.select({ n: sql<number>`count(*)::int` }).from(domainEvents)).toEqual(before);
    expect(
      ofType('escalation.claimed').filter((e) => (e as ReceivedEvent<'escalation.claimed'>).userId === 'U0NOBODY'),
    ).toEqual([]);
  });
});
