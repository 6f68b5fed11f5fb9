// The help-request numbers for the weekly digest, computed from the rows of one time range.

export interface MetricsRequestRow {
  createdAt: Date;
  firstHelpedAt: Date | null;
  solvedAt: Date | null;
  topic: string | null;
}

export interface MetricsHelperRow {
  userId: string;
}

export interface TopicMetrics {
  /** null for requests asked without a topic. */
  topic: string | null;
  asked: number;
  answered: number;
  solved: number;
}

export interface HelpMetrics {
  /** Requests asked in the range. */
  asked: number;
  /** Of those, how many somebody offered to help with. */
  answered: number;
  /** Of those, how many are solved. */
  solved: number;
  medianMinutesToFirstHelper: number | null;
  medianMinutesToSolve: number | null;
  /** People who said "I can help" in the range, most requests first. */
  topHelpers: { userId: string; helped: number }[];
  byTopic: TopicMetrics[];
}

/** The median of the numbers (mean of the middle two for an even count), or null for none. */
export function median(values: number[]): number | null {
  if (values.length === 0) return null;
  const sorted = [...values].sort((a, b) => a - b);
  const mid = Math.floor(sorted.length / 2);
  return sorted.length % 2 === 1 ? sorted[mid]! : (sorted[mid - 1]! + sorted[mid]!) / 2;
}

const minutesBetween = (from: Date, to: Date) => (to.getTime() - from.getTime()) / 60_000;

/** People ranked by how many requests they helped with; ties by user id so the order is stable. */
export function rankHelpers(rows: MetricsHelperRow[], limit = 5): { userId: string; helped: number }[] {
  const counts = new Map<string, number>();
  for (const { userId } of rows) counts.set(userId, (counts.get(userId) ?? 0) + 1);
  return [...counts]
    .map(([userId, helped]) => ({ userId, helped }))
    .sort((a, b) => b.helped - a.helped || a.userId.localeCompare(b.userId))
    .slice(0, limit);
}

/** Asked / answered / solved per topic, busiest topic first, untopiced last. */
export function byTopic(requests: MetricsRequestRow[]): TopicMetrics[] {
  const topics = new Map<string | null, TopicMetrics>();
  for (const r of requests) {
    const entry = topics.get(r.topic) ?? { topic: r.topic, asked: 0, answered: 0, solved: 0 };
    entry.asked += 1;
    if (r.firstHelpedAt) entry.answered += 1;
    if (r.solvedAt) entry.solved += 1;
    topics.set(r.topic, entry);
  }
  return [...topics.values()].sort(
    (a, b) =>
      Number(a.topic === null) - Number(b.topic === null) ||
      b.asked - a.asked ||
      String(a.topic).localeCompare(String(b.topic)),
  );
}

/** Summarises the requests asked in a range and the helping done in it. */
export function summarizeHelpMetrics(requests: MetricsRequestRow[], helpers: MetricsHelperRow[]): HelpMetrics {
  const answered = requests.filter((r) => r.firstHelpedAt);
  const solved = requests.filter((r) => r.solvedAt);
  return {
    asked: requests.length,
    answered: answered.length,
    solved: solved.length,
    medianMinutesToFirstHelper: median(answered.map((r) => minutesBetween(r.createdAt, r.firstHelpedAt!))),
    medianMinutesToSolve: median(solved.map((r) => minutesBetween(r.createdAt, r.solvedAt!))),
    topHelpers: rankHelpers(helpers),
    byTopic: byTopic(requests),
  };
}
