// Ack latency under 100 concurrent requests: Frontline on its embedded PostgreSQL and on a
// PostgreSQL server, beside a bare Bolt app that only acks, in the same run; with start-up times
// and the memory of the app and of the embedded database's processes.
import { execFileSync, spawn } from 'node:child_process';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { build } from 'esbuild';
import postgres from 'postgres';
import { z } from 'zod';
import { embeddedPaths, embeddedServerUrl, postmasterFile } from '../src/db/embedded-postgres.ts';
import { START_ARGS } from '../tests/support/app-process.ts';
import { buildBlockAction, buildSlashCommand } from '../tests/support/payloads.ts';
import { createScratchDatabase } from '../tests/support/test-database.ts';
import { type BenchRow, mib, ms, quantile } from './bench.ts';
import { bursts, type LoadResult, load, pairedBursts, type ServerProcess, startServer } from './load.ts';
import { rss, sampleMax, treeMemory, untilIdle } from './processes.ts';

/**
 * A burst's p99 is its slowest few requests, so a row's p99 is set by its slowest bursts: over 10
 * bursts, one slow burst on either side moved the ratio from 0.6x to 2.2x between runs of the same
 * code. Over 30, it reads the app's tail rather than one moment of the machine's. `BENCH_ROUNDS`
 * sets another number (60 doubles the time; see docs/benchmarks.md for what it did and did not settle).
 */
const ROUNDS = z.coerce
  .number()
  .int()
  .min(1)
  .default(30)
  .parse(process.env.BENCH_ROUNDS, { error: () => 'BENCH_ROUNDS must be a whole number of bursts, 1 or more' });
const CONCURRENCY = 100;
// After each bare burst (the app's bursts are followed by a wait for its work to be done: untilIdle).
const PAUSE_MS = 1500;
// To look at some paths or one mode alone: BENCH_CASES="/escalate,Claim" BENCH_MODES=embedded.
const ONLY_CASES = process.env.BENCH_CASES?.split(',').map((name) => name.trim());
const ONLY_MODES = process.env.BENCH_MODES?.split(',').map((name) => name.trim());
const modeWanted = (mode: 'embedded' | 'server') => !ONLY_MODES || ONLY_MODES.includes(mode);

export const BENCH_DATABASE_URL = process.env.BENCH_DATABASE_URL ?? 'postgres://postgres@127.0.0.1:5432/test';

/** A request body for one iteration; `responseUrl` is the fake's. */
export interface AckCase {
  name: string;
  body(i: number, responseUrl: string): string;
}

const command = (name: string, text: (i: number) => string): AckCase => ({
  name,
  body: (i, responseUrl) =>
    new URLSearchParams(
      buildSlashCommand({
        command: name.split(' ')[0]!,
        text: text(i),
        user_id: `UBENCH${i % 50}`,
        response_url: responseUrl,
      }),
    ).toString(),
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
      payload: JSON.stringify(
        buildBlockAction({
          action_id: 'escalation_claim',
          value: escalationId,
          user_id: `UBENCH${i % 50}`,
          channel_id: 'C0BILLING',
          message_ts: '1700000000.000100',
          response_url: responseUrl,
        }),
      ),
    }).toString(),
});

/** Raises one escalation through the app and returns its id, read from the database (after the warm-up's backlog). */
async function seedEscalation(port: number, databaseUrl: string, responseUrl: string): Promise<string> {
  // Sent again while the app is still too busy with the warm-up to take it.
  for (let tries = 0; tries < 60; tries++) {
    if ((await load(port, 1, 1, () => ACK_CASES[0]!.body(-1, responseUrl))).turnedAway === 0) break;
    await settle(1000);
  }
  const sql = postgres(databaseUrl, { max: 1, onnotice: () => {} });
  try {
    for (let tries = 0; tries < 1200; tries++) {
      const [row] = await sql<
        { id: string }[]
      >`select id::text from escalations where summary like 'Customer -1 %' limit 1`;
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
    ...(baseline
      ? {
          'p50 vs bare': `${(p50 / quantile(baseline.latencies, 0.5)).toFixed(2)}x`,
          'p99 vs bare': `${(p99 / quantile(baseline.latencies, 0.99)).toFixed(2)}x`,
        }
      : {}),
    ...(result.failures ? { failures: String(result.failures) } : {}),
    ...(result.turnedAway ? { 'turned away (try again)': String(result.turnedAway) } : {}),
  };
}

/** Time from spawning the app to its first healthy /healthz, and the running app. */
async function timeToHealthy(env: Record<string, string>): Promise<{ ms: number; app: ServerProcess }> {
  const started = performance.now();
  const app = await startServer(START_ARGS, env);
  const health = await fetch(`http://127.0.0.1:${app.port}/healthz`);
  if (health.status !== 200) throw new Error(`/healthz answered ${health.status}`);
  return { ms: performance.now() - started, app };
}

const MB = 1e6;
/** When a started app counts as idle: nothing sent, and long enough for V8 to return start-up memory. */
const IDLE_AFTER_MS = 30_000;
const yes = (ok: boolean) => (ok ? 'yes' : 'NO');
const settle = (msDelay: number) => new Promise((r) => setTimeout(r, msDelay));

/**
 * One path: warmed once (code compiled, pools open, as in a running workspace), then bursts to the
 * app, each beside one to the bare Bolt app. Each app burst starts once the app has done the work
 * of the one before (and the first once the earlier rows' work is done): a row measures its own path,
 * not the leftovers of another.
 */
export async function measureAck(
  c: AckCase,
  { app, bare: barePort }: { app: ServerProcess; bare: number },
  label: string,
  responseUrl: () => string,
): Promise<BenchRow> {
  const workDone = () => untilIdle(app.child.pid!);
  await bursts(app.port, 1, 50, PAUSE_MS, (i) => c.body(-100 - i, responseUrl()));
  await workDone();
  const {
    app: result,
    bare,
    settleMs,
    burstP99,
  } = await pairedBursts(
    { app: app.port, bare: barePort },
    ROUNDS,
    CONCURRENCY,
    PAUSE_MS,
    (i) => c.body(i, responseUrl()),
    workDone,
  );
  const p99 = quantile(result.latencies, 0.99);
  const ratio = p99 / quantile(bare.latencies, 0.99);
  return {
    name: `${c.name} ack, ${label} (${ROUNDS} bursts of ${CONCURRENCY} concurrent, each beside one to bare Bolt)`,
    figures: {
      ...figures(result, bare),
      'bare p99 in those rounds': ms(quantile(bare.latencies, 0.99)),
      "each burst's p99, median / slowest": `app ${ms(quantile(burstP99.app, 0.5))} / ${ms(Math.max(...burstP99.app))}, bare ${ms(quantile(burstP99.bare, 0.5))} / ${ms(Math.max(...burstP99.bare))}`,
      'burst to its work done, p50': ms(quantile(settleMs, 0.5)),
    },
    target: `p99 < 3 s: ${yes(p99 < 3000)} · p99 within 1.5x of bare: ${yes(ratio <= 1.5)}`,
  };
}

const FLOOD_TOTAL = 3000;
const FLOOD_CONCURRENCY = 50;

/**
 * A flood that lasts: `/escalate` 50 at a time with no pause, far more than two cores can do. The app
 * must stay up with its memory bounded, turning away (try again) what it cannot take.
 */
async function flood(app: ServerProcess, label: string, responseUrl: () => string): Promise<BenchRow> {
  const sample = ACK_CASES[0]!;
  const result = await load(app.port, FLOOD_TOTAL, FLOOD_CONCURRENCY, (i) => sample.body(10_000 + i, responseUrl()));
  await settle(5000);
  const healthy = await fetch(`http://127.0.0.1:${app.port}/healthz`)
    .then((res) => res.status === 200)
    .catch(() => false);
  const peak = app.peakRss();
  return {
    name: `flood, ${label}: ${FLOOD_TOTAL} \`/escalate\` ${FLOOD_CONCURRENCY} at a time without pause`,
    figures: {
      taken: String(result.latencies.length - result.turnedAway),
      'turned away (try again)': String(result.turnedAway),
      'no answer': String(result.failures),
      'p99 ack': ms(quantile(result.latencies, 0.99)),
      'peak rss since start': mib(peak),
    },
    target: `still healthy: ${yes(healthy)} · every request answered: ${yes(result.failures === 0)} · peak ≤ 200 MB: ${yes(peak <= 200 * MB)}`,
  };
}

/** One database mode: first start and restart to healthy, then every ack path in bursts, with memory. */
async function measureMode(
  mode: { label: string; env: Record<string, string>; dataDir?: string },
  barePort: number,
  responseUrl: () => string,
): Promise<BenchRow[]> {
  const rows: BenchRow[] = [];
  const first = await timeToHealthy(mode.env);
  await first.app.stop();
  const restart = await timeToHealthy(mode.env);
  const app = restart.app;
  rows.push({
    name: `start to healthy /healthz, ${mode.label} (\`node ${START_ARGS.join(' ')}\`)`,
    figures: { first: ms(first.ms), restart: ms(restart.ms) },
    target: mode.dataDir
      ? `first ≤ 3 s: ${yes(first.ms <= 3000)} · restart ≤ 1.5 s: ${yes(restart.ms <= 1500)}`
      : undefined,
  });
  const databaseUrl = mode.dataDir ? embeddedServerUrl(mode.dataDir)! : mode.env.DATABASE_URL!;
  const postmaster = mode.dataDir ? postmasterFile(embeddedPaths(mode.dataDir).pgdata)!.pid : undefined;
  let dbPeakRss: ReturnType<typeof sampleMax> | undefined;
  let dbPeakPss: ReturnType<typeof sampleMax> | undefined;
  try {
    // Just after start, V8 still holds the start-up's garbage (and the young generation it grew);
    // it gives it back once the process has been idle for 10-20 s. Idle means that settled state.
    await settle(3000);
    const justStarted = rss(app.child.pid!);
    const justStartedDb = postmaster ? treeMemory(postmaster) : undefined;
    await settle(IDLE_AFTER_MS - 3000);
    const idleApp = rss(app.child.pid!);
    const idleDb = postmaster ? treeMemory(postmaster) : undefined;
    dbPeakRss = postmaster ? sampleMax(() => treeMemory(postmaster).rss, 200) : undefined;
    dbPeakPss = postmaster ? sampleMax(() => treeMemory(postmaster).pss, 200) : undefined;
    const sample = ACK_CASES[0]!;
    await load(app.port, 300, 20, (i) => sample.body(i, responseUrl()));
    const cases = [...ACK_CASES, claimCase(await seedEscalation(app.port, databaseUrl, responseUrl()))].filter(
      (c) => !ONLY_CASES || ONLY_CASES.some((name) => c.name.startsWith(name)),
    );
    for (const c of cases) rows.push(await measureAck(c, { app, bare: barePort }, mode.label, responseUrl));
    const peakApp = app.peakRss();
    rows.push({
      name: `app memory, ${mode.label}`,
      figures: {
        'rss 3 s after healthy': mib(justStarted),
        [`idle rss (${IDLE_AFTER_MS / 1000} s after healthy)`]: mib(idleApp),
        'peak rss under the load above': mib(peakApp),
      },
      target: `idle ≤ 120 MB: ${yes(idleApp <= 120 * MB)} · peak ≤ 200 MB: ${yes(peakApp <= 200 * MB)}`,
    });
    if (!ONLY_CASES) rows.push(await flood(app, mode.label, responseUrl));
    if (idleDb && justStartedDb && dbPeakRss && dbPeakPss) {
      rows.push({
        name: `embedded PostgreSQL memory (postmaster + ${idleDb.processes - 1} children idle)`,
        figures: {
          'rss 3 s after healthy (sum)': `${mib(justStartedDb.rss)} (${justStartedDb.processes} processes)`,
          'idle rss (sum)': mib(idleDb.rss),
          'idle pss (sum)': mib(idleDb.pss),
          'peak rss (sum)': mib(dbPeakRss.stop()),
          'peak pss (sum)': mib(dbPeakPss.stop()),
        },
        target: `idle ≤ 120 MB: ${yes(idleDb.rss <= 120 * MB)} (rss sum)`,
      });
    }
  } finally {
    dbPeakRss?.stop();
    dbPeakPss?.stop();
    await app.stop();
  }
  return rows;
}

/** What an ack bench needs: the built app, the bare Bolt app, the fake Slack, and a database for each mode. */
export interface AckRig {
  /** The app's environment, without its database. */
  env: Record<string, string>;
  bare: ServerProcess;
  responseUrl(): string;
  /** An empty scratch database on the server, and a fresh folder for the embedded one. */
  serverUrl: string;
  dataDir: string;
  close(): Promise<void>;
}

/** Starts `bench/fake-slack-process.ts` and reads its address from its first line. */
async function startFakeSlackProcess(): Promise<{ url: string; stop(): Promise<void> }> {
  const child = spawn(process.execPath, ['--import', 'tsx', 'bench/fake-slack-process.ts'], {
    stdio: ['ignore', 'pipe', 'inherit'],
  });
  const url = await new Promise<string>((resolve, reject) => {
    let out = '';
    child.stdout!.on('data', (chunk) => {
      out += chunk;
      const line = out.split('\n')[0];
      if (out.includes('\n') && line) resolve((JSON.parse(line) as { url: string }).url);
    });
    child.once('exit', (code) => reject(new Error(`the fake Slack exited with ${code}`)));
  });
  return {
    url,
    stop: () =>
      new Promise<void>((resolve) => {
        child.once('exit', () => resolve());
        child.kill('SIGTERM');
      }),
  };
}

/** Builds the bundles and starts the fake Slack and the bare Bolt app; the modes BENCH_MODES asks for. */
export async function startAckRig(): Promise<AckRig & { prestartMs: number; modes: ('embedded' | 'server')[] }> {
  // What `npm start` runs: the bundle (its prestart check rebuilds it only when sources changed).
  execFileSync(process.execPath, ['scripts/build.js'], { stdio: 'inherit' });
  const prestart = performance.now();
  execFileSync('npm', ['run', '--silent', 'prestart']);
  const prestartMs = performance.now() - prestart;
  // The baseline is bundled too, so both run as plain JavaScript.
  await build({
    entryPoints: ['bench/bare-bolt.ts'],
    outfile: 'dist/bare-bolt.js',
    bundle: true,
    platform: 'node',
    format: 'esm',
    packages: 'external',
    logLevel: 'warning',
  });

  const fake = await startFakeSlackProcess();
  let responses = 0;
  const database = await createScratchDatabase(BENCH_DATABASE_URL, 'frontline_bench');
  const dir = mkdtempSync(join(tmpdir(), 'frontline-bench-'));
  // Its own temporary folder: as root the server's user must reach it, and mkdtemp's parent is private.
  const dataDir = mkdtempSync(join(tmpdir(), 'frontline-bench-data-'));
  const config = join(dir, 'frontline.json');
  writeFileSync(
    config,
    JSON.stringify({
      departments: [{ key: 'billing', name: 'Billing', channel: 'C0BILLING', leads: ['UBENCH1'] }],
      settings: { 'help-channel': 'C0HELP', 'support-channel': 'C0SUPPORT', 'digest-channel': 'C0LEADERS' },
    }),
  );
  const env = {
    SLACK_BOT_TOKEN: 'xoxb-bench',
    SLACK_API_URL: `${fake.url}/api/`,
    PORT: '0',
    FRONTLINE_CONFIG: config,
    FRONTLINE_ADMINS: 'UBENCH0',
  };
  const bare = await startServer(['dist/bare-bolt.js'], env);
  return {
    env,
    bare,
    responseUrl: () => `${fake.url}/response/${++responses}`,
    serverUrl: database.url,
    dataDir,
    prestartMs,
    modes: (['embedded', 'server'] as const).filter(modeWanted),
    async close() {
      await bare.stop();
      await fake.stop();
      await database.drop();
      rmSync(dir, { recursive: true, force: true });
      rmSync(dataDir, { recursive: true, force: true });
    },
  };
}

/** Warms the bare Bolt app and measures it alone: the first row of an ack table. */
export async function bareRow(rig: AckRig): Promise<BenchRow> {
  const sample = ACK_CASES[0]!;
  await load(rig.bare.port, 300, 20, (i) => sample.body(i, rig.responseUrl()));
  const baseline = await bursts(rig.bare.port, ROUNDS, CONCURRENCY, PAUSE_MS, (i) => sample.body(i, rig.responseUrl()));
  await settle(1000);
  return {
    name: `bare Bolt ack (${ROUNDS} bursts of ${CONCURRENCY} concurrent)`,
    figures: { ...figures(baseline), 'idle rss': mib(rss(rig.bare.child.pid!)), 'peak rss': mib(rig.bare.peakRss()) },
  };
}

export async function run(): Promise<BenchRow[]> {
  const rig = await startAckRig();
  const rows: BenchRow[] = [
    { name: '`npm start` prestart check, bundle up to date', figures: { time: ms(rig.prestartMs) } },
  ];
  try {
    rows.push(await bareRow(rig));
    if (rig.modes.includes('embedded'))
      rows.push(
        ...(await measureMode(
          { label: 'embedded PostgreSQL (default)', env: { ...rig.env, DATA_DIR: rig.dataDir }, dataDir: rig.dataDir },
          rig.bare.port,
          rig.responseUrl,
        )),
      );
    if (rig.modes.includes('server'))
      rows.push(
        ...(await measureMode(
          { label: 'PostgreSQL server', env: { ...rig.env, DATABASE_URL: rig.serverUrl } },
          rig.bare.port,
          rig.responseUrl,
        )),
      );
  } finally {
    await rig.close();
  }
  return rows;
}
