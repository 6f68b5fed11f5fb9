// Holidays and due-soon warnings end to end: the card, the warnings, the reminders and the digest
// agree to the minute across a weekend and holidays, on the injected clock.
import { sql } from 'drizzle-orm';
import { beforeAll, describe, expect, it } from 'vitest';
import { renderEscalationsSection } from '../../src/escalations/escalations.digest.ts';
import { createEscalationsRepository } from '../../src/escalations/escalations.repository.ts';
import { domainEvents } from '../../src/events/events.table.ts';
import { slackDate } from '../../src/slack/blocks.ts';
import { useTestApp } from '../support/test-app.ts';
import { BILLING, click, frontline, messageOf, raised, seedDepartments } from './helpers.ts';

const t = useTestApp();
const JOB = 'escalations.sla-check';
const LEAD = BILLING.leads[0]!;

beforeAll(async () => {
  await seedDepartments(t);
});

const at = (iso: string) => {
  t.clock.set(iso);
  return new Date(iso);
};
/** Runs the SLA check for the minute `iso` and returns the thread posts it made on `e`'s card. */
async function slaCheck(iso: string, e: { channelId: string | null; messageTs: string | null }) {
  const before = t.fake.callsTo('chat.postMessage').length;
  await t.deps.scheduler.runSlot(JOB, at(iso));
  return t.fake
    .callsTo('chat.postMessage')
    .slice(before)
    .filter((c) => c.args.channel === e.channelId && c.args.thread_ts === e.messageTs)
    .map((c) => String(c.args.text));
}
const eventsOf = async (id: string) =>
  (await t.deps.db.select().from(domainEvents).where(sql`${domainEvents.payload} ->> 'escalationId' = ${id}`)).map(
    (row) => ({ type: row.type, ...(row.payload as object) }),
  );
// The stamp Slack formats for each reader, with the fallback it carries.
const dateToken = (iso: string) => slackDate(new Date(`${iso}Z`));

describe('holidays', () => {
  it('are set per department and for the workspace, listed, cleared and refused when malformed', async () => {
    expect(await frontline(t, 'dept holidays billing 2026-12-25 2026-12-24 2027-01-01')).toContain(
      'Holidays of `billing`: 24 Dec 2026, 25 Dec 2026, 1 Jan 2027',
    );
    expect(await frontline(t, 'dept holidays billing')).toContain('24 Dec 2026, 25 Dec 2026, 1 Jan 2027');
    expect(await frontline(t, 'dept list', 'U0ANYONE')).toContain('holidays: 24 Dec 2026, 25 Dec 2026, 1 Jan 2027');
    expect(await frontline(t, 'dept holidays legal 2026-02-30')).toContain('Dates are YYYY-MM-DD');
    expect(await frontline(t, 'dept holidays legal 2026-12-24', 'U0ANYONE')).toContain('admin');
    expect(await frontline(t, 'dept holidays legal none')).toContain('has no holidays of its own');
    expect(await frontline(t, 'set holidays 2026-12-28')).toContain('`holidays` is now 28 Dec 2026');
    expect(await frontline(t, 'set holidays next tuesday')).toContain('dates are YYYY-MM-DD');
    expect(await frontline(t, 'set sla-warn-percent 150')).toContain('Give a whole percentage from 1 to 99, or off');
    expect(await frontline(t, 'set sla-warn-percent off')).toContain('`sla-warn-percent` is now off');
    expect(await frontline(t, 'set sla-warn-percent 75')).toContain('`sla-warn-percent` is now 75%');
  });

  it('move the card’s due times, the warnings and the reminders past a weekend and holidays, to the minute', async () => {
    // Wednesday 23 Dec 16:00; then Billing's 24th and 25th, the weekend, and the workspace's 28th.
    at('2026-12-23T16:00:00Z');
    const e = await raised(t, 'Invoice run stuck before the holidays', 'billing', 'normal');
    // Acknowledge 240 working minutes: 60 on Wednesday, 180 on Tuesday 29th. Resolve 24 working hours.
    expect(e.ackDueAt).toEqual(new Date('2026-12-29T12:00:00Z'));
    expect(e.resolveDueAt).toEqual(new Date('2026-12-31T16:00:00Z'));
    const fields = JSON.stringify(messageOf(t, e)?.blocks);
    expect(fields).toContain(dateToken('2026-12-29T12:00'));
    expect(fields).toContain(dateToken('2026-12-31T16:00'));

    // Nothing on the holidays or the weekend, though wall-clock time is far past 75% of the target.
    expect(await slaCheck('2026-12-24T10:00:00Z', e)).toEqual([]);
    expect(await slaCheck('2026-12-28T16:00:00Z', e)).toEqual([]);
    // 75% is 180 working minutes: Tuesday 11:00, once, to the leads as nobody has claimed it.
    expect(await slaCheck('2026-12-29T10:59:00Z', e)).toEqual([]);
    const [warning, ...more] = await slaCheck('2026-12-29T11:00:00Z', e);
    expect(more).toEqual([]);
    expect(warning).toContain('Due soon: nobody has claimed this yet');
    expect(warning).toContain(dateToken('2026-12-29T12:00'));
    expect(warning).toContain(`target 4h of working time). <@${LEAD}>`);
    expect(await slaCheck('2026-12-29T11:01:00Z', e)).toEqual([]);
    // The overdue reminder comes at the card's due time, not a minute earlier.
    expect(await slaCheck('2026-12-29T11:59:00Z', e)).toEqual([]);
    expect(await slaCheck('2026-12-29T12:00:00Z', e)).toEqual([
      expect.stringContaining('Nobody has claimed this after'),
    ]);

    // Claimed; the resolve warning (1080 working minutes: Thursday 31st 10:00) goes to the claimer only.
    at('2026-12-29T12:05:00Z');
    await click(t, 'escalation_claim', e, 'U0ANN');
    await t.fake.waitForCall('chat.postMessage', (c) => String(c.args.text).includes('> claimed this.'));
    expect(await slaCheck('2026-12-31T09:59:00Z', e)).toEqual([]);
    const [resolveWarning] = await slaCheck('2026-12-31T10:00:00Z', e);
    expect(resolveWarning).toContain(`should be resolved by <!date^${Date.parse('2026-12-31T16:00:00Z') / 1000}^`);
    expect(resolveWarning).toContain('<@U0ANN>, resolve it');
    expect(resolveWarning).not.toContain(LEAD);
    expect(await slaCheck('2026-12-31T16:00:00Z', e)).toEqual([expect.stringContaining('past its resolve target')]);

    expect((await eventsOf(e.id)).filter((ev) => ev.type.startsWith('escalation.sla'))).toEqual([
      { type: 'escalation.sla_warning', escalationId: e.id, target: 'ack', dueAt: '2026-12-29T12:00:00.000Z' },
      { type: 'escalation.sla_breached', escalationId: e.id, target: 'ack' },
      { type: 'escalation.sla_warning', escalationId: e.id, target: 'resolve', dueAt: '2026-12-31T16:00:00.000Z' },
      { type: 'escalation.sla_breached', escalationId: e.id, target: 'resolve' },
    ]);
  });

  it('count in the digest’s SLA share exactly as on the card: a claim a minute early meets it, a minute late misses it', async () => {
    at('2026-12-23T16:30:00Z');
    const early = await raised(t, 'Early claim', 'billing', 'normal');
    const late = await raised(t, 'Late claim', 'billing', 'normal');
    // 30 minutes on Wednesday, 210 on Tuesday: due 12:30.
    expect(early.ackDueAt).toEqual(new Date('2026-12-29T12:30:00Z'));
    at('2026-12-29T12:29:00Z');
    await click(t, 'escalation_claim', early, 'U0ANN');
    // The claim is stored after the ack: wait for it before the clock moves on.
    await t.fake.waitForCall('chat.postMessage', (c) => String(c.args.text).includes('<@U0ANN> claimed this.'));
    at('2026-12-29T12:31:00Z');
    await click(t, 'escalation_claim', late, 'U0BOB');
    await t.fake.waitForCall('chat.postMessage', (c) => String(c.args.text).includes('<@U0BOB> claimed this.'));
    const repo = createEscalationsRepository(t.deps);
    const range = { from: new Date('2026-12-23T16:15:00Z'), to: new Date('2026-12-29T12:35:00Z') };
    const metrics = await repo.metrics(range);
    expect(metrics.slaBreachShare).toBe(0.5);
    const text = JSON.stringify(
      renderEscalationsSection({ current: metrics, previous: metrics, departmentNames: { billing: 'Billing' } }),
    );
    expect(text).toContain('{"label":"Missed their SLA","value":0.5');
    expect(text).toContain('50% missed SLA');
  });
});
