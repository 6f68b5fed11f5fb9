// `npm run bench`: every benchmark, printed as one table (see docs/benchmarks.md for a recorded run).
import { cpus, totalmem } from 'node:os';
import * as ackLatency from './ack-latency.ts';
import * as digest from './digest.ts';
import * as rotations from './rotations.ts';
import type { BenchRow } from './bench.ts';

const suites: { name: string; run(): Promise<BenchRow[]> }[] = [
  { name: 'ack latency', run: ackLatency.run },
  ...(process.env.BENCH_ONLY === 'ack' ? [] : [{ name: 'rotation planning', run: rotations.run }]),
  ...(process.env.BENCH_ONLY === 'ack' ? [] : [{ name: 'weekly digest', run: digest.run }]),
];

const rows: BenchRow[] = [];
for (const suite of suites) {
  process.stderr.write(`running ${suite.name}…\n`);
  rows.push(...(await suite.run()));
}

const cell = (row: BenchRow) => Object.entries(row.figures).map(([k, v]) => `${k} ${v}`).join(' · ');
console.log(`Frontline benchmark — ${new Date().toISOString().slice(0, 10)}, Node ${process.version}, ${cpus().length} × ${cpus()[0]?.model.trim()}, ${(totalmem() / 2 ** 30).toFixed(0)} GiB`);
console.log('');
console.log('| measurement | figures | target |');
console.log('|---|---|---|');
for (const row of rows) console.log(`| ${row.name} | ${cell(row)} | ${row.target ?? ''} |`);
process.exit(0);
