// After planning: reminders (once, even with two app processes), untaken-session alerts, the weekly
// schedule post, reflections and attendance, stats, App Home and the digest's metrics query.
import { eq, sql } from 'drizzle-orm';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { domainEvents } from '../../src/events/events.table.ts';
import { ROTATION_IDS as IDS } from '../../src/rotations/rotations.ids.ts';
import { shadowReflections } from '../../src/rotations/rotations.table.ts';
import { createSessionsRepository } from '../../src/rotations/sessions.repository.ts';
import { CRASH_APOLOGY } from '../support/answers.ts';
import { field, stateValues } from '../support/payloads.ts';
import { ADMIN, startTestApp, type TestApp, useTestApp } from '../support/test-app.ts';
import { dmsTo, seatsOf, sessionsMessageOf, setUpRotation, shadow } from './helpers.ts';

const t = useTestApp();
let second: TestApp;
beforeAll(async () => {
  second = await startTestApp({ database: t.database, fake: t.fake, clock: t.clock });
});
afterAll(async () => {
  await second?.stop(); // its own pool; the database is the first app's
});

const NOTICES = 'rotations.notices';
const minute = (iso: string) => new Date(iso);

describe('planning on a schedule', () => {
  it('plans once and announces once when two processes run the planning job together', async () => {
    t.clock.set('2026-03-02T10:00:00Z');
    t.fake.setUsergroup('S0TWO', ['U11A']);
    const rotation = await setUpRotation(t, { name: 'Twice', usergroup: 'S0TWO', planAhead: '3' });
    t.fake.setUsergroup('S0TWO', ['U11A', 'U11B', 'U11C']);
    t.clock.set('2026-03-02T11:05:00Z');
    await Promise.all([
      t.deps.scheduler.runSlot('rotations.plan', minute('2026-03-02T11:05:00Z')),
      second.deps.scheduler.runSlot('rotations.plan', minute('2026-03-02T12:05:00Z')),
    ]);
    const live = (await seatsOf(t, rotation.id)).filter((s) => s.status !== 'cancelled');
    expect(live).toHaveLength(3);
    // The newcomers joined at the back of the round: U11A's seats stay, nobody is offered twice,
    // and each person has one message listing their seats.
    for (const user of ['U11A', 'U11B', 'U11C']) {
      const mine = live.filter((s) => s.shadowId === user);
      expect(dmsTo(t, user).filter((c) => String(c.args.text).includes('Twice'))).toHaveLength(mine.length > 0 ? 1 : 0);
      if (mine.length > 0)
        expect((await sessionsMessageOf(t, user)).buttonValues).toEqual(mine.map((s) => String(s.id)));
    }
  });
});

describe('reminders and alerts', () => {
  it('reminds shadow and host the day before and 15 minutes before, once each with two schedulers', async () => {
    t.clock.set('2026-03-02T10:00:00Z');
    const rotation = await setUpRotation(t, { name: 'Reminders', users: ['U7A'], hosts: ['UHOST07'], planAhead: '1' });
    const [seat] = await seatsOf(t, rotation.id);
    expect(seat!.startsAt.toISOString()).toBe('2026-03-04T13:00:00.000Z');
    const before = dmsTo(t, 'U7A').length;

    // Day before: both processes run their own minute slots; the notice is claimed once.
    t.clock.set('2026-03-03T14:00:00Z');
    await Promise.all([
      t.deps.scheduler.runSlot(NOTICES, minute('2026-03-03T14:00:00Z')),
      second.deps.scheduler.runSlot(NOTICES, minute('2026-03-03T14:01:00Z')),
    ]);
    expect(await second.deps.scheduler.runSlot(NOTICES, minute('2026-03-03T14:00:00Z'))).toBe(false);
    const reminders = (user: string, words: string) =>
      dmsTo(t, user).filter((c) => String(c.args.text).includes(words));
    expect(reminders('U7A', 'is tomorrow')).toHaveLength(1);
    expect(reminders('UHOST07', 'is tomorrow')).toHaveLength(1);
    expect(reminders('UHOST07', 'is tomorrow')[0]!.args.text).toContain('shadowed by <@U7A>');
    // Nobody accepted yet: admins hear about it, once.
    expect(
      dmsTo(t, ADMIN).filter((c) => String(c.args.text).includes('Nobody has accepted the Reminders')),
    ).toHaveLength(1);

    t.clock.set('2026-03-04T12:47:00Z');
    await Promise.all([
      t.deps.scheduler.runSlot(NOTICES, minute('2026-03-04T12:47:00Z')),
      second.deps.scheduler.runSlot(NOTICES, minute('2026-03-04T12:48:00Z')),
    ]);
    expect(reminders('U7A', 'starts in 15 minutes')).toHaveLength(1);
    expect(reminders('UHOST07', 'starts in 15 minutes')).toHaveLength(1);
    expect(reminders('U7A', 'is tomorrow')).toHaveLength(1);
    expect(dmsTo(t, 'U7A').length).toBe(before + 2);
  });

  it('tries a reminder again on the next run when Slack refused it', async () => {
    t.clock.set('2026-03-09T10:00:00Z');
    await setUpRotation(t, { name: 'Retry', users: ['U8A'], hosts: ['UHOST08'], weekday: '2', planAhead: '1' });
    t.clock.set('2026-03-09T14:00:00Z');
    t.fake.failNext('chat.postMessage', { error: 'channel_not_found' });
    await t.deps.scheduler.runSlot(NOTICES, minute('2026-03-09T14:00:00Z'));
    await t.deps.scheduler.runSlot(NOTICES, minute('2026-03-09T14:01:00Z'));
    await t.deps.scheduler.runSlot(NOTICES, minute('2026-03-09T14:02:00Z'));
    const attempts = t.fake
      .callsTo('chat.postMessage')
      .filter(
        (c) => ['U8A', 'UHOST08'].includes(String(c.args.channel)) && String(c.args.text).includes('is tomorrow'),
      );
    // The refused one (first) went again on the next run; after that nothing more.
    expect(attempts.map((c) => c.args.channel)).toEqual([
      attempts[0]!.args.channel,
      attempts[1]!.args.channel,
      attempts[0]!.args.channel,
    ]);
  });

  it('posts the coming week’s schedule to the support channel', async () => {
    t.clock.set('2026-03-16T08:00:00Z');
    await setUpRotation(t, { name: 'Weekly', users: ['U9A'], hosts: ['UHOST09'], planAhead: '1' });
    await t.deps.workspace.supportChannel.set('C0SUPPORT');
    expect(await t.deps.scheduler.runSlot('rotations.weekly-schedule', minute('2026-03-16T09:00:00Z'))).toBe(true);
    const post = t.fake.lastCall('chat.postMessage')!;
    expect(post.args.channel).toBe('C0SUPPORT');
    expect(post.args.text).toContain('Shadowing this week');
    expect(post.args.text).toContain('<@U9A> with <@UHOST09>');
  });
});

describe('after the session', () => {
  it('asks for a reflection and stores it; the host marks attendance; stats, Home and metrics show it', async () => {
    t.clock.set('2026-03-23T10:00:00Z');
    const rotation = await setUpRotation(t, { name: 'Reflect', users: ['U10A'], hosts: ['UHOST10'], planAhead: '1' });
    const [seat] = await seatsOf(t, rotation.id);
    t.clock.set('2026-03-25T14:30:00Z');
    await t.deps.scheduler.runSlot(NOTICES, minute('2026-03-25T14:30:00Z'));
    const prompt = dmsTo(t, 'U10A').find((c) => String(c.args.text).includes('reflection'))!;
    expect(JSON.stringify(prompt.args.blocks)).toContain(IDS.openReflection);
    const attendance = dmsTo(t, 'UHOST10').find((c) => String(c.args.text).includes('Did your shadows come'))!;
    expect(JSON.stringify(attendance.args.blocks)).toContain('No-show');

    await t.driver.blockAction({
      action_id: IDS.openReflection,
      value: String(seat!.id),
      user_id: 'U10A',
      channel_id: 'DU10A',
    });
    const modal = await t.fake.waitForCall(
      'views.open',
      (c) => (c.args.view as { callback_id: string }).callback_id === IDS.reflectionModal,
    );
    const metadata = (modal.args.view as { private_metadata: string }).private_metadata;

    const bad = await t.driver.viewSubmission({
      callback_id: IDS.reflectionModal,
      private_metadata: metadata,
      user_id: 'U10A',
      values: stateValues({
        [IDS.surprised]: field.text(''),
        [IDS.fix]: field.text('x'),
        [IDS.usefulness]: field.select(null),
      }),
    });
    expect(bad.body.response_action).toBe('errors');
    expect(Object.keys(bad.body.errors)).toEqual(expect.arrayContaining([IDS.surprised, IDS.fix, IDS.usefulness]));
    const stranger = await t.driver.viewSubmission({
      callback_id: IDS.reflectionModal,
      private_metadata: metadata,
      user_id: 'U0STRANGER',
      values: reflection(),
    });
    expect(stranger.body).toEqual({
      response_action: 'errors',
      errors: { [IDS.surprised]: 'You can reflect on a session you shadowed, once it has started.' },
    });
    const forged = await t.driver.viewSubmission({
      callback_id: IDS.reflectionModal,
      private_metadata: 'not a session',
      user_id: 'U10A',
      values: reflection(),
    });
    expect(forged.body).toEqual(stranger.body);
    expect(await t.deps.db.select().from(shadowReflections)).toHaveLength(0);

    // A database failing while it looks the session up is our fault, not a refusal of the person's reflection.
    await t.deps.db.execute(sql`alter table shadow_sessions rename to shadow_sessions_away`);
    try {
      const failed = await t.driver.viewSubmission({
        callback_id: IDS.reflectionModal,
        private_metadata: metadata,
        user_id: 'U10A',
        values: reflection(),
      });
      expect(JSON.stringify(failed.body)).not.toContain('shadowed');
      const apology = await t.fake.waitForCall(
        'chat.postMessage',
        (c) => c.args.channel === 'U10A' && String(c.args.text).includes(CRASH_APOLOGY),
      );
      expect(apology.args.text).not.toContain('shadowed');
    } finally {
      await t.deps.db.execute(sql`alter table shadow_sessions_away rename to shadow_sessions`);
    }

    const ok = await t.driver.viewSubmission({
      callback_id: IDS.reflectionModal,
      private_metadata: metadata,
      user_id: 'U10A',
      values: reflection(),
    });
    expect(ok.body).toBe('');
    expect(await t.deps.db.select().from(shadowReflections)).toMatchObject([
      {
        sessionId: seat!.id,
        userId: 'U10A',
        surprised: 'How many refund questions there are',
        fix: 'The refund form',
        usefulness: 5,
      },
    ]);

    /** The host clicks "Attended"; the answer they see. */
    const markAttended = async () => {
      const url = t.fake.responseUrl();
      const click = { action_id: IDS.attended, value: String(seat!.id), user_id: 'UHOST10', channel_id: 'DUHOST10' };
      await t.driver.blockAction({ ...click, response_url: url });
      return String((await t.fake.waitForResponse((r) => url.endsWith(`/${r.id}`))).body.text);
    };
    expect(await markAttended()).toContain('Marked <@U10A> as attended');
    expect((await seatsOf(t, rotation.id))[0]!.status).toBe('held');
    // Other capabilities learn of it from one domain event, even when the host clicks again.
    await markAttended();
    expect(
      await t.deps.db
        .select({ payload: domainEvents.payload })
        .from(domainEvents)
        .where(eq(domainEvents.type, 'shadow_session.held')),
    ).toEqual([{ payload: { sessionId: seat!.id, shadowId: 'U10A', hostId: 'UHOST10' } }]);
    expect(await shadow(t, 'stats Reflect')).toContain('<@U10A>: 1 held · 0 declined · 0 no-shows');

    const home = await t.deps.home.render({ userId: 'U10A', isAdmin: false });
    expect(JSON.stringify(home)).toContain('Reflect, 2026-03-25: held');
    expect(JSON.stringify(await t.deps.home.render({ userId: ADMIN, isAdmin: true }))).toContain(IDS.openSetup);

    const metrics = await createSessionsRepository(t.deps).metrics({
      from: new Date('2026-03-23T00:00:00Z'),
      to: new Date('2026-03-30T00:00:00Z'),
    });
    expect(metrics).toMatchObject({
      held: 1,
      noShows: 0,
      averageUsefulness: 5,
      highlights: [{ userId: 'U10A', fix: 'The refund form', rotationName: 'Reflect' }],
    });
  });
});

const reflection = () =>
  stateValues({
    [IDS.surprised]: field.text('How many refund questions there are'),
    [IDS.fix]: field.text('The refund form'),
    [IDS.usefulness]: field.select('5', '5 - very useful'),
  });
