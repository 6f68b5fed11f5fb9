// Who may act and who is told: a claimer hears when someone else resolves or moves their
// escalation, and the digest (which quotes customers) is kept from guests.
import { eq } from 'drizzle-orm';
import { beforeAll, describe, expect, it } from 'vitest';
import { digestSubscribers } from '../../src/digests/digests.table.ts';
import { createEscalationsRepository } from '../../src/escalations/escalations.repository.ts';
import { click, messageOf, raised, seedDepartments } from '../escalations/helpers.ts';
import { field, stateValues } from '../support/payloads.ts';
import { ADMIN, useTestApp } from '../support/test-app.ts';

const t = useTestApp();
const repo = () => createEscalationsRepository(t.deps);
const ANN = 'U0ANN';
const BOB = 'U0BOB';
const GUEST = 'U0GUEST';
const SINGLE_CHANNEL_GUEST = 'U0SCGUEST';
const MEMBER = 'U0MEMBER';

beforeAll(async () => {
  await seedDepartments(t);
  t.fake.setUser({ id: GUEST, is_restricted: true });
  t.fake.setUser({ id: SINGLE_CHANNEL_GUEST, is_restricted: true, is_ultra_restricted: true });
});

const dmsTo = (user: string) =>
  t.fake
    .callsTo('chat.postMessage')
    .filter((c) => c.args.channel === user)
    .map((c) => String(c.args.text));

async function frontline(text: string, user: string): Promise<string> {
  const url = t.fake.responseUrl();
  await t.driver.command({ command: '/frontline', text, user_id: user, response_url: url });
  return (await t.fake.waitForResponse((r) => url.endsWith(`/${r.id}`), 10_000)).body.text as string;
}

describe('someone else’s claimed escalation', () => {
  it('may be resolved by another person: it is recorded as theirs and the claimer is told', async () => {
    const e = await raised(t, 'Resolved by someone else');
    await click(t, 'escalation_claim', e, ANN);
    await t.fake.waitForCall('chat.update', (c) => JSON.stringify(c.args.blocks).includes(ANN));
    await t.driver.viewSubmission({
      callback_id: 'escalation_resolve_modal',
      view_id: 'V0OTHER1',
      private_metadata: e.id,
      user_id: BOB,
      values: stateValues({ 'escalation_resolution/resolution': field.text('Sent the refund.') }),
    });
    const dm = await t.fake.waitForCall('chat.postMessage', (c) => c.args.channel === ANN);
    expect(dm.args.text).toContain(`<@${BOB}> resolved the escalation you claimed, “Resolved by someone else”`);
    expect(dm.args.text).toContain('Sent the refund.');
    expect(await repo().get(e.id)).toMatchObject({ status: 'resolved', resolvedBy: BOB, claimerId: ANN });
    expect((await repo().events(e.id)).map((ev) => [ev.kind, ev.actorId])).toEqual([
      ['created', 'U0AGENT'],
      ['claimed', ANN],
      ['resolved', BOB],
    ]);
  });

  it('may be moved by another person, and the claimer is told where it went', async () => {
    const e = await raised(t, 'Moved by someone else');
    await click(t, 'escalation_claim', e, ANN);
    await t.fake.waitForCall(
      'chat.update',
      (c) => JSON.stringify(c.args.blocks).includes(ANN) && c.args.ts === e.messageTs,
    );
    await t.driver.viewSubmission({
      callback_id: 'escalation_reassign_modal',
      view_id: 'V0OTHER2',
      private_metadata: e.id,
      user_id: BOB,
      values: stateValues({
        'escalation_reassign_department/department': field.select('legal'),
        'escalation_reassign_reason/reason': field.text('Contract terms'),
      }),
    });
    const dm = await t.fake.waitForCall(
      'chat.postMessage',
      (c) => c.args.channel === ANN && String(c.args.text).includes('moved'),
    );
    expect(dm.args.text).toContain(
      `<@${BOB}> moved the escalation you claimed, “Moved by someone else” (ESC-${e.number}), to *Legal*. Why: Contract terms`,
    );
    expect(JSON.stringify(messageOf(t, e)?.blocks)).toContain('Reassigned to *Legal*');
    expect((await repo().events(e.id)).map((ev) => [ev.kind, ev.actorId])).toEqual([
      ['created', 'U0AGENT'],
      ['claimed', ANN],
      ['reassigned', BOB],
    ]);
  });

  it('tells nobody extra when the claimer resolves it themselves', async () => {
    const e = await raised(t, 'Resolved by its claimer');
    await click(t, 'escalation_claim', e, ANN);
    await t.fake.waitForCall('chat.update', (c) => c.args.ts === e.messageTs);
    await t.driver.viewSubmission({
      callback_id: 'escalation_resolve_modal',
      view_id: 'V0OWN1',
      private_metadata: e.id,
      user_id: ANN,
      values: stateValues({ 'escalation_resolution/resolution': field.text('Done.') }),
    });
    await t.fake.waitForCall('chat.postMessage', (c) => String(c.args.text).includes('was resolved by'));
    expect(dmsTo(ANN)).toEqual([]);
  });
});

describe('the digest and guests', () => {
  it('refuses guests a preview or a subscription, and members get both (the default audience)', async () => {
    for (const guest of [GUEST, SINGLE_CHANNEL_GUEST]) {
      expect(await frontline('digest preview', guest)).toContain('not guests');
      expect(await frontline('digest subscribe', guest)).toContain('not guests');
    }
    expect(await t.deps.db.select().from(digestSubscribers).where(eq(digestSubscribers.userId, GUEST))).toEqual([]);
    expect(await frontline('digest preview', MEMBER)).toContain('Customer digest');
    expect(await frontline('digest subscribe', MEMBER)).toContain('You will get the weekly customer digest');
  });

  it('follows /frontline set digest-audience: admins only, or everyone', async () => {
    expect(await frontline('set digest-audience admins', ADMIN)).toContain('`digest-audience` is now admins');
    expect(await frontline('digest preview', MEMBER)).toContain('for Frontline admins');
    expect(await frontline('digest preview', ADMIN)).toContain('Customer digest');
    expect(await frontline('set digest-audience everyone', ADMIN)).toContain('is now everyone');
    expect(await frontline('digest preview', GUEST)).toContain('Customer digest');
    expect(await frontline('set digest-audience nobody', ADMIN)).toContain('Pick everyone, members or admins');
    await frontline('set digest-audience members', ADMIN);
  });

  it('does not send the digest to a subscriber who has become a guest', async () => {
    await t.deps.db
      .insert(digestSubscribers)
      .values([{ userId: GUEST, subscribedAt: t.clock.now() }])
      .onConflictDoNothing();
    expect(await frontline('digest send', ADMIN)).toContain('Digest sent');
    expect(dmsTo(GUEST)).toEqual([]);
    expect(dmsTo(MEMBER)).toHaveLength(1);
  });
});
