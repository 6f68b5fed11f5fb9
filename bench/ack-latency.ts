// Ack latency under 100 concurrent requests: Frontline (on PostgreSQL) beside a bare Bolt app that
// only acks, measured in the same run, with the ratio and the app's peak memory.
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { startFakeSlack } from '../tests/support/fake-slack.ts';
import { buildSlashCommand } from '../tests/support/payloads.ts';
import { createScratchDatabase } from '../tests/support/test-database.ts';
import { type BenchRow, mib, ms, quantile } from './bench.ts';
import { load, type LoadResult, startServer } from './load.ts';

const TOTAL = 2000;
const CONCURRENCY = 100;

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

/** What is measured: each capability adds its busiest entry point here. */
export const ACK_CASES: AckCase[] = [command('/frontline dept list', () => 'dept list')];

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
    const baseline = await load(bare.port, TOTAL, CONCURRENCY, (i) => sample.body(i, fake.responseUrl()));
    rows.push({ name: `bare Bolt ack (${CONCURRENCY} concurrent)`, figures: figures(baseline) });
    for (const c of ACK_CASES) {
      const result = await load(app.port, TOTAL, CONCURRENCY, (i) => c.body(i, fake.responseUrl()));
      const p99 = quantile(result.latencies, 0.99);
      rows.push({ name: `${c.name} ack (${CONCURRENCY} concurrent)`, figures: figures(result, baseline), target: `p99 < 3 s: ${p99 < 3000 ? 'yes' : 'NO'}` });
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
