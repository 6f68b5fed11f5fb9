// Escalations' part of the weekly digest: volume, speed, SLA breaches and misroutes, by department.
import type { ChartGroup, DigestSection, Insight } from '../digests/digests.models.ts';
import { describeChange, describeDuration, describeShare, plural } from '../digests/digests.models.ts';
import { type Blocks, section, sections } from '../slack/blocks.ts';
import { escapeMrkdwn } from '../slack/mrkdwn.ts';
import type { EscalationMetrics } from './escalations.metrics.ts';
import type { EscalationsRepository } from './escalations.repository.ts';

export interface EscalationsDigestData {
  current: EscalationMetrics;
  previous: EscalationMetrics;
  /** Department names by key (archived ones too); a key without a name shows as itself. */
  departmentNames: Record<string, string>;
}

/** Weeks with fewer escalations than this say too little about the SLA to call a trend. */
const MIN_FOR_TREND = 3;
const NOTABLE_SHARE_SHIFT = 0.15;

/** SLA breach share rising or falling notably against the week before. */
export function escalationInsights({ current, previous }: EscalationsDigestData): Insight[] {
  if (current.slaBreachShare === null || previous.slaBreachShare === null || current.opened < MIN_FOR_TREND || previous.opened < MIN_FOR_TREND) return [];
  const delta = current.slaBreachShare - previous.slaBreachShare;
  const now = describeShare(current.slaBreachShare);
  const before = describeShare(previous.slaBreachShare);
  if (delta >= NOTABLE_SHARE_SHIFT) {
    return [{ kind: 'declined', text: `:warning: More escalations missed their SLA: ${now}, up from ${before} the week before.`, weight: 6 + delta * 10 }];
  }
  if (delta <= -NOTABLE_SHARE_SHIFT) {
    return [{ kind: 'improved', text: `:white_check_mark: Fewer escalations missed their SLA: ${now}, down from ${before} the week before.`, weight: 5 - delta * 10 }];
  }
  return [];
}

/** The escalations section's blocks: totals against last week, then one line per department. */
export function renderEscalationsSection({ current, previous, departmentNames }: EscalationsDigestData): Blocks {
  const before = new Map(previous.byDepartment.map((d) => [d.departmentKey, d]));
  const totals = [
    `*${current.opened}* opened (${describeChange(current.opened, previous.opened)} vs ${previous.opened} the week before) · *${current.resolved}* resolved (was ${previous.resolved})`,
    `Median time to acknowledge *${describeDuration(current.medianAckMinutes)}* (was ${describeDuration(previous.medianAckMinutes)}) · to resolve *${describeDuration(current.medianResolveMinutes)}* (was ${describeDuration(previous.medianResolveMinutes)})`,
    `${current.slaBreachShare === null ? 'None opened to measure against the SLA' : `*${describeShare(current.slaBreachShare)}* missed their SLA`} (was ${describeShare(previous.slaBreachShare)}) · *${current.misroutes}* misrouted (was ${previous.misroutes})`,
  ];
  const departments = current.byDepartment.map((d) => {
    const name = escapeMrkdwn(departmentNames[d.departmentKey] ?? d.departmentKey);
    const opened = `${d.opened} opened (${describeChange(d.opened, before.get(d.departmentKey)?.opened ?? 0)})`;
    const misrouted = d.misroutes > 0 ? ` · ${plural(d.misroutes, 'misroute', 'misroutes')}` : '';
    return `• *${name}* ${opened} · ${d.resolved} resolved · ack ${describeDuration(d.medianAckMinutes)} · resolve ${describeDuration(d.medianResolveMinutes)} · ${describeShare(d.slaBreachShare)} missed SLA${misrouted}`;
  });
  return [
    section(`*:rotating_light: Escalations*\n${totals.join('\n')}`),
    // Split across blocks so a long directory never hits a section's 3,000-character limit.
    ...(departments.length > 0 ? sections(`*By department*\n${departments.join('\n')}`) : []),
  ];
}

export function createEscalationsDigestSection({ repo, departmentName }: { repo: EscalationsRepository; departmentName(key: string): Promise<string | undefined> }): DigestSection<EscalationsDigestData> {
  return {
    id: 'escalations',
    order: 20,
    async load({ current, previous }) {
      const [now, before] = await Promise.all([repo.metrics({ from: current.start, to: current.end }), repo.metrics({ from: previous.start, to: previous.end })]);
      const keys = [...new Set(now.byDepartment.map((d) => d.departmentKey))];
      const names = await Promise.all(keys.map(async (key) => [key, (await departmentName(key)) ?? key] as const));
      return { current: now, previous: before, departmentNames: Object.fromEntries(names) };
    },
    hasData: ({ current }) => current.opened > 0 || current.resolved > 0 || current.misroutes > 0 || current.medianAckMinutes !== null,
    render: renderEscalationsSection,
    summary: ({ current, previous }) =>
      `Escalations: ${current.opened} opened (${describeChange(current.opened, previous.opened)}), ${current.resolved} resolved${current.slaBreachShare === null ? '' : `, ${describeShare(current.slaBreachShare)} missed their SLA`}.`,
    insights: escalationInsights,
    async chart(weeks): Promise<ChartGroup> {
      return { label: 'Escalations', legend: 'escalations opened (blue)', series: [{ name: 'opened', color: [52, 101, 164], values: await repo.weeklyOpened(weeks) }] };
    },
  };
}
