// Entry point: config -> app (Slack, database, capabilities) -> serve; stops cleanly on SIGTERM/SIGINT.
import { type Config, ConfigError, configSecrets, loadConfig } from './config.ts';

// An orchestrator kills a process that ignores SIGTERM for long; stop on our own terms before that.
const STOP_LIMIT_MS = 9_500;

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
const [{ createFrontline }, { createLogger, exitOnCrash }, { StartError }] = await Promise.all([
  import('./app.ts'),
  import('./logger.ts'),
  import('./slack/startup.ts'),
]);
const logger = createLogger({ level: config.logLevel, pretty: config.prettyLogs, secrets: configSecrets(config) });
exitOnCrash(logger);

let stopping = false;
let frontline: Awaited<ReturnType<typeof createFrontline>> | undefined;
const shutdown = async (signal: string) => {
  if (stopping) return;
  stopping = true;
  if (!frontline) process.exit(0); // still starting: nothing is being served
  logger.info({ signal }, 'shutting down');
  setTimeout(() => {
    logger.error({ limitMs: STOP_LIMIT_MS }, 'could not stop in time; exiting');
    process.exit(1);
  }, STOP_LIMIT_MS).unref();
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
  frontline = await createFrontline({ config, logger });
  await frontline.start();
} catch (error) {
  if (error instanceof ConfigError || error instanceof StartError) fail(error.message);
  // Not one we know how to explain: the whole error, scrubbed, on one log line.
  logger.fatal({ err: error }, 'Frontline cannot start');
  process.exit(1);
}
