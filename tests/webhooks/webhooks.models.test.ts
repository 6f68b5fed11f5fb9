// The rules of webhooks without I/O: which URLs may receive events, the event vocabulary, the
// signature, and when failures pause a subscription.
import { createHmac } from 'node:crypto';
import { describe, expect, it } from 'vitest';
import { isUserError } from '../../src/errors.ts';
import { parseWebhookCommand } from '../../src/webhooks/webhooks.commands.ts';
import {
  afterFailure,
  isPrivateAddress,
  parseEventList,
  recordOf,
  signDelivery,
  urlProblem,
} from '../../src/webhooks/webhooks.models.ts';

import type { WebhookSubscription } from '../../src/webhooks/webhooks.repository.ts';
import { renderRemoveConfirm } from '../../src/webhooks/webhooks.views.ts';
import { checkMessage } from '../support/slack-schemas.ts';

const strict = { allowPrivate: false };

describe('webhook URLs', () => {
  it('take https URLs to public hosts', () => {
    expect(urlProblem('https://hooks.example.com/frontline?team=1', strict)).toBeUndefined();
    expect(urlProblem('https://203.0.113.10/hook', strict)).toBeUndefined();
  });

  it.each([
    ['http://hooks.example.com/frontline', 'https://'],
    ['ftp://example.com/x', 'is not a URL'],
    ['not a url', 'is not a URL'],
    ['https://user:pass@hooks.example.com/', 'user name or password'],
    ['https://localhost/hook', 'private network'],
    ['https://127.0.0.1:8443/hook', 'private network'],
    ['https://10.1.2.3/hook', 'private network'],
    ['https://172.20.0.5/hook', 'private network'],
    ['https://192.168.1.1/hook', 'private network'],
    ['https://169.254.169.254/latest/meta-data', 'private network'],
    ['https://[::1]/hook', 'private network'],
    ['https://[fd00::1]/hook', 'private network'],
    ['https://[::ffff:127.0.0.1]/hook', 'private network'],
    ['https://jira.internal/hook', 'private network'],
  ])('refuse %s', (url, problem) => {
    expect(urlProblem(url, strict)).toContain(problem);
  });

  it('let http and this host in only when FRONTLINE_WEBHOOKS_ALLOW_PRIVATE is set (development, tests)', () => {
    expect(urlProblem('http://127.0.0.1:4000/hook', { allowPrivate: true })).toBeUndefined();
  });

  it('tell private addresses from public ones', () => {
    expect(isPrivateAddress('100.64.0.1')).toBe(true);
    expect(isPrivateAddress('8.8.8.8')).toBe(false);
    expect(isPrivateAddress('2001:4860:4860::8888')).toBe(false);
    expect(isPrivateAddress('fe80::1')).toBe(true);
  });

  it('are read from Slack’s escaped command text, and refused with a usage line', () => {
    expect(parseWebhookCommand(['add', '<https://hooks.example.com/x>', 'escalation.resolved'], strict)).toEqual({
      action: 'add',
      url: 'https://hooks.example.com/x',
      events: ['escalation.resolved'],
    });
    try {
      parseWebhookCommand(['add', '<http://10.0.0.1/x>'], strict);
      expect.unreachable();
    } catch (error) {
      expect(isUserError(error) && error.message).toContain('Usage: `/frontline webhook add` _https-url_ [event,…]');
    }
  });
});

describe('event lists', () => {
  it('read names, wildcards and nothing (all)', () => {
    expect(parseEventList('')).toEqual({ events: [], unknown: [] });
    expect(parseEventList('escalation.resolved, feedback.captured')).toEqual({
      events: ['escalation.resolved', 'feedback.captured'],
      unknown: [],
    });
    expect(parseEventList('help_request.*').events).toEqual([
      'help_request.asked',
      'help_request.picked_up',
      'help_request.solved',
    ]);
    expect(parseEventList('escalation.exploded').unknown).toEqual(['escalation.exploded']);
  });

  it('find the record an event is about', () => {
    expect(recordOf({ type: 'escalation.claimed', escalationId: 'e1' })).toEqual({ kind: 'escalation', id: 'e1' });
    expect(recordOf({ type: 'help_request.solved', requestId: 7 })).toEqual({ kind: 'help_request', id: '7' });
    expect(recordOf({ type: 'shadow_session.held', sessionId: 1 })).toBeUndefined();
  });
});

describe('signatures', () => {
  it('are v1= and the HMAC-SHA256 of v1:<timestamp>:<body>', () => {
    const body = '{"id":"x"}';
    const expected = createHmac('sha256', 'secret').update(`v1:1700000000:${body}`).digest('hex');
    expect(signDelivery('secret', 1700000000, body)).toBe(`v1=${expected}`);
  });
});

describe('after a failed delivery', () => {
  const hour = 3600_000;
  const at = (h: number) => new Date(Date.UTC(2026, 0, 1) + h * hour);
  it('retries within a day, gives up one delivery older than a day, pauses a subscription failing for a day', () => {
    expect(afterFailure({ now: at(23), failingSince: at(0), createdAt: at(0) })).toBe('retry');
    expect(afterFailure({ now: at(24), failingSince: at(0), createdAt: at(0) })).toBe('pause');
    expect(afterFailure({ now: at(25), failingSince: at(25), createdAt: at(0) })).toBe('give_up');
  });
});

describe('the remove confirmation', () => {
  it('stays within what Slack accepts however long the address (found by the untrusted-text fuzz)', () => {
    const url = `https://relay.example.com/${'<!here> &lt;x&gt; '.repeat(60)}`;
    const reply = renderRemoveConfirm({ id: 'wh_7f3k2q', url } as WebhookSubscription, 2);
    expect(checkMessage({ text: reply.text, blocks: reply.blocks })).toEqual([]);
  });
});
