import type { WebClient } from '@slack/web-api';
import type { Clock } from '../clock.ts';
import type { Db } from '../db/client.ts';
import { createDepartmentsRepository, type DepartmentsRepository } from '../departments/departments.repository.ts';
import type { Deps } from '../deps.ts';
import { UserError } from '../errors.ts';
import { commitChange } from '../events/commit-change.ts';
import type { DomainEvents } from '../events/domain-events.ts';
import type { Logger } from '../logger.ts';
import type { Setting } from '../settings/settings.ts';
import { mayReadConversation } from '../slack/conversations.ts';
import { formatUsage } from '../slack/frontline-command.ts';
import { mentionChannel, mentionUser } from '../slack/mentions.ts';
import { messagePermalink } from '../slack/messaging.ts';
import { decodeSlackText, linkTo } from '../slack/mrkdwn.ts';
import type { CardRef, Messenger, Outbox, QueuedMessage } from '../slack/outbox.ts';
import { createRequestKeys, type Dedupe, type RequestKeys } from '../slack/request-keys.ts';
import { HELP_REQUEST_CARD } from './help-requests.ids.ts';
import {
  type AskText,
  maySolve,
  questionSchema,
  resolveTopic,
  splitTopic,
  type Urgency,
} from './help-requests.models.ts';
import {
  createHelpRequestsRepository,
  type Helper,
  type HelpRequest,
  type HelpRequestsRepository,
} from './help-requests.repository.ts';
import { helpRequestRef, noHelpChannelReply, quote, renderHelpRequestMessage } from './help-requests.views.ts';
import { createSkillsRepository, type SkillsRepository } from './skills.repository.ts';

export interface HelpDeps {
  db: Db;
  events: DomainEvents;
  requestKeys: RequestKeys;
  repo: HelpRequestsRepository;
  skills: SkillsRepository;
  departments: DepartmentsRepository;
  slack: WebClient;
  messages: Messenger;
  clock: Clock;
  logger: Logger;
  helpChannel: Setting<string>;
}

/** The use cases' dependencies, built from the app's (listeners and routes share them). */
export function createHelpDeps(deps: Deps): HelpDeps {
  return {
    db: deps.db,
    events: deps.events,
    requestKeys: deps.requestKeys,
    repo: createHelpRequestsRepository(deps),
    skills: createSkillsRepository(deps),
    departments: createDepartmentsRepository(deps),
    slack: deps.slack,
    messages: deps.messages,
    clock: deps.clock,
    logger: deps.logger,
    helpChannel: deps.workspace.helpChannel,
  };
}

/** The people who know a topic: a department's leads, else the people who listed it as a skill. */
async function peopleForTopic(
  { departments, skills }: Pick<HelpDeps, 'departments' | 'skills'>,
  topic: string | null,
): Promise<string[] | undefined> {
  if (!topic) return undefined;
  const department = await departments.get(topic);
  if (department) return department.leads;
  const experts = await skills.experts(topic);
  return experts.length > 0 ? experts : undefined;
}

/** Splits off a leading topic when it names a department or a skill, with the people to mention. */
async function readTopic(deps: HelpDeps, text: string): Promise<AskText & { people: string[] }> {
  const parsed = splitTopic(text);
  const people = await peopleForTopic(deps, parsed.topic ?? null);
  const resolved = resolveTopic(parsed, text, () => people !== undefined);
  return { ...resolved, people: resolved.topic ? (people ?? []) : [] };
}

export interface AskInput {
  askerId: string;
  /** The question as typed, possibly starting with `topic:`. */
  text: string;
  context?: string | null;
  urgency?: Urgency;
  customer?: string | null;
  sourcePermalink?: string | null;
  /** Set when another tool asked through the REST API: its own id for the request, if it gave one. */
  api?: { externalId: string | null };
}

/** The help channel, or a refusal that shows the asker their words back. */
export async function requireHelpChannel(
  deps: Pick<HelpDeps, 'helpChannel'>,
  { text }: { text: string },
): Promise<string> {
  const channel = await deps.helpChannel.get();
  if (!channel) throw new UserError('help.no_channel', noHelpChannelReply(text));
  return channel;
}

/** A help channel made private keeps its questions to its members and the people asking or helping. */
export async function requireReadable(
  deps: Pick<HelpDeps, 'slack' | 'repo'>,
  { request, viewerId }: { request: HelpRequest; viewerId: string },
): Promise<void> {
  if (viewerId === request.askerId || !request.channelId) return;
  if (await mayReadConversation(deps.slack, request.channelId, viewerId)) return;
  const helpers = await deps.repo.helpers(request.id);
  if (helpers.some((h) => h.userId === viewerId)) return;
  throw new UserError(
    'help.private',
    `:lock: ${helpRequestRef(request)} is in a private channel you are not in, so only its members can see it.`,
  );
}

export { HELP_REQUEST_CARD };

export function defineHelpRequestCard(messages: Outbox, deps: HelpDeps): void {
  messages.defineMirror(HELP_REQUEST_CARD, {
    async render(ref) {
      const request = await deps.repo.get(Number(ref));
      const channel = request?.channelId ?? (await deps.helpChannel.get());
      if (!request || !channel) return undefined;
      return {
        channel,
        ts: request.messageTs,
        ...renderHelpRequestMessage(request, await deps.repo.helpers(request.id)),
      };
    },
    async posted(ref, posted) {
      const permalink = (await messagePermalink(deps.slack, posted.channel, posted.ts)) ?? null;
      await deps.repo.markPosted(Number(ref), { channelId: posted.channel, messageTs: posted.ts, permalink });
    },
    async refused(ref) {
      // It was kept to post later and Slack now refuses it for good: give the asker their words back.
      const request = await deps.repo.get(Number(ref));
      const channel = await deps.helpChannel.get();
      if (!request || request.messageTs) return;
      await deps.messages.dm(request.askerId, {
        text: `:warning: I could not post your question${channel ? ` in ${mentionChannel(channel)}` : ''} after all (if the channel is private, invite me with \`/invite @Frontline\`). Here is what you wrote, to ask again:\n${quote(request.question)}`,
      });
    },
  });
}

/** Refuses a question too short or too long, before anything is stored. */
export function checkQuestion(text: string): void {
  const valid = questionSchema.safeParse(splitTopic(text).question);
  if (!valid.success)
    throw new UserError(
      'help.bad_question',
      `:warning: ${valid.error.issues[0]?.message ?? 'That question is not valid'}. Nothing was posted.\nUsage: ${formatUsage('/ask <question>')} or ${formatUsage('/ask <topic>: <question>')}`,
    );
}

const card = (requestId: number): CardRef => ({ mirror: HELP_REQUEST_CARD, ref: String(requestId) });

/**
 * Stores a help request and its card in one transaction, then posts it to the help channel,
 * mentioning the topic's people. Undefined when `dedupe` was seen already (a double submit).
 */
export async function askForHelp(
  deps: HelpDeps,
  { dedupe, ...input }: AskInput & { dedupe?: Dedupe },
): Promise<(HelpRequest & { channelId: string }) | undefined> {
  const channelId = await requireHelpChannel(deps, input);
  checkQuestion(input.text);
  const { topic, question, people } = await readTopic(deps, input.text);
  const asked = await commitChange(deps, async (tx) => {
    const repo = createHelpRequestsRepository({ db: tx });
    if (dedupe && !(await createRequestKeys({ db: tx, clock: deps.clock }).firstSeen(dedupe.parts, dedupe.windowMs)))
      return undefined;
    const stored = await repo.create(
      {
        question,
        context: input.context ?? null,
        urgency: input.urgency ?? 'normal',
        customer: input.customer ?? null,
        topic: topic ?? null,
        topicPeople: people.filter((id) => id !== input.askerId),
        askerId: input.askerId,
        sourcePermalink: input.sourcePermalink ?? null,
        ...(input.api ? { raisedVia: 'api' as const, externalId: input.api.externalId } : {}),
      },
      deps.clock.now(),
    );
    if (!stored) return undefined; // asked before with the same external id
    return {
      result: stored,
      messages: [{ card: card(stored.id) }],
      events: [
        {
          type: 'help_request.asked',
          requestId: stored.id,
          askerId: input.askerId,
          topic: topic ?? null,
          question: stored.question,
        },
      ],
    };
  });
  if (!asked) return undefined;
  const [delivery] = asked.delivered;
  if (delivery && 'refused' in delivery) {
    // Slack refused it for good (a private channel without the app): the row stays unposted, so no
    // list shows it, asking again is not taken for a repeat, and the asker gets their words back.
    deps.logger.warn({ requestId: asked.result.id, reason: delivery.refused }, 'could not post a help request');
    if (dedupe) await deps.requestKeys.forget(dedupe.parts);
    if (input.api?.externalId) await deps.repo.forgetExternalId(asked.result.id);
    throw new UserError(
      'help.post_failed',
      `:warning: I could not post your question in ${mentionChannel(channelId)} (if the channel is private, invite me with \`/invite @Frontline\`). Here is what you wrote:\n${quote(input.text)}`,
    );
  }
  // Posted now, or kept for the outbox to post when Slack is back (then the row is unposted for now).
  return { ...((await deps.repo.get(asked.result.id)) ?? asked.result), channelId };
}

const link = (request: HelpRequest) =>
  `${request.permalink ? linkTo(request.permalink, 'your question') : 'your question'} (${helpRequestRef(request)})`;

/** "I can help": claims the request or joins its helpers, then shows it and tells the asker. */
export async function offerHelp(
  deps: HelpDeps,
  { requestId, userId }: { requestId: number; userId: string },
): Promise<string | undefined> {
  const request = await deps.repo.get(requestId);
  if (!request) throw new UserError('help.not_found', ':mag: I cannot find that help request any more.');
  if (request.askerId === userId)
    throw new UserError(
      'help.own_request',
      ':slightly_smiling_face: That is your own question. When it is sorted, press *Solved*.',
    );
  const offered = await commitChange(deps, async (tx) => {
    const outcome = await createHelpRequestsRepository({ db: tx }).claim(requestId, userId, deps.clock.now());
    const told =
      outcome === 'claimed'
        ? `:handshake: ${mentionUser(userId)} can help with ${link(request)}. Continue in the thread.`
        : outcome === 'joined'
          ? `:handshake: ${mentionUser(userId)} also offered to help with ${link(request)}.`
          : undefined;
    return {
      result: outcome,
      messages: told ? [{ card: card(requestId) }, { dm: request.askerId, content: { text: told } }] : [],
      events: outcome === 'claimed' ? [{ type: 'help_request.picked_up' as const, requestId, userId }] : [],
    };
  });
  switch (offered?.result) {
    case 'not_found':
      throw new UserError('help.not_found', ':mag: I cannot find that help request any more.');
    case 'solved':
      return ':white_check_mark: This one is already solved. Thanks for offering!';
    case 'already_helping':
      return ':handshake: You are already helping with this one. Talk it through in the thread.';
    default:
      return undefined;
  }
}
/** The request and its helpers, if the person may mark it solved (the asker or a helper). */
async function loadForSolving(
  deps: Pick<HelpDeps, 'repo'>,
  { requestId, userId }: { requestId: number; userId: string },
) {
  const request = await deps.repo.get(requestId);
  if (!request) throw new UserError('help.not_found', ':mag: I cannot find that help request any more.');
  const helpers = await deps.repo.helpers(requestId);
  if (
    !maySolve(
      userId,
      request,
      helpers.map((h) => h.userId),
    )
  ) {
    throw new UserError(
      'help.not_allowed',
      ':lock: Only the person who asked or someone helping can mark this solved. Press *I can help* first if you are on it.',
    );
  }
  return { request, helpers };
}

/** Checks that the person may mark the request solved and that it is not yet; returns it with its helpers for the modal. */
export async function prepareSolve(deps: Pick<HelpDeps, 'repo'>, input: { requestId: number; userId: string }) {
  const loaded = await loadForSolving(deps, input);
  if (loaded.request.status === 'solved')
    throw new UserError('help.already_solved', ':white_check_mark: This one is already solved.');
  return loaded;
}

/** Marks a request solved, counts kudos for who helped most, updates the message and thanks the helpers. */
export async function solveHelpRequest(
  deps: HelpDeps,
  input: { requestId: number; userId: string; topHelpers: string[]; note: string | null; answer?: string | null },
): Promise<void> {
  await loadForSolving(deps, input);
  const now = deps.clock.now();
  await commitChange(deps, async (tx) => {
    const repo = createHelpRequestsRepository({ db: tx });
    const solved = await repo.solve(input.requestId, { userId: input.userId, note: input.note }, now);
    if (!solved) return undefined; // a double submit: the first one did the work
    const helpers = (await repo.helpers(input.requestId)).map((h) => h.userId);
    const kudos = [...new Set(input.topHelpers)].filter((id) => id !== solved.askerId);
    await repo.addKudos(solved.id, kudos, input.userId, now);
    const announce: QueuedMessage[] = [{ card: card(solved.id) }];
    if (input.userId !== solved.askerId)
      announce.push({
        dm: solved.askerId,
        content: { text: `:white_check_mark: ${mentionUser(input.userId)} marked ${link(solved)} as solved.` },
      });
    const note = input.note ? `\n${quote(input.note)}` : '';
    for (const helperId of new Set([...helpers, ...kudos])) {
      if (helperId === input.userId) continue;
      const most = kudos.includes(helperId) ? ' You were named as helping most: kudos!' : '';
      const text = `:tada: Thank you for helping ${mentionUser(solved.askerId)} with ${solved.permalink ? linkTo(solved.permalink, 'their question') : 'their question'}. It is solved.${most}${note}`;
      announce.push({ dm: helperId, content: { text } });
    }
    return {
      result: solved,
      messages: announce,
      events: [
        {
          type: 'help_request.solved',
          requestId: solved.id,
          userId: input.userId,
          topHelpers: kudos,
          note: input.note,
          answer: input.answer ?? null,
          question: solved.question,
          permalink: solved.permalink,
        },
      ],
    };
  });
}

/**
 * What the top helper last wrote in the request's thread, to prefill "What was the answer?";
 * undefined when they wrote nothing there or Slack cannot say.
 */
export async function topHelperReply(
  slack: WebClient,
  request: HelpRequest,
  helpers: Helper[],
): Promise<string | undefined> {
  const top = helpers[0]?.userId;
  if (!top || !request.channelId || !request.messageTs) return undefined;
  try {
    const res = await slack.conversations.replies({ channel: request.channelId, ts: request.messageTs, limit: 200 });
    const said = (res.messages ?? []).filter((m) => m.user === top && m.ts !== request.messageTs && m.text?.trim());
    const last = said.at(-1)?.text;
    return last ? decodeSlackText(last) : undefined;
  } catch {
    return undefined;
  }
}
