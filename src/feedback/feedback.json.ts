// Feedback as the world outside Slack sees it (webhook deliveries, the REST API).
import type { Db } from '../db/client.ts';
import { isoOrNull, type PublicRecord, type PublicView, slackUser } from '../events/public-views.ts';
import { createFeedbackRepository, type FeedbackItem } from './feedback.repository.ts';

/** The public JSON of a piece of feedback: what the customer said, how it was tagged and where it came from. */
export function feedbackJson(f: FeedbackItem): PublicRecord {
  return {
    id: f.id,
    text: f.text,
    customer: f.customer,
    source: f.source,
    themes: f.themes,
    sentiment: f.sentimentLabel,
    captured_via: f.capturedVia,
    logged_by: slackUser(f.loggedBy),
    external_id: f.externalId,
    url: f.permalink,
    received_at: isoOrNull(f.receivedAt),
  };
}

export const feedbackPublicView: PublicView = {
  async load(db: Db, id: string) {
    if (!/^[0-9a-f-]{36}$/i.test(id)) return undefined;
    const item = await createFeedbackRepository({ db }).get(id);
    return item && feedbackJson(item);
  },
};
