// Each test file gets its own clean database: a copy of the migrated template the test run made
// once (global-setup.ts) on the PostgreSQL server at TEST_DATABASE_URL when set, otherwise on the
// test run's embedded PostgreSQL server.
import { randomBytes } from 'node:crypto';
import postgres from 'postgres';
import { inject } from 'vitest';

export const TEST_DATABASE_URL = process.env.TEST_DATABASE_URL?.trim() || undefined;

export interface TestDatabase {
  /** The URL of this file's own database. */
  url: string;
  label: 'postgres' | 'embedded';
  drop(): Promise<void>;
}

/** Creates a fresh PostgreSQL database (empty, or a copy of `template`) on the server at `adminUrl`; `drop()` removes it. */
export async function createScratchDatabase(
  adminUrl: string,
  prefix: string,
  template?: string,
): Promise<{ name: string; url: string; drop(): Promise<void> }> {
  const name = `${prefix}_${randomBytes(6).toString('hex')}`;
  const admin = postgres(adminUrl, { max: 1, onnotice: () => {} });
  await admin.unsafe(`create database ${name}${template ? ` template ${template}` : ''}`);
  await admin.end();
  const url = new URL(adminUrl);
  url.pathname = `/${name}`;
  return {
    name,
    url: url.toString(),
    async drop() {
      const cleanup = postgres(adminUrl, { max: 1, onnotice: () => {} });
      await cleanup.unsafe(`drop database if exists ${name} with (force)`);
      await cleanup.end();
    },
  };
}

/** The server tests make their databases on: TEST_DATABASE_URL, else the test run's embedded one. */
export function testServerUrl(): string {
  return TEST_DATABASE_URL ?? inject('embeddedAdminUrl');
}

const label = (): TestDatabase['label'] => (TEST_DATABASE_URL ? 'postgres' : 'embedded');

/** Creates an isolated database for one test file: a copy of the run's migrated template. */
export async function createTestDatabase(): Promise<TestDatabase> {
  // Copying is a file copy; migrating each file's database from scratch took about half a second.
  return {
    ...(await createScratchDatabase(testServerUrl(), 'frontline_test', inject('templateDatabase'))),
    label: label(),
  };
}

/** Creates an isolated database with no tables at all, for tests of the migrations themselves. */
export async function createEmptyTestDatabase(): Promise<TestDatabase> {
  return { ...(await createScratchDatabase(testServerUrl(), 'frontline_test')), label: label() };
}
