// Short references: ESC-42 and HELP-17 on cards and lists, and `/escalate show` / `/ask show` to look one up.
import { beforeAll, describe, expect, it } from 'vitest';
import { formatRef, parseRef } from '../../src/short-refs.ts';
import { ask, HELP_CHANNEL, requestAskedBy } from '../help-requests/help-test-helpers.ts';
import { useTestApp } from '../support/test-app.ts';
import { escalate, manifestBotScopes, raised, seedDepartments } from './helpers.ts';

const t = useTestApp();
beforeAll(async () => {
  await seedDepartments(t);
  await t.deps.workspace.helpChannel.set(HELP_CHANNEL);
  t.fake.scopes = manifestBotScopes();
});

describe('parseRef', () => {
  it('reads ESC-42, esc-42, esc42 and 42, and nothing else', () => {
    for (const text of ['ESC-42', 'esc-42', 'Esc42', '42', ' 42 ']) expect(parseRef('ESC', text)).toBe(42);
    for (const text of ['HELP-42', 'ESC-', 'ESC-0', 'ESC-4.2', 'ESC--42', '', 'ESC-99999999999'])
      expect(parseRef('ESC', text)).toBeUndefined();
    expect(formatRef('HELP', 17)).toBe('HELP-17');
  });
});

describe('/escalate show', () => {
  it('answers privately with its state, targets and a link, by ESC-n, esc-n or n', async () => {
    const e = await raised(t, 'Show me later');
    const ref = `ESC-${e.number}`;
    expect(JSON.stringify(t.fake.getMessage(e.channelId!, e.messageTs!)?.blocks)).toContain(`${ref} · `);
    for (const typed of [ref, ref.toLowerCase(), String(e.number)]) {
      const reply = await escalate(t, `show ${typed}`);
      expect(reply).toContain(`*${ref}*`);
      expect(reply).toContain('Show me later');
      expect(reply).toContain('Waiting for someone to claim it');
      expect(reply).toContain(`<${e.messageUrl}|Open the card>`);
    }
    expect(await escalate(t, 'list')).toContain(ref);
  });

  it('keeps an escalation in a private channel to its members and the people involved', async () => {
    const e = await raised(t, 'Private payroll mistake', 'legal');
    t.fake.setChannel({ id: e.channelId!, is_private: true, members: ['U0LEADL'] });
    try {
      const refused = await escalate(t, `show ESC-${e.number}`, 'U0NOSY');
      expect(refused).toContain('private channel you are not in');
      expect(refused).not.toContain('payroll');
      expect(await escalate(t, `show ESC-${e.number}`, 'U0LEADL')).toContain('Private payroll mistake');
      expect(await escalate(t, `show ESC-${e.number}`)).toContain('Private payroll mistake');
    } finally {
      t.fake.setChannel({ id: e.channelId! });
    }
  });

  it('says so for an unknown or malformed reference', async () => {
    expect(await escalate(t, 'show ESC-99999')).toContain('There is no escalation ESC-99999');
    expect(await escalate(t, 'show HELP-1')).toContain('Give the escalation’s reference');
  });
});

describe('/ask show', () => {
  it('answers privately with its state and a link; “show me …” is still a question', async () => {
    await ask(t, 'Where is the SSO runbook?', 'U0SHOWASK');
    const request = await requestAskedBy(t, 'U0SHOWASK');
    const ref = `HELP-${request.id}`;
    expect(JSON.stringify(t.fake.getMessage(request.channelId!, request.messageTs!)?.blocks)).toContain(ref);
    const reply = await ask(t, `show ${ref.toLowerCase()}`, 'U0OTHER');
    expect(reply).toContain(`*${ref}*`);
    expect(reply).toContain('Where is the SSO runbook?');
    expect(reply).toContain('Open the request');
    expect(await ask(t, 'show HELP-99999', 'U0OTHER')).toContain('There is no help request HELP-99999');
    expect(await ask(t, 'show me how to export invoices', 'U0SHOWME')).toContain('Asked in');
  });

  it('keeps a request in a private help channel to its members, the asker and the helpers', async () => {
    await ask(t, 'Which salary band is Jo in?', 'U0PRIVASK');
    const request = await requestAskedBy(t, 'U0PRIVASK');
    t.fake.setChannel({ id: request.channelId!, is_private: true, members: ['U0MEMBER'] });
    try {
      const refused = await ask(t, `show HELP-${request.id}`, 'U0NOSY');
      expect(refused).toContain('private channel you are not in');
      expect(refused).not.toContain('salary');
      for (const user of ['U0MEMBER', 'U0PRIVASK'])
        expect(await ask(t, `show HELP-${request.id}`, user)).toContain('Which salary band is Jo in?');
    } finally {
      t.fake.setChannel({ id: request.channelId! });
    }
  });
});
