// Every parser of what people type (slash commands, settings, modal forms, the webhook body) fed
// random and nasty input: it never throws anything but a clear refusal, and what it accepts is sound.
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { systemClock } from '../../src/clock.ts';
import { editDepartmentModal, parseEditDepartmentSubmission } from '../../src/departments/department-edit.views.ts';
import { parseDeptCommand } from '../../src/departments/departments.commands.ts';
import { DEFAULT_SLA, PRIORITIES } from '../../src/departments/departments.models.ts';
import { addDepartmentModal, parseAddDepartmentSubmission } from '../../src/departments/departments.views.ts';
import { parseDigestCommand } from '../../src/digests/digests.commands.ts';
import { digestCronSchema } from '../../src/digests/digests.models.ts';
import {
  holdModal,
  parseHoldSubmission,
  parseRaiseSubmission,
  parseReassignSubmission,
  parseReopenSubmission,
  parseResolveSubmission,
  raiseModal,
  reassignModal,
  reopenModal,
  resolveModal,
} from '../../src/escalations/escalation-modals.views.ts';
import { parseEscalateCommand } from '../../src/escalations/escalations.commands.ts';
import { MAX_SUMMARY, reopenDaysSchema } from '../../src/escalations/escalations.models.ts';
import { parseThemeCommand } from '../../src/feedback/feedback.commands.ts';
import {
  emojiNameSchema,
  feedbackTextSchema,
  MAX_FEEDBACK_LENGTH,
  parseFeedbackText,
  themeNameSchema,
} from '../../src/feedback/feedback.models.ts';
import { webhookBodySchema } from '../../src/feedback/feedback.routes.ts';
import { feedbackModal, parseFeedbackSubmission, parseModalMetadata } from '../../src/feedback/feedback.views.ts';
import { nudgeMinutesSchema, splitTopic } from '../../src/help-requests/help-requests.models.ts';
import type { HelpRequest } from '../../src/help-requests/help-requests.repository.ts';
import { checkQuestion } from '../../src/help-requests/help-requests.usecases.ts';
import {
  askModal,
  parseAskSubmission,
  parseSolveSubmission,
  solveModal,
} from '../../src/help-requests/help-requests.views.ts';
import { parseSkillsCommand } from '../../src/help-requests/skills.models.ts';
import { isAdminShadowCommand, parseShadowCommand } from '../../src/rotations/rotations.commands.ts';
import { parseAwayRange } from '../../src/rotations/rotations.models.ts';
import { parseSetupSubmission, setupModal } from '../../src/rotations/rotations.views.ts';
import { parseReflection, reflectionModal } from '../../src/rotations/sessions.views.ts';
import { createSettings } from '../../src/settings/settings.ts';
import { defineWorkspaceSettings, parseSetting } from '../../src/settings/workspace.settings.ts';
import { splitArgs } from '../../src/slack/mentions.ts';
import { expectClearMessage, expectFieldErrors, refusalOf } from '../support/answers.ts';
import {
  anyJson,
  askLine,
  deptLine,
  digestLine,
  escalateLine,
  feedbackLine,
  formValues,
  nastyText,
  settingLine,
  shadowLine,
  skillsLine,
  textInput,
  themeLine,
} from '../support/arbitraries.ts';

const RUNS = { numRuns: 500 };
const SLUG = /^[a-z0-9][a-z0-9-]{0,31}$/;
const SLACK_ID = /^[UWCG][A-Z0-9]+$/;
// Lengths are limits in characters (code points), as zod and Slack count them.
const codePoints = (text: string) => [...text].length;

/** A refusal of a command shows how to type it. */
function expectUsage(result: { ok: boolean; message?: string }) {
  if (!result.ok) expect(result.message).toMatch(/Usage: `\//);
}

describe('slash-command parsers never throw and answer every text clearly', () => {
  it('/frontline dept', () => {
    fc.assert(
      fc.property(deptLine, (line) => {
        const result = refusalOf(() => parseDeptCommand(splitArgs(line)));
        expectUsage(result);
        if (!result.ok) return;
        const command = result.value;
        if (command.action === 'list') return;
        expect(command.key).toMatch(SLUG);
        if (command.action === 'add') expect(command.channelId).toMatch(SLACK_ID);
        if (command.action === 'leads') for (const lead of command.leads) expect(lead).toMatch(SLACK_ID);
        if (command.action === 'sla') expect(PRIORITIES).toContain(command.priority);
        if (command.action === 'hours') expect(command.workStart < command.workEnd).toBe(true);
      }),
      RUNS,
    );
  });

  it('/frontline theme', () => {
    fc.assert(
      fc.property(themeLine, (line) => {
        const result = refusalOf(() => parseThemeCommand(splitArgs(line)));
        expectUsage(result);
        if (result.ok && result.value.action !== 'list')
          expect(themeNameSchema.safeParse(result.value.name).success).toBe(true);
      }),
      RUNS,
    );
  });

  it('/frontline skills', () => {
    fc.assert(
      fc.property(skillsLine, (line) => {
        const result = refusalOf(() => parseSkillsCommand(line));
        expectUsage(result);
        if (result.ok && (result.value.action === 'add' || result.value.action === 'remove')) {
          expect(result.value.skills.length).toBeGreaterThan(0);
          for (const skill of result.value.skills) expect(skill.length).toBeLessThanOrEqual(40);
        }
      }),
      RUNS,
    );
  });

  it('/frontline digest', () => {
    fc.assert(
      fc.property(digestLine, (line) => {
        const result = refusalOf(() => parseDigestCommand(line));
        expectUsage(result);
        if (result.ok && result.value.action === 'schedule')
          expect(digestCronSchema.safeParse(result.value.cron).success).toBe(true);
      }),
      RUNS,
    );
  });

  it('/frontline set: every workspace setting parses its value or explains the form', () => {
    const workspace = defineWorkspaceSettings(createSettings({ db: undefined as never, clock: systemClock }), () => {});
    const parsers = new Map<string, (text: string) => unknown>([
      ...Object.values(workspace).map((s) => [s.definition.name, s.definition.parse] as const),
      // Defined beside their features' listeners; their parse is this call on these schemas.
      ['help-nudge-minutes', (text) => parseSetting(nudgeMinutesSchema, 'help-nudge-minutes', text, '<minutes>')],
      ['reopen-days', (text) => parseSetting(reopenDaysSchema, 'reopen-days', text, '<days>')],
      ['feedback-emoji', (text) => parseSetting(emojiNameSchema, 'feedback-emoji', text, '<:emoji:>')],
      [
        'digest-schedule',
        (text) => parseSetting(digestCronSchema, 'digest-schedule', text.replace(/^["“']|["”']$/g, ''), '"0 9 * * 1"'),
      ],
    ]);
    fc.assert(
      fc.property(settingLine, (line) => {
        const [name = '', ...rest] = line.trim().split(/\s+/);
        const parse = parsers.get(name);
        if (!parse) return;
        expectUsage(refusalOf(() => parse(rest.join(' '))));
      }),
      RUNS,
    );
  });

  it('/shadow, and /shadow away dates', () => {
    fc.assert(
      fc.property(shadowLine, (line) => {
        const result = refusalOf(() => parseShadowCommand(line));
        expectUsage(result);
        if (!result.ok) return;
        const command = result.value;
        if (['edit', 'pause', 'resume', 'delete'].includes(command.action))
          expect((command as { rotation: string }).rotation.trim()).not.toBe('');
        expect(typeof isAdminShadowCommand(command)).toBe('boolean');
        if (command.action === 'away') {
          const range = parseAwayRange(command.args, '2026-03-01');
          if ('error' in range) expectClearMessage(range.error);
          else expect(range.from <= range.to).toBe(true);
        }
      }),
      RUNS,
    );
  });

  it('/escalate: a command to carry out, or a form to prefill with a clear hint', () => {
    fc.assert(
      fc.property(escalateLine, (line) => {
        const command = parseEscalateCommand(line);
        expect(['modal', 'list', 'help', 'quick', 'prefill']).toContain(command.action);
        if (command.action === 'prefill') expectClearMessage(command.hint);
        if (command.action === 'quick') {
          expect(command.summary.trim()).not.toBe('');
          expect(codePoints(command.summary)).toBeLessThanOrEqual(MAX_SUMMARY);
          expect(PRIORITIES).toContain(command.priority);
        }
      }),
      RUNS,
    );
  });

  it('/ask: a question of the right length, or a clear refusal', () => {
    fc.assert(
      fc.property(askLine, (line) => {
        const { question } = splitTopic(line);
        const result = refusalOf(() => checkQuestion(line));
        expectUsage(result);
        if (result.ok) expect(question.trim().length).toBeGreaterThanOrEqual(3);
      }),
      RUNS,
    );
  });

  it('/feedback: text to store within the limit, or what is wrong with it', () => {
    fc.assert(
      fc.property(feedbackLine, (line) => {
        const parsed = parseFeedbackText(line);
        const text = feedbackTextSchema.safeParse(parsed.text);
        if (!text.success) return expectClearMessage(text.error.issues[0]?.message);
        expect(codePoints(text.data)).toBeLessThanOrEqual(MAX_FEEDBACK_LENGTH);
        if (parsed.customer !== undefined) expect(parsed.customer.trim()).not.toBe('');
      }),
      RUNS,
    );
  });
});

const department = { key: 'fuzz', name: 'Fuzz Team' } as Parameters<typeof raiseModal>[0][number];
const otherDepartment = { key: 'other', name: 'Other Team' } as Parameters<typeof raiseModal>[0][number];
const ESCALATION_ID = '5f0c2a4e-8a7d-4c55-9d0e-0c1b2a3d4e5f';

/** Each modal as the app renders it, its parser, and good values for some of its fields. */
const FORMS: {
  name: string;
  modal: { blocks: readonly unknown[] };
  parse: (values: never, metadata: string) => { ok: boolean; errors?: unknown };
  valid?: Record<string, readonly string[]>;
}[] = [
  {
    name: 'Add department',
    modal: addDepartmentModal(),
    parse: (values: never) => parseAddDepartmentSubmission(values),
    valid: { department_key: ['fuzz', 'new-team'], department_name: ['Fuzz Team'] },
  },
  {
    name: 'Edit department',
    modal: editDepartmentModal(
      {
        ...department,
        channelId: 'C0FUZZ',
        leads: [],
        sla: DEFAULT_SLA,
        workDays: [1, 2, 3, 4, 5],
        workStart: '09:00',
        workEnd: '17:00',
        timezone: null,
      } as Parameters<typeof editDepartmentModal>[0],
      'UTC',
    ),
    parse: (values: never) => parseEditDepartmentSubmission(values),
  },
  {
    name: 'Escalate to a team',
    modal: raiseModal([department]),
    parse: (values: never) => parseRaiseSubmission(values),
    valid: { escalation_summary: ['Refund stuck for ACME'] },
  },
  {
    name: 'Resolve escalation',
    modal: resolveModal(ESCALATION_ID, 'Refund stuck'),
    parse: (values: never, metadata: string) =>
      zodResult(parseResolveSubmission(metadata, values), 'escalation_resolution'),
    valid: { escalation_resolution: ['Refunded'] },
  },
  {
    name: 'Reassign escalation',
    modal: reassignModal(ESCALATION_ID, [department, otherDepartment]),
    parse: (values: never, metadata: string) =>
      zodResult(parseReassignSubmission(metadata, values), 'escalation_reassign_department'),
  },
  {
    name: 'Put on hold',
    modal: holdModal(ESCALATION_ID, 'Refund stuck'),
    parse: (values: never, metadata: string) => parseHoldSubmission(metadata, values),
    valid: { escalation_hold_other: ['waiting on the bank'] },
  },
  {
    name: 'Reopen escalation',
    modal: reopenModal({ id: ESCALATION_ID, channelId: 'C0FUZZ01' }, 'Refund stuck'),
    parse: (values: never, metadata: string) =>
      zodResult(parseReopenSubmission(metadata, values), 'escalation_reopen_reason'),
    valid: { escalation_reopen_reason: ['The credit did not arrive'] },
  },
  {
    name: 'Ask the company',
    modal: askModal(),
    parse: (values: never, metadata: string) => parseAskSubmission(values, metadata),
    valid: { help_question: ['How do I reissue an invoice?', 'fuzz: why was Acme charged twice?'] },
  },
  {
    name: 'Mark as solved',
    modal: solveModal({ id: 7, question: 'How?' } as HelpRequest, []),
    parse: (values: never, metadata: string) => parseSolveSubmission(values, metadata),
  },
  {
    name: 'Shadow rotation setup',
    modal: setupModal({ timezone: 'UTC', usergroups: [] }),
    parse: (values: never) => parseSetupSubmission(values),
    valid: { rotation_name: ['Fuzz Rotation'], rotation_timezone: ['Europe/Paris', 'UTC'] },
  },
  {
    name: 'Shadowing reflection',
    modal: reflectionModal(3, 'Fuzz Rotation'),
    parse: (values: never) => parseReflection(values),
    valid: { reflection_surprised: ['The queue is long'], reflection_fix: ['Better macros'] },
  },
  {
    name: 'Log customer feedback',
    modal: feedbackModal({ mode: 'create' }, {}, ['billing']),
    parse: (values: never) => parseFeedbackSubmission(values),
    valid: { feedback_text: ['The export is slow'], feedback_themes: ['billing, #mobile-app'] },
  },
];

/** The resolve and reassign parsers return zod results; the listener shows the first issue on `block`. */
function zodResult(result: { success: boolean; error?: { issues: { message: string }[] } }, block: string) {
  return result.success
    ? { ok: true as const }
    : { ok: false as const, errors: { [block]: result.error?.issues[0]?.message } };
}

/** What a forged or stale modal may carry in private_metadata, besides what the app wrote. */
const metadata = fc.oneof(
  fc.constantFrom(
    ESCALATION_ID,
    '7',
    '{"sourcePermalink":null}',
    '{"mode":"create"}',
    '',
    '{',
    'null',
    '[]',
    '-1',
    '1e9',
  ),
  nastyText,
);

describe('modal parsers read every submission into a result or errors Slack can show', () => {
  it.each(FORMS)('$name', ({ modal, parse, valid }) => {
    fc.assert(
      fc.property(formValues(modal, valid), metadata, (values, meta) => {
        const result = parse(values as never, meta);
        if (!result.ok) expectFieldErrors(result.errors, modal);
      }),
      RUNS,
    );
  });

  it('reads the feedback modal’s private_metadata as the app wrote it, or not at all', () => {
    fc.assert(
      fc.property(
        fc.oneof(
          metadata,
          anyJson.map((v) => JSON.stringify(v)),
        ),
        (raw) => {
          const meta = parseModalMetadata(raw);
          if (meta) expect(['create', 'edit']).toContain(meta.mode);
        },
      ),
      RUNS,
    );
  });
});

describe('the feedback webhook body', () => {
  const body = fc.oneof(
    anyJson,
    fc.record(
      {
        text: fc.oneof(textInput(['Export is slow']), anyJson),
        customer: fc.oneof(textInput(['Acme']), anyJson),
        source: fc.oneof(fc.constantFrom('email', 'fax'), anyJson),
        themes: fc.oneof(fc.array(textInput(['billing'])), anyJson),
        external_id: fc.oneof(nastyText, anyJson),
        received_at: fc.oneof(fc.constantFrom('2026-02-27T08:30:00+01:00', 'yesterday'), anyJson),
        extra: anyJson,
      },
      { requiredKeys: [] },
    ),
  );

  it('is accepted with text to store, or refused with a message naming a field', () => {
    fc.assert(
      fc.property(body, (json) => {
        const parsed = webhookBodySchema.safeParse(json);
        if (parsed.success) expect(parsed.data.text.trim()).not.toBe('');
        else expectClearMessage(parsed.error.issues[0]?.message);
      }),
      RUNS,
    );
  });
});
