import type { App, BlockAction, ButtonAction } from '@slack/bolt';
import type { Db } from '../db/client.ts';
import { serialIdSchema } from '../db/ids.ts';
import type { Deps } from '../deps.ts';
import { parseOrRefuse, UserError } from '../errors.ts';
import { ackDeadlineIn, assertBeforeAckDeadline } from '../slack/ack-deadline.ts';
import { confirmStep } from '../slack/blocks.ts';
import { replyPrivately } from '../slack/frontline-command.ts';
import { codeSpan, decodeSlackText, escapeMrkdwn } from '../slack/mrkdwn.ts';
import { isAdminShadowCommand, parseShadowCommand, SHADOW_USAGE } from './rotations.commands.ts';
import { createShadowingDigestSection } from './rotations.digest.ts';
import { ROTATION_IDS as IDS } from './rotations.ids.ts';
import { registerJobs } from './rotations.jobs.ts';
import { createRotationsRepository } from './rotations.repository.ts';
import {
  deleteRotation,
  markAway,
  optIn,
  optOut,
  planAndAnnounce,
  type RotationDeps,
  requireRotation,
  saveRotation,
} from './rotations.usecases.ts';
import {
  parseSetupSubmission,
  parseSetupTarget,
  renderRotationList,
  renderSchedule,
  renderStats,
  setupModal,
} from './rotations.views.ts';
import { defineSessionMessages } from './sessions.messages.ts';
import { createSessionsRepository } from './sessions.repository.ts';
import {
  acceptSession,
  markAttendance,
  noReflection,
  reflectableSession,
  skipSession,
  swapSession,
} from './sessions.usecases.ts';
import { parseReflection, reflectionModal, renderNextSession, renderShadowHome } from './sessions.views.ts';

const rotationGone = () => new UserError('rotations.gone', ':mag: That rotation no longer exists.');
const badButton = () =>
  new UserError(
    'rotations.bad_button',
    ':warning: That button does not point at a rotation or session. Nothing was changed.',
  );

/** The rotation or session a button points at; any other value is a stale or forged button. */
const buttonTarget = (action: ButtonAction) => parseOrRefuse(serialIdSchema, action.value, badButton);

export function register(app: App, deps: Deps): void {
  const rotations = createRotationsRepository(deps);
  const sessions = createSessionsRepository(deps);
  defineSessionMessages(deps.messages, { sessions, clock: deps.clock });
  // `/shadow away` days count wherever work is handed out (escalations' round-robin).
  deps.availability.source('rotations.shadow-away', (userIds, date) => rotations.awayOn(userIds, date));
  const useCaseDeps: RotationDeps = {
    db: deps.db,
    events: deps.events,
    rotations,
    sessions,
    slack: deps.slack,
    messages: deps.messages,
    pacedMessages: deps.messages.paced,
    clock: deps.clock,
    logger: deps.logger,
    timezone: deps.timezone,
    adminIds: deps.config.admins,
  };

  const openSetup = async (triggerId: string, rotationId?: number) => {
    const rotation = rotationId ? await rotations.get(rotationId) : undefined;
    if (rotationId && !rotation) throw rotationGone();
    const usergroups = await deps.slack.usergroups.list().then(
      (r) => (r.usergroups ?? []).map((g) => ({ id: g.id ?? '', name: g.name ?? g.handle ?? '' })).filter((g) => g.id),
      () => [],
    );
    const edited = rotation && {
      ...rotation,
      hostIds: await rotations.hosts(rotation.id),
      userIds: (await rotations.participants(rotation.id)).filter((p) => p.viaDirect && !p.leftAt).map((p) => p.userId),
    };
    await deps.slack.views.open({
      trigger_id: triggerId,
      view: setupModal({ rotation: edited, timezone: await deps.timezone(), usergroups }),
    });
  };

  const listRotations = async (userId: string) => {
    const list = await Promise.all(
      (await rotations.list()).map(async (r) => ({
        ...r,
        members: (await rotations.participants(r.id)).filter((p) => !p.leftAt).length,
        hosts: (await rotations.hosts(r.id)).length,
      })),
    );
    return renderRotationList(list, await deps.admins.isAdmin(userId));
  };

  app.command('/shadow', async ({ ack, command, respond }) => {
    await ack();
    const parsed = parseShadowCommand(decodeSlackText(command.text));
    const userId = command.user_id;
    if (isAdminShadowCommand(parsed)) await deps.admins.requireAdmin(userId);
    const now = deps.clock.now();
    switch (parsed.action) {
      case 'next':
        return void (await replyPrivately(respond, renderNextSession(await sessions.nextFor(userId, now))));
      case 'help': {
        const help = deps.frontline.renderHelp('shadowing');
        return void (await replyPrivately(respond, help.text, help.blocks));
      }
      case 'setup':
        return openSetup(command.trigger_id);
      case 'edit':
        return openSetup(command.trigger_id, (await requireRotation(useCaseDeps, { name: parsed.rotation })).id);
      case 'rotations': {
        const { text, blocks } = await listRotations(userId);
        return void (await replyPrivately(respond, text, blocks));
      }
      case 'schedule': {
        const rotation = parsed.rotation ? await requireRotation(useCaseDeps, { name: parsed.rotation }) : undefined;
        const weeks = rotation?.planAheadWeeks ?? 8;
        const list = await sessions.schedule(rotation?.id, now, new Date(now.getTime() + weeks * 7 * 86_400_000));
        const { text, blocks } = renderSchedule(
          `Upcoming shadow sessions${rotation ? ` in ${escapeMrkdwn(rotation.name)}` : ''}`,
          list,
        );
        return void (await replyPrivately(respond, text, blocks));
      }
      case 'stats': {
        const rotation = parsed.rotation ? await requireRotation(useCaseDeps, { name: parsed.rotation }) : undefined;
        const { text, blocks } = renderStats(await sessions.stats(rotation?.id));
        return void (await replyPrivately(respond, text, blocks));
      }
      case 'away':
        return void (await replyPrivately(respond, await markAway(useCaseDeps, { userId, args: parsed.args })));
      case 'optout':
        return void (await replyPrivately(respond, await optOut(useCaseDeps, { userId, reason: parsed.reason })));
      case 'optin':
        return void (await replyPrivately(respond, await optIn(useCaseDeps, { userId })));
      case 'delete': {
        // Deleting withdraws everyone's planned sessions: the command asks first, the button acts.
        const rotation = await requireRotation(useCaseDeps, { name: parsed.rotation });
        const { text, blocks } = confirmStep(
          `Delete *${escapeMrkdwn(rotation.name)}*? Its upcoming sessions are cancelled and withdrawn from everyone’s DMs; past ones stay in the stats.`,
          'Delete rotation',
          IDS.remove,
          String(rotation.id),
        );
        return void (await replyPrivately(respond, text, blocks));
      }
      case 'pause':
      case 'resume':
        return void (await replyPrivately(
          respond,
          await changeRotation((await requireRotation(useCaseDeps, { name: parsed.rotation })).id, parsed.action),
        ));
    }
  });

  const changeRotation = async (id: number, action: 'pause' | 'resume' | 'delete'): Promise<string> => {
    const now = deps.clock.now();
    const rotation = await rotations.get(id);
    if (!rotation) throw rotationGone();
    if (action === 'delete') {
      if (!(await deleteRotation(useCaseDeps, { id }))) throw rotationGone();
      return `:wastebasket: Deleted *${escapeMrkdwn(rotation.name)}*. Its upcoming sessions are cancelled; past ones stay in the stats.`;
    }
    await rotations.setPaused(id, action === 'pause', now);
    if (action === 'resume') await planAndAnnounce(useCaseDeps, { rotationIds: [id] });
    return action === 'pause'
      ? `:stopwatch: Paused *${escapeMrkdwn(rotation.name)}*: no new sessions are planned until you resume it.`
      : `:arrow_forward: Resumed *${escapeMrkdwn(rotation.name)}*.`;
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
  for (const [id, change] of [
    [IDS.pause, 'pause'],
    [IDS.resume, 'resume'],
    [IDS.remove, 'delete'],
  ] as const) {
    app.action<BlockAction<ButtonAction>>(id, async ({ ack, body, action, respond }) => {
      await ack();
      await deps.admins.requireAdmin(body.user.id);
      await replyPrivately(respond, await changeRotation(buttonTarget(action), change));
    });
  }

  app.view(IDS.setupModal, async ({ ack, body, view }) => {
    const refuse = (message: string) => ack({ response_action: 'errors', errors: { [IDS.name]: message } });
    if (!(await deps.admins.isAdmin(body.user.id)))
      return void (await refuse('Only Frontline admins can set up rotations.'));
    const parsed = parseSetupSubmission(view.state.values);
    if (!parsed.ok) return void (await ack({ response_action: 'errors', errors: parsed.errors }));
    const id = parseSetupTarget(view.private_metadata);
    if (id === false) return void (await refuse('This form is out of date; close it and start again.'));
    const saved = await saveRotation(useCaseDeps, { id, settings: parsed.settings, by: body.user.id });
    await ack();
    await planAndAnnounce(useCaseDeps, { rotationIds: [saved.id] });
    await deps.messages.dm(body.user.id, {
      text: `:white_check_mark: ${id ? 'Saved' : 'Created'} the *${escapeMrkdwn(saved.name)}* rotation and planned its sessions. See them with ${codeSpan(`/shadow schedule ${saved.name}`)}.`,
    });
  });

  // The shadow's answers in their sessions message: the use case redraws the message (through the
  // outbox, so answers at once end with the latest state); the outcome is said privately below it.
  const answer = (actionId: string, run: typeof acceptSession) =>
    app.action<BlockAction<ButtonAction>>(actionId, async ({ ack, body, action, respond }) => {
      await ack();
      const outcome = await run(useCaseDeps, { id: buttonTarget(action), userId: body.user.id });
      await respond({ response_type: 'ephemeral', replace_original: false, text: outcome });
      await deps.home.publish(body.user.id);
    });
  answer(IDS.accept, acceptSession);
  answer(IDS.swap, swapSession);
  answer(IDS.cantMakeIt, skipSession);

  for (const [id, attended] of [
    [IDS.attended, true],
    [IDS.noShow, false],
  ] as const) {
    app.action<BlockAction<ButtonAction>>(id, async ({ ack, body, action, respond }) => {
      await ack();
      const text = await markAttendance(useCaseDeps, { id: buttonTarget(action), hostId: body.user.id, attended });
      await respond({ response_type: 'ephemeral', replace_original: false, text });
    });
  }

  app.action<BlockAction<ButtonAction>>(IDS.openReflection, async ({ ack, body, action }) => {
    await ack();
    const session = await reflectableSession(useCaseDeps, { id: buttonTarget(action), userId: body.user.id });
    await deps.slack.views.open({
      trigger_id: body.trigger_id,
      view: reflectionModal(session.id, session.rotationName),
    });
  });

  app.view(IDS.reflectionModal, async ({ ack, body, view, context }) => {
    const parsed = parseReflection(view.state.values);
    if (!parsed.ok) return void (await ack({ response_action: 'errors', errors: parsed.errors }));
    const session = await reflectableSession(useCaseDeps, {
      id: parseOrRefuse(serialIdSchema, view.private_metadata, noReflection),
      userId: body.user.id,
    });
    await deps.db.transaction(async (tx) => {
      await createSessionsRepository({ db: tx as unknown as Db }).saveReflection(
        session.id,
        body.user.id,
        parsed.reflection,
        deps.clock.now(),
      );
      assertBeforeAckDeadline(ackDeadlineIn(context));
    });
    await ack();
    await deps.messages.dm(body.user.id, {
      text: ':pray: Thanks for your reflection! It goes into the weekly customer digest.',
    });
  });

  deps.home.section({
    id: 'rotations',
    order: 40,
    render: async ({ userId, isAdmin }) => {
      const now = deps.clock.now();
      return renderShadowHome(await sessions.nextFor(userId, now), await sessions.historyOf(userId, now), isAdmin);
    },
  });

  deps.frontline.help(
    'Shadowing support',
    [
      { usage: SHADOW_USAGE.next, description: 'your next shadow session' },
      { usage: SHADOW_USAGE.schedule, description: 'the upcoming plan', example: '/shadow schedule Engineering' },
      {
        usage: SHADOW_USAGE.away,
        description: 'days you cannot shadow; your sessions then go to others',
        example: '/shadow away 2026-03-16 2026-03-20',
      },
      { usage: SHADOW_USAGE.optout, description: 'stop being scheduled', example: '/shadow optout parental leave' },
      { usage: SHADOW_USAGE.optin, description: 'be scheduled again, level with the current round' },
      {
        usage: SHADOW_USAGE.stats,
        description: 'sessions held, declines and no-shows per person and host',
        example: '/shadow stats Engineering',
      },
      { usage: SHADOW_USAGE.rotations, description: 'every rotation; admins can edit, pause and delete them there' },
      { usage: SHADOW_USAGE.setup, description: 'start a new rotation', adminOnly: true },
      {
        usage: SHADOW_USAGE.edit,
        description: 'change a rotation and replan it',
        example: '/shadow edit Engineering',
        adminOnly: true,
      },
      {
        usage: SHADOW_USAGE.pause,
        description: 'stop planning a rotation for now (`resume` to restart)',
        example: '/shadow pause Engineering',
        adminOnly: true,
      },
      {
        usage: SHADOW_USAGE.delete,
        description: 'remove a rotation and its future sessions',
        example: '/shadow delete Engineering',
        adminOnly: true,
      },
    ],
    { area: 'shadowing', summary: 'sit with the support team for a session: `/shadow next`' },
  );

  registerJobs(deps, useCaseDeps);
  deps.digests.section(createShadowingDigestSection({ repo: sessions }));
}
