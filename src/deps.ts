import type { App, CustomRoute } from '@slack/bolt';
import type { WebClient } from '@slack/web-api';
import type { Availability } from './availability.ts';
import type { BeforePosting } from './before-posting.ts';
import type { Clock } from './clock.ts';
import type { Config } from './config.ts';
import type { Database, Db } from './db/client.ts';
import type { DigestSections } from './digests/digests.registry.ts';
import type { TriageTrees } from './escalations/triage.usecases.ts';
import type { DomainEvents } from './events/domain-events.ts';
import type { PublicViews } from './events/public-views.ts';
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
  /** Sends messages, keeping what Slack will not take yet for the resend job (see outbox.ts). */
  messages: Outbox;
  scheduler: Scheduler;
  settings: Settings;
  /** When Frontline first started on this database (see recordInstallation). */
  installedAt: Date;
  workspace: WorkspaceSettings;
  /** The workspace time zone: the `timezone` setting, else FRONTLINE_TIMEZONE. */
  timezone(): Promise<string>;
  admins: AdminCheck;
  requestKeys: RequestKeys;
  frontline: FrontlineCommand;
  home: Home;
  /** Each capability's part of the weekly digest. */
  digests: DigestSections;
  /** What happened, for other capabilities to react to (see events/domain-events.ts). */
  events: DomainEvents;
  /** Who is away on a date, from every capability that records absences (see availability.ts). */
  availability: Availability;
  /** Questions held after the ack, before they are posted (answers offered first, see before-posting.ts). */
  beforePosting: BeforePosting;
  /** Each capability's records as JSON, for webhook deliveries and the API (see events/public-views.ts). */
  publicViews: PublicViews;
  /** The triage tree FRONTLINE_CONFIG declares, if any (set when the file is applied at start). */
  triage: TriageTrees;
}

/**
 * A capability, wired in one place: `register` adds its listeners (app.command/action/view/event/
 * shortcut), jobs (deps.scheduler), settings (deps.settings), help (deps.frontline), Home section
 * (deps.home), digest section (deps.digests) and domain-event subscriptions (deps.events).
 */
export interface Feature {
  name: string;
  register(app: App, deps: Deps): void;
  /** Extra HTTP routes on the app's port (not Slack's: they must authenticate themselves). */
  routes?(deps: Deps): CustomRoute[];
}
