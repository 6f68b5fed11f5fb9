// Text people typed, made safe to show inside mrkdwn: Slack reads &, < and > as control characters.
const ENTITIES: Record<string, string> = { '&': '&amp;', '<': '&lt;', '>': '&gt;' };

/** Escapes &, < and > so stored text shows as written (no accidental links or mentions). */
export function escapeMrkdwn(text: string): string {
  return text.replace(/[&<>]/g, (c) => ENTITIES[c]!);
}
