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

/** Splits command text on whitespace, keeping "quoted phrases" together. */
export function splitArgs(text: string): string[] {
  return [...text.matchAll(/"([^"]*)"|“([^”]*)”|(\S+)/g)].map((m) => m[1] ?? m[2] ?? m[3] ?? '');
}

export const mentionUser = (id: string) => `<@${id}>`;
export const mentionChannel = (id: string) => `<#${id}>`;
