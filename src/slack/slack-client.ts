// The app's Web API clients: one for answering people, one paced to Slack's rate tiers for
// fan-out, and the rules for which failures are worth retrying.

import { ErrorCode, type RetryOptions, WebClient, type WebClientOptions } from '@slack/web-api';
import pThrottle from 'p-throttle';

/** Retries in the request: about 15 s of backoff plus any Retry-After waits, then the outbox takes over (see outbox.ts). */
export const DEFAULT_RETRY: RetryOptions = {
  retries: 3,
  factor: 3,
  minTimeout: 1_000,
  maxTimeout: 10_000,
  randomize: true,
};
/** A Slack call that has not answered in this long is given up (and, for a post, maybe landed). */
export const SLACK_TIMEOUT_MS = 15_000;

export type SlackFailure =
  | { transient: true; maybeDelivered: boolean; retryAfterMs?: number; reason: string }
  | { transient: false; reason: string };

// Slack's "try again" answers: these mean it did nothing; the others may have done part of the work.
const NOT_DONE_PLATFORM_ERRORS = new Set(['ratelimited', 'rate_limited', 'service_unavailable', 'team_added_to_org']);
const MAYBE_DONE_PLATFORM_ERRORS = new Set(['internal_error', 'fatal_error', 'request_timeout']);
// Network errors raised before the request reached Slack: safe to send again.
const NOT_SENT_CODES = new Set(['ECONNREFUSED', 'ENOTFOUND', 'EAI_AGAIN', 'EHOSTUNREACH', 'ENETUNREACH']);

/** Every error in the chain (`original`, `cause`), the outermost first. */
function* chain(error: unknown): Generator<{ code?: unknown; name?: unknown; message?: unknown }> {
  for (let e: unknown = error, depth = 0; e && typeof e === 'object' && depth < 10; depth++) {
    yield e as { code?: unknown; name?: unknown; message?: unknown };
    e = (e as { original?: unknown }).original ?? (e as { cause?: unknown }).cause;
  }
}

/** What a failed Web API call means for sending it again. */
export function classifySlackFailure(error: unknown): SlackFailure {
  const errors = [...chain(error)];
  const messages = errors.map((e) => String(e.message ?? '')).join(' ');
  // After a 429 the client waits Retry-After, then fails the attempt with an error naming it.
  const rateLimited = /rate limit was exceeded.*retry-after: (\d+)/.exec(messages);
  if (rateLimited)
    return {
      transient: true,
      maybeDelivered: false,
      retryAfterMs: Number(rateLimited[1]) * 1000,
      reason: 'rate limited',
    };
  if (/Retry header did not contain a valid timeout/.test(messages))
    return { transient: true, maybeDelivered: false, reason: 'rate limited' };
  // A timeout, wherever it struck (sending, or reading the answer), leaves the call's fate unknown.
  if (errors.some((e) => e.name === 'TimeoutError' || e.name === 'AbortError'))
    return { transient: true, maybeDelivered: true, reason: 'timeout' };

  const e = error as {
    code?: string;
    data?: { error?: string };
    statusCode?: number;
    original?: unknown;
    message?: string;
  };
  switch (e.code) {
    case ErrorCode.HTTPError: {
      const status = e.statusCode ?? 0;
      // 503 says Slack took nothing; other 5xx may come after the work was done; 4xx will not change.
      if (status === 503) return { transient: true, maybeDelivered: false, reason: `HTTP ${status}` };
      return status >= 500
        ? { transient: true, maybeDelivered: true, reason: `HTTP ${status}` }
        : { transient: false, reason: `HTTP ${status}` };
    }
    case ErrorCode.RequestError: {
      const code = errors.map((x) => x.code).find((c): c is string => typeof c === 'string' && /^E[A-Z_]+$/.test(c));
      return { transient: true, maybeDelivered: !(code && NOT_SENT_CODES.has(code)), reason: code ?? 'request error' };
    }
    case ErrorCode.PlatformError: {
      const code = e.data?.error ?? 'unknown_error';
      if (NOT_DONE_PLATFORM_ERRORS.has(code)) return { transient: true, maybeDelivered: false, reason: code };
      if (MAYBE_DONE_PLATFORM_ERRORS.has(code)) return { transient: true, maybeDelivered: true, reason: code };
      return { transient: false, reason: code };
    }
  }
  return { transient: false, reason: e.message ?? String(error) };
}

/**
 * The client's retry policy, except that a call which may already have been carried out (a timeout,
 * a reset connection, a 500) is not repeated blindly: posting again could post twice. The outbox
 * looks for the message first. (Reads and updates, which could safely repeat, give up early too.)
 */
export function retryPolicy(base: RetryOptions): RetryOptions {
  const onFailedAttempt = (error: unknown) => {
    const failure = classifySlackFailure(error);
    if (failure.transient && failure.maybeDelivered) throw error;
  };
  return { ...base, onFailedAttempt } as RetryOptions;
}

/** Requests per minute for Slack's rate tiers (https://api.slack.com/apis/rate-limits). */
const TIER_PER_MINUTE = { t1: 1, t2: 20, t3: 50, t4: 100 } as const;
export type RateTier = keyof typeof TIER_PER_MINUTE | 't5';

/** The tiers of the methods fan-out uses; chat.postMessage is "special" (t5): about one a second per channel. */
export const METHOD_TIERS: Record<string, RateTier> = {
  'chat.postMessage': 't5',
  'chat.update': 't3',
  'chat.getPermalink': 't5',
  'conversations.history': 't3',
  'conversations.replies': 't3',
  'conversations.open': 't3',
  'users.info': 't4',
  'usergroups.users.list': 't2',
  'views.publish': 't4',
};
const POST_PER_CHANNEL_PER_MINUTE = 60;
// A workspace-wide budget for posts keeps DMs to thousands from drawing 429s.
const POST_PER_MINUTE = 100;
// A tenth under each budget, for what people do interactively meanwhile.
const HEADROOM = 0.9;

export interface PacingOptions {
  /** Multiplies every budget (tests and benchmarks speed it up; 1 is Slack's published tiers). */
  speed?: number;
}

/** Spaces calls to stay within each method's tier, and chat.postMessage within one channel. */
export function createPacer({ speed = 1 }: PacingOptions = {}) {
  const throttles = new Map<string, <T>(call: () => Promise<T>) => Promise<T>>();
  const throttle = (key: string, perMinute: number) => {
    let run = throttles.get(key);
    if (!run) {
      // Strict: no sliding window of any alignment holds more calls than the budget (Slack counts that way).
      const limiter = pThrottle({
        limit: Math.max(1, Math.floor(perMinute * HEADROOM)),
        interval: Math.round(60_000 / speed),
        strict: true,
      });
      run = limiter(<T>(call: () => Promise<T>) => call()) as <T>(call: () => Promise<T>) => Promise<T>;
      throttles.set(key, run);
    }
    return run;
  };
  return {
    run<T>(method: string, channel: string | undefined, call: () => Promise<T>): Promise<T> {
      const tier = METHOD_TIERS[method] ?? 't3';
      const perMinute = tier === 't5' ? POST_PER_MINUTE : TIER_PER_MINUTE[tier];
      const byMethod = () => throttle(method, perMinute)(call);
      // Per-channel spacing first, so one busy channel does not hold up everyone else's DMs.
      return tier === 't5' && channel
        ? throttle(`${method}:${channel}`, POST_PER_CHANNEL_PER_MINUTE)(byMethod)
        : byMethod();
    },
  };
}
export type Pacer = ReturnType<typeof createPacer>;

/** A Web API client whose every call waits its turn in the pacer. */
class PacedWebClient extends WebClient {
  constructor(
    token: string | undefined,
    options: WebClientOptions,
    private readonly pacer: Pacer,
  ) {
    super(token, options);
  }

  override apiCall(method: string, options?: Record<string, unknown>): ReturnType<WebClient['apiCall']> {
    const channel = typeof options?.channel === 'string' ? options.channel : undefined;
    return this.pacer.run(method, channel, () => super.apiCall(method, options));
  }
}

export interface SlackClients {
  /** For answering people: not paced, since people do not click faster than Slack allows. */
  slack: WebClient;
  /** For fan-out (reminders, digests, the outbox): paced to the tiers. */
  paced: WebClient;
  /** The options both were built with, for Bolt's own client. */
  options: WebClientOptions;
}

export function createSlackClients(
  token: string | undefined,
  options: WebClientOptions & { retry?: RetryOptions; pacing?: PacingOptions },
): SlackClients {
  const { retry, pacing, ...rest } = options;
  const clientOptions: WebClientOptions = {
    timeout: SLACK_TIMEOUT_MS,
    ...rest,
    retryConfig: retryPolicy(retry ?? DEFAULT_RETRY),
  };
  const pacer = createPacer(pacing);
  return {
    slack: new WebClient(token, clientOptions),
    paced: new PacedWebClient(token, clientOptions, pacer),
    options: clientOptions,
  };
}
