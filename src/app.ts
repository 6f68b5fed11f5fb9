import type { Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { App, type CustomRoute, HTTPReceiver, SocketModeReceiver } from '@slack/bolt';
import type { RetryOptions } from '@slack/web-api';
import { createAvailability } from './availability.ts';
import { createBeforePosting } from './before-posting.ts';
import { type Clock, systemClock } from './clock.ts';
import { type Config, configSecrets } from './config.ts';
import { applyConfigFile } from './config-file.ts';
import { createDatabase, type Database } from './db/client.ts';
import type { Deps } from './deps.ts';
import { createDigestSections } from './digests/digests.registry.ts';
import { createTriageTrees } from './escalations/triage.usecases.ts';
import { createDomainEvents } from './events/domain-events.ts';
import { createPublicViews } from './events/public-views.ts';
import { features } from './features.ts';
import { createHome } from './home/home.ts';
import { createLogger, type Logger, toBoltLogger } from './logger.ts';
import { createScheduler } from './scheduler/scheduler.ts';
import { createSettings, recordInstallation } from './settings/settings.ts';
import { defineWorkspaceSettings } from './settings/workspace.settings.ts';
import { arrivalProperties, enforceAckDeadline } from './slack/ack-deadline.ts';
import { acksFirst } from './slack/acks-first.ts';
import { createAdminCheck } from './slack/admins.ts';
import { registerErrorReplies } from './slack/error-replies.ts';
import { dropRedeliveredEvents } from './slack/event-dedupe.ts';
import { createFrontlineCommand } from './slack/frontline-command.ts';
import { trackInFlight } from './slack/in-flight.ts';
import { indexListeners } from './slack/listener-index.ts';
import { createOutbox } from './slack/outbox.ts';
import { guardSlackRequests, SLACK_BODY_LIMIT, SLACK_EVENTS_PATH } from './slack/replay-guard.ts';
import { createRequestKeys } from './slack/request-keys.ts';
import { createSlackClients, type PacingOptions } from './slack/slack-client.ts';
import { identifyBot, listening, startReceiver } from './slack/startup.ts';

// Long enough for a handler's Slack calls; short enough that stopping ends within main's 10 s limit.
const SHUTDOWN_GRACE_MS = 8_000;

export interface FrontlineOptions {
  config: Config;
  clock?: Clock;
  logger?: Logger;
  /** Web API retry policy; tests shorten it. */
  slackRetry?: RetryOptions;
  /** How long a Slack call may take before it is given up (15 s); tests shorten it. */
  slackTimeoutMs?: number;
  /** Fan-out pacing; tests and benchmarks against a fake Slack speed it up. */
  slackPacing?: PacingOptions;
  /** Whether to start node-cron schedules (tests drive jobs through scheduler.runSlot). */
  schedules?: boolean;
  /** The database, already being opened (main starts it while the code loads); else opened here. */
  database?: Promise<Database>;
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
  const logger =
    options.logger ??
    createLogger({ level: config.logLevel, pretty: config.prettyLogs, secrets: configSecrets(config) });
  // The database opens while Slack is asked: the embedded server's first start takes a second or two.
  const opening = options.database ?? createDatabase({ url: config.databaseUrl, dataDir: config.dataDir });
  opening.catch(() => {}); // awaited below, or closed: never an unhandled rejection meanwhile
  let bot: Awaited<ReturnType<typeof identifyBot>>;
  try {
    bot = await identifyBot(config.slack.botToken, {
      slackApiUrl: config.slack.apiUrl,
      logger: toBoltLogger(logger, 'web-api'),
    });
  } catch (error) {
    // A refused token or an unreachable Slack is what to report; the server started meanwhile stops first.
    await opening.then((database) => database.close()).catch(() => {});
    throw error;
  }
  const database = await opening;
  try {
    return await assemble(options, { clock, logger, database, bot });
  } catch (error) {
    // Nothing is serving yet: release the database so a failed start leaves no handle open.
    await database.close().catch(() => {});
    throw error;
  }
}

interface Assembly {
  clock: Clock;
  logger: Logger;
  database: Database;
  bot: { botId: string; botUserId: string };
}

async function assemble(options: FrontlineOptions, { clock, logger, database, bot }: Assembly): Promise<Frontline> {
  const { config } = options;
  await database.migrate();
  const db = database.db;

  const {
    slack,
    paced,
    options: slackOptions,
  } = createSlackClients(config.slack.botToken, {
    slackApiUrl: config.slack.apiUrl,
    logger: toBoltLogger(logger, 'web-api'),
    ...(options.slackRetry ? { retry: options.slackRetry } : {}),
    ...(options.slackPacing ? { pacing: options.slackPacing } : {}),
    ...(options.slackTimeoutMs ? { timeout: options.slackTimeoutMs } : {}),
  });
  const acks = acksFirst();
  const scheduler = createScheduler({ db, clock, logger, timezone: config.timezone, turn: () => acks.turn() });
  const settings = createSettings({ db, clock });
  const workspace = defineWorkspaceSettings(settings, (zone) => scheduler.setTimezone(zone));
  const admins = createAdminCheck({ admins: config.admins, slack, logger });
  const deps: Deps = {
    config,
    logger,
    clock,
    database,
    db,
    slack,
    messages: createOutbox({ db, locks: database.locks, clock, logger, slack, paced }),
    scheduler,
    settings,
    installedAt: await recordInstallation({ db, clock }),
    workspace,
    timezone: async () => (await workspace.timezone.get()) ?? config.timezone,
    admins,
    requestKeys: createRequestKeys({ db, clock }),
    frontline: createFrontlineCommand(),
    home: createHome({ slack, isAdmin: admins.isAdmin, logger }),
    digests: createDigestSections(),
    events: createDomainEvents({ db, locks: database.locks, clock, logger }),
    availability: createAvailability(),
    beforePosting: createBeforePosting({ logger }),
    publicViews: createPublicViews(),
    triage: createTriageTrees(),
  };

  const customRoutes: CustomRoute[] = [healthRoute(deps), ...features.flatMap((f) => f.routes?.(deps) ?? [])];
  const boltLogger = toBoltLogger(logger, 'bolt');
  const { logger: _ownLogger, ...clientOptions } = slackOptions;
  const signingSecret = config.slack.signingSecret ?? '';
  const receiver = config.slack.socketMode
    ? new SocketModeReceiver({
        appToken: config.slack.appToken ?? '',
        customRoutes,
        logger: boltLogger,
        installerOptions: { port: config.port, clientOptions },
      })
    : new HTTPReceiver({
        signingSecret,
        endpoints: SLACK_EVENTS_PATH,
        bodyLimit: SLACK_BODY_LIMIT,
        // guardSlackRequests, in front of every event Bolt receives, verifies the signature once.
        signatureVerification: false,
        customPropertiesExtractor: arrivalProperties,
        customRoutes,
        logger: boltLogger,
        port: config.port,
      });
  if (receiver instanceof HTTPReceiver)
    guardSlackRequests(receiver, {
      requestKeys: createRequestKeys({ db: database.ackPathDb, clock }),
      logger,
      signingSecret,
      acks,
    });
  const app = new App({
    token: config.slack.botToken,
    // Slack was asked at start-up (identifyBot), within a deadline: Bolt need not ask again.
    tokenVerificationEnabled: false,
    ...bot,
    receiver,
    logger: boltLogger,
    clientOptions,
    deferInitialization: true,
    extendedErrorHandler: true,
    // Frontline keeps no per-conversation state in memory (replicas would not share it); without a
    // store Bolt skips a lookup that builds an Error for every request.
    convoStore: false,
  });
  enforceAckDeadline(app, logger, acks);
  const inFlight = trackInFlight(app);
  registerErrorReplies(app, deps);
  dropRedeliveredEvents(app, deps);
  // Last of the global middleware: it runs the listeners.
  indexListeners(app);
  for (const feature of features) feature.register(app, deps);
  deps.frontline.register(app);
  if (config.configFile) await applyConfigFile(config.configFile, deps);
  const timezone = await deps.timezone();
  if (timezone !== config.timezone) scheduler.setTimezone(timezone);

  let server: Server | undefined;
  let serving = false;
  let zoneWatch: NodeJS.Timeout | undefined;
  let stopSendingWhenDue: (() => Promise<void>) | undefined;
  const stop = async () => {
    // Take no new requests, let the ones being handled finish, then stop schedules and the database.
    if (serving)
      await app
        .stop()
        .catch((error: unknown) => logger.warn({ err: error }, 'error while stopping the Slack receiver'));
    await inFlight.drain(SHUTDOWN_GRACE_MS);
    clearInterval(zoneWatch);
    await stopSendingWhenDue?.();
    await scheduler.stop();
    await database.close();
  };
  return {
    app,
    deps,
    async start() {
      try {
        await app.init();
        serving = true;
        // Bolt's Socket Mode server for /healthz listens without an error handler: catch a port in use here.
        const socketServer =
          receiver instanceof SocketModeReceiver
            ? (receiver as unknown as { httpServer?: Server }).httpServer
            : undefined;
        const bound = socketServer && listening(socketServer);
        const [started] = (await startReceiver(Promise.all([app.start(config.port), bound]), {
          port: config.port,
          socketMode: config.slack.socketMode,
          apiUrl: config.slack.apiUrl,
        })) as unknown[];
        server = started && typeof (started as Server).address === 'function' ? (started as Server) : undefined;
      } catch (error) {
        // Slack refused the token, the port is taken…: leave no embedded server running behind the failure.
        await stop().catch(() => {});
        throw error;
      }
      if (options.schedules !== false) {
        // What a crash or an outage left in the outbox goes out now, not at the next minute's run;
        // what must wait (a post a killed process may have been sending), as soon as it falls due.
        stopSendingWhenDue = deps.messages.sendWhenDue();
        // One after the other: each start-up look at once would open one more connection (15 MiB
        // for the embedded server, idle). The scheduler's jobs send what their tables kept meanwhile.
        void deps.messages
          .resendDue(clock.now(), { everything: true })
          .catch((error: unknown) => logger.warn({ err: error }, 'could not send what the outbox kept'))
          .then(() => deps.events.dispatch());
        scheduler.start();
        // Another replica may have changed the zone: follow it, so every replica keys slots alike.
        zoneWatch = setInterval(
          () =>
            void deps.timezone().then(
              (zone) => zone !== scheduler.timezone() && scheduler.setTimezone(zone),
              () => {},
            ),
          60_000,
        );
      }
      const port = (server?.address() as AddressInfo | null)?.port ?? 0;
      logger.info(
        { mode: config.slack.socketMode ? 'socket' : 'http', port, database: database.kind },
        'Frontline is running',
      );
      return port;
    },
    stop,
  };
}

function healthRoute({ database, config }: Deps): CustomRoute {
  return {
    path: '/healthz',
    method: ['GET'],
    handler: (_req, res) => {
      void database.ping().then((up) => {
        res.writeHead(up ? 200 : 503, { 'content-type': 'application/json' });
        res.end(
          JSON.stringify({
            status: up ? 'ok' : 'degraded',
            database: { kind: database.kind, status: up ? 'up' : 'down' },
            mode: config.slack.socketMode ? 'socket' : 'http',
          }),
        );
      });
    },
  };
}
