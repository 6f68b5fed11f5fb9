// The rules of webhooks, without I/O: which events exist, which record an event is about, which URLs
// may receive them, how a delivery is signed, and when a failing subscription is paused.
import { createHmac, randomBytes } from 'node:crypto';
import { BlockList, isIP } from 'node:net';

/** The events a subscription can ask for (the team's agreed domain events; tests/webhooks/every-event.test.ts sends each). */
export const WEBHOOK_EVENTS = [
  'escalation.raised',
  'escalation.claimed',
  'escalation.released',
  'escalation.reassigned',
  'escalation.put_on_hold',
  'escalation.resumed',
  'escalation.resolved',
  'escalation.reopened',
  'escalation.sla_warning',
  'escalation.sla_breached',
  'escalation.rated',
  'help_request.asked',
  'help_request.picked_up',
  'help_request.solved',
  'feedback.captured',
] as const;
export type WebhookEvent = (typeof WEBHOOK_EVENTS)[number];

export const isWebhookEvent = (name: string): name is WebhookEvent =>
  (WEBHOOK_EVENTS as readonly string[]).includes(name);

/** Where each kind of record keeps its id in an event's payload. */
const ID_FIELD: Record<string, string> = {
  escalation: 'escalationId',
  help_request: 'requestId',
  feedback: 'feedbackId',
};

/** The record an event is about (`escalation`, its id), read from the event's type and payload. */
export function recordOf(event: { type: string } & Record<string, unknown>): { kind: string; id: string } | undefined {
  const kind = event.type.slice(0, event.type.indexOf('.'));
  const id = event[ID_FIELD[kind] ?? ''];
  return typeof id === 'string' || typeof id === 'number' ? { kind, id: String(id) } : undefined;
}

/** Whether a subscription to `events` (empty for all) takes `type`. */
export const wants = (events: readonly string[], type: string) => events.length === 0 || events.includes(type);

/**
 * Reads `escalation.resolved,help_request.*` into event names; `*` or nothing means all. Unknown
 * names are returned apart, to be refused with the list of known ones.
 */
export function parseEventList(text: string | undefined): { events: WebhookEvent[]; unknown: string[] } {
  const words = (text ?? '')
    .split(/[\s,]+/)
    .map((w) => w.trim().toLowerCase())
    .filter(Boolean);
  if (words.length === 0 || words.includes('*')) return { events: [], unknown: [] };
  const events = new Set<WebhookEvent>();
  const unknown: string[] = [];
  for (const word of words) {
    const matched = word.endsWith('.*')
      ? WEBHOOK_EVENTS.filter((e) => e.startsWith(word.slice(0, -1)))
      : WEBHOOK_EVENTS.filter((e) => e === word);
    if (matched.length === 0) unknown.push(word);
    for (const e of matched) events.add(e);
  }
  return { events: WEBHOOK_EVENTS.filter((e) => events.has(e)), unknown };
}

// Loopback, private, link-local, carrier-grade NAT, "this network", and their IPv6 counterparts.
const PRIVATE = new BlockList();
for (const [net, bits] of [
  ['0.0.0.0', 8],
  ['10.0.0.0', 8],
  ['100.64.0.0', 10],
  ['127.0.0.0', 8],
  ['169.254.0.0', 16],
  ['172.16.0.0', 12],
  ['192.168.0.0', 16],
  ['198.18.0.0', 15],
  ['224.0.0.0', 3],
] as const)
  PRIVATE.addSubnet(net, bits, 'ipv4');
for (const [net, bits] of [
  ['::', 127],
  ['fc00::', 7],
  ['fe80::', 10],
  ['ff00::', 8],
] as const)
  PRIVATE.addSubnet(net, bits, 'ipv6');

/** Whether an IP address is one a webhook must not reach (this host, the private network, link-local). */
export function isPrivateAddress(address: string): boolean {
  const bare = address.replace(/^\[|\]$/g, '');
  const mapped = /^::ffff:(\d+\.\d+\.\d+\.\d+)$/i.exec(bare)?.[1];
  if (mapped) return isPrivateAddress(mapped);
  const family = isIP(bare);
  if (family === 0) return false;
  return PRIVATE.check(bare, family === 4 ? 'ipv4' : 'ipv6');
}

/** Host names that only make sense inside a network. */
const isInternalName = (host: string) => /(^|\.)(localhost|local|internal|lan|home\.arpa)$/i.test(host);

/**
 * Why `text` cannot receive webhooks, or undefined when it can: an https URL to a public host, no
 * credentials in it. `allowPrivate` (development and tests) also lets http and this host's network in.
 */
export function urlProblem(text: string, { allowPrivate }: { allowPrivate: boolean }): string | undefined {
  const url = URL.parse(text);
  if (!url || !/^https?:$/.test(url.protocol)) return 'is not a URL such as https://hooks.example.com/frontline';
  if (url.protocol !== 'https:' && !allowPrivate)
    return 'must start with https:// (the deliveries carry customer data)';
  if (url.username || url.password) return 'must not carry a user name or password; each delivery is signed instead';
  if (text.length > 2000) return 'is too long (2,000 characters at most)';
  const host = url.hostname.replace(/^\[|\]$/g, '');
  if (!allowPrivate && (isInternalName(host) || isPrivateAddress(host)))
    return 'points into a private network or at this server; use a public address';
  return undefined;
}

/** A new subscription's id: short enough to type in `/frontline webhook remove`. */
export function newSubscriptionId(): string {
  const alphabet = 'abcdefghijkmnpqrstuvwxyz23456789';
  return `wh_${Array.from(randomBytes(8), (b) => alphabet[b % alphabet.length]).join('')}`;
}

/** A new signing secret: 32 random bytes, hex, with a prefix that says what it is. */
export const newSecret = () => `whsec_${randomBytes(32).toString('hex')}`;

export const SIGNATURE_HEADER = 'X-Frontline-Signature';
export const TIMESTAMP_HEADER = 'X-Frontline-Request-Timestamp';

/** The signature of one delivery, as Slack signs its requests: `v1=` and HMAC-SHA256 of `v1:<timestamp>:<body>`. */
export function signDelivery(secret: string, timestamp: number, body: string): string {
  return `v1=${createHmac('sha256', secret).update(`v1:${timestamp}:${body}`).digest('hex')}`;
}

/** How long a subscription may fail every delivery before it is paused, and a delivery is retried. */
export const GIVE_UP_MS = 24 * 3600_000;

/** What to do after a failed delivery: try again later, give this one up, or pause the whole subscription. */
export function afterFailure({
  now,
  failingSince,
  createdAt,
}: {
  now: Date;
  /** Since when every delivery to the subscription failed (this failure included). */
  failingSince: Date;
  /** When the delivery was written. */
  createdAt: Date;
}): 'retry' | 'give_up' | 'pause' {
  if (now.getTime() - failingSince.getTime() >= GIVE_UP_MS) return 'pause';
  // The subscription works for other deliveries but this one keeps failing (a payload it refuses).
  if (now.getTime() - createdAt.getTime() >= GIVE_UP_MS) return 'give_up';
  return 'retry';
}
