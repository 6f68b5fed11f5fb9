// Webhook calls that can only reach the public internet. The host is checked where the socket is
// opened, on the address it actually connects to: a name that resolved to a public address when it
// was checked and to a private one a moment later (DNS rebinding) cannot slip through.
import { type LookupAddress, type LookupAllOptions, type LookupOneOptions, lookup } from 'node:dns';
import type { LookupFunction } from 'node:net';
import { Agent } from 'undici';
import { isPrivateAddress } from './webhooks.models.ts';

export class PrivateAddressError extends Error {
  readonly code = 'EPRIVATEADDRESS';
  constructor(host: string) {
    super(`${host} resolves to a private address`);
  }
}

/** A DNS lookup for sockets that refuses a name when any of its addresses is private. */
export const publicOnlyLookup: LookupFunction = (hostname, options, callback) => {
  const one = options as LookupOneOptions | LookupAllOptions;
  lookup(hostname, { ...one, all: true }, (error, addresses: LookupAddress[]) => {
    if (error) return callback(error, '', 0);
    if (addresses.length === 0 || addresses.some((a) => isPrivateAddress(a.address)))
      return callback(new PrivateAddressError(hostname), '', 0);
    if (one.all) return (callback as unknown as (e: null, a: LookupAddress[]) => void)(null, addresses);
    callback(null, addresses[0]!.address, addresses[0]!.family);
  });
};

/** An HTTP agent whose every connection goes through `publicOnlyLookup`. */
export const publicOnlyAgent = () => new Agent({ connect: { lookup: publicOnlyLookup } });
