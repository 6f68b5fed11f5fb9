// What the triage walk shows: one question per step, its outcomes, and the tree as `/frontline triage` lists it.
import type { KnownBlock, ModalView } from '@slack/types';
import { z } from 'zod';
import { describeIntakeFields } from '../departments/departments.models.ts';
import { actions, type Blocks, button, context, header, plain, section, sections, truncate } from '../slack/blocks.ts';
import { codeSpan, escapeMrkdwn, plainTextOf } from '../slack/mrkdwn.ts';
import { raiseFormMetadataOf } from './escalation-modals.views.ts';
import { triageLine } from './escalations.views.ts';
import { TRIAGE_IDS as IDS } from './triage.ids.ts';
import {
  MAX_OPTION_LABEL,
  type TriageNode,
  type TriageOutcome,
  type TriageTree,
  walkStepsSchema,
} from './triage.models.ts';
import type { TriageAnswer } from './triage.usecases.ts';

/** What the walk's modal carries from one step to the next, in its private_metadata. */
export const walkStateSchema = z.object({
  steps: walkStepsSchema,
  /** `/frontline triage test`: the same questions, nothing created or counted. */
  test: z.boolean(),
  /** The command's response_url: the form at the end confirms there. */
  replyUrl: z.url({ protocol: /^https?$/ }).optional(),
});
export type WalkState = z.infer<typeof walkStateSchema>;

/** The walk state of a modal; undefined for anything unreadable (a stale or forged view). */
export function walkStateOf(privateMetadata: string): WalkState | undefined {
  try {
    const parsed = walkStateSchema.safeParse(JSON.parse(privateMetadata));
    return parsed.success ? parsed.data : undefined;
  } catch {
    return undefined;
  }
}

/** The walk a form opened by it returns to with its Back button; undefined for a form opened otherwise. */
export function formWalkStateOf(privateMetadata: string): WalkState | undefined {
  const { triage, replyUrl } = raiseFormMetadataOf(privateMetadata);
  return triage?.backTo && { steps: triage.backTo, test: false, ...(replyUrl ? { replyUrl } : {}) };
}

function walkModal(state: WalkState, path: string[], blocks: KnownBlock[], close = 'Cancel'): ModalView {
  return {
    type: 'modal',
    callback_id: IDS.walkModal,
    private_metadata: JSON.stringify(state),
    title: plain(state.test ? 'Test the questions' : 'Escalate to a team'),
    close: plain(close),
    blocks: [
      ...(state.test ? [context('Test run: nothing is created or counted.')] : []),
      ...(path.length ? [context(triageLine(path))] : []),
      ...blocks,
      ...(state.steps.length ? [actions('triage_back', [button('← Back', IDS.back)])] : []),
    ],
  };
}

/** One question and its options, each a button. */
export function questionModal(state: WalkState, node: TriageNode, path: string[], hint?: string): ModalView {
  return walkModal(state, path, [
    ...(hint ? [context(`:information_source: ${hint}`)] : []),
    section(`*${escapeMrkdwn(node.question)}*`),
    actions(
      IDS.optionsBlock,
      node.options.map((o, i) => button(truncate(plainTextOf(o.label), MAX_OPTION_LABEL), `${IDS.optionPrefix}${i}`)),
    ),
  ]);
}

/** An answer that may solve it: "That solved it" ends the escalation there, "Escalate anyway" opens the form. */
export function answerModal(state: WalkState, path: string[], answer: TriageAnswer | undefined): ModalView {
  const shown = answer
    ? [
        section(`:bulb: *${answer.title ? escapeMrkdwn(answer.title) : 'This may solve it'}*`),
        ...sections(escapeMrkdwn(answer.body)),
      ]
    : [section(':bulb: The answer for this case is no longer saved. Escalate it, and the team will answer.')];
  const next = state.test
    ? [
        context(
          'In a real walk, *That solved it* ends here (counted as answered before posting); *Escalate anyway* opens the form.',
        ),
      ]
    : [
        actions('triage_answer_actions', [
          ...(answer ? [button('That solved it', IDS.solved, { style: 'primary' })] : []),
          button('Escalate anyway', IDS.escalateAnyway),
        ]),
      ];
  return walkModal(state, path, [...shown, ...next], state.test ? 'Done' : 'Cancel');
}

/** "Not an escalation: …": the tree's own message, and nothing to send. */
export const messageModal = (state: WalkState, path: string[], text: string): ModalView =>
  walkModal(state, path, [section(`:speech_balloon: ${escapeMrkdwn(text)}`)], 'Done');

/** After "That solved it". */
export const solvedModal = (state: WalkState): ModalView =>
  walkModal(
    { ...state, steps: [] },
    [],
    [section(':white_check_mark: Glad that solved it. Nothing was escalated.')],
    'Done',
  );

/** The test walk's end at a department: what the form would be set to. */
export function departmentTestModal(
  state: WalkState,
  path: string[],
  outcome: DepartmentOutcome,
  departmentName: string,
): ModalView {
  const where = departmentWords(outcome, departmentName);
  return walkModal(state, path, [section(`:office: Here the form opens for ${where}.`)], 'Done');
}

type DepartmentOutcome = Extract<TriageOutcome, { kind: 'department' }>;

/** "Billing, urgent priority, asking for Invoice number (required)": where a department outcome sends it. */
const departmentWords = (outcome: DepartmentOutcome, name: string) =>
  `*${escapeMrkdwn(name)}*, ${outcome.priority} priority${
    outcome.fields.length ? `, asking for ${escapeMrkdwn(describeIntakeFields(outcome.fields))}` : ''
  }`;

// A tree has at most 50 questions, but one reached from several places is listed under each.
const MAX_TREE_LINES = 120;
const INDENT = '        ';

function outcomeWords(outcome: TriageOutcome, departmentName: (key: string) => string): string {
  switch (outcome.kind) {
    case 'department':
      return `:office: ${departmentWords(outcome, departmentName(outcome.department))}`;
    case 'answer':
      return 'title' in outcome
        ? `:bulb: the answer “${escapeMrkdwn(truncate(outcome.title, 100))}”`
        : `:bulb: “${escapeMrkdwn(truncate(outcome.text, 100))}”`;
    case 'message':
      return `:speech_balloon: “${escapeMrkdwn(truncate(outcome.text, 100))}”`;
  }
}

/** `/frontline triage`: every question, its options indented under it, and where each one leads. */
export function renderTriageTree(
  tree: TriageTree,
  departmentName: (key: string) => string,
): { text: string; blocks: Blocks } {
  const lines: string[] = [];
  const list = (id: string, depth: number) => {
    const node = tree.nodes[id];
    if (!node) return;
    const pad = INDENT.repeat(depth);
    lines.push(`${pad}*${escapeMrkdwn(node.question)}*`);
    for (const o of node.options) {
      const label = escapeMrkdwn(o.label);
      if ('next' in o) {
        lines.push(`${pad}• ${label} →`);
        list(o.next, depth + 1);
      } else lines.push(`${pad}• ${label} → ${outcomeWords(o.outcome, departmentName)}`);
    }
  };
  list(tree.start, 0);
  const shown = lines.length > MAX_TREE_LINES ? [...lines.slice(0, MAX_TREE_LINES), '…and more'] : lines;
  const title = 'Triage questions';
  return {
    text: `${title}: ${Object.keys(tree.nodes).length} questions asked by /escalate before its form.`,
    blocks: [
      header(title),
      ...sections(shown.join('\n')),
      context(
        `${codeSpan('/escalate')} asks these before its form. Try them: ${codeSpan('/frontline triage test')}. They are kept in FRONTLINE_CONFIG (${codeSpan('triage')}).`,
      ),
    ],
  };
}

/** With no tree configured. */
export const noTriageTree = () =>
  `:deciduous_tree: No triage questions are set: ${codeSpan('/escalate')} opens its form at once. Admins add them under ${codeSpan('triage')} in FRONTLINE_CONFIG (see the README).`;
