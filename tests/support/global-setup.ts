// Runs once per `vitest run`: builds the app bundle that app processes run, and makes the migrated
// template every test file's database is copied from: on the PostgreSQL server at TEST_DATABASE_URL
// when set, else on one embedded PostgreSQL server started for the run (its `frontline` database).
import { execFileSync } from 'node:child_process';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { TestProject } from 'vitest/node';
import { createDatabase } from '../../src/db/client.ts';
import { startEmbeddedPostgres } from '../../src/db/embedded-postgres.ts';
import { createScratchDatabase, TEST_DATABASE_URL } from './test-database.ts';

declare module 'vitest' {
  export interface ProvidedContext {
    /** The test run's server (its maintenance database), when TEST_DATABASE_URL is not set. */
    embeddedAdminUrl: string;
    /** The migrated database each test file's database is a copy of. */
    templateDatabase: string;
  }
}

/** Test data is thrown away: durability off, room for every worker's pools and app processes. */
export const TEST_SERVER_SETTINGS = {
  fsync: 'off',
  synchronous_commit: 'off',
  full_page_writes: 'off',
  max_connections: 300,
};

export default async function setup(project: TestProject) {
  execFileSync(process.execPath, ['scripts/build.js'], { stdio: 'inherit' });
  project.provide('embeddedAdminUrl', '');
  if (TEST_DATABASE_URL) {
    // A name of this run's own: other runs may share the server.
    const template = await createScratchDatabase(TEST_DATABASE_URL, 'frontline_template');
    await migrateTemplate(template.url);
    project.provide('templateDatabase', template.name);
    return () => template.drop();
  }
  const dir = mkdtempSync(join(tmpdir(), 'frontline-tests-'));
  const server = await startEmbeddedPostgres(dir, { settings: TEST_SERVER_SETTINGS, noSync: true });
  await migrateTemplate(server.url);
  project.provide('embeddedAdminUrl', server.adminUrl);
  project.provide('templateDatabase', 'frontline');
  return async () => {
    await server.stop();
    rmSync(dir, { recursive: true, force: true });
  };
}

async function migrateTemplate(url: string): Promise<void> {
  const template = await createDatabase({ url });
  await template.migrate();
  await template.close();
}
