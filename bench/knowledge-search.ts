// Answer search over 200,000 answers (the realistic corpus of bench/knowledge-corpus.ts), in each
// database mode: the search `/answers` and the suggestions run, timed from the bench process, then
// the `/ask` and `/escalate` acks of the app with those answers present, beside bare Bolt in the
// same run. A question is looked up in the answers after its ack (for `/ask`, the "Possibly
// answered before" note): each row counts the lookups recorded during its bursts, so it shows
// whether the searches ran while the acks were measured.
import { count } from 'drizzle-orm';
import { createDatabase } from '../src/db/client.ts';
import { embeddedServerUrl } from '../src/db/embedded-postgres.ts';
import { createKnowledgeRepository } from '../src/knowledge/knowledge.repository.ts';
import { answerLookups } from '../src/knowledge/knowledge.table.ts';
import { QUERIES } from '../tests/knowledge/relevance-corpus.ts';
import { START_ARGS } from '../tests/support/app-process.ts';
import { ACK_CASES, type AckRig, bareRow, measureAck, startAckRig } from './ack-latency.ts';
import { type BenchRow, ms, quantile } from './bench.ts';
import { seedAnswers } from './knowledge-seed.ts';
import { startServer } from './load.ts';

const ANSWERS = Number(process.env.BENCH_ANSWERS ?? 200_000);
const ROUNDS = 5;
const ACKED_WITH_ANSWERS = ['/ask', '/escalate'];

const log = (message: string) => process.stderr.write(`  knowledge: ${message}\n`);

/** One mode: the app started on an empty database, the answers seeded beside it, then searches and acks. */
async function measureMode(rig: AckRig, mode: 'embedded' | 'server'): Promise<BenchRow[]> {
  const label = mode === 'embedded' ? 'embedded PostgreSQL (default)' : 'PostgreSQL server';
  const app = await startServer(START_ARGS, {
    ...rig.env,
    ...(mode === 'embedded' ? { DATA_DIR: rig.dataDir } : { DATABASE_URL: rig.serverUrl }),
  });
  // Should the app stop during the bursts, its last words say why.
  let tail = '';
  const keep = (chunk: Buffer) => {
    tail = (tail + String(chunk)).slice(-1500);
  };
  app.child.stdout!.on('data', keep);
  app.child.stderr!.on('data', keep);
  app.child.once('exit', (code, signal) => {
    if (!stopping) log(`${label}: the app exited (${signal ?? code}):\n${tail}`);
  });
  let stopping = false;
  // The app has migrated its database; the bench fills it through a connection of its own.
  const database = await createDatabase({ url: mode === 'embedded' ? embeddedServerUrl(rig.dataDir)! : rig.serverUrl });
  const rows: BenchRow[] = [];
  try {
    const { db } = database;
    const seconds = await seedAnswers(db, ANSWERS);
    log(`${label}: seeded ${ANSWERS.toLocaleString('en')} answers (${seconds.toFixed(1)} s)`);

    const repo = createKnowledgeRepository({ db });
    const queries = QUERIES.map((q) => q.query);
    for (const query of queries) await repo.search({ query, language: 'english', limit: 5 }); // warm
    const times: number[] = [];
    for (let round = 0; round < ROUNDS; round++)
      for (const query of queries) {
        const t0 = performance.now();
        await repo.search({ query, language: 'english', limit: 5 });
        times.push(performance.now() - t0);
      }
    const p99 = quantile(times, 0.99);
    rows.push({
      name: `answer search, ${label} (${ANSWERS.toLocaleString('en')} answers, ${times.length} searches of the relevance test's ${queries.length} queries, one at a time)`,
      figures: { p50: ms(quantile(times, 0.5)), p99: ms(p99), max: ms(Math.max(...times)) },
      target: `p99 < 50 ms: ${p99 < 50 ? 'yes' : 'NO'}`,
    });

    const lookups = async () => (await db.select({ n: count() }).from(answerLookups))[0]?.n ?? 0;
    log(`${label}: search p50 ${ms(quantile(times, 0.5))}, p99 ${ms(p99)}; now the acks`);
    for (const c of ACK_CASES.filter((c) => ACKED_WITH_ANSWERS.includes(c.name))) {
      const before = await lookups();
      const row = await measureAck(
        c,
        { app, bare: rig.bare.port },
        `${label}, ${ANSWERS.toLocaleString('en')} answers`,
        rig.responseUrl,
      );
      row.figures['answer lookups after these acks'] = String((await lookups()) - before);
      rows.push(row);
    }
  } finally {
    await database.close();
    stopping = true;
    await app.stop();
  }
  return rows;
}

export async function run(): Promise<BenchRow[]> {
  const rig = await startAckRig();
  try {
    const rows = [await bareRow(rig)];
    for (const mode of rig.modes) rows.push(...(await measureMode(rig, mode)));
    return rows;
  } finally {
    await rig.close();
  }
}
