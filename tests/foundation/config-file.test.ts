// FRONTLINE_CONFIG: departments and settings kept in version control, applied at start.
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { ConfigError } from '../../src/config.ts';
import { createDepartmentsRepository } from '../../src/departments/departments.repository.ts';
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
        { key: 'billing', name: 'Billing', channel: 'C0BILLING', leads: ['U0MARIA'], keywords: ['Invoice'], sla: { urgent: { ackMinutes: 5 } }, hours: { days: 'mon-fri', start: '08:00', end: '18:00', timezone: 'Europe/Paris' } },
        { key: 'it', name: 'IT', channel: 'C0IT' },
      ],
      settings: { 'help-channel': '<#C0HELP|help>', timezone: 'America/New_York' },
    });
    const app = await startTestApp({ env: { FRONTLINE_CONFIG: path } });
    try {
      const repo = createDepartmentsRepository(app.deps);
      const billing = await repo.get('billing');
      expect(billing).toMatchObject({ channelId: 'C0BILLING', leads: ['U0MARIA'], keywords: ['invoice'], workStart: '08:00', workEnd: '18:00', timezone: 'Europe/Paris' });
      expect(billing?.sla.urgent).toEqual({ ackMinutes: 5, resolveHours: 4 });
      expect((await repo.list()).map((d) => d.key)).toEqual(['billing', 'it']);
      expect(await app.deps.workspace.helpChannel.get()).toBe('C0HELP');
      expect(await app.deps.timezone()).toBe('America/New_York');
    } finally {
      await app.stop();
    }
  });

  it.each([
    ['not JSON', '{ departments: ', 'could not be read as JSON'],
    ['a bad channel', { departments: [{ key: 'it', name: 'IT', channel: '#it' }] }, 'departments.0.channel must be a Slack channel ID'],
    ['an unknown setting', { settings: { colour: 'blue' } }, 'settings.colour is not a setting'],
    ['an unknown top-level key', { department: [] }, 'Unrecognized key'],
    ['hours that end before they start', { departments: [{ key: 'it', name: 'IT', channel: 'C0IT', hours: { days: 'mon-fri', start: '17:00', end: '09:00' } }] }, 'working hours must end after they start'],
    ['a department listed twice', { departments: [{ key: 'it', name: 'IT', channel: 'C0IT' }, { key: 'it', name: 'IT 2', channel: 'C0IT2' }] }, 'list each department key once'],
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
