// Each test file gets its own clean database: a fresh PostgreSQL database when TEST_DATABASE_URL is
// set, otherwise an in-memory PGlite loaded from a migrated template (PGlite's initdb is slow).
import { readFileSync } from 'node:fs';
import { randomBytes } from 'node:crypto';
import { PGlite } from '@electric-sql/pglite';
import postgres from 'postgres';
import { inject } from 'vitest';

export const TEST_DATABASE_URL = process.env.TEST_DATABASE_URL?.trim() || undefined;

export interface TestDatabase {
  /** For postgres: the URL of this file's own database. */
  url?: string;
  /** For PGlite: an open in-memory instance. */
  pglite?: PGlite;
  label: 'postgres' | 'pglite';
  drop(): Promise<void>;
}

/** Creates a fresh, empty PostgreSQL database on the server at `adminUrl`; `drop()` removes it. */
export async function createScratchDatabase(adminUrl: string, prefix: string): Promise<{ url: string; drop(): Promise<void> }> {
  const name = `${prefix}_${randomBytes(6).toString('hex')}`;
  const admin = postgres(adminUrl, { max: 1, onnotice: () => {} });
  await admin.unsafe(`create database ${name}`);
  await admin.end();
  const url = new URL(adminUrl);
  url.pathname = `/${name}`;
  return {
    url: url.toString(),
    async drop() {
      const cleanup = postgres(adminUrl, { max: 1, onnotice: () => {} });
      await cleanup.unsafe(`drop database if exists ${name} with (force)`);
      await cleanup.end();
    },
  };
}

/** Creates an isolated database for one test file. */
export async function createTestDatabase(): Promise<TestDatabase> {
  if (TEST_DATABASE_URL) return { ...(await createScratchDatabase(TEST_DATABASE_URL, 'frontline_test')), label: 'postgres' };
  const template = inject('pgliteTemplate');
  const pglite = template ? await PGlite.create({ loadDataDir: new Blob([readFileSync(template)]) }) : await PGlite.create();
  return {
    pglite,
    label: 'pglite',
    async drop() {
      if (!pglite.closed) await pglite.close();
    },
  };
}
