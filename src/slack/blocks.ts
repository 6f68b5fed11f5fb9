// Small Block Kit builders shared by every capability, so views read like the message they build.
import type { Block, KnownBlock, PlainTextOption } from '@slack/types';

export type Blocks = (KnownBlock | Block)[];

const SECTION_LIMIT = 3000;

export const plain = (text: string, emoji = true) => ({ type: 'plain_text' as const, text: truncate(text, 150), emoji });
export const mrkdwn = (text: string) => ({ type: 'mrkdwn' as const, text: truncate(text, SECTION_LIMIT) });

/** Cuts text to Slack's limits with an ellipsis, never mid-surrogate. */
export function truncate(text: string, max: number): string {
  if (text.length <= max) return text;
  return `${Array.from(text.slice(0, max - 1)).join('').replace(/[\uD800-\uDBFF]$/, '')}…`;
}

export const header = (text: string): KnownBlock => ({ type: 'header', text: plain(text) });
export const section = (text: string): KnownBlock => ({ type: 'section', text: mrkdwn(text) });
export const context = (...texts: string[]): KnownBlock => ({ type: 'context', elements: texts.slice(0, 10).map(mrkdwn) });
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

export interface ButtonOptions {
  value?: string;
  style?: 'primary' | 'danger';
  url?: string;
}

export function button(text: string, actionId: string, { value, style, url }: ButtonOptions = {}) {
  return {
    type: 'button' as const,
    text: plain(text),
    action_id: actionId,
    ...(value !== undefined ? { value } : {}),
    ...(style ? { style } : {}),
    ...(url ? { url } : {}),
  };
}

export const actions = (blockId: string | undefined, elements: ReturnType<typeof button>[]): KnownBlock => ({
  type: 'actions',
  ...(blockId ? { block_id: blockId } : {}),
  elements,
});

export const option = (text: string, value: string): PlainTextOption => ({ text: plain(text), value });

/** `<!date^…>` renders in each reader's own time zone; the fallback is for notifications. */
export function slackDate(date: Date, format = '{date_short_pretty} at {time}'): string {
  const seconds = Math.floor(date.getTime() / 1000);
  return `<!date^${seconds}^${format}|${date.toISOString().replace('T', ' ').slice(0, 16)} UTC>`;
}
