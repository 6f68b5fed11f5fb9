// `npm run db:migrate`: applies the committed migrations to DATABASE_URL, or to the embedded database.
import { ConfigError, loadDatabaseConfig } from '../config.ts';
import { createDatabase } from './client.ts';

try {
  const { databaseUrl, dataDir } = loadDatabaseConfig();
  const database = await createDatabase({ url: databaseUrl, dataDir });
  try {
    await database.migrate();
    console.log(`Migrations applied (${database.kind}).`);
  } finally {
    await database.close();
  }
} catch (error) {
  console.error(error instanceof ConfigError ? error.message : `Migrations failed: ${(error as Error).message}`);
  process.exit(1);
}
