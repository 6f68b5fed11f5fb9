import type { App } from '@slack/bolt';
import { serialIdSchema } from '../db/ids.ts';
import type { Deps } from '../deps.ts';
import { parseOrRefuse, UserError } from '../errors.ts';
import { parseSetting } from '../settings/workspace.settings.ts';
import { formatRef, parseRef } from '../short-refs.ts';
import { type HelpEntry, replyPrivately } from '../slack/frontline-command.ts';
import { messagePermalink } from '../slack/messaging.ts';
import { decodeSlackText } from '../slack/mrkdwn.ts';
import { createHelpRequestsDigestSection } from './help-requests.digest.ts';
import { type HeldAsk, postHeldHelpRequests } from './help-requests.held.ts';
import { HELP_IDS as IDS } from './help-requests.ids.ts';
import { registerHelpJobs } from './help-requests.jobs.ts';
import {
  DEFAULT_NUDGE_MINUTES,
  HELP_REF,
  matchesSkills,
  nudgeMinutesSchema,
  startOfMonth,
} from './help-requests.models.ts';
import {
  askForHelp,
  checkQuestion,
  createHelpDeps,
  defineHelpRequestCard,
  offerHelp,
  prepareSolve,
  requireHelpChannel,
  requireReadable,
  solveHelpRequest,
  topHelperReply,
} from './help-requests.usecases.ts';
import {
  askedConfirmation,
  askModal,
  parseAskSubmission,
  parseSolveSubmission,
  renderHelpHome,
  renderHelpOverview,
  renderHelpRequestStatus,
  solveModal,
} from './help-requests.views.ts';
import { parseSkillsCommand, SKILLS_USAGE } from './skills.models.ts';
import { runSkillsCommand } from './skills.usecases.ts';

const ASK_USAGE: HelpEntry[] = [
  {
    usage: '/ask <question>',
    description: 'ask the whole company; with no text, a form with context, urgency and customer',
    example: '/ask How do I extend a trial by a week?',
  },
  {
    usage: '/ask <topic>: <question>',
    description: 'also mention the people who know a department or skill',
    example: '/ask billing: Why was Acme charged twice?',
  },
  { usage: '/ask list', description: 'your open requests and open ones matching your skills' },
  {
    usage: '/ask show <HELP-17>',
    description: 'where one help request stands, with a link to it',
    example: '/ask show HELP-17',
  },
];

// Only a reference after `show` is a look-up: "/ask show me how to…" is a question.
const SHOW = /^show\s+(\S+)$/i;

const badButton = () =>
  new UserError('help.bad_button', ':warning: That button does not point at a help request. Nothing was changed.');

/** The help request a button points at; any other value is a stale or forged button. */
const parseRequestId = (value: unknown) => parseOrRefuse(serialIdSchema, value, badButton);

// A person sending the same question twice within a minute is a double submit or a Slack retry.
const DUPLICATE_WINDOW_MS = 60_000;
const DAY_MS = 24 * 3600_000;

export function register(app: App, deps: Deps): void {
  const nudgeMinutes = deps.settings.define({
    name: 'help-nudge-minutes',
    usage: '<minutes>',
    example: '/frontline set help-nudge-minutes 30',
    description: `minutes an unanswered help request waits before its experts are nudged (default ${DEFAULT_NUDGE_MINUTES}; at twice that, the leads of the departments in the support channel, else the Frontline admins, get a DM)`,
    parse: (text) => parseSetting(nudgeMinutesSchema, 'help-nudge-minutes', text, '<minutes>'),
    describe: (minutes) => `${minutes} minutes`,
  });
  const useCaseDeps = createHelpDeps(deps);
  const { repo, skills, departments } = useCaseDeps;
  defineHelpRequestCard(deps.messages, useCaseDeps);
  postHeldHelpRequests(deps.beforePosting, useCaseDeps);

  /** My open requests and the open ones matching my skills. */
  const overview = async (userId: string) => {
    const [mine, mySkills] = await Promise.all([repo.openAskedBy(userId), skills.of(userId)]);
    const matching =
      mySkills.length > 0
        ? (await repo.openAskedByOthers(userId)).filter((r) => matchesSkills(r, mySkills)).slice(0, 10)
        : [];
    return { mine, matching, skills: mySkills };
  };

  app.command(IDS.command, async ({ ack, command, respond, client }) => {
    await ack();
    const text = decodeSlackText(command.text).trim();
    if (text === '') {
      await client.views.open({ trigger_id: command.trigger_id, view: askModal() });
      return;
    }
    if (text.toLowerCase() === 'help') {
      const help = deps.frontline.renderHelp('ask');
      await replyPrivately(respond, help.text, help.blocks);
      return;
    }
    const show = SHOW.exec(text);
    const number = show && parseRef(HELP_REF, show[1]!);
    if (number) {
      const request = await repo.get(number);
      if (!request)
        throw new UserError('help.unknown_ref', `:mag: There is no help request ${formatRef(HELP_REF, number)}.`);
      await requireReadable(useCaseDeps, { request, viewerId: command.user_id });
      const { text: reply, blocks } = renderHelpRequestStatus(request, await repo.helpers(request.id));
      await replyPrivately(respond, reply, blocks);
      return;
    }
    if (text.toLowerCase() === 'list') {
      const { text: reply, blocks } = renderHelpOverview(await overview(command.user_id));
      await replyPrivately(respond, reply, blocks);
      return;
    }
    await requireHelpChannel(useCaseDeps, { text });
    checkQuestion(text);
    const draft: HeldAsk = { text };
    const typed = { userId: command.user_id, question: text, draft, retryKey: command.trigger_id };
    // Answers already given may settle it: then they are offered first, and nothing is posted yet.
    if (await deps.beforePosting.hold({ kind: 'help_request', ...typed, replyUrl: command.response_url })) return;
    const request = await askForHelp(useCaseDeps, {
      askerId: command.user_id,
      text,
      dedupe: { parts: ['help.ask', command.user_id, text], windowMs: DUPLICATE_WINDOW_MS },
    });
    await replyPrivately(
      respond,
      request
        ? askedConfirmation(request)
        : ':information_source: You asked exactly this a moment ago, so I did not post it twice. See `/ask list`.',
    );
  });

  app.shortcut({ type: 'message_action', callback_id: IDS.askShortcut }, async ({ ack, shortcut, client }) => {
    await ack();
    const permalink = await messagePermalink(deps.slack, shortcut.channel.id, shortcut.message.ts);
    await client.views.open({
      trigger_id: shortcut.trigger_id,
      view: askModal({
        question: decodeSlackText(shortcut.message.text ?? ''),
        ...(permalink ? { sourcePermalink: permalink } : {}),
      }),
    });
  });

  app.view(IDS.askModal, async ({ ack, body, view }) => {
    const parsed = parseAskSubmission(view.state.values, view.private_metadata);
    if (!parsed.ok) {
      await ack({ response_action: 'errors', errors: parsed.errors });
      return;
    }
    if (!(await deps.workspace.helpChannel.get())) {
      // Keeping the modal open keeps what they typed.
      await ack({
        response_action: 'errors',
        errors: {
          [IDS.questionBlock]:
            'There is no help channel yet. A Frontline admin can set one with /frontline set help-channel #help',
        },
      });
      return;
    }
    await ack();
    const { question, ...rest } = parsed.input;
    const draft: HeldAsk = { text: question, ...rest };
    if (
      await deps.beforePosting.hold({ kind: 'help_request', userId: body.user.id, question, draft, retryKey: view.id })
    )
      return;
    const request = await askForHelp(useCaseDeps, {
      askerId: body.user.id,
      text: question,
      ...rest,
      dedupe: { parts: ['help.ask.view', view.id], windowMs: DAY_MS },
    });
    if (request) await deps.messages.dm(body.user.id, { text: askedConfirmation(request) });
  });

  app.action(IDS.claim, async ({ ack, body, action, respond }) => {
    await ack();
    const note = await offerHelp(useCaseDeps, {
      requestId: parseRequestId('value' in action ? action.value : undefined),
      userId: body.user.id,
    });
    if (note) await respond({ response_type: 'ephemeral', replace_original: false, text: note });
  });

  app.action(IDS.solve, async ({ ack, body, action, client }) => {
    await ack();
    const { request, helpers } = await prepareSolve(useCaseDeps, {
      requestId: parseRequestId('value' in action ? action.value : undefined),
      userId: body.user.id,
    });
    if ('trigger_id' in body)
      await client.views.open({
        trigger_id: body.trigger_id,
        view: solveModal(request, helpers, await topHelperReply(client, request, helpers)),
      });
  });

  app.view(IDS.solveModal, async ({ ack, body, view }) => {
    const parsed = parseSolveSubmission(view.state.values, view.private_metadata);
    if (!parsed.ok) {
      await ack({ response_action: 'errors', errors: parsed.errors });
      return;
    }
    await ack();
    await solveHelpRequest(useCaseDeps, { ...parsed.input, userId: body.user.id });
  });

  deps.frontline.subcommand('skills', async ({ text, userId, respond }) => {
    await replyPrivately(respond, await runSkillsCommand(useCaseDeps, { userId, command: parseSkillsCommand(text) }));
  });

  deps.home.section({
    id: 'help-requests',
    order: 20,
    render: async ({ userId }) => {
      const since = startOfMonth(deps.clock.now(), await deps.timezone());
      const [view, helpedThisMonth, kudos] = await Promise.all([
        overview(userId),
        repo.teammatesHelpedSince(userId, since),
        repo.kudosCount(userId),
      ]);
      return renderHelpHome(view, { helpedThisMonth, kudos });
    },
  });

  deps.digests.section(
    createHelpRequestsDigestSection({
      repo,
      departmentName: async (key) => (await departments.getIncludingArchived(key))?.name,
    }),
  );
  registerHelpJobs(deps.scheduler, {
    db: deps.db,
    repo,
    departments,
    messages: deps.messages.paced,
    logger: deps.logger,
    config: deps.config,
    nudgeMinutes,
    supportChannel: deps.workspace.supportChannel,
  });

  deps.frontline.help(
    'Help requests',
    [
      ...ASK_USAGE,
      { usage: SKILLS_USAGE.mine, description: 'the skills you listed' },
      {
        usage: SKILLS_USAGE.add,
        description: 'join the expert pool for these topics',
        example: '/frontline skills add sql, data science',
      },
      {
        usage: SKILLS_USAGE.remove,
        description: 'leave the pool for these topics',
        example: '/frontline skills remove refunds',
      },
      { usage: SKILLS_USAGE.who, description: 'who knows a topic', example: '/frontline skills who sql' },
    ],
    { area: 'ask', summary: 'ask colleagues with `/ask`; say what you know with `/frontline skills add`' },
  );
}
