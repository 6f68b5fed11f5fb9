// A killed process loses nothing and repeats nothing: real app processes are killed with SIGKILL at
// random points while Slack hangs or fails; after a restart every card, thread note and DM that the
// database's history calls for exists exactly once.
import { sql } from 'drizzle-orm';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { systemClock } from '../../src/clock.ts';
import { createDatabase, type Database } from '../../src/db/client.ts';
import { createDepartmentsRepository } from '../../src/departments/departments.repository.ts';
import { ESCALATION_IDS, escalationActionId } from '../../src/escalations/escalations.ids.ts';
import { escalationEvents, escalations } from '../../src/escalations/escalations.table.ts';
import { slackOutbox } from '../../src/slack/outbox.table.ts';
import { type AppProcess, startAppProcess } from '../support/app-process.ts';
import { type FakeMessage, type FakeSlack, startFakeSlack } from '../support/fake-slack.ts';
import { field, stateValues } from '../support/payloads.ts';
import { seededRandom } from '../support/seeded-random.ts';
import { createSlackDriver } from '../support/slack-driver.ts';
import { MANIFEST_SCOPES } from '../support/test-app.ts';
import { createScratchDatabase, testServerUrl } from '../support/test-database.ts';

const SIGNING_SECRET = 'crash-signing-secret';
const BILLING = 'C0BILLING';
const AGENT = 'U0AGENT';
const CLAIMER = 'U0CLAIMER';
const KILLS = 24;

let fake: FakeSlack;
let scratch: { url: string; drop(): Promise<void> } | undefined;
let database: Database | undefined;
let app: AppProcess | undefined;

const start = () =>
  startAppProcess({
    NODE_ENV: 'production',
    SLACK_BOT_TOKEN: 'xoxb-crash-token',
    SLACK_SIGNING_SECRET: SIGNING_SECRET,
    SLACK_API_URL: fake.apiUrl,
    DATABASE_URL: scratch!.url,
    PORT: '0',
    LOG_LEVEL: 'info',
  });

const db = () => database!.db;
const keyOf = (m: FakeMessage) => (m.metadata as { event_payload?: { key?: string } } | undefined)?.event_payload?.key;

/** The injected trouble for one round: Slack hanging, failing, or slow after it took the message. */
function trouble(pick: number): void {
  const kinds = [
    () => {},
    () => fake.failNext('chat.postMessage', { delayMs: 800 }),
    () => fake.failNext('chat.update', { delayMs: 800 }),
    () => fake.failNext('chat.postMessage', { status: 503 }, 2),
    () => fake.failNext('chat.getPermalink', { delayMs: 800 }),
    () => fake.failNext('chat.postMessage', { drop: true }),
  ];
  kinds[Math.floor(pick * kinds.length)]!();
}

async function outboxDrained(timeoutMs: number): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    const [row] = await db()
      .select({ n: sql<number>`count(*)::int` })
      .from(slackOutbox)
      .where(sql`${slackOutbox.status} = 'pending'`);
    if (row?.n === 0) return;
    if (Date.now() > deadline) {
      const waiting = await db().select().from(slackOutbox).where(sql`${slackOutbox.status} = 'pending'`);
      throw new Error(
        `${row?.n} messages still waiting in the outbox: ${JSON.stringify(waiting.map((w) => ({ key: w.key, stream: w.stream, mirror: w.mirror, thread: w.threadRef, error: w.lastError, attempts: w.attempts, next: w.nextAttemptAt, maybePosted: w.maybePosted })))}`,
      );
    }
    await new Promise((r) => setTimeout(r, 200));
  }
}

describe('a process killed at any moment', () => {
  beforeAll(async () => {
    fake = await startFakeSlack();
    fake.scopes = new Set(MANIFEST_SCOPES);
    scratch = await createScratchDatabase(testServerUrl(), 'frontline_crash');
    database = await createDatabase({ url: scratch.url });
    await database.migrate();
    await createDepartmentsRepository({ db: db(), clock: systemClock }).upsert({
      key: 'billing',
      name: 'Billing',
      channelId: BILLING,
      leads: ['U0LEAD'],
    });
  });

  afterAll(async () => {
    await app?.stop();
    await database?.close();
    await scratch?.drop();
    await fake?.close();
  });

  it('leaves every card, thread note and DM exactly once after a restart', async () => {
    const seed = Number(process.env.CRASH_SEED ?? Date.now() % 100_000);
    const next = seededRandom(seed);
    console.info(`crash test seed ${seed} (CRASH_SEED=${seed} repeats it)`);
    for (let round = 0; round < KILLS; round++) {
      app = await start();
      const driver = createSlackDriver({ baseUrl: app.baseUrl, signingSecret: SIGNING_SECRET, fake });
      trouble(next());
      const live = await db().select().from(escalations).where(sql`${escalations.messageTs} is not null`);
      const open = live.filter((e) => e.status === 'open');
      const claimed = live.filter((e) => e.status === 'claimed');
      const choice = next();
      const target = (list: typeof live) => list[Math.floor(next() * list.length)];
      let request: Promise<unknown>;
      if (choice < 0.35 || live.length === 0) {
        request = driver.command({
          command: '/escalate',
          text: `billing high Crash round ${round}`,
          user_id: AGENT,
          response_url: fake.responseUrl(),
        });
      } else if (choice < 0.65 && open.length > 0) {
        const e = target(open)!;
        request = driver.blockAction({
          action_id: escalationActionId('claim'),
          value: e.id,
          user_id: CLAIMER,
          channel_id: BILLING,
          message_ts: e.messageTs!,
          response_url: fake.responseUrl(),
        });
      } else if (choice < 0.85 && claimed.length > 0) {
        const e = target(claimed)!;
        request = driver.viewSubmission({
          callback_id: ESCALATION_IDS.resolveModal,
          view_id: `V0CRASH${round}`,
          private_metadata: e.id,
          user_id: CLAIMER,
          values: stateValues({
            [`${ESCALATION_IDS.resolutionBlock}/${ESCALATION_IDS.resolutionInput}`]: field.text(
              `Fixed in round ${round}`,
            ),
          }),
        });
      } else if (claimed.length > 0) {
        const e = target(claimed)!;
        request = driver.blockAction({
          action_id: escalationActionId('release'),
          value: e.id,
          user_id: CLAIMER,
          channel_id: BILLING,
          message_ts: e.messageTs!,
          response_url: fake.responseUrl(),
        });
      } else {
        request = driver.command({
          command: '/escalate',
          text: `billing high Crash round ${round}`,
          user_id: AGENT,
          response_url: fake.responseUrl(),
        });
      }
      // Killed at a random moment: before the change, inside it, or while Slack is being told.
      await Promise.race([request.catch(() => {}), new Promise((r) => setTimeout(r, 50))]);
      await new Promise((r) => setTimeout(r, Math.floor(next() * 400)));
      app.kill();
      await app.stop();
      app = undefined;
    }

    // Slack works again; a restarted process sends whatever the killed ones left.
    fake.clearFailures();
    app = await start();
    // Posts whose fate a kill left unknown are looked for once they could have landed (LANDING_MS after the start).
    await outboxDrained(150_000);
    await app.stop();
    app = undefined;

    const all = await db().select().from(escalations);
    const events = await db().select().from(escalationEvents);
    expect(all.length).toBeGreaterThan(3);
    const posts = fake.messagesIn(BILLING);
    const dms = fake.messagesIn(`D${AGENT}`).concat(fake.messagesIn(`D${CLAIMER}`));
    for (const e of all) {
      const cards = posts.filter((m) => keyOf(m) === `escalation:${e.id}` && !m.thread_ts);
      expect(cards, `card of ${e.summary}`).toHaveLength(1);
      expect(cards[0]!.ts, `stored ts of ${e.summary}`).toBe(e.messageTs);
      expect(cards[0]!.text, `card of ${e.summary} shows its state`).toContain(`(${e.status})`);
      const notes = posts.filter((m) => m.thread_ts === e.messageTs).map((m) => String(m.text));
      const count = (kind: string) => events.filter((ev) => ev.escalationId === e.id && ev.kind === kind).length;
      expect(
        notes.filter((t) => t.includes('> claimed this.')),
        `claim notes of ${e.summary}`,
      ).toHaveLength(count('claimed'));
      expect(
        notes.filter((t) => t.includes('released this back')),
        `release notes of ${e.summary}`,
      ).toHaveLength(count('released'));
      expect(
        notes.filter((t) => t.includes('resolved this:')),
        `resolve notes of ${e.summary}`,
      ).toHaveLength(count('resolved'));
      const quoted = `“${e.summary}” (ESC-${e.number})`;
      expect(
        dms.filter((m) => String(m.text).includes(`picked up your escalation ${quoted}`)),
        `claim DMs of ${e.summary}`,
      ).toHaveLength(count('claimed'));
      expect(
        dms.filter((m) => String(m.text).includes(`Your escalation ${quoted} was resolved`)),
        `resolve DMs of ${e.summary}`,
      ).toHaveLength(count('resolved'));
    }
  }, 420_000);
});
