// fast-check arbitraries for what people (and forgers) type into Slack: the nasty cases every
// parser and form must survive, and command lines and forms that are often nearly right, so the
// fuzz gets past the first check and reaches the code that writes.
import fc from 'fast-check';
import { field, type StateValue, stateValues } from './payloads.ts';

/**
 * Pieces that have broken parsers before: blanks, quotes, Slack's escaped mentions and entities,
 * markup, emoji with joiners and skin tones, right-to-left and zero-width characters.
 * ('undefined' and '[object Object]' are left out so a reply containing them is always our bug.)
 */
export const NASTY_PIECES = [
  '',
  ' ',
  '   ',
  '\n',
  '\n\n',
  '\t',
  '\r\n',
  '"',
  '""',
  '“',
  '”',
  "'",
  '`',
  '```',
  '\\',
  '/',
  '|',
  '>',
  '<',
  '&',
  '&lt;',
  '&gt;',
  '&amp;',
  '&lt;script&gt;',
  '<@U0FUZZ01|fuzz>',
  '<@W0FUZZ02>',
  '<#C0FUZZ01|fuzz>',
  '<#C0FUZZ02>',
  '<#G0PRIVATE|secret>',
  '<!here>',
  '<!channel>',
  '<!subteam^S0FUZZ|@team>',
  '<https://example.com/a?b=c&amp;d|a link>',
  '<mailto:a@b.c|a@b.c>',
  'https://example.com',
  '*bold*',
  '_italic_',
  '~strike~',
  ':bulb:',
  ':not-an-emoji:',
  '👍🏽',
  '👨‍👩‍👧‍👦',
  '🏳️‍🌈',
  'ünïcödé',
  'Ωmega',
  '中文字',
  'مرحبا',
  '\u202eevil',
  '\u200b',
  '\u00a0',
  'customer:',
  'customer:"Acme Corp"',
  '#',
  '#billing',
  '##',
  '-',
  '--',
  ',',
  ',,',
  ':',
  '0',
  '-1',
  '007',
  '3.5',
  '1e3',
  '0x10',
  'NaN',
  'Infinity',
  '{}',
  '[]',
  '%s',
  '%',
  '${x}',
  "' OR 1=1 --",
  'Robert"); DROP TABLE departments;--',
  'mon-fri',
  '09:00-17:00',
  '25:99',
  'Europe/Paris',
  'Mars/Olympus',
  '2026-03-16',
  '2026-02-30',
  'urgent',
  'LOW',
  'help',
  'list',
];

export const nastyPiece = fc.constantFrom(...NASTY_PIECES);

/** One word-ish thing: a nasty piece, or short random text (ASCII or any unicode grapheme). */
export const nastyWord: fc.Arbitrary<string> = fc.oneof(
  { weight: 3, arbitrary: nastyPiece },
  { weight: 1, arbitrary: fc.string({ maxLength: 12 }) },
  { weight: 1, arbitrary: fc.string({ unit: 'grapheme', maxLength: 8 }) },
);

// Mostly one space; sometimes other whitespace, or none (words run together).
const separator = fc.oneof(
  { weight: 12, arbitrary: fc.constant(' ') },
  { weight: 1, arbitrary: fc.constantFrom('  ', '\n', '\t', ' \u00a0', '') },
);

/** Joins words with random whitespace. */
export const joinedWith = (words: fc.Arbitrary<string[]>) =>
  words.chain((ws) =>
    fc
      .array(separator, { minLength: ws.length, maxLength: ws.length })
      .map((seps) => ws.map((w, i) => (i === 0 ? w : `${seps[i]}${w}`)).join('')),
  );

/** Text of `min` to `max` characters (code points: Slack sends no half characters), one nasty word repeated. */
export const longText = (min = 3000, max = 3600): fc.Arbitrary<string> =>
  fc
    .tuple(
      fc.oneof(
        nastyPiece.filter((p) => p.trim().length > 0),
        fc.constant('x'),
      ),
      fc.integer({ min, max }),
    )
    .map(([word, length]) => [...word.repeat(length)].slice(0, length).join(''));

/** Free text: mostly a few nasty words, sometimes blank, sometimes far too long. */
export const nastyText: fc.Arbitrary<string> = fc.oneof(
  { weight: 6, arbitrary: joinedWith(fc.array(nastyWord, { maxLength: 10 })) },
  { weight: 1, arbitrary: fc.constantFrom('', ' ', '\n\t ') },
  { weight: 1, arbitrary: longText() },
);

/** Picks `good` values `goodWeight` times in `goodWeight + 1`, else something wrong. */
const eitherOr = <T>(good: fc.Arbitrary<T>, wrong: fc.Arbitrary<T>, goodWeight: number) =>
  fc.oneof({ weight: goodWeight, arbitrary: good }, { weight: 1, arbitrary: wrong });

/** Mostly one of `good` (the first ones are likelier), sometimes a nasty word. */
const mostly = (good: readonly string[]) =>
  eitherOr(
    fc.oneof({ weight: 2, arbitrary: fc.constant(good[0]!) }, { weight: 3, arbitrary: fc.constantFrom(...good) }),
    nastyWord,
    6,
  );

/**
 * A command line from a grammar: each verb with the token pools of its positional arguments.
 * Each position mostly takes a token from its pool, sometimes a nasty word; arguments go missing
 * and extra ones trail. Now and then the line is just nasty text, or a verb and a wall of text.
 */
export function commandLine(grammar: Record<string, readonly (readonly string[])[]>): fc.Arbitrary<string> {
  // Verbs with more arguments have more to get wrong, so they come up more often.
  const verbs = Object.entries(grammar).map(([verb, pools]) => ({
    weight: 1 + 2 * pools.length,
    arbitrary: fc.constant(verb),
  }));
  const structured = fc.oneof(...verbs).chain((verb) => {
    const positions = grammar[verb]!.map((pool) => mostly(pool));
    return fc
      .tuple(
        mostly([verb]),
        fc.tuple(...positions),
        eitherOr(fc.constant(0), fc.nat({ max: positions.length }), 3),
        fc.array(nastyWord, { maxLength: 2 }),
      )
      .map(([v, args, dropped, extra]) => [
        v,
        ...args.slice(0, positions.length - dropped),
        ...(dropped === 0 && extra.length === 1 ? extra : []),
      ]);
  });
  return fc.oneof(
    { weight: 10, arbitrary: joinedWith(structured) },
    {
      weight: 1,
      arbitrary: fc.tuple(fc.constantFrom(...Object.keys(grammar)), longText()).map(([v, text]) => `${v} ${text}`),
    },
    { weight: 1, arbitrary: nastyText },
  );
}

/** A value typed in a plain text input: null (never touched), nasty text, or one of `valid`. */
export const textInput = (valid: readonly string[] = []): fc.Arbitrary<string | null> =>
  valid.length > 0
    ? fc.oneof(
        { weight: 1, arbitrary: fc.constant(null) },
        { weight: 3, arbitrary: nastyText },
        { weight: 3, arbitrary: fc.constantFrom(...valid) },
      )
    : fc.oneof({ weight: 1, arbitrary: fc.constant(null) }, { weight: 3, arbitrary: nastyText });

/** Slack user ids as a user picker sends them (sometimes a forged non-id). */
export const userIds: fc.Arbitrary<string[]> = fc.array(mostly(['U0FUZZ01', 'U0FUZZ02', 'W0FUZZ03', 'UADMIN01']), {
  maxLength: 4,
});

/** A JSON value of any shape, for bodies and fields of the wrong type. */
export const anyJson: fc.Arbitrary<unknown> = fc.oneof(
  fc.constantFrom(null, true, false, 0, -1, 1.5, 1e300, '', ' ', [], {}),
  nastyText,
  fc.jsonValue({ maxDepth: 2 }),
);

// ---- Command lines for each slash command (the text after the command or subcommand) ----

const KEYS = ['fuzz', 'ghost', 'fuzz-2', 'Fuzz', 'Bad_Key'];
const CHANNELS = ['<#C0FUZZ01|fuzz>', 'C0FUZZ02', '<#G0PRIVATE|secret>', '#fuzz'];
const USERS = ['<@U0FUZZ01|fuzz>', 'U0FUZZ02', '<@W0FUZZ03>', '@fuzz'];
const CRONS = ['"0 9 * * 1"', '“0 8 * * 5”', '"*/5 * * * *"', '"61 * * * *"', '0 9 * * 1', '"0 9 * *"'];

/** `/frontline dept …` (after `dept`). End to end, department `fuzz` exists and `ghost` never does. */
export const deptLine = commandLine({
  add: [KEYS, CHANNELS, ['Fuzz Team', 'Billing & Payments', '“Quoted”', 'x'.repeat(81)]],
  remove: [KEYS],
  leads: [KEYS, USERS, USERS],
  sla: [
    KEYS,
    ['urgent', 'high', 'normal', 'low', 'URGENT', 'soon'],
    ['10', '1', '43200', '0', '43201', '1.5', '0x10'],
    ['2', '0.25', '8760', '0.1', '8761', '1e2'],
  ],
  keywords: [KEYS, ['invoice,', 'refund', 'credit card,', 'k'.repeat(41), ',']],
  hours: [
    KEYS,
    ['mon-fri', 'sat,sun', 'mon-wed-fri', 'fri-mon', 'someday'],
    ['09:00-17:00', '17:00-09:00', '9-5', '08:30-16:45'],
    ['Europe/Paris', 'UTC', 'Mars/Olympus'],
  ],
  list: [],
  '': [],
});

/** `/frontline set …` (after `set`): every setting, with values of its own kind and others'. */
export const settingLine = commandLine({
  'help-channel': [CHANNELS],
  'support-channel': [CHANNELS],
  'digest-channel': [CHANNELS],
  timezone: [['Europe/Paris', 'UTC', 'Mars/Olympus', ...CHANNELS]],
  'help-nudge-minutes': [['30', '1', '10080', '0', '10081', '1.5', 'soon']],
  'feedback-emoji': [[':memo:', 'memo', ':+1:', 'Not An Emoji', '::']],
  'digest-schedule': [CRONS],
  colour: [['blue']],
  '': [],
});

/** `/frontline theme …` (after `theme`). */
const THEMES = ['performance', '#billing', 'mobile-app', 'Ünïcode', 'a'.repeat(41), '#'];
export const themeLine = commandLine({
  add: [THEMES, ['slow,', 'timeout', 'k'.repeat(61), ',']],
  remove: [THEMES],
  list: [],
  '': [],
});

/** `/frontline skills …` (after `skills`). */
const SKILLS = ['sql,', 'data science', 'c++', 'refunds', ',', 'node.js', '#hash', 'a'.repeat(41)];
export const skillsLine = commandLine({
  add: [SKILLS, SKILLS],
  remove: [SKILLS],
  who: [SKILLS],
  mine: [],
  list: [],
  '': [],
});

/** `/frontline digest …` (after `digest`); `send` and `preview` are left to other tests. */
export const digestLine = commandLine({ schedule: [CRONS], subscribe: [], unsubscribe: [], '': [] });

/** `/shadow …`. End to end, rotation `Fuzz Rotation` exists. */
const ROTATIONS = ['Fuzz Rotation', '"Fuzz Rotation"', 'fuzz rotation', 'Ghost'];
export const shadowLine = commandLine({
  '': [],
  help: [],
  optin: [],
  optout: [['parental leave', '']],
  rotations: [],
  schedule: [ROTATIONS],
  stats: [ROTATIONS],
  away: [
    ['2099-03-16', '2020-01-01', '2099-02-30', '16/03/2099'],
    ['2099-03-20', '2099-03-01'],
  ],
  pause: [ROTATIONS],
  resume: [ROTATIONS],
  delete: [['Ghost', '""']],
  edit: [ROTATIONS],
  setup: [],
});

/** `/escalate …`: a department key (maybe), a priority (maybe) and a summary. */
const SUMMARY = ['Refund stuck for ACME', 'Card declined &amp; charged', 'x'.repeat(3001)];
export const escalateLine = commandLine({
  fuzz: [['urgent', 'high', 'LOW', 'whenever'], SUMMARY],
  FUZZ: [SUMMARY],
  ghost: [SUMMARY],
  list: [],
  help: [],
  '': [],
});

/** `/ask …`: a question, maybe after a topic and a colon. */
const QUESTIONS = ['How do I reissue an invoice?', 'Why was Acme charged twice?', '?', 'x'.repeat(2001)];
export const askLine = commandLine({
  'fuzz:': [QUESTIONS],
  'sql:': [QUESTIONS],
  'Note:': [QUESTIONS],
  How: [QUESTIONS],
  help: [],
  list: [],
  '': [],
});

/** `/feedback …`: feedback text with a customer and themes. */
export const feedbackLine = commandLine({
  The: [
    ['export is slow', 'app crashed', ''],
    ['customer:"Acme Corp"', 'customer:acme', 'customer:“Büro”', 'customer:'],
    ['#billing', '#Mobile-App', '<#C0FUZZ01|billing>', '#'],
  ],
  'customer:acme': [['#billing'], ['Love it', 'x'.repeat(3001)]],
  '#performance': [['Too slow to load', '']],
});

// ---- Modal forms: view.state.values as Slack sends them ----

/** view.state.values; loosely typed because each parser reads its own narrower view of it. */
export type FormState = Record<string, Record<string, any>>;

type Element = {
  type: string;
  action_id?: string;
  options?: { value?: string }[];
  option_groups?: { options: { value?: string }[] }[];
  min_value?: string;
  max_value?: string;
};
type Block = { type: string; block_id?: string; element?: Element };

const optionValues = (element: Element) =>
  [...(element.options ?? []), ...(element.option_groups ?? []).flatMap((g) => g.options)].flatMap((o) =>
    o.value ? [o.value] : [],
  );

/** A random value for one input element, of the kind Slack sends for its type; `goodWeight` biases it to valid values. */
function elementValue(element: Element, valid: readonly string[], goodWeight: number): fc.Arbitrary<StateValue> {
  const text = (extra: readonly string[] = []) => {
    const good = [...valid, ...extra];
    return good.length > 0 ? eitherOr(fc.constantFrom(...good), textInput(good), goodWeight) : textInput();
  };
  const choice = (good: readonly string[]) =>
    eitherOr(
      good.length > 0 ? fc.constantFrom(...good) : fc.constant(null),
      fc.oneof(fc.constant(null), nastyWord),
      goodWeight,
    );
  switch (element.type) {
    case 'plain_text_input':
      return text().map(field.text);
    case 'url_text_input':
      return eitherOr(
        fc.constantFrom('https://example.com/ticket/1', ...valid),
        fc.oneof(textInput(), fc.constantFrom('javascript:alert(1)', 'ftp://example.com/x')),
        goodWeight,
      ).map(field.url);
    case 'email_text_input':
      return text(['a@example.com']).map(field.email);
    case 'number_input': {
      const min = Math.ceil(Number(element.min_value ?? 0));
      const max = Math.floor(Number(element.max_value ?? 1000));
      const wrong = fc.oneof(
        fc.integer({ min: min - 3, max: max + 3 }).map(String),
        fc.constantFrom(null, '', '1.5', '1e2', ' 7 ', `${Number.MAX_SAFE_INTEGER}0`),
        nastyWord,
      );
      return eitherOr(fc.integer({ min, max }).map(String), wrong, goodWeight).map(field.number);
    }
    case 'static_select':
      return choice([...optionValues(element), ...valid]).map((v) => field.select(v));
    case 'radio_buttons':
      return choice([...optionValues(element), ...valid]).map((v) => field.radio(v));
    case 'multi_static_select':
      return fc.subarray([...optionValues(element), ...valid]).map(field.multiSelect);
    case 'checkboxes':
      return eitherOr(
        fc.subarray(optionValues(element)),
        fc.array(fc.oneof(nastyWord, fc.constantFrom('0', '8', '1.5'))),
        goodWeight,
      ).map(field.checkboxes);
    case 'users_select':
      return choice(['U0FUZZ01', 'W0FUZZ03']).map(field.user);
    case 'multi_users_select':
      return eitherOr(fc.subarray(['U0FUZZ01', 'U0FUZZ02', 'W0FUZZ03'], { minLength: 1 }), userIds, goodWeight).map(
        field.users,
      );
    case 'conversations_select':
      return choice(['C0FUZZ01', ...valid]).map(field.conversation);
    case 'channels_select':
      return choice(['C0FUZZ01', ...valid]).map(field.channel);
    case 'timepicker':
      return eitherOr(
        fc.constantFrom('14:00', '00:00', '23:59', ...valid),
        fc.oneof(fc.constantFrom(null, '24:00', '9:5'), nastyWord),
        goodWeight,
      ).map((v) => field.time(v));
    case 'datepicker':
      return eitherOr(
        fc.constantFrom('2099-03-16', ...valid),
        fc.oneof(fc.constantFrom(null, '2026-02-30'), nastyWord),
        goodWeight,
      ).map(field.date);
    default:
      throw new Error(`no arbitrary for input element type ${element.type}: add one in tests/support/arbitraries.ts`);
  }
}

/**
 * Random `view.state.values` for a modal, derived from its own input blocks so every field of every
 * modal is covered. Half the forms are nearly right (each field valid nine times in ten, with
 * `valid` giving good values per block id); the rest are anything. Now and then a block is
 * missing altogether, as in a forged submission.
 */
export function formValues(
  modal: { blocks: readonly unknown[] },
  valid: Record<string, readonly string[]> = {},
): fc.Arbitrary<FormState> {
  const inputs = (modal.blocks as Block[]).filter((b) => b.type === 'input' && b.block_id && b.element?.action_id);
  const form = (goodWeight: number) =>
    fc.tuple(
      ...inputs.map((b) =>
        fc.option(
          elementValue(b.element!, valid[b.block_id!] ?? [], goodWeight).map(
            (value) => [`${b.block_id}/${b.element!.action_id}`, value] as const,
          ),
          { freq: 30, nil: undefined },
        ),
      ),
    );
  return fc
    .oneof(form(30), form(2))
    .map((pairs) => stateValues(Object.fromEntries(pairs.filter((p) => p !== undefined))));
}

// ---- Hostile text: what a customer, a colleague or another tool could write to make the app ping or mislead ----

/** The evil host of the disguised links below; no link to it may show a label other than its address. */
export const EVIL_HOST = 'evil.example';

/**
 * Broadcasts, user-group mentions and disguised links, raw, as Slack escapes them (&lt;…&gt;) and
 * escaped twice; nested, unbalanced and with `|` or `>` in the address. Mentions of people and
 * channels, which may stay live, are among them so the rule is seen to keep them.
 */
export const HOSTILE_PIECES = [
  '<!channel>',
  '<!here>',
  '<!everyone>',
  '<!here|here>',
  '<!channel|@channel>',
  '<!subteam^S0EVIL|@oncall>',
  '<!subteam^S0EVIL>',
  '<https://evil.example/login|https://acme.okta.com/reset>',
  '<https://evil.example/a|click here>',
  '<http://evil.example>',
  '<https://evil.example/x?a=1&amp;b=2|https://acme.com>',
  '<mailto:boss@evil.example|ceo@acme.com>',
  '<https://evil.example/a|b|https://acme.com>',
  '<https://evil.example/a>b|https://acme.com>',
  '<https://evil.example/<!here>|x>',
  '&lt;!channel&gt;',
  '&lt;!subteam^S0EVIL|@oncall&gt;',
  '&lt;https://evil.example/login|https://acme.okta.com&gt;',
  '&amp;lt;!here&amp;gt;',
  '&lt;!everyone>',
  '<<!channel>>',
  '<!channel',
  '!channel>',
  '< !here >',
  '<<https://evil.example/a|https://acme.com>>',
  '<@U0FUZZ01>',
  '<@U0FUZZ01|fuzz>',
  '<#C0FUZZ01|general>',
  '|',
  '>',
  '<',
  '&',
  '<>',
  '<|>',
  '`<!here>`',
  '*<!channel>*',
];

const hostilePiece = fc.constantFrom(...HOSTILE_PIECES);

/** Text with at least one hostile piece among a few nasty words: mostly short enough for any field. */
export const hostileText: fc.Arbitrary<string> = fc
  .tuple(
    hostilePiece,
    fc.array(fc.oneof({ weight: 3, arbitrary: hostilePiece }, { weight: 1, arbitrary: nastyWord }), { maxLength: 5 }),
    fc.nat(),
  )
  .chain(([first, rest, at]) => {
    const words = [...rest];
    words.splice(at % (rest.length + 1), 0, first);
    return joinedWith(fc.constant(words));
  });
