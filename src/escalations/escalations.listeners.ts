import type { App, BlockAction, ButtonAction, StaticSelectAction } from '@slack/bolt';
import { z } from 'zod';
import type { Deps } from '../deps.ts';
import { parseOrRefuse, UserError } from '../errors.ts';
import { parseSetting } from '../settings/workspace.settings.ts';
import { formatRef, parseRef } from '../short-refs.ts';
import { replyPrivately } from '../slack/frontline-command.ts';
import { mentionUser } from '../slack/mentions.ts';
import { answerInResponseUrl, messagePermalink } from '../slack/messaging.ts';
import { codeSpan, decodeSlackText, escapeMrkdwn } from '../slack/mrkdwn.ts';
import {
  holdEscalation,
  reopenEscalation,
  requireReopenable,
  resumeEscalation,
  resumeOnRequesterReply,
} from './escalation-lifecycle.usecases.ts';
import {
  escalationIdSchema,
  fieldBlockId,
  holdModal,
  parseAddToAnswers,
  parseHoldSubmission,
  parseRaiseSubmission,
  parseReassignSubmission,
  parseReopenSubmission,
  parseResolveSubmission,
  type RaisePrefill,
  raiseFormMetadataOf,
  raiseModal,
  reassignModal,
  redrawnPrefill,
  reopenModal,
  resolveModal,
  showsIntakeFieldsOf,
  typedFieldValues,
} from './escalation-modals.views.ts';
import { ESCALATE_USAGE, parseEscalateCommand } from './escalations.commands.ts';
import { createEscalationsDigestSection } from './escalations.digest.ts';
import { type HeldEscalation, postHeldEscalations } from './escalations.held.ts';
import { escalationActionId, ESCALATION_IDS as IDS } from './escalations.ids.ts';
import { registerJobs } from './escalations.jobs.ts';
import {
  answerIntakeFields,
  DEFAULT_REOPEN_DAYS,
  ESCALATION_REF,
  holdEndsAt,
  MAX_SUMMARY,
  REOPEN_DAYS_SETTING,
  reopenDaysSchema,
} from './escalations.models.ts';
import { registerRatings } from './escalations.ratings.listeners.ts';
import { defineSlaWarnPercent } from './escalations.settings.ts';
import {
  claimEscalation,
  createEscalationDeps,
  defineEscalationCard,
  escalationNotFound,
  findEscalationByNumber,
  handBackEscalation,
  noDepartments,
  raisedReply,
  raiseEscalation,
  reassignEscalation,
  releaseEscalation,
  requireAllowed,
  resolveEscalation,
  unknownDepartment,
  workingHoursOf,
} from './escalations.usecases.ts';
import {
  renderEscalationList,
  renderEscalationStatus,
  renderEscalationsHome,
  renderSuggestion,
  suggestedValue,
} from './escalations.views.ts';
import { suggestionReason } from './routing.models.ts';
import { suggestTeam } from './routing.usecases.ts';
import { openTriage, registerTriage } from './triage.listeners.ts';
import { withAddedFields } from './triage.models.ts';

// Slack's limit for a button's value.
const MAX_BUTTON_VALUE = 2000;

// A repeated `/escalate` with the same text this soon is a double send, not a second issue.
const REPEAT_WINDOW_MS = 10_000;
// Slack may deliver a modal submission twice; a view id is never reused, so a day is plenty.
const SUBMIT_WINDOW_MS = 24 * 3600_000;

export function register(app: App, deps: Deps): void {
  defineSlaWarnPercent(deps.settings);
  const useCaseDeps = createEscalationDeps(deps);
  const { repo, departments } = useCaseDeps;
  deps.settings.define({
    name: REOPEN_DAYS_SETTING,
    usage: '<days>',
    example: '/frontline set reopen-days 30',
    description: `days after its resolution that the requester or the department can reopen an escalation (default ${DEFAULT_REOPEN_DAYS}; applies to escalations resolved from then on)`,
    parse: (text) => parseSetting(reopenDaysSchema, REOPEN_DAYS_SETTING, text, '<days>'),
    describe: (days) => `${days} days`,
  });
  defineEscalationCard(deps.messages, useCaseDeps);
  postHeldEscalations(deps.beforePosting, useCaseDeps);

  /** Opens the raise modal, or explains why there is nothing to pick from. */
  const openRaiseModal = async (triggerId: string, prefill: Parameters<typeof raiseModal>[1] = {}) => {
    const list = await departments.list();
    if (list.length === 0) throw noDepartments();
    await deps.slack.views.open({ trigger_id: triggerId, view: raiseModal(list, prefill) });
  };

  const listFor = async (userId: string, channelId?: string) => {
    const all = await departments.list();
    const mine = all.filter((d) => d.leads.includes(userId) || d.channelId === channelId).map((d) => d.key);
    const names = new Map(all.map((d) => [d.key, d.name]));
    return { lists: await repo.forUser(userId, mine), names };
  };

  const publishHomeIfFrom = async (body: BlockAction, userId: string) => {
    if (body.view?.type === 'home') await deps.home.publish(userId);
  };

  app.command(IDS.command, async ({ ack, command, respond }) => {
    await ack();
    const parsed = parseEscalateCommand(command.text);
    switch (parsed.action) {
      case 'modal': {
        // With a triage tree, its questions come first and set the form's team.
        const walk = { triggerId: command.trigger_id, replyUrl: command.response_url };
        if (await openTriage(deps, walk)) return;
        return openRaiseModal(command.trigger_id, { replyUrl: command.response_url });
      }
      case 'help': {
        const help = deps.frontline.renderHelp('escalations');
        await replyPrivately(respond, help.text, help.blocks);
        return;
      }
      case 'show': {
        const number = parseRef(ESCALATION_REF, parsed.ref);
        if (number === undefined)
          throw new UserError(
            'escalations.bad_ref',
            `:mag: Give the escalation’s reference, such as \`${ESCALATE_USAGE.show.replace('<ESC-42>', 'ESC-42')}\`.`,
          );
        const found = await findEscalationByNumber(useCaseDeps, { number, viewerId: command.user_id });
        if (!found)
          throw new UserError(
            'escalations.unknown_ref',
            `:mag: There is no escalation ${formatRef(ESCALATION_REF, number)}.`,
          );
        const { text, blocks } = renderEscalationStatus(found.escalation, found.context, deps.clock.now());
        await replyPrivately(respond, text, blocks);
        return;
      }
      case 'list': {
        const { lists, names } = await listFor(command.user_id, command.channel_id);
        const { text, blocks } = renderEscalationList(lists, deps.clock.now(), names);
        await replyPrivately(respond, text, blocks);
        return;
      }
      case 'prefill':
      case 'quick': {
        const department = parsed.departmentKey ? await departments.get(parsed.departmentKey) : undefined;
        if (!department) {
          // Not a department: the whole text is probably the summary; suggest a team, or let them pick one.
          const text = decodeSlackText(command.text).trim().slice(0, MAX_SUMMARY);
          const list = await departments.list();
          if (list.length === 0) throw noDepartments();
          const suggested = await suggestTeam(useCaseDeps, { text });
          const reason = suggested && suggestionReason(suggested.suggestion, suggested.department.name);
          if (suggested && reason && suggestedValue(suggested.department.key, text).length <= MAX_BUTTON_VALUE) {
            const { text: fallback, blocks } = renderSuggestion(text, suggested.department, reason);
            return void (await replyPrivately(respond, fallback, blocks));
          }
          // Too long for a button: the form, with the suggested team picked.
          const prefill: RaisePrefill =
            suggested && reason
              ? {
                  summary: text,
                  departmentKey: suggested.department.key,
                  hint: `This looks like one for *${escapeMrkdwn(suggested.department.name)}*: ${escapeMrkdwn(reason)}.`,
                }
              : { summary: text, hint: `${codeSpan(parsed.departmentKey ?? '')} is not a department. Pick one below.` };
          // When Slack will not open the form (an expired trigger), the list of departments is the answer.
          return void (await deps.slack.views
            .open({
              trigger_id: command.trigger_id,
              view: raiseModal(list, { ...prefill, replyUrl: command.response_url }),
            })
            .catch(() => {
              throw unknownDepartment(parsed.departmentKey ?? '', list);
            }));
        }
        if (parsed.action === 'prefill')
          return openRaiseModal(command.trigger_id, {
            ...parsed,
            departmentKey: department.key,
            replyUrl: command.response_url,
          });
        const required = department.intakeFields.filter((f) => f.required).map((f) => f.label);
        if (required.length)
          return openRaiseModal(command.trigger_id, {
            ...parsed,
            departmentKey: department.key,
            replyUrl: command.response_url,
            hint: `${escapeMrkdwn(department.name)} also needs ${escapeMrkdwn(required.join(', '))}.`,
          });
        const dedupe = { parts: ['escalate', command.user_id, command.text.trim()], windowMs: REPEAT_WINDOW_MS };
        const { departmentKey, priority, summary } = parsed;
        const input = { departmentKey, priority, summary, customer: null, details: null, link: null };
        const draft: HeldEscalation = { input };
        const typed = { userId: command.user_id, question: summary, draft, retryKey: command.trigger_id };
        if (await deps.beforePosting.hold({ kind: 'escalation', ...typed, replyUrl: command.response_url })) return;
        const raised = await raiseEscalation(useCaseDeps, {
          requester: { requesterId: command.user_id },
          input,
          dedupe,
        });
        await replyPrivately(
          respond,
          raised
            ? raisedReply(raised)
            : ':repeat: You raised exactly this a moment ago, so I did not create it twice. See `/escalate list`.',
        );
      }
    }
  });

  const suggestedSchema = z.object({ d: z.string().min(1), s: z.string().trim().min(1).max(MAX_SUMMARY) });
  const suggestedTarget = (action: ButtonAction) =>
    parseOrRefuse(
      z
        .string()
        .transform((v, ctx) => {
          try {
            return JSON.parse(v) as unknown;
          } catch {
            ctx.addIssue({ code: 'custom', message: 'not JSON' });
            return z.NEVER;
          }
        })
        .pipe(suggestedSchema),
      action.value,
      () =>
        new UserError('escalations.bad_suggestion', ':mag: That suggestion is no longer valid; run `/escalate` again.'),
    );

  // "Send to Billing": raise it there at once, unless that team needs fields only the form asks for.
  app.action<BlockAction<ButtonAction>>(IDS.sendSuggested, async ({ ack, body, action, respond }) => {
    await ack();
    const { d: key, s: summary } = suggestedTarget(action);
    const department = await departments.get(key);
    if (!department) throw unknownDepartment(key, await departments.list());
    const required = department.intakeFields.filter((f) => f.required).map((f) => f.label);
    if (required.length)
      return openRaiseModal(body.trigger_id, {
        summary,
        departmentKey: key,
        ...(body.response_url ? { replyUrl: body.response_url } : {}),
        hint: `${escapeMrkdwn(department.name)} also needs ${escapeMrkdwn(required.join(', '))}.`,
      });
    const raised = await raiseEscalation(useCaseDeps, {
      requester: { requesterId: body.user.id },
      input: { departmentKey: key, priority: 'normal', summary, customer: null, details: null, link: null },
      dedupe: { parts: ['escalations.send-suggested', body.user.id, action.value], windowMs: SUBMIT_WINDOW_MS },
    });
    await respond({
      response_type: 'ephemeral',
      replace_original: true,
      text: raised ? raisedReply(raised) : ':repeat: You sent this already, so I did not create it twice.',
    });
  });

  // "Pick another team": the form, with the summary typed.
  app.action<BlockAction<ButtonAction>>(IDS.pickAnotherTeam, async ({ ack, body, action }) => {
    await ack();
    await openRaiseModal(body.trigger_id, {
      summary: suggestedTarget(action).s,
      ...(body.response_url ? { replyUrl: body.response_url } : {}),
    });
  });

  app.shortcut({ callback_id: IDS.messageShortcut, type: 'message_action' }, async ({ ack, shortcut }) => {
    await ack();
    const link = await messagePermalink(deps.slack, shortcut.channel.id, shortcut.message.ts);
    const summary = decodeSlackText(shortcut.message.text ?? '')
      .trim()
      .slice(0, MAX_SUMMARY);
    await openRaiseModal(shortcut.trigger_id, {
      summary,
      ...(link ? { link } : {}),
      replyUrl: shortcut.response_url,
    });
  });

  app.action(IDS.openRaiseModal, async ({ ack, body }) => {
    await ack();
    if ('trigger_id' in body && !(await openTriage(deps, { triggerId: body.trigger_id })))
      await openRaiseModal(body.trigger_id);
  });

  // Picking a team redraws the form with that team's intake fields, keeping what was typed.
  app.action<BlockAction<StaticSelectAction>>(
    { block_id: IDS.departmentBlock, action_id: IDS.departmentInput },
    async ({ ack, body }) => {
      await ack();
      if (!body.view) return;
      const list = await departments.list();
      // Picked by hand: the app's suggestion is forgotten, where to confirm is kept.
      await deps.slack.views.update({
        view_id: body.view.id,
        hash: body.view.hash,
        view: raiseModal(list, redrawnPrefill(body.view, list)),
      });
    },
  );

  // As the summary is typed: pick the suggested team, unless the person picked one themselves.
  app.action<BlockAction>({ block_id: IDS.summaryBlock, action_id: IDS.summaryInput }, async ({ ack, body }) => {
    await ack();
    if (!body.view) return;
    const list = await departments.list();
    const { suggestedKey: previous } = raiseFormMetadataOf(body.view.private_metadata);
    const prefill = redrawnPrefill(body.view, list);
    if (!prefill.summary || (prefill.departmentKey && prefill.departmentKey !== previous)) return;
    const suggested = await suggestTeam(useCaseDeps, { text: prefill.summary });
    if (suggested?.department.key === previous || (!suggested && !previous)) return;
    const reason = suggested && suggestionReason(suggested.suggestion, suggested.department.name);
    const view = raiseModal(
      list,
      suggested && reason
        ? {
            ...prefill,
            departmentKey: suggested.department.key,
            suggestedKey: suggested.department.key,
            hint: `Suggested: *${escapeMrkdwn(suggested.department.name)}* (${escapeMrkdwn(reason)}). Pick another if it is not right.`,
          }
        : { ...prefill, departmentKey: undefined },
    );
    // A newer keystroke may have redrawn the form already (hash_conflict): that one wins.
    await deps.slack.views.update({ view_id: body.view.id, hash: body.view.hash, view }).catch((error: unknown) => {
      if ((error as { data?: { error?: string } }).data?.error !== 'hash_conflict') throw error;
    });
  });

  app.view(IDS.raiseModal, async ({ ack, body, view }) => {
    const parsed = parseRaiseSubmission(view.state.values);
    if (!parsed.ok) return ack({ response_action: 'errors', errors: parsed.errors });
    const department = await departments.get(parsed.input.departmentKey);
    if (!department) {
      return ack({
        response_action: 'errors',
        errors: { [IDS.departmentBlock]: 'That department was just removed; pick another.' },
      });
    }
    const { triage } = raiseFormMetadataOf(view.private_metadata);
    const fields = withAddedFields(department.intakeFields, triage?.fields);
    if (!showsIntakeFieldsOf(view, fields)) {
      // The form was drawn for another team (or before this one's fields changed): show this team's fields.
      const list = await departments.list();
      const hint = `${escapeMrkdwn(department.name)} asks for the fields below too.`;
      return ack({ response_action: 'update', view: raiseModal(list, { ...redrawnPrefill(view, list), hint }) });
    }
    const answered = answerIntakeFields(fields, typedFieldValues(fields, view.state.values));
    if (!answered.ok) {
      const errors = Object.fromEntries(Object.entries(answered.errors).map(([label, m]) => [fieldBlockId(label), m]));
      return ack({ response_action: 'errors', errors });
    }
    await ack();
    const { replyUrl } = raiseFormMetadataOf(view.private_metadata);
    const draft: HeldEscalation = { input: parsed.input, fields: answered.answers };
    const typed = { userId: body.user.id, question: parsed.input.summary, draft, retryKey: view.id };
    if (await deps.beforePosting.hold({ kind: 'escalation', ...typed, ...(replyUrl ? { replyUrl } : {}) })) return;
    const raised = await raiseEscalation(useCaseDeps, {
      requester: { requesterId: body.user.id },
      input: { ...parsed.input, fields: answered.answers },
      dedupe: { parts: ['escalations.raise', view.id], windowMs: SUBMIT_WINDOW_MS },
      ...(triage ? { triage } : {}),
    });
    // The same answer the quick path gives, the same way: privately where the form was opened
    // (from Home, where there is no such place, by DM).
    if (!raised) return;
    const reply = { text: raisedReply(raised) };
    if (!replyUrl || !(await answerInResponseUrl(replyUrl, reply).catch(() => false)))
      await deps.messages.dm(body.user.id, reply);
  });

  /** Whether a click came from the card in its department's channel (whose members see it there). */
  const clickedInDepartmentChannel = async (id: string, channelId: string | null) => {
    const e = await repo.get(id);
    return channelId !== null && channelId === e?.channelId;
  };

  const buttonTarget = (action: ButtonAction) => parseOrRefuse(escalationIdSchema, action.value, escalationNotFound);

  app.action<BlockAction<ButtonAction>>(escalationActionId('claim'), async ({ ack, body, action }) => {
    await ack();
    await claimEscalation(useCaseDeps, { id: buttonTarget(action), userId: body.user.id });
    await publishHomeIfFrom(body, body.user.id);
  });

  app.action<BlockAction<ButtonAction>>(escalationActionId('release'), async ({ ack, body, action }) => {
    await ack();
    await releaseEscalation(useCaseDeps, { id: buttonTarget(action), userId: body.user.id });
  });

  app.action<BlockAction<ButtonAction>>(escalationActionId('hand_back'), async ({ ack, body, action }) => {
    await ack();
    await handBackEscalation(useCaseDeps, { id: buttonTarget(action), userId: body.user.id });
  });

  app.action<BlockAction<ButtonAction>>(escalationActionId('resolve'), async ({ ack, body, action }) => {
    await ack();
    const e = await requireAllowed(useCaseDeps, { id: buttonTarget(action), action: 'resolve' });
    await deps.slack.views.open({ trigger_id: body.trigger_id, view: resolveModal(e.id, e.summary) });
  });

  app.action<BlockAction<ButtonAction>>(escalationActionId('reassign'), async ({ ack, body, action }) => {
    await ack();
    const e = await requireAllowed(useCaseDeps, { id: buttonTarget(action), action: 'reassign' });
    const others = (await departments.list()).filter((d) => d.key !== e.departmentKey);
    if (others.length === 0)
      throw new UserError('escalations.no_other_department', ':office: There is no other department to hand it to.');
    await deps.slack.views.open({ trigger_id: body.trigger_id, view: reassignModal(e.id, others) });
  });

  app.view(IDS.resolveModal, async ({ ack, body, view }) => {
    const parsed = parseResolveSubmission(view.private_metadata, view.state.values);
    if (!parsed.success)
      return ack({
        response_action: 'errors',
        errors: { [IDS.resolutionBlock]: parsed.error.issues[0]?.message ?? 'Say how it was resolved' },
      });
    await ack();
    const resolved = await deps.requestKeys.once(
      { parts: ['escalations.resolve', view.id], windowMs: SUBMIT_WINDOW_MS },
      () =>
        resolveEscalation(useCaseDeps, {
          id: parsed.data.id,
          userId: body.user.id,
          resolution: parsed.data.resolution,
          addToAnswers: parseAddToAnswers(view.state.values),
        }),
    );
    if (resolved) await deps.home.publish(body.user.id);
  });

  app.view(IDS.reassignModal, async ({ ack, body, view }) => {
    const parsed = parseReassignSubmission(view.private_metadata, view.state.values);
    if (!parsed.success)
      return ack({
        response_action: 'errors',
        errors: { [IDS.reassignDepartmentBlock]: parsed.error.issues[0]?.message ?? 'Pick a department' },
      });
    const current = await repo.get(parsed.data.id);
    if (current?.departmentKey === parsed.data.departmentKey) {
      return ack({
        response_action: 'errors',
        errors: { [IDS.reassignDepartmentBlock]: 'It is already with that department; pick another.' },
      });
    }
    if (!(await departments.get(parsed.data.departmentKey))) {
      return ack({
        response_action: 'errors',
        errors: { [IDS.reassignDepartmentBlock]: 'That department was just removed; pick another.' },
      });
    }
    await ack();
    await deps.requestKeys.once({ parts: ['escalations.reassign', view.id], windowMs: SUBMIT_WINDOW_MS }, () =>
      reassignEscalation(useCaseDeps, {
        id: parsed.data.id,
        userId: body.user.id,
        departmentKey: parsed.data.departmentKey,
        reason: parsed.data.reason,
      }),
    );
  });

  app.action<BlockAction<ButtonAction>>(escalationActionId('hold'), async ({ ack, body, action }) => {
    await ack();
    const e = await requireAllowed(useCaseDeps, { id: buttonTarget(action), action: 'hold' });
    if (e.claimerId !== body.user.id) {
      throw new UserError(
        'escalations.not_claimer',
        `:no_entry: Only ${mentionUser(e.claimerId ?? '')}, who claimed it, can put it on hold.`,
      );
    }
    await deps.slack.views.open({ trigger_id: body.trigger_id, view: holdModal(e.id, e.summary) });
  });

  app.view(IDS.holdModal, async ({ ack, body, view }) => {
    const parsed = parseHoldSubmission(view.private_metadata, view.state.values);
    if (!parsed.ok) return ack({ response_action: 'errors', errors: parsed.errors });
    const { id, reason, until } = parsed.hold;
    const e = await repo.get(id);
    const department = e && (await departments.getIncludingArchived(e.departmentKey));
    const untilAt = until && department ? holdEndsAt(until, await workingHoursOf(department, useCaseDeps)) : null;
    if (untilAt && untilAt <= deps.clock.now()) {
      return ack({ response_action: 'errors', errors: { [IDS.holdUntilBlock]: 'Pick a day after today' } });
    }
    await ack();
    await deps.requestKeys.once({ parts: ['escalations.hold', view.id], windowMs: SUBMIT_WINDOW_MS }, () =>
      holdEscalation(useCaseDeps, { id, userId: body.user.id, reason, until: untilAt }),
    );
  });

  app.action<BlockAction<ButtonAction>>(escalationActionId('resume'), async ({ ack, body, action }) => {
    await ack();
    await resumeEscalation(useCaseDeps, {
      id: buttonTarget(action),
      resumedBy: { by: 'button', userId: body.user.id },
    });
    await publishHomeIfFrom(body, body.user.id);
  });

  app.action<BlockAction<ButtonAction>>(escalationActionId('reopen'), async ({ ack, body, action }) => {
    await ack();
    const id = buttonTarget(action);
    const channelId = body.channel?.id ?? null;
    const e = await requireReopenable(useCaseDeps, {
      id,
      userId: body.user.id,
      inDepartmentChannel: await clickedInDepartmentChannel(id, channelId),
    });
    await deps.slack.views.open({ trigger_id: body.trigger_id, view: reopenModal({ id: e.id, channelId }, e.summary) });
  });

  app.view(IDS.reopenModal, async ({ ack, body, view }) => {
    const parsed = parseReopenSubmission(view.private_metadata, view.state.values);
    if (!parsed.success)
      return ack({
        response_action: 'errors',
        errors: { [IDS.reopenReasonBlock]: parsed.error.issues[0]?.message ?? 'Say why it needs more work' },
      });
    await ack();
    const { from, reason } = parsed.data;
    await deps.requestKeys.once({ parts: ['escalations.reopen', view.id], windowMs: SUBMIT_WINDOW_MS }, async () =>
      reopenEscalation(useCaseDeps, {
        id: from.id,
        userId: body.user.id,
        reason,
        inDepartmentChannel: await clickedInDepartmentChannel(from.id, from.channelId),
      }),
    );
  });

  // The requester's reply in a held card's thread brings it back.
  app.event('message', async ({ event }) => {
    if (event.subtype !== undefined || !('thread_ts' in event) || !event.thread_ts || event.thread_ts === event.ts)
      return;
    await resumeOnRequesterReply(useCaseDeps, {
      channelId: event.channel,
      threadTs: event.thread_ts,
      userId: event.user,
    });
  });

  deps.home.section({
    id: 'escalations',
    order: 10,
    render: async ({ userId }) => {
      const { lists, names } = await listFor(userId);
      return renderEscalationsHome(lists, deps.clock.now(), names);
    },
  });

  registerJobs(deps, useCaseDeps);
  registerRatings(app, deps, useCaseDeps);
  deps.digests.section(
    createEscalationsDigestSection({
      repo,
      departmentName: async (key) => (await departments.getIncludingArchived(key))?.name,
    }),
  );

  deps.frontline.help(
    'Escalations',
    [
      { usage: ESCALATE_USAGE.modal, description: 'hand a customer issue to a department (opens a form)' },
      {
        usage: ESCALATE_USAGE.quick,
        description: 'escalate at once; priority defaults to normal',
        example: '/escalate billing high Refund stuck for ACME',
      },
      {
        usage: ESCALATE_USAGE.suggest,
        description: 'no team named: I suggest one from its words and where similar escalations were resolved',
        example: '/escalate Refund missing on the December invoice',
      },
      { usage: ESCALATE_USAGE.list, description: 'your open escalations and your departments’ unclaimed queue' },
      {
        usage: ESCALATE_USAGE.show,
        description: 'where one escalation stands, with a link to its card',
        example: '/escalate show ESC-42',
      },
    ],
    { area: 'escalations', summary: 'hand a customer issue to a department with `/escalate`' },
  );
  // After the escalations' help: its help comes next on `/frontline help`.
  registerTriage(app, deps, useCaseDeps);
}
