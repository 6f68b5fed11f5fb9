// Random field values, and forged or stale private_metadata, submitted to every modal end to end:
// always a 200 within the ack, either field errors Slack can show (and nothing written) or a closed
// modal whose submission is then stored completely.

import { and, asc, desc, eq, isNull } from 'drizzle-orm';
import fc from 'fast-check';
import { beforeAll, beforeEach, describe, expect, it, vi } from 'vitest';
import { serialIdSchema } from '../../src/db/ids.ts';
import { createDepartmentsRepository } from '../../src/departments/departments.repository.ts';
import { addDepartmentModal, parseAddDepartmentSubmission } from '../../src/departments/departments.views.ts';
import {
  parseAddToAnswers,
  parseRaiseSubmission,
  parseReassignSubmission,
  parseResolveSubmission,
  raiseModal,
  reassignModal,
  resolveModal,
} from '../../src/escalations/escalation-modals.views.ts';
import { createEscalationsRepository } from '../../src/escalations/escalations.repository.ts';
import { escalations } from '../../src/escalations/escalations.table.ts';
import { domainEventReceipts, domainEvents } from '../../src/events/events.table.ts';
import { createFeedbackRepository } from '../../src/feedback/feedback.repository.ts';
import { feedbackItems } from '../../src/feedback/feedback.table.ts';
import { feedbackModal, parseFeedbackSubmission, parseModalMetadata } from '../../src/feedback/feedback.views.ts';
import { createHelpRequestsRepository, type HelpRequest } from '../../src/help-requests/help-requests.repository.ts';
import { helpRequests } from '../../src/help-requests/help-requests.table.ts';
import {
  askModal,
  parseAskSubmission,
  parseSolveSubmission,
  solveModal,
} from '../../src/help-requests/help-requests.views.ts';
import { answers } from '../../src/knowledge/knowledge.table.ts';
import { parseSaveSubmission, saveAnswerModal } from '../../src/knowledge/knowledge-modals.views.ts';
import { createRotationsRepository } from '../../src/rotations/rotations.repository.ts';
import { shadowReflections, shadowSessions } from '../../src/rotations/rotations.table.ts';
import { parseSetupSubmission, parseSetupTarget, setupModal } from '../../src/rotations/rotations.views.ts';
import { parseReflection, reflectionModal } from '../../src/rotations/sessions.views.ts';
import { setUpRotation } from '../rotations/helpers.ts';
import { expectFieldErrors } from '../support/answers.ts';
import { formValues, nastyText, nastyWord } from '../support/arbitraries.ts';
import type { RecordedCall } from '../support/fake-slack.ts';
import {
  eventually,
  expectUnchanged,
  fuzzEndToEnd,
  replyTo,
  type Snapshot,
  snapshotDatabase,
  submitView,
} from '../support/outcomes.ts';
import { ADMIN, useTestApp } from '../support/test-app.ts';

// Each property runs the whole app for dozens of random inputs: on two busy cores that takes a while.
vi.setConfig({ testTimeout: 90_000 });

const t = useTestApp();
const USER = 'U0FUZZ01';
const REQUESTER = 'U0REQ01';
const HELPER = 'U0HELPER';
const MISSING_ID = '5f0c2a4e-8a7d-4c55-9d0e-0c1b2a3d4e5f';
const departments = () => createDepartmentsRepository(t.deps);
const rotations = () => createRotationsRepository(t.deps);
let rotationId: number;
let sessionId: number;

const fuzz = <T>(input: fc.Arbitrary<T>, body: (value: T) => Promise<void>, numRuns = 25) =>
  fuzzEndToEnd(t, input, body, numRuns);

/** Field errors as the parser predicts them, shown where Slack can show them; nothing written. */
async function expectErrors(
  errors: Record<string, string> | undefined,
  modal: { blocks: readonly unknown[] },
  before: Snapshot,
  expected?: Record<string, string>,
) {
  expectFieldErrors(errors, modal);
  if (expected) expect(errors).toEqual(expected);
  await expectUnchanged(t, before);
}

/** The first Slack call matching, once the work after the ack has got that far. */
const slackCall = (method: string, match: (args: Record<string, unknown>) => boolean) =>
  eventually(
    () => t.fake.calls.find((c: RecordedCall) => c.method === method && match(c.args)),
    `${method} after the ack`,
  );
const dmTo = (user: string) => slackCall('chat.postMessage', (a) => a.channel === user);

/** A private_metadata: mostly what the app wrote (`real`), sometimes stale or forged. */
const metadata = (real: readonly string[]) =>
  fc.oneof(
    { weight: 6, arbitrary: fc.constantFrom(...real) },
    { weight: 1, arbitrary: fc.constantFrom(MISSING_ID, '999999', '99999999999', '-1', '1.5', 'abc', '{', '') },
    { weight: 1, arbitrary: nastyWord },
  );

beforeAll(async () => {
  await departments().upsert({ key: 'fuzz', name: 'Fuzz Team', channelId: 'C0FUZZ01' });
  await departments().upsert({ key: 'other', name: 'Other Team', channelId: 'C0OTHER' });
  await t.deps.workspace.helpChannel.set('C0HELP');
  rotationId = (await setUpRotation(t, { name: 'Fuzz Rotation', users: [USER], hosts: ['U0HOST01'] })).id;
  // The first session has started: the shadow may reflect on it.
  const [first] = await t.deps.db
    .select()
    .from(shadowSessions)
    .where(eq(shadowSessions.shadowId, USER))
    .orderBy(asc(shadowSessions.startsAt))
    .limit(1);
  sessionId = first!.id;
  t.clock.set(new Date(first!.startsAt.getTime() + 3600_000));
  await replyTo(t, { command: '/feedback', text: 'Mine: the export is slow', user_id: USER });
  await replyTo(t, { command: '/feedback', text: 'Theirs: the app is great', user_id: 'U0OTHER' });
});

beforeEach(async () => {
  await departments().upsert({ key: 'fuzz', name: 'Fuzz Team', channelId: 'C0FUZZ01' });
});

/** Service knowledge's subscribers, by the event each handles after the change commits. */
const KNOWLEDGE_SUBSCRIBERS = [
  ['escalation.resolved', 'knowledge.capture'],
  ['help_request.solved', 'knowledge.capture'],
  ['help_request.asked', 'knowledge.possibly_answered'],
] as const;

/**
 * Waits for service knowledge to have handled every event (it keeps answers and records questions
 * after the change commits): the next form's "nothing written" must not see its rows land. Then
 * the answer kept from `source`, if one was given, is as written.
 */
async function knowledgeCaughtUp(source?: { id: string; answer: string | null | false }) {
  await eventually(async () => {
    for (const [type, subscriber] of KNOWLEDGE_SUBSCRIBERS) {
      const [waiting] = await t.deps.db
        .select({ id: domainEvents.id })
        .from(domainEvents)
        .leftJoin(
          domainEventReceipts,
          and(eq(domainEventReceipts.eventId, domainEvents.id), eq(domainEventReceipts.subscriber, subscriber)),
        )
        .where(and(eq(domainEvents.type, type), isNull(domainEventReceipts.eventId)));
      if (waiting) return undefined;
    }
    return true;
  }, 'service knowledge caught up');
  if (!source) return;
  const [kept] = await t.deps.db.select().from(answers).where(eq(answers.sourceId, source.id));
  expect(kept?.body).toBe(source.answer || undefined);
}

describe('admin modals', () => {
  it('Add department: field errors, a taken key, or the department exactly as submitted', () => {
    const modal = addDepartmentModal();
    return fuzz(
      formValues(modal, { department_key: ['fuzz', 'new-team'], department_name: ['New Team'] }),
      async (values) => {
        const parsed = parseAddDepartmentSubmission(values);
        const taken = parsed.ok && (await departments().get(parsed.input.key));
        const before = await snapshotDatabase(t);
        const { errors } = await submitView(t, { callback_id: 'departments_add', user_id: ADMIN, values });
        if (!parsed.ok) return expectErrors(errors, modal, before, parsed.errors);
        if (taken) return expectErrors(errors, modal, before);
        expect(errors).toBeUndefined();
        await slackCall('views.publish', (a) => a.user_id === ADMIN);
        expect(await departments().get(parsed.input.key)).toMatchObject({
          name: parsed.input.name,
          channelId: parsed.input.channelId,
          leads: parsed.input.leads,
          keywords: parsed.input.keywords,
        });
        await departments().archive(parsed.input.key); // frees the key for the next run
      },
    );
  });

  it('Shadow rotation setup: field errors, a stale or forged rotation refused, or the rotation as submitted', () => {
    const modal = setupModal({ timezone: 'UTC', usergroups: [] });
    const input = fc.tuple(
      formValues(modal, {
        rotation_name: ['New Rotation', 'Fuzz Rotation'],
        rotation_timezone: ['Europe/Paris', 'UTC'],
      }),
      metadata(['', '', String(rotationId)]),
    );
    return fuzz(input, async ([values, meta]) => {
      const parsed = parseSetupSubmission(values);
      const targetId = parseSetupTarget(meta);
      const editing = targetId !== undefined;
      const target = typeof targetId === 'number' ? await rotations().get(targetId) : undefined;
      const clash = parsed.ok ? await rotations().findByName(parsed.settings.name) : undefined;
      const before = await snapshotDatabase(t);
      const { errors } = await submitView(t, {
        callback_id: 'rotations_setup',
        user_id: ADMIN,
        values,
        private_metadata: meta,
      });
      if (!parsed.ok) return expectErrors(errors, modal, before, parsed.errors);
      if ((editing && !target) || (clash && clash.id !== target?.id)) return expectErrors(errors, modal, before);
      expect(errors).toBeUndefined();
      await slackCall('chat.postMessage', (a) => a.channel === ADMIN && /(Created|Saved) the/.test(String(a.text)));
      const saved = await rotations().findByName(parsed.settings.name);
      const { userIds: _users, hostIds: _hosts, ...settings } = parsed.settings;
      expect(saved).toMatchObject({ ...settings, ...(editing ? { id: target!.id } : {}) });
      if (!editing) await rotations().remove(saved!.id, t.clock.now()); // frees the name for the next run
    });
  });
});

describe('modals for everyone', () => {
  it('Escalate to a team: field errors, or exactly one escalation as submitted', async () => {
    const modal = raiseModal(await departments().list());
    return fuzz(formValues(modal, { escalation_summary: ['Refund stuck for ACME'] }), async (values) => {
      const parsed = parseRaiseSubmission(values);
      const before = await snapshotDatabase(t);
      const { errors } = await submitView(t, { callback_id: 'escalation_raise', user_id: USER, values });
      if (!parsed.ok) return expectErrors(errors, modal, before, parsed.errors);
      if (!(await departments().get(parsed.input.departmentKey))) return expectErrors(errors, modal, before);
      expect(errors).toBeUndefined();
      await dmTo(USER);
      const [raised] = await t.deps.db
        .select()
        .from(escalations)
        .where(eq(escalations.requesterId, USER))
        .orderBy(desc(escalations.createdAt))
        .limit(1);
      expect(raised).toMatchObject(parsed.input);
    });
  });

  /** A fresh escalation raised by someone else and claimed by USER, so USER may resolve or reassign it. */
  const claimedEscalation = async () => {
    const repo = createEscalationsRepository(t.deps);
    const now = t.clock.now();
    const e = await repo.create({
      departmentKey: 'fuzz',
      priority: 'high',
      summary: 'Fixture escalation',
      requesterId: REQUESTER,
      ackDueAt: now,
      ackAlertAt: now,
      resolveDueAt: now,
      createdAt: now,
    });
    await repo.claim(e!.id, USER, now);
    return e!.id;
  };
  const escalation = (id: string) => createEscalationsRepository(t.deps).get(id);

  it('Resolve escalation: field errors, a refusal for a stale escalation, or resolved with the words typed', () => {
    const modal = resolveModal(MISSING_ID, 'Fixture escalation');
    return fuzz(
      fc.tuple(formValues(modal, { escalation_resolution: ['Refunded'] }), metadata(['real'])),
      async ([values, meta]) => {
        const id = await claimedEscalation();
        const privateMetadata = meta === 'real' ? id : meta;
        const parsed = parseResolveSubmission(privateMetadata, values);
        const before = await snapshotDatabase(t);
        const { errors } = await submitView(t, {
          callback_id: 'escalation_resolve_modal',
          user_id: USER,
          values,
          private_metadata: privateMetadata,
        });
        if (!parsed.success) return expectErrors(errors, modal, before);
        expect(errors).toBeUndefined();
        if (parsed.data.id !== id) return void (await dmTo(USER), await expectUnchanged(t, before));
        await slackCall('views.publish', (a) => a.user_id === USER);
        expect(await escalation(id)).toMatchObject({
          status: 'resolved',
          resolvedBy: USER,
          resolution: parsed.data.resolution,
        });
        await knowledgeCaughtUp({ id, answer: parseAddToAnswers(values) && parsed.data.resolution });
      },
    );
  });

  it('Reassign escalation: field errors, or moved to the team picked', () => {
    const modal = reassignModal(MISSING_ID, [{ key: 'other', name: 'Other Team' } as never]);
    return fuzz(
      fc.tuple(formValues(modal, { escalation_reassign_department: ['fuzz', 'ghost'] }), metadata(['real'])),
      async ([values, meta]) => {
        const id = await claimedEscalation();
        const privateMetadata = meta === 'real' ? id : meta;
        const parsed = parseReassignSubmission(privateMetadata, values);
        const before = await snapshotDatabase(t);
        const { errors } = await submitView(t, {
          callback_id: 'escalation_reassign_modal',
          user_id: USER,
          values,
          private_metadata: privateMetadata,
        });
        if (!parsed.success) return expectErrors(errors, modal, before);
        const current = await escalation(parsed.data.id);
        if (
          current?.departmentKey === parsed.data.departmentKey ||
          !(await departments().get(parsed.data.departmentKey))
        )
          return expectErrors(errors, modal, before);
        expect(errors).toBeUndefined();
        if (parsed.data.id !== id) return void (await dmTo(USER), await expectUnchanged(t, before));
        await dmTo(REQUESTER);
        const moved = await escalation(id);
        expect(moved).toMatchObject({ status: 'reassigned', reassignedToId: expect.any(String) });
        expect(await escalation(moved!.reassignedToId!)).toMatchObject({
          departmentKey: parsed.data.departmentKey,
          summary: 'Fixture escalation',
        });
      },
    );
  });

  it('Ask the company: field errors, or exactly one request as submitted', () => {
    const modal = askModal();
    const input = fc.tuple(
      formValues(modal, { help_question: ['How do I reissue an invoice?', 'fuzz: why was Acme charged twice?'] }),
      metadata(['{"sourcePermalink":null}', '{"sourcePermalink":"https://example.slack.com/archives/C1/p1"}']),
    );
    return fuzz(input, async ([values, meta]) => {
      const parsed = parseAskSubmission(values, meta);
      const before = await snapshotDatabase(t);
      const { errors } = await submitView(t, {
        callback_id: 'help_ask',
        user_id: USER,
        values,
        private_metadata: meta,
      });
      if (!parsed.ok) return expectErrors(errors, modal, before, parsed.errors);
      expect(errors).toBeUndefined();
      const confirmation = await dmTo(USER);
      const [asked] = await t.deps.db
        .select()
        .from(helpRequests)
        .where(eq(helpRequests.askerId, USER))
        .orderBy(desc(helpRequests.id))
        .limit(1);
      if (String(confirmation.args.text).startsWith(':warning:')) return expectUnchanged(t, before);
      const { question: _question, ...rest } = parsed.input;
      expect(asked).toMatchObject({ ...rest, channelId: 'C0HELP', messageTs: expect.any(String) });
      await knowledgeCaughtUp();
    });
  });

  it('Mark as solved: field errors, a refusal for a stale request, or solved with kudos to who was picked', () => {
    const modal = solveModal({ id: 1, question: 'How?' } as never, []);
    // A forged id naming an earlier run's request would be a legitimate solve of it: those are left out.
    const forged = metadata(['real']).filter(
      (meta) => meta === 'real' || !((serialIdSchema.safeParse(meta).data ?? Infinity) < 999_999),
    );
    return fuzz(fc.tuple(formValues(modal), forged), async ([values, meta]) => {
      const repo = createHelpRequestsRepository(t.deps);
      const request = (await repo.create(
        { question: 'How do I fix the fixture?', askerId: USER, urgency: 'normal', topicPeople: [] },
        t.clock.now(),
      )) as HelpRequest;
      await repo.claim(request.id, HELPER, t.clock.now());
      const privateMetadata = meta === 'real' ? String(request.id) : meta;
      const parsed = parseSolveSubmission(values, privateMetadata);
      const before = await snapshotDatabase(t);
      const { errors } = await submitView(t, {
        callback_id: 'help_solve_modal',
        user_id: USER,
        values,
        private_metadata: privateMetadata,
      });
      if (!parsed.ok) return expectErrors(errors, modal, before, parsed.errors);
      expect(errors).toBeUndefined();
      if (parsed.input.requestId !== request.id) return void (await dmTo(USER), await expectUnchanged(t, before));
      const thanked = new Set([HELPER, ...parsed.input.topHelpers].filter((id) => id !== USER));
      await eventually(
        () =>
          [...thanked].every((id) => t.fake.calls.some((c) => c.method === 'chat.postMessage' && c.args.channel === id))
            ? true
            : undefined,
        'thanks to every helper',
      );
      expect(await repo.get(request.id)).toMatchObject({ status: 'solved' });
      expect(await repo.kudosCount(HELPER)).toBeGreaterThanOrEqual(parsed.input.topHelpers.includes(HELPER) ? 1 : 0);
      // The answer given is kept as written (after the solve commits, by service knowledge).
      await knowledgeCaughtUp({ id: String(request.id), answer: parsed.input.answer });
    });
  });

  it('Shadowing reflection: field errors, a refusal for someone else’s session, or the reflection as written', () => {
    const modal = reflectionModal(1, 'Fuzz Rotation');
    const input = fc.tuple(
      formValues(modal, { reflection_surprised: ['The queue is long'], reflection_fix: ['Better macros'] }),
      metadata(['real']),
      fc.constantFrom(USER, USER, 'U0FUZZ02'),
    );
    return fuzz(input, async ([values, meta, user]) => {
      const privateMetadata = meta === 'real' ? String(sessionId) : meta;
      const parsed = parseReflection(values);
      const before = await snapshotDatabase(t);
      const { errors } = await submitView(t, {
        callback_id: 'rotations_reflection',
        user_id: user,
        values,
        private_metadata: privateMetadata,
      });
      if (!parsed.ok) return expectErrors(errors, modal, before, parsed.errors);
      if (user !== USER || Number(privateMetadata) !== sessionId) return expectErrors(errors, modal, before);
      expect(errors).toBeUndefined();
      await dmTo(USER);
      const [saved] = await t.deps.db
        .select()
        .from(shadowReflections)
        .where(eq(shadowReflections.sessionId, sessionId));
      expect(saved).toMatchObject({ userId: USER, ...parsed.reflection });
    });
  });

  it('Save as answer: field errors, a stale form refused, a private message kept only when ticked shareable', () => {
    const target = { channelId: 'C0FUZZ01', authorId: 'U0AUTHOR', permalink: null };
    const modal = saveAnswerModal({ ...target, ts: '1', isPrivate: true }, {});
    let saved = 0;
    const input = fc.tuple(
      formValues(modal, { answer_title: ['Who approves refunds?'], answer_body: ['A billing lead.'] }),
      fc.oneof({ weight: 6, arbitrary: fc.constantFrom('public', 'private') }, { weight: 1, arbitrary: nastyText }),
    );
    return fuzz(input, async ([values, shape]) => {
      // Each form saves its own message: a second save of one message is refused, tested elsewhere.
      const ts = `1700000${String(saved++).padStart(3, '0')}.000100`;
      const meta =
        shape === 'public' || shape === 'private'
          ? JSON.stringify({ ...target, ts, isPrivate: shape === 'private' })
          : shape;
      const parsed = parseSaveSubmission(values, meta);
      const before = await snapshotDatabase(t);
      const { errors } = await submitView(t, {
        callback_id: 'answer_save_modal',
        user_id: USER,
        values,
        private_metadata: meta,
      });
      if (!parsed.ok) return expectErrors(errors, modal, before, parsed.errors);
      expect(errors).toBeUndefined();
      const [answer] = await t.deps.db
        .select()
        .from(answers)
        .where(eq(answers.sourceId, `C0FUZZ01:${ts}`));
      expect(answer).toMatchObject({
        title: parsed.title,
        body: parsed.body,
        createdBy: USER,
        creditedUserIds: ['U0AUTHOR'],
      });
    });
  });

  it('Log customer feedback: field errors, a refusal to edit what is not yours, or the feedback as submitted', async () => {
    const repo = createFeedbackRepository(t.deps);
    const items = await t.deps.db.select().from(feedbackItems);
    const mine = items.find((i) => i.loggedBy === USER)!.id;
    const theirs = items.find((i) => i.loggedBy === 'U0OTHER')!.id;
    const modal = feedbackModal({ mode: 'create' }, {}, []);
    const shapes = [
      { mode: 'create', channelId: 'C0FUZZ01' },
      { mode: 'create', channelId: 'C0FUZZ01', messageTs: '1700000000.000100' },
      { mode: 'edit', id: mine },
      { mode: 'edit', id: theirs },
      { mode: 'edit', id: MISSING_ID },
    ];
    const input = fc.tuple(
      formValues(modal, { feedback_text: ['The export is slow'], feedback_themes: ['billing, #mobile-app'] }),
      fc.oneof(
        { weight: 6, arbitrary: fc.constantFrom(...shapes.map((s) => JSON.stringify(s))) },
        { weight: 1, arbitrary: nastyText },
      ),
    );
    return fuzz(input, async ([values, meta]) => {
      const parsed = parseFeedbackSubmission(values);
      const form = parseModalMetadata(meta);
      const existing =
        form?.mode === 'edit'
          ? await repo.get(form.id)
          : form?.messageTs
            ? await repo.findByMessage(form.channelId ?? '', form.messageTs)
            : undefined;
      const before = await snapshotDatabase(t);
      const { errors } = await submitView(t, {
        callback_id: 'feedback_modal',
        user_id: USER,
        values,
        private_metadata: meta,
      });
      if (!parsed.ok) return expectErrors(errors, modal, before, parsed.errors);
      if (!form || (form.mode === 'edit' && existing?.loggedBy !== USER) || (form.mode === 'create' && existing))
        return expectErrors(errors, modal, before);
      expect(errors).toBeUndefined();
      // This submission's own confirmation, delivered: not another run's late DM, nor a whisper Slack
      // refused (a DM follows it), or this run's work would outlive the run.
      const confirmation = form.mode === 'edit' ? 'Updated: now' : 'Saved as';
      await eventually(
        () =>
          t.fake.calls.find(
            (c) =>
              String(c.args.text).startsWith(confirmation) &&
              !c.rejected &&
              !c.answeredStatus &&
              ((c.method === 'chat.postEphemeral' && c.args.user === USER) ||
                (c.method === 'chat.postMessage' && c.args.channel === USER)),
          ),
        'the private confirmation',
      );
      const { sentiment, ...draft } = parsed.draft;
      const [saved] =
        form.mode === 'edit'
          ? [await repo.get(form.id)]
          : await t.deps.db
              .select()
              .from(feedbackItems)
              .where(eq(feedbackItems.loggedBy, USER))
              .orderBy(desc(feedbackItems.updatedAt))
              .limit(1);
      expect(saved).toMatchObject({
        ...draft,
        themes: draft.themes?.length ? draft.themes : expect.any(Array),
        ...(sentiment ? { sentimentLabel: sentiment } : {}),
      });
    });
  });
});
