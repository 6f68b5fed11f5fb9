import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { parseThemeCommand } from '../../src/feedback/feedback.commands.ts';
import {
  classifyFeedback,
  emojiNameSchema,
  parseFeedbackText,
  scoreSentiment,
  tagThemes,
} from '../../src/feedback/feedback.models.ts';

describe('parseFeedbackText', () => {
  it('picks out the customer and trailing themes', () => {
    expect(parseFeedbackText('The export is too slow customer:acme #performance #Reports')).toEqual({
      text: 'The export is too slow',
      customer: 'acme',
      themes: ['performance', 'reports'],
    });
  });

  it('accepts a quoted customer name and leading tags', () => {
    expect(parseFeedbackText('customer:"Acme Corp" #billing Charged twice this month')).toEqual({
      text: 'Charged twice this month',
      customer: 'Acme Corp',
      themes: ['billing'],
    });
    expect(parseFeedbackText('Love it customer:“Büro Müller”')).toMatchObject({
      customer: 'Büro Müller',
      text: 'Love it',
    });
  });

  it('keeps a tag word inside a sentence so it still reads', () => {
    expect(parseFeedbackText('The #billing page is confusing')).toEqual({
      text: 'The billing page is confusing',
      themes: ['billing'],
    });
  });

  it('reads a theme Slack escaped into a channel link', () => {
    expect(parseFeedbackText('Refund took weeks <#C0BILLING|billing>')).toEqual({
      text: 'Refund took weeks',
      themes: ['billing'],
    });
  });

  it('does not take anchors or issue numbers in words as themes', () => {
    expect(parseFeedbackText('See page.html#top and AT&T#1')).toEqual({
      text: 'See page.html#top and AT&T#1',
      themes: [],
    });
  });

  it('returns empty text when there are only tags', () => {
    expect(parseFeedbackText('customer:acme #billing').text).toBe('');
  });

  it('never loses a plain word (property)', () => {
    fc.assert(
      fc.property(fc.array(fc.stringMatching(/^[a-z]{1,8}$/), { minLength: 1, maxLength: 10 }), (words) => {
        expect(parseFeedbackText(words.join(' ')).text).toBe(words.join(' '));
      }),
    );
  });
});

describe('tagThemes', () => {
  const themes = [
    { name: 'billing', keywords: ['invoice', 'credit card'] },
    { name: 'performance', keywords: ['slow', 'timeout'] },
  ];
  it('tags by whole-word keyword or phrase, case-insensitively', () => {
    expect(tagThemes('The INVOICE was wrong and the app is slow', themes)).toEqual(['billing', 'performance']);
    expect(tagThemes('My Credit Card was declined', themes)).toEqual(['billing']);
    expect(tagThemes('Invoices page', themes)).toEqual([]);
    expect(tagThemes('slowly but surely', themes)).toEqual([]);
  });
  it('tags by the theme name itself', () => {
    expect(tagThemes('A billing question', themes)).toEqual(['billing']);
  });
});

describe('scoreSentiment and classifyFeedback', () => {
  it('labels by the lexicon score, with negation', () => {
    expect(scoreSentiment('I love the new dashboard, great work').label).toBe('positive');
    expect(scoreSentiment('This is terrible, I am angry').label).toBe('negative');
    expect(scoreSentiment('The invoice arrived on Tuesday').label).toBe('neutral');
    expect(scoreSentiment('not good').score).toBeLessThan(0);
  });

  it('keeps given themes and a chosen label, else tags and scores', () => {
    const themes = [{ name: 'billing', keywords: ['invoice'] }];
    expect(classifyFeedback({ text: 'Awful invoice', source: 'email' }, themes)).toMatchObject({
      themes: ['billing'],
      sentimentLabel: 'negative',
      sentimentOverridden: false,
    });
    expect(
      classifyFeedback({ text: 'Awful invoice', source: 'email', themes: ['ux', 'ux'], sentiment: 'neutral' }, themes),
    ).toMatchObject({
      themes: ['ux'],
      sentimentLabel: 'neutral',
      sentimentOverridden: true,
    });
  });
});

describe('small parsers', () => {
  it('reads emoji names', () => {
    expect(emojiNameSchema.parse(':memo:')).toBe('memo');
    expect(emojiNameSchema.safeParse('not an emoji').success).toBe(false);
  });
  it('parses theme commands', () => {
    expect(parseThemeCommand(['add', 'Billing', 'invoice,', 'credit', 'card'])).toEqual({
      action: 'add',
      name: 'billing',
      keywords: ['invoice', 'credit card'],
    });
    expect(parseThemeCommand([])).toEqual({ action: 'list' });
    expect(() => parseThemeCommand(['add', 'two words!'])).toThrow('theme name');
    expect(() => parseThemeCommand(['rename'])).toThrow('I don’t know `theme rename`');
  });
});
