// Every event a subscription can ask for arrives at a real receiving server, raised by the app's own
// flows (buttons, forms, the minute's jobs, the feedback API), signed, with the record it is about.
import { afterAll, beforeAll, expect, it } from 'vitest';
import { createEscalationsRepository } from '../../src/escalations/escalations.repository.ts';
import { WEBHOOK_EVENTS } from '../../src/webhooks/webhooks.models.ts';
import { AGENT, click, raised, seedDepartments } from '../escalations/helpers.ts';
import { ask, click as helpClick, requestAskedBy } from '../help-requests/help-test-helpers.ts';
import { eventually, runCommand } from '../support/outcomes.ts';
import { field, stateValues } from '../support/payloads.ts';
import { ADMIN, useTestApp } from '../support/test-app.ts';
import { postFeedback } from '../support/webhook.ts';
import { signatureIsValid, startWebhookReceiver, type WebhookReceiver } from '../support/webhook-receiver.ts';

const FEEDBACK_TOKEN = 'a-feedback-token-long-enough';
const t = useTestApp({
  env: { FRONTLINE_WEBHOOKS_ALLOW_PRIVATE: 'true', FRONTLINE_WEBHOOK_TOKEN: FEEDBACK_TOKEN },
});
const ANN = 'U0ANN';
const SLA_JOB = 'escalations.sla-check';
const LIFECYCLE_JOB = 'escalations.lifecycle';
let r: WebhookReceiver;

beforeAll(async () => {
  await seedDepartments(t);
  await t.deps.workspace.helpChannel.set('C0HELP');
  r = await startWebhookReceiver();
});
afterAll(() => r?.close());

const at = (iso: string) => {
  t.clock.set(iso);
  return new Date(iso);
};
const repo = () => createEscalationsRepository(t.deps);
const status = async (id: string) => (await repo().get(id))?.status;
/** The deliveries received so far of one type. */
const received = (type: string) => r.accepted().filter((b) => b.type === type);
const arrives = (type: string) =>
  eventually(() => (received(type).length > 0 ? received(type) : undefined), `a delivery of ${type}`);
const submit = (callback_id: string, private_metadata: string, user_id: string, values: Record<string, unknown>) =>
  t.driver.viewSubmission({
    callback_id,
    view_id: `V${Math.random().toString(36).slice(2, 10).toUpperCase()}`,
    private_metadata,
    user_id,
    values: stateValues(values as never),
  });

it('delivers each listed event from the flow that raises it', async () => {
  const { reply } = await runCommand(t, { command: '/frontline', text: `webhook add ${r.url}`, user_id: ADMIN });
  const secret = /whsec_[0-9a-f]{64}/.exec(JSON.stringify(reply?.body.blocks))?.[0];
  expect(secret, reply?.text).toBeDefined();

  // Raised on a Monday morning, urgent: acknowledge within 15 minutes. The minute's job warns, then breaches.
  at('2026-03-02T10:00:00Z');
  const e = await raised(t, 'Every event', 'billing', 'urgent');
  for (let minute = 1; minute <= 15; minute++)
    await t.deps.scheduler.runSlot(SLA_JOB, at(`2026-03-02T10:${String(minute).padStart(2, '0')}:00Z`));
  expect((await arrives('escalation.sla_warning'))[0]).toMatchObject({
    data: { escalation: { id: e.id }, actor: null },
  });
  expect((await arrives('escalation.sla_breached'))[0]).toMatchObject({
    data: { escalation: { id: e.id }, actor: null },
  });

  await click(t, 'escalation_claim', e, ANN);
  await eventually(async () => ((await status(e.id)) === 'claimed' ? true : undefined), 'the claim');
  await submit('escalation_hold_modal', e.id, ANN, {
    'escalation_hold_reason/reason': field.radio('customer'),
    'escalation_hold_other/other': field.text(''),
    'escalation_hold_until/until': field.date('2026-03-04'),
  });
  expect((await arrives('escalation.put_on_hold'))[0]).toMatchObject({
    data: { escalation: { id: e.id, status: 'on_hold' }, actor: { slack_id: ANN } },
  });
  // Back from hold on its date: nobody did it, so there is no actor.
  await t.deps.scheduler.runSlot(LIFECYCLE_JOB, at('2026-03-04T09:00:00Z'));
  expect((await arrives('escalation.resumed'))[0]).toMatchObject({
    data: { escalation: { id: e.id, status: 'claimed' }, actor: null },
  });

  await submit('escalation_resolve_modal', e.id, ANN, {
    'escalation_resolution/resolution': field.text('Refunded.'),
  });
  await arrives('escalation.resolved');
  await t.driver.blockAction({
    action_id: 'escalation_rate_good',
    value: e.id,
    user_id: AGENT,
    channel_id: `D${AGENT}`,
  });
  expect((await arrives('escalation.rated'))[0]).toMatchObject({
    data: { escalation: { id: e.id }, actor: { slack_id: AGENT } },
  });
  await submit('escalation_reopen_modal', JSON.stringify({ id: e.id, channelId: null }), AGENT, {
    'escalation_reopen_reason/reason': field.text('The customer wrote again'),
  });
  expect((await arrives('escalation.reopened'))[0]).toMatchObject({
    data: { escalation: { id: e.id }, actor: { slack_id: AGENT } },
  });
  // Released by its claimer: back in the queue.
  await eventually(async () => ((await status(e.id)) === 'claimed' ? true : undefined), 'reopened to its claimer');
  await click(t, 'escalation_release', e, ANN);
  await arrives('escalation.released');

  const moved = await raised(t, 'Wrong team', 'billing', 'high');
  await submit('escalation_reassign_modal', moved.id, ANN, {
    'escalation_reassign_department/department': field.select('legal'),
    'escalation_reassign_reason/reason': field.text(''),
  });
  const [reassigned] = await arrives('escalation.reassigned');
  expect(reassigned).toMatchObject({ data: { escalation: { id: moved.id }, actor: { slack_id: ANN } } });
  expect(reassigned!.data.escalation.reassigned_to).toMatchObject({ ref: expect.stringMatching(/^ESC-\d+$/) });

  await ask(t, 'Who knows how proration works?', AGENT);
  const request = await requestAskedBy(t, AGENT);
  await helpClick(t, 'help_claim', request, 'U0HELPER');
  await arrives('help_request.picked_up');
  await submit('help_solve_modal', String(request.id), AGENT, {});
  expect((await arrives('help_request.solved'))[0]).toMatchObject({
    data: { help_request: { id: request.id, status: 'solved' }, actor: { slack_id: AGENT } },
  });

  expect((await postFeedback(t.baseUrl, { text: 'Exports are slow' }, { token: FEEDBACK_TOKEN })).status).toBe(201);
  await arrives('feedback.captured');

  const types = await eventually(() => {
    const seen = new Set(r.accepted().map((b) => b.type));
    return WEBHOOK_EVENTS.every((type) => seen.has(type)) ? seen : undefined;
  }, 'every event');
  expect([...types].sort()).toEqual([...WEBHOOK_EVENTS].sort());
  for (const delivery of r.requests) expect(await signatureIsValid(secret!, delivery)).toBe(true);
});
