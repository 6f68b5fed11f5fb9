import type { App, BlockAction, ButtonAction } from '@slack/bolt';
import { z } from 'zod';
import { createDepartmentsRepository } from '../departments/departments.repository.ts';
import type { Deps } from '../deps.ts';
import { UserError } from '../errors.ts';
import { replyPrivately } from '../slack/frontline-command.ts';
import { messagePermalink } from '../slack/messaging.ts';
import { parseRaiseSubmission, parseReassignSubmission, parseResolveSubmission, raiseModal, reassignModal, resolveModal } from './escalation-modals.views.ts';
import { ESCALATE_USAGE, decodeEntities, parseEscalateCommand } from './escalations.commands.ts';
import { ESCALATION_IDS as IDS } from './escalations.ids.ts';
import { registerJobs } from './escalations.jobs.ts';
import { MAX_SUMMARY } from './escalations.models.ts';
import { createEscalationsRepository } from './escalations.repository.ts';
import {
  claimEscalation,
  type EscalationDeps,
  defineEscalationCard,
  noDepartments,
  raiseEscalation,
  raisedReply,
  reassignEscalation,
  releaseEscalation,
  requireAllowed,
  resolveEscalation,
  unknownDepartment,
} from './escalations.usecases.ts';
import { renderEscalationList, renderEscalationsHome } from './escalations.views.ts';

// A repeated `/escalate` with the same text this soon is a double send, not a second issue.
const REPEAT_WINDOW_MS = 10_000;
// Slack may deliver a modal submission twice; a view id is never reused, so a day is plenty.
const SUBMIT_WINDOW_MS = 24 * 3600_000;

const escalationId = z.uuid();

export function register(app: App, deps: Deps): void {
  const repo = createEscalationsRepository(deps);
  const departments = createDepartmentsRepository(deps);
  const useCaseDeps: EscalationDeps = { repo, departments, slack: deps.slack, messages: deps.messages, clock: deps.clock, logger: deps.logger, timezone: deps.timezone };
  defineEscalationCard(deps.messages, useCaseDeps);

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
      case 'modal':
        return openRaiseModal(command.trigger_id);
      case 'help':
        await replyPrivately(respond, `Escalate a customer issue to a team:\n• \`${ESCALATE_USAGE.modal}\` opens a form\n• \`${ESCALATE_USAGE.quick}\`\n• \`${ESCALATE_USAGE.list}\``);
        return;
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
          // Not a department: the whole text is probably the summary; let them pick the team.
          const text = decodeEntities(command.text).trim().slice(0, MAX_SUMMARY);
          const hint = `\`${parsed.departmentKey}\` is not a department. Pick one below.`;
          try {
            return await openRaiseModal(command.trigger_id, { summary: text, hint });
          } catch (error) {
            if (error instanceof UserError) throw error;
            throw unknownDepartment(parsed.departmentKey ?? '', await departments.list());
          }
        }
        if (parsed.action === 'prefill') return openRaiseModal(command.trigger_id, { ...parsed, departmentKey: department.key });
        if (!(await deps.requestKeys.firstSeen(['escalate', command.user_id, command.text.trim()], REPEAT_WINDOW_MS))) {
          await replyPrivately(respond, ':repeat: You raised exactly this a moment ago, so I did not create it twice. See `/escalate list`.');
          return;
        }
        const raised = await raiseEscalation(useCaseDeps, command.user_id, { ...parsed, customer: null, details: null, link: null });
        await replyPrivately(respond, raisedReply(raised));
      }
    }
  });

  app.shortcut({ callback_id: IDS.messageShortcut, type: 'message_action' }, async ({ ack, shortcut }) => {
    await ack();
    const link = await messagePermalink(deps.slack, shortcut.channel.id, shortcut.message.ts);
    const summary = decodeEntities(shortcut.message.text ?? '').trim().slice(0, MAX_SUMMARY);
    await openRaiseModal(shortcut.trigger_id, { summary, ...(link ? { link } : {}) });
  });

  app.action(IDS.openRaiseModal, async ({ ack, body }) => {
    await ack();
    if ('trigger_id' in body) await openRaiseModal(body.trigger_id);
  });

  app.view(IDS.raiseModal, async ({ ack, body, view }) => {
    const parsed = parseRaiseSubmission(view.state.values);
    if (!parsed.ok) return ack({ response_action: 'errors', errors: parsed.errors });
    if (!(await departments.get(parsed.input.departmentKey))) {
      return ack({ response_action: 'errors', errors: { [IDS.departmentBlock]: 'That department was just removed; pick another.' } });
    }
    await ack();
    if (!(await deps.requestKeys.firstSeen(['escalations.raise', view.id], SUBMIT_WINDOW_MS))) return;
    const raised = await raiseEscalation(useCaseDeps, body.user.id, parsed.input);
    await deps.messages.dm(body.user.id, { text: raisedReply(raised) });
  });

  const buttonTarget = (action: ButtonAction) => {
    const id = escalationId.safeParse(action.value);
    if (!id.success) throw new UserError('escalations.not_found', ':mag: That escalation no longer exists.');
    return id.data;
  };

  app.action<BlockAction<ButtonAction>>(IDS.claim, async ({ ack, body, action }) => {
    await ack();
    await claimEscalation(useCaseDeps, buttonTarget(action), body.user.id);
    await publishHomeIfFrom(body, body.user.id);
  });

  app.action<BlockAction<ButtonAction>>(IDS.release, async ({ ack, body, action }) => {
    await ack();
    await releaseEscalation(useCaseDeps, buttonTarget(action), body.user.id);
  });

  app.action<BlockAction<ButtonAction>>(IDS.resolve, async ({ ack, body, action }) => {
    await ack();
    const e = await requireAllowed(useCaseDeps, buttonTarget(action), 'resolve');
    await deps.slack.views.open({ trigger_id: body.trigger_id, view: resolveModal(e.id, e.summary) });
  });

  app.action<BlockAction<ButtonAction>>(IDS.reassign, async ({ ack, body, action }) => {
    await ack();
    const e = await requireAllowed(useCaseDeps, buttonTarget(action), 'reassign');
    const others = (await departments.list()).filter((d) => d.key !== e.departmentKey);
    if (others.length === 0) throw new UserError('escalations.no_other_department', ':office: There is no other department to hand it to.');
    await deps.slack.views.open({ trigger_id: body.trigger_id, view: reassignModal(e.id, others) });
  });

  app.view(IDS.resolveModal, async ({ ack, body, view }) => {
    const parsed = parseResolveSubmission(view.private_metadata, view.state.values);
    if (!parsed.success) return ack({ response_action: 'errors', errors: { [IDS.resolutionBlock]: parsed.error.issues[0]?.message ?? 'Say how it was resolved' } });
    await ack();
    if (!(await deps.requestKeys.firstSeen(['escalations.resolve', view.id], SUBMIT_WINDOW_MS))) return;
    await resolveEscalation(useCaseDeps, parsed.data.id, body.user.id, parsed.data.resolution);
    await deps.home.publish(body.user.id);
  });

  app.view(IDS.reassignModal, async ({ ack, body, view }) => {
    const parsed = parseReassignSubmission(view.private_metadata, view.state.values);
    if (!parsed.success) return ack({ response_action: 'errors', errors: { [IDS.reassignDepartmentBlock]: parsed.error.issues[0]?.message ?? 'Pick a department' } });
    const current = await repo.get(parsed.data.id);
    if (current?.departmentKey === parsed.data.departmentKey) {
      return ack({ response_action: 'errors', errors: { [IDS.reassignDepartmentBlock]: 'It is already with that department; pick another.' } });
    }
    if (!(await departments.get(parsed.data.departmentKey))) {
      return ack({ response_action: 'errors', errors: { [IDS.reassignDepartmentBlock]: 'That department was just removed; pick another.' } });
    }
    await ack();
    if (!(await deps.requestKeys.firstSeen(['escalations.reassign', view.id], SUBMIT_WINDOW_MS))) return;
    await reassignEscalation(useCaseDeps, parsed.data.id, body.user.id, parsed.data.departmentKey, parsed.data.reason);
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

  deps.frontline.help('Escalations', [
    { usage: ESCALATE_USAGE.modal, description: 'hand a customer issue to a department (opens a form)' },
    { usage: ESCALATE_USAGE.quick, description: 'escalate at once; priority defaults to normal', example: '/escalate billing high Refund stuck for ACME' },
    { usage: ESCALATE_USAGE.list, description: 'your open escalations and your departments’ unclaimed queue' },
  ]);
}
