// A real HTTP server that receives webhook deliveries, as a helpdesk's endpoint would: it records
// each request and answers as the test scripts it (a status, or no answer until the sender gives up).
import { createServer, type IncomingMessage } from 'node:http';
import type { AddressInfo } from 'node:net';

export interface ReceivedDelivery {
  headers: IncomingMessage['headers'];
  body: string;
  /** What the receiver answered (undefined while it held the request open). */
  answered?: number;
}

/** What the next request gets: a status, or `hang` to answer only after `ms`. */
export type Answer = number | { hang: number };

export interface WebhookReceiver {
  url: string;
  requests: ReceivedDelivery[];
  /** The parsed bodies of the requests answered 2xx, in the order they arrived. */
  accepted(): { id: string; type: string; time: string; data: Record<string, any> }[];
  /** Answers the next `times` requests so; afterwards 200 again. */
  answerNext(answer: Answer, times?: number): void;
  /** Answers every request so until told otherwise. */
  answerAlways(answer: Answer | undefined): void;
  /** Forgets every scripted answer: 200 from now on. */
  answerNormally(): void;
  close(): Promise<void>;
}

export async function startWebhookReceiver(): Promise<WebhookReceiver> {
  const requests: ReceivedDelivery[] = [];
  const queued: Answer[] = [];
  let always: Answer | undefined;
  const open = new Set<NodeJS.Timeout>();
  const server = createServer((req, res) => {
    const chunks: Buffer[] = [];
    req.on('data', (c: Buffer) => chunks.push(c));
    req.on('end', () => {
      const received: ReceivedDelivery = { headers: req.headers, body: Buffer.concat(chunks).toString('utf8') };
      requests.push(received);
      const answer = queued.shift() ?? always ?? 200;
      const reply = (status: number) => {
        received.answered = status;
        res.writeHead(status, { 'content-type': 'text/plain' }).end(status < 300 ? 'ok' : 'nope');
      };
      if (typeof answer === 'number') return reply(answer);
      const timer = setTimeout(() => {
        open.delete(timer);
        if (!res.destroyed) reply(200);
      }, answer.hang);
      open.add(timer);
    });
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const { port } = server.address() as AddressInfo;
  return {
    url: `http://127.0.0.1:${port}/hooks/frontline`,
    requests,
    accepted: () => requests.filter((r) => r.answered && r.answered < 300).map((r) => JSON.parse(r.body)),
    answerNext(answer, times = 1) {
      for (let i = 0; i < times; i++) queued.push(answer);
    },
    answerAlways(answer) {
      always = answer;
    },
    answerNormally() {
      queued.length = 0;
      always = undefined;
    },
    async close() {
      for (const timer of open) clearTimeout(timer);
      server.closeAllConnections();
      await new Promise<void>((resolve) => server.close(() => resolve()));
    },
  };
}

/**
 * Checks a delivery's signature as a receiver would, written apart from the app's code (WebCrypto):
 * HMAC-SHA256 of `v1:<timestamp>:<body>` with the secret, compared with `X-Frontline-Signature`.
 */
export async function signatureIsValid(secret: string, delivery: ReceivedDelivery): Promise<boolean> {
  const timestamp = delivery.headers['x-frontline-request-timestamp'];
  const signature = delivery.headers['x-frontline-signature'];
  if (typeof timestamp !== 'string' || typeof signature !== 'string' || !signature.startsWith('v1=')) return false;
  const key = await crypto.subtle.importKey(
    'raw',
    new TextEncoder().encode(secret),
    { name: 'HMAC', hash: 'SHA-256' },
    false,
    ['verify'],
  );
  const given = Buffer.from(signature.slice(3), 'hex');
  return crypto.subtle.verify('HMAC', key, given, new TextEncoder().encode(`v1:${timestamp}:${delivery.body}`));
}
