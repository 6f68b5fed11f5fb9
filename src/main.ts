// Entry point: config -> app (database, capabilities) -> serve; stops cleanly on SIGTERM/SIGINT.
import { createFrontline } from './app.ts';
import { ConfigError, loadConfig } from './config.ts';

function fail(message: string): never {
  console.error(message);
  process.exit(1);
}

let config: ReturnType<typeof loadConfig>;
try {
  config = loadConfig(process.env, { isTTY: Boolean(process.stdout.isTTY) });
} catch (error) {
  fail(error instanceof ConfigError ? error.message : String(error));
}

try {
  const frontline = await createFrontline({ config });
  const { logger } = frontline.deps;
  let stopping = false;
  const shutdown = async (signal: string) => {
    if (stopping) return;
    stopping = true;
    logger.info({ signal }, 'shutting down');
    await frontline.stop();
    logger.info('stopped');
    process.exit(0);
  };
  process.on('SIGTERM', () => void shutdown('SIGTERM'));
  process.on('SIGINT', () => void shutdown('SIGINT'));
  await frontline.start();
} catch (error) {
  if (error instanceof ConfigError) fail(error.message);
  const slackError = (error as { data?: { error?: string } }).data?.error;
  if (slackError === 'invalid_auth' || slackError === 'not_authed' || slackError === 'token_revoked') {
    fail(`Frontline cannot start: Slack rejected SLACK_BOT_TOKEN (${slackError}). Copy the Bot User OAuth Token from your app's OAuth & Permissions page.`);
  }
  if ((error as { code?: string }).code === 'EADDRINUSE') fail(`Frontline cannot start: port ${config.port} is already in use. Set PORT to a free port.`);
  fail(`Frontline cannot start: ${(error as Error).message}`);
}
