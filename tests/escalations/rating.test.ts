// The requester's rating through signed requests: the question under the resolution DM, one rating
// per escalation (a double click counts once, a changed mind replaces it), the thumbs-down form to
// the leads, and satisfaction per department in the digest against the week before.

import { sql } from 'drizzle-orm';
import { beforeAll, describe, expect, it } from 'vitest';
import { createEscalationsDigestSection } from '../../src/escalations/escalations.digest.ts';
import { createEscalationsRepository, type Escalation } from '../../src/escalations/escalations.repository.ts';
import { escalationRatings } from '../../src/escalations/escalations.table.ts';
import { domainEvents } from '../../src/events/events.table.ts';
import { submitView } from '../support/outcomes.ts';
import { field, stateValues } from '../support/payloads.ts';
import { useTestApp } from '../support/test-app.ts';
import { AGENT, BILLING, click, PATIENCE_MS, raised, seedDepartments } from './helpers.ts';

const t = useTestApp();
const ANN = 'U0ANN';
const LEAD = BILLING.leads[0]!;
const repo = () => createEscalationsRepository(t.deps);

beforeAll(async () => {
  await seedDepartments(t);
});

/** Raises, claims and resolves an escalation as Ann; returns it resolved, with the requester's DM. */
async function resolved(summary: string, requester = AGENT) {
  const e = await raised(t, summary);
  await click(t, 'escalation_claim', e, ANN);
  await t.fake.waitForCall('chat.update');
  await submitView(t, {
    callback_id: 'escalation_resolve_modal',
    private_metadata: e.id,
    user_id: ANN,
    values: stateValues({ 'escalation_resolution/resolution': field.text('Refunded the charge.') }),
  });
  const dm = await t.fake.waitForCall(
    'chat.postMessage',
    (c) =>
      c.args.channel === requester &&
      String(c.args.text).includes(`“${summary}”`) &&
      String(c.args.text).includes('was resolved'),
    PATIENCE_MS,
  );
  return { e: (await repo().get(e.id)) as Escalation, dm };
}

/** The requester clicks one of the two answers; returns the replaced DM. */
async function rate(e: Escalation, answer: 'good' | 'bad', user = AGENT) {
  const url = t.fake.responseUrl();
  await t.driver.blockAction({
    action_id: `escalation_rate_${answer}`,
    value: e.id,
    user_id: user,
    channel_id: `D${user}`,
    response_url: url,
  });
  return (await t.fake.waitForResponse((r) => url.endsWith(`/${r.id}`), PATIENCE_MS)).body;
}
const ratedEvents = async (id: string) =>
  (
    await t.deps.db
      .select()
      .from(domainEvents)
      .where(sql`${domainEvents.type} = 'escalation.rated' and ${domainEvents.payload} ->> 'escalationId' = ${id}`)
  ).map((row) => (row.payload as { rating: string }).rating);

describe('the requester’s rating', () => {
  it('asks "How was this handled?" under the resolution, counts a double click once, and lets them change their mind', async () => {
    const { e, dm } = await resolved('Rate me kindly');
    const blocks = JSON.stringify(dm.args.blocks);
    expect(blocks).toContain('How was this handled?');
    expect(blocks).toContain(':+1: Handled well');
    expect(blocks).toContain(':-1: Not well');

    const [first] = await Promise.all([rate(e, 'good'), rate(e, 'good')]);
    expect(first.replace_original).toBe(true);
    expect(JSON.stringify(first.blocks)).toContain('You said it was handled well');
    expect(await t.deps.db.select().from(escalationRatings)).toMatchObject([{ escalationId: e.id, rating: 'good' }]);
    expect(await ratedEvents(e.id)).toEqual(['good']);

    // Someone else cannot rate it.
    const url = t.fake.responseUrl();
    await t.driver.blockAction({ action_id: 'escalation_rate_bad', value: e.id, user_id: ANN, response_url: url });
    const refusal = await t.fake.waitForResponse((r) => url.endsWith(`/${r.id}`), PATIENCE_MS);
    expect(refusal.body.text).toContain(`Only <@${AGENT}>, who raised it`);

    // A changed mind replaces the rating (one per escalation) and opens the comment form.
    const changed = await rate(e, 'bad');
    expect(JSON.stringify(changed.blocks)).toContain('You said it was not handled well');
    const form = (await t.fake.waitForCall('views.open')).args.view as {
      callback_id: string;
      private_metadata: string;
    };
    expect(form).toMatchObject({ callback_id: 'escalation_rating_comment', private_metadata: e.id });
    expect(await t.deps.db.select().from(escalationRatings)).toMatchObject([{ escalationId: e.id, rating: 'bad' }]);
    expect(await ratedEvents(e.id)).toEqual(['good', 'bad']);
  });

  it('sends the thumbs-down comment to the department’s leads, once, and refuses an empty one', async () => {
    const { e } = await resolved('Rate me badly');
    await rate(e, 'bad');
    const empty = await submitView(t, {
      callback_id: 'escalation_rating_comment',
      private_metadata: e.id,
      user_id: AGENT,
      values: stateValues({ 'escalation_rating_comment/comment': field.text('  ') }),
    });
    expect(empty.errors).toEqual({ escalation_rating_comment: 'Say what went wrong, or press Skip' });
    const submission = {
      callback_id: 'escalation_rating_comment',
      view_id: 'V0RATE1',
      private_metadata: e.id,
      user_id: AGENT,
      values: stateValues({ 'escalation_rating_comment/comment': field.text('Took <b>three</b> days & no word') }),
    };
    await Promise.all([t.driver.viewSubmission(submission), t.driver.viewSubmission(submission)]);
    const note = await t.fake.waitForCall('chat.postMessage', (c) => c.args.channel === LEAD, PATIENCE_MS);
    expect(note.args.text).toContain(`<@${AGENT}> said a *Billing* escalation, “Rate me badly”`);
    expect(note.args.text).toContain(`was not handled well. <@${ANN}> resolved it. Their comment:`);
    expect(note.args.text).toContain('Took &lt;b&gt;three&lt;/b&gt; days &amp; no word');
    await new Promise((resolve) => setTimeout(resolve, 200));
    expect(t.fake.callsTo('chat.postMessage').filter((c) => c.args.channel === LEAD)).toHaveLength(1);
    expect((await repo().ratingOf(e.id))?.comment).toBe('Took <b>three</b> days & no word');
  });

  it('shows satisfaction per department in the digest against the week before, with the share rated', async () => {
    // The week before: one resolution, rated well.
    t.clock.set('2026-02-24T10:00:00Z');
    await rate((await resolved('Last week good')).e, 'good');
    // This week: three resolutions, two rated (one well, one not).
    t.clock.set('2026-03-03T10:00:00Z');
    await rate((await resolved('This week good')).e, 'good');
    await rate((await resolved('This week bad')).e, 'bad');
    await resolved('This week unrated');
    t.clock.set('2026-03-02T10:00:00Z');

    const section = createEscalationsDigestSection({ repo: repo(), departmentName: async () => 'Billing' });
    const period = {
      current: { start: new Date('2026-03-03T00:00:00Z'), end: new Date('2026-03-04T00:00:00Z') },
      previous: { start: new Date('2026-02-24T00:00:00Z'), end: new Date('2026-02-25T00:00:00Z') },
      zone: 'UTC',
    };
    const text = JSON.stringify(section.render(await section.load(period), period));
    expect(text).toContain('Requesters satisfied *50%* :+1: (was 100%), 2 of 3 resolutions rated');
    expect(text).toContain('satisfied *50%* :+1: (was 100%), 2 of 3 resolutions rated');
  });
});
