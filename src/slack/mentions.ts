// Slash commands are declared with escaping on: channels arrive as <#C123|name>, users as <@U123|name>.
// A bare ID is accepted too, for people who paste one.

/** A Slack user ID as people pickers send it (U… or, in Enterprise Grid, W…). */
export const SLACK_USER_ID = /^[UW][A-Z0-9]{2,}$/;

/** Whether a message target is a person (posted to as a DM) rather than a channel. */
export const isPerson = (target: string) => /^[UW]/.test(target);

const CHANNEL = /^<#([CG][A-Z0-9]+)(?:\|[^>]*)?>$|^([CG][A-Z0-9]{2,})$/;
const USER = /^<@([UW][A-Z0-9]+)(?:\|[^>]*)?>$|^([UW][A-Z0-9]{2,})$/;

/** The channel ID in `<#C123|name>` or `C123`, else undefined. */
export function parseChannel(token: string | undefined): string | undefined {
  const m = token?.trim().match(CHANNEL);
  return m ? (m[1] ?? m[2]) : undefined;
}

/** The user ID in `<@U123|name>` or `U123`, else undefined. */
export function parseUser(token: string | undefined): string | undefined {
  const m = token?.trim().match(USER);
  return m ? (m[1] ?? m[2]) : undefined;
}

const USERGROUP = /^<!subteam\^(S[A-Z0-9]+)(?:\|@?([\w.-]{1,80}))?>$|^(S[A-Z0-9]{2,})$/;

/**
 * The user group in `<!subteam^S123|@team>` (how Slack sends a group mention) or `S123`: its ID,
 * and its handle when given (to name it without pinging everyone in it), else undefined.
 */
export function parseUsergroup(token: string | undefined): { id: string; handle: string | null } | undefined {
  const m = token?.trim().match(USERGROUP);
  return m ? { id: (m[1] ?? m[3])!, handle: m[2] ?? null } : undefined;
}

/** Names a user group without mentioning it (a mention would notify every member): `@team`, else its ID. */
export const nameUsergroup = (group: { id: string; handle: string | null }) =>
  group.handle ? `@${group.handle}` : `\`${group.id}\``;

/** Splits command text on whitespace, keeping "quoted phrases" together. */
export function splitArgs(text: string): string[] {
  return [...text.matchAll(/"([^"]*)"|“([^”]*)”|(\S+)/g)].map((m) => m[1] ?? m[2] ?? m[3] ?? '');
}

export const mentionUser = (id: string) => `<@${id}>`;
/** A live mention of a user group: only ever for a group an admin configured, never from typed text. */
export const mentionUserGroup = (id: string) => `<!subteam^${id}>`;
export const mentionChannel = (id: string) => `<#${id}>`;
