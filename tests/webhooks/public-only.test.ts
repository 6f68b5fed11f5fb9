// Webhook calls check the address they connect to, not a lookup made earlier (DNS rebinding).
import { createServer } from 'node:http';
import type { AddressInfo } from 'node:net';
import { fetch } from 'undici';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { PrivateAddressError, publicOnlyAgent, publicOnlyLookup } from '../../src/webhooks/public-only.ts';

let calls = 0;
const server = createServer((_req, res) => {
  calls += 1;
  res.end('ok');
});
let port = 0;
beforeAll(async () => {
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  port = (server.address() as AddressInfo).port;
});
afterAll(() => new Promise<void>((resolve) => server.close(() => resolve())));

describe('public-only webhook calls', () => {
  it('refuse a name that resolves to a private address when connecting, and never reach it', async () => {
    // The same receiver is reachable without the guard, so the refusal is the guard's doing.
    expect((await fetch(`http://localhost:${port}/hook`, { method: 'POST' })).status).toBe(200);
    expect(calls).toBe(1);
    const refused = await fetch(`http://localhost:${port}/hook`, {
      method: 'POST',
      dispatcher: publicOnlyAgent(),
    }).catch((error: Error) => error.cause);
    expect(refused).toBeInstanceOf(PrivateAddressError);
    expect((refused as Error).message).toBe('localhost resolves to a private address');
    expect(calls).toBe(1);
  });

  it('answer a lookup for one address or all of them, as sockets ask', async () => {
    const one = await new Promise<unknown>((resolve) =>
      publicOnlyLookup('localhost', { all: false }, (error) => resolve(error)),
    );
    const all = await new Promise<unknown>((resolve) =>
      publicOnlyLookup('localhost', { all: true }, (error) => resolve(error)),
    );
    expect(one).toBeInstanceOf(PrivateAddressError);
    expect(all).toBeInstanceOf(PrivateAddressError);
    // A public address passes, in the shape each kind of caller expects.
    const publicOne = await new Promise<unknown[]>((resolve) =>
      publicOnlyLookup('8.8.8.8', { all: false }, (...args) => resolve(args)),
    );
    const publicAll = await new Promise<unknown[]>((resolve) =>
      publicOnlyLookup('8.8.8.8', { all: true }, (...args) => resolve(args)),
    );
    expect(publicOne).toEqual([null, '8.8.8.8', 4]);
    expect(publicAll).toEqual([null, [{ address: '8.8.8.8', family: 4 }]]);
  });
});
