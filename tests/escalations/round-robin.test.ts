// Round-robin assignment through signed requests: turn order skipping someone away (`/shadow away`),
// two escalations at once, hand back, claim by anyone, and none outside working hours.
import { beforeAll, describe, expect, it } from 'vitest';
import { createEscalationsRepository } from '../../src/escalations/escalations.repository.ts';
import { CRASH_APOLOGY } from '../support/answers.ts';
import { useTestApp } from '../support/test-app.ts';
import {
  click,
  clickForReply,
  escalate,
  frontline,
  messageOf,
  PATIENCE_MS,
  raised,
  replyAt,
  seedDepartments,
  withSummary,
} from './helpers.ts';

const t = useTestApp();
const TEAM = 'S0BILLTEAM';
const [ANN, BOB, CARA] = ['U0ANN', 'U0BOB', 'U0CARA'];
const repo = () => createEscalationsRepository(t.deps);

beforeAll(async () => {
  await seedDepartments(t);
  t.fake.setUsergroup(TEAM, [CARA, BOB, ANN]);
  t.fake.setUsergroup('S0EMPTY', []);
});

const dmsTo = (user: string) => t.fake.callsTo('chat.postMessage').filter((c) => c.args.channel === user);

describe('round-robin', () => {
  it('is turned on with a user group mention, refused for an unknown or empty group, and listed', async () => {
    expect(await frontline(t, 'dept assign billing round-robin <!subteam^S0NOPE|@nope>')).toContain(
      'Slack does not know that user group',
    );
    // Slack not answering is our failure, not an unknown group: the admin is told so and nothing changes.
    t.fake.failNext('usergroups.users.list', { status: 503 }, 10);
    const failed = await frontline(t, `dept assign billing round-robin <!subteam^${TEAM}|@billing-team>`);
    t.fake.clearFailures();
    expect(failed).toContain(CRASH_APOLOGY);
    expect(failed).not.toContain('user group');
    expect(await frontline(t, 'dept list', 'U0ANYONE')).not.toContain('round-robin to');
    expect(await frontline(t, 'dept assign billing round-robin <!subteam^S0EMPTY|@empty>')).toContain(
      'has nobody in it yet',
    );
    expect(await frontline(t, 'dept assign billing sideways')).toContain('Say `round-robin`');
    expect(await frontline(t, `dept assign billing round-robin <!subteam^${TEAM}|@billing-team>`)).toContain(
      'go in turn to a member of @billing-team',
    );
    // Named, not mentioned: a mention would notify the whole group.
    const list = await frontline(t, 'dept list', 'U0ANYONE');
    expect(list).toContain('round-robin to @billing-team');
    expect(list).not.toContain('<!subteam');
  });

  it('assigns in turn, skipping whoever is away, and never gives two escalations at once the same turn', async () => {
    const url = t.fake.responseUrl();
    await t.driver.command({ command: '/shadow', text: 'away 2026-03-02', user_id: BOB, response_url: url });
    expect(await replyAt(t, url)).toContain('2026-03-02');

    const first = await raised(t, 'First in turn');
    expect(first.assigneeId).toBe(ANN);
    const dm = await t.fake.waitForCall('chat.postMessage', (c) => c.args.channel === ANN, PATIENCE_MS);
    expect(dm.args.text).toContain('It is your turn: a high escalation for *Billing* in <#C0BILLING>');
    expect(JSON.stringify(dm.args.blocks)).toContain('Hand back to queue');
    expect(JSON.stringify(messageOf(t, first)?.blocks)).toContain(`Assigned in turn to <@${ANN}>`);

    expect((await raised(t, 'Second in turn')).assigneeId).toBe(CARA); // Bob is away today
    expect((await raised(t, 'Third in turn')).assigneeId).toBe(ANN);

    // Two at once: each takes its own turn (Cara's, then Ann's), whatever order they land in.
    await Promise.all([escalate(t, 'billing high Together A'), escalate(t, 'billing high Together B')]);
    const together = [...(await withSummary(t, 'Together A')), ...(await withSummary(t, 'Together B'))];
    expect(together.map((e) => e.assigneeId).sort()).toEqual([ANN, CARA]);

    // Bob is back the next day: his turn comes after Ann's.
    t.clock.set('2026-03-03T10:00:00Z');
    expect((await raised(t, 'Bob is back')).assigneeId).toBe(BOB);
    t.clock.set('2026-03-02T10:00:00Z');
  });

  it('lets only the assignee hand it back, and anyone claim it', async () => {
    const e = await raised(t, 'Hand me back');
    const assignee = e.assigneeId!;
    const other = [ANN, BOB, CARA].find((id) => id !== assignee)!;
    expect(await clickForReply(t, 'escalation_hand_back', e, other)).toContain(
      `assigned to <@${assignee}>; only they can hand it back`,
    );
    await click(t, 'escalation_hand_back', e, assignee);
    await t.fake.waitForCall('chat.postMessage', (c) => String(c.args.text).includes('handed this back'), PATIENCE_MS);
    const back = await repo().get(e.id);
    expect(back).toMatchObject({ status: 'open', assigneeId: null });
    const card = JSON.stringify(messageOf(t, e)?.blocks);
    expect(card).toContain('Waiting for someone to claim it');
    expect(card).not.toContain('Hand back to queue');
    expect(await clickForReply(t, 'escalation_hand_back', e, assignee)).toContain('not assigned to anyone');

    // Someone outside the group claims an assigned one.
    const next = await raised(t, 'Claimed by an outsider');
    expect(next.assigneeId).toBeTruthy();
    await click(t, 'escalation_claim', next, 'U0DAN');
    await t.fake.waitForCall('chat.postMessage', (c) => String(c.args.text).includes('<@U0DAN> claimed this.'));
    expect(await repo().get(next.id)).toMatchObject({ status: 'claimed', claimerId: 'U0DAN' });
  });

  it('warns the assignee, not the leads, when an assigned escalation is due soon', async () => {
    const e = await raised(t, 'Warn my assignee'); // high: acknowledge within 60 minutes
    t.clock.set('2026-03-02T10:45:00Z');
    await t.deps.scheduler.runSlot('escalations.sla-check', t.clock.now());
    const warning = t.fake
      .callsTo('chat.postMessage')
      .find((c) => c.args.thread_ts === e.messageTs && String(c.args.text).includes('Due soon'));
    expect(warning?.args.text).toContain(`<@${e.assigneeId}>, it was assigned to you: can you claim it?`);
    t.clock.set('2026-03-02T10:00:00Z');
  });

  it('leaves escalations in the queue outside working hours, and when turned off', async () => {
    t.clock.set('2026-03-02T20:00:00Z');
    expect((await raised(t, 'At night')).assigneeId).toBeNull();
    expect(dmsTo(ANN).concat(dmsTo(CARA))).toEqual([]);
    t.clock.set('2026-03-02T10:00:00Z');
    expect(await frontline(t, 'dept assign billing off')).toContain('wait in the queue');
    expect((await raised(t, 'Turned off')).assigneeId).toBeNull();
  });
});
