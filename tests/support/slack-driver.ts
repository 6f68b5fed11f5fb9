// Plays Slack's side of the HTTP conversation: sends the app correctly signed commands,
// interactions and events, the way Slack does, and returns the app's answer.
import { createHmac } from 'node:crypto';
import type { FakeSlack } from './fake-slack.ts';
import {
  type BlockActionInput,
  buildBlockAction,
  buildEventCallback,
  buildGlobalShortcut,
  buildMessageShortcut,
  buildSlashCommand,
  buildViewClosed,
  buildViewSubmission,
  DEFAULT_CHANNEL,
  type MessageShortcutInput,
  type SlashCommandInput,
  type ViewSubmissionInput,
} from './payloads.ts';

export interface SendOptions {
  /** Sets X-Slack-Retry-Num (and a retry reason), as Slack does when it redelivers an event. */
  retryNum?: number;
  /** Request timestamp in seconds; set an old one to forge a stale request. */
  timestamp?: number;
  /** Replaces the computed signature, to forge a bad one. */
  signature?: string;
}

export interface DriverResponse {
  status: number;
  /** Parsed JSON when the app answered JSON, else the text ('' for an empty ack). */
  body: any;
  headers: Record<string, string>;
}

type Optional<T, K extends keyof T> = Omit<T, K> & Partial<Pick<T, K>>;

export interface SlackDriver {
  command(input: Optional<SlashCommandInput, 'response_url'>, options?: SendOptions): Promise<DriverResponse>;
  blockAction(input: BlockActionInput, options?: SendOptions): Promise<DriverResponse>;
  viewSubmission(input: ViewSubmissionInput, options?: SendOptions): Promise<DriverResponse>;
  viewClosed(input: Omit<ViewSubmissionInput, 'trigger_id'>, options?: SendOptions): Promise<DriverResponse>;
  shortcut(input: Parameters<typeof buildGlobalShortcut>[0], options?: SendOptions): Promise<DriverResponse>;
  messageShortcut(
    input: Optional<MessageShortcutInput, 'response_url'>,
    options?: SendOptions,
  ): Promise<DriverResponse>;
  event(
    event: Record<string, unknown> & { type: string },
    options?: SendOptions & { event_id?: string },
  ): Promise<DriverResponse>;
  raw(
    request: { body: string; contentType: string; headers?: Record<string, string> } & SendOptions,
  ): Promise<DriverResponse>;
}

/** Slack's v0 request signature over `v0:${timestamp}:${rawBody}`. */
export function signRequest(signingSecret: string, timestamp: number, body: string): string {
  return `v0=${createHmac('sha256', signingSecret).update(`v0:${timestamp}:${body}`).digest('hex')}`;
}

/** A driver that posts to `${baseUrl}/slack/events`, signed with `signingSecret`. */
export function createSlackDriver(config: { baseUrl: string; signingSecret: string; fake: FakeSlack }): SlackDriver {
  const { baseUrl, signingSecret, fake } = config;

  async function raw(request: Parameters<SlackDriver['raw']>[0]): Promise<DriverResponse> {
    const timestamp = request.timestamp ?? Math.floor(Date.now() / 1000);
    const headers: Record<string, string> = {
      'content-type': request.contentType,
      'x-slack-request-timestamp': String(timestamp),
      'x-slack-signature': request.signature ?? signRequest(signingSecret, timestamp, request.body),
      ...(request.retryNum === undefined
        ? {}
        : { 'x-slack-retry-num': String(request.retryNum), 'x-slack-retry-reason': 'http_timeout' }),
      ...request.headers,
    };
    const response = await fetch(`${baseUrl}/slack/events`, { method: 'POST', headers, body: request.body });
    const text = await response.text();
    let body: unknown = text;
    try {
      body = text ? JSON.parse(text) : text;
    } catch {
      // not JSON: keep the text
    }
    return { status: response.status, body, headers: Object.fromEntries(response.headers) };
  }

  // Slack sends exactly this content type; Bolt's receiver answers 400 to '; charset=...'.
  const form = (fields: Record<string, string>, options: SendOptions = {}) =>
    raw({ ...options, body: new URLSearchParams(fields).toString(), contentType: 'application/x-www-form-urlencoded' });
  const interaction = (payload: unknown, options?: SendOptions) => form({ payload: JSON.stringify(payload) }, options);

  return {
    raw,
    command: (input, options) =>
      form(buildSlashCommand({ ...input, response_url: input.response_url ?? fake.responseUrl() }), options),
    blockAction(input, options) {
      const fromMessage = !input.view;
      const payload = buildBlockAction({
        ...input,
        ...(fromMessage ? { response_url: input.response_url ?? fake.responseUrl() } : {}),
      });
      // The clicked message exists in Slack, so the app may update or reply to it.
      const { channel_id, message_ts } = payload.container as { channel_id?: string; message_ts?: string };
      if (fromMessage && channel_id && message_ts && !fake.getMessage(channel_id, message_ts))
        fake.addMessage(channel_id, payload.message);
      return interaction(payload, options);
    },
    viewSubmission: (input, options) => interaction(buildViewSubmission(input), options),
    viewClosed: (input, options) => interaction(buildViewClosed(input), options),
    shortcut: (input, options) => interaction(buildGlobalShortcut(input), options),
    messageShortcut(input, options) {
      const payload = buildMessageShortcut({ ...input, response_url: input.response_url ?? fake.responseUrl() });
      const channel = input.channel_id ?? DEFAULT_CHANNEL;
      if (!fake.getMessage(channel, input.message.ts)) fake.addMessage(channel, payload.message);
      return interaction(payload, options);
    },
    event(event, options = {}) {
      const envelope = buildEventCallback(event, { ...(options.event_id ? { event_id: options.event_id } : {}) });
      return raw({ ...options, body: JSON.stringify(envelope), contentType: 'application/json' });
    },
  };
}
