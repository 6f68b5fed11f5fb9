// Entry point: config -> database (starting while the code loads) -> app -> serve; stops cleanly on SIGTERM/SIGINT.
import type { Frontline } from './app.ts';
import { type Config, ConfigError, configSecrets, loadConfig } from './config.ts';
import type { Logger } from './logger.ts';

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

// The database starts first, so the embedded server's start (initdb, the first time) runs while the
// rest of the code loads and Slack is asked; createFrontline reports its failure.
const { createDatabase } = await import('./db/client.ts');
const database = createDatabase({ url: config.databaseUrl, dataDir: config.dataDir });
database.catch(() => {});

// Listening from here on: a SIGTERM while the code loads must stop the server started above too.
let stopping = false;
let frontline: Frontline | undefined;
let logger: Logger | undefined;
const shutdown = async (signal: string) => {
  if (stopping) return;
  stopping = true;
  setTimeout(() => {
    if (logger) logger.error({ limitMs: STOP_LIMIT_MS }, 'could not stop in time; exiting');
    else console.error('Frontline could not stop in time; exiting');
    process.exit(1);
  }, STOP_LIMIT_MS).unref();
  if (!frontline) {
    // Still starting: nothing is being served, but the embedded server may be running already.
    await database.then((opened) => opened.close()).catch(() => {});
    process.exit(0);
  }
  logger?.info({ signal }, 'shutting down');
  try {
    await frontline.stop();
    logger?.info('stopped');
    process.exit(0);
  } catch (error) {
    logger?.error({ err: error }, 'could not stop cleanly');
    process.exit(1);
  }
};
process.on('SIGTERM', () => void shutdown('SIGTERM'));
process.on('SIGINT', () => void shutdown('SIGINT'));

// Loaded only once the environment is known good, so a bad one is reported at once.
const [{ createFrontline }, { createLogger, exitOnCrash }, { StartError }] = await Promise.all([
  import('./app.ts'),
  import('./logger.ts'),
  import('./slack/startup.ts'),
]);
logger = createLogger({ level: config.logLevel, pretty: config.prettyLogs, secrets: configSecrets(config) });
exitOnCrash(logger);

try {
  frontline = await createFrontline({ config, logger, database });
  await frontline.start();
} catch (error) {
  // A start cut short by SIGTERM is not a failure: shutdown exits once the database is closed.
  if (!stopping) {
    if (error instanceof ConfigError || error instanceof StartError) fail(error.message);
    // Not one we know how to explain: the whole error, scrubbed, on one log line.
    logger.fatal({ err: error }, 'Frontline cannot start');
    process.exit(1);
  }
}
