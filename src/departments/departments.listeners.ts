import type { App } from '@slack/bolt';
import type { Deps } from '../deps.ts';
import { replyPrivately } from '../slack/frontline-command.ts';
import { DEPT_USAGE, isAdminDeptCommand, parseDeptCommand } from './departments.commands.ts';
import { DEPARTMENT_IDS as IDS } from './departments.ids.ts';
import { createDepartmentsRepository } from './departments.repository.ts';
import { addDepartment, runDeptCommand } from './departments.usecases.ts';
import { addDepartmentModal, parseAddDepartmentSubmission, renderDepartmentList, renderDepartmentsHome } from './departments.views.ts';

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
    await replyPrivately(respond, await runDeptCommand(useCaseDeps, command));
  });

  app.action(IDS.openAddModal, async ({ ack, body, client }) => {
    await ack();
    await deps.admins.requireAdmin(body.user.id);
    if ('trigger_id' in body) await client.views.open({ trigger_id: body.trigger_id, view: addDepartmentModal() });
  });

  app.view(IDS.addModal, async ({ ack, body, view }) => {
    if (!(await deps.admins.isAdmin(body.user.id))) {
      await ack({ response_action: 'errors', errors: { [IDS.keyBlock]: 'Only Frontline admins can add departments.' } });
      return;
    }
    const parsed = parseAddDepartmentSubmission(view.state.values);
    if (!parsed.ok) {
      await ack({ response_action: 'errors', errors: parsed.errors });
      return;
    }
    // The modal adds; changing an existing team is done with the dept commands, so nothing is overwritten by surprise.
    if (await repo.get(parsed.input.key)) {
      await ack({ response_action: 'errors', errors: { [IDS.keyBlock]: `\`${parsed.input.key}\` is taken. Pick another key, or change that department with /frontline dept.` } });
      return;
    }
    await ack();
    const confirmation = await addDepartment(useCaseDeps, parsed.input);
    await deps.messages.dm(body.user.id, { text: confirmation });
    await deps.home.publish(body.user.id);
  });

  deps.home.section({
    id: 'departments',
    order: 90,
    render: async ({ isAdmin }) => (isAdmin ? renderDepartmentsHome(await repo.list(), await deps.timezone()) : []),
  });

  deps.frontline.help('Departments', [
    { usage: DEPT_USAGE.list, description: 'the teams that take escalations, with their channels, leads and SLAs', example: '/frontline dept list' },
    { usage: DEPT_USAGE.add, description: 'add a department (or update one)', example: '/frontline dept add billing #billing Billing & Payments', adminOnly: true },
    { usage: DEPT_USAGE.remove, description: 'retire a department; its history stays', example: '/frontline dept remove legal', adminOnly: true },
    { usage: DEPT_USAGE.leads, description: 'who gets reminded when escalations wait', example: '/frontline dept leads billing @maria @sam', adminOnly: true },
    { usage: DEPT_USAGE.sla, description: 'targets for one priority', example: '/frontline dept sla billing urgent 15 4', adminOnly: true },
    { usage: DEPT_USAGE.keywords, description: 'words that suggest this team', example: '/frontline dept keywords billing invoice, refund, card', adminOnly: true },
    { usage: DEPT_USAGE.hours, description: 'working hours for normal and low priority SLAs', example: '/frontline dept hours billing mon-fri 09:00-17:00 Europe/Paris', adminOnly: true },
  ]);
}
