// One message per person about their shadow sessions, and one per host and session, each edited in
// place as plans change: offers, answers, sessions passing, a restart, a deleted rotation.
import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { ROTATION_IDS as IDS } from '../../src/rotations/rotations.ids.ts';
import { runConfirmed } from '../support/confirm-step.ts';
import { ADMIN, startTestApp, type TestApp, useTestApp } from '../support/test-app.ts';
import { dmsTo, hostMessageOf, seatsOf, sessionsMessageOf, setUpRotation } from './helpers.ts';

const t = useTestApp();
let restarted: TestApp;
beforeAll(async () => {
  // Another process on the same database and Slack: it knows only what the database keeps.
  restarted = await startTestApp({ database: t.database, fake: t.fake, clock: t.clock });
});
afterAll(async () => {
  await restarted?.stop();
});
beforeEach(() => t.clock.set('2026-03-02T10:00:00Z'));

/** Presses a button in a shadow's sessions message (through `app`) and returns the private answer. */
async function press(actionId: string, sessionId: number, user: string, app: TestApp = t) {
  const url = t.fake.responseUrl();
  const message = await sessionsMessageOf(t, user);
  await app.driver.blockAction({
    action_id: actionId,
    value: String(sessionId),
    user_id: user,
    channel_id: message.channel,
    message_ts: message.ts,
    response_url: url,
  });
  return String((await t.fake.waitForResponse((r) => url.endsWith(`/${r.id}`))).body.text);
}

const updatesTo = (channel: string, ts: string) =>
  t.fake.callsTo('chat.update').filter((c) => c.args.channel === channel && c.args.ts === ts);
const runJob = (app: TestApp, name: string) =>
  app.deps.scheduler.runSlot(name, new Date(Math.floor(t.clock.now().getTime() / 60_000) * 60_000));

describe('a person’s sessions message', () => {
  it('lists several offers in one DM and edits it as more arrive', async () => {
    const rotation = await setUpRotation(t, { name: 'Burst', users: ['U20A'], hosts: ['UHOST20'], planAhead: '3' });
    const seats = await seatsOf(t, rotation.id);
    expect(seats).toHaveLength(3);
    expect(dmsTo(t, 'U20A')).toHaveLength(1);
    const message = await sessionsMessageOf(t, 'U20A');
    expect(message.buttonValues).toEqual(seats.map((s) => String(s.id)));
    for (const seat of seats)
      expect(message.buttonsFor(seat.id)).toEqual(['Accept', 'Swap to a later date', "Can't make it"]);
    expect(message.fallback).toContain('3 shadow sessions planned for you. Next: Burst, <!date^');
    expect(message.fallback).toContain('3 waiting for your answer');

    // A week on, the plan reaches one week further: the same message gains the new session.
    t.clock.set('2026-03-09T10:00:00Z');
    expect(await runJob(t, 'rotations.plan')).toBe(true);
    const later = await seatsOf(t, rotation.id);
    expect(later).toHaveLength(4);
    expect(dmsTo(t, 'U20A')).toHaveLength(1);
    expect(updatesTo(message.channel, message.ts).length).toBeGreaterThan(0);
    const now = await sessionsMessageOf(t, 'U20A');
    expect(now.ts).toBe(message.ts);
    // The first session has passed: only the three to come are listed.
    expect(now.buttonValues).toEqual(later.slice(1).map((s) => String(s.id)));
  });

  it('keeps Swap and Can’t make it after Accept until the session starts, then drops the session', async () => {
    const rotation = await setUpRotation(t, { name: 'Until start', users: ['U23A'], planAhead: '2' });
    const [first, second] = await seatsOf(t, rotation.id);
    expect(await press(IDS.accept, first!.id, 'U23A')).toContain('You accepted *Until start*');
    const accepted = await sessionsMessageOf(t, 'U23A');
    expect(accepted.buttonsFor(first!.id)).toEqual(['Swap to a later date', "Can't make it"]);
    expect(accepted.buttonsFor(second!.id)).toEqual(['Accept', 'Swap to a later date', "Can't make it"]);
    expect(accepted.fallback).toContain('1 waiting for your answer');

    // The session starts: the notices job takes it off the message, and its buttons no longer act.
    t.clock.set(new Date(first!.startsAt.getTime() + 60_000));
    expect(await runJob(t, 'rotations.notices')).toBe(true);
    const started = await sessionsMessageOf(t, 'U23A');
    expect(started.ts).toBe(accepted.ts);
    expect(started.buttonValues).toEqual([String(second!.id)]);
    expect(await press(IDS.swap, first!.id, 'U23A')).toContain('no longer yours to change');
  });

  it('ends with the latest state when answers land at once, in two processes', async () => {
    const rotation = await setUpRotation(t, { name: 'At once', users: ['U24A'], planAhead: '3' });
    const seats = await seatsOf(t, rotation.id);
    await Promise.all(seats.map((s, i) => press(IDS.accept, s.id, 'U24A', i % 2 ? restarted : t)));
    const message = await sessionsMessageOf(t, 'U24A');
    for (const seat of seats) expect(message.buttonsFor(seat.id)).toEqual(['Swap to a later date', "Can't make it"]);
    expect(message.fallback).not.toContain('waiting for your answer');
    expect(dmsTo(t, 'U24A')).toHaveLength(1);
  });

  it('keeps editing the same messages after a restart', async () => {
    const rotation = await setUpRotation(t, { name: 'Restart', users: ['U22A'], hosts: ['UHOST22'], planAhead: '2' });
    const [first] = await seatsOf(t, rotation.id);
    const before = await sessionsMessageOf(t, 'U22A');
    const host = await hostMessageOf(t, first!, 'UHOST22');
    // The other process answers: it finds both messages through the database.
    expect(await press(IDS.accept, first!.id, 'U22A', restarted)).toContain('You accepted');
    expect((await sessionsMessageOf(t, 'U22A')).buttonsFor(first!.id)).toEqual([
      'Swap to a later date',
      "Can't make it",
    ]);
    expect(updatesTo(before.channel, before.ts)).toHaveLength(1);
    expect((await hostMessageOf(t, first!, 'UHOST22')).text).toContain('<@U22A> (accepted) will shadow you');
    expect(updatesTo(host.channel, host.ts)).toHaveLength(1);
    expect(dmsTo(t, 'U22A')).toHaveLength(1);
    expect(dmsTo(t, 'UHOST22')).toHaveLength(2);
  });

  it('posts the message again when it is gone from Slack, and edits the new one from then on', async () => {
    const rotation = await setUpRotation(t, { name: 'Gone', users: ['U26A'], planAhead: '2' });
    const [first, second] = await seatsOf(t, rotation.id);
    const old = await sessionsMessageOf(t, 'U26A');
    const bot = await t.deps.slack.chat.delete({ channel: old.channel, ts: old.ts });
    expect(bot.ok).toBe(true);
    // The first session starts: the message to edit is gone, so it is posted again. (A minute of
    // its own: the job runs once per minute, and another test ran it at the start's next minute.)
    t.clock.set(new Date(first!.startsAt.getTime() + 3 * 60_000));
    expect(await runJob(t, 'rotations.notices')).toBe(true);
    const again = await sessionsMessageOf(t, 'U26A');
    expect(again.ts).not.toBe(old.ts);
    expect(again.buttonValues).toEqual([String(second!.id)]);
    await press(IDS.accept, second!.id, 'U26A');
    expect((await sessionsMessageOf(t, 'U26A')).ts).toBe(again.ts);
    // Posted twice in all: first to the person, then again to the DM it had landed in.
    const posts = t.fake
      .callsTo('chat.postMessage')
      .filter((c) => [old.channel, 'U26A'].includes(String(c.args.channel)));
    expect(posts).toHaveLength(2);
  });

  it('shows sessions of a deleted rotation struck out, and tells their hosts', async () => {
    const rotation = await setUpRotation(t, { name: 'Doomed', users: ['U25A'], hosts: ['UHOST25'], planAhead: '1' });
    const [seat] = await seatsOf(t, rotation.id);
    const { answer } = await runConfirmed(t, { command: '/shadow', text: 'delete Doomed', user: ADMIN });
    expect(answer).toContain('Deleted *Doomed*');
    const message = await sessionsMessageOf(t, 'U25A');
    expect(message.buttonValues).toEqual([]);
    expect(message.fallback).toBe('You have no shadow sessions planned right now.');
    expect(message.text).toContain('(the rotation was deleted)');
    expect((await hostMessageOf(t, seat!, 'UHOST25')).text).toContain('The rotation was deleted');
    expect(dmsTo(t, 'U25A')).toHaveLength(1);
  });
});

describe('the host’s message about a session', () => {
  it('names the shadow, follows Accept and Can’t make it, and says when nobody is left', async () => {
    const rotation = await setUpRotation(t, { name: 'Host view', users: ['U21A'], hosts: ['UHOST21'], planAhead: '1' });
    const [seat] = await seatsOf(t, rotation.id);
    const offered = await hostMessageOf(t, seat!, 'UHOST21');
    expect(offered.fallback).toContain('<@U21A> (not answered yet) will shadow you in your Host view session');

    await press(IDS.accept, seat!.id, 'U21A');
    expect((await hostMessageOf(t, seat!, 'UHOST21')).text).toContain('<@U21A> (accepted) will shadow you');

    expect(await press(IDS.cantMakeIt, seat!.id, 'U21A')).toContain('passed this session');
    const left = await hostMessageOf(t, seat!, 'UHOST21');
    expect(left.ts).toBe(offered.ts);
    expect(left.text).toContain(
      "Nobody shadows you in this session now: <@U21A> can't make it and nobody else is free that day.",
    );
    expect(dmsTo(t, 'UHOST21')).toHaveLength(1);
  });
});
