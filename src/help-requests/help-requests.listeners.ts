import type { App } from '@slack/bolt';
import { createDepartmentsRepository } from '../departments/departments.repository.ts';
import type { Deps } from '../deps.ts';
import { UserError } from '../errors.ts';
import { parseSetting } from '../settings/workspace.settings.ts';
import { type HelpEntry, replyPrivately } from '../slack/frontline-command.ts';
import { serialIdSchema } from '../db/ids.ts';
import { messagePermalink } from '../slack/messaging.ts';
import { registerHelpJobs } from './help-requests.jobs.ts';
import { HELP_IDS as IDS } from './help-requests.ids.ts';
import { unescapeMrkdwn } from '../slack/mrkdwn.ts';
import { DEFAULT_NUDGE_MINUTES, matchesSkills, nudgeMinutesSchema, startOfMonth } from './help-requests.models.ts';
import { createHelpRequestsRepository } from './help-requests.repository.ts';
import { askForHelp, checkQuestion, defineHelpRequestCard, type HelpDeps, offerHelp, prepareSolve, requireHelpChannel, solveHelpRequest } from './help-requests.usecases.ts';
import { askedConfirmation, askModal, parseAskSubmission, parseSolveSubmission, renderHelpHome, renderHelpOverview, solveModal } from './help-requests.views.ts';
import { parseSkillsCommand, SKILLS_USAGE } from './skills.models.ts';
import { createSkillsRepository } from './skills.repository.ts';
import { runSkillsCommand } from './skills.usecases.ts';

const ASK_USAGE: HelpEntry[] = [
  { usage: '/ask <question>', description: 'ask the whole company; with no text, a form with context, urgency and customer', example: '/ask How do I extend a trial by a week?' },
  { usage: '/ask <topic>: <question>', description: 'also mention the people who know a department or skill', example: '/ask billing: Why was Acme charged twice?' },
  { usage: '/ask list', description: 'your open requests and open ones matching your skills' },
];

const parseRequestId = (value: unknown) => {
  const id = serialIdSchema.safeParse(value);
  if (!id.success) throw new UserError('help.bad_button', ':warning: That button does not point at a help request. Nothing was changed.');
  return id.data;
};

// A person sending the same question twice within a minute is a double submit or a Slack retry.
const DUPLICATE_WINDOW_MS = 60_000;
const DAY_MS = 24 * 3600_000;

export function register(app: App, deps: Deps): void {
  const repo = createHelpRequestsRepository(deps);
  const skills = createSkillsRepository(deps);
  const departments = createDepartmentsRepository(deps);
  const nudgeMinutes = deps.settings.define({
    name: 'help-nudge-minutes',
    usage: '<minutes>',
    example: '/frontline set help-nudge-minutes 30',
    description: `minutes an unanswered help request waits before its experts are nudged (default ${DEFAULT_NUDGE_MINUTES}; at twice that, the leads of the departments in the support channel, else the Frontline admins, get a DM)`,
    parse: (text) => parseSetting(nudgeMinutesSchema, 'help-nudge-minutes', text, '<minutes>'),
    describe: (minutes) => `${minutes} minutes`,
  });
  const help: HelpDeps = { repo, skills, departments, slack: deps.slack, messages: deps.messages, clock: deps.clock, logger: deps.logger, helpChannel: deps.workspace.helpChannel };
  defineHelpRequestCard(deps.messages, help);

  /** My open requests and the open ones matching my skills. */
  const overview = async (userId: string) => {
    const [mine, mySkills] = await Promise.all([repo.openAskedBy(userId), skills.of(userId)]);
    const matching = mySkills.length > 0 ? (await repo.openAskedByOthers(userId)).filter((r) => matchesSkills(r, mySkills)).slice(0, 10) : [];
    return { mine, matching, skills: mySkills };
  };

  app.command(IDS.command, async ({ ack, command, respond, client }) => {
    await ack();
    const text = command.text.trim();
    if (text === '') {
      await client.views.open({ trigger_id: command.trigger_id, view: askModal() });
      return;
    }
    if (text.toLowerCase() === 'help') {
      await replyPrivately(respond, ASK_USAGE.map((u) => `• \`${u.usage}\` — ${u.description}`).join('\n'));
      return;
    }
    if (text.toLowerCase() === 'list') {
      const { text: reply, blocks } = renderHelpOverview(await overview(command.user_id));
      await replyPrivately(respond, reply, blocks);
      return;
    }
    await requireHelpChannel(help, text);
    checkQuestion(text);
    if (!(await deps.requestKeys.firstSeen(['help.ask', command.user_id, text], DUPLICATE_WINDOW_MS))) {
      await replyPrivately(respond, ':information_source: You asked exactly this a moment ago, so I did not post it twice. See `/ask list`.');
      return;
    }
    const request = await askForHelp(help, { askerId: command.user_id, text });
    await replyPrivately(respond, askedConfirmation(request));
  });

  app.shortcut({ type: 'message_action', callback_id: IDS.askShortcut }, async ({ ack, shortcut, client }) => {
    await ack();
    const permalink = await messagePermalink(deps.slack, shortcut.channel.id, shortcut.message.ts);
    await client.views.open({ trigger_id: shortcut.trigger_id, view: askModal({ question: unescapeMrkdwn(shortcut.message.text ?? ''), ...(permalink ? { sourcePermalink: permalink } : {}) }) });
  });

  app.view(IDS.askModal, async ({ ack, body, view }) => {
    const parsed = parseAskSubmission(view.state.values, view.private_metadata);
    if (!parsed.ok) {
      await ack({ response_action: 'errors', errors: parsed.errors });
      return;
    }
    if (!(await deps.workspace.helpChannel.get())) {
      // Keeping the modal open keeps what they typed.
      await ack({ response_action: 'errors', errors: { [IDS.questionBlock]: 'There is no help channel yet. A Frontline admin can set one with /frontline set help-channel #help' } });
      return;
    }
    await ack();
    if (!(await deps.requestKeys.firstSeen(['help.ask.view', view.id], DAY_MS))) return;
    const { question, ...rest } = parsed.input;
    const request = await askForHelp(help, { askerId: body.user.id, text: question, ...rest });
    await deps.messages.dm(body.user.id, { text: askedConfirmation(request) });
  });

  app.action(IDS.claim, async ({ ack, body, action, respond }) => {
    await ack();
    const note = await offerHelp(help, { requestId: parseRequestId('value' in action ? action.value : undefined), userId: body.user.id });
    if (note) await respond({ response_type: 'ephemeral', replace_original: false, text: note });
  });

  app.action(IDS.solve, async ({ ack, body, action, client }) => {
    await ack();
    const { request, helpers } = await prepareSolve(help, { requestId: parseRequestId('value' in action ? action.value : undefined), userId: body.user.id });
    if ('trigger_id' in body) await client.views.open({ trigger_id: body.trigger_id, view: solveModal(request, helpers) });
  });

  app.view(IDS.solveModal, async ({ ack, body, view }) => {
    const parsed = parseSolveSubmission(view.state.values, view.private_metadata);
    if (!parsed.ok) {
      await ack({ response_action: 'errors', errors: parsed.errors });
      return;
    }
    await ack();
    await solveHelpRequest(help, { ...parsed.input, userId: body.user.id });
  });

  deps.frontline.subcommand('skills', async ({ text, userId, respond }) => {
    await replyPrivately(respond, await runSkillsCommand({ skills, clock: deps.clock }, userId, parseSkillsCommand(text)));
  });

  deps.home.section({
    id: 'help-requests',
    order: 20,
    render: async ({ userId }) => {
      const since = startOfMonth(deps.clock.now(), await deps.timezone());
      const [view, helpedThisMonth, kudos] = await Promise.all([overview(userId), repo.teammatesHelpedSince(userId, since), repo.kudosCount(userId)]);
      return renderHelpHome(view, { helpedThisMonth, kudos });
    },
  });

  registerHelpJobs(deps.scheduler, { repo, departments, messages: deps.messages.paced, logger: deps.logger, config: deps.config, nudgeMinutes, supportChannel: deps.workspace.supportChannel });

  deps.frontline.help('Help requests', [
    ...ASK_USAGE,
    { usage: SKILLS_USAGE.mine, description: 'the skills you listed' },
    { usage: SKILLS_USAGE.add, description: 'join the expert pool for these topics', example: '/frontline skills add sql, data science' },
    { usage: SKILLS_USAGE.remove, description: 'leave the pool for these topics', example: '/frontline skills remove refunds' },
    { usage: SKILLS_USAGE.who, description: 'who knows a topic', example: '/frontline skills who sql' },
  ]);
}
