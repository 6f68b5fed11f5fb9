// Shadow rotations end to end: setting one up through the modal, the assignment DMs and the
// shadows' answers (accept, swap, can't make it), away days and opting out, and bad input.
import { beforeEach, describe, expect, it } from 'vitest';
import { ROTATION_IDS as IDS } from '../../src/rotations/rotations.ids.ts';
import { createRotationsRepository } from '../../src/rotations/rotations.repository.ts';
import { runConfirmed } from '../support/confirm-step.ts';
import { ADMIN, useTestApp } from '../support/test-app.ts';
import { dmsTo, hostMessageOf, seatsOf, sessionsMessageOf, setUpRotation, setupValues, shadow } from './helpers.ts';

const t = useTestApp();
beforeEach(() => t.clock.set('2026-03-02T10:00:00Z'));

/** Presses a button in a shadow's assignment DM and returns the message that replaced it. */
async function press(actionId: string, sessionId: number, user: string) {
  const url = t.fake.responseUrl();
  await t.driver.blockAction({
    action_id: actionId,
    value: String(sessionId),
    user_id: user,
    channel_id: `D${user}`,
    response_url: url,
  });
  return (await t.fake.waitForResponse((r) => url.endsWith(`/${r.id}`))).body;
}

describe('/shadow setup', () => {
  it('opens the setup modal for admins, defaulting the time zone to the workspace’s', async () => {
    t.fake.setUsergroup('S0ENG', ['U0E1']);
    const res = await t.driver.command({ command: '/shadow', text: 'setup', user_id: ADMIN });
    expect(res.status).toBe(200);
    const open = await t.fake.waitForCall('views.open');
    const view = open.args.view as {
      callback_id: string;
      blocks: { block_id: string; element: { initial_value?: string; options?: unknown[] } }[];
    };
    expect(view.callback_id).toBe(IDS.setupModal);
    expect(view.blocks.find((b) => b.block_id === IDS.timezone)?.element).toMatchObject({
      type: 'static_select',
      initial_option: { value: 'UTC' },
    });
    expect(view.blocks.find((b) => b.block_id === IDS.usergroup)?.element.options).toHaveLength(1);
    expect(view.blocks.find((b) => b.block_id === IDS.planAhead)?.element.initial_value).toBe('8');
  });

  it('creates a rotation, plans it fairly and DMs each shadow with Accept, Swap and Can’t make it', async () => {
    const rotation = await setUpRotation(t, { name: 'Eng shadows', users: ['U0A', 'U0B', 'U0C'], hosts: ['UHOST01'] });
    const seats = await seatsOf(t, rotation.id);
    expect(seats.map((s) => s.localDate)).toEqual(['2026-03-04', '2026-03-11', '2026-03-18', '2026-03-25']);
    expect(seats[0]!.startsAt.toISOString()).toBe('2026-03-04T13:00:00.000Z');
    // Everyone once before anyone twice.
    expect(new Set(seats.slice(0, 3).map((s) => s.shadowId))).toEqual(new Set(['U0A', 'U0B', 'U0C']));
    expect(seats.every((s) => s.status === 'offered' && s.hostId === 'UHOST01')).toBe(true);

    const dm = dmsTo(t, seats[0]!.shadowId)[0]!;
    expect(dm.args.text).toContain('Eng shadows');
    expect(dm.args.text).toContain('<@UHOST01>');
    expect(JSON.stringify(dm.args.blocks)).toContain('No preparation needed');
    const buttons = JSON.stringify(dm.args.blocks);
    for (const label of ['Accept', 'Swap to a later date', "Can't make it"]) expect(buttons).toContain(label);

    expect(await shadow(t, 'rotations', 'U0A')).toContain('*Eng shadows*: every Wednesday at 14:00 Europe/Paris');
    expect(await shadow(t, 'schedule eng shadows', 'U0A')).toContain(`<@${seats[0]!.shadowId}> with <@UHOST01>`);
    expect(await shadow(t, '', seats[0]!.shadowId)).toContain('Your next shadow session: *Eng shadows*');
  });

  it('takes participants from a user group, re-read before each planning run', async () => {
    t.fake.setUsergroup('S0SALES', ['U0S1', 'U0S2']);
    const rotation = await setUpRotation(t, { name: 'Sales', usergroup: 'S0SALES', planAhead: '2' });
    expect(new Set((await seatsOf(t, rotation.id)).map((s) => s.shadowId))).toEqual(new Set(['U0S1', 'U0S2']));
    t.fake.setUsergroup('S0SALES', ['U0S1', 'U0S3']);
    t.clock.set('2026-03-05T10:00:00Z');
    expect(await t.deps.scheduler.runSlot('rotations.plan', new Date('2026-03-05T10:05:00Z'))).toBe(true);
    const live = (await seatsOf(t, rotation.id)).filter((s) => s.status !== 'cancelled' && s.startsAt > t.clock.now());
    expect(live.some((s) => s.shadowId === 'U0S2')).toBe(false);
    expect(live.some((s) => s.shadowId === 'U0S3')).toBe(true);
    const members = await createRotationsRepository(t.deps).participants(rotation.id);
    expect(members.find((m) => m.userId === 'U0S2')?.leftAt).not.toBeNull();

    // Editing keeps the group even when Slack cannot list groups just then.
    t.fake.failNext('usergroups.list', { error: 'plan_upgrade_required' });
    await t.driver.command({ command: '/shadow', text: 'edit Sales', user_id: ADMIN });
    const open = await t.fake.waitForCall('views.open');
    const group = (
      open.args.view as { blocks: { block_id: string; element: { initial_option?: { value: string } } }[] }
    ).blocks.find((b) => b.block_id === IDS.usergroup);
    expect(group?.element.initial_option?.value).toBe('S0SALES');
  });

  it('edits a rotation through the same modal and replans it', async () => {
    const rotation = await setUpRotation(t, { name: 'Editable', users: ['U0E1', 'U0E2'], planAhead: '2' });
    await t.driver.command({ command: '/shadow', text: 'edit editable', user_id: ADMIN });
    const open = await t.fake.waitForCall(
      'views.open',
      (c) => (c.args.view as { private_metadata: string }).private_metadata === String(rotation.id),
    );
    expect(JSON.stringify(open.args.view)).toContain('"initial_value":"Editable"');
    const res = await t.driver.viewSubmission({
      callback_id: IDS.setupModal,
      private_metadata: String(rotation.id),
      values: setupValues({ name: 'Editable', users: ['U0E1', 'U0E2', 'U0E3'], weekday: '4', planAhead: '3' }),
      user_id: ADMIN,
    });
    expect(res.body).toBe('');
    await t.fake.waitForCall(
      'chat.postMessage',
      (c) => c.args.channel === ADMIN && String(c.args.text).includes('Saved the *Editable*'),
      10_000,
    );
    const seats = await seatsOf(t, rotation.id);
    expect(seats.filter((s) => s.status !== 'cancelled').map((s) => s.localDate)).toEqual([
      '2026-03-05',
      '2026-03-12',
      '2026-03-19',
    ]);
    const cancelled = seats.filter((s) => s.status === 'cancelled');
    expect(cancelled.map((s) => s.localDate)).toEqual(['2026-03-04', '2026-03-11']);
    // Their sessions messages now say so, without buttons for those seats.
    for (const seat of cancelled) {
      const message = await sessionsMessageOf(t, seat.shadowId);
      expect(message.text).toContain('No longer yours');
      expect(message.text).toContain(`~Editable · <!date^${seat.startsAt.getTime() / 1000}^`);
      expect(message.buttonValues).not.toContain(String(seat.id));
    }
    expect(new Set(seats.filter((s) => s.status !== 'cancelled').map((s) => s.shadowId)).size).toBe(3);
  });

  it('opens setup from the App Home button', async () => {
    await t.driver.blockAction({ action_id: IDS.openSetup, user_id: ADMIN, view: { type: 'home' } });
    expect((await t.fake.waitForCall('views.open')).args.view).toMatchObject({ callback_id: IDS.setupModal });
  });

  it('answers bad setups next to the field and stores nothing', async () => {
    const res = await t.driver.viewSubmission({
      callback_id: IDS.setupModal,
      values: setupValues({ name: 'Broken', users: [], hosts: [], timezone: 'Mars/Olympus' }),
      user_id: ADMIN,
    });
    expect(res.body.response_action).toBe('errors');
    expect(res.body.errors).toMatchObject({
      [IDS.hosts]: 'Pick at least one host',
      [IDS.users]: 'Pick a user group, or at least one person',
      [IDS.timezone]: expect.stringContaining('IANA'),
    });
    // Without a group, enough people to fill one session's seats.
    const short = await t.driver.viewSubmission({
      callback_id: IDS.setupModal,
      values: setupValues({ name: 'Short', users: ['U0S1'], shadows: '2' }),
      user_id: ADMIN,
    });
    expect(short.body.errors).toEqual({ [IDS.users]: 'Pick a user group, or at least 2 people (one per shadow seat)' });
    await setUpRotation(t, { name: 'Dupes', users: ['U0D1'] });
    const dup = await t.driver.viewSubmission({
      callback_id: IDS.setupModal,
      values: setupValues({ name: 'dupes', users: ['U0D2'] }),
      user_id: ADMIN,
    });
    expect(dup.body.errors[IDS.name]).toContain('already has this name');
    expect(await shadow(t, 'rotations')).not.toContain('Broken');
  });

  it('refuses setup to non-admins and changes nothing', async () => {
    t.fake.setUser({ id: 'U0PLAIN', is_admin: false });
    expect(await shadow(t, 'setup', 'U0PLAIN')).toContain('Only Frontline admins');
    expect(t.fake.callsTo('views.open')).toHaveLength(0);
    const res = await t.driver.viewSubmission({
      callback_id: IDS.setupModal,
      values: setupValues({ name: 'Sneaky', users: ['U0X'] }),
      user_id: 'U0PLAIN',
    });
    expect(res.body.response_action).toBe('errors');
    expect(await shadow(t, 'pause Dupes', 'U0PLAIN')).toContain('Only Frontline admins');
    expect(await shadow(t, 'schedule Nope')).toContain('There is no rotation called *Nope*');
  });
});

describe('answering an assignment', () => {
  it('accepts once, even when clicked twice', async () => {
    const rotation = await setUpRotation(t, { name: 'Accepting', users: ['U1A', 'U1B'], planAhead: '2' });
    const [first] = await seatsOf(t, rotation.id);
    const [a, b] = await Promise.all([
      press(IDS.accept, first!.id, first!.shadowId),
      press(IDS.accept, first!.id, first!.shadowId),
    ]);
    expect([a.text, b.text].some((x: string) => x.includes('You accepted'))).toBe(true);
    expect((await seatsOf(t, rotation.id))[0]!.status).toBe('accepted');
    expect((await press(IDS.accept, first!.id, 'U1OTHER')).text).toContain('no longer yours');
  });

  it('keeps Swap and Can’t make it after Accept, and Can’t make it asks first', async () => {
    const rotation = await setUpRotation(t, { name: 'Keeping', users: ['U1K1', 'U1K2'], planAhead: '2' });
    const [first] = await seatsOf(t, rotation.id);
    const offer = dmsTo(t, first!.shadowId).find((c) => String(c.args.text).includes('Keeping'))!;
    const cantMakeIt = (blocks: unknown) =>
      (blocks as { type: string; elements?: { action_id: string; confirm?: { confirm: { text: string } } }[] }[])
        .flatMap((b) => b.elements ?? [])
        .find((e) => e.action_id === IDS.cantMakeIt);
    expect(cantMakeIt(offer.args.blocks)?.confirm?.confirm.text).toBe('Pass it on');

    const accepted = await press(IDS.accept, first!.id, first!.shadowId);
    expect(accepted.replace_original).toBe(false);
    expect(accepted.text).toContain('You accepted *Keeping*');
    const message = await sessionsMessageOf(t, first!.shadowId);
    expect(message.buttonsFor(first!.id)).toEqual(['Swap to a later date', "Can't make it"]);
    expect(message.text).toContain('You accepted');
    expect(cantMakeIt(message.blocks)?.confirm).toBeDefined();
    // …and they still work on an accepted session.
    expect((await press(IDS.cantMakeIt, first!.id, first!.shadowId)).text).toContain('passed this session');
  });

  it('tells the host who shadows them, one message per session, in each reader’s own time zone', async () => {
    const rotation = await setUpRotation(t, {
      name: 'Hosting',
      users: ['U1H1', 'U1H2'],
      hosts: ['UHOST09'],
      planAhead: '2',
    });
    const seats = await seatsOf(t, rotation.id);
    expect(dmsTo(t, 'UHOST09')).toHaveLength(seats.length);
    for (const seat of seats) {
      const stamp = `<!date^${Math.floor(seat.startsAt.getTime() / 1000)}^`;
      const note = await hostMessageOf(t, seat, 'UHOST09');
      expect(note.fallback).toContain(`<@${seat.shadowId}> (not answered yet) will shadow you in your Hosting session`);
      expect(note.text).toContain(stamp);
      // The notification text formats the date for its reader too, with a fallback in the same words.
      expect(note.fallback).toMatch(
        /\^\{date_short_pretty\} at \{time\}\|[A-Z][a-z]{2} \d{1,2}, 2026 at \d{1,2}:\d{2} [AP]M UTC>/,
      );
      expect((await sessionsMessageOf(t, seat.shadowId)).text).toContain(stamp);
    }
  });

  it('passes a session on with Can’t make it: the next fair person is offered it, the host told, the decline counted', async () => {
    const rotation = await setUpRotation(t, {
      name: 'Skipping',
      users: ['U2A', 'U2B', 'U2C'],
      hosts: ['UHOST02'],
      planAhead: '2',
    });
    const [first, second] = await seatsOf(t, rotation.id);
    const reply = await press(IDS.cantMakeIt, first!.id, first!.shadowId);
    expect(reply.replace_original).toBe(false);
    expect(reply.text).toContain('passed this session to the next person');
    const message = await sessionsMessageOf(t, first!.shadowId);
    expect(message.buttonValues).not.toContain(String(first!.id));
    expect(message.text).toContain('(you passed it on)');
    const after = await seatsOf(t, rotation.id);
    const replacement = after.find(
      (s) => s.startsAt.getTime() === first!.startsAt.getTime() && s.status === 'offered',
    )!;
    // The one person who had no session yet takes it.
    const third = ['U2A', 'U2B', 'U2C'].find((u) => u !== first!.shadowId && u !== second!.shadowId);
    expect(replacement.shadowId).toBe(third);
    await t.fake.waitForCall(
      'chat.postMessage',
      (c) => c.args.channel === third && String(c.args.text).includes('Skipping'),
    );
    // The host's message about that session now names the new shadow and says who passed it on.
    const host = await hostMessageOf(t, first!, 'UHOST02');
    expect(host.text).toContain(`<@${third}> (not answered yet) will shadow you`);
    expect(host.text).toContain(`<@${first!.shadowId}> can't make it`);
    expect(after.find((s) => s.id === first!.id)!.status).toBe('declined');
    expect(await shadow(t, 'stats Skipping')).toContain(`<@${first!.shadowId}>: 0 held · 1 declined · 0 no-shows`);
  });

  it('counts a decline as a turn: whoever passed does not get the next session ahead of someone who has not gone yet', async () => {
    const rotation = await setUpRotation(t, { name: 'Dodging', users: ['U2D1', 'U2D2', 'U2D3'], planAhead: '1' });
    const [first] = await seatsOf(t, rotation.id);
    await press(IDS.cantMakeIt, first!.id, first!.shadowId);
    const taker = (await seatsOf(t, rotation.id, 'offered'))[0]!.shadowId;
    t.clock.set('2026-03-05T10:00:00Z');
    expect(await t.deps.scheduler.runSlot('rotations.plan', new Date('2026-03-05T11:05:00Z'))).toBe(true);
    const next = (await seatsOf(t, rotation.id)).filter((s) => s.startsAt > t.clock.now());
    expect(next.map((s) => s.shadowId)).toEqual(
      ['U2D1', 'U2D2', 'U2D3'].filter((u) => u !== first!.shadowId && u !== taker),
    );
  });

  it('passes a session on once when Can’t make it is clicked twice at once', async () => {
    const rotation = await setUpRotation(t, { name: 'Racing', users: ['U2R1', 'U2R2', 'U2R3'], planAhead: '1' });
    const [first] = await seatsOf(t, rotation.id);
    const replies = await Promise.all([
      press(IDS.cantMakeIt, first!.id, first!.shadowId),
      press(IDS.cantMakeIt, first!.id, first!.shadowId),
    ]);
    expect(replies.filter((r) => String(r.text).includes('passed this session')).length).toBe(1);
    expect(replies.filter((r) => String(r.text).includes('no longer yours')).length).toBe(1);
    const after = await seatsOf(t, rotation.id);
    expect(after.map((s) => s.status).sort()).toEqual(['declined', 'offered']);
  });

  it('swaps to a later date: same person, later session; the other shadow is offered this one', async () => {
    const rotation = await setUpRotation(t, {
      name: 'Swapping',
      users: ['U3A', 'U3B'],
      hosts: ['UHOST03'],
      planAhead: '2',
    });
    const [first, second] = await seatsOf(t, rotation.id);
    const reply = await press(IDS.swap, first!.id, first!.shadowId);
    expect(reply.text).toContain('Swapped');
    const after = await seatsOf(t, rotation.id);
    expect(after.map((s) => s.shadowId)).toEqual([second!.shadowId, first!.shadowId]);
    // Each has one message, now listing the other's seat; the host's messages name the new shadows.
    expect(dmsTo(t, first!.shadowId)).toHaveLength(1);
    expect(dmsTo(t, second!.shadowId)).toHaveLength(1);
    expect((await sessionsMessageOf(t, first!.shadowId)).buttonValues).toEqual([String(second!.id)]);
    expect((await sessionsMessageOf(t, second!.shadowId)).buttonValues).toEqual([String(first!.id)]);
    expect((await hostMessageOf(t, first!, 'UHOST03')).text).toContain(`<@${second!.shadowId}> (not answered yet)`);
    expect((await hostMessageOf(t, second!, 'UHOST03')).text).toContain(`<@${first!.shadowId}> (not answered yet)`);
  });
});

describe('away and opting out', () => {
  it('frees the seats on away days and refills them; bad dates change nothing', async () => {
    const rotation = await setUpRotation(t, { name: 'Away', users: ['U4A', 'U4B'], planAhead: '2' });
    const [first] = await seatsOf(t, rotation.id);
    const reply = await shadow(t, `away ${first!.localDate}`, first!.shadowId);
    expect(reply).toContain(`no shadow sessions for you on ${first!.localDate}`);
    const live = (await seatsOf(t, rotation.id)).filter((s) => s.status !== 'cancelled');
    expect(live.find((s) => s.localDate === first!.localDate)!.shadowId).not.toBe(first!.shadowId);

    for (const [text, problem] of [
      ['away 2026-02-01', 'in the past'],
      ['away tomorrow', 'is not a date'],
      ['away 2026-03-20 2026-03-10', 'before the first'],
      ['away 2026-02-30', 'is not a date'],
    ]) {
      const before = await seatsOf(t, rotation.id);
      expect(await shadow(t, text!, 'U4B')).toContain(problem!);
      expect(await seatsOf(t, rotation.id)).toEqual(before);
    }
  });

  it('hands a session to another host when its host is away', async () => {
    const rotation = await setUpRotation(t, {
      name: 'Hosts away',
      users: ['U4H1', 'U4H2'],
      hosts: ['UHOST4A', 'UHOST4B'],
      planAhead: '2',
    });
    const seats = await seatsOf(t, rotation.id);
    expect(new Set(seats.map((s) => s.hostId))).toEqual(new Set(['UHOST4A', 'UHOST4B']));
    const [first] = seats;
    await shadow(t, `away ${first!.localDate}`, first!.hostId);
    const now = (await seatsOf(t, rotation.id)).find((s) => s.id === first!.id)!;
    expect(now.hostId).not.toBe(first!.hostId);
    expect(now.shadowId).toBe(first!.shadowId);
    // The shadow's message names the new host; the old host's message says who hosts it now.
    expect((await sessionsMessageOf(t, first!.shadowId)).text).toContain(`With <@${now.hostId}>`);
    expect((await hostMessageOf(t, first!, first!.hostId)).text).toContain(`<@${now.hostId}> hosts this session now`);
    expect((await hostMessageOf(t, first!, now.hostId)).text).toContain(`<@${first!.shadowId}> (not answered yet)`);
  });

  it('opts out (seats go to others) and back in', async () => {
    const rotation = await setUpRotation(t, { name: 'Optout', users: ['U5A', 'U5B'], planAhead: '2' });
    expect(await shadow(t, 'optout busy quarter', 'U5A')).toContain('opted out');
    const live = (await seatsOf(t, rotation.id)).filter((s) => s.status !== 'cancelled');
    expect(live.map((s) => s.shadowId)).toEqual(['U5B', 'U5B']);
    // Two sessions later U5A comes back level with U5B, not with two sessions to catch up on.
    t.clock.set('2026-03-12T10:00:00Z');
    expect(await shadow(t, 'optin', 'U5A')).toContain('Welcome back');
    const next = (await seatsOf(t, rotation.id)).filter((s) => s.startsAt > t.clock.now() && s.status !== 'cancelled');
    expect(next.map((s) => s.shadowId)).toEqual(['U5B', 'U5A']);
    expect(await shadow(t, 'optin', 'U5A')).toContain('not opted out');
  });

  it('shows admins Edit, Pause and Delete buttons on the list, and only admins can use them', async () => {
    const rotation = await setUpRotation(t, { name: 'Buttons', users: ['U6B'], planAhead: '1' });
    const url = t.fake.responseUrl();
    await t.driver.command({ command: '/shadow', text: 'rotations', user_id: ADMIN, response_url: url });
    const list = (await t.fake.waitForResponse((r) => url.endsWith(`/${r.id}`))).body;
    for (const id of [IDS.edit, IDS.pause, IDS.remove]) expect(JSON.stringify(list.blocks)).toContain(id);
    const plainUrl = t.fake.responseUrl();
    t.fake.setUser({ id: 'U0PLAIN2', is_admin: false });
    await t.driver.command({ command: '/shadow', text: 'rotations', user_id: 'U0PLAIN2', response_url: plainUrl });
    expect(
      JSON.stringify((await t.fake.waitForResponse((r) => plainUrl.endsWith(`/${r.id}`))).body.blocks),
    ).not.toContain(IDS.pause);

    const refused = t.fake.responseUrl();
    await t.driver.blockAction({
      action_id: IDS.pause,
      value: String(rotation.id),
      user_id: 'U0PLAIN2',
      response_url: refused,
    });
    expect((await t.fake.waitForResponse((r) => refused.endsWith(`/${r.id}`))).body.text).toContain(
      'Only Frontline admins',
    );
    const pressed = t.fake.responseUrl();
    await t.driver.blockAction({
      action_id: IDS.pause,
      value: String(rotation.id),
      user_id: ADMIN,
      response_url: pressed,
    });
    expect((await t.fake.waitForResponse((r) => pressed.endsWith(`/${r.id}`))).body.text).toContain('Paused *Buttons*');
  });

  it('admins pause, resume and delete rotations', async () => {
    await setUpRotation(t, { name: 'Lifecycle', users: ['U6A'], planAhead: '1' });
    expect(await shadow(t, 'pause Lifecycle')).toContain('Paused *Lifecycle*');
    expect(await shadow(t, 'rotations')).toContain('*Lifecycle* _(paused)_');
    expect(await shadow(t, 'resume lifecycle')).toContain('Resumed');
    expect(await shadow(t, 'delete Lifecycle')).toContain('Delete *Lifecycle*?');
    expect(await shadow(t, 'rotations')).toContain('*Lifecycle*');
    const { answer } = await runConfirmed(t, { command: '/shadow', text: 'delete Lifecycle', user: ADMIN });
    expect(answer).toContain('Deleted *Lifecycle*');
    expect(await shadow(t, 'schedule Lifecycle')).toContain('There is no rotation called');
    expect(await shadow(t, 'frobnicate')).toContain('I don’t know `/shadow frobnicate`');
  });
});
