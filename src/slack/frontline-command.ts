import type { App, RespondFn, SlashCommand } from '@slack/bolt';
import { UserError } from '../errors.ts';
import { type Blocks, context, header, sections } from './blocks.ts';
import { splitArgs } from './mentions.ts';
import { codeSpan, decodeSlackText } from './mrkdwn.ts';

/** What a `/frontline <subcommand>` handler gets. */
export interface SubcommandInput {
  userId: string;
  channelId: string;
  triggerId: string;
  /** The text after the subcommand name, as typed (decoded from Slack's escaping). */
  text: string;
  /** That text split into words ("quoted phrases" kept together). */
  args: string[];
  respond: RespondFn;
  command: SlashCommand;
}

export interface HelpEntry {
  /** The command's form; `<word>` marks what to fill in (shown in italics, never as `<…>`). */
  usage: string;
  description: string;
  example?: string;
  adminOnly?: boolean;
}

/** How a capability's group of commands is introduced on the one-screen `/frontline help`. */
export interface HelpArea {
  /** The word after `/frontline help` that shows the group's details. */
  area: string;
  /** One line saying what the group is for, naming its main command. */
  summary: string;
}

export interface FrontlineCommand {
  /** Routes `/frontline <name> …` to a handler; each capability adds its own. */
  subcommand(name: string, handler: (input: SubcommandInput) => Promise<void>): void;
  /** Adds a titled group of commands: one line on `/frontline help`, the details on `/frontline help <area>`. */
  help(title: string, entries: HelpEntry[], about?: Partial<HelpArea>): void;
  /** The one-screen overview, or one area's commands with examples. */
  renderHelp(area?: string): { text: string; blocks: Blocks };
  register(app: App): void;
}

/** Replies privately to whoever ran a command. */
export const replyPrivately = (respond: RespondFn, text: string, blocks?: Blocks) =>
  respond({ response_type: 'ephemeral', text, ...(blocks ? { blocks } : {}) });

/**
 * A command form as mrkdwn: the fixed words as code, then what to fill in in italics. `<word>` in
 * mrkdwn is a link or a mention, so no placeholder ever goes out in angle brackets.
 */
export function formatUsage(usage: string): string {
  const cut = usage.search(/ [<["]/);
  const [command, rest] = cut < 0 ? [usage, ''] : [usage.slice(0, cut), usage.slice(cut)];
  return `${codeSpan(command)}${rest.replace(/<([^<>]+)>/g, '_$1_')}`;
}

interface HelpGroup extends HelpArea {
  title: string;
  entries: HelpEntry[];
}

const areaOf = (title: string) => title.toLowerCase().split(/\s+/)[0]!;

const entryLines = (e: HelpEntry) => [
  `• ${formatUsage(e.usage)} — ${e.description}${e.adminOnly ? ' _(admins)_' : ''}`,
  ...(e.example ? [`      e.g. ${codeSpan(e.example)}`] : []),
];

/** `/frontline`: one command with subcommands, and a help text built from every capability's entries. */
export function createFrontlineCommand(): FrontlineCommand {
  const handlers = new Map<string, (input: SubcommandInput) => Promise<void>>();
  const groups: HelpGroup[] = [];

  const overview = () => {
    const lines = groups.flatMap((g) => [
      `*${g.title}*  ${codeSpan(`/frontline help ${g.area}`)}`,
      `      ${g.summary}`,
    ]);
    const title = 'Frontline commands';
    return {
      text: `${title}
${lines.join('\n')}`,
      blocks: [
        header(title),
        ...sections(lines.join('\n')),
        context('Each area’s line shows its commands with examples. Open the *Home* tab of Frontline for your queue.'),
      ],
    };
  };

  const details = (group: HelpGroup) => {
    const lines = group.entries.flatMap(entryLines);
    return {
      text: `${group.title}\n${lines.join('\n')}`,
      blocks: [
        header(group.title),
        ...sections(lines.join('\n')),
        context(`Every area: ${codeSpan('/frontline help')}`),
      ],
    };
  };

  const renderHelp = (area?: string) => {
    const group = area ? groups.find((g) => g.area === area.toLowerCase()) : undefined;
    return group ? details(group) : overview();
  };

  return {
    subcommand(name, handler) {
      if (handlers.has(name)) throw new Error(`/frontline ${name} is registered twice`);
      handlers.set(name, handler);
    },
    help(title, entries, about = {}) {
      const area = about.area ?? areaOf(title);
      if (groups.some((g) => g.area === area)) throw new Error(`/frontline help ${area} is registered twice`);
      groups.push({ title, entries, area, summary: about.summary ?? entries[0]?.description ?? '' });
    },
    renderHelp,
    register(app) {
      app.command('/frontline', async ({ ack, command, respond }) => {
        await ack();
        const typed = decodeSlackText(command.text);
        const [name = 'help', ...rest] = splitArgs(typed);
        const handler = handlers.get(name.toLowerCase());
        if (!handler || name.toLowerCase() === 'help') {
          const asked = name.toLowerCase() === 'help' ? rest[0] : undefined;
          const { text, blocks } = renderHelp(asked);
          const known = !asked || groups.some((g) => g.area === asked.toLowerCase());
          const unknown =
            name.toLowerCase() !== 'help'
              ? `:grey_question: I don’t know ${codeSpan(`/frontline ${name}`)}. Here is what I can do.\n`
              : known
                ? ''
                : `:grey_question: There is no help on ${codeSpan(asked)}. Here are the areas.\n`;
          await replyPrivately(respond, `${unknown}${text}`, unknown ? [context(unknown.trim()), ...blocks] : blocks);
          return;
        }
        const text = typed.trim().slice(name.length).trim();
        await handler({
          userId: command.user_id,
          channelId: command.channel_id,
          triggerId: command.trigger_id,
          text,
          args: rest,
          respond,
          command,
        });
      });
    },
  };
}

/** Throws a usage error that shows the right form of a command. */
export function usageError(code: string, problem: string, usage: string | string[]): never {
  const lines = Array.isArray(usage) ? usage : [usage];
  throw new UserError(code, `:warning: ${problem}\nUsage: ${lines.map(formatUsage).join('\n')}`);
}
