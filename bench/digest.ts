// The weekly digest for a big workspace on PostgreSQL: 1,000,000 feedback items, 200,000
// escalations and 500,000 help requests over two years. Building it must stay under a second,
// because every section reads only the weeks it reports; the query plans show the indexes used.

import { sql } from 'drizzle-orm';
import { drizzle } from 'drizzle-orm/postgres-js';
import postgres from 'postgres';
import { systemClock } from '../src/clock.ts';
import { createDatabase, type Db } from '../src/db/client.ts';
import * as schema from '../src/db/schema.ts';
import { createDepartmentsRepository } from '../src/departments/departments.repository.ts';
import { createDigestSections, type DigestSections } from '../src/digests/digests.registry.ts';
import { buildDigest, buildDigestChart } from '../src/digests/digests.usecases.ts';
import { createEscalationsDigestSection } from '../src/escalations/escalations.digest.ts';
import { createEscalationsRepository } from '../src/escalations/escalations.repository.ts';
import { createFeedbackDigestSection } from '../src/feedback/feedback.digest.ts';
import { createFeedbackRepository } from '../src/feedback/feedback.repository.ts';
import { createHelpRequestsDigestSection } from '../src/help-requests/help-requests.digest.ts';
import { createHelpRequestsRepository } from '../src/help-requests/help-requests.repository.ts';
import { createShadowingDigestSection } from '../src/rotations/rotations.digest.ts';
import { createSessionsRepository } from '../src/rotations/sessions.repository.ts';
import { createScratchDatabase } from '../tests/support/test-database.ts';
import { BENCH_DATABASE_URL } from './ack-latency.ts';
import { type BenchRow, ms, quantile } from './bench.ts';

const FEEDBACK = 1_000_000;
const ESCALATIONS = 200_000;
const HELP_REQUESTS = 500_000;
const DAYS = 730;
const RUNS = 5;
const ZONE = 'UTC';
/** The report's end: a Monday 09:00, when the scheduled digest goes out. */
const END = new Date('2026-11-23T09:00:00Z');
const DEPARTMENTS = ['billing', 'support', 'success', 'security', 'engineering', 'sales'];
/** Tables big enough that a sequential scan would read the whole two years. */
const BIG_TABLES = ['feedback_items', 'escalations', 'escalation_events', 'help_requests', 'help_request_helpers'];

const log = (message: string) => process.stderr.write(`  digest: ${message}\n`);

async function timed<T>(label: string, work: () => Promise<T>): Promise<T> {
  const start = performance.now();
  const result = await work();
  log(`${label} (${((performance.now() - start) / 1000).toFixed(1)} s)`);
  return result;
}

/** Two years of activity, seeded set-based; timestamps uniform over the 730 days before END. */
async function seed(db: Db) {
  const end = sql`${END.toISOString()}::timestamptz`;
  const departments = createDepartmentsRepository({ db, clock: { now: () => END } });
  for (const [i, key] of DEPARTMENTS.entries())
    await departments.upsert({ key, channelId: `C0DEPT${i}`, leads: [`ULEAD${i}`] });

  // `offset 0` keeps each subquery's random() evaluated once per row, whatever the outer query reads.
  await timed(`${FEEDBACK.toLocaleString('en')} feedback items`, () =>
    db.execute(sql`
      insert into feedback_items (text, customer, source, themes, sentiment_score, sentiment_label, captured_via, received_at)
      select 'Feedback ' || g || ': the new export is ' || (array['great', 'slow', 'broken', 'fine', 'confusing'])[1 + g % 5],
        'acme-' || g % 500,
        (array['email', 'chat', 'phone', 'social', 'in_person', 'other'])[1 + g % 6]::feedback_source,
        case when g % 5 = 0 then '{}'::text[] else array[(array['exports', 'billing', 'onboarding', 'performance', 'mobile', 'search', 'api', 'pricing'])[1 + g % 8]] end,
        score,
        (case when score > 0 then 'positive' when score < 0 then 'negative' else 'neutral' end)::feedback_sentiment,
        (array['command', 'modal', 'shortcut', 'reaction', 'webhook'])[1 + g % 5]::feedback_capture,
        at
      from (select g, (g % 1009 * 7919 % 11) - 5 as score, ${end} - random() * interval '${sql.raw(String(DAYS))} days' as at
            from generate_series(1, ${FEEDBACK}) g offset 0) x`),
  );

  // 1 in 20 open, 2 claimed, 1 reassigned away (its successor elsewhere has reassigned_from_id), the rest resolved.
  await timed(`${ESCALATIONS.toLocaleString('en')} escalations`, () =>
    db.execute(sql`
      insert into escalations (department_key, priority, customer, summary, requester_id, channel_id, status, claimer_id, claimed_at,
        resolved_by, resolved_at, resolution, ack_due_at, ack_alert_at, resolve_due_at, reassigned_from_id, created_at, updated_at)
      select (${sql.raw(`array[${DEPARTMENTS.map((d) => `'${d}'`).join(', ')}]`)})[1 + g % ${DEPARTMENTS.length}],
        (array['urgent', 'high', 'normal', 'low'])[1 + g % 4],
        'acme-' || g % 500, 'Customer ' || g || ' cannot download their invoice', 'U' || g % 300, 'C0DEPT' || g % ${DEPARTMENTS.length},
        status,
        case when status in ('claimed', 'resolved') then 'U' || g % 200 end,
        case when status in ('claimed', 'resolved') then created + ack_m * interval '1 minute' end,
        case when status = 'resolved' then 'U' || g % 200 end,
        case when status = 'resolved' then created + ack_m * interval '1 minute' + res_h * interval '1 hour' end,
        case when status = 'resolved' then 'Fixed' end,
        created + interval '60 minutes', created + interval '120 minutes', created + interval '8 hours',
        case when g % 20 = 4 then gen_random_uuid() end,
        created, created
      from (select g, ${end} - random() * interval '${sql.raw(String(DAYS))} days' as created, random() * 120 as ack_m, random() * 16 as res_h,
              case when g % 20 = 0 then 'open' when g % 20 in (1, 2) then 'claimed' when g % 20 = 3 then 'reassigned' else 'resolved' end as status
            from generate_series(1, ${ESCALATIONS}) g offset 0) x`),
  );
  await timed('escalation events (created, reassigned)', async () => {
    await db.execute(
      sql`insert into escalation_events (escalation_id, kind, actor_id, at) select id, 'created', requester_id, created_at from escalations`,
    );
    await db.execute(sql`
      insert into escalation_events (escalation_id, kind, actor_id, at, detail)
      select id, 'reassigned', 'U0LEAD', created_at + interval '30 minutes', jsonb_build_object('from', department_key, 'to', 'support')
      from escalations where status = 'reassigned'`);
  });

  // 2 in 10 open, 3 claimed, 5 solved; a quarter of those helped got a second helper.
  await timed(`${HELP_REQUESTS.toLocaleString('en')} help requests`, () =>
    db.execute(sql`
      insert into help_requests (question, urgency, topic, asker_id, status, first_helper_id, solved_by, created_at, first_helped_at, solved_at)
      select 'How do I reissue invoice ' || g || ' with a new VAT number?', (array['low', 'normal', 'high', 'urgent'])[1 + g % 4],
        case when g % 3 = 0 then null else (array['billing', 'exports', 'api', 'security', 'sso'])[1 + g % 5] end,
        'U' || g % 1000, status,
        case when status <> 'open' then 'U' || g * 7 % 250 end,
        case when status = 'solved' then 'U' || g * 7 % 250 end,
        created,
        case when status <> 'open' then created + help_m * interval '1 minute' end,
        case when status = 'solved' then created + help_m * interval '1 minute' + solve_h * interval '1 hour' end
      from (select g, ${end} - random() * interval '${sql.raw(String(DAYS))} days' as created, random() * 180 as help_m, random() * 48 as solve_h,
              case when g % 10 < 2 then 'open' when g % 10 < 5 then 'claimed' else 'solved' end as status
            from generate_series(1, ${HELP_REQUESTS}) g offset 0) x`),
  );
  await timed('help request helpers', async () => {
    await db.execute(
      sql`insert into help_request_helpers (request_id, user_id, role, joined_at) select id, first_helper_id, 'first', first_helped_at from help_requests where first_helper_id is not null`,
    );
    await db.execute(sql`
      insert into help_request_helpers (request_id, user_id, role, joined_at)
      select id, 'U' || (250 + id * 13 % 250), 'extra', first_helped_at + interval '10 minutes' from help_requests where first_helper_id is not null and id % 4 = 0`);
  });

  // One weekly rotation over the two years: 4 seats a week, reflections for the sessions held.
  await timed('shadow sessions', async () => {
    await db.execute(sql`
      insert into rotations (name, cadence, weekday, start_time, duration_minutes, timezone, anchor_date, created_by)
      values ('Support shadowing', 'weekly', 3, '14:00', 60, 'UTC', '2024-11-20', 'UADMIN')`);
    await db.execute(sql`
      insert into shadow_sessions (rotation_id, starts_at, local_date, duration_minutes, seat, host_id, shadow_id, status)
      select r.id, s.at, to_char(s.at at time zone 'UTC', 'YYYY-MM-DD'), 60, seat, 'UHOST' || w % 5, 'USHADOW' || (w * 4 + seat) % 300,
        (array['held', 'held', 'no_show', 'held', 'cancelled'])[1 + (w + seat) % 5]
      from rotations r, generate_series(0, ${Math.ceil(DAYS / 7)}) w, generate_series(1, 4) seat,
        lateral (select ${end} - w * interval '7 days' - interval '4 days 19 hours' as at) s`);
    await db.execute(sql`
      insert into shadow_reflections (session_id, user_id, surprised, fix, usefulness, created_at)
      select id, shadow_id, 'How many invoices need a manual fix', 'Let customers change their VAT number themselves', 1 + id % 5, starts_at + interval '2 hours'
      from shadow_sessions where status = 'held'`);
  });
  await timed('analyze', () => db.execute(sql`analyze`));
}

interface PlanNode {
  'Node Type': string;
  'Relation Name'?: string;
  'Index Name'?: string;
  Plans?: PlanNode[];
}

/** Every scan in a plan: its node type, table and index (a bitmap index scan under its heap scan's table). */
function scans(node: PlanNode, out: { type: string; table: string; index?: string }[] = [], heapTable?: string) {
  const table = node['Relation Name'] ?? (node['Index Name'] ? heapTable : undefined);
  if (table) out.push({ type: node['Node Type'], table, index: node['Index Name'] });
  for (const child of node.Plans ?? [])
    scans(child, out, node['Node Type'] === 'Bitmap Heap Scan' ? node['Relation Name'] : heapTable);
  return out;
}

/** Builds the digest once through a logging connection, then EXPLAINs every distinct query it ran. */
async function explainDigestQueries(url: string): Promise<BenchRow[]> {
  const captured = new Map<string, unknown[]>();
  const client = postgres(url, { max: 4, onnotice: () => {} });
  try {
    const db = drizzle({
      client,
      schema,
      logger: { logQuery: (query, params) => void (captured.has(query) || captured.set(query, params)) },
    }) as unknown as Db;
    const sections = digestSectionsOver(db);
    const { data } = await buildDigest({ sections, timezone: async () => ZONE }, { end: END });
    await buildDigestChart({ sections }, { period: data.period });

    const byTable = new Map<string, { kinds: Map<string, number>; indexes: Set<string> }>();
    for (const [query, params] of captured) {
      const [row] = await client.unsafe<{ 'QUERY PLAN': [{ Plan: PlanNode }] }[]>(
        `explain (format json) ${query}`,
        params as never[],
      );
      const found = scans(row!['QUERY PLAN'][0].Plan);
      log(
        `plan: ${found.map((s) => `${s.type} on ${s.table}${s.index ? ` using ${s.index}` : ''}`).join(', ') || 'no table'} ← ${query.replace(/\s+/g, ' ').slice(0, 100)}…`,
      );
      for (const s of found) {
        if (!BIG_TABLES.includes(s.table)) continue;
        const entry = byTable.get(s.table) ?? { kinds: new Map<string, number>(), indexes: new Set<string>() };
        entry.kinds.set(s.type, (entry.kinds.get(s.type) ?? 0) + 1);
        if (s.index) entry.indexes.add(s.index);
        byTable.set(s.table, entry);
      }
    }
    log(`${captured.size} distinct queries explained`);
    return [...byTable].map(([table, { kinds, indexes }]) => ({
      name: `digest query plans on ${table}`,
      figures: {
        ...Object.fromEntries([...kinds].map(([type, n]) => [type, `× ${n}`])),
        indexes: [...indexes].join(', ') || 'none',
      },
      target: `no Seq Scan: ${kinds.has('Seq Scan') ? 'NO' : 'yes'}`,
    }));
  } finally {
    await client.end({ timeout: 5 });
  }
}

export async function run(): Promise<BenchRow[]> {
  const scratch = await createScratchDatabase(BENCH_DATABASE_URL, 'frontline_digest_bench');
  const database = await createDatabase({ url: scratch.url });
  try {
    await database.migrate();
    const { db } = database;
    await timed('seeded', () => seed(db));

    const sections = digestSectionsOver(db);
    const timezone = async () => ZONE;
    const build = async () => {
      const start = performance.now();
      const { data } = await buildDigest({ sections, timezone }, { end: END });
      const mid = performance.now();
      const chart = await buildDigestChart({ sections }, { period: data.period });
      return {
        digest: mid - start,
        chart: performance.now() - mid,
        total: performance.now() - start,
        data,
        hasChart: chart !== undefined,
      };
    };
    const warm = await build();
    const counts = Object.fromEntries(warm.data.sections.map((s) => [s.section.id, s.data]));
    log(
      `week's figures: ${(counts.feedback as { current: { total: number } }).current.total} feedback items, ${(counts.escalations as { current: { opened: number } }).current.opened} escalations opened, ${(counts['help-requests'] as { current: { asked: number } }).current.asked} help requests, chart ${warm.hasChart ? 'drawn' : 'empty'}`,
    );
    const runs = [];
    for (let i = 0; i < RUNS; i++) runs.push(await build());
    const totals = runs.map((r) => r.total);
    const worst = Math.max(...totals);

    const plans = await explainDigestQueries(scratch.url);
    return [
      {
        name: `weekly digest + 8-week chart on PostgreSQL: ${FEEDBACK.toLocaleString('en')} feedback, ${ESCALATIONS.toLocaleString('en')} escalations, ${HELP_REQUESTS.toLocaleString('en')} help requests over 2 years`,
        figures: {
          p50: ms(quantile(totals, 0.5)),
          max: ms(worst),
          'digest p50': ms(
            quantile(
              runs.map((r) => r.digest),
              0.5,
            ),
          ),
          'chart p50': ms(
            quantile(
              runs.map((r) => r.chart),
              0.5,
            ),
          ),
          runs: String(RUNS),
        },
        target: `< 1 s: ${worst < 1000 ? 'yes' : 'NO'}`,
      },
      ...plans,
    ];
  } finally {
    await database.close();
    await scratch.drop();
  }
}

/** Every capability's digest section over `db`, as the app's features register them. */
function digestSectionsOver(db: Db): DigestSections {
  const sections = createDigestSections();
  const departments = createDepartmentsRepository({ db, clock: systemClock });
  sections.section(createFeedbackDigestSection({ repo: createFeedbackRepository({ db }) }));
  const departmentName = async (key: string) => (await departments.getIncludingArchived(key))?.name;
  sections.section(createEscalationsDigestSection({ repo: createEscalationsRepository({ db }), departmentName }));
  sections.section(createHelpRequestsDigestSection({ repo: createHelpRequestsRepository({ db }), departmentName }));
  sections.section(createShadowingDigestSection({ repo: createSessionsRepository({ db }) }));
  return sections;
}
