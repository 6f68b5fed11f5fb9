// Slack's side of Socket Mode: answers apps.connections.open with a local WebSocket URL, says hello,
// pushes envelopes (slash commands, interactions, events) and records the app's acks.

import { randomUUID } from 'node:crypto';
import type { AddressInfo } from 'node:net';
import { type WebSocket, WebSocketServer } from 'ws';
import type { FakeSlack } from './fake-slack.ts';

export interface SocketAck {
  envelope_id: string;
  payload?: Record<string, unknown>;
}

export interface FakeSocketMode {
  /** Resolves once the app has connected and been greeted. */
  connected: Promise<void>;
  /** Sends an envelope and resolves with the app's ack for it. */
  send(type: 'slash_commands' | 'interactive' | 'events_api', payload: Record<string, unknown>): Promise<SocketAck>;
  close(): Promise<void>;
}

/** Starts a WebSocket server and points the fake Web API's apps.connections.open at it. */
export async function startFakeSocketMode(fake: FakeSlack): Promise<FakeSocketMode> {
  const server = new WebSocketServer({ host: '127.0.0.1', port: 0 });
  await new Promise<void>((resolve) => server.once('listening', () => resolve()));
  const url = `ws://127.0.0.1:${(server.address() as AddressInfo).port}/link`;
  fake.override('apps.connections.open', () => ({ ok: true, url }));

  const waiting = new Map<string, (ack: SocketAck) => void>();
  let socket: WebSocket | undefined;
  const connected = new Promise<void>((resolve) => {
    server.on('connection', (ws) => {
      socket = ws;
      ws.on('message', (data) => {
        const ack = JSON.parse(String(data)) as SocketAck;
        waiting.get(ack.envelope_id)?.(ack);
        waiting.delete(ack.envelope_id);
      });
      ws.send(
        JSON.stringify({
          type: 'hello',
          num_connections: 1,
          debug_info: { host: 'fake', approximate_connection_time: 3600 },
          connection_info: { app_id: 'AFRONTLINE' },
        }),
      );
      resolve();
    });
  });

  return {
    connected,
    send(type, payload) {
      const envelope_id = randomUUID();
      const acked = new Promise<SocketAck>((resolve) => waiting.set(envelope_id, resolve));
      socket?.send(
        JSON.stringify({
          envelope_id,
          type,
          payload,
          accepts_response_payload: type !== 'events_api',
          retry_attempt: 0,
          retry_reason: '',
        }),
      );
      return acked;
    },
    close: () =>
      new Promise<void>((resolve) => {
        for (const client of server.clients) client.terminate();
        server.close(() => resolve());
      }),
  };
}
