// Entry point: config -> app (database, capabilities) -> serve; stops cleanly on SIGTERM/SIGINT.
import { ConfigError, type Config, loadConfig } from './config.ts';
import { slackErrorCode } from './slack/messaging.ts';

function fail(message: string): never {
  console.error(message);
  process.exit(1);
}

let config: Config;
try {
  config = loadConfig(process.env, { isTTY: Boolean(process.stdout.isTTY) });
} catch (error) {
  fail(error instanceof ConfigError ? error.message : String(error));
}

// Loaded only once the environment is known good, so a bad one is reported at once.
const { createFrontline } = await import('./app.ts');

/** The message an operator needs when start-up fails for a reason outside the environment. */
function startFailure(error: unknown): string {
  if (error instanceof ConfigError) return error.message;
  const slackError = slackErrorCode(error);
  if (slackError === 'invalid_auth' || slackError === 'not_authed' || slackError === 'token_revoked') {
    return `Frontline cannot start: Slack rejected SLACK_BOT_TOKEN (${slackError}). Copy the Bot User OAuth Token from your app's OAuth & Permissions page.`;
  }
  if ((error as { code?: string }).code === 'EADDRINUSE') return `Frontline cannot start: port ${config.port} is already in use. Set PORT to a free port.`;
  return `Frontline cannot start: ${(error as Error).message}`;
}

let stopping = false;
let frontline: Awaited<ReturnType<typeof createFrontline>> | undefined;
const shutdown = async (signal: string) => {
  if (stopping) return;
  stopping = true;
  if (!frontline) process.exit(0);
  const { logger } = frontline.deps;
  logger.info({ signal }, 'shutting down');
  try {
    await frontline.stop();
    logger.info('stopped');
    process.exit(0);
  } catch (error) {
    logger.error({ err: error }, 'could not stop cleanly');
    process.exit(1);
  }
};
process.on('SIGTERM', () => void shutdown('SIGTERM'));
process.on('SIGINT', () => void shutdown('SIGINT'));

try {
  frontline = await createFrontline({ config });
  await frontline.start();
} catch (error) {
  fail(startFailure(error));
}
