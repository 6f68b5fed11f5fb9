// Small Block Kit builders shared by every capability, so views read like the message they build.
import type { Block, KnownBlock, PlainTextOption } from '@slack/types';

export type Blocks = (KnownBlock | Block)[];

const SECTION_LIMIT = 3000;

export const plain = (text: string, emoji = true) => ({
  type: 'plain_text' as const,
  text: truncate(text, 150),
  emoji,
});
export const mrkdwn = (text: string) => ({ type: 'mrkdwn' as const, text: truncate(text, SECTION_LIMIT) });

/** The first `max` UTF-16 units of text (as Slack's limits count), less a trailing half of a surrogate pair. */
export const cutAt = (text: string, max: number): string => text.slice(0, max).replace(/[\uD800-\uDBFF]$/, '');

/** Cuts text to Slack's limits with an ellipsis, never mid-surrogate. */
export function truncate(text: string, max: number): string {
  if (text.length <= max) return text;
  return `${cutAt(text, max - 1)}…`;
}

export const header = (text: string): KnownBlock => ({ type: 'header', text: plain(text) });
export const section = (text: string): KnownBlock => ({ type: 'section', text: mrkdwn(text) });
export const context = (...texts: string[]): KnownBlock => ({
  type: 'context',
  elements: texts.slice(0, 10).map(mrkdwn),
});
export const divider = (): KnownBlock => ({ type: 'divider' });

/** Several section blocks for text longer than one section allows, split on line breaks. */
export function sections(text: string): KnownBlock[] {
  const out: KnownBlock[] = [];
  let current = '';
  for (const line of text.split('\n')) {
    if (current && current.length + line.length + 1 > SECTION_LIMIT) {
      out.push(section(current));
      current = '';
    }
    current = current ? `${current}\n${line}` : line;
  }
  if (current) out.push(section(current));
  return out;
}

/** What a button asks before it acts: Slack shows it as a dialog and sends nothing unless confirmed. */
export interface ConfirmDialog {
  title: string;
  /** mrkdwn: what will happen, in a sentence. */
  text: string;
  confirm: string;
  deny?: string;
  /** `danger` for what cannot be undone. */
  style?: 'primary' | 'danger';
}

/** A Block Kit confirmation object (title 100, text 300, buttons 30 characters at most). */
export const confirmDialog = ({ title, text, confirm, deny = 'Cancel', style }: ConfirmDialog) => ({
  title: { type: 'plain_text' as const, text: truncate(title, 100) },
  text: { type: 'mrkdwn' as const, text: truncate(text, 300) },
  confirm: { type: 'plain_text' as const, text: truncate(confirm, 30) },
  deny: { type: 'plain_text' as const, text: truncate(deny, 30) },
  ...(style ? { style } : {}),
});

export interface ButtonOptions {
  value?: string;
  style?: 'primary' | 'danger';
  url?: string;
  confirm?: ConfirmDialog;
}

export function button(text: string, actionId: string, { value, style, url, confirm }: ButtonOptions = {}) {
  return {
    type: 'button' as const,
    text: plain(text),
    action_id: actionId,
    ...(value !== undefined ? { value } : {}),
    ...(style ? { style } : {}),
    ...(url ? { url } : {}),
    ...(confirm ? { confirm: confirmDialog(confirm) } : {}),
  };
}

export const actions = (blockId: string | undefined, elements: ReturnType<typeof button>[]): KnownBlock => ({
  type: 'actions',
  ...(blockId ? { block_id: blockId } : {}),
  elements,
});

/** What a submitted modal's `view.state.values` holds: block id, then action id, then what was entered. */
export type StateValues = Record<
  string,
  Record<
    string,
    {
      value?: string | null;
      selected_option?: { value: string } | null;
      selected_options?: { value: string }[] | null;
      selected_users?: string[] | null;
      selected_conversation?: string | null;
      selected_time?: string | null;
      selected_date?: string | null;
    }
  >
>;

/** `text` with its first letter in upper case. */
export const capitalise = (text: string) => text.charAt(0).toUpperCase() + text.slice(1);

export const option = (text: string, value: string): PlainTextOption => ({ text: plain(text), value });

const inUtc = (options: Intl.DateTimeFormatOptions) =>
  new Intl.DateTimeFormat('en-US', { ...options, timeZone: 'UTC' });
/** Slack's date tokens in the words Slack uses (relative words such as "today" aside), read in UTC. */
const FALLBACK_TOKENS: Record<string, Intl.DateTimeFormat> = {
  date_num: new Intl.DateTimeFormat('en-CA', { year: 'numeric', month: '2-digit', day: '2-digit', timeZone: 'UTC' }),
  date: inUtc({ year: 'numeric', month: 'long', day: 'numeric' }),
  date_short: inUtc({ year: 'numeric', month: 'short', day: 'numeric' }),
  date_long: inUtc({ weekday: 'long', year: 'numeric', month: 'long', day: 'numeric' }),
  time: inUtc({ hour: 'numeric', minute: '2-digit' }),
  time_secs: inUtc({ hour: 'numeric', minute: '2-digit', second: '2-digit' }),
};

/**
 * `<!date^…>` renders in each reader's own time zone. The fallback (clients and notifications that
 * cannot format it) says the same in the same words, in UTC: "Dec 8, 2026 at 2:00 PM UTC".
 */
export function slackDate(date: Date, format = '{date_short_pretty} at {time}'): string {
  const seconds = Math.floor(date.getTime() / 1000);
  const fallback = format.replace(
    /\{(\w+?)(?:_pretty)?\}/g,
    // Newer ICU puts a narrow no-break space before AM/PM.
    (token, name: string) => FALLBACK_TOKENS[name]?.format(date).replace(/\u202f/g, ' ') ?? token,
  );
  return `<!date^${seconds}^${format}|${fallback} UTC>`;
}

/** The reply to a command that removes something: what will happen, and the one button that does it. */
export function confirmStep(
  question: string,
  label: string,
  actionId: string,
  value: string,
): { text: string; blocks: Blocks } {
  return {
    text: question,
    blocks: [
      section(question),
      context('Nothing changes unless you press the button.'),
      actions(undefined, [button(label, actionId, { value, style: 'danger' })]),
    ],
  };
}
