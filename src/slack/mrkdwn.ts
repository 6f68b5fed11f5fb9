// The one rule for text that people, customers, other tools or the config file wrote: decoded once
// where it enters (Slack sends command and message text with &, < and > as entities; modal inputs,
// the webhook and the config file arrive raw), stored as typed, and escaped here, where it is rendered.
// Rendered text never pings the channel or a user group, and never shows a link whose label hides
// where it goes; a person's own mentions of people and channels stay live.

const ENTITIES: Record<string, string> = { '&': '&amp;', '<': '&lt;', '>': '&gt;' };
const BROADCASTS = new Set(['channel', 'here', 'everyone']);

/** What a person typed, from Slack's escaped command or message text (the reverse of Slack's escaping). */
export const decodeSlackText = (text: string) =>
  text.replace(/&lt;/g, '<').replace(/&gt;/g, '>').replace(/&amp;/g, '&');

/** Every &, < and > escaped: nothing in the text can be live. */
const escapeStrictly = (text: string) => text.replace(/[&<>]/g, (c) => ENTITIES[c]!);

/** What one `<…>` of Slack syntax in stored text stands for. */
type Control =
  | { kind: 'person'; id: string; label: string }
  | { kind: 'channel'; id: string; label: string }
  | { kind: 'broadcast'; name: string }
  | { kind: 'group'; label: string }
  | { kind: 'link'; url: string; label: string }
  | { kind: 'text'; text: string };

/** Reads the inside of `<…>` the way Slack would (it holds no < or >). */
function readControl(inner: string): Control {
  const bar = inner.indexOf('|');
  const target = bar < 0 ? inner : inner.slice(0, bar);
  const label = bar < 0 ? '' : inner.slice(bar + 1);
  const person = /^@([UW][A-Z0-9]+)$/.exec(target);
  if (person) return { kind: 'person', id: person[1]!, label };
  const channel = /^#([CG][A-Z0-9]+)$/.exec(target);
  if (channel) return { kind: 'channel', id: channel[1]!, label };
  if (target.startsWith('!') && BROADCASTS.has(target.slice(1))) return { kind: 'broadcast', name: target.slice(1) };
  if (/^!subteam\^[A-Z0-9]+$/.test(target)) return { kind: 'group', label: label || '@group' };
  if (/^(?:https?:\/\/|mailto:)\S+$/i.test(target)) return { kind: 'link', url: target, label };
  return { kind: 'text', text: `<${inner}>` };
}

/** A label that says no more than its address: the address itself, or it without its scheme. */
const honestLabel = (url: string, label: string) =>
  !label || label === url || label === url.replace(/^(?:https?:\/\/|mailto:)/i, '').replace(/\/$/, '');

/** Applies `render` to each `<…>` of Slack syntax and `escape` to the text around it. */
const eachControl = (text: string, render: (c: Control) => string, escapeText: (text: string) => string) =>
  text.replace(/<([^<>]*)>|[^<]+|</g, (match, inner: string | undefined) =>
    inner === undefined ? escapeText(match) : render(readControl(inner)),
  );

/**
 * Stored text as mrkdwn that reads as typed: mentions of people and channels stay live; @channel,
 * @here, @everyone and user groups become plain words; a link shows its address (a label that differs
 * from it follows in brackets, inert); every other &, < and > is escaped.
 */
export function escapeMrkdwn(text: string): string {
  return eachControl(
    text,
    (c) => {
      switch (c.kind) {
        case 'person':
          return `<@${c.id}>`;
        case 'channel':
          return `<#${c.id}>`;
        case 'broadcast':
          return `@${c.name}`;
        case 'group':
          return escapeStrictly(c.label);
        case 'link':
          // A bare address: Slack links it with the address as its label.
          return honestLabel(c.url, c.label)
            ? escapeStrictly(c.label || c.url)
            : `${escapeStrictly(c.label)} (${escapeStrictly(c.url)})`;
        case 'text':
          return escapeStrictly(c.text);
      }
    },
    escapeStrictly,
  );
}

/** Stored text for plain_text fields (headers, options), which Slack shows as is: Slack syntax as a person reads it. */
export function plainTextOf(text: string): string {
  return eachControl(
    text,
    (c) => {
      switch (c.kind) {
        case 'person':
          return `@${c.label || c.id}`;
        case 'channel':
          return `#${c.label || c.id}`;
        case 'broadcast':
          return `@${c.name}`;
        case 'group':
          return c.label;
        case 'link':
          return honestLabel(c.url, c.label) ? c.label || c.url : `${c.label} (${c.url})`;
        case 'text':
          return c.text;
      }
    },
    (t) => t,
  );
}

/** Stored text as a block quote: escaped by the one rule, every line marked with `>`. */
export const blockQuote = (text: string) => `>${escapeMrkdwn(text).replace(/\n/g, '\n>')}`;

/** Text in a code span, shown exactly as typed: nothing inside is live. */
export const codeSpan = (text: string) => `\`${escapeStrictly(text)}\``;

/** A mrkdwn link: the address survives `|`, `<`, `>` and `&`, and the label shows as written. */
export const linkTo = (url: string, label: string) =>
  `<${url.replace(/\|/g, '%7C').replace(/</g, '%3C').replace(/>/g, '%3E').replace(/&/g, '&amp;')}|${escapeStrictly(label)}>`;
