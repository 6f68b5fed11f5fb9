// A database that stops answering (a table locked by a long migration, say) must not cost Slack its
// ack: the person is told in time to try again, and nothing is half done.
import { eq } from 'drizzle-orm';
import postgres from 'postgres';
import { beforeAll, describe, expect, it } from 'vitest';
import { escalations } from '../../src/escalations/escalations.table.ts';
import { feedbackItems } from '../../src/feedback/feedback.table.ts';
import { TRY_AGAIN } from '../../src/slack/ack-deadline.ts';
import { seedDepartments } from '../escalations/helpers.ts';
import { field, stateValues } from '../support/payloads.ts';
import { useTestApp } from '../support/test-app.ts';

const t = useTestApp();
beforeAll(() => seedDepartments(t));

/** Holds an exclusive lock on `table` from another session until the returned function is called. */
async function lockTable(table: string): Promise<() => Promise<void>> {
  const other = postgres(t.database.url, { max: 1, onnotice: () => {} });
  const conn = await other.reserve();
  await conn.unsafe('begin');
  await conn.unsafe(`lock table ${table} in access exclusive mode`);
  return async () => {
    await conn.unsafe('rollback');
    conn.release();
    await other.end();
  };
}

/** The answer that keeps a form open with "try again" by `block`, its first field. */
const toldToTryAgainAt = (block: string) => ({
  response_action: 'errors',
  errors: { [block]: TRY_AGAIN.replace(/^:\w+: /, '') },
});

describe('when the database is too slow to answer', () => {
  it('answers a form in time, keeps it open with "try again", and stores nothing', async () => {
    const unlock = await lockTable('departments');
    const started = Date.now();
    const res = await t.driver.viewSubmission({
      callback_id: 'escalation_raise',
      view_id: 'V0SLOWDB1',
      user_id: 'U0AGENT',
      blocks: [{ type: 'input', block_id: 'escalation_department' }],
      values: stateValues({
        'escalation_department/department': field.select('billing'),
        'escalation_priority/priority': field.select('high'),
        'escalation_summary/summary': field.text('Raised while the database was slow'),
      }),
    });
    const took = Date.now() - started;
    await unlock();
    expect(took).toBeLessThan(2_500);
    expect(res.body).toEqual(toldToTryAgainAt('escalation_department'));
    // The listener stopped when its late ack was refused: nothing was created once the lock went.
    await new Promise((r) => setTimeout(r, 500));
    expect(
      await t.deps.db.select().from(escalations).where(eq(escalations.summary, 'Raised while the database was slow')),
    ).toEqual([]);
    expect(t.fake.callsTo('chat.postMessage')).toEqual([]);
  });

  it('answers a form in time when the replay check was slow too: the deadline counts from arrival', async () => {
    const unlockDepartments = await lockTable('departments');
    // The replay check waits 1.2 s (under its own 1.5 s limit), then the form's query hangs.
    const unlockKeys = await lockTable('request_keys');
    const keysFree = new Promise((r) => setTimeout(r, 1_200)).then(unlockKeys);
    const started = Date.now();
    const res = await t.driver.viewSubmission({
      callback_id: 'escalation_raise',
      view_id: 'V0SLOWDB2',
      user_id: 'U0AGENT',
      blocks: [{ type: 'input', block_id: 'escalation_department' }],
      values: stateValues({
        'escalation_department/department': field.select('billing'),
        'escalation_priority/priority': field.select('high'),
        'escalation_summary/summary': field.text('Raised after a slow replay check'),
      }),
    });
    const took = Date.now() - started;
    await keysFree;
    await unlockDepartments();
    expect(res.body).toEqual(toldToTryAgainAt('escalation_department'));
    expect(took).toBeGreaterThan(1_200);
    expect(took).toBeLessThan(2_500);
    await new Promise((r) => setTimeout(r, 500));
    expect(
      await t.deps.db.select().from(escalations).where(eq(escalations.summary, 'Raised after a slow replay check')),
    ).toEqual([]);
    expect(t.fake.callsTo('chat.postMessage')).toEqual([]);
  });

  it('rolls back a form saved before its ack when the save outlived the deadline', async () => {
    // The insert waits for the lock past the 2 s deadline, then goes through: the write is the
    // listener's last step before acking, and the person was already told nothing was done.
    const unlock = await lockTable('feedback_items');
    const unlocked = new Promise((r) => setTimeout(r, 2_300)).then(unlock);
    const res = await t.driver.viewSubmission({
      callback_id: 'feedback_modal',
      view_id: 'V0SLOWDB3',
      user_id: 'U0AGENT',
      blocks: [{ type: 'input', block_id: 'feedback_text' }],
      values: stateValues({
        'feedback_text/text': field.text('Saved while the database was slow'),
        'feedback_source/source': field.select('chat'),
      }),
      private_metadata: JSON.stringify({ mode: 'create', channelId: 'C0GENERAL' }),
    });
    await unlocked;
    expect(res.body).toEqual(toldToTryAgainAt('feedback_text'));
    await new Promise((r) => setTimeout(r, 500));
    expect(
      await t.deps.db.select().from(feedbackItems).where(eq(feedbackItems.text, 'Saved while the database was slow')),
    ).toEqual([]);
  });

  it('acks a command at once and, when its query gives up, says to try again', async () => {
    const unlock = await lockTable('departments');
    const url = t.fake.responseUrl();
    const started = Date.now();
    const res = await t.driver.command({
      command: '/frontline',
      text: 'dept list',
      user_id: 'U0AGENT',
      response_url: url,
    });
    expect(res.status).toBe(200);
    expect(Date.now() - started).toBeLessThan(2_500);
    const reply = await t.fake.waitForResponse((r) => url.endsWith(`/${r.id}`), 15_000);
    await unlock();
    expect(reply.body.text).toContain('try again in a minute');
  }, 20_000);
});
