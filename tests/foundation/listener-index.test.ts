// Listeners named by a plain id are looked up in an index instead of Bolt trying each in turn: the
// same listeners must run for the same requests, with the same errors, as when Bolt matched them.
import type { ReceiverEvent } from '@slack/bolt';
import { describe, expect, it } from 'vitest';
import { indexListeners } from '../../src/slack/listener-index.ts';
import { boltWithoutReceiver } from '../support/bolt-without-receiver.ts';

async function indexedApp() {
  const app = boltWithoutReceiver();
  const errors: unknown[] = [];
  app.error(async (error) => void errors.push(error.original ?? error));
  await app.init();
  indexListeners(app);
  const heard: string[] = [];
  const deliver = (body: Record<string, unknown>) =>
    app.processEvent({ body, ack: async () => {} } as unknown as ReceiverEvent);
  return { app, heard, errors, deliver };
}

const command = (name: string) => ({ command: name, text: '', user_id: 'U1', channel_id: 'C1', team_id: 'T1' });
const blockAction = (actionId: string) => ({
  type: 'block_actions',
  team: { id: 'T1' },
  user: { id: 'U1' },
  actions: [{ type: 'button', action_id: actionId, block_id: 'b', action_ts: '1' }],
});
const viewSubmission = (callbackId: string) => ({
  type: 'view_submission',
  team: { id: 'T1' },
  user: { id: 'U1' },
  view: { id: 'V1', callback_id: callbackId, state: { values: {} } },
});
const shortcut = (type: 'shortcut' | 'message_action', callbackId: string) => ({
  type,
  callback_id: callbackId,
  team: { id: 'T1' },
  user: { id: 'U1' },
  trigger_id: 't',
});
const event = (type: string) => ({
  type: 'event_callback',
  team_id: 'T1',
  event_id: 'Ev1',
  event: { type, user: 'U1', channel: 'D1', tab: 'home' },
});

describe('listeners looked up by id', () => {
  it('runs the listener of the command, button, form, shortcut and event named, and no other', async () => {
    const { app, heard, deliver } = await indexedApp();
    app.command('/escalate', async ({ command }) => void heard.push(`command ${command.command}`));
    app.command('/ask', async () => void heard.push('wrong command'));
    app.action('claim', async ({ action }) => void heard.push(`action ${'action_id' in action && action.action_id}`));
    app.action('release', async () => void heard.push('wrong action'));
    app.view('resolve_form', async ({ view }) => void heard.push(`view ${view.callback_id}`));
    app.shortcut({ callback_id: 'save', type: 'message_action' }, async () => void heard.push('message shortcut'));
    app.event('app_home_opened', async ({ event }) => void heard.push(`event ${event.type}`));

    await deliver(command('/escalate'));
    await deliver(blockAction('claim'));
    await deliver(viewSubmission('resolve_form'));
    await deliver(shortcut('message_action', 'save'));
    await deliver(event('app_home_opened'));
    await deliver(command('/unknown'));
    expect(heard).toEqual([
      'command /escalate',
      'action claim',
      'view resolve_form',
      'message shortcut',
      'event app_home_opened',
    ]);
  });

  it("keeps a shortcut's type: a global shortcut does not reach a message shortcut's listener", async () => {
    const { app, heard, deliver } = await indexedApp();
    app.shortcut({ callback_id: 'save', type: 'message_action' }, async () => void heard.push('message'));
    app.shortcut('save', async () => void heard.push('either'));
    await deliver(shortcut('shortcut', 'save'));
    expect(heard).toEqual(['either']);
  });

  it('runs middleware before a listener, which stops when it does not go on', async () => {
    const { app, heard, deliver } = await indexedApp();
    app.action(
      'claim',
      async ({ next }) => {
        heard.push('checked');
        if (heard.length < 3) await next();
      },
      async () => void heard.push('claimed'),
    );
    await deliver(blockAction('claim'));
    await deliver(blockAction('claim'));
    expect(heard).toEqual(['checked', 'claimed', 'checked']);
  });

  it("runs every listener of one id, and hands a listener's error to the error handler as Bolt does", async () => {
    const { app, heard, errors, deliver } = await indexedApp();
    app.command('/escalate', async () => void heard.push('first'));
    app.command('/escalate', async () => {
      throw new Error('no database');
    });
    await deliver(command('/escalate'));
    expect(heard).toEqual(['first']);
    expect(errors).toHaveLength(1);
    expect(String(errors[0])).toContain('no database');
  });

  it("does not run a form's listener for its closing, as Bolt's app.view(id) does not", async () => {
    const { app, heard, deliver } = await indexedApp();
    app.view('resolve_form', async () => void heard.push('submitted'));
    await deliver({ ...viewSubmission('resolve_form'), type: 'view_closed' });
    await deliver(viewSubmission('resolve_form'));
    expect(heard).toEqual(['submitted']);
  });

  it('runs the global middleware added before it first, and refuses any added after', async () => {
    const app = boltWithoutReceiver();
    await app.init();
    const heard: string[] = [];
    app.use(async ({ next }) => {
      heard.push('middleware');
      await next();
      heard.push('middleware after');
    });
    indexListeners(app);
    app.command('/escalate', async () => void heard.push('listener'));
    await app.processEvent({ body: command('/escalate'), ack: async () => {} } as unknown as ReceiverEvent);
    expect(heard).toEqual(['middleware', 'listener', 'middleware after']);
    expect(() => app.use(async ({ next }) => next())).toThrow(/before indexListeners/);
  });

  it('leaves a pattern to Bolt, which still matches it', async () => {
    const { app, heard, deliver } = await indexedApp();
    app.action(/^escalation_/, async () => void heard.push('pattern'));
    app.action('escalation_claim', async () => void heard.push('id'));
    await deliver(blockAction('escalation_claim'));
    expect(heard.sort()).toEqual(['id', 'pattern']);
  });
});
