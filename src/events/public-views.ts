// How each capability shows its records outside Slack (webhook deliveries, the REST API): one JSON
// shape per kind of record, registered by the capability that owns it, so readers need not know its tables.
import type { Db } from '../db/client.ts';

/** A JSON-ready record: snake_case fields, ISO dates, Slack users as `{ slack_id }`. */
export type PublicRecord = Record<string, unknown>;

export interface PublicView {
  /** The record as it stands in `db` (a transaction sees its own changes), or undefined when it is gone. */
  load(db: Db, id: string): Promise<PublicRecord | undefined>;
}

export interface PublicViews {
  define(kind: string, view: PublicView): void;
  /** The view of a kind, if its capability is installed. */
  get(kind: string): PublicView | undefined;
}

export function createPublicViews(): PublicViews {
  const views = new Map<string, PublicView>();
  return {
    define(kind, view) {
      if (views.has(kind)) throw new Error(`public view ${kind} is defined twice`);
      views.set(kind, view);
    },
    get: (kind) => views.get(kind),
  };
}

/** A date as JSON shows it, null kept. */
export const isoOrNull = (date: Date | null | undefined) => date?.toISOString() ?? null;
/** A Slack user as JSON shows it, null kept. */
export const slackUser = (id: string | null | undefined) => (id ? { slack_id: id } : null);
