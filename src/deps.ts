import type { App, CustomRoute } from '@slack/bolt';
import type { WebClient } from '@slack/web-api';
import type { Clock } from './clock.ts';
import type { Config } from './config.ts';
import type { Database, Db } from './db/client.ts';
import type { Home } from './home/home.ts';
import type { Logger } from './logger.ts';
import type { Scheduler } from './scheduler/scheduler.ts';
import type { Settings } from './settings/settings.ts';
import type { WorkspaceSettings } from './settings/workspace.settings.ts';
import type { AdminCheck } from './slack/admins.ts';
import type { FrontlineCommand } from './slack/frontline-command.ts';
import type { Outbox } from './slack/outbox.ts';
import type { RequestKeys } from './slack/request-keys.ts';

/** Everything a capability may use, passed explicitly (no globals, no process.env). */
export interface Deps {
  config: Config;
  logger: Logger;
  clock: Clock;
  database: Database;
  db: Db;
  /** The bot's Web API client, pointed at SLACK_API_URL. */
  slack: WebClient;
  /** The same client paced to Slack's rate tiers, for fan-out (see slack-client.ts). */
  pacedSlack: WebClient;
  /** Sends messages, keeping what Slack will not take yet for the resend job (see outbox.ts). */
  messages: Outbox;
  scheduler: Scheduler;
  settings: Settings;
  workspace: WorkspaceSettings;
  /** The workspace time zone: the `timezone` setting, else FRONTLINE_TIMEZONE. */
  timezone(): Promise<string>;
  admins: AdminCheck;
  requestKeys: RequestKeys;
  frontline: FrontlineCommand;
  home: Home;
}

/** A capability: its listeners, optional HTTP routes, and scheduled jobs, wired in one place. */
export interface Feature {
  name: string;
  /** Registers listeners (app.command/action/view/event/shortcut), jobs, settings, help and Home sections. */
  register(app: App, deps: Deps): void;
  /** Extra HTTP routes on the app's port (not Slack's: they must authenticate themselves). */
  routes?(deps: Deps): CustomRoute[];
}
