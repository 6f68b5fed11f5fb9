// The one escaping rule (src/slack/mrkdwn.ts): what stored text becomes in mrkdwn and plain text.
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { blockQuote, codeSpan, decodeSlackText, escapeMrkdwn, linkTo, plainTextOf } from '../../src/slack/mrkdwn.ts';

describe('escapeMrkdwn', () => {
  it('turns broadcasts and user groups into plain words', () => {
    expect(escapeMrkdwn('<!channel> <!here|here> <!everyone> ping <!subteam^S0ONCALL|@oncall> <!subteam^S0X>')).toBe(
      '@channel @here @everyone ping @oncall @group',
    );
  });

  it('keeps mentions of people and channels live, without their labels', () => {
    expect(escapeMrkdwn('ask <@U0MARIA|maria> in <#C0BILL|billing> or <@W0GRID>')).toBe(
      'ask <@U0MARIA> in <#C0BILL> or <@W0GRID>',
    );
  });

  it('shows a link by its address, and a label that differs from it as inert text beside it', () => {
    expect(escapeMrkdwn('<https://evil.example/login|https://acme.okta.com/reset>')).toBe(
      'https://acme.okta.com/reset (https://evil.example/login)',
    );
    expect(escapeMrkdwn('see <https://example.com/x?a=1&b=2>')).toBe('see https://example.com/x?a=1&amp;b=2');
    expect(
      escapeMrkdwn('<https://example.com/x|https://example.com/x> <http://acme.com|acme.com> <mailto:a@b.co|a@b.co>'),
    ).toBe('https://example.com/x acme.com a@b.co');
    expect(escapeMrkdwn('<mailto:boss@evil.example|ceo@acme.com>')).toBe('ceo@acme.com (mailto:boss@evil.example)');
  });

  it('escapes everything else, unbalanced and nested brackets included', () => {
    expect(escapeMrkdwn('Q&A: a < b > c <script> <<!channel>> <!date^1^{date}|x>')).toBe(
      'Q&amp;A: a &lt; b &gt; c &lt;script&gt; &lt;@channel&gt; &lt;!date^1^{date}|x&gt;',
    );
    expect(escapeMrkdwn('<https://evil.example/<!here>|x>')).toBe('&lt;https://evil.example/@here|x&gt;');
    expect(escapeMrkdwn('&lt;!channel&gt;')).toBe('&amp;lt;!channel&amp;gt;');
  });

  it('never leaves a < or > that Slack could read as syntax, except mentions of people and channels', () => {
    fc.assert(
      fc.property(
        fc.string({
          unit: fc.constantFrom(
            '<',
            '>',
            '&',
            '|',
            '!',
            '@',
            '#',
            'U1',
            'C1',
            'channel',
            'here',
            'subteam^S1',
            'https://e.x/',
            'mailto:',
            ' ',
            'a',
          ),
        }),
        (text) => {
          expect(escapeMrkdwn(text).replace(/<[@#][UWCG][A-Z0-9]+>/g, '')).not.toMatch(/[<>]/);
        },
      ),
    );
  });

  it('reads as typed when the text holds no Slack syntax', () => {
    fc.assert(
      fc.property(
        fc.string({ unit: fc.constantFrom('<', '>', '&', 'amp;', 'lt;', '|', ' ', 'a', '\n', 'é') }),
        (text) => {
          fc.pre(!/<[@#!]|<(?:https?:|mailto:)/.test(text));
          expect(decodeSlackText(escapeMrkdwn(text))).toBe(text);
        },
      ),
    );
  });
});

describe('decodeSlackText', () => {
  it('undoes Slack’s escaping once', () => {
    expect(decodeSlackText('&lt;!channel&gt; Q&amp;A &amp;lt;')).toBe('<!channel> Q&A &lt;');
  });
});

describe('plainTextOf', () => {
  it('shows Slack syntax as a person reads it, without escaping', () => {
    expect(plainTextOf('R&D <!here> <@U1|ann> <#C1|billing> <https://evil.example|https://acme.com> <b>')).toBe(
      'R&D @here @ann #billing https://acme.com (https://evil.example) <b>',
    );
  });
});

describe('codeSpan and linkTo', () => {
  it('show text exactly, with nothing live', () => {
    expect(codeSpan('/frontline <!channel> & co')).toBe('`/frontline &lt;!channel&gt; &amp; co`');
    expect(linkTo('https://example.com/a|b>c&d', '<!here> & you')).toBe(
      '<https://example.com/a%7Cb%3Ec&amp;d|&lt;!here&gt; &amp; you>',
    );
  });
});

describe('blockQuote', () => {
  it('quotes every line and escapes it by the one rule', () => {
    expect(blockQuote('Refunded <!channel>\n> not a quote & <https://evil.example|bank>')).toBe(
      '>Refunded @channel\n>&gt; not a quote &amp; bank (https://evil.example)',
    );
  });

  it('keeps every line inside the quote, whatever the text', () => {
    fc.assert(
      fc.property(fc.string(), (text) =>
        blockQuote(text)
          .split('\n')
          .every((line) => line.startsWith('>')),
      ),
    );
  });
});
