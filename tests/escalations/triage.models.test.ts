import { describe, expect, it } from 'vitest';
import {
  formatTriagePath,
  type TriageTree,
  triageTreeProblems,
  triageTreeSchema,
  walkTriage,
  withAddedFields,
} from '../../src/escalations/triage.models.ts';
import { TREE } from './fixtures/triage-tree.ts';

/** The tree as an admin writes it in FRONTLINE_CONFIG, parsed as the app parses it. */
const tree = (json: unknown): TriageTree => triageTreeSchema.parse(json);

describe('triageTreeSchema', () => {
  it('reads each option as a next question or an outcome, priority normal unless said', () => {
    const t = tree(TREE);
    expect(t.nodes.payment?.options[1]).toEqual({
      label: 'Card <!here> & bank',
      outcome: { kind: 'department', department: 'legal', priority: 'normal', fields: [] },
    });
    expect(t.nodes.topic?.options[1]).toEqual({
      label: 'Password',
      outcome: { kind: 'answer', title: 'Reset a customer password' },
    });
  });

  it.each([
    [{ label: 'Both', next: 'a', department: 'billing' }, 'exactly one of next, department, answer or message'],
    [{ label: 'Neither' }, 'exactly one of next, department, answer or message'],
    [{ label: 'Stray priority', message: 'x', priority: 'high' }, 'priority and fields go with a department'],
    [{ label: 'x'.repeat(76), message: 'x' }, 'under 75 characters'],
  ])('refuses an option such as %j', (option, message) => {
    const parsed = triageTreeSchema.safeParse({ start: 'a', nodes: { a: { question: 'Q?', options: [option] } } });
    expect(parsed.success).toBe(false);
    expect(JSON.stringify(parsed.error?.issues)).toContain(message);
  });
});

describe('triageTreeProblems', () => {
  it('finds nothing wrong with a good tree', () => {
    expect(triageTreeProblems(tree(TREE), ['billing', 'legal'])).toEqual([]);
  });

  it('lists every problem at once: unknown team, dangling option, loop, unreachable question, option count', () => {
    const bad = tree({
      start: 'a',
      nodes: {
        a: {
          question: 'A?',
          options: [
            { label: 'To b', next: 'b' },
            { label: 'Nowhere', next: 'missing' },
            { label: 'Finance', department: 'finance' },
          ],
        },
        b: {
          question: 'B?',
          options: [
            { label: 'Back to a', next: 'a' },
            { label: 'Done', message: 'ok' },
          ],
        },
        lonely: { question: 'Never asked?', options: [{ label: 'Only one', message: 'x' }] },
      },
    });
    expect(triageTreeProblems(bad, ['billing'])).toEqual([
      'triage.nodes.a option 2 (“Nowhere”) leads to “missing”, which is not one of triage.nodes',
      'triage.nodes.a option 3 (“Finance”) sends to department “finance”, which does not exist (known: billing)',
      'triage.nodes.lonely has 1 option; give it 2 to 6',
      'triage.nodes form a loop: a > b > a',
      'triage.nodes.lonely is never reached from “a”',
    ]);
  });

  it('names a start that is no question, and seven options as too many', () => {
    const options = Array.from({ length: 7 }, (_, i) => ({ label: `Option ${i}`, message: 'x' }));
    expect(triageTreeProblems(tree({ start: 'nope', nodes: { a: { question: 'A?', options } } }), [])).toEqual([
      'triage.start “nope” is not one of triage.nodes',
      'triage.nodes.a has 7 options; give it 2 to 6',
    ]);
  });

  it('reports a loop of one question once', () => {
    const selfLoop = tree({
      start: 'a',
      nodes: {
        a: {
          question: 'A?',
          options: [
            { label: 'Again', next: 'a' },
            { label: 'Again too', next: 'a' },
          ],
        },
      },
    });
    expect(triageTreeProblems(selfLoop, [])).toEqual(['triage.nodes form a loop: a > a']);
  });
});

describe('walkTriage', () => {
  const t = tree(TREE);

  it('starts at the first question and follows the options picked, keeping their labels', () => {
    expect(walkTriage(t, [])).toMatchObject({
      kind: 'question',
      node: { question: 'What is it about? <!channel>' },
      path: [],
    });
    expect(walkTriage(t, [0])).toMatchObject({ kind: 'question', node: { question: 'What happened?' } });
    expect(walkTriage(t, [0, 0])).toEqual({
      kind: 'outcome',
      outcome: {
        kind: 'department',
        department: 'billing',
        priority: 'urgent',
        fields: [{ label: 'Invoice number', required: true }],
      },
      path: ['Payment problem', 'Charged twice'],
    });
  });

  it('gives up on steps the tree no longer fits', () => {
    expect(walkTriage(t, [5])).toBeUndefined();
    expect(walkTriage(t, [2, 0])).toBeUndefined(); // past an outcome
  });

  it('formats the path as the card shows it', () => {
    expect(formatTriagePath(['Payment problem', 'Charged twice'])).toBe('Payment problem > Charged twice');
  });
});

describe('withAddedFields', () => {
  it('adds an outcome’s fields to the team’s, each label once, required if either requires it', () => {
    expect(
      withAddedFields(
        [{ label: 'Invoice number', required: false }],
        [
          { label: 'invoice number', required: true },
          { label: 'Card', required: false },
        ],
      ),
    ).toEqual([
      { label: 'Invoice number', required: true },
      { label: 'Card', required: false },
    ]);
  });
});
