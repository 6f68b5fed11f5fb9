// The department directory, driven through /frontline as admins and everyone else would use it.
import { eq } from 'drizzle-orm';
import { describe, expect, it } from 'vitest';
import { createDepartmentsRepository } from '../../src/departments/departments.repository.ts';
import { workspaceSettings } from '../../src/settings/settings.table.ts';
import { runConfirmed } from '../support/confirm-step.ts';
import { field, stateValues } from '../support/payloads.ts';
import { ADMIN, useTestApp } from '../support/test-app.ts';

const t = useTestApp();
const repo = () => createDepartmentsRepository(t.deps);

/** Runs `/frontline <text>` as `user` and returns the text of the private reply. */
async function frontline(text: string, user = ADMIN): Promise<string> {
  const url = t.fake.responseUrl();
  const res = await t.driver.command({ command: '/frontline', text, user_id: user, response_url: url });
  expect(res.status).toBe(200);
  const reply = await t.fake.waitForResponse((r) => url.endsWith(`/${r.id}`));
  expect(reply.body.response_type).toBe('ephemeral');
  return reply.body.text as string;
}

describe('/frontline dept', () => {
  it('adds a department from an escaped channel mention, joins the channel and lists it', async () => {
    const reply = await frontline('dept add billing <#C0BILLING|billing> Billing &amp; Payments');
    expect(reply).toContain('Added *Billing &amp; Payments* (`billing`)');
    expect(t.fake.lastCall('conversations.join')?.args).toMatchObject({ channel: 'C0BILLING' });
    expect(await repo().get('billing')).toMatchObject({
      name: 'Billing & Payments',
      channelId: 'C0BILLING',
      leads: [],
    });

    const list = await frontline('dept list', 'UANYONE1');
    expect(list).toContain('*Billing &amp; Payments* `billing` in <#C0BILLING>');
    expect(list).toContain('urgent 15m/4h');
  });

  it('moves a department to another channel without renaming it', async () => {
    await frontline('dept add payroll C0PAY Payroll &amp; Benefits');
    expect(await frontline('dept add payroll <#C0PAY2|payroll-2>')).toContain(
      'Updated *Payroll &amp; Benefits* (`payroll`)',
    );
    expect(await repo().get('payroll')).toMatchObject({ name: 'Payroll & Benefits', channelId: 'C0PAY2' });
  });

  it('sets leads, SLA targets, keywords and working hours', async () => {
    await frontline('dept add it C0IT IT');
    expect(await frontline('dept leads it <@U0MARIA|maria> U0SAM')).toContain('<@U0MARIA> <@U0SAM>');
    expect(await frontline('dept sla it urgent 10 2')).toContain('acknowledge within 10m, resolve within 2h');
    expect(await frontline('dept keywords it VPN, laptop')).toContain('vpn, laptop');
    expect(await frontline('dept hours it mon-thu 08:00-16:00 Europe/Paris')).toContain('08:00-16:00 Europe/Paris');
    const it = await repo().get('it');
    expect(it).toMatchObject({
      leads: ['U0MARIA', 'U0SAM'],
      keywords: ['vpn', 'laptop'],
      workDays: [1, 2, 3, 4],
      workStart: '08:00',
      timezone: 'Europe/Paris',
    });
    expect(it?.sla.urgent).toEqual({ ackMinutes: 10, resolveHours: 2 });
    expect(it?.sla.normal).toEqual({ ackMinutes: 240, resolveHours: 24 });
  });

  it('removes a department but keeps it for history', async () => {
    await frontline('dept add legal C0LEGAL Legal');
    // The command asks first and changes nothing; the button in its answer removes.
    expect(await frontline('dept remove legal')).toContain('Remove *Legal*?');
    expect(await repo().get('legal')).toMatchObject({ name: 'Legal' });
    const { answer } = await runConfirmed(t, { command: '/frontline', text: 'dept remove legal', user: ADMIN });
    expect(answer).toContain('Removed `legal`');
    expect(await repo().get('legal')).toBeUndefined();
    expect(await repo().getIncludingArchived('legal')).toMatchObject({ name: 'Legal' });
    expect(await frontline('dept remove legal')).toContain('There is no department `legal`');
  });

  it('refuses admin commands to everyone else and changes nothing', async () => {
    t.fake.setUser({ id: 'U0PLAIN', is_admin: false });
    const reply = await frontline('dept add refunds C0REFUNDS Refunds', 'U0PLAIN');
    expect(reply).toContain('Only Frontline admins can do that');
    expect(await repo().get('refunds')).toBeUndefined();
    expect(t.fake.callsTo('conversations.join')).toHaveLength(0);
  });

  it('treats workspace admins from users.info as admins', async () => {
    t.fake.setUser({ id: 'U0OWNER', is_owner: true });
    expect(await frontline('dept add refunds C0REFUNDS Refunds', 'U0OWNER')).toContain('Added *Refunds*');
  });

  it.each([
    ['dept add', 'Which department? Give its key.'],
    ['dept add Bad_Key C0X', 'is not a valid key'],
    ['dept add shop general', 'Pick the department’s channel'],
    ['dept leads billing maria', 'Mention each lead with @'],
    ['dept sla billing soon 10 2', 'The priority must be urgent, high, normal or low.'],
    ['dept sla billing urgent ten 2', 'Acknowledge minutes must be a whole number.'],
    ['dept sla billing urgent 10', 'Give exactly the acknowledge minutes and the resolve hours.'],
    ['dept hours billing someday 09:00-17:00', 'Days look like mon-fri'],
    ['dept hours billing mon-fri 17:00-09:00', 'working hours must end after they start'],
    ['dept hours billing mongoose-friday 09:00-17:00', 'Days look like mon-fri'],
    ['dept sla billing urgent 0x10 2', 'Acknowledge minutes must be a whole number.'],
    ['dept sla billing urgent 10 1e2', 'Resolve hours must be a number.'],
    [
      'dept keywords billing a-very-long-keyword-that-nobody-would-ever-type-in',
      'Keep each keyword under 40 characters.',
    ],
    ['dept frobnicate', 'I don’t know `dept frobnicate`'],
  ])('answers `/frontline %s` with the problem and the usage', async (text, problem) => {
    const before = await repo().list();
    const reply = await frontline(text);
    expect(reply).toContain(problem);
    expect(reply).toContain('Usage: `/frontline dept');
    expect(await repo().list()).toEqual(before);
  });

  it('adds a department from the App Home modal, refusing bad fields next to them', async () => {
    const bad = await t.driver.viewSubmission({
      callback_id: 'departments_add',
      user_id: ADMIN,
      values: stateValues({
        'department_name/name': field.text(''),
        'department_key/key': field.text('No Spaces'),
        'department_channel/channel': field.conversation(null),
      }),
    });
    expect(bad.body).toMatchObject({
      response_action: 'errors',
      errors: {
        department_name: expect.any(String),
        department_key: expect.any(String),
        department_channel: 'Pick a channel',
      },
    });
    expect(await repo().get('no-spaces')).toBeUndefined();

    const good = await t.driver.viewSubmission({
      callback_id: 'departments_add',
      user_id: ADMIN,
      values: stateValues({
        'department_name/name': field.text('Shipping'),
        'department_key/key': field.text('shipping'),
        'department_channel/channel': field.conversation('C0SHIP'),
        'department_leads/leads': field.users(['U0LEAD']),
        'department_keywords/keywords': field.text('Parcel, delivery'),
      }),
    });
    expect(good.status).toBe(200);
    await t.fake.waitForCall('views.publish', (c) => c.args.user_id === ADMIN);
    const confirmation = await t.fake.waitForCall('chat.postMessage', (c) => c.args.channel === ADMIN);
    expect(confirmation.args.text).toContain('Added *Shipping* (`shipping`): escalations go to <#C0SHIP>');
    expect(await repo().get('shipping')).toMatchObject({
      channelId: 'C0SHIP',
      leads: ['U0LEAD'],
      keywords: ['parcel', 'delivery'],
    });
  });

  it('refuses to add a department whose key is taken, next to the key', async () => {
    await frontline('dept add taken C0TAKEN Taken');
    const res = await t.driver.viewSubmission({
      callback_id: 'departments_add',
      user_id: ADMIN,
      values: stateValues({
        'department_name/name': field.text('Other'),
        'department_key/key': field.text('taken'),
        'department_channel/channel': field.conversation('C0OTHER'),
      }),
    });
    expect(res.body).toMatchObject({
      response_action: 'errors',
      errors: { department_key: expect.stringContaining('`taken` is taken') },
    });
    expect(await repo().get('taken')).toMatchObject({ name: 'Taken', channelId: 'C0TAKEN' });
  });
});

describe('the time changes are recorded at', () => {
  it('is the injected clock’s, for departments and settings alike', async () => {
    t.clock.set('2031-01-06T08:00:00Z');
    await frontline('dept add clocked C0CLOCK Clocked');
    await frontline('dept leads clocked <@U0LEAD>');
    expect(await repo().getIncludingArchived('clocked')).toMatchObject({ updatedAt: new Date('2031-01-06T08:00:00Z') });
    t.clock.set('2031-01-07T08:00:00Z');
    await runConfirmed(t, { command: '/frontline', text: 'dept remove clocked', user: ADMIN });
    expect(await repo().getIncludingArchived('clocked')).toMatchObject({
      archivedAt: new Date('2031-01-07T08:00:00Z'),
      updatedAt: new Date('2031-01-07T08:00:00Z'),
    });
    await frontline('set help-nudge-minutes 45');
    const [setting] = await t.deps.db
      .select()
      .from(workspaceSettings)
      .where(eq(workspaceSettings.name, 'help-nudge-minutes'));
    expect(setting?.updatedAt).toEqual(new Date('2031-01-07T08:00:00Z'));
  });
});
