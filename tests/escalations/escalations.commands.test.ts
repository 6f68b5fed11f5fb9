import { describe, expect, it } from 'vitest';
import { parseRaiseSubmission } from '../../src/escalations/escalation-modals.views.ts';
import { parseEscalateCommand } from '../../src/escalations/escalations.commands.ts';
import { field, stateValues } from '../support/payloads.ts';

describe('parseEscalateCommand', () => {
  it('reads department, optional priority and summary', () => {
    expect(parseEscalateCommand('billing urgent Card charged twice')).toEqual({
      action: 'quick',
      departmentKey: 'billing',
      priority: 'urgent',
      summary: 'Card charged twice',
    });
    expect(parseEscalateCommand('Billing Card charged   twice')).toEqual({
      action: 'quick',
      departmentKey: 'billing',
      priority: 'normal',
      summary: 'Card charged   twice',
    });
  });

  it('opens the modal for no text, lists for list', () => {
    expect(parseEscalateCommand('  ')).toEqual({ action: 'modal' });
    expect(parseEscalateCommand('list')).toEqual({ action: 'list' });
    expect(parseEscalateCommand('help')).toEqual({ action: 'help' });
  });

  it('prefills the modal when the summary is missing or too long', () => {
    expect(parseEscalateCommand('billing high')).toMatchObject({
      action: 'prefill',
      departmentKey: 'billing',
      priority: 'high',
      summary: '',
    });
    expect(parseEscalateCommand(`billing ${'x'.repeat(3001)}`)).toMatchObject({
      action: 'prefill',
      hint: expect.stringContaining('3000'),
    });
  });

  it('decodes the entities Slack escapes and keeps mentions', () => {
    expect(parseEscalateCommand('it VPN &lt;down&gt; for &amp; <@U1|ann>')).toMatchObject({
      summary: 'VPN <down> for & <@U1|ann>',
    });
  });
});

describe('parseRaiseSubmission', () => {
  const values = (overrides: Record<string, ReturnType<(typeof field)[keyof typeof field]>> = {}) =>
    stateValues({
      'escalation_department/department': field.select('billing'),
      'escalation_priority/priority': field.select('high'),
      'escalation_summary/summary': field.text('  Refund stuck  '),
      'escalation_link/link': field.url(null),
      ...overrides,
    }) as never;

  it('accepts a full submission and trims it', () => {
    expect(parseRaiseSubmission(values())).toEqual({
      ok: true,
      input: {
        departmentKey: 'billing',
        priority: 'high',
        customer: null,
        summary: 'Refund stuck',
        details: null,
        link: null,
      },
    });
  });

  it.each([
    ['escalation_summary/summary', field.text('   '), 'escalation_summary'],
    ['escalation_summary/summary', field.text('x'.repeat(3001)), 'escalation_summary'],
    ['escalation_link/link', field.url('not a url'), 'escalation_link'],
    ['escalation_link/link', field.url('javascript:alert(1)'), 'escalation_link'],
    ['escalation_department/department', field.select(null), 'escalation_department'],
    ['escalation_customer/customer', field.text('c'.repeat(201)), 'escalation_customer'],
  ])('puts the error for %s next to its block', (key, value, block) => {
    const parsed = parseRaiseSubmission(values({ [key]: value }));
    expect(parsed.ok).toBe(false);
    expect(Object.keys(parsed.ok ? {} : parsed.errors)).toEqual([block]);
  });
});
