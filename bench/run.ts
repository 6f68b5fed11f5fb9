// `npm run bench`: every benchmark, printed as one table (see docs/benchmarks.md for a recorded run).
import { cpus, totalmem } from 'node:os';
import * as ackLatency from './ack-latency.ts';
import type { BenchRow } from './bench.ts';
import * as digest from './digest.ts';
import * as knowledgeSearch from './knowledge-search.ts';
import * as rotations from './rotations.ts';

// BENCH_ONLY=ack or BENCH_ONLY=knowledge runs that suite alone.
const only = process.env.BENCH_ONLY;
const suites: { name: string; run(): Promise<BenchRow[]> }[] = [
  ...(only === undefined || only === 'ack' ? [{ name: 'ack latency', run: ackLatency.run }] : []),
  ...(only === undefined ? [{ name: 'rotation planning', run: rotations.run }] : []),
  ...(only === undefined ? [{ name: 'weekly digest', run: digest.run }] : []),
  ...(only === undefined || only === 'knowledge' ? [{ name: 'answer search', run: knowledgeSearch.run }] : []),
];

const rows: BenchRow[] = [];
for (const suite of suites) {
  process.stderr.write(`running ${suite.name}…\n`);
  rows.push(...(await suite.run()));
}

const cell = (row: BenchRow) =>
  Object.entries(row.figures)
    .map(([k, v]) => `${k} ${v}`)
    .join(' · ');
console.log(
  `Frontline benchmark — ${new Date().toISOString().slice(0, 10)}, Node ${process.version}, ${cpus().length} × ${cpus()[0]?.model.trim()}, ${(totalmem() / 2 ** 30).toFixed(0)} GiB`,
);
console.log('');
console.log('| measurement | figures | target |');
console.log('|---|---|---|');
for (const row of rows) console.log(`| ${row.name} | ${cell(row)} | ${row.target ?? ''} |`);
process.exit(0);
