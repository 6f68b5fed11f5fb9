import type { WebClient } from '@slack/web-api';
import type { Clock } from '../clock.ts';
import type { DepartmentsRepository } from '../departments/departments.repository.ts';
import { UserError } from '../errors.ts';
import type { Logger } from '../logger.ts';
import type { Setting } from '../settings/settings.ts';
import { mentionChannel, mentionUser } from '../slack/mentions.ts';
import { joiningIfNeeded, messagePermalink } from '../slack/messaging.ts';
import type { Messenger, Outbox } from '../slack/outbox.ts';
import { type AskText, maySolve, questionSchema, resolveTopic, splitTopic, type Urgency } from './help-requests.models.ts';
import type { HelpRequest, HelpRequestsRepository } from './help-requests.repository.ts';
import { noHelpChannelReply, quote, renderHelpRequestMessage } from './help-requests.views.ts';
import type { SkillsRepository } from './skills.repository.ts';

export interface HelpDeps {
  repo: HelpRequestsRepository;
  skills: SkillsRepository;
  departments: DepartmentsRepository;
  slack: WebClient;
  messages: Messenger;
  clock: Clock;
  logger: Logger;
  helpChannel: Setting<string>;
}

/** The people who know a topic: a department's leads, else the people who listed it as a skill. */
async function peopleForTopic({ departments, skills }: Pick<HelpDeps, 'departments' | 'skills'>, topic: string | null): Promise<string[] | undefined> {
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
}

/** The help channel, or a refusal that shows the asker their words back. */
export async function requireHelpChannel(deps: Pick<HelpDeps, 'helpChannel'>, text: string): Promise<string> {
  const channel = await deps.helpChannel.get();
  if (!channel) throw new UserError('help.no_channel', noHelpChannelReply(text));
  return channel;
}

/** The help channel's message mirrors the request row: drawn from it whenever it is posted or updated. */
export const HELP_REQUEST_CARD = 'help-request';

export function defineHelpRequestCard(messages: Outbox, deps: HelpDeps): void {
  messages.defineMirror(HELP_REQUEST_CARD, {
    async render(ref) {
      const request = await deps.repo.get(Number(ref));
      const channel = request?.channelId ?? (await deps.helpChannel.get());
      if (!request || !channel) return undefined;
      return { channel, ts: request.messageTs, ...renderHelpRequestMessage(request, await deps.repo.helpers(request.id)) };
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
  if (!valid.success) throw new UserError('help.bad_question', `:warning: ${valid.error.issues[0]?.message ?? 'That question is not valid'}. Nothing was posted.\nUsage: \`/ask <question>\` or \`/ask <topic>: <question>\``);
}

/** Stores a help request, then posts it to the help channel mentioning the topic's people. */
export async function askForHelp(deps: HelpDeps, input: AskInput): Promise<HelpRequest & { channelId: string }> {
  const channelId = await requireHelpChannel(deps, input.text);
  checkQuestion(input.text);
  const { topic, question, people } = await readTopic(deps, input.text);
  const stored = await deps.repo.create(
    {
      question,
      context: input.context ?? null,
      urgency: input.urgency ?? 'normal',
      customer: input.customer ?? null,
      topic: topic ?? null,
      topicPeople: people.filter((id) => id !== input.askerId),
      askerId: input.askerId,
      sourcePermalink: input.sourcePermalink ?? null,
    },
    deps.clock.now(),
  );
  try {
    await joiningIfNeeded(deps.slack, channelId, () => deps.messages.sync(HELP_REQUEST_CARD, String(stored.id)));
  } catch (error) {
    // Slack refused it for good (a private channel without the app): the row stays unposted, so no
    // list shows it, and the asker gets their words back to try again.
    deps.logger.warn({ err: error, requestId: stored.id }, 'could not post a help request');
    throw new UserError(
      'help.post_failed',
      `:warning: I could not post your question in ${mentionChannel(channelId)} (if the channel is private, invite me with \`/invite @Frontline\`). Here is what you wrote:\n${quote(input.text)}`,
    );
  }
  // Posted now, or kept for the outbox to post when Slack is back (then the row is unposted for now).
  return { ...((await deps.repo.get(stored.id)) ?? stored), channelId };
}

/** Re-renders the request's message from the database (after a claim or solve). */
export async function refreshHelpMessage(deps: Pick<HelpDeps, 'messages'>, requestId: number): Promise<void> {
  await deps.messages.sync(HELP_REQUEST_CARD, String(requestId));
}

const link = (request: HelpRequest) => (request.permalink ? `<${request.permalink}|your question>` : 'your question');

/** "I can help": claims the request or joins its helpers, then shows it and tells the asker. */
export async function offerHelp(deps: HelpDeps, { requestId, userId }: { requestId: number; userId: string }): Promise<string | undefined> {
  const request = await deps.repo.get(requestId);
  if (!request) throw new UserError('help.not_found', ':mag: I cannot find that help request any more.');
  if (request.askerId === userId) throw new UserError('help.own_request', ':slightly_smiling_face: That is your own question. When it is sorted, press *Solved*.');
  const outcome = await deps.repo.claim(requestId, userId, deps.clock.now());
  switch (outcome) {
    case 'not_found':
      throw new UserError('help.not_found', ':mag: I cannot find that help request any more.');
    case 'solved':
      return ':white_check_mark: This one is already solved. Thanks for offering!';
    case 'already_helping':
      return ':handshake: You are already helping with this one. Talk it through in the thread.';
    case 'claimed':
      await refreshHelpMessage(deps, requestId);
      await deps.messages.dm(request.askerId, {
        text: `:handshake: ${mentionUser(userId)} can help with ${link(request)}. Continue in the thread.`,
      });
      return undefined;
    case 'joined':
      await refreshHelpMessage(deps, requestId);
      await deps.messages.dm(request.askerId, { text: `:handshake: ${mentionUser(userId)} also offered to help with ${link(request)}.` });
      return undefined;
  }
}

/** The request and its helpers, if the person may mark it solved (the asker or a helper). */
async function loadForSolving(deps: Pick<HelpDeps, 'repo'>, { requestId, userId }: { requestId: number; userId: string }) {
  const request = await deps.repo.get(requestId);
  if (!request) throw new UserError('help.not_found', ':mag: I cannot find that help request any more.');
  const helpers = await deps.repo.helpers(requestId);
  if (!maySolve(userId, request, helpers.map((h) => h.userId))) {
    throw new UserError('help.not_allowed', ':lock: Only the person who asked or someone helping can mark this solved. Press *I can help* first if you are on it.');
  }
  return { request, helpers };
}

/** Checks that the person may mark the request solved and that it is not yet; returns it with its helpers for the modal. */
export async function prepareSolve(deps: Pick<HelpDeps, 'repo'>, input: { requestId: number; userId: string }) {
  const loaded = await loadForSolving(deps, input);
  if (loaded.request.status === 'solved') throw new UserError('help.already_solved', ':white_check_mark: This one is already solved.');
  return loaded;
}

/** Marks a request solved, counts kudos for who helped most, updates the message and thanks the helpers. */
export async function solveHelpRequest(deps: HelpDeps, input: { requestId: number; userId: string; topHelpers: string[]; note: string | null }): Promise<void> {
  await loadForSolving(deps, input);
  const now = deps.clock.now();
  const solved = await deps.repo.solve(input.requestId, { userId: input.userId, note: input.note }, now);
  if (!solved) return; // a double submit: the first one did the work
  const helpers = (await deps.repo.helpers(input.requestId)).map((h) => h.userId);
  const kudos = [...new Set(input.topHelpers)].filter((id) => id !== solved.askerId);
  await deps.repo.addKudos(solved.id, kudos, input.userId, now);
  await refreshHelpMessage(deps, solved.id);
  if (input.userId !== solved.askerId) {
    await deps.messages.dm(solved.askerId, { text: `:white_check_mark: ${mentionUser(input.userId)} marked ${link(solved)} as solved.` });
  }
  const note = input.note ? `\n${quote(input.note)}` : '';
  for (const helperId of new Set([...helpers, ...kudos])) {
    if (helperId === input.userId) continue;
    const most = kudos.includes(helperId) ? ' You were named as helping most: kudos!' : '';
    await deps.messages.dm(helperId, {
      text: `:tada: Thank you for helping ${mentionUser(solved.askerId)} with ${solved.permalink ? `<${solved.permalink}|their question>` : 'their question'}. It is solved.${most}${note}`,
    });
  }
}
