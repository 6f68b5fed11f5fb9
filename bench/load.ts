// Drives a running app over HTTP with signed Slack requests: N requests, C at a time, and the
// latency of each (request sent → ack received).
import { type ChildProcess, spawn } from 'node:child_process';
import { Agent, request } from 'node:http';
import { signRequest } from '../tests/support/slack-driver.ts';
import { quantile } from './bench.ts';
import { peakRss } from './processes.ts';

export const SIGNING_SECRET = 'bench-signing-secret';

export interface ServerProcess {
  port: number;
  child: ChildProcess;
  /** Peak resident memory so far (Linux VmHWM), in bytes. */
  peakRss(): number;
  stop(): Promise<void>;
}

/** Starts `node <args>` (a built bundle) and waits for its "running" log line with the port. */
export async function startServer(args: string[], env: Record<string, string>): Promise<ServerProcess> {
  const script = args.at(-1);
  const child = spawn(process.execPath, args, {
    env: {
      PATH: process.env.PATH,
      NODE_ENV: 'production',
      SLACK_SIGNING_SECRET: SIGNING_SECRET,
      LOG_LEVEL: 'info',
      ...env,
    },
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  let out = '';
  child.stdout!.on('data', (chunk) => (out += chunk));
  child.stderr!.on('data', (chunk) => (out += chunk));
  const deadline = Date.now() + 60_000;
  let port = 0;
  while (!port) {
    port = Number(/"port":(\d+)/.exec(out)?.[1] ?? 0);
    if (child.exitCode !== null || Date.now() > deadline) throw new Error(`${script} did not start:\n${out}`);
    await new Promise((r) => setTimeout(r, 20));
  }
  let stopping = false;
  // A process that dies mid-run says why, or the bench would only see its connections close.
  child.once('exit', (code, signal) => {
    if (!stopping)
      process.stderr.write(
        `${script} exited (${signal ?? code}) during the run; its last output:\n${out.slice(-4000)}\n`,
      );
  });
  return {
    port,
    child,
    peakRss: () => peakRss(child.pid!),
    stop: () =>
      new Promise<void>((resolve) => {
        stopping = true;
        child.once('exit', () => resolve());
        child.kill('SIGTERM');
      }),
  };
}

export interface LoadResult {
  latencies: number[];
  seconds: number;
  failures: number;
  /** Acks that told the person to try again: the app was too busy to take the request. */
  turnedAway: number;
}

/**
 * One POST over a kept-alive connection; resolves with the status and body. node:http rather than
 * fetch: the generator runs on the same two cores as the servers it measures, and fetch's streams
 * cost it more CPU per request than either server spends answering it.
 */
function post(agent: Agent, port: number, headers: Record<string, string>, body: string) {
  return new Promise<{ status: number; text: string }>((resolve, reject) => {
    const req = request({ host: '127.0.0.1', port, path: '/slack/events', method: 'POST', agent, headers }, (res) => {
      let text = '';
      res.setEncoding('utf8');
      res.on('data', (chunk: string) => (text += chunk));
      res.on('end', () => resolve({ status: res.statusCode ?? 0, text }));
      res.on('error', reject);
    });
    req.on('error', reject);
    req.end(body);
  });
}

/** Sends `total` form-encoded requests built by `body(i)`, `concurrency` in flight at once. */
export async function load(
  port: number,
  total: number,
  concurrency: number,
  body: (i: number) => string,
): Promise<LoadResult> {
  const latencies: number[] = [];
  let failures = 0;
  let turnedAway = 0;
  let next = 0;
  // Each failure says why on stderr (the row only counts them).
  const failed = (why: string) => {
    failures++;
    process.stderr.write(`request to port ${port} failed: ${why}\n`);
  };
  // A pool of its own, closed at the end: each burst starts on new connections to either server. A
  // pool kept across bursts outlived the servers' 5 s keep-alive on the app's side only (its bursts
  // are followed by its work, up to 4 s), so only its bursts paid for reconnecting; in one such run
  // 10 requests to the app failed, likely sent as the server closed their socket.
  const agent = new Agent({ keepAlive: true });
  const started = performance.now();
  const worker = async () => {
    while (next < total) {
      const i = next++;
      const text = body(i);
      const timestamp = Math.floor(Date.now() / 1000);
      const sent = performance.now();
      try {
        const res = await post(
          agent,
          port,
          {
            'content-type': 'application/x-www-form-urlencoded',
            'content-length': String(Buffer.byteLength(text)),
            'x-slack-request-timestamp': String(timestamp),
            'x-slack-signature': signRequest(SIGNING_SECRET, timestamp, text),
          },
          text,
        );
        latencies.push(performance.now() - sent);
        if (res.status !== 200) failed(`answered ${res.status} ${res.text.slice(0, 80)}`);
        else if (res.text.includes('try again')) turnedAway++;
      } catch (error) {
        // No answer at all (the app died, say): a failure in the row, not the end of the run.
        failed(`no answer: ${(error as Error).message}`);
      }
    }
  };
  await Promise.all(Array.from({ length: concurrency }, worker));
  agent.destroy();
  return { latencies, seconds: (performance.now() - started) / 1000, failures, turnedAway };
}
/**
 * Fires `rounds` bursts of `size` requests at once (as a busy workspace does), pausing between
 * bursts so each starts on an idle app; latencies are per request, seconds the time spent in bursts.
 */
export async function bursts(
  port: number,
  rounds: number,
  size: number,
  pauseMs: number,
  body: (i: number) => string,
): Promise<LoadResult> {
  const all: LoadResult = { latencies: [], seconds: 0, failures: 0, turnedAway: 0 };
  for (let round = 0; round < rounds; round++) {
    const result = await load(port, size, size, (i) => body(round * size + i));
    all.latencies.push(...result.latencies);
    all.seconds += result.seconds;
    all.failures += result.failures;
    all.turnedAway += result.turnedAway;
    await new Promise((r) => setTimeout(r, pauseMs));
  }
  return all;
}

/**
 * Bursts to the app and to the bare baseline in turn (app, its work finished, bare, pause), so each
 * pair is measured under the same moment's load on a shared machine, and each app burst starts on an
 * app that has done the work of the one before. `settle` waits for that work and says how long it took.
 */
export async function pairedBursts(
  ports: { app: number; bare: number },
  rounds: number,
  size: number,
  pauseMs: number,
  body: (i: number) => string,
  settle: () => Promise<number>,
): Promise<{ app: LoadResult; bare: LoadResult; settleMs: number[]; burstP99: { app: number[]; bare: number[] } }> {
  const app: LoadResult = { latencies: [], seconds: 0, failures: 0, turnedAway: 0 };
  const bare: LoadResult = { latencies: [], seconds: 0, failures: 0, turnedAway: 0 };
  const settleMs: number[] = [];
  const burstP99 = { app: [] as number[], bare: [] as number[] };
  for (let round = 0; round < rounds; round++) {
    for (const [port, into] of [
      [ports.app, app],
      [ports.bare, bare],
    ] as const) {
      const started = performance.now();
      const result = await load(port, size, size, (i) => body(round * size + i));
      if (into === app) settleMs.push(await settle().then(() => performance.now() - started));
      else await new Promise((r) => setTimeout(r, pauseMs));
      into.latencies.push(...result.latencies);
      into.seconds += result.seconds;
      into.failures += result.failures;
      into.turnedAway += result.turnedAway;
      burstP99[into === app ? 'app' : 'bare'].push(quantile(result.latencies, 0.99));
    }
  }
  return { app, bare, settleMs, burstP99 };
}
