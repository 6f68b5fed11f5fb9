// Text people typed, made safe to show inside mrkdwn: Slack reads &, < and > as control characters.
const ENTITIES: Record<string, string> = { '&': '&amp;', '<': '&lt;', '>': '&gt;' };

/** Escapes &, < and > so stored text shows as written (no accidental links or mentions). */
export function escapeMrkdwn(text: string): string {
  return text.replace(/[&<>]/g, (c) => ENTITIES[c]!);
}

/**
 * The same, but user, channel and user-group mentions and plain links (as Slack formats what people
 * type) stay live; broadcasts such as @channel, and links whose label hides where they go, do not.
 */
export function escapeKeepingMentions(text: string): string {
  return text.replace(/<(?:(?:@[UW][A-Z0-9]+|#[CG][A-Z0-9]+|!subteam\^[A-Z0-9]+)(?:\|[^<>]*)?|(?:https?|mailto):[^<>|\s]+)>|[&<>]/g, (m) => (m.length > 1 ? m : (ENTITIES[m] ?? m)));
}

/** The reverse of escaping, for putting a Slack message's text into an input for editing. */
export const unescapeMrkdwn = (text: string) => text.replace(/&lt;/g, '<').replace(/&gt;/g, '>').replace(/&amp;/g, '&');

/**
 * Like escapeKeepingMentions, but labelled links stay live too: for text that came from Slack's own
 * formatting (commands and messages), where a label is what the author saw.
 */
export function escapeKeepingLinks(text: string): string {
  return text.replace(/<(?:@[UW][A-Z0-9]+|#[CG][A-Z0-9]+|!subteam\^[A-Z0-9]+|(?:https?|mailto):[^<>|\s]+)(?:\|[^<>]*)?>|[&<>]/g, (m) => (m.length > 1 ? m : (ENTITIES[m] ?? m)));
}
