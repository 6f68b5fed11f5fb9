// Per-department intake fields and "urgent means now", driven through signed requests.
import { beforeAll, describe, expect, it } from 'vitest';
import { createDepartmentsRepository } from '../../src/departments/departments.repository.ts';
import { raiseModal } from '../../src/escalations/escalation-modals.views.ts';
import { field, stateValues } from '../support/payloads.ts';
import { ADMIN, useTestApp } from '../support/test-app.ts';
import { AGENT, escalate, LEGAL, messageOf, PATIENCE_MS, seedDepartments, withSummary } from './helpers.ts';

const t = useTestApp();
beforeAll(async () => {
  await seedDepartments(t);
});

async function frontline(text: string, user = ADMIN): Promise<string> {
  const url = t.fake.responseUrl();
  await t.driver.command({ command: '/frontline', text, user_id: user, response_url: url });
  return (await t.fake.waitForResponse((r) => url.endsWith(`/${r.id}`), PATIENCE_MS)).body.text as string;
}

const INVOICE_BLOCK = 'escalation_field:invoice number';
const AMOUNT_BLOCK = 'escalation_field:amount';

const formValues = (summary: string, extra: Record<string, ReturnType<(typeof field)['text']>> = {}) =>
  stateValues({
    'escalation_department/department': field.select('billing'),
    'escalation_priority/priority': field.select('normal'),
    'escalation_summary/summary': field.text(summary),
    ...extra,
  });

/** The form as the app draws it for Billing, so a submission carries the blocks the person saw. */
const billingForm = async () =>
  raiseModal(await createDepartmentsRepository(t.deps).list(), { departmentKey: 'billing' }).blocks;

describe('intake fields', () => {
  it('are set with /frontline dept fields, listed, and cleared with none', async () => {
    expect(await frontline('dept fields legal "Contract id" required, Region')).toContain(
      'ask for: Contract id (required), Region',
    );
    expect(await frontline('dept list')).toContain('asks for: Contract id (required), Region');
    expect(await frontline('dept fields legal none')).toContain('ask for no extra fields');
    expect((await createDepartmentsRepository(t.deps).get('legal'))?.intakeFields).toEqual([]);
  });

  it.each([
    ['dept fields billing', 'Name each field'],
    ['dept fields billing required', 'Name each field'],
    ['dept fields billing A, a', 'Name each field once'],
    [`dept fields billing ${'x'.repeat(51)} required`, 'under 50 characters'],
  ])('refuses %s and changes nothing', async (text, message) => {
    expect(await frontline(text)).toContain(message);
    expect((await createDepartmentsRepository(t.deps).get('billing'))?.intakeFields).toEqual([]);
  });

  it('only admins change them', async () => {
    expect(await frontline('dept fields billing Amount', 'U0PLAIN')).toContain('admin');
  });

  it('are shown when the team is picked, checked on submit, kept and shown on the card', async () => {
    await frontline('dept fields billing "Invoice number" required, Amount optional');

    // Picking Billing in the form redraws it with Billing's fields, keeping the summary typed so far.
    await t.driver.blockAction({
      action_id: 'department',
      block_id: 'escalation_department',
      selected_option: { value: 'billing' },
      user_id: AGENT,
      view: { id: 'V0FORM', callback_id: 'escalation_raise', values: formValues('Charged twice') },
    });
    const update = await t.fake.waitForCall('views.update');
    expect(update.args.view_id).toBe('V0FORM');
    const blocks = JSON.stringify(update.args.view);
    expect(blocks).toContain(`"block_id":"${INVOICE_BLOCK}"`);
    expect(blocks).toContain('"initial_value":"Charged twice"');

    const form = await billingForm();
    const missing = await t.driver.viewSubmission({
      callback_id: 'escalation_raise',
      user_id: AGENT,
      blocks: form,
      values: formValues('Charged twice', { [`${AMOUNT_BLOCK}/value`]: field.text('12 EUR') }),
    });
    expect(missing.body).toMatchObject({
      response_action: 'errors',
      errors: { [INVOICE_BLOCK]: 'Invoice number is required for this team' },
    });
    expect(await withSummary(t, 'Charged twice')).toHaveLength(0);

    await t.driver.viewSubmission({
      callback_id: 'escalation_raise',
      user_id: AGENT,
      blocks: form,
      values: formValues('Charged twice', { [`${INVOICE_BLOCK}/value`]: field.text('INV-<42>') }),
    });
    await t.fake.waitForCall('chat.postMessage', (c) => c.args.channel === AGENT);
    const [row] = await withSummary(t, 'Charged twice');
    // Empty optional answers are not kept.
    expect(row?.fields).toEqual({ 'Invoice number': 'INV-<42>' });
    const card = JSON.stringify(messageOf(t, row!)?.blocks);
    expect(card).toContain('Invoice number: INV-&lt;42&gt;');
    expect(card).not.toContain('Amount');
  });

  it('redraws a form drawn without the team’s fields instead of creating', async () => {
    const res = await t.driver.viewSubmission({
      callback_id: 'escalation_raise',
      user_id: AGENT,
      values: formValues('Drawn for another team'),
    });
    expect(res.body).toMatchObject({ response_action: 'update' });
    const view = JSON.stringify((res.body as { view: unknown }).view);
    expect(view).toContain('Billing asks for the fields below too');
    expect(view).toContain(INVOICE_BLOCK);
    expect(await withSummary(t, 'Drawn for another team')).toHaveLength(0);
  });

  it('turns a quick /escalate into the form when the team requires a field', async () => {
    await t.driver.command({ command: '/escalate', text: 'billing high Refund missing', user_id: AGENT });
    const view = JSON.stringify((await t.fake.waitForCall('views.open')).args.view);
    expect(view).toContain('Billing also needs Invoice number');
    expect(view).toContain('"initial_value":"Refund missing"');
    expect(await withSummary(t, 'Refund missing')).toHaveLength(0);
  });
});

describe('urgent means now', () => {
  it('mentions the on-call group in an urgent card, and nobody else’s group', async () => {
    expect(await frontline('dept oncall legal <!subteam^S0LEGALOC|@legal-oncall>')).toContain('<!subteam^S0LEGALOC>');
    expect(await escalate(t, 'legal urgent Subpoena <!subteam^S0EVIL|@everyone-team> due today')).toContain(
      'Escalated',
    );
    const [row] = await withSummary(t, 'Subpoena <!subteam^S0EVIL|@everyone-team> due today');
    const posted = t.fake.callsTo('chat.postMessage').find((c) => c.args.channel === LEGAL.channelId)!.args;
    expect(posted.text).toMatch(/^<!subteam\^S0LEGALOC> ESC-\d+: Urgent escalation/);
    const json = JSON.stringify(posted.blocks);
    expect(json).toContain('<!subteam^S0LEGALOC>: urgent, please pick this up now');
    // The group typed in the summary stays inert.
    expect(json).not.toContain('<!subteam^S0EVIL');
    expect(row?.priority).toBe('urgent');
  });

  it('mentions the leads when no group is set, and high priority in the thread', async () => {
    expect(await frontline('dept oncall legal none')).toContain('mention its leads');
    await escalate(t, 'legal urgent Court date moved');
    const urgent = t.fake.callsTo('chat.postMessage').find((c) => c.args.channel === LEGAL.channelId)!.args;
    expect(urgent.text).toMatch(new RegExp(`^<@${LEGAL.leads[0]}> ESC-\\d+: Urgent`));

    await escalate(t, 'legal high Contract review overdue');
    const [row] = await withSummary(t, 'Contract review overdue');
    const card = t.fake.callsTo('chat.postMessage').find((c) => c.args.text?.toString().includes('Contract review'));
    expect(card?.args.text).not.toContain('<@');
    const note = await t.fake.waitForCall(
      'chat.postMessage',
      (c) => c.args.thread_ts === row?.messageTs && String(c.args.text).includes('high priority'),
    );
    expect(note.args.text).toContain(`<@${LEGAL.leads[0]}>`);
  });

  it('mentions nobody for normal priority', async () => {
    await escalate(t, 'legal Normal question');
    const posted = t.fake.callsTo('chat.postMessage').filter((c) => c.args.channel === LEGAL.channelId);
    expect(posted.every((c) => !String(c.args.text).includes('<@'))).toBe(true);
  });

  it('refuses an on-call that is not a user group', async () => {
    expect(await frontline('dept oncall billing @sam')).toContain('Mention one user group');
    expect((await createDepartmentsRepository(t.deps).get('billing'))?.oncallGroupId).toBeNull();
  });
});
