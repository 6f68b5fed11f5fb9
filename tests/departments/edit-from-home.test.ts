// App Home for the people who run departments: each one with its targets in words and an Edit form.
import { beforeAll, describe, expect, it } from 'vitest';
import { createDepartmentsRepository } from '../../src/departments/departments.repository.ts';
import { submitView } from '../support/outcomes.ts';
import { field, stateValues } from '../support/payloads.ts';
import { ADMIN, useTestApp } from '../support/test-app.ts';

const t = useTestApp();
const repo = () => createDepartmentsRepository(t.deps);
const LEAD = 'U0LEADBILL';

beforeAll(async () => {
  await repo().upsert({ key: 'billing', name: 'Billing', channelId: 'C0BILLING', leads: [LEAD] });
  await repo().upsert({ key: 'legal', name: 'Legal', channelId: 'C0LEGAL' });
});

type Block = {
  type: string;
  block_id?: string;
  text?: { text: string };
  accessory?: { action_id: string; value?: string };
};

async function homeOf(user: string): Promise<Block[]> {
  await t.deps.home.publish(user);
  const call = await t.fake.waitForCall('views.publish', (c) => c.args.user_id === user);
  return (call.args.view as { blocks: Block[] }).blocks;
}

const editButtons = (blocks: Block[]) =>
  blocks.flatMap((b) => (b.accessory?.action_id === 'departments_open_edit' ? [b.accessory.value] : []));

const openEdit = async (key: string, user: string) => {
  const url = t.fake.responseUrl();
  await t.driver.blockAction({
    action_id: 'departments_open_edit',
    value: key,
    user_id: user,
    view: { type: 'home' },
    response_url: url,
  });
  return url;
};

const editValues = (overrides: Record<string, ReturnType<(typeof field)[keyof typeof field]>> = {}) =>
  stateValues({
    'department_edit_leads/leads': field.users([LEAD, 'U0SECOND']),
    'department_work_days/days': field.checkboxes(['1', '2', '3', '4']),
    'department_work_start/time': field.time('08:30'),
    'department_work_end/time': field.time('16:00'),
    'department_timezone/timezone': field.select('America/Argentina/Buenos_Aires'),
    'department_sla_urgent_ack/target': field.number('10'),
    'department_sla_urgent_resolve/target': field.number('2'),
    'department_sla_high_ack/target': field.number('60'),
    'department_sla_high_resolve/target': field.number('8'),
    'department_sla_normal_ack/target': field.number('240'),
    'department_sla_normal_resolve/target': field.number('24'),
    'department_sla_low_ack/target': field.number('480'),
    'department_sla_low_resolve/target': field.number('72.5'),
    ...overrides,
  });

describe('departments on App Home', () => {
  it('shows admins every department with its targets once, in words, and an Edit button', async () => {
    const blocks = await homeOf(ADMIN);
    const json = JSON.stringify(blocks);
    expect(editButtons(blocks)).toEqual(['billing', 'legal']);
    expect(json).toContain('Claimed within 15 minutes, resolved within 4 hours');
    expect(json).not.toContain('15m/4h');
    expect(blocks.filter((b) => b.type === 'header').map((b) => b.text?.text)).not.toContain('Frontline');
    // One primary button on the whole tab: Escalate to a team.
    expect(json.match(/"style":"primary"/g)).toHaveLength(1);
  });

  it('shows a lead only the departments they lead, and someone else none', async () => {
    expect(editButtons(await homeOf(LEAD))).toEqual(['billing']);
    expect(JSON.stringify(await homeOf('U0NOBODY'))).not.toContain('departments_open_edit');
  });

  it('opens the Edit form with the current values, the time zone picked from a grouped list', async () => {
    await openEdit('billing', LEAD);
    const open = await t.fake.waitForCall('views.open');
    const view = open.args.view as { callback_id: string; private_metadata: string; blocks: Block[] };
    expect(view).toMatchObject({ callback_id: 'departments_edit', private_metadata: 'billing' });
    const zone = view.blocks.find((b) => b.block_id === 'department_timezone') as unknown as {
      element: { option_groups: { label: { text: string }; options: unknown[] }[]; initial_option: { value: string } };
    };
    expect(zone.element.initial_option.value).toBe('UTC');
    expect(zone.element.option_groups.every((g) => g.options.length <= 100)).toBe(true);
    expect(zone.element.option_groups.map((g) => g.label.text)).toContain('Europe');
  });

  it('refuses the form to someone who neither leads it nor is an admin', async () => {
    const url = await openEdit('billing', 'U0NOBODY');
    const reply = await t.fake.waitForResponse((r) => url.endsWith(`/${r.id}`));
    expect(reply.body.text).toContain('Only its leads and Frontline admins');
    expect(t.fake.callsTo('views.open')).toHaveLength(0);
    const { errors } = await submitView(t, {
      callback_id: 'departments_edit',
      private_metadata: 'billing',
      user_id: 'U0NOBODY',
      values: editValues(),
    });
    expect(errors?.department_edit_leads).toContain('Only its leads');
    expect((await repo().get('billing'))?.leads).toEqual([LEAD]);
  });

  it('shows each bad field next to it and saves nothing', async () => {
    const { errors } = await submitView(t, {
      callback_id: 'departments_edit',
      private_metadata: 'billing',
      user_id: LEAD,
      values: editValues({
        'department_work_days/days': field.checkboxes([]),
        'department_work_end/time': field.time('07:00'),
        'department_sla_urgent_ack/target': field.number('0'),
        'department_sla_low_resolve/target': field.number(''),
      }),
    });
    expect(errors).toMatchObject({
      department_work_days: 'Pick at least one working day',
      department_work_end: 'Working hours must end after they start',
      department_sla_urgent_ack: expect.stringContaining('at least 1'),
      department_sla_low_resolve: expect.stringContaining('number'),
    });
    expect((await repo().get('billing'))?.workStart).toBe('09:00');
  });

  it('saves leads, hours, time zone and targets through the departments use case, and says so', async () => {
    const outcome = await submitView(t, {
      callback_id: 'departments_edit',
      private_metadata: 'billing',
      user_id: LEAD,
      values: editValues(),
    });
    expect(outcome.errors).toBeUndefined();
    const dm = await t.fake.waitForCall('chat.postMessage', (c) => c.args.channel === LEAD);
    expect(dm.args.text).toContain('Saved the leads, working hours and response targets of *Billing*');
    expect(await repo().get('billing')).toMatchObject({
      leads: [LEAD, 'U0SECOND'],
      workDays: [1, 2, 3, 4],
      workStart: '08:30',
      workEnd: '16:00',
      timezone: 'America/Argentina/Buenos_Aires',
      sla: { urgent: { ackMinutes: 10, resolveHours: 2 }, low: { ackMinutes: 480, resolveHours: 72.5 } },
    });
  });
});
