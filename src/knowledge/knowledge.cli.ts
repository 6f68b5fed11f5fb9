// `npm run answers -- import <file.json>` and `npm run answers -- export`: admins seed and back up
// answers, on DATABASE_URL or the embedded database, as `npm run db:migrate` finds them.
import { readFileSync } from 'node:fs';
import { systemClock } from '../clock.ts';
import { ConfigError, loadDatabaseConfig } from '../config.ts';
import { createDatabase } from '../db/client.ts';
import { AnswerImportError, exportAnswers, importAnswers, parseAnswersFile } from './knowledge.transfer.ts';

const USAGE = `Usage:
  npm run answers -- import <file.json>   add or update answers (matched by id, else by title)
  npm run answers -- export > answers.json   every answer, in the file format import reads`;

/** Fails with a message for a person and exit code 1; nothing is written. */
class CommandError extends Error {}

/** The items of the file to import, read and checked before the database is opened. */
function readImportFile(path: string | undefined) {
  if (!path) throw new CommandError(`Say which file to import.\n${USAGE}`);
  let text: string;
  try {
    text = readFileSync(path, 'utf8');
  } catch (error) {
    throw new CommandError(`Could not read ${path}: ${(error as Error).message}`);
  }
  const parsed = parseAnswersFile(text);
  if (!parsed.ok)
    throw new CommandError(
      `${path} was not imported; nothing was changed:\n${parsed.problems.map((p) => `  - ${p}`).join('\n')}`,
    );
  return parsed.items;
}

async function run([action, path, ...rest]: string[]): Promise<void> {
  if ((action !== 'import' && action !== 'export') || rest.length > 0 || (action === 'export' && path))
    throw new CommandError(USAGE);
  const items = action === 'import' ? readImportFile(path) : [];
  const { databaseUrl, dataDir } = loadDatabaseConfig();
  const database = await createDatabase({ url: databaseUrl, dataDir });
  try {
    await database.migrate();
    if (action === 'export') {
      process.stdout.write(`${JSON.stringify(await exportAnswers(database.db), null, 2)}\n`);
      return;
    }
    const { created, updated, unchanged } = await importAnswers(database.db, items, systemClock.now());
    console.log(
      `Imported ${items.length} answers from ${path}: ${created} new, ${updated} updated, ${unchanged} unchanged.`,
    );
  } catch (error) {
    if (error instanceof AnswerImportError)
      throw new CommandError(
        `${path} was not imported; nothing was changed:\n${error.problems.map((p) => `  - ${p}`).join('\n')}`,
      );
    throw error;
  } finally {
    await database.close();
  }
}

try {
  await run(process.argv.slice(2));
} catch (error) {
  const known = error instanceof CommandError || error instanceof ConfigError;
  console.error(known ? error.message : `The answers command failed: ${(error as Error).message}`);
  process.exit(1);
}
