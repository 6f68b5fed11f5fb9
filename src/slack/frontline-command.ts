import type { App, RespondFn, SlashCommand } from '@slack/bolt';
import { UserError } from '../errors.ts';
import { type Blocks, context, header, sections } from './blocks.ts';
import { splitArgs } from './mentions.ts';

/** What a `/frontline <subcommand>` handler gets. */
export interface SubcommandInput {
  userId: string;
  channelId: string;
  triggerId: string;
  /** The text after the subcommand name, as typed. */
  text: string;
  /** That text split into words ("quoted phrases" kept together). */
  args: string[];
  respond: RespondFn;
  command: SlashCommand;
}

export interface HelpEntry {
  usage: string;
  description: string;
  example?: string;
  adminOnly?: boolean;
}

export interface FrontlineCommand {
  /** Routes `/frontline <name> …` to a handler; each capability adds its own. */
  subcommand(name: string, handler: (input: SubcommandInput) => Promise<void>): void;
  /** Adds a titled group of lines to `/frontline help`. */
  help(title: string, entries: HelpEntry[]): void;
  renderHelp(): { text: string; blocks: Blocks };
  register(app: App): void;
}

/** Replies privately to whoever ran a command. */
export const replyPrivately = (respond: RespondFn, text: string, blocks?: Blocks) =>
  respond({ response_type: 'ephemeral', text, ...(blocks ? { blocks } : {}) });

/** `/frontline`: one command with subcommands, and a help text built from every capability's entries. */
export function createFrontlineCommand(): FrontlineCommand {
  const handlers = new Map<string, (input: SubcommandInput) => Promise<void>>();
  const groups: { title: string; entries: HelpEntry[] }[] = [];

  const renderHelp = () => {
    const lines = groups.flatMap(({ title, entries }) => [
      `*${title}*`,
      ...entries.map(
        (e) => `• \`${e.usage}\` — ${e.description}${e.adminOnly ? ' _(admins)_' : ''}${e.example ? `\n      e.g. \`${e.example}\`` : ''}`,
      ),
      '',
    ]);
    const text = `Frontline commands\n${lines.join('\n')}`;
    const blocks: Blocks = [
      header('Frontline commands'),
      ...sections(lines.join('\n').trim()),
      context('Customer service is everyone’s job. Open the *Home* tab of Frontline for your queue and shortcuts.'),
    ];
    return { text, blocks };
  };

  return {
    subcommand(name, handler) {
      if (handlers.has(name)) throw new Error(`/frontline ${name} is registered twice`);
      handlers.set(name, handler);
    },
    help(title, entries) {
      groups.push({ title, entries });
    },
    renderHelp,
    register(app) {
      app.command('/frontline', async ({ ack, command, respond }) => {
        await ack();
        const [name = 'help', ...rest] = splitArgs(command.text);
        const handler = handlers.get(name.toLowerCase());
        if (!handler || name.toLowerCase() === 'help') {
          const { text, blocks } = renderHelp();
          const unknown = name.toLowerCase() !== 'help' ? `:grey_question: I don’t know \`/frontline ${name}\`. Here is what I can do.\n` : '';
          await replyPrivately(respond, `${unknown}${text}`, unknown ? [context(unknown.trim()), ...blocks] : blocks);
          return;
        }
        const text = command.text.trim().slice(name.length).trim();
        await handler({ userId: command.user_id, channelId: command.channel_id, triggerId: command.trigger_id, text, args: rest, respond, command });
      });
    },
  };
}

/** Throws a usage error that shows the right form of a command. */
export function usageError(code: string, problem: string, usage: string | string[]): never {
  const lines = Array.isArray(usage) ? usage : [usage];
  throw new UserError(code, `:warning: ${problem}\nUsage: ${lines.map((u) => `\`${u}\``).join('\n')}`);
}
