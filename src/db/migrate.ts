// `npm run db:migrate`: applies the committed migrations to DATABASE_URL, or to the embedded database.
import { ConfigError } from '../config.ts';
import { createDatabase } from './client.ts';

const url = process.env.DATABASE_URL?.trim() || undefined;
if (url && !/^postgres(ql)?:\/\//.test(url)) {
  console.error(new ConfigError(['DATABASE_URL must be a postgres:// URL, or unset to use the embedded database']).message);
  process.exit(1);
}
const database = await createDatabase({ url, dataDir: process.env.DATA_DIR?.trim() || './.data' });
try {
  await database.migrate();
  console.log(`Migrations applied (${database.kind}).`);
} finally {
  await database.close();
}
