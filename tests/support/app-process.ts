// Runs the real app in a child process, the way `npm start` does, and reads its JSON log lines.
import { type ChildProcess, spawn } from 'node:child_process';
import { fileURLToPath } from 'node:url';

const REPO_ROOT = fileURLToPath(new URL('../..', import.meta.url));

export interface AppProcess {
  /** The HTTP port the app reported once it was running. */
  port: number;
  baseUrl: string;
  /** Everything the process wrote to stdout and stderr so far. */
  output(): string;
  /** The log lines written so far, parsed (lines that are not JSON are left out). */
  logs(): Record<string, any>[];
  /** Sends SIGTERM (once) and resolves with the exit code; SIGKILL if it does not exit in time. */
  stop(): Promise<number | null>;
}

/**
 * Starts `node --import tsx src/main.ts` with exactly `env` (plus PATH) and waits for its
 * "Frontline is running" line. Runs node directly: npm would die of SIGTERM instead of relaying
 * the app's exit code.
 */
export async function startAppProcess(env: Record<string, string>, { startTimeoutMs = 30_000 } = {}): Promise<AppProcess> {
  const child = spawn(process.execPath, ['--import', 'tsx', 'src/main.ts'], {
    cwd: REPO_ROOT,
    env: { PATH: process.env.PATH, ...env },
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  let out = '';
  child.stdout.on('data', (chunk) => (out += chunk));
  child.stderr.on('data', (chunk) => (out += chunk));
  const exited = new Promise<number | null>((resolve) => child.on('exit', (code) => resolve(code)));
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
  const stop = () => (stopping ??= terminate(child, exited));

  const deadline = Date.now() + startTimeoutMs;
  let running: Record<string, any> | undefined;
  while (!(running = logs().find((line) => line.msg === 'Frontline is running'))) {
    if (child.exitCode !== null || Date.now() > deadline) {
      await stop();
      throw new Error(`the app process did not start (exit code ${child.exitCode}):\n${out}`);
    }
    await new Promise((resolve) => setTimeout(resolve, 50));
  }
  const port = Number(running.port);
  return { port, baseUrl: `http://127.0.0.1:${port}`, output: () => out, logs, stop };
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
