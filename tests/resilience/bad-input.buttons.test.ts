// Every button the app listens to, clicked with a stale or forged value (from a message or from
// App Home, by an admin or anyone): a 200 ack and a clear private answer, never the crash apology.
import fc from 'fast-check';
import { expect, it, vi } from 'vitest';
import { DEPARTMENT_IDS } from '../../src/departments/departments.ids.ts';
import { ESCALATION_IDS, escalationActionId } from '../../src/escalations/escalations.ids.ts';
import { TRIAGE_IDS } from '../../src/escalations/triage.ids.ts';
import { FEEDBACK_IDS } from '../../src/feedback/feedback.ids.ts';
import { HELP_IDS } from '../../src/help-requests/help-requests.ids.ts';
import { HELD_QUESTION_IDS } from '../../src/knowledge/knowledge.ids.ts';
import { ROTATION_IDS } from '../../src/rotations/rotations.ids.ts';
import { expectClearMessage } from '../support/answers.ts';
import { nastyWord } from '../support/arbitraries.ts';
import { eventually, fuzzEndToEnd } from '../support/outcomes.ts';
import { triggerId } from '../support/payloads.ts';
import { ADMIN, useTestApp } from '../support/test-app.ts';

// Each property runs the whole app for dozens of random inputs: on two busy cores that takes a while.
vi.setConfig({ testTimeout: 90_000 });

const t = useTestApp();
const USER = 'U0FUZZ01';

// Every action_id registered with app.action in src/*/*.listeners.ts.
const BUTTONS = [
  DEPARTMENT_IDS.openAddModal,
  ESCALATION_IDS.openRaiseModal,
  escalationActionId('claim'),
  escalationActionId('release'),
  escalationActionId('resolve'),
  escalationActionId('reassign'),
  FEEDBACK_IDS.editButton,
  HELP_IDS.claim,
  HELP_IDS.solve,
  ROTATION_IDS.openSetup,
  ROTATION_IDS.edit,
  ROTATION_IDS.pause,
  ROTATION_IDS.resume,
  ROTATION_IDS.remove,
  ROTATION_IDS.accept,
  ROTATION_IDS.swap,
  ROTATION_IDS.cantMakeIt,
  ROTATION_IDS.attended,
  ROTATION_IDS.noShow,
  ROTATION_IDS.openReflection,
  `${TRIAGE_IDS.optionPrefix}0`,
  TRIAGE_IDS.back,
  TRIAGE_IDS.solved,
  TRIAGE_IDS.escalateAnyway,
  HELD_QUESTION_IDS.answeredButton,
  HELD_QUESTION_IDS.postAnywayButton,
];

const value = fc.option(
  fc.oneof(
    fc.constantFrom('', '0', '1', '-1', '1.5', '99999999999', 'abc', 'null', '5f0c2a4e-8a7d-4c55-9d0e-0c1b2a3d4e5f'),
    nastyWord,
  ),
  { nil: undefined },
);

it('every button answers a stale or forged value clearly', () =>
  fuzzEndToEnd(
    t,
    fc.record({
      action: fc.constantFrom(...BUTTONS),
      value,
      user: fc.constantFrom(ADMIN, USER),
      fromHome: fc.boolean(),
    }),
    async ({ action, value: forged, user, fromHome }) => {
      const url = t.fake.responseUrl();
      const trigger = triggerId();
      const where = fromHome ? { view: { type: 'home' as const, id: 'VHOME0001' } } : { response_url: url };
      const res = await t.driver.blockAction({
        action_id: action,
        ...(forged === undefined ? {} : { value: forged }),
        user_id: user,
        trigger_id: trigger,
        ...where,
      });
      expect(res.status).toBe(200);
      const answer = await eventually(() => {
        const reply = t.fake.responses.find((r) => url.endsWith(`/${r.id}`));
        if (reply) return String(reply.body.text);
        const dm = t.fake.calls.find((c) => c.method === 'chat.postMessage' && c.args.channel === user);
        if (dm) return String(dm.args.text);
        return t.fake.calls.some((c) => c.method === 'views.open' && c.args.trigger_id === trigger)
          ? 'opened a modal'
          : undefined;
      }, `an answer to ${action}`);
      expectClearMessage(answer);
    },
    60,
  ));
