// Triage trees (FRONTLINE_CONFIG `triage`): the questions support asks before escalating, as pure rules.
import { z } from 'zod';
import {
  departmentKeySchema,
  type IntakeField,
  intakeFieldsSchema,
  type Priority,
  prioritySchema,
} from '../departments/departments.models.ts';

/** What a triage walk adds to an escalation raised from its form. */
export interface RaisedByTriage {
  /** The options picked, in order. */
  path: string[];
  fields: IntakeField[];
}

export const MIN_OPTIONS = 2;
export const MAX_OPTIONS = 6;
/** Slack's limit for a button's text: an option label is a button. */
export const MAX_OPTION_LABEL = 75;
export const MAX_NODES = 50;

const nodeIdSchema = z
  .string()
  .regex(/^[a-z0-9][a-z0-9_-]{0,39}$/, 'node ids are short slugs of letters, digits, - and _, such as payment');

const answerSchema = z.union(
  [
    z.strictObject({ title: z.string().trim().min(1).max(200) }),
    z.strictObject({ text: z.string().trim().min(1).max(2000) }),
  ],
  { error: 'answer is { "title": "<a saved answer’s title>" } or { "text": "<the answer itself>" }' },
);

const optionSchema = z
  .strictObject({
    label: z.string().trim().min(1).max(MAX_OPTION_LABEL, `keep each label under ${MAX_OPTION_LABEL} characters`),
    next: nodeIdSchema.optional(),
    department: departmentKeySchema.optional(),
    priority: prioritySchema.optional(),
    fields: intakeFieldsSchema.optional(),
    answer: answerSchema.optional(),
    message: z.string().trim().min(1).max(2000).optional(),
  })
  .transform(({ label, next, department, priority, fields, answer, message }, ctx): TriageOption => {
    const leads = [next, department, answer, message].filter((v) => v !== undefined).length;
    if (leads !== 1) {
      ctx.addIssue({ code: 'custom', message: 'give each option exactly one of next, department, answer or message' });
      return z.NEVER;
    }
    if (!department && (priority || fields)) {
      ctx.addIssue({ code: 'custom', message: 'priority and fields go with a department' });
      return z.NEVER;
    }
    if (next) return { label, next };
    if (department)
      return {
        label,
        outcome: { kind: 'department', department, priority: priority ?? 'normal', fields: fields ?? [] },
      };
    if (answer) return { label, outcome: { kind: 'answer', ...answer } };
    return { label, outcome: { kind: 'message', text: message! } };
  });

/** The `triage` part of FRONTLINE_CONFIG: where to start, and every question by id. */
export const triageTreeSchema = z.strictObject({
  start: nodeIdSchema,
  nodes: z
    .record(
      nodeIdSchema,
      z.strictObject({ question: z.string().trim().min(1).max(150), options: z.array(optionSchema) }),
    )
    .refine((nodes) => Object.keys(nodes).length <= MAX_NODES, `a tree has at most ${MAX_NODES} questions`),
});

/** Where an option ends the walk. */
export type TriageOutcome =
  | { kind: 'department'; department: string; priority: Priority; fields: IntakeField[] }
  | { kind: 'answer'; title: string }
  | { kind: 'answer'; text: string }
  | { kind: 'message'; text: string };

export type TriageOption = { label: string; next: string } | { label: string; outcome: TriageOutcome };
export interface TriageNode {
  question: string;
  options: TriageOption[];
}
export interface TriageTree {
  start: string;
  nodes: Record<string, TriageNode>;
}

const optionName = (id: string, i: number, o: TriageOption) => `triage.nodes.${id} option ${i + 1} (“${o.label}”)`;

/**
 * Everything wrong with a tree, one line each: option counts, options leading to no node or to an
 * unknown department, cycles, and questions never reached from the start. Empty when it can run.
 */
export function triageTreeProblems(tree: TriageTree, departmentKeys: readonly string[]): string[] {
  const problems: string[] = [];
  const ids = Object.keys(tree.nodes);
  const known = new Set(departmentKeys);
  if (!tree.nodes[tree.start]) problems.push(`triage.start “${tree.start}” is not one of triage.nodes`);
  for (const [id, node] of Object.entries(tree.nodes)) {
    const n = node.options.length;
    if (n < MIN_OPTIONS || n > MAX_OPTIONS)
      problems.push(
        `triage.nodes.${id} has ${n} option${n === 1 ? '' : 's'}; give it ${MIN_OPTIONS} to ${MAX_OPTIONS}`,
      );
    node.options.forEach((o, i) => {
      if ('next' in o && !tree.nodes[o.next])
        problems.push(`${optionName(id, i, o)} leads to “${o.next}”, which is not one of triage.nodes`);
      if ('outcome' in o && o.outcome.kind === 'department' && !known.has(o.outcome.department))
        problems.push(
          `${optionName(id, i, o)} sends to department “${o.outcome.department}”, which does not exist (known: ${[...known].join(', ') || 'none'})`,
        );
    });
  }
  problems.push(...cycles(tree).map((c) => `triage.nodes form a loop: ${c.join(' > ')}`));
  const reached = reachable(tree);
  for (const id of ids)
    if (tree.nodes[tree.start] && !reached.has(id))
      problems.push(`triage.nodes.${id} is never reached from “${tree.start}”`);
  return problems;
}

const nextIds = (tree: TriageTree, id: string) =>
  (tree.nodes[id]?.options ?? []).flatMap((o) => ('next' in o && tree.nodes[o.next] ? [o.next] : []));

function reachable(tree: TriageTree): Set<string> {
  const seen = new Set<string>();
  const stack = tree.nodes[tree.start] ? [tree.start] : [];
  while (stack.length) {
    const id = stack.pop()!;
    if (seen.has(id)) continue;
    seen.add(id);
    stack.push(...nextIds(tree, id));
  }
  return seen;
}

/** Each loop once, as the ids around it back to the first (a > b > a). */
function cycles(tree: TriageTree): string[][] {
  const done = new Set<string>();
  const found = new Map<string, string[]>();
  const visit = (id: string, trail: string[]) => {
    const at = trail.indexOf(id);
    if (at >= 0) {
      const loop = trail.slice(at);
      const key = [...loop].sort().join(' ');
      if (!found.has(key)) found.set(key, [...loop, id]);
      return;
    }
    if (done.has(id)) return;
    for (const next of nextIds(tree, id)) visit(next, [...trail, id]);
    done.add(id);
  };
  for (const id of Object.keys(tree.nodes)) visit(id, []);
  return [...found.values()];
}

/** Where a walk stands: the option picked at each question so far, from the start. */
export const walkStepsSchema = z
  .array(
    z
      .number()
      .int()
      .min(0)
      .max(MAX_OPTIONS - 1),
  )
  .max(MAX_NODES);

export type TriageStep =
  | { kind: 'question'; node: TriageNode; path: string[] }
  | { kind: 'outcome'; outcome: TriageOutcome; path: string[] };

/**
 * Follows the options picked (`steps`) from the start: the question reached, or the outcome with the
 * labels picked on the way. Undefined when the steps no longer fit the tree (it changed meanwhile).
 */
export function walkTriage(tree: TriageTree, steps: readonly number[]): TriageStep | undefined {
  let node = tree.nodes[tree.start];
  const path: string[] = [];
  for (const [i, pick] of steps.entries()) {
    const option = node?.options[pick];
    if (!option) return undefined;
    path.push(option.label);
    if ('outcome' in option)
      return i === steps.length - 1 ? { kind: 'outcome', outcome: option.outcome, path } : undefined;
    node = tree.nodes[option.next];
  }
  return node ? { kind: 'question', node, path } : undefined;
}

/** The path as the card shows it: "Payment problem > Charged twice". */
export const formatTriagePath = (path: readonly string[]) => path.join(' > ');

/** A team's intake fields with those a triage outcome adds: each label once, required if either requires it. */
export function withAddedFields(fields: readonly IntakeField[], added: readonly IntakeField[] = []): IntakeField[] {
  const merged = fields.map((f) => ({ ...f }));
  for (const a of added) {
    const same = merged.find((f) => f.label.toLowerCase() === a.label.toLowerCase());
    if (same) same.required ||= a.required;
    else merged.push({ ...a });
  }
  return merged;
}
