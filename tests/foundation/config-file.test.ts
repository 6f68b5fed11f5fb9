// FRONTLINE_CONFIG: departments and settings kept in version control, applied at start.
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { ConfigError } from '../../src/config.ts';
import { createDepartmentsRepository } from '../../src/departments/departments.repository.ts';
import { createWebhooksRepository } from '../../src/webhooks/webhooks.repository.ts';
import { startTestApp } from '../support/test-app.ts';

const dir = mkdtempSync(join(tmpdir(), 'frontline-config-'));
afterAll(() => rmSync(dir, { recursive: true, force: true }));

function configFile(name: string, content: unknown): string {
  const path = join(dir, name);
  writeFileSync(path, typeof content === 'string' ? content : JSON.stringify(content));
  return path;
}

describe('FRONTLINE_CONFIG', () => {
  it('declares departments (with SLA overrides and hours) and settings at start', async () => {
    const path = configFile('good.json', {
      departments: [
        {
          key: 'billing',
          name: 'Billing',
          channel: 'C0BILLING',
          leads: ['U0MARIA'],
          keywords: ['Invoice'],
          fields: [{ label: 'Invoice number', required: true }, { label: 'Amount' }],
          oncall: 'S0BILLINGOC',
          sla: { urgent: { ackMinutes: 5 } },
          hours: { days: 'mon-fri', start: '08:00', end: '18:00', timezone: 'Europe/Paris' },
          holidays: ['2026-12-25', '2026-12-24'],
        },
        { key: 'it', name: 'IT', channel: 'C0IT' },
      ],
      settings: { 'help-channel': '<#C0HELP|help>', timezone: 'America/New_York', holidays: '2027-01-01' },
      webhooks: [
        {
          id: 'wh_helpdesk',
          url: 'https://relay.example.com/frontline',
          events: ['escalation.resolved'],
          secret: 'a-secret-of-at-least-thirty-two-characters',
        },
      ],
    });
    const app = await startTestApp({ env: { FRONTLINE_CONFIG: path } });
    try {
      const repo = createDepartmentsRepository(app.deps);
      const billing = await repo.get('billing');
      expect(billing).toMatchObject({
        channelId: 'C0BILLING',
        leads: ['U0MARIA'],
        keywords: ['invoice'],
        intakeFields: [
          { label: 'Invoice number', required: true },
          { label: 'Amount', required: false },
        ],
        oncallGroupId: 'S0BILLINGOC',
        workStart: '08:00',
        workEnd: '18:00',
        timezone: 'Europe/Paris',
        holidays: ['2026-12-24', '2026-12-25'],
      });
      expect(await app.deps.workspace.holidays.get()).toEqual(['2027-01-01']);
      expect(billing?.sla.urgent).toEqual({ ackMinutes: 5, resolveHours: 4 });
      expect((await repo.list()).map((d) => d.key)).toEqual(['billing', 'it']);
      expect(await app.deps.workspace.helpChannel.get()).toBe('C0HELP');
      expect(await app.deps.timezone()).toBe('America/New_York');
      expect(await createWebhooksRepository(app.deps).get('wh_helpdesk')).toMatchObject({
        url: 'https://relay.example.com/frontline',
        events: ['escalation.resolved'],
        source: 'config',
        status: 'active',
      });
    } finally {
      await app.stop();
    }
  });

  it.each([
    ['not JSON', '{ departments: ', 'could not be read as JSON'],
    [
      'half an emoji in a field label',
      '{"departments":[{"key":"it","name":"IT","channel":"C0IT","fields":[{"label":"Laptop \\ud83d"}]}]}',
      'departments.0.fields.0.label holds half a character',
    ],
    [
      'a bad channel',
      { departments: [{ key: 'it', name: 'IT', channel: '#it' }] },
      'departments.0.channel must be a Slack channel ID',
    ],
    ['an unknown setting', { settings: { colour: 'blue' } }, 'settings.colour is not a setting'],
    [
      'a webhook to a plain http URL',
      { webhooks: [{ id: 'wh_desk', url: 'http://relay.example.com/x', secret: 'x'.repeat(32) }] },
      'webhooks.0.url must start with https://',
    ],
    [
      'a webhook with a short secret',
      { webhooks: [{ id: 'wh_desk', url: 'https://relay.example.com/x', secret: 'short' }] },
      'webhooks.0.secret must be at least 32 characters',
    ],
    ['an unknown top-level key', { department: [] }, 'Unrecognized key'],
    [
      'hours that end before they start',
      {
        departments: [
          { key: 'it', name: 'IT', channel: 'C0IT', hours: { days: 'mon-fri', start: '17:00', end: '09:00' } },
        ],
      },
      'working hours must end after they start',
    ],
    [
      'an on-call that is not a user group',
      { departments: [{ key: 'it', name: 'IT', channel: 'C0IT', oncall: '@it-oncall' }] },
      'departments.0.oncall must be a Slack user group ID',
    ],
    [
      'a field named twice',
      { departments: [{ key: 'it', name: 'IT', channel: 'C0IT', fields: [{ label: 'Laptop' }, { label: 'laptop' }] }] },
      'departments.0.fields name each field once',
    ],
    [
      'a holiday that is not a date',
      { departments: [{ key: 'it', name: 'IT', channel: 'C0IT', holidays: ['25/12/2026'] }] },
      'departments.0.holidays.0 dates are YYYY-MM-DD',
    ],
    [
      'a department listed twice',
      {
        departments: [
          { key: 'it', name: 'IT', channel: 'C0IT' },
          { key: 'it', name: 'IT 2', channel: 'C0IT2' },
        ],
      },
      'list each department key once',
    ],
  ])('refuses to start with %s, naming the problem', async (name, content, problem) => {
    const path = configFile(`${name}.json`, content);
    const error = await startTestApp({ env: { FRONTLINE_CONFIG: path } }).then(
      (app) => app.stop().then(() => undefined),
      (e: unknown) => e,
    );
    expect(error).toBeInstanceOf(ConfigError);
    expect((error as ConfigError).message).toContain('fix the FRONTLINE_CONFIG file');
    expect((error as ConfigError).message).toContain(problem);
  });
});
