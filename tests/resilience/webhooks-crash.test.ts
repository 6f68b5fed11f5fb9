// Nothing is lost when the app is killed between a change and its webhook delivery: real app processes
// are killed with SIGKILL at random moments while the receiving server hangs or fails; after a restart
// the receiver has every event the database recorded, at least once and in order per escalation.
import { sql } from 'drizzle-orm';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { systemClock } from '../../src/clock.ts';
import { createDatabase, type Database } from '../../src/db/client.ts';
import { createDepartmentsRepository } from '../../src/departments/departments.repository.ts';
import { escalationActionId } from '../../src/escalations/escalations.ids.ts';
import { escalations } from '../../src/escalations/escalations.table.ts';
import { domainEvents } from '../../src/events/events.table.ts';
import { webhookDeliveries, webhookSubscriptions } from '../../src/webhooks/webhooks.table.ts';
import { type AppProcess, startAppProcess } from '../support/app-process.ts';
import { type FakeSlack, startFakeSlack } from '../support/fake-slack.ts';
import { seededRandom } from '../support/seeded-random.ts';
import { createSlackDriver } from '../support/slack-driver.ts';
import { MANIFEST_SCOPES } from '../support/test-app.ts';
import { createScratchDatabase, testServerUrl } from '../support/test-database.ts';
import { signatureIsValid, startWebhookReceiver, type WebhookReceiver } from '../support/webhook-receiver.ts';

const SIGNING_SECRET = 'webhook-crash-signing-secret';
const SECRET = 'whsec_crash-test-secret';
const BILLING = 'C0BILLING';
const KILLS = 14;

let fake: FakeSlack;
let receiver: WebhookReceiver;
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
    FRONTLINE_WEBHOOKS_ALLOW_PRIVATE: 'true',
    FRONTLINE_WEBHOOKS_TIMEOUT_SECONDS: '1',
  });

const db = () => database!.db;

describe('webhooks of a process killed at any moment', () => {
  beforeAll(async () => {
    fake = await startFakeSlack();
    fake.scopes = new Set(MANIFEST_SCOPES);
    receiver = await startWebhookReceiver();
    scratch = await createScratchDatabase(testServerUrl(), 'frontline_webhooks_crash');
    database = await createDatabase({ url: scratch.url });
    await database.migrate();
    await createDepartmentsRepository({ db: db(), clock: systemClock }).upsert({
      key: 'billing',
      name: 'Billing',
      channelId: BILLING,
      leads: [],
    });
    await db()
      .insert(webhookSubscriptions)
      .values({
        id: 'wh_crashtest',
        url: receiver.url,
        events: [],
        secret: SECRET,
        source: 'command',
        createdAt: new Date(Date.now() - 60_000),
      });
  });

  afterAll(async () => {
    await app?.stop();
    await database?.close();
    await scratch?.drop();
    await receiver?.close();
    await fake?.close();
  });

  it('delivers every recorded event at least once, in order per escalation, after a restart', async () => {
    const seed = Number(process.env.CRASH_SEED ?? Date.now() % 100_000);
    const next = seededRandom(seed);
    console.info(`webhook crash test seed ${seed} (CRASH_SEED=${seed} repeats it)`);
    for (let round = 0; round < KILLS; round++) {
      app = await start();
      const driver = createSlackDriver({ baseUrl: app.baseUrl, signingSecret: SIGNING_SECRET, fake });
      const trouble = next();
      receiver.answerNormally();
      if (trouble < 0.3) receiver.answerNext({ hang: 3_000 });
      else if (trouble < 0.5) receiver.answerNext(500);
      const live = await db().select().from(escalations).where(sql`${escalations.messageTs} is not null`);
      const open = live.filter((e) => e.status === 'open');
      const claimed = live.filter((e) => e.status === 'claimed');
      const pick = <T>(list: T[]) => list[Math.floor(next() * list.length)]!;
      const choice = next();
      let request: Promise<unknown>;
      if (choice < 0.4 || (open.length === 0 && claimed.length === 0)) {
        request = driver.command({
          command: '/escalate',
          text: `billing high Webhook round ${round}`,
          user_id: 'U0AGENT',
          response_url: fake.responseUrl(),
        });
      } else {
        const [e, action] =
          open.length > 0 && (choice < 0.7 || claimed.length === 0)
            ? [pick(open), 'claim' as const]
            : [pick(claimed), 'release' as const];
        request = driver.blockAction({
          action_id: escalationActionId(action),
          value: e.id,
          user_id: 'U0CLAIMER',
          channel_id: BILLING,
          message_ts: e.messageTs!,
          response_url: fake.responseUrl(),
        });
      }
      // Killed at a random moment: before the change, inside it, or while the receiver is being called.
      await Promise.race([request.catch(() => {}), new Promise((r) => setTimeout(r, 50))]);
      await new Promise((r) => setTimeout(r, Math.floor(next() * 800)));
      app.kill();
      await app.stop();
      app = undefined;
    }

    // The receiver works again; a restarted process sends whatever the killed ones left (the minute's job).
    receiver.answerNormally();
    app = await start();
    const deadline = Date.now() + 200_000;
    for (;;) {
      const [undelivered] = await db()
        .select({ n: sql<number>`count(*)::int` })
        .from(domainEvents)
        .where(sql`not exists (select 1 from domain_event_receipts r where r.event_id = ${domainEvents.id}
          and r.subscriber = 'webhooks.deliveries')`);
      const [pending] = await db()
        .select({ n: sql<number>`count(*)::int` })
        .from(webhookDeliveries)
        .where(sql`${webhookDeliveries.status} = 'pending'`);
      if (undelivered?.n === 0 && pending?.n === 0) break;
      if (Date.now() > deadline) {
        const left = await db().select().from(webhookDeliveries).where(sql`${webhookDeliveries.status} = 'pending'`);
        throw new Error(
          `left: ${undelivered?.n} events, ${JSON.stringify(left.map((d) => ({ stream: d.stream, attempts: d.attempts, error: d.lastError, next: d.nextAttemptAt })))}`,
        );
      }
      await new Promise((r) => setTimeout(r, 500));
    }
    await app.stop();
    app = undefined;

    const events = await db().select().from(domainEvents).orderBy(domainEvents.id);
    expect(events.length).toBeGreaterThan(3);
    for (const delivery of receiver.requests) expect(await signatureIsValid(SECRET, delivery)).toBe(true);
    // At least once: a delivery killed after the receiver took it comes again, with the same id.
    const firstArrivals = new Map<string, { type: string; escalationId: string }>();
    for (const body of receiver.accepted())
      if (!firstArrivals.has(body.id))
        firstArrivals.set(body.id, { type: body.type, escalationId: body.data.escalation.id });
    const received = [...firstArrivals.values()];
    console.info(
      `${events.length} events, ${receiver.requests.length} requests, ${receiver.accepted().length - received.length} repeats`,
    );
    for (const e of await db().select().from(escalations)) {
      const recorded = events.filter((ev) => ev.payload.escalationId === e.id).map((ev) => ev.type);
      const arrived = received.filter((r) => r.escalationId === e.id).map((r) => r.type);
      expect(arrived, `events of ${e.summary}, in order`).toEqual(recorded);
    }
  }, 420_000);
});
