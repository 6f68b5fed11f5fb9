// Frontline's embedded database used to be PGlite, in DATA_DIR/pglite. Its data is never left
// behind silently: on the first start of the PostgreSQL server it is copied in, table by table, and
// the old folder renamed; when PGlite (a development dependency) is not installed, the app stops
// and says how to run the move.
import { existsSync, renameSync } from 'node:fs';
import { join, resolve } from 'node:path';
import postgres from 'postgres';
import { systemClock } from '../clock.ts';
import { ConfigError } from '../config.ts';
import { MIGRATIONS_FOLDER } from './migrations-folder.ts';

/** The npm script that installs PGlite without saving it and runs the move (package.json). */
export const MOVE_COMMAND = 'npm run db:move-pglite';
// Rows per round trip: big enough to be quick, small enough to keep memory flat on big tables.
const PAGE_ROWS = 5000;

type PgliteModule = typeof import('@electric-sql/pglite');
type Extension = import('@electric-sql/pglite').Extension;

/** Where the earlier embedded database lives, if DATA_DIR holds one. */
export function legacyPgliteDir(dataDir: string): string | undefined {
  const dir = join(resolve(dataDir), 'pglite');
  return existsSync(join(dir, 'PG_VERSION')) ? dir : undefined;
}

/**
 * Copies DATA_DIR/pglite into the embedded server (after migrating both to the current schema) and
 * renames the folder to pglite-moved-<time>. Safe to repeat: the copy is one transaction that
 * empties the tables first, so a move interrupted before the rename starts over.
 */
export async function moveLegacyPglite(
  dataDir: string,
  database: { migrate(): Promise<void> },
  url: string,
  importPglite: () => Promise<PgliteModule> = () => import('@electric-sql/pglite'),
): Promise<void> {
  const dir = legacyPgliteDir(dataDir);
  if (!dir) return;
  let PGlite: PgliteModule['PGlite'];
  // The migrations create pg_trgm (answers' title search), which PGlite ships as an extension to load.
  let pgTrgm: Extension;
  try {
    ({ PGlite } = await importPglite());
    ({ pg_trgm: pgTrgm } = await import('@electric-sql/pglite/contrib/pg_trgm'));
  } catch {
    throw new ConfigError(
      [
        `${dir} holds the data of Frontline's earlier embedded database (PGlite). This version runs PostgreSQL and moves that data in on its first start, which needs the @electric-sql/pglite package (a development dependency, not installed here).`,
        `Run once, in Frontline's folder: ${MOVE_COMMAND}   (installs it without saving it, moves the data, renames the old folder), then start Frontline again.`,
      ],
      'Frontline cannot start: its earlier database has not been moved yet',
    );
  }
  const [{ drizzle }, { migrate }] = await Promise.all([
    import('drizzle-orm/pglite'),
    import('drizzle-orm/pglite/migrator'),
  ]);
  const source = await PGlite.create(dir, { extensions: { pg_trgm: pgTrgm } });
  const target = postgres(url, { max: 1, onnotice: () => {} });
  try {
    await migrate(drizzle({ client: source }), { migrationsFolder: MIGRATIONS_FOLDER });
    await database.migrate();
    const tables = (
      await source.query<{ name: string }>(
        `select quote_ident(table_name) as name from information_schema.tables where table_schema = 'public' and table_type = 'BASE TABLE' order by 1`,
      )
    ).rows.map((r) => `public.${r.name}`);
    await target.begin(async (tx) => {
      // Foreign keys are checked by triggers: off while tables arrive in whatever order.
      await tx.unsafe('set local session_replication_role = replica');
      if (tables.length > 0) await tx.unsafe(`truncate ${tables.join(', ')} cascade`);
      for (const table of tables) {
        for (let offset = 0; ; offset += PAGE_ROWS) {
          // JSON both ways: PostgreSQL's own text forms, so every type (timestamps, jsonb, arrays) arrives as it was.
          const page = await source.query<{ rows: string | null }>(
            `select json_agg(t)::text as rows from (select * from ${table} order by ctid limit ${PAGE_ROWS} offset ${offset}) t`,
          );
          const rows = page.rows[0]?.rows;
          if (!rows) break;
          await tx.unsafe(
            `insert into ${table} overriding system value select * from json_populate_recordset(null::${table}, $1::text::json)`,
            [rows],
          );
        }
      }
      // Copied ids do not move serial and identity sequences: start them past the highest id.
      const sequences = await tx<{ table: string; column: string; quoted: string }[]>`
        select 'public.' || quote_ident(table_name) as table, column_name as column, quote_ident(column_name) as quoted
        from information_schema.columns where table_schema = 'public' and (column_default like 'nextval(%' or is_identity = 'YES')`;
      for (const { table, column, quoted } of sequences) {
        await tx.unsafe(
          `select setval(pg_get_serial_sequence($1, $2), coalesce((select max(${quoted}) from ${table}), 0) + 1, false)`,
          [table, column],
        );
      }
    });
  } finally {
    await target.end({ timeout: 5 });
    await source.close();
  }
  renameSync(dir, `${dir}-moved-${systemClock.now().toISOString().replaceAll(':', '-').slice(0, 19)}`);
}
