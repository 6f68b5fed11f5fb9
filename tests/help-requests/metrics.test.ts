// The digest's help-request numbers, read from the database for a time range after real use.
import { describe, expect, it } from 'vitest';
import { createHelpRequestsRepository } from '../../src/help-requests/help-requests.repository.ts';
import { field, stateValues } from '../support/payloads.ts';
import { ask, click, command, HELP_CHANNEL, requestAskedBy, useHelpTestApp, waitCall } from './help-test-helpers.ts';

const t = useHelpTestApp();

async function askAt(iso: string, asker: string, text: string) {
  t.clock.set(iso);
  await ask(t, text, asker);
  return requestAskedBy(t, asker);
}
async function claimAt(iso: string, request: Awaited<ReturnType<typeof askAt>>, helper: string) {
  t.clock.set(iso);
  await click(t, 'help_claim', request, helper);
  await waitCall(
    t,
    'chat.postMessage',
    (c) => c.args.channel === request.askerId && String(c.args.text).includes(helper),
  );
}
async function solveAt(iso: string, request: Awaited<ReturnType<typeof askAt>>) {
  t.clock.set(iso);
  await t.driver.viewSubmission({
    callback_id: 'help_solve_modal',
    user_id: request.askerId,
    private_metadata: String(request.id),
    values: stateValues({ 'help_top_helpers/top_helpers': field.users([]) }),
  });
  await waitCall(
    t,
    'chat.update',
    (c) => c.args.ts === request.messageTs && String(c.args.text).startsWith('[Solved]'),
  );
}

describe('help request metrics for the digest', () => {
  it('counts only the range asked about, with medians, top helpers and topics', async () => {
    await t.deps.workspace.helpChannel.set(HELP_CHANNEL);
    await command(t, '/frontline', 'skills add sso', 'U0SSO');
    const before = await askAt('2026-02-27T09:00:00Z', 'U0M0', 'Asked the week before, does it count?');
    const a = await askAt('2026-03-02T09:00:00Z', 'U0M1', 'sso: Okta loops for Acme');
    const b = await askAt('2026-03-03T09:00:00Z', 'U0M2', 'Can we waive a late fee?');
    await askAt('2026-03-04T09:00:00Z', 'U0M3', 'Nobody will answer this one, sadly');
    await claimAt('2026-03-02T09:06:00Z', a, 'U0HA');
    await claimAt('2026-03-02T09:10:00Z', a, 'U0HB');
    await claimAt('2026-03-03T09:20:00Z', b, 'U0HA');
    await claimAt('2026-03-02T10:00:00Z', before, 'U0HC');
    await solveAt('2026-03-02T10:00:00Z', a);

    const metrics = await createHelpRequestsRepository(t.deps).metrics({
      from: new Date('2026-03-02T00:00:00Z'),
      to: new Date('2026-03-09T00:00:00Z'),
    });
    expect(metrics).toMatchObject({
      asked: 3,
      answered: 2,
      solved: 1,
      medianMinutesToFirstHelper: 13,
      medianMinutesToSolve: 60,
    });
    expect(metrics.topHelpers).toEqual([
      { userId: 'U0HA', helped: 2 },
      { userId: 'U0HB', helped: 1 },
      { userId: 'U0HC', helped: 1 },
    ]);
    expect(metrics.byTopic).toEqual([
      { topic: 'sso', asked: 1, answered: 1, solved: 1 },
      { topic: null, asked: 2, answered: 1, solved: 0 },
    ]);
  });
});
