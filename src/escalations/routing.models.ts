// Which team should take an escalation: its words against each team's keywords, and where similar
// past escalations were resolved. Pure, so the scoring is tested without a database.

/** What a department offers to the suggestion. */
export interface RoutingDepartment {
  key: string;
  name: string;
  keywords: string[];
}

/** Among past escalations similar to this text: how many each team resolved, and how many it handed away. */
export interface SimilarOutcomes {
  departmentKey: string;
  resolved: number;
  reassignedAway: number;
}

export interface Suggestion {
  departmentKey: string;
  /** The team's keywords the text names, in the team's order. */
  matched: string[];
  /** Similar past escalations the team resolved. */
  similarResolved: number;
}

// A keyword the text names outweighs history: an admin said so. History decides between teams
// whose keywords tie, and when no keyword is named.
const KEYWORD_WEIGHT = 1;
const HISTORY_WEIGHT = 0.9;

const words = (text: string) => text.toLowerCase().match(/[\p{L}\p{N}]+/gu) ?? [];

/** Whether `text` names `keyword`: each of its words starts a word of the text, in order ("refund" in "refunds"). */
export function namesKeyword(textWords: string[], keyword: string): boolean {
  const parts = words(keyword);
  if (parts.length === 0) return false;
  return textWords.some((_, i) => parts.every((part, j) => textWords[i + j]?.startsWith(part)));
}

/** The best team for `text`, or undefined when neither keywords nor history point anywhere. */
export function suggestDepartment(
  text: string,
  departments: RoutingDepartment[],
  similar: SimilarOutcomes[],
): Suggestion | undefined {
  const textWords = words(text);
  // A reassignment away counts against a team: it was the wrong first choice for this kind of issue.
  const net = new Map(similar.map((s) => [s.departmentKey, Math.max(0, s.resolved - s.reassignedAway)]));
  const totalNet = [...net.values()].reduce((a, b) => a + b, 0);
  let best: (Suggestion & { score: number }) | undefined;
  for (const d of departments) {
    const matched = d.keywords.filter((k) => namesKeyword(textWords, k));
    const history = totalNet ? (net.get(d.key) ?? 0) / totalNet : 0;
    const score = matched.length * KEYWORD_WEIGHT + history * HISTORY_WEIGHT;
    if (score > 0 && (!best || score > best.score)) {
      const similarResolved = similar.find((s) => s.departmentKey === d.key)?.resolved ?? 0;
      best = { departmentKey: d.key, matched, similarResolved, score };
    }
  }
  if (!best) return undefined;
  const { score: _score, ...suggestion } = best;
  return suggestion;
}

/** "matches invoice, refund; 8 similar escalations resolved by Billing" */
export function suggestionReason(s: Suggestion, departmentName: string): string {
  const parts = [
    ...(s.matched.length ? [`matches ${s.matched.join(', ')}`] : []),
    ...(s.similarResolved
      ? [`${s.similarResolved} similar escalation${s.similarResolved === 1 ? '' : 's'} resolved by ${departmentName}`]
      : []),
  ];
  return parts.join('; ');
}
