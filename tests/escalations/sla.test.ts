// SLA reminders: once per threshold, with two app processes sharing one database, in working hours.

import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { runSlaCheck } from '../../src/escalations/escalations.jobs.ts';
import { createEscalationsRepository } from '../../src/escalations/escalations.repository.ts';
import { createEscalationDeps } from '../../src/escalations/escalations.usecases.ts';
import { OUTBOX_JOB } from '../../src/slack/housekeeping.ts';
import { startTestApp, type TestApp, useTestApp } from '../support/test-app.ts';
import { BILLING, click, raised, seedDepartments } from './helpers.ts';

const t = useTestApp();
let second: TestApp;
const JOB = 'escalations.sla-check';
const LEAD = BILLING.leads[0]!;
const repo = () => createEscalationsRepository(t.deps);

beforeAll(async () => {
  await seedDepartments(t);
  second = await startTestApp({ database: t.database, fake: t.fake, clock: t.clock });
});
afterAll(async () => {
  // The database belongs to the first app: stop only the second app's server, scheduler and pool.
  await second.frontline.app.stop();
  await second.deps.scheduler.stop();
  if (t.database.label === 'postgres') await second.deps.database.close();
});

const at = (iso: string) => {
  t.clock.set(iso);
  return new Date(iso);
};
const threadPosts = (e: { channelId: string | null; messageTs: string | null }) =>
  t.fake.callsTo('chat.postMessage').filter(
    (c) =>
      c.args.channel === e.channelId &&
      c.args.thread_ts === e.messageTs &&
      !String(c.args.text).includes('> claimed this.') &&
      // Due-soon warnings have their own test (sla-calendar.test.ts).
      !String(c.args.text).includes('Due soon'),
  );
const dmsTo = (user: string) => t.fake.callsTo('chat.postMessage').filter((c) => c.args.channel === user);

describe('SLA reminders', () => {
  it('reminds in the thread at the ack target, DMs leads at twice, reminds claimer and leads at the resolve target — each once', async () => {
    at('2026-03-02T10:00:00Z');
    const e = await raised(t, 'Urgent refund', 'billing', 'urgent'); // ack 15m, resolve 4h

    expect(await t.deps.scheduler.runSlot(JOB, at('2026-03-02T10:14:00Z'))).toBe(true);
    expect(threadPosts(e)).toHaveLength(0);

    // Both processes' schedulers fire for the same minute: one runs it.
    const slot = at('2026-03-02T10:15:00Z');
    expect(
      (await Promise.all([t.deps.scheduler.runSlot(JOB, slot), second.deps.scheduler.runSlot(JOB, slot)])).filter(
        Boolean,
      ),
    ).toHaveLength(1);
    expect(threadPosts(e)).toHaveLength(1);
    expect(threadPosts(e)[0]!.args.text).toContain(
      `Nobody has claimed this after 15 min (target 15m). <@${LEAD}>, can someone pick it up?`,
    );

    // Later minutes, on either process, do not repeat it.
    await second.deps.scheduler.runSlot(JOB, at('2026-03-02T10:16:00Z'));
    await t.deps.scheduler.runSlot(JOB, at('2026-03-02T10:17:00Z'));
    expect(threadPosts(e)).toHaveLength(1);
    expect(dmsTo(LEAD)).toHaveLength(0);

    // Twice the target: the leads get a DM, once, even when two processes run different slots at once.
    await Promise.all([
      t.deps.scheduler.runSlot(JOB, at('2026-03-02T10:30:00Z')),
      second.deps.scheduler.runSlot(JOB, new Date('2026-03-02T10:30:30Z')),
    ]);
    await second.deps.scheduler.runSlot(JOB, at('2026-03-02T10:31:00Z'));
    expect(dmsTo(LEAD)).toHaveLength(1);
    expect(dmsTo(LEAD)[0]!.args.text).toContain('has waited 30 min unclaimed, twice its target');
    expect(dmsTo(LEAD)[0]!.args.text).toContain(e.messageUrl!);

    // Claimed: no more ack reminders; past the resolve target the claimer and leads are reminded.
    await click(t, 'escalation_claim', e, 'U0ANN');
    await t.fake.waitForCall('chat.postMessage', (c) => String(c.args.text).includes('> claimed this.'));
    await t.deps.scheduler.runSlot(JOB, at('2026-03-02T13:59:00Z'));
    expect(threadPosts(e)).toHaveLength(1);
    await Promise.all([
      t.deps.scheduler.runSlot(JOB, at('2026-03-02T14:00:00Z')),
      second.deps.scheduler.runSlot(JOB, new Date('2026-03-02T14:00:01Z')),
    ]);
    await t.deps.scheduler.runSlot(JOB, at('2026-03-02T14:05:00Z'));
    expect(threadPosts(e)).toHaveLength(2);
    expect(threadPosts(e)[1]!.args.text).toContain(
      `past its resolve target (4h). <@U0ANN> <@${LEAD}>, please resolve it`,
    );
    expect(
      (await repo().events(e.id)).filter((ev) => ev.kind === 'reminded').map((ev) => ev.detail?.threshold),
    ).toEqual(['ack_warning', 'ack', 'ack_alert', 'resolve_warning', 'resolve']);
  });

  it('waits for working hours before reminding about normal priority', async () => {
    at('2026-03-02T13:00:00Z'); // Monday 13:00 UTC; normal ack is 4 working hours → 17:00
    const e = await raised(t, 'Normal at the end of the day', 'billing', 'normal');
    expect(e.ackDueAt).toEqual(new Date('2026-03-02T17:00:00Z'));

    for (const time of [
      '2026-03-02T17:00:00Z',
      '2026-03-02T23:00:00Z',
      '2026-03-03T03:00:00Z',
      '2026-03-03T08:59:00Z',
    ]) {
      await t.deps.scheduler.runSlot(JOB, at(time));
    }
    expect(threadPosts(e)).toHaveLength(0);
    await t.deps.scheduler.runSlot(JOB, at('2026-03-03T09:00:00Z'));
    expect(threadPosts(e)).toHaveLength(1);
    expect(threadPosts(e)[0]!.args.text).toContain('after 20 h (target 4h of working time)');
    await second.deps.scheduler.runSlot(JOB, at('2026-03-03T09:01:00Z'));
    expect(threadPosts(e)).toHaveLength(1);
    await repo().resolve(e.id, LEAD, 'done', t.clock.now());
  });

  it('keeps a reminder Slack refused in the outbox and sends it once the next minute', async () => {
    at('2026-03-04T10:00:00Z');
    const e = await raised(t, 'Reminder retried', 'billing', 'urgent');
    t.fake.failNext('chat.postMessage', { status: 503 }, 3);
    await t.deps.scheduler.runSlot(JOB, at('2026-03-04T10:15:00Z'));
    expect(threadPosts(e)).toHaveLength(3); // the client's three attempts, all refused
    await t.deps.scheduler.runSlot(JOB, at('2026-03-04T10:16:00Z'));
    expect(threadPosts(e)).toHaveLength(3); // the SLA check does not send it again: the outbox has it
    await t.deps.scheduler.runSlot(OUTBOX_JOB, at('2026-03-04T10:16:00Z'));
    expect(threadPosts(e)).toHaveLength(4);
    expect(threadPosts(e)[3]!.args.text).toContain('Nobody has claimed this');
    await t.deps.scheduler.runSlot(JOB, at('2026-03-04T10:17:00Z'));
    await t.deps.scheduler.runSlot(OUTBOX_JOB, at('2026-03-04T10:17:00Z'));
    expect(threadPosts(e)).toHaveLength(4);
    expect((await repo().events(e.id)).filter((ev) => ev.kind === 'reminded')).toHaveLength(1);
  });

  it('reads when an escalation was last reopened only once a reminder is due for it, not for every live one each minute', async () => {
    at('2026-03-05T10:00:00Z');
    const mine = [await raised(t, 'Quiet one', 'billing', 'urgent'), await raised(t, 'Quiet two', 'billing', 'urgent')];
    const deps = createEscalationDeps(t.deps);
    const reads: string[] = [];
    const counted = {
      ...deps,
      repo: { ...deps.repo, lastReopenedAt: (id: string) => (reads.push(id), deps.repo.lastReopenedAt(id)) },
    };
    const readsOfMine = () => reads.filter((id) => mine.some((e) => e.id === id)).sort();
    await runSlaCheck(counted, at('2026-03-05T10:05:00Z')); // nothing due yet, nor due soon
    expect(readsOfMine()).toEqual([]);
    await runSlaCheck(counted, at('2026-03-05T10:15:00Z')); // both at their ack target
    expect(readsOfMine()).toEqual(mine.map((e) => e.id).sort());
    for (const e of mine) {
      expect(threadPosts(e)).toHaveLength(1);
      await repo().resolve(e.id, LEAD, 'done', t.clock.now());
    }
  });
});
