// Under a flood that lasts, work arrives faster than it ends: past a backlog, new requests are told
// to try again and not run, so the queue (and the heap) stays bounded instead of the process dying.
import { once } from 'node:events';
import { createServer } from 'node:http';
import type { AddressInfo } from 'node:net';
import type { ReceiverEvent } from '@slack/bolt';
import { expect, it, vi } from 'vitest';
import { createLogger } from '../../src/logger.ts';
import { enforceAckDeadline, MAX_TELLING_CLICKERS, TRY_AGAIN } from '../../src/slack/ack-deadline.ts';
import { acksFirst } from '../../src/slack/acks-first.ts';
import { boltWithoutReceiver } from '../support/bolt-without-receiver.ts';

const flush = () => new Promise((r) => setImmediate(r));

it('tells the person to try again and does nothing while too much work waits (a click, in its response_url); events still get in', async () => {
  const app = boltWithoutReceiver();
  await app.init();
  // One piece of work at a time, and a backlog of one: the first request's work fills it (and
  // starts as soon as its ack is out, with no quiet time to wait).
  enforceAckDeadline(app, createLogger({ level: 'silent', pretty: false }), acksFirst(1, 60_000, 1, 0));
  const ran: string[] = [];
  let finish = () => {};
  app.command('/escalate', async ({ ack, command }) => {
    await ack();
    ran.push(command.text);
    await new Promise<void>((resolve) => (finish = resolve));
  });
  app.event('app_home_opened', async () => void ran.push('home'));
  app.action('escalation_claim', async ({ ack }) => {
    await ack();
    ran.push('claim');
  });
  // Where Slack takes a click's response_url answers; it answers back only when let.
  const answeredInResponseUrl: unknown[] = [];
  const held: (() => void)[] = [];
  const responses = createServer((req, res) => {
    let text = '';
    req.on('data', (chunk) => (text += chunk));
    req.on('end', () => {
      answeredInResponseUrl.push(JSON.parse(text));
      held.push(() => res.end('ok'));
    });
  }).listen(0, '127.0.0.1');
  await once(responses, 'listening');
  const responseUrl = `http://127.0.0.1:${(responses.address() as AddressInfo).port}/response`;
  const answers: unknown[] = [];
  const deliver = (body: Record<string, unknown>) =>
    app.processEvent({ body, ack: async (answer?: unknown) => void answers.push(answer) } as unknown as ReceiverEvent);
  const command = (text: string) => ({ command: '/escalate', text, user_id: 'U1', channel_id: 'C1', team_id: 'T1' });

  const first = deliver(command('first'));
  await flush();
  await deliver(command('second'));
  // The event is taken, and its work waits its turn behind the first request's.
  const home = deliver({ type: 'event_callback', team_id: 'T1', event: { type: 'app_home_opened', user: 'U1' } });
  await flush();
  expect(ran).toEqual(['first']);
  expect(answers).toEqual([undefined, { response_type: 'ephemeral', text: TRY_AGAIN }, undefined]);
  // A click's ack carries no text, so the person is told in the message's response_url; at most
  // MAX_TELLING_CLICKERS at once, the rest only acked.
  const click = () =>
    deliver({
      type: 'block_actions',
      team: { id: 'T1' },
      user: { id: 'U1' },
      actions: [{ type: 'button', action_id: 'escalation_claim', value: 'x' }],
      response_url: responseUrl,
    });
  for (let i = 0; i <= MAX_TELLING_CLICKERS; i++) await click();
  await vi.waitFor(() => expect(answeredInResponseUrl).toHaveLength(MAX_TELLING_CLICKERS));
  expect(answeredInResponseUrl[0]).toEqual({ response_type: 'ephemeral', replace_original: false, text: TRY_AGAIN });
  await new Promise((r) => setTimeout(r, 200));
  expect(answeredInResponseUrl).toHaveLength(MAX_TELLING_CLICKERS);
  expect(answers.slice(3)).toEqual(Array(MAX_TELLING_CLICKERS + 1).fill(undefined));
  // Once those are answered, the next click turned away is told again.
  for (const answer of held.splice(0)) answer();
  await vi.waitFor(async () => {
    await click();
    expect(answeredInResponseUrl.length).toBeGreaterThan(MAX_TELLING_CLICKERS);
  });
  expect(ran).toEqual(['first']);

  finish();
  await Promise.all([first, home]);
  expect(ran).toEqual(['first', 'home']);
  const third = deliver(command('third'));
  await flush();
  expect(ran).toEqual(['first', 'home', 'third']);
  finish();
  await third;
  for (const answer of held.splice(0)) answer();
  responses.close();
});
