// Start-up's conversations with Slack and the network, each bounded: a Slack that cannot be reached,
// a refused token or a port in use stops the app within seconds with one line saying what to fix,
// instead of retrying for minutes or dying of an unhandled error.
import type { Server } from 'node:http';
import { WebClient, type WebClientOptions } from '@slack/web-api';
import { DeadlineError, withDeadline } from '../deadline.ts';
import { slackErrorCode } from './messaging.ts';

/** How long start-up waits for each answer from Slack (auth.test, then the Socket Mode connection). */
export const START_DEADLINE_MS = 4_000;

const REFUSED_TOKEN = new Set([
  'invalid_auth',
  'not_authed',
  'token_revoked',
  'token_expired',
  'account_inactive',
  'not_allowed_token_type',
]);

/** A start-up failure the operator can fix: its message is one line naming the cause and the fix. */
export class StartError extends Error {
  constructor(message: string) {
    super(`Frontline cannot start: ${message}`);
    this.name = 'StartError';
  }
}

const reasonOf = (error: unknown) => (error instanceof Error ? error.message : String(error));

/** Why talking to Slack failed, and what to do about it. */
function slackStartError(
  error: unknown,
  { token, fix, apiUrl }: { token: string; fix: string; apiUrl: string },
): StartError {
  const code = slackErrorCode(error ?? {});
  if (code && REFUSED_TOKEN.has(code)) return new StartError(`Slack rejected ${token} (${code}). ${fix}`);
  if (code) return new StartError(`Slack refused to start the app (${code}). ${fix}`);
  return new StartError(
    `cannot reach Slack at ${apiUrl} (${reasonOf(error)}). Check the network, proxy or firewall, or SLACK_API_URL.`,
  );
}

/**
 * Asks Slack who the bot is (auth.test) once, within START_DEADLINE_MS, so Bolt need not: its own
 * check retries for a quarter of a minute and reports a refused token as `undefined` in Socket Mode.
 */
export async function identifyBot(
  token: string,
  options: WebClientOptions,
): Promise<{ botId: string; botUserId: string }> {
  // A few quick retries (a dropped keep-alive connection, a blip), all inside the deadline.
  const client = new WebClient(token, {
    ...options,
    retryConfig: { retries: 3, factor: 2, minTimeout: 200, maxTimeout: 800 },
    timeout: START_DEADLINE_MS,
  });
  try {
    const result = await withDeadline(client.auth.test(), START_DEADLINE_MS);
    return { botId: result.bot_id ?? '', botUserId: result.user_id ?? '' };
  } catch (error) {
    throw slackStartError(error, {
      token: 'SLACK_BOT_TOKEN',
      fix: 'Copy the Bot User OAuth Token (xoxb-…) from your Slack app’s OAuth & Permissions page.',
      apiUrl: options.slackApiUrl ?? 'https://slack.com/api/',
    });
  }
}

/** Resolves once `server` listens, rejects with its error (EADDRINUSE) otherwise: Bolt's Socket Mode server has no error handler. */
export function listening(server: Server): Promise<void> {
  return new Promise((resolve, reject) => {
    if (server.listening) return resolve();
    server.once('listening', () => resolve());
    server.once('error', reject);
  });
}

/**
 * Runs the receiver's start (listening on `port`, and in Socket Mode connecting to Slack) within
 * START_DEADLINE_MS, turning each way it can fail into a StartError.
 */
export async function startReceiver<T>(
  start: Promise<T>,
  { port, socketMode, apiUrl }: { port: number; socketMode: boolean; apiUrl?: string },
): Promise<T> {
  try {
    return await withDeadline(start, START_DEADLINE_MS);
  } catch (error) {
    const code = (error as { code?: unknown } | undefined)?.code;
    if (code === 'EADDRINUSE')
      throw new StartError(`port ${port} is already in use. Set PORT to a free port, or stop what is using it.`);
    if (code === 'EACCES')
      throw new StartError(`not allowed to listen on port ${port}. Set PORT to a port above 1023.`);
    if (!socketMode) throw error;
    if (error instanceof DeadlineError || !slackErrorCode(error ?? {})) {
      throw new StartError(
        `Slack did not open a Socket Mode connection within ${START_DEADLINE_MS / 1000} s. Check that outbound WebSockets to Slack are allowed, and SLACK_APP_TOKEN (an app-level token with connections:write).`,
      );
    }
    throw slackStartError(error, {
      token: 'SLACK_APP_TOKEN',
      fix: 'Generate an app-level token with the connections:write scope under Basic Information → App-Level Tokens.',
      apiUrl: apiUrl ?? 'https://slack.com/api/',
    });
  }
}
