// Ack latency under 100 concurrent requests: Frontline (on PostgreSQL) beside a bare Bolt app that
// only acks, measured in the same run, with the ratio and the app's peak memory.
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { startFakeSlack } from '../tests/support/fake-slack.ts';
import postgres from 'postgres';
import { buildBlockAction, buildSlashCommand } from '../tests/support/payloads.ts';
import { createScratchDatabase } from '../tests/support/test-database.ts';
import { type BenchRow, mib, ms, quantile } from './bench.ts';
import { bursts, load, type LoadResult, startServer } from './load.ts';

const ROUNDS = 10;
const CONCURRENCY = 100;
// Long enough for the app to finish the work it does after acking the previous burst.
const PAUSE_MS = 1500;

export const BENCH_DATABASE_URL = process.env.BENCH_DATABASE_URL ?? 'postgres://postgres@127.0.0.1:5432/test';

/** A request body for one iteration; `responseUrl` is the fake's. */
export interface AckCase {
  name: string;
  body(i: number, responseUrl: string): string;
}

const command = (name: string, text: (i: number) => string): AckCase => ({
  name,
  body: (i, responseUrl) => new URLSearchParams(buildSlashCommand({ command: name.split(' ')[0]!, text: text(i), user_id: `UBENCH${i % 50}`, response_url: responseUrl })).toString(),
});

/** The busiest entry point of each capability; the block action is added once there is something to claim. */
export const ACK_CASES: AckCase[] = [
  command('/escalate', (i) => `billing high Customer ${i} cannot download their invoice`),
  command('/ask', (i) => `billing: how do I reissue invoice ${i} with a new VAT number?`),
  command('/feedback', (i) => `customer:acme-${i % 100} The new export is great but slow #exports`),
  command('/frontline dept list', () => 'dept list'),
];

/** Everyone clicks Claim on the same escalation: one wins, the others are told who did. */
const claimCase = (escalationId: string): AckCase => ({
  name: 'Claim button (block action)',
  body: (i, responseUrl) =>
    new URLSearchParams({
      payload: JSON.stringify(buildBlockAction({ action_id: 'escalation_claim', value: escalationId, user_id: `UBENCH${i % 50}`, channel_id: 'C0BILLING', message_ts: '1700000000.000100', response_url: responseUrl })),
    }).toString(),
});

/** Raises one escalation through the app and returns its id, read from the database. */
async function seedEscalation(port: number, databaseUrl: string, responseUrl: string): Promise<string> {
  await load(port, 1, 1, () => ACK_CASES[0]!.body(-1, responseUrl));
  const sql = postgres(databaseUrl, { max: 1, onnotice: () => {} });
  try {
    for (let tries = 0; tries < 100; tries++) {
      const [row] = await sql<{ id: string }[]>`select id::text from escalations where summary like 'Customer -1 %' limit 1`;
      if (row) return row.id;
      await new Promise((r) => setTimeout(r, 50));
    }
    throw new Error('the seeded escalation never appeared');
  } finally {
    await sql.end();
  }
}

function figures(result: LoadResult, baseline?: LoadResult): Record<string, string> {
  const p50 = quantile(result.latencies, 0.5);
  const p99 = quantile(result.latencies, 0.99);
  return {
    p50: ms(p50),
    p99: ms(p99),
    'req/s': String(Math.round(result.latencies.length / result.seconds)),
    ...(baseline ? { 'p50 vs bare': `${(p50 / quantile(baseline.latencies, 0.5)).toFixed(2)}x`, 'p99 vs bare': `${(p99 / quantile(baseline.latencies, 0.99)).toFixed(2)}x` } : {}),
    ...(result.failures ? { failures: String(result.failures) } : {}),
  };
}

export async function run(): Promise<BenchRow[]> {
  const fake = await startFakeSlack();
  const database = await createScratchDatabase(BENCH_DATABASE_URL, 'frontline_bench');
  const dir = mkdtempSync(join(tmpdir(), 'frontline-bench-'));
  const config = join(dir, 'frontline.json');
  writeFileSync(
    config,
    JSON.stringify({
      departments: [{ key: 'billing', name: 'Billing', channel: 'C0BILLING', leads: ['UBENCH1'] }],
      settings: { 'help-channel': 'C0HELP', 'support-channel': 'C0SUPPORT', 'digest-channel': 'C0LEADERS' },
    }),
  );
  const env = { SLACK_BOT_TOKEN: 'xoxb-bench', SLACK_API_URL: fake.apiUrl, PORT: '0', DATABASE_URL: database.url, FRONTLINE_CONFIG: config, FRONTLINE_ADMINS: 'UBENCH0' };
  const bare = await startServer('bench/bare-bolt.ts', env);
  const app = await startServer('src/main.ts', env);
  const rows: BenchRow[] = [];
  try {
    const sample = ACK_CASES[0]!;
    const warm = (port: number) => load(port, 300, 20, (i) => sample.body(i, fake.responseUrl()));
    await warm(bare.port);
    await warm(app.port);
    const baseline = await bursts(bare.port, ROUNDS, CONCURRENCY, PAUSE_MS, (i) => sample.body(i, fake.responseUrl()));
    rows.push({ name: `bare Bolt ack (${ROUNDS} bursts of ${CONCURRENCY} concurrent)`, figures: figures(baseline) });
    const cases = [...ACK_CASES, claimCase(await seedEscalation(app.port, database.url, fake.responseUrl()))];
    for (const c of cases) {
      // Each path warmed once (code compiled, pools open), as in a running workspace.
      await bursts(app.port, 1, 50, PAUSE_MS, (i) => c.body(-100 - i, fake.responseUrl()));
      const result = await bursts(app.port, ROUNDS, CONCURRENCY, PAUSE_MS, (i) => c.body(i, fake.responseUrl()));
      const p99 = quantile(result.latencies, 0.99);
      const ratio = p99 / quantile(baseline.latencies, 0.99);
      rows.push({ name: `${c.name} ack (${ROUNDS} bursts of ${CONCURRENCY} concurrent)`, figures: figures(result, baseline), target: `p99 < 3 s: ${p99 < 3000 ? 'yes' : 'NO'} · within 2x of bare: ${ratio <= 2 ? 'yes' : 'NO'}` });
    }
    rows.push({ name: 'Frontline peak RSS under that load', figures: { rss: mib(app.peakRss()), 'bare Bolt rss': mib(bare.peakRss()) } });
  } finally {
    await app.stop();
    await bare.stop();
    await fake.close();
    await database.drop();
    rmSync(dir, { recursive: true, force: true });
  }
  return rows;
}
