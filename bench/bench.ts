// Shared shapes for `npm run bench`: each capability's bench file exports `run()` returning rows.

/** One line of the benchmark table. */
export interface BenchRow {
  /** What was measured, e.g. "/escalate ack (100 concurrent)". */
  name: string;
  /** Headline figures, already formatted: { p50: '3.1 ms', p99: '9.8 ms', 'req/s': '2400' }. */
  figures: Record<string, string>;
  /** A limit the issue sets and whether this run met it, e.g. "< 1 s: yes". */
  target?: string;
}

export const ms = (value: number) => `${value < 10 ? value.toFixed(2) : value.toFixed(1)} ms`;
export const mib = (bytes: number) => `${(bytes / 1024 / 1024).toFixed(1)} MiB`;

/** The value at quantile q (0..1) of a list of numbers. */
export function quantile(values: number[], q: number): number {
  if (values.length === 0) return Number.NaN;
  const sorted = [...values].sort((a, b) => a - b);
  return sorted[Math.min(sorted.length - 1, Math.max(0, Math.ceil(q * sorted.length) - 1))]!;
}
