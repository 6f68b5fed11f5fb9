import type { Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import type { PGlite } from '@electric-sql/pglite';
import { App, type CustomRoute, HTTPReceiver } from '@slack/bolt';
import type { RetryOptions } from '@slack/web-api';
import { type Clock, systemClock } from './clock.ts';
import type { Config } from './config.ts';
import { createDatabase, type Database } from './db/client.ts';
import type { Deps } from './deps.ts';
import { features } from './features.ts';
import { createHome } from './home/home.ts';
import { createLogger, type Logger, toBoltLogger } from './logger.ts';
import { createScheduler } from './scheduler/scheduler.ts';
import { createSettings } from './settings/settings.ts';
import { defineWorkspaceSettings } from './settings/workspace.settings.ts';
import { createAdminCheck } from './slack/admins.ts';
import { registerErrorReplies } from './slack/error-replies.ts';
import { createFrontlineCommand } from './slack/frontline-command.ts';
import { dropRedeliveredEvents } from './slack/event-dedupe.ts';
import { trackInFlight } from './slack/in-flight.ts';
import { guardAgainstReplays } from './slack/replay-guard.ts';
import { createRequestKeys } from './slack/request-keys.ts';
import { createOutbox } from './slack/outbox.ts';
import { createSlackClients, type PacingOptions } from './slack/slack-client.ts';
import { applyConfigFile } from './config-file.ts';

// Long enough for a handler's Slack calls and retries; short enough for an orchestrator's stop timeout.
const SHUTDOWN_GRACE_MS = 10_000;

export interface FrontlineOptions {
  config: Config;
  clock?: Clock;
  logger?: Logger;
  /** An already open embedded database (tests share one per file). */
  pglite?: PGlite;
  /** Web API retry policy; tests shorten it. */
  slackRetry?: RetryOptions;
  /** How long a Slack call may take before it is given up (15 s); tests shorten it. */
  slackTimeoutMs?: number;
  /** Fan-out pacing; tests and benchmarks against a fake Slack speed it up. */
  slackPacing?: PacingOptions;
  /** Whether to start node-cron schedules (tests drive jobs through scheduler.runSlot). */
  schedules?: boolean;
}

export interface Frontline {
  app: App;
  deps: Deps;
  /** Starts serving; resolves with the HTTP port (0 in Socket Mode without an HTTP server). */
  start(): Promise<number>;
  /** Stops schedules, lets in-flight requests finish, closes the database. */
  stop(): Promise<void>;
}

/** Builds the whole app: database (migrated), deps, Bolt app with every capability registered. */
export async function createFrontline(options: FrontlineOptions): Promise<Frontline> {
  const { config } = options;
  const clock = options.clock ?? systemClock;
  const logger = options.logger ?? createLogger({ level: config.logLevel, pretty: config.prettyLogs });
  const database = await createDatabase({ url: config.databaseUrl, dataDir: config.dataDir, pglite: options.pglite });
  try {
    return await assemble(options, { clock, logger, database });
  } catch (error) {
    // Nothing is serving yet: release the database so a failed start leaves no handle open.
    await database.close().catch(() => {});
    throw error;
  }
}

async function assemble(options: FrontlineOptions, { clock, logger, database }: { clock: Clock; logger: Logger; database: Database }): Promise<Frontline> {
  const { config } = options;
  await database.migrate();
  const db = database.db;

  const { slack, paced, options: slackOptions } = createSlackClients(config.slack.botToken, {
    slackApiUrl: config.slack.apiUrl,
    logger: toBoltLogger(logger, 'web-api'),
    ...(options.slackRetry ? { retry: options.slackRetry } : {}),
    ...(options.slackPacing ? { pacing: options.slackPacing } : {}),
    ...(options.slackTimeoutMs ? { timeout: options.slackTimeoutMs } : {}),
  });
  const scheduler = createScheduler({ db, clock, logger, timezone: config.timezone });
  const settings = createSettings({ db });
  const workspace = defineWorkspaceSettings(settings, (zone) => scheduler.setTimezone(zone));
  const admins = createAdminCheck({ admins: config.admins, slack, logger });
  const deps: Deps = {
    config,
    logger,
    clock,
    database,
    db,
    slack,
    pacedSlack: paced,
    messages: createOutbox({ db, clock, logger, slack, paced }),
    scheduler,
    settings,
    workspace,
    timezone: async () => (await workspace.timezone.get()) ?? config.timezone,
    admins,
    requestKeys: createRequestKeys({ db, clock }),
    frontline: createFrontlineCommand(),
    home: createHome({ slack, isAdmin: admins.isAdmin, logger }),
  };

  const customRoutes: CustomRoute[] = [healthRoute(deps), ...features.flatMap((f) => f.routes?.(deps) ?? [])];
  const boltLogger = toBoltLogger(logger, 'bolt');
  const { logger: _ownLogger, ...clientOptions } = slackOptions;
  const signingSecret = config.slack.signingSecret ?? '';
  const receiver = config.slack.socketMode ? undefined : new HTTPReceiver({ signingSecret, customRoutes, logger: boltLogger, port: config.port });
  if (receiver) guardAgainstReplays(receiver, { requestKeys: createRequestKeys({ db: database.ackPathDb, clock }), logger, signingSecret });
  const app = new App({
    token: config.slack.botToken,
    logger: boltLogger,
    clientOptions,
    deferInitialization: true,
    extendedErrorHandler: true,
    ...(receiver
      ? { receiver }
      : { socketMode: true, appToken: config.slack.appToken, customRoutes, installerOptions: { port: config.port, clientOptions } }),
  });
  const inFlight = trackInFlight(app);
  registerErrorReplies(app, deps);
  dropRedeliveredEvents(app, deps);
  for (const feature of features) feature.register(app, deps);
  deps.frontline.register(app);
  if (config.configFile) await applyConfigFile(config.configFile, deps);
  const timezone = await deps.timezone();
  if (timezone !== config.timezone) scheduler.setTimezone(timezone);

  let server: Server | undefined;
  let serving = false;
  let zoneWatch: NodeJS.Timeout | undefined;
  return {
    app,
    deps,
    async start() {
      await app.init();
      serving = true;
      const started = (await app.start(config.port)) as unknown;
      server = started && typeof (started as Server).address === 'function' ? (started as Server) : undefined;
      if (options.schedules !== false) {
        scheduler.start();
        // Another replica may have changed the zone: follow it, so every replica keys slots alike.
        zoneWatch = setInterval(() => void deps.timezone().then((zone) => zone !== scheduler.timezone() && scheduler.setTimezone(zone), () => {}), 60_000);
      }
      const port = (server?.address() as AddressInfo | null)?.port ?? 0;
      logger.info({ mode: config.slack.socketMode ? 'socket' : 'http', port, database: database.kind }, 'Frontline is running');
      return port;
    },
    async stop() {
      // Take no new requests, let the ones being handled finish, then stop schedules and the database.
      if (serving) await app.stop().catch((error: unknown) => logger.warn({ err: error }, 'error while stopping the Slack receiver'));
      await inFlight.drain(SHUTDOWN_GRACE_MS);
      clearInterval(zoneWatch);
      await scheduler.stop();
      await database.close();
    },
  };
}

function healthRoute({ database, config }: Deps): CustomRoute {
  return {
    path: '/healthz',
    method: ['GET'],
    handler: (_req, res) => {
      void database.ping().then((up) => {
        res.writeHead(up ? 200 : 503, { 'content-type': 'application/json' });
        res.end(JSON.stringify({ status: up ? 'ok' : 'degraded', database: { kind: database.kind, status: up ? 'up' : 'down' }, mode: config.slack.socketMode ? 'socket' : 'http' }));
      });
    },
  };
}
