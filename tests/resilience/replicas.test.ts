// Two real app processes in HTTP mode, one PostgreSQL, one (fake) Slack: the test plays the load
// balancer, choosing the replica of each request, and the two behave as one app.
import { type AnyColumn, eq, isNull, sql } from 'drizzle-orm';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createDatabase, type Database } from '../../src/db/client.ts';
import { DIGEST_JOB } from '../../src/digests/digests.jobs.ts';
import { digestDeliveries, digestRuns } from '../../src/digests/digests.table.ts';
import { escalationActionId } from '../../src/escalations/escalations.ids.ts';
import { SLA_CHECK_JOB } from '../../src/escalations/escalations.jobs.ts';
import { createEscalationsRepository, type Escalation } from '../../src/escalations/escalations.repository.ts';
import { escalations } from '../../src/escalations/escalations.table.ts';
import { NUDGE_JOB } from '../../src/help-requests/help-requests.jobs.ts';
import { ROTATION_JOBS } from '../../src/rotations/rotations.jobs.ts';
import { jobRuns } from '../../src/scheduler/scheduler.table.ts';
import { type AppProcess, startAppProcess } from '../support/app-process.ts';
import { type FakeSlack, type RecordedCall, startFakeSlack } from '../support/fake-slack.ts';
import { buildSlashCommand } from '../support/payloads.ts';
import { createSlackDriver, type SlackDriver } from '../support/slack-driver.ts';
import { MANIFEST_SCOPES } from '../support/test-app.ts';
import { createScratchDatabase, testServerUrl } from '../support/test-database.ts';

const SIGNING_SECRET = 'replicas-signing-secret';
const ADMIN = 'U0ADMIN';
const LEAD = 'U0LEAD';
const AGENT = 'U0AGENT';
const ANN = 'U0ANN';
const BOB = 'U0BOB';
const BILLING_CHANNEL = 'C0BILLING';
const DIGEST_CHANNEL = 'C0LEADERS';
const EVERY_MINUTE_JOBS = [SLA_CHECK_JOB, DIGEST_JOB, NUDGE_JOB, ROTATION_JOBS.notices];
// Two processes start on a shared two-core machine: the first answers can be slow.
const PATIENCE_MS = 15_000;

interface Replica {
  name: string;
  process: AppProcess;
  driver: SlackDriver;
}

let fake: FakeSlack;
let scratch: { url: string; drop(): Promise<void> } | undefined;
let database: Database | undefined;
const processes: AppProcess[] = [];
let a: Replica;
let b: Replica;

const db = () => database!.db;
const repo = () => createEscalationsRepository({ db: db() });

async function startReplica(name: string): Promise<Replica> {
  const app = await startAppProcess({
    NODE_ENV: 'production',
    SLACK_BOT_TOKEN: 'xoxb-replicas-token',
    SLACK_SIGNING_SECRET: SIGNING_SECRET,
    SLACK_API_URL: fake.apiUrl,
    DATABASE_URL: scratch!.url,
    PORT: '0',
    FRONTLINE_ADMINS: ADMIN,
    // Debug lines name the slots each process ran and the ones it left to the other.
    LOG_LEVEL: 'debug',
  });
  processes.push(app);
  return {
    name,
    process: app,
    driver: createSlackDriver({ baseUrl: app.baseUrl, signingSecret: SIGNING_SECRET, fake }),
  };
}

/** Runs a slash command on one replica and returns the text of its private reply. */
async function command(replica: Replica, name: string, text: string, user: string): Promise<string> {
  const url = fake.responseUrl();
  expect((await replica.driver.command({ command: name, text, user_id: user, response_url: url })).status).toBe(200);
  return replyAt(url);
}

async function replyAt(url: string): Promise<string> {
  const reply = await fake.waitForResponse((r) => url.endsWith(`/${r.id}`), PATIENCE_MS);
  expect(reply.body.response_type).toBe('ephemeral');
  return String(reply.body.text);
}

/** Raises an escalation to billing through one replica and returns it as stored. */
async function raise(replica: Replica, priority: string, summary: string): Promise<Escalation> {
  expect(await command(replica, '/escalate', `billing ${priority} ${summary}`, AGENT)).toContain(
    'Escalated to *Billing*',
  );
  const [row] = await db().select().from(escalations).where(eq(escalations.summary, summary));
  expect(row?.messageTs).toBeTruthy();
  return row!;
}

/** Clicks Claim on the escalation's channel message, through one replica. */
const claimVia = (replica: Replica, e: Escalation, user: string, url: string) =>
  replica.driver.blockAction({
    action_id: escalationActionId('claim'),
    value: e.id,
    user_id: user,
    channel_id: e.channelId!,
    message_ts: e.messageTs!,
    message: fake.getMessage(e.channelId!, e.messageTs!) ?? { ts: e.messageTs! },
    response_url: url,
  });

const inThread = (e: Escalation, text: string) => (c: RecordedCall) =>
  c.args.channel === e.channelId && c.args.thread_ts === e.messageTs && String(c.args.text).includes(text);
const postsWhere = (predicate: (c: RecordedCall) => boolean) => fake.callsTo('chat.postMessage').filter(predicate);
const updatesOf = (e: Escalation) =>
  fake.callsTo('chat.update').filter((c) => c.args.channel === e.channelId && c.args.ts === e.messageTs);
const isPickedUpDm = (e: Escalation) => (c: RecordedCall) =>
  c.args.channel === AGENT && String(c.args.text).includes(`picked up your escalation “${e.summary}”`);
const pickedUpDms = (e: Escalation) => postsWhere(isPickedUpDm(e));

async function claimEvents(e: Escalation) {
  return (await repo().events(e.id)).filter((ev) => ev.kind === 'claimed');
}

/** Waits until some process has finished `job`'s run for `slot`. */
async function waitForSlotRun(job: string, slot: Date): Promise<void> {
  const deadline = slot.getTime() + 30_000;
  for (;;) {
    const [row] = await db()
      .select()
      .from(jobRuns)
      .where(eq(jobRuns.key, `${job}:${slot.toISOString()}`));
    if (row?.finishedAt) return;
    if (Date.now() > deadline) throw new Error(`no process finished ${job} for ${slot.toISOString()}`);
    await new Promise((resolve) => setTimeout(resolve, 250));
  }
}

/** The replicas that logged `msg` for a job's slot. */
const loggedBy = (msg: string, job: string, slot: Date) =>
  [a, b]
    .filter((r) =>
      r.process.logs().some((line) => line.msg === msg && line.job === job && line.slot === slot.toISOString()),
    )
    .map((r) => r.name);

describe('two app processes against one PostgreSQL', () => {
  beforeAll(async () => {
    fake = await startFakeSlack();
    fake.scopes = new Set(MANIFEST_SCOPES);
    // Empty: the replicas' own start applies the migrations.
    scratch = await createScratchDatabase(testServerUrl(), 'frontline_replicas');
    // Started together, as an orchestrator does: both run the migrations, one applies them.
    const started = await Promise.allSettled([startReplica('a'), startReplica('b')]);
    // Settled, not raced: a replica still starting when the other failed would escape afterAll.
    for (const result of started) if (result.status === 'rejected') throw result.reason;
    [a, b] = started.map((result) => (result as PromiseFulfilledResult<Replica>).value) as [Replica, Replica];
    database = await createDatabase({ url: scratch.url });

    // The directory and the digest set up through both replicas, as admins would.
    expect(await command(a, '/frontline', `dept add billing <#${BILLING_CHANNEL}|billing> Billing`, ADMIN)).toContain(
      'Added *Billing*',
    );
    expect(await command(b, '/frontline', `dept leads billing <@${LEAD}>`, ADMIN)).toContain(`<@${LEAD}>`);
    expect(await command(a, '/frontline', `set digest-channel <#${DIGEST_CHANNEL}|leaders>`, ADMIN)).toContain(
      DIGEST_CHANNEL,
    );
    // Every minute, so a digest slot falls inside the test.
    expect(await command(b, '/frontline', 'digest schedule "* * * * *"', ADMIN)).toContain('* * * * *');
  }, 90_000);

  afterAll(async () => {
    // Whatever failed above, the processes stop and the scratch database goes.
    try {
      await Promise.allSettled(processes.map((p) => p.stop()));
      await database?.close().catch(() => {});
      await fake?.close().catch(() => {});
    } finally {
      await scratch?.drop();
    }
  });

  it('shows either process what the other wrote, and refuses on one a request replayed from the other', async () => {
    await raise(a, 'high', 'Refund stuck for Globex');
    const list = await command(b, '/escalate', 'list', AGENT);
    expect(list).toContain('Refund stuck for Globex');

    // One signed request, captured and sent again to the other replica.
    const body = new URLSearchParams(
      buildSlashCommand({
        command: '/escalate',
        text: 'billing low Replayed once',
        user_id: AGENT,
        response_url: fake.responseUrl(),
      }),
    ).toString();
    const timestamp = Math.floor(Date.now() / 1000);
    const request = { body, contentType: 'application/x-www-form-urlencoded', timestamp };
    expect((await a.driver.raw(request)).status).toBe(200);
    const replayed = await b.driver.raw(request);
    expect(replayed.status).toBe(401);
    await fake.waitForCall('chat.postMessage', (c) => String(c.args.text).includes('Replayed once'), PATIENCE_MS);
    expect(await db().select().from(escalations).where(eq(escalations.summary, 'Replayed once'))).toHaveLength(1);
  });

  it('lets exactly one of two people clicking Claim at once, on different processes, win', async () => {
    const e = await raise(b, 'high', 'Race across replicas');
    const urls: Record<string, string> = { [ANN]: fake.responseUrl(), [BOB]: fake.responseUrl() };
    const clicks = await Promise.all([claimVia(a, e, ANN, urls[ANN]!), claimVia(b, e, BOB, urls[BOB]!)]);
    expect(clicks.map((c) => c.status)).toEqual([200, 200]);

    // The requester's DM is the winner's last step; the refusal is the loser's.
    await fake.waitForCall('chat.postMessage', isPickedUpDm(e), PATIENCE_MS);
    const winner = (await repo().get(e.id))!.claimerId!;
    expect([ANN, BOB]).toContain(winner);
    const loser = winner === ANN ? BOB : ANN;
    expect(await replyAt(urls[loser]!)).toBe(`:raising_hand: Already claimed by <@${winner}>.`);

    expect(await repo().get(e.id)).toMatchObject({ status: 'claimed', claimerId: winner });
    expect(await claimEvents(e)).toEqual([expect.objectContaining({ actorId: winner })]);
    expect(updatesOf(e)).toHaveLength(1);
    expect(JSON.stringify(updatesOf(e).at(-1)!.args.blocks)).toContain(`Claimed by <@${winner}>`);
    expect(JSON.stringify(fake.getMessage(e.channelId!, e.messageTs!)?.blocks)).toContain(`Claimed by <@${winner}>`);
    expect(postsWhere(inThread(e, 'claimed this')).map((c) => c.args.text)).toEqual([
      expect.stringContaining(`<@${winner}> claimed this`),
    ]);
    expect(pickedUpDms(e)).toHaveLength(1);
    expect(fake.responses.filter((r) => urls[winner]!.endsWith(`/${r.id}`))).toEqual([]);
  });

  it('claims once when one person double-clicks and the two clicks reach different processes', async () => {
    const e = await raise(a, 'high', 'Double click across replicas');
    const urls = [fake.responseUrl(), fake.responseUrl()];
    await Promise.all([claimVia(a, e, ANN, urls[0]!), claimVia(b, e, ANN, urls[1]!)]);

    await fake.waitForCall('chat.postMessage', isPickedUpDm(e), PATIENCE_MS);
    const refusal = await fake.waitForResponse((r) => urls.some((url) => url.endsWith(`/${r.id}`)), PATIENCE_MS);
    expect(refusal.body.text).toBe(`:raising_hand: Already claimed by <@${ANN}>.`);
    expect(fake.responses.filter((r) => urls.some((url) => url.endsWith(`/${r.id}`)))).toHaveLength(1);

    expect(await repo().get(e.id)).toMatchObject({ status: 'claimed', claimerId: ANN });
    expect(await claimEvents(e)).toHaveLength(1);
    expect(updatesOf(e)).toHaveLength(1);
    expect(postsWhere(inThread(e, 'claimed this'))).toHaveLength(1);
    expect(pickedUpDms(e)).toHaveLength(1);
  });

  it('runs each scheduled slot on one process only, so a due SLA reminder and the digest go out once', async () => {
    const e = await raise(b, 'urgent', 'Card charged twice for Initech');
    // node-cron fires on the wall clock and the shortest acknowledge target is a minute: rather than
    // wait for it, the escalation is made 15 minutes (its urgent target) old, as if raised then.
    const earlier = (column: AnyColumn) => sql`${column} - interval '15 minutes'`;
    await db()
      .update(escalations)
      .set({
        createdAt: earlier(escalations.createdAt),
        ackDueAt: earlier(escalations.ackDueAt),
        ackAlertAt: earlier(escalations.ackAlertAt),
        resolveDueAt: earlier(escalations.resolveDueAt),
      })
      .where(eq(escalations.id, e.id));
    // The next minute: both processes' timers fire for it, and it finds the escalation overdue.
    const slot = new Date(Math.floor(Date.now() / 60_000) * 60_000 + 60_000);
    for (const job of EVERY_MINUTE_JOBS) await waitForSlotRun(job, slot);

    const reminders = postsWhere(inThread(e, 'Nobody has claimed this'));
    expect(reminders).toHaveLength(1);
    expect(reminders[0]!.args.text).toMatch(
      new RegExp(`after 1[56] min \\(target 15m\\)\\. <@${LEAD}>, can someone pick it up\\?`),
    );
    expect(
      (await repo().events(e.id)).filter((ev) => ev.kind === 'reminded').map((ev) => ev.detail?.threshold),
    ).toEqual(['ack']);
    expect(postsWhere((c) => c.args.channel === LEAD)).toEqual([]); // twice the target is still 15 minutes away

    // Stopped, so nothing runs while the record is read.
    const stopping = Date.now();
    expect(await Promise.all([a.process.stop(), b.process.stop()])).toEqual([0, 0]);

    // Every slot since both schedulers started: claimed once in job_runs, run by one process, left by the other.
    const bothScheduling = Math.max(
      ...[a, b].map((r) => r.process.logs().find((line) => line.msg === 'scheduler started')!.time as number),
    );
    const runs = (await db().select().from(jobRuns)).filter(
      (run) => run.slot.getTime() > bothScheduling && run.slot.getTime() < stopping,
    );
    expect(runs.map((run) => run.key)).toEqual(
      expect.arrayContaining(EVERY_MINUTE_JOBS.map((job) => `${job}:${slot.toISOString()}`)),
    );
    const outcomes = runs.map((run) => ({
      key: run.key,
      finished: run.finishedAt !== null,
      ran: loggedBy('scheduled job ran', run.job, run.slot),
      left: loggedBy('scheduled slot already run by another process', run.job, run.slot),
    }));
    for (const outcome of outcomes) {
      expect(outcome, outcome.key).toEqual({
        key: outcome.key,
        finished: true,
        ran: [expect.any(String)],
        left: [expect.any(String)],
      });
      expect(outcome.ran[0], outcome.key).not.toBe(outcome.left[0]);
    }
    // No process ran a slot it had not claimed.
    const claimed = new Set((await db().select({ key: jobRuns.key }).from(jobRuns)).map((row) => row.key));
    const ranKeys = [a, b].flatMap((r) =>
      r.process
        .logs()
        .filter((line) => line.msg === 'scheduled job ran')
        .map((line) => `${line.job}:${line.slot}`),
    );
    expect(ranKeys.filter((key) => !claimed.has(key))).toEqual([]);
    expect(new Set(ranKeys).size).toBe(ranKeys.length);

    // The digest: one post per digest slot, each slot delivered once.
    const digestSlots = await db().select().from(digestRuns);
    expect(digestSlots.map((run) => run.slot.toISOString())).toContain(slot.toISOString());
    expect(await db().select().from(digestRuns).where(isNull(digestRuns.finishedAt))).toEqual([]);
    expect(postsWhere((c) => c.args.channel === DIGEST_CHANNEL && c.args.thread_ts === undefined)).toHaveLength(
      digestSlots.length,
    );
    expect(await db().select().from(digestDeliveries).where(eq(digestDeliveries.target, DIGEST_CHANNEL))).toHaveLength(
      digestSlots.length,
    );
    expect(fake.violations).toEqual([]);
  }, 120_000);
});
