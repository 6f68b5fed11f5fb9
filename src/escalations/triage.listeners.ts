// The triage walk: `/escalate` asks the tree's questions one per step in its modal, then opens the form set by the answer.
import type { App, BlockAction, ButtonAction } from '@slack/bolt';
import type { ModalView } from '@slack/types';
import type { Deps } from '../deps.ts';
import { UserError } from '../errors.ts';
import { createKnowledgeRepository } from '../knowledge/knowledge.repository.ts';
import { replyPrivately } from '../slack/frontline-command.ts';
import { slackErrorCode } from '../slack/messaging.ts';
import { raiseModal } from './escalation-modals.views.ts';
import { type EscalationDeps, noDepartments } from './escalations.usecases.ts';
import { TRIAGE_IDS as IDS, TRIAGE_OPTION_ACTION } from './triage.ids.ts';
import { type TriageTree, walkTriage } from './triage.models.ts';
import { recordTriageDeflection, type TriageDeps, triageAnswerOf } from './triage.usecases.ts';
import {
  answerModal,
  departmentTestModal,
  formWalkStateOf,
  messageModal,
  noTriageTree,
  questionModal,
  renderTriageTree,
  solvedModal,
  type WalkState,
  walkStateOf,
} from './triage.views.ts';

const noTree = () => new UserError('triage.no_tree', noTriageTree());
const staleWalk = () =>
  new UserError('triage.stale_walk', ':hourglass: Those questions are out of date; run `/escalate` again.');

/** The first question: where every walk starts, and where a walk the tree no longer fits starts again. */
function firstQuestion(tree: TriageTree, state: WalkState, hint?: string): ModalView {
  const start = tree.nodes[tree.start]!; // the tree was validated at start
  return questionModal({ ...state, steps: [] }, start, [], hint);
}

/**
 * Opens the walk's first question, privately in a modal; false when no tree is set (then
 * `/escalate` opens its form as before). `test` walks without creating or counting anything.
 */
export async function openTriage(
  deps: Pick<Deps, 'slack' | 'triage'>,
  { triggerId, replyUrl, test = false }: { triggerId: string; replyUrl?: string; test?: boolean },
): Promise<boolean> {
  const tree = deps.triage.current();
  if (!tree) return false;
  const state: WalkState = { steps: [], test, ...(replyUrl ? { replyUrl } : {}) };
  await deps.slack.views.open({ trigger_id: triggerId, view: firstQuestion(tree, state) });
  return true;
}

/** The walk's buttons, `/frontline triage` and its help. */
export function registerTriage(app: App, deps: Deps, { departments }: Pick<EscalationDeps, 'departments'>): void {
  const triageDeps: TriageDeps = { db: deps.db, clock: deps.clock, knowledge: createKnowledgeRepository(deps) };

  const currentTree = () => {
    const tree = deps.triage.current();
    if (!tree) throw noTree();
    return tree;
  };

  /** What the modal shows after the options picked so far: a question, an outcome, or the form. */
  const stepView = async (state: WalkState): Promise<ModalView> => {
    const tree = currentTree();
    const step = walkTriage(tree, state.steps);
    if (!step) return firstQuestion(tree, state, 'The questions changed meanwhile: please start again.');
    if (step.kind === 'question') return questionModal(state, step.node, step.path);
    const { outcome, path } = step;
    switch (outcome.kind) {
      case 'message':
        return messageModal(state, path, outcome.text);
      case 'answer':
        return answerModal(state, path, await triageAnswerOf(triageDeps, outcome));
      case 'department': {
        const list = await departments.list();
        if (state.test) {
          const name = list.find((d) => d.key === outcome.department)?.name ?? outcome.department;
          return departmentTestModal(state, path, outcome, name);
        }
        if (list.length === 0) throw noDepartments();
        return raiseModal(list, {
          departmentKey: outcome.department,
          priority: outcome.priority,
          triage: { path, fields: outcome.fields, backTo: state.steps.slice(0, -1) },
          ...(state.replyUrl ? { replyUrl: state.replyUrl } : {}),
        });
      }
    }
  };

  /** Redraws the walk's modal; a double click's second redraw meets a newer view (hash_conflict) and yields. */
  const redraw = async (body: BlockAction, view: ModalView) => {
    if (!body.view) return;
    await deps.slack.views.update({ view_id: body.view.id, hash: body.view.hash, view }).catch((error: unknown) => {
      if (slackErrorCode(error) !== 'hash_conflict') throw error;
    });
  };

  const stateOf = (body: BlockAction) => {
    const state = body.view && walkStateOf(body.view.private_metadata);
    if (!state) throw staleWalk();
    return state;
  };

  app.action<BlockAction<ButtonAction>>(TRIAGE_OPTION_ACTION, async ({ ack, body, action }) => {
    await ack();
    const state = stateOf(body);
    const pick = Number(action.action_id.slice(IDS.optionPrefix.length));
    await redraw(body, await stepView({ ...state, steps: [...state.steps, pick] }));
  });

  // Up one step; from the form the walk opened, back to the step before it.
  app.action<BlockAction<ButtonAction>>(IDS.back, async ({ ack, body }) => {
    await ack();
    const walk = body.view && walkStateOf(body.view.private_metadata);
    const fromForm = !walk && body.view ? formWalkStateOf(body.view.private_metadata) : undefined;
    if (fromForm) return redraw(body, await stepView(fromForm));
    const state = stateOf(body);
    await redraw(body, await stepView({ ...state, steps: state.steps.slice(0, -1) }));
  });

  // "That solved it": answered before it was escalated, counted once per walk.
  app.action<BlockAction<ButtonAction>>(IDS.solved, async ({ ack, body }) => {
    await ack();
    const state = stateOf(body);
    const step = walkTriage(currentTree(), state.steps);
    if (state.test || step?.kind !== 'outcome' || step.outcome.kind !== 'answer') throw staleWalk();
    const answer = await triageAnswerOf(triageDeps, step.outcome);
    await recordTriageDeflection(triageDeps, {
      viewId: body.view!.id,
      userId: body.user.id,
      answerId: answer?.answerId ?? null,
    });
    await redraw(body, solvedModal(state));
  });

  // "Escalate anyway": the form, with the path that led here kept for the card.
  app.action<BlockAction<ButtonAction>>(IDS.escalateAnyway, async ({ ack, body }) => {
    await ack();
    const state = stateOf(body);
    const step = walkTriage(currentTree(), state.steps);
    if (state.test || step?.kind !== 'outcome') throw staleWalk();
    const list = await departments.list();
    if (list.length === 0) throw noDepartments();
    await redraw(
      body,
      raiseModal(list, {
        triage: { path: step.path, fields: [], backTo: state.steps },
        ...(state.replyUrl ? { replyUrl: state.replyUrl } : {}),
      }),
    );
  });

  deps.frontline.subcommand(IDS.subcommand, async ({ args, triggerId, respond }) => {
    const tree = deps.triage.current();
    if (!tree) return void (await replyPrivately(respond, noTriageTree()));
    if (args[0]?.toLowerCase() === 'test') {
      await openTriage(deps, { triggerId, test: true });
      return;
    }
    const names = new Map((await departments.list()).map((d) => [d.key, d.name]));
    const { text, blocks } = renderTriageTree(tree, (key) => names.get(key) ?? key);
    await replyPrivately(respond, text, blocks);
  });

  deps.frontline.help(
    'Triage',
    [
      {
        usage: '/frontline triage',
        description: 'the questions `/escalate` asks before its form, and where each answer leads',
      },
      { usage: '/frontline triage test', description: 'walk the questions yourself; nothing is created or counted' },
    ],
    { area: 'triage', summary: 'the questions `/escalate` asks first (set in FRONTLINE_CONFIG)' },
  );
}
