// A local stand-in for Slack's Web API, response URLs and file upload URLs. It answers like Slack,
// records every call, and rejects (and lists in `violations`) whatever real Slack would reject.
import { createServer, type IncomingMessage, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';
import { type FakeChannel, type FakeMessage, type FakeUser, Workspace } from './fake-slack-methods.ts';
import {
  checkArgs,
  checkMessage,
  checkView,
  decodeArgs,
  MESSAGE_METHODS,
  methodSpec,
  VIEW_METHODS,
} from './slack-schemas.ts';

export { APP_ID, BOT_ID, BOT_USER_ID, TEAM_ID } from './fake-slack-methods.ts';
export type { FakeChannel, FakeMessage, FakeUser };

export interface RecordedCall {
  method: string;
  args: Record<string, unknown>;
  at: number;
  /** Set when the fake rejected the call as Slack would (the error code it answered). */
  rejected?: string;
  /** The HTTP status answered when it was not 200 (an injected failure, the rate limit; 0 for a dropped connection). */
  answeredStatus?: number;
}

export interface RecordedResponse {
  id: string;
  body: any; // whatever the app posted; tests read it freely
  at: number;
}

/** `delayMs` answers late but still carries the call out; `drop` closes the connection without carrying it out. */
export type Failure =
  | { status: 429; retryAfter: number }
  | { status: 500 | 503 }
  | { error: string }
  | { delayMs: number }
  | { drop: true };
type Override = (args: Record<string, unknown>) => Record<string, unknown> | Promise<Record<string, unknown>>;

export interface FakeSlack {
  /** Base URL of the server, e.g. http://127.0.0.1:PORT */
  url: string;
  /** Web API base to pass as WebClient `slackApiUrl` (with the trailing slash). */
  apiUrl: string;
  calls: RecordedCall[];
  responses: RecordedResponse[];
  violations: string[];
  uploads: Map<string, Buffer>;
  users: Map<string, FakeUser>;
  channels: Map<string, FakeChannel>;
  /** Bot scopes the app was granted; unset means scopes are not checked. */
  scopes?: Set<string>;
  callsTo(method: string): RecordedCall[];
  lastCall(method: string): RecordedCall | undefined;
  waitForCall(method: string, predicate?: (call: RecordedCall) => boolean, timeoutMs?: number): Promise<RecordedCall>;
  responseUrl(): string;
  waitForResponse(predicate?: (response: RecordedResponse) => boolean, timeoutMs?: number): Promise<RecordedResponse>;
  setUser(user: FakeUser): void;
  setChannel(channel: FakeChannel): void;
  setUsergroup(id: string, users: string[]): void;
  addMessage(channel: string, message: FakeMessage): FakeMessage;
  getMessage(channel: string, ts: string): FakeMessage | undefined;
  /** Every message in a channel (thread replies too), oldest first. */
  messagesIn(channel: string): FakeMessage[];
  failNext(method: string, failure: Failure, times?: number): void;
  /** Answers 429 (Retry-After 1) to calls of `method` beyond `max` in any `windowMs`, as Slack's rate tiers do. */
  rateLimit(method: string, limit: { max: number; windowMs: number }): void;
  override(method: string, answer: Override): void;
  /** Forgets the failures still waiting to be injected. */
  clearFailures(): void;
  reset(): void;
  close(): Promise<void>;
}

/** Polls `find` every 10 ms until it returns something or the time is up. */
async function poll<T>(find: () => T | undefined, timeoutMs: number, what: () => string): Promise<T> {
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    const found = find();
    if (found !== undefined) return found;
    if (Date.now() > deadline) throw new Error(`timed out after ${timeoutMs} ms waiting for ${what()}`);
    await new Promise((r) => setTimeout(r, 10));
  }
}

async function readBody(req: IncomingMessage): Promise<Buffer> {
  const chunks: Buffer[] = [];
  for await (const chunk of req) chunks.push(chunk as Buffer);
  return Buffer.concat(chunks);
}

/** Reads Web API arguments the way Slack does: query string plus a form, JSON or multipart body. */
async function readArgs(req: IncomingMessage, raw: Buffer): Promise<Record<string, unknown>> {
  const args: Record<string, unknown> = Object.fromEntries(new URL(req.url ?? '/', 'http://x').searchParams);
  const type = req.headers['content-type'] ?? '';
  if (raw.length === 0) return args;
  if (type.startsWith('application/json')) return { ...args, ...(JSON.parse(raw.toString('utf8')) as object) };
  if (type.startsWith('multipart/form-data')) {
    const form = await new Response(new Uint8Array(raw), { headers: { 'content-type': type } }).formData();
    for (const [key, value] of form)
      args[key] = typeof value === 'string' ? value : Buffer.from(await value.arrayBuffer());
    return args;
  }
  return { ...args, ...Object.fromEntries(new URLSearchParams(raw.toString('utf8'))) };
}

function send(res: ServerResponse, status: number, body: unknown, headers: Record<string, string> = {}): void {
  const text = typeof body === 'string' ? body : JSON.stringify(body);
  const type = typeof body === 'string' ? 'text/plain' : 'application/json; charset=utf-8';
  res.writeHead(status, { 'content-type': type, ...headers }).end(text);
}

/** Problems Slack would reject a call for, beyond what the method's reference file describes. */
function surfaceProblems(method: string, args: Record<string, unknown>): string[] {
  const problems: string[] = [];
  if (MESSAGE_METHODS.has(method)) {
    problems.push(...checkMessage(args));
    if (
      method !== 'chat.update' &&
      [args.text, args.blocks, args.attachments, args.markdown_text].every((v) => v === undefined || v === '')
    ) {
      problems.push('no_text: one of text, blocks, attachments or markdown_text is required');
    }
  }
  if (VIEW_METHODS.has(method)) {
    problems.push(...checkView(args.view));
    const type = (args.view as { type?: string } | undefined)?.type;
    if (method === 'views.publish' && type !== 'home') problems.push("views.publish takes a view of type 'home'");
    if ((method === 'views.open' || method === 'views.push') && type !== 'modal')
      problems.push(`${method} takes a view of type 'modal'`);
    if (method === 'views.open' && !args.trigger_id && !args.interactivity_pointer)
      problems.push("missing required argument 'trigger_id'");
    if (method === 'views.update' && !args.view_id && !args.external_id)
      problems.push("views.update needs 'view_id' or 'external_id'");
  }
  return problems;
}

/** Starts a fake Slack on 127.0.0.1 at a random port. */
export async function startFakeSlack(): Promise<FakeSlack> {
  const failures = new Map<string, Failure[]>();
  const overrides = new Map<string, Override>();
  const limits = new Map<string, { max: number; windowMs: number; recent: number[] }>();
  let responseCounter = 0;
  let base = '';
  const workspace = new Workspace(() => base);

  const reject = (res: ServerResponse, call: RecordedCall, error: string, messages: string[]) => {
    call.rejected = error;
    fake.violations.push(`${call.method}: ${error}: ${messages.join('; ')}`);
    const extra =
      error === 'missing_scope' ? { needed: messages.join(','), provided: [...(fake.scopes ?? [])].join(',') } : {};
    send(res, 200, { ok: false, error, ...extra, response_metadata: { messages } });
  };

  async function handleApi(req: IncomingMessage, res: ServerResponse, method: string, raw: Buffer): Promise<void> {
    const spec = methodSpec(method);
    const { token: _token, ...wire } = await readArgs(req, raw);
    const call: RecordedCall = { method, args: decodeArgs(spec, wire), at: Date.now() };
    fake.calls.push(call);
    if (!spec) return reject(res, call, 'unknown_method', [`Slack has no method '${method}'`]);
    const bot = spec.scope?.bot ?? [];
    if (fake.scopes && bot.length > 0 && !bot.some((s) => fake.scopes?.has(s)))
      return reject(res, call, 'missing_scope', bot);
    const problems = [...checkArgs(spec, call.args), ...surfaceProblems(method, call.args)];
    if (problems.length > 0) return reject(res, call, 'invalid_arguments', problems);

    const limit = limits.get(method);
    if (limit) {
      limit.recent = limit.recent.filter((at) => at > call.at - limit.windowMs);
      if (limit.recent.length >= limit.max) {
        call.answeredStatus = 429;
        return send(res, 429, { ok: false, error: 'ratelimited' }, { 'retry-after': '1' });
      }
      limit.recent.push(call.at);
    }
    const failure = failures.get(method)?.shift();
    if (failure && 'drop' in failure) {
      call.answeredStatus = 0;
      return void res.socket?.destroy();
    }
    if (failure && 'delayMs' in failure) await new Promise((r) => setTimeout(r, failure.delayMs));
    else if (failure && 'status' in failure) {
      call.answeredStatus = failure.status;
      const headers: Record<string, string> =
        failure.status === 429 ? { 'retry-after': String(failure.retryAfter) } : {};
      return send(
        res,
        failure.status,
        failure.status === 429 ? { ok: false, error: 'ratelimited' } : 'Internal Server Error',
        headers,
      );
    } else if (failure) return send(res, 200, { ok: false, error: failure.error });
    const override = overrides.get(method);
    send(res, 200, override ? await override(call.args) : workspace.answer(method, call.args));
  }

  async function handleResponseUrl(res: ServerResponse, id: string, raw: Buffer): Promise<void> {
    const body = JSON.parse(raw.toString('utf8') || '{}') as Record<string, unknown>;
    fake.responses.push({ id, body, at: Date.now() });
    const problems = checkMessage(body);
    if (problems.length > 0) {
      fake.violations.push(`response_url ${id}: invalid_blocks: ${problems.join('; ')}`);
      return send(res, 200, { ok: false, error: 'invalid_blocks', response_metadata: { messages: problems } });
    }
    send(res, 200, { ok: true });
  }

  async function handleUpload(req: IncomingMessage, res: ServerResponse, fileId: string, raw: Buffer): Promise<void> {
    // WebClient posts the bytes as a multipart form with one file field; curl-style clients post them raw.
    const type = req.headers['content-type'] ?? '';
    let bytes = raw;
    if (type.startsWith('multipart/form-data')) {
      const form = await new Response(new Uint8Array(raw), { headers: { 'content-type': type } }).formData();
      const file = [...form.values()].find((v) => typeof v !== 'string');
      if (file && typeof file !== 'string') bytes = Buffer.from(await file.arrayBuffer());
    }
    workspace.uploads.set(fileId, bytes);
    send(res, 200, `OK - ${bytes.length}`);
  }

  const server = createServer((req, res) => {
    void (async () => {
      const raw = await readBody(req);
      const path = new URL(req.url ?? '/', 'http://x').pathname;
      const [, kind, id = ''] = path.split('/');
      if (kind === 'api') await handleApi(req, res, id, raw);
      else if (kind === 'response' && req.method === 'POST') await handleResponseUrl(res, id, raw);
      else if (kind === 'upload' && req.method === 'POST') await handleUpload(req, res, id, raw);
      else send(res, 404, 'Not Found');
    })().catch((error: unknown) => {
      fake.violations.push(`fake Slack could not handle ${req.method} ${req.url}: ${String(error)}`);
      if (!res.headersSent) send(res, 400, { ok: false, error: 'invalid_request' });
    });
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  base = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;

  const fake: FakeSlack = {
    url: base,
    apiUrl: `${base}/api/`,
    calls: [],
    responses: [],
    violations: [],
    uploads: workspace.uploads,
    users: workspace.users,
    channels: workspace.channels,
    callsTo: (method) => fake.calls.filter((c) => c.method === method),
    lastCall: (method) => fake.callsTo(method).at(-1),
    waitForCall: (method, predicate = () => true, timeoutMs = 5000) =>
      poll(
        () => fake.calls.find((c) => c.method === method && predicate(c)),
        timeoutMs,
        () =>
          `a matching ${method} call (saw ${fake.callsTo(method).length}: ${JSON.stringify(fake.callsTo(method).map((c) => c.args)).slice(0, 500)})`,
      ),
    responseUrl: () => `${base}/response/${++responseCounter}`,
    waitForResponse: (predicate = () => true, timeoutMs = 5000) =>
      poll(
        () => fake.responses.find(predicate),
        timeoutMs,
        () => `a matching response_url post (saw ${fake.responses.length})`,
      ),
    setUser: (user) => void workspace.users.set(user.id, user),
    setChannel: (channel) => void workspace.channels.set(channel.id, channel),
    setUsergroup: (id, users) => void workspace.usergroups.set(id, users),
    addMessage: (channel, message) => workspace.addMessage(channel, message),
    getMessage: (channel, ts) => workspace.getMessage(channel, ts),
    messagesIn: (channel) => [...(workspace.messages.get(channel) ?? [])],
    clearFailures: () => failures.clear(),
    failNext(method, failure, times = 1) {
      const queue = failures.get(method) ?? [];
      for (let i = 0; i < times; i++) queue.push(failure);
      failures.set(method, queue);
    },
    rateLimit: (method, limit) => void limits.set(method, { ...limit, recent: [] }),
    override: (method, answer) => void overrides.set(method, answer),
    reset() {
      // Fixtures (users, channels, usergroups, scopes) stay: tests set them up once per file.
      fake.calls.length = 0;
      fake.responses.length = 0;
      fake.violations.length = 0;
      failures.clear();
      overrides.clear();
      limits.clear();
      workspace.messages.clear();
      workspace.uploads.clear();
    },
    close: () =>
      new Promise<void>((resolve, reject) => {
        server.close((error) => (error ? reject(error) : resolve()));
        server.closeAllConnections();
      }),
  };
  return fake;
}
