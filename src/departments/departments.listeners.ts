import type { App, BlockAction, ButtonAction } from '@slack/bolt';
import type { Deps } from '../deps.ts';
import { confirmStep } from '../slack/blocks.ts';
import { replyPrivately } from '../slack/frontline-command.ts';
import { escapeMrkdwn } from '../slack/mrkdwn.ts';
import { editDepartmentModal, parseEditDepartmentSubmission } from './department-edit.views.ts';
import { DEPT_USAGE, isAdminDeptCommand, parseDeptCommand } from './departments.commands.ts';
import { DEPARTMENT_IDS as IDS } from './departments.ids.ts';
import { canEditDepartment } from './departments.models.ts';
import { createDepartmentsRepository } from './departments.repository.ts';
import { addDepartment, editDepartment, notFound, notLead, runDeptCommand } from './departments.usecases.ts';
import {
  addDepartmentModal,
  parseAddDepartmentSubmission,
  renderDepartmentList,
  renderDepartmentsHome,
} from './departments.views.ts';

export function register(app: App, deps: Deps): void {
  const repo = createDepartmentsRepository(deps);
  const useCaseDeps = { repo, slack: deps.slack, logger: deps.logger };

  deps.frontline.subcommand('dept', async ({ args, userId, respond }) => {
    const command = parseDeptCommand(args);
    if (command.action === 'list') {
      const { text, blocks } = renderDepartmentList(await repo.list(), await deps.timezone());
      await replyPrivately(respond, text, blocks);
      return;
    }
    if (isAdminDeptCommand(command)) await deps.admins.requireAdmin(userId);
    if (command.action === 'remove') {
      // Removing asks first; the button below does it.
      const department = await repo.get(command.key);
      if (!department) throw notFound(command.key);
      const { text, blocks } = confirmStep(
        `Remove *${escapeMrkdwn(department.name)}*? New escalations can no longer go to it; its past escalations keep their history.`,
        'Remove department',
        IDS.remove,
        department.key,
      );
      await replyPrivately(respond, text, blocks);
      return;
    }
    await replyPrivately(respond, await runDeptCommand(useCaseDeps, command));
  });

  app.action<BlockAction<ButtonAction>>(IDS.remove, async ({ ack, body, action, respond }) => {
    await ack();
    await deps.admins.requireAdmin(body.user.id);
    const key = action.value ?? '';
    await replyPrivately(respond, await runDeptCommand(useCaseDeps, { action: 'remove', key }));
  });

  app.action(IDS.openAddModal, async ({ ack, body, client }) => {
    await ack();
    await deps.admins.requireAdmin(body.user.id);
    if ('trigger_id' in body) await client.views.open({ trigger_id: body.trigger_id, view: addDepartmentModal() });
  });

  app.view(IDS.addModal, async ({ ack, body, view }) => {
    if (!(await deps.admins.isAdmin(body.user.id))) {
      await ack({
        response_action: 'errors',
        errors: { [IDS.keyBlock]: 'Only Frontline admins can add departments.' },
      });
      return;
    }
    const parsed = parseAddDepartmentSubmission(view.state.values);
    if (!parsed.ok) {
      await ack({ response_action: 'errors', errors: parsed.errors });
      return;
    }
    // The modal adds; changing an existing team is done with the dept commands, so nothing is overwritten by surprise.
    if (await repo.get(parsed.input.key)) {
      await ack({
        response_action: 'errors',
        errors: {
          [IDS.keyBlock]: `\`${parsed.input.key}\` is taken. Pick another key, or change that department with /frontline dept.`,
        },
      });
      return;
    }
    await ack();
    const confirmation = await addDepartment(useCaseDeps, parsed.input);
    await deps.messages.dm(body.user.id, { text: confirmation });
    await deps.home.publish(body.user.id);
  });

  app.action<BlockAction<ButtonAction>>(IDS.openEditModal, async ({ ack, body, action }) => {
    await ack();
    const department = await repo.get(action.value ?? '');
    if (!department) throw notFound(action.value ?? '');
    if (!canEditDepartment(department, body.user.id, await deps.admins.isAdmin(body.user.id))) throw notLead();
    await deps.slack.views.open({
      trigger_id: body.trigger_id,
      view: editDepartmentModal(department, await deps.timezone()),
    });
  });

  app.view(IDS.editModal, async ({ ack, body, view }) => {
    const parsed = parseEditDepartmentSubmission(view.state.values);
    if (!parsed.ok) return ack({ response_action: 'errors', errors: parsed.errors });
    const department = await repo.get(view.private_metadata);
    const isAdmin = await deps.admins.isAdmin(body.user.id);
    if (!department || !canEditDepartment(department, body.user.id, isAdmin)) {
      return ack({
        response_action: 'errors',
        errors: {
          [IDS.editLeadsBlock]: department
            ? 'Only its leads and Frontline admins can change this department.'
            : 'This department was removed meanwhile.',
        },
      });
    }
    await ack();
    const confirmation = await editDepartment(useCaseDeps, {
      key: department.key,
      userId: body.user.id,
      isAdmin,
      settings: parsed.settings,
    });
    await deps.messages.dm(body.user.id, { text: confirmation });
    await deps.home.publish(body.user.id);
  });

  deps.home.section({
    id: 'departments',
    order: 90,
    render: async (viewer) => renderDepartmentsHome(await repo.list(), await deps.timezone(), viewer),
  });

  deps.frontline.help(
    'Departments',
    [
      {
        usage: DEPT_USAGE.list,
        description: 'the teams that take escalations, with their channels, leads and SLAs',
        example: '/frontline dept list',
      },
      {
        usage: DEPT_USAGE.add,
        description: 'add a department (or update one)',
        example: '/frontline dept add billing #billing Billing & Payments',
        adminOnly: true,
      },
      {
        usage: DEPT_USAGE.remove,
        description: 'retire a department; its history stays',
        example: '/frontline dept remove legal',
        adminOnly: true,
      },
      {
        usage: DEPT_USAGE.leads,
        description: 'who gets reminded when escalations wait',
        example: '/frontline dept leads billing @maria @sam',
        adminOnly: true,
      },
      {
        usage: DEPT_USAGE.sla,
        description: 'targets for one priority',
        example: '/frontline dept sla billing urgent 15 4',
        adminOnly: true,
      },
      {
        usage: DEPT_USAGE.keywords,
        description: 'words that suggest this team',
        example: '/frontline dept keywords billing invoice, refund, card',
        adminOnly: true,
      },
      {
        usage: DEPT_USAGE.fields,
        description: 'what the escalation form asks for this team',
        example: '/frontline dept fields billing "Invoice number" required, Amount optional',
        adminOnly: true,
      },
      {
        usage: DEPT_USAGE.oncall,
        description: 'who an urgent escalation mentions (else the leads)',
        example: '/frontline dept oncall billing @billing-oncall',
        adminOnly: true,
      },
      {
        usage: DEPT_USAGE.hours,
        description: 'working hours for normal and low priority SLAs',
        example: '/frontline dept hours billing mon-fri 09:00-17:00 Europe/Paris',
        adminOnly: true,
      },
      {
        usage: DEPT_USAGE.holidays,
        description: 'days off skipped by working-hours SLAs (replaces the list; `none` clears it, no dates shows it)',
        example: '/frontline dept holidays billing 2026-12-24 2026-12-25 2027-01-01',
        adminOnly: true,
      },
      {
        usage: DEPT_USAGE.assign,
        description: 'assign new escalations in turn to a user group’s members who are working and not away',
        example: '/frontline dept assign billing round-robin @billing-team',
        adminOnly: true,
      },
    ],
    { area: 'departments', summary: 'the teams that take escalations: `/frontline dept list`' },
  );
}
