// Runs once per `vitest run`: builds a migrated PGlite data directory that every test file loads.
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { PGlite } from '@electric-sql/pglite';
import { createDatabase } from '../../src/db/client.ts';
import type { TestProject } from 'vitest/node';
import { TEST_DATABASE_URL } from './test-database.ts';

declare module 'vitest' {
  export interface ProvidedContext {
    pgliteTemplate: string;
  }
}

export default async function setup(project: TestProject) {
  project.provide('pgliteTemplate', '');
  if (TEST_DATABASE_URL) return;
  const dir = mkdtempSync(join(tmpdir(), 'frontline-pglite-'));
  const pglite = await PGlite.create();
  const database = await createDatabase({ pglite });
  await database.migrate();
  const dump = await pglite.dumpDataDir('none');
  await pglite.close();
  const file = join(dir, 'template.tar');
  writeFileSync(file, Buffer.from(await dump.arrayBuffer()));
  project.provide('pgliteTemplate', file);
  return () => rmSync(dir, { recursive: true, force: true });
}
