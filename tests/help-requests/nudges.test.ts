// Unclaimed requests get nudged: in the thread at N minutes, the support leads by DM at 2N, each once
// even with two app processes sharing the database.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createDepartmentsRepository } from '../../src/departments/departments.repository.ts';
import { NUDGE_JOB } from '../../src/help-requests/help-requests.jobs.ts';
import { ADMIN, startTestApp, type TestApp } from '../support/test-app.ts';
import {
  ask,
  click,
  command,
  dmsTo,
  HELP_CHANNEL,
  requestAskedBy,
  useHelpTestApp,
  waitCall,
} from './help-test-helpers.ts';

const t = useHelpTestApp();
let second: TestApp;

beforeAll(async () => {
  second = await startTestApp({ database: t.database, fake: t.fake, clock: t.clock });
  await t.deps.workspace.helpChannel.set(HELP_CHANNEL);
});
afterAll(async () => {
  await second.stop(); // its own pool; the database is the first app's
});

/** Runs the nudge job in both processes at once, for two different slots, as overlapping schedulers might. */
async function runBothSchedulers() {
  const now = t.clock.now();
  await Promise.all([
    t.deps.scheduler.runSlot(NUDGE_JOB, now),
    second.deps.scheduler.runSlot(NUDGE_JOB, new Date(now.getTime() + 1)),
  ]);
}

const threadNudges = (ts: string) => t.fake.callsTo('chat.postMessage').filter((c) => c.args.thread_ts === ts);

describe('nudges for unclaimed help requests', () => {
  it('refuses a bad nudge time and keeps the old one', async () => {
    const reply = await command(t, '/frontline', 'set help-nudge-minutes soon', ADMIN);
    expect(reply.text).toContain('Give a number of minutes');
    expect(await second.deps.settings.find('help-nudge-minutes')?.get()).toBeUndefined();
  });

  it('nudges the topic’s experts in the thread after N minutes and the support leads after 2N, once each', async () => {
    expect((await command(t, '/frontline', 'set help-nudge-minutes 10', ADMIN)).text).toContain('10 minutes');
    await t.deps.workspace.supportChannel.set('C0SUPPORT');
    await createDepartmentsRepository(t.deps).upsert({
      key: 'support',
      name: 'Support',
      channelId: 'C0SUPPORT',
      leads: ['U0LEADA', 'U0LEADB'],
    });
    await command(t, '/frontline', 'skills add vpn', 'U0VPNEXP');
    await ask(t, 'vpn: The customer’s VPN drops every hour, ideas?', 'U0WAITER');
    const request = await requestAskedBy(t, 'U0WAITER');

    t.clock.advanceMinutes(9);
    await runBothSchedulers();
    expect(threadNudges(request.messageTs!)).toHaveLength(0);

    t.clock.advanceMinutes(1);
    await runBothSchedulers();
    await runBothSchedulers();
    const nudges = threadNudges(request.messageTs!);
    expect(nudges).toHaveLength(1);
    expect(nudges[0]?.args).toMatchObject({
      channel: HELP_CHANNEL,
      text: expect.stringContaining('<@U0VPNEXP>, you know *vpn*'),
    });
    expect(dmsTo(t, 'U0LEADA')).toEqual([]);

    t.clock.advanceMinutes(10);
    await runBothSchedulers();
    await runBothSchedulers();
    for (const lead of ['U0LEADA', 'U0LEADB']) {
      expect(dmsTo(t, lead)).toEqual([expect.stringContaining('has waited 20 minutes and nobody has picked it up')]);
    }
    expect(threadNudges(request.messageTs!)).toHaveLength(1);
  });

  it('does not nudge a request someone picked up, and DMs the admins when the support channel has no leads', async () => {
    await t.deps.workspace.supportChannel.set('C0NOLEADS');
    await ask(t, 'Which plan includes SSO for 20 seats?', 'U0PICKED');
    await ask(t, 'Does the API support webhooks retries?', 'U0LONELY');
    const picked = await requestAskedBy(t, 'U0PICKED');
    const lonely = await requestAskedBy(t, 'U0LONELY');
    await click(t, 'help_claim', picked, 'U0HELPER');
    await waitCall(t, 'chat.update');

    t.clock.advanceMinutes(25);
    await runBothSchedulers();
    expect(threadNudges(picked.messageTs!)).toHaveLength(0);
    expect(threadNudges(lonely.messageTs!)).toEqual([
      expect.objectContaining({
        args: expect.objectContaining({ text: expect.stringContaining('waited 10 minutes without a helper') }),
      }),
    ]);
    expect(dmsTo(t, ADMIN)).toEqual([expect.stringContaining('<@U0LONELY>’s help request')]);
  });
});
