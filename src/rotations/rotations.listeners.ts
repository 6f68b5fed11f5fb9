import type { App, BlockAction, ButtonAction, RespondFn } from '@slack/bolt';
import type { Deps } from '../deps.ts';
import { isUserError, UserError } from '../errors.ts';
import { replyPrivately } from '../slack/frontline-command.ts';
import { isAdminShadowCommand, parseShadowCommand, SHADOW_USAGE } from './rotations.commands.ts';
import { ROTATION_IDS as IDS } from './rotations.ids.ts';
import { serialIdSchema } from '../db/ids.ts';
import { registerJobs } from './rotations.jobs.ts';
import { createRotationsRepository } from './rotations.repository.ts';
import { markAway, optIn, optOut, planAndAnnounce, requireRotation, type RotationDeps, saveRotation, withdrawOffers } from './rotations.usecases.ts';
import { parseSetupSubmission, parseSetupTarget, renderRotationList, renderSchedule, renderStats, setupModal } from './rotations.views.ts';
import { createSessionsRepository } from './sessions.repository.ts';
import { acceptSession, markAttendance, reflectableSession, skipSession, swapSession } from './sessions.usecases.ts';
import { answeredMessage, parseReflection, reflectionModal, renderNextSession, renderShadowHome } from './sessions.views.ts';

/** The rotation or session a button points at; any other value is a stale or forged button. */
function buttonTarget(action: ButtonAction): number {
  const id = serialIdSchema.safeParse(action.value);
  if (!id.success) throw new UserError('rotations.bad_button', ':warning: That button does not point at a rotation or session. Nothing was changed.');
  return id.data;
}

export function register(app: App, deps: Deps): void {
  const rotations = createRotationsRepository(deps);
  const sessions = createSessionsRepository(deps);
  const ctx: RotationDeps = { db: deps.db, rotations, sessions, slack: deps.slack, pacedSlack: deps.pacedSlack, messages: deps.messages, clock: deps.clock, logger: deps.logger, timezone: deps.timezone, adminIds: deps.config.admins };

  const openSetup = async (triggerId: string, rotationId?: number) => {
    const rotation = rotationId ? await rotations.get(rotationId) : undefined;
    if (rotationId && !rotation) throw new UserError('rotations.gone', ':mag: That rotation no longer exists.');
    const usergroups = await deps.slack.usergroups.list().then((r) => (r.usergroups ?? []).map((g) => ({ id: g.id ?? '', name: g.name ?? g.handle ?? '' })).filter((g) => g.id), () => []);
    const edited = rotation && { ...rotation, hostIds: await rotations.hosts(rotation.id), userIds: (await rotations.participants(rotation.id)).filter((p) => p.viaDirect && !p.leftAt).map((p) => p.userId) };
    await deps.slack.views.open({ trigger_id: triggerId, view: setupModal({ rotation: edited, timezone: await deps.timezone(), usergroups }) });
  };

  const listRotations = async (userId: string) => {
    const list = await Promise.all(
      (await rotations.list()).map(async (r) => ({ ...r, members: (await rotations.participants(r.id)).filter((p) => !p.leftAt).length, hosts: (await rotations.hosts(r.id)).length })),
    );
    return renderRotationList(list, await deps.admins.isAdmin(userId));
  };

  app.command('/shadow', async ({ ack, command, respond }) => {
    await ack();
    const parsed = parseShadowCommand(command.text);
    const userId = command.user_id;
    if (isAdminShadowCommand(parsed)) await deps.admins.requireAdmin(userId);
    const now = deps.clock.now();
    switch (parsed.action) {
      case 'next':
        return void (await replyPrivately(respond, renderNextSession(await sessions.nextFor(userId, now))));
      case 'help':
        return void (await replyPrivately(respond, `Shadowing commands:\n${Object.values(SHADOW_USAGE).map((u) => `• \`${u}\``).join('\n')}`));
      case 'setup':
        return openSetup(command.trigger_id);
      case 'edit':
        return openSetup(command.trigger_id, (await requireRotation(ctx, parsed.rotation)).id);
      case 'rotations': {
        const { text, blocks } = await listRotations(userId);
        return void (await replyPrivately(respond, text, blocks));
      }
      case 'schedule': {
        const rotation = parsed.rotation ? await requireRotation(ctx, parsed.rotation) : undefined;
        const weeks = rotation?.planAheadWeeks ?? 8;
        const list = await sessions.schedule(rotation?.id, now, new Date(now.getTime() + weeks * 7 * 86_400_000));
        const { text, blocks } = renderSchedule(`Upcoming shadow sessions${rotation ? ` in ${rotation.name}` : ''}`, list);
        return void (await replyPrivately(respond, text, blocks));
      }
      case 'stats': {
        const rotation = parsed.rotation ? await requireRotation(ctx, parsed.rotation) : undefined;
        const { text, blocks } = renderStats(await sessions.stats(rotation?.id));
        return void (await replyPrivately(respond, text, blocks));
      }
      case 'away':
        return void (await replyPrivately(respond, await markAway(ctx, userId, parsed.args)));
      case 'optout':
        return void (await replyPrivately(respond, await optOut(ctx, userId, parsed.reason)));
      case 'optin':
        return void (await replyPrivately(respond, await optIn(ctx, userId)));
      case 'pause':
      case 'resume':
      case 'delete':
        return void (await replyPrivately(respond, await changeRotation((await requireRotation(ctx, parsed.rotation)).id, parsed.action)));
    }
  });

  const changeRotation = async (id: number, action: 'pause' | 'resume' | 'delete'): Promise<string> => {
    const now = deps.clock.now();
    const rotation = await rotations.get(id);
    if (!rotation) throw new UserError('rotations.gone', ':mag: That rotation no longer exists.');
    if (action === 'delete') {
      await rotations.remove(id, now);
      await withdrawOffers(ctx, rotation.name, await sessions.cancelFuture(id, now));
      return `:wastebasket: Deleted *${rotation.name}*. Its upcoming sessions are cancelled; past ones stay in the stats.`;
    }
    await rotations.setPaused(id, action === 'pause', now);
    if (action === 'resume') await planAndAnnounce(ctx, [id]);
    return action === 'pause' ? `:double_vertical_bar: Paused *${rotation.name}*: no new sessions are planned until you resume it.` : `:arrow_forward: Resumed *${rotation.name}*.`;
  };

  app.action<BlockAction<ButtonAction>>(IDS.openSetup, async ({ ack, body }) => {
    await ack();
    await deps.admins.requireAdmin(body.user.id);
    await openSetup(body.trigger_id);
  });
  app.action<BlockAction<ButtonAction>>(IDS.edit, async ({ ack, body, action }) => {
    await ack();
    await deps.admins.requireAdmin(body.user.id);
    await openSetup(body.trigger_id, buttonTarget(action));
  });
  for (const [id, change] of [[IDS.pause, 'pause'], [IDS.resume, 'resume'], [IDS.remove, 'delete']] as const) {
    app.action<BlockAction<ButtonAction>>(id, async ({ ack, body, action, respond }) => {
      await ack();
      await deps.admins.requireAdmin(body.user.id);
      await replyPrivately(respond, await changeRotation(buttonTarget(action), change));
    });
  }

  app.view(IDS.setupModal, async ({ ack, body, view }) => {
    const refuse = (message: string) => ack({ response_action: 'errors', errors: { [IDS.name]: message } });
    if (!(await deps.admins.isAdmin(body.user.id))) return void (await refuse('Only Frontline admins can set up rotations.'));
    const parsed = parseSetupSubmission(view.state.values as Parameters<typeof parseSetupSubmission>[0]);
    if (!parsed.ok) return void (await ack({ response_action: 'errors', errors: parsed.errors }));
    const id = parseSetupTarget(view.private_metadata);
    if (id === false) return void (await refuse('This form is out of date; close it and start again.'));
    let saved;
    try {
      saved = await saveRotation(ctx, id, parsed.settings, body.user.id);
    } catch (error) {
      // Refusals (a taken name, a rotation deleted while the form was open) must still ack, or Slack shows a connection error.
      if (error instanceof UserError && error.code === 'rotations.name_taken') return void (await refuse('Another rotation already has this name'));
      if (isUserError(error)) return void (await refuse(error.message.replace(/^:\w+: /, '')));
      throw error;
    }
    await ack();
    await planAndAnnounce(ctx, [saved.id]);
    await deps.messages.dm(body.user.id, { text: `:white_check_mark: ${id ? 'Saved' : 'Created'} the *${saved.name}* rotation and planned its sessions. See them with \`/shadow schedule ${saved.name}\`.` });
  });

  // The shadow's answers to an assignment DM: each replaces the DM so its buttons cannot be used twice.
  const answer = (actionId: string, run: typeof acceptSession) =>
    app.action<BlockAction<ButtonAction>>(actionId, async ({ ack, body, action, respond }) => {
      await ack();
      const { session, outcome } = await run(ctx, buttonTarget(action), body.user.id);
      await replace(respond, answeredMessage(session, outcome));
      await deps.home.publish(body.user.id);
    });
  answer(IDS.accept, acceptSession);
  answer(IDS.swap, swapSession);
  answer(IDS.cantMakeIt, skipSession);

  for (const [id, attended] of [[IDS.attended, true], [IDS.noShow, false]] as const) {
    app.action<BlockAction<ButtonAction>>(id, async ({ ack, body, action, respond }) => {
      await ack();
      const text = await markAttendance(ctx, buttonTarget(action), body.user.id, attended);
      await respond({ response_type: 'ephemeral', replace_original: false, text });
    });
  }

  app.action<BlockAction<ButtonAction>>(IDS.openReflection, async ({ ack, body, action }) => {
    await ack();
    const session = await reflectableSession(ctx, buttonTarget(action), body.user.id);
    await deps.slack.views.open({ trigger_id: body.trigger_id, view: reflectionModal(session.id, session.rotationName) });
  });

  app.view(IDS.reflectionModal, async ({ ack, body, view }) => {
    const parsed = parseReflection(view.state.values as Parameters<typeof parseReflection>[0]);
    if (!parsed.ok) return void (await ack({ response_action: 'errors', errors: parsed.errors }));
    const session = await reflectableSession(ctx, Number(view.private_metadata), body.user.id).catch(() => undefined);
    if (!session) return void (await ack({ response_action: 'errors', errors: { [IDS.surprised]: 'This is not a session you shadowed.' } }));
    await sessions.saveReflection(session.id, body.user.id, parsed.reflection, deps.clock.now());
    await ack();
    await deps.messages.dm(body.user.id, { text: ':pray: Thanks for your reflection! It goes into the weekly customer digest.' });
  });

  deps.home.section({
    id: 'rotations',
    order: 40,
    render: async ({ userId, isAdmin }) => {
      const now = deps.clock.now();
      return renderShadowHome(await sessions.nextFor(userId, now), await sessions.historyOf(userId, now), isAdmin);
    },
  });

  deps.frontline.help('Shadowing support', [
    { usage: SHADOW_USAGE.next, description: 'your next shadow session' },
    { usage: SHADOW_USAGE.schedule, description: 'the upcoming plan', example: '/shadow schedule Engineering' },
    { usage: SHADOW_USAGE.away, description: 'days you cannot shadow; your sessions then go to others', example: '/shadow away 2026-03-16 2026-03-20' },
    { usage: SHADOW_USAGE.optout, description: 'stop being scheduled', example: '/shadow optout parental leave' },
    { usage: SHADOW_USAGE.optin, description: 'be scheduled again, level with the current round' },
    { usage: SHADOW_USAGE.stats, description: 'sessions held, declines and no-shows per person and host', example: '/shadow stats Engineering' },
    { usage: SHADOW_USAGE.rotations, description: 'every rotation; admins can edit, pause and delete them there' },
    { usage: SHADOW_USAGE.setup, description: 'start a new rotation', adminOnly: true },
    { usage: SHADOW_USAGE.edit, description: 'change a rotation and replan it', example: '/shadow edit Engineering', adminOnly: true },
    { usage: SHADOW_USAGE.pause, description: 'stop planning a rotation for now (`resume` to restart)', example: '/shadow pause Engineering', adminOnly: true },
    { usage: SHADOW_USAGE.delete, description: 'remove a rotation and its future sessions', example: '/shadow delete Engineering', adminOnly: true },
  ]);

  registerJobs(deps, ctx);
}

const replace = (respond: RespondFn, content: { text: string; blocks?: unknown[] }) =>
  respond({ replace_original: true, text: content.text, ...(content.blocks ? { blocks: content.blocks as never } : {}) });
