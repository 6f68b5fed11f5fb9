// Pure round-robin rules: whose turn is next, and the Hand back button only on assigned escalations.
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { actionsAllowed, nextInTurn } from '../../src/escalations/escalations.models.ts';

const everyone = () => true;

describe('nextInTurn', () => {
  it('goes round the group in a fixed order, whatever order Slack lists it in', () => {
    expect(nextInTurn(['U3', 'U1', 'U2'], null, everyone)).toBe('U1');
    expect(nextInTurn(['U3', 'U1', 'U2'], 'U1', everyone)).toBe('U2');
    expect(nextInTurn(['U3', 'U1', 'U2'], 'U3', everyone)).toBe('U1');
  });

  it('skips whoever may not take it, and keeps the place of someone who left', () => {
    expect(nextInTurn(['U1', 'U2', 'U3'], 'U1', (id) => id !== 'U2')).toBe('U3');
    expect(nextInTurn(['U1', 'U3'], 'U2', everyone)).toBe('U3');
    expect(nextInTurn(['U1', 'U2'], 'U1', () => false)).toBeUndefined();
    expect(nextInTurn([], null, everyone)).toBeUndefined();
  });

  it('gives everyone eligible one turn before anyone a second (property)', () => {
    fc.assert(
      fc.property(fc.uniqueArray(fc.stringMatching(/^U[A-Z0-9]{3}$/), { minLength: 1, maxLength: 8 }), (members) => {
        let last: string | null = null;
        const turns: string[] = [];
        for (let i = 0; i < members.length; i++) {
          last = nextInTurn(members, last, everyone)!;
          turns.push(last);
        }
        expect(new Set(turns).size).toBe(members.length);
      }),
    );
  });
});

it('offers Hand back only on an open escalation assigned to someone', () => {
  expect(actionsAllowed('open')).not.toContain('hand_back');
  expect(actionsAllowed('open', { assigned: true })).toContain('hand_back');
  expect(actionsAllowed('claimed', { assigned: true })).not.toContain('hand_back');
});
