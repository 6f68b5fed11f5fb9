// Pure rules of feedback capture: reading `/feedback` text, tagging themes, scoring sentiment.
import Sentiment from 'sentiment';
import { z } from 'zod';

export const FEEDBACK_SOURCES = ['email', 'chat', 'phone', 'social', 'in_person', 'other'] as const;
export type FeedbackSource = (typeof FEEDBACK_SOURCES)[number];
export const SENTIMENT_LABELS = ['positive', 'neutral', 'negative'] as const;
export type SentimentLabel = (typeof SENTIMENT_LABELS)[number];

export const SOURCE_NAMES: Record<FeedbackSource, string> = {
  email: 'Email',
  chat: 'Chat',
  phone: 'Phone',
  social: 'Social media',
  in_person: 'In person',
  other: 'Other',
};

// Slack caps a text input at 3000 characters; the other capture paths keep the same limit.
export const MAX_FEEDBACK_LENGTH = 3000;
export const feedbackTextSchema = z
  .string({ error: 'is required: the feedback itself, as text' })
  .trim()
  .min(1, 'Write the feedback itself')
  .max(MAX_FEEDBACK_LENGTH, `Keep the feedback under ${MAX_FEEDBACK_LENGTH} characters`);
export const customerSchema = z.string().trim().min(1).max(200, 'Keep the customer under 200 characters');

/** Theme names are short slugs so `#billing` in a message finds them. */
export const themeNameSchema = z
  .string()
  .trim()
  .toLowerCase()
  .regex(
    /^[\p{L}\p{N}][\p{L}\p{N}_-]{0,39}$/u,
    'A theme name is one word of letters, digits, - or _ (up to 40), such as billing or mobile-app',
  );

export interface ParsedFeedbackText {
  text: string;
  customer?: string;
  themes: string[];
}

type Token = { kind: 'word'; raw: string } | { kind: 'customer'; value: string } | { kind: 'theme'; value: string };

// A channel that happens to share a theme's name arrives escaped as <#C123|billing>: still a theme.
const TOKEN =
  /customer:(?:"([^"]+)"|“([^”]+)”|(\S+))|<#[CG][A-Z0-9]+\|([^>]+)>|(?<![\p{L}\p{N}&])#([\p{L}\p{N}][\p{L}\p{N}_-]*)|\S+/gu;

/**
 * Picks `customer:<name>` (quotes allowed) and `#theme` words out of `/feedback` text. Tags at the
 * start or end are removed; a tag inside a sentence keeps its word so the sentence still reads.
 */
export function parseFeedbackText(input: string): ParsedFeedbackText {
  const tokens: Token[] = [...input.matchAll(TOKEN)].map((m): Token => {
    const customer = m[1] ?? m[2] ?? m[3];
    if (customer !== undefined) return { kind: 'customer', value: customer.trim() };
    const theme = m[4] ?? m[5];
    if (theme !== undefined) return { kind: 'theme', value: theme.toLowerCase() };
    return { kind: 'word', raw: m[0] };
  });
  const firstWord = tokens.findIndex((t) => t.kind === 'word');
  const lastWord = tokens.findLastIndex((t) => t.kind === 'word');
  const words = tokens.flatMap((t, i) => {
    if (t.kind === 'word') return [t.raw];
    if (t.kind === 'theme' && i > firstWord && i < lastWord) return [t.value];
    return [];
  });
  const customer = tokens.findLast((t) => t.kind === 'customer');
  const themes = [...new Set(tokens.flatMap((t) => (t.kind === 'theme' ? [t.value] : [])))];
  return {
    text: words.join(' '),
    ...(customer?.kind === 'customer' && customer.value ? { customer: customer.value } : {}),
    themes,
  };
}

export interface ThemeKeywords {
  name: string;
  keywords: string[];
}

const escapeRegExp = (s: string) => s.replace(/[.*+?^${}()|[\]\\]/g, '\\$&');

/** Themes whose name or any keyword appears in the text as whole words (case-insensitive). */
export function tagThemes(text: string, themes: ThemeKeywords[]): string[] {
  return themes
    .filter(({ name, keywords }) =>
      [name, ...keywords].some(
        (k) =>
          k.trim() && new RegExp(`(?<![\\p{L}\\p{N}])${escapeRegExp(k.trim())}(?![\\p{L}\\p{N}])`, 'iu').test(text),
      ),
    )
    .map((t) => t.name);
}

/** Comma- or space-free keyword lists as admins type them: "invoice, refund, credit card". */
export function parseKeywords(text: string): string[] {
  return [
    ...new Set(
      text
        .split(',')
        .map((k) => k.trim().toLowerCase().replace(/\s+/g, ' '))
        .filter(Boolean),
    ),
  ];
}

const analyzer = new Sentiment();

export interface SentimentScore {
  score: number;
  label: SentimentLabel;
}

/** Scores text with the AFINN-165 lexicon (with negation): above zero is positive, below negative. */
export function scoreSentiment(text: string): SentimentScore {
  const { score } = analyzer.analyze(text);
  return { score, label: score > 0 ? 'positive' : score < 0 ? 'negative' : 'neutral' };
}

export const SENTIMENT_EMOJI: Record<SentimentLabel, string> = {
  positive: ':large_green_circle:',
  neutral: ':white_circle:',
  negative: ':red_circle:',
};

/** A Slack emoji name from `:bulb:` or `bulb`. */
export const emojiNameSchema = z
  .string()
  .trim()
  .transform((s) => s.replace(/^:|:$/g, ''))
  .pipe(z.string().regex(/^[a-z0-9_+'-]{1,100}$/, 'Give an emoji name such as :bulb: or memo'));

/** What a capture path knows about a piece of feedback before rules fill in the rest. */
export interface FeedbackDraft {
  text: string;
  customer?: string | null;
  source: FeedbackSource;
  /** Themes given by the person or tool; when empty, keywords decide. */
  themes?: string[];
  /** A label chosen by a person; otherwise the lexicon decides. */
  sentiment?: SentimentLabel;
}

/** Applies theme tagging and sentiment scoring to a draft. */
export function classifyFeedback(draft: FeedbackDraft, themes: ThemeKeywords[]) {
  const scored = scoreSentiment(draft.text);
  return {
    text: draft.text,
    customer: draft.customer ?? null,
    source: draft.source,
    themes: draft.themes && draft.themes.length > 0 ? [...new Set(draft.themes)] : tagThemes(draft.text, themes),
    sentimentScore: scored.score,
    sentimentLabel: draft.sentiment ?? scored.label,
    sentimentOverridden: draft.sentiment !== undefined,
  };
}
