// Runs the real app in a child process, the way `npm start` does (the bundle global-setup.ts
// built), and reads its JSON log lines.
import { type ChildProcess, spawn } from 'node:child_process';
import { readFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';

const REPO_ROOT = fileURLToPath(new URL('../..', import.meta.url));

/** Node's arguments in `npm start` (`node <these>`), so tests and benchmarks run the app exactly as it. */
export const START_ARGS: string[] = (
  JSON.parse(readFileSync(new URL('../../package.json', import.meta.url), 'utf8')) as { scripts: { start: string } }
).scripts.start
  .split(' ')
  .slice(1);

export interface SpawnedApp {
  pid: number;
  /** Everything the process wrote to stdout and stderr so far. */
  output(): string;
  /** What it wrote to stderr alone. */
  stderr(): string;
  /** The log lines written so far, parsed (lines that are not JSON are left out). */
  logs(): Record<string, any>[];
  /** Resolves with the exit code (null when killed by a signal) and when it exited (Date.now()). */
  exited: Promise<{ code: number | null; at: number }>;
  /** Sends SIGTERM (once) and resolves with the exit code; SIGKILL if it does not exit in time. */
  stop(): Promise<number | null>;
  /** Kills it at once with SIGKILL, as a crash or an out-of-memory kill would. */
  kill(): void;
}

export interface AppProcess extends SpawnedApp {
  /** The HTTP port the app reported once it was running. */
  port: number;
  baseUrl: string;
}

/** Starts `node ${START_ARGS}` (npm start without npm) with exactly `env` (plus PATH), without waiting for anything. */
export function spawnAppProcess(env: Record<string, string>): SpawnedApp {
  const child = spawn(process.execPath, START_ARGS, {
    cwd: REPO_ROOT,
    env: { PATH: process.env.PATH, ...env },
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  let out = '';
  let err = '';
  child.stdout.on('data', (chunk) => (out += chunk));
  child.stderr.on('data', (chunk) => {
    out += chunk;
    err += chunk;
  });
  const exited = new Promise<{ code: number | null; at: number }>((resolve) =>
    child.on('exit', (code) => resolve({ code, at: Date.now() })),
  );
  const logs = () =>
    out.split('\n').flatMap((line) => {
      try {
        const parsed: unknown = JSON.parse(line);
        return parsed && typeof parsed === 'object' ? [parsed as Record<string, any>] : [];
      } catch {
        return [];
      }
    });
  let stopping: Promise<number | null> | undefined;
  return {
    pid: child.pid ?? 0,
    output: () => out,
    stderr: () => err,
    logs,
    exited,
    stop: () =>
      (stopping ??= terminate(
        child,
        exited.then((e) => e.code),
      )),
    kill: () => void child.kill('SIGKILL'),
  };
}

/**
 * Starts `node ${START_ARGS}` (npm start without npm) with exactly `env` (plus PATH) and waits for its
 * "Frontline is running" line. Runs node directly: npm would die of SIGTERM instead of relaying
 * the app's exit code.
 */
export async function startAppProcess(
  env: Record<string, string>,
  { startTimeoutMs = 30_000 } = {},
): Promise<AppProcess> {
  const app = spawnAppProcess(env);
  let exitCode: number | null | undefined;
  void app.exited.then((e) => (exitCode = e.code));
  const deadline = Date.now() + startTimeoutMs;
  let running: Record<string, any> | undefined;
  while (!(running = app.logs().find((line) => line.msg === 'Frontline is running'))) {
    if (exitCode !== undefined || Date.now() > deadline) {
      await app.stop();
      throw new Error(`the app process did not start (exit code ${exitCode}):\n${app.output()}`);
    }
    await new Promise((resolve) => setTimeout(resolve, 50));
  }
  const port = Number(running.port);
  return { ...app, port, baseUrl: `http://127.0.0.1:${port}` };
}

async function terminate(child: ChildProcess, exited: Promise<number | null>): Promise<number | null> {
  if (child.exitCode !== null || child.signalCode !== null) return exited;
  child.kill('SIGTERM');
  // The app allows its requests ten seconds to finish; past that something is stuck.
  const killer = setTimeout(() => child.kill('SIGKILL'), 20_000);
  try {
    return await exited;
  } finally {
    clearTimeout(killer);
  }
}
