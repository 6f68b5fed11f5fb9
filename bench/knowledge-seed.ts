// Fills the answers table with the generated corpus (bench/knowledge-corpus.ts), in batches.
import { sql } from 'drizzle-orm';
import type { Db } from '../src/db/client.ts';
import { type GeneratedAnswer, generateAnswers } from './knowledge-corpus.ts';

// The trigger builds each row's search vector; one statement may run 10 s at most.
const BATCH = 5_000;

/** Inserts `count` generated answers and analyzes the table; returns the seconds it took. */
export async function seedAnswers(db: Db, count: number): Promise<number> {
  const started = performance.now();
  let batch: GeneratedAnswer[] = [];
  let n = 0;
  const flush = async () => {
    const column = <K extends keyof GeneratedAnswer>(key: K) => sql.param(batch.map((a) => a[key]));
    await db.execute(sql`
      insert into answers (title, body, source_kind, source_id, department_key, themes, status,
        created_at, updated_at, confirmed_at)
      select title, body, 'import', 'bench-' || (${n} + ord), department_key, string_to_array(themes, ','),
        status::answer_status, now() - make_interval(days => (ord % 900)::int), now(), now()
      from unnest(${column('title')}::text[], ${column('body')}::text[], ${column('departmentKey')}::text[],
        ${sql.param(batch.map((a) => a.themes.join(',')))}::text[], ${column('status')}::text[])
        with ordinality as t(title, body, department_key, themes, status, ord)`);
    n += batch.length;
    batch = [];
  };
  for (const answer of generateAnswers(count)) {
    batch.push(answer);
    if (batch.length === BATCH) await flush();
  }
  if (batch.length > 0) await flush();
  await db.execute(sql`analyze answers`);
  return (performance.now() - started) / 1000;
}
