// What service knowledge shows: search results, a shared answer, and the parsers of what comes back.
import type { KnownBlock, ModalView } from '@slack/types';
import type { Blocks } from '../slack/blocks.ts';
import { actions, button, context, divider, header, plain, section, sections, truncate } from '../slack/blocks.ts';
import type { MessageContent } from '../slack/messaging.ts';
import { blockQuote, codeSpan, escapeMrkdwn, linkTo } from '../slack/mrkdwn.ts';
import { answerControlsBlock, KNOWLEDGE_IDS as IDS } from './knowledge.ids.ts';
import { type AnswerSource, type AnswerStatus, ageOf, firstLines } from './knowledge.models.ts';
import type { FoundAnswer } from './knowledge.repository.ts';
import { manageButtons } from './knowledge-manage.views.ts';

export type ShownAnswer = Pick<
  FoundAnswer,
  'id' | 'title' | 'body' | 'status' | 'permalink' | 'creditedUserIds' | 'createdAt' | 'sourceKind' | 'departmentName'
>;

export const SOURCE_LABEL: Record<AnswerSource, string> = {
  escalation: 'from an escalation',
  help_request: 'from a help request',
  message: 'from a Slack message',
  manual: 'written by hand',
  import: 'imported',
};

/** "<@A>", "<@A> and <@B>", "<@A>, <@B> and <@C>". */
export function peopleList(userIds: string[]): string {
  const mentions = userIds.map((id) => `<@${id}>`);
  if (mentions.length <= 1) return mentions.join('');
  return `${mentions.slice(0, -1).join(', ')} and ${mentions.at(-1)}`;
}

/** The line under an answer: department, age, who gave it, where it came from (a link when there is one). */
function answerFacts(answer: ShownAnswer, now: Date): string {
  const source = SOURCE_LABEL[answer.sourceKind];
  const facts = [
    answer.departmentName ? escapeMrkdwn(answer.departmentName) : undefined,
    ageOf(answer.createdAt, now),
    answer.creditedUserIds.length > 0 ? `answered by ${peopleList(answer.creditedUserIds)}` : undefined,
    answer.permalink ? linkTo(answer.permalink, source) : source,
  ];
  return facts.filter(Boolean).join(' · ');
}

export const titleLine = (answer: ShownAnswer) =>
  `*${escapeMrkdwn(answer.title)}*${answer.status === 'outdated' ? '  :warning: _may be outdated_' : ''}`;

/**
 * One answer in a result list: its question, first lines, facts, and what can be done with it
 * (sharing needs a channel; changing it, the right to).
 */
function resultBlocks(
  answer: ShownAnswer,
  now: Date,
  { share, manage }: { share: boolean; manage: boolean },
): KnownBlock[] {
  return [
    section(`${titleLine(answer)}\n${blockQuote(firstLines(answer.body))}`),
    context(answerFacts(answer, now)),
    actions(answerControlsBlock(answer.id), [
      button(':thumbsup: Helpful', IDS.helpfulButton, { value: answer.id }),
      ...(share ? [button('Share in channel', IDS.shareButton, { value: answer.id })] : []),
      ...(manage ? manageButtons(answer) : []),
    ]),
  ];
}

/** The best answers for a search, shown only to the person who searched; `changeable` ones get Edit, Mark outdated and Retire. */
export function renderSearchResults(
  query: string,
  results: ShownAnswer[],
  now: Date,
  changeable: ReadonlySet<string> = new Set(),
): MessageContent {
  const asked = `“${escapeMrkdwn(truncate(query, 100))}”`;
  if (results.length === 0)
    return {
      text: `No saved answer matches “${escapeMrkdwn(truncate(query, 100))}” yet.`,
      blocks: [
        section(
          `:mag: No saved answer matches ${asked} yet. Try other words, or ask the company with ${codeSpan(`/ask ${truncate(query, 100)}`)}.`,
        ),
      ],
    };
  const blocks: Blocks = [
    section(`:mag: *${results.length === 1 ? 'One answer' : `${results.length} answers`}* for ${asked}`),
  ];
  for (const answer of results)
    blocks.push(divider(), ...resultBlocks(answer, now, { share: true, manage: changeable.has(answer.id) }));
  blocks.push(context('*Share in channel* posts an answer for everyone here, crediting who gave it.'));
  return {
    text: `${results.length === 1 ? 'One answer' : `${results.length} answers`} for “${escapeMrkdwn(truncate(query, 100))}”: ${results.map((r) => escapeMrkdwn(r.title)).join(' · ')}`,
    blocks,
  };
}

/** An answer posted for everyone in a channel, crediting the people who gave it. */
export function renderSharedAnswer(answer: ShownAnswer, sharedBy: string, now: Date): MessageContent {
  return {
    text: `Answer: ${escapeMrkdwn(answer.title)}`,
    blocks: [
      section(`:book: ${titleLine(answer)}`),
      ...sections(escapeMrkdwn(answer.body)),
      context(`${answerFacts(answer, now)} · shared by <@${sharedBy}>`),
    ],
  };
}

/** A short private reply to a button, with no blocks of its own. */
export const notice = (text: string): MessageContent => ({ text });

/** The saver's confirmation. */
export function renderSaved(answer: Pick<FoundAnswer, 'title' | 'creditedUserIds'>): MessageContent {
  const credit = answer.creditedUserIds.length > 0 ? `, crediting ${peopleList(answer.creditedUserIds)}` : '';
  return {
    text: `:book: Saved as the answer to “${escapeMrkdwn(truncate(answer.title, 150))}”${credit}. Anyone can find it with \`/answers\`.`,
  };
}

/** Why the answer emoji saved nothing in a private conversation, told only to whoever reacted. */
export const privateReplyRefusal = (): MessageContent => ({
  text: 'This conversation is private, so nothing was saved. Use the *Save as answer* shortcut on the message and tick that it may be shared with the whole company.',
});

/** Results of a search from App Home, in a modal (there is no channel to share in from there). */
export function searchResultsModal(
  query: string,
  results: ShownAnswer[],
  now: Date,
  changeable: ReadonlySet<string> = new Set(),
): ModalView {
  const found = renderSearchResults(query, results, now).blocks ?? [];
  const blocks =
    results.length === 0
      ? found
      : [
          found[0]!,
          ...results.flatMap((a) => [
            divider(),
            ...resultBlocks(a, now, { share: false, manage: changeable.has(a.id) }),
          ]),
        ];
  return {
    type: 'modal',
    callback_id: IDS.resultsModal,
    title: plain('Answers'),
    close: plain('Close'),
    blocks: [...blocks, context('To share one in a channel, run `/answers` there.')],
  };
}

/**
 * The most used answers as a list; each one the viewer may change is followed by its buttons,
 * which split the list there.
 */
function mostUsedBlocks(
  mostUsed: Array<{ id: string; title: string; permalink: string | null; status: AnswerStatus; uses: number }>,
  changeable: ReadonlySet<string>,
): Blocks {
  const heading = '*Most used in the last 30 days*';
  if (mostUsed.length === 0) return [section(`${heading}\n_None used yet: share one with \`/answers\`._`)];
  const blocks: Blocks = [];
  let lines = [heading];
  for (const a of mostUsed) {
    lines.push(
      `• ${a.permalink ? linkTo(a.permalink, truncate(a.title, 80)) : escapeMrkdwn(truncate(a.title, 80))}${a.status === 'outdated' ? ' · _may be outdated_' : ''} · used ${a.uses}×`,
    );
    if (!changeable.has(a.id)) continue;
    blocks.push(section(lines.join('\n')), actions(answerControlsBlock(a.id), manageButtons(a)));
    lines = [];
  }
  if (lines.length > 0) blocks.push(section(lines.join('\n')));
  return blocks;
}

/** App Home: a search box and the answers most used in the last 30 days. */
export function renderKnowledgeHome(
  mostUsed: Array<{ id: string; title: string; permalink: string | null; status: AnswerStatus; uses: number }>,
  changeable: ReadonlySet<string> = new Set(),
): Blocks {
  return [
    header('Answers'),
    {
      type: 'input',
      block_id: IDS.homeSearchBlock,
      dispatch_action: true,
      label: plain('Search what the company already answered'),
      hint: plain('Press Enter to search'),
      element: {
        type: 'plain_text_input',
        action_id: IDS.homeSearchInput,
        placeholder: plain('refund for a double charge'),
        dispatch_action_config: { trigger_actions_on: ['on_enter_pressed'] },
      },
    },
    ...mostUsedBlocks(mostUsed, changeable),
  ];
}

/**
 * The note in a help request's or escalation's thread: answers already given that may settle it,
 * for whoever helps; `seenBy` when the asker saw them before posting and posted anyway.
 */
export function renderPossiblyAnswered(
  matches: ShownAnswer[],
  now: Date,
  { seenBy }: { seenBy?: string } = {},
): MessageContent {
  const blocks: Blocks = [section(':bulb: *Possibly answered before*')];
  for (const answer of matches)
    blocks.push(
      section(`${titleLine(answer)}\n${blockQuote(firstLines(answer.body, 2, 200))}`),
      context(answerFacts(answer, now)),
    );
  blocks.push(
    context(
      seenBy
        ? `<@${seenBy}> was shown these first and chose to go ahead: they may not settle it, so ask what is still missing.`
        : 'Helping? If one of these settles it, reply with it here and mark the request solved.',
    ),
  );
  return {
    text: `Possibly answered before: ${matches.map((m) => escapeMrkdwn(m.title)).join(' · ')}`,
    blocks,
  };
}
