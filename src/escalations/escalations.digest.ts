// Escalations' part of the weekly digest: volume, speed, SLA breaches and misroutes, by department.
import { PALETTE } from '../digests/digests.chart.ts';
import type { ChartGroup, DigestSection, Insight, SectionView } from '../digests/digests.models.ts';
import { describeChange, describeDuration, describeShare, describeTrend, plural } from '../digests/digests.models.ts';
import { context, sections } from '../slack/blocks.ts';
import { escapeMrkdwn } from '../slack/mrkdwn.ts';
import type { EscalationFigures, EscalationMetrics, RoutingAccuracy } from './escalations.metrics.ts';
import type { EscalationsRepository } from './escalations.repository.ts';

export interface EscalationsDigestData {
  current: EscalationMetrics;
  previous: EscalationMetrics;
  /** Department names by key (archived ones too); a key without a name shows as itself. */
  departmentNames: Record<string, string>;
  /** Per department, first sends it resolved itself, this week and the week before. */
  routing?: { current: RoutingAccuracy[]; previous: RoutingAccuracy[] };
}

const accuracyShare = (list: RoutingAccuracy[] | undefined, key: string) => {
  const r = list?.find((a) => a.departmentKey === key);
  return r?.settled ? r.rightFirstTime / r.settled : null;
};

/** Weeks with fewer escalations than this say too little about the SLA to call a trend. */
const MIN_FOR_TREND = 3;
const NOTABLE_SHARE_SHIFT = 0.15;

/** SLA breach share rising or falling notably against the week before. */
export function escalationInsights({ current, previous }: EscalationsDigestData): Insight[] {
  if (
    current.slaBreachShare === null ||
    previous.slaBreachShare === null ||
    current.opened < MIN_FOR_TREND ||
    previous.opened < MIN_FOR_TREND
  )
    return [];
  const delta = current.slaBreachShare - previous.slaBreachShare;
  const now = describeShare(current.slaBreachShare);
  const before = describeShare(previous.slaBreachShare);
  if (delta >= NOTABLE_SHARE_SHIFT) {
    return [
      {
        kind: 'declined',
        text: `:warning: More escalations missed their SLA: ${now}, up from ${before} the week before.`,
        weight: 6 + delta * 10,
      },
    ];
  }
  if (delta <= -NOTABLE_SHARE_SHIFT) {
    return [
      {
        kind: 'improved',
        text: `:white_check_mark: Fewer escalations missed their SLA: ${now}, down from ${before} the week before.`,
        weight: 5 - delta * 10,
      },
    ];
  }
  return [];
}

/**
 * "*80%* :+1: (was 60%), 5 of 8 resolutions rated": requesters' thumbs-up share against the week
 * before, with how many resolutions it rests on; undefined when nothing was resolved.
 */
function satisfactionLine(
  now: Pick<EscalationFigures, 'resolved' | 'rated' | 'satisfiedShare'>,
  before: Pick<EscalationFigures, 'satisfiedShare'> | undefined,
): string | undefined {
  if (now.satisfiedShare === null) return undefined;
  const was = before?.satisfiedShare != null ? ` (was ${describeShare(before.satisfiedShare)})` : '';
  return `*${describeShare(now.satisfiedShare)}* :+1:${was}, ${now.rated} of ${plural(now.resolved, 'resolution', 'resolutions')} rated`;
}

/** The parts that could be measured, joined: "ack 45 min · resolve 3 h". */
const measured = (parts: Array<string | false>) => parts.filter(Boolean).join(' · ');

/** The escalations section: four key figures against last week, then one line per department. */
export function renderEscalationsSection({
  current,
  previous,
  departmentNames,
  routing,
}: EscalationsDigestData): SectionView {
  const before = new Map(previous.byDepartment.map((d) => [d.departmentKey, d]));
  const departments = current.byDepartment.map((d) => {
    const name = escapeMrkdwn(departmentNames[d.departmentKey] ?? d.departmentKey);
    const trend = describeTrend({ label: '', value: d.opened, previous: before.get(d.departmentKey)?.opened ?? 0 });
    const accuracy = accuracyShare(routing?.current, d.departmentKey);
    const rest = measured([
      `${d.resolved} resolved`,
      d.medianAckMinutes !== null && `ack ${describeDuration(d.medianAckMinutes)}`,
      d.medianResolveMinutes !== null && `resolve ${describeDuration(d.medianResolveMinutes)}`,
      d.slaBreachShare !== null && `${describeShare(d.slaBreachShare)} missed SLA`,
      d.heldResolved > 0 && `${describeDuration(d.onHoldMinutes)} on hold`,
      d.misroutes > 0 && plural(d.misroutes, 'misroute', 'misroutes'),
      accuracy !== null &&
        `${describeShare(accuracy)} routed right first time (was ${describeShare(accuracyShare(routing?.previous, d.departmentKey))})`,
      d.reopened > 0 && `${d.reopened} reopened`,
      d.satisfiedShare !== null && `satisfied ${satisfactionLine(d, before.get(d.departmentKey))}`,
    ]);
    return `• *${name}* ${d.opened} opened${trend ? ` (${trend})` : ''} · ${rest}`;
  });
  const more = measured([
    current.medianResolveMinutes !== null &&
      `Median time to resolve *${describeDuration(current.medianResolveMinutes)}*`,
    // The times to resolve leave time on hold out: it is said apart.
    current.heldResolved > 0 &&
      `not counted: *${describeDuration(current.onHoldMinutes)}* on hold, across ${plural(current.heldResolved, 'resolved escalation', 'resolved escalations')}`,
    current.misroutes > 0 && `${plural(current.misroutes, 'escalation', 'escalations')} misrouted`,
    (current.reopened > 0 || previous.reopened > 0) && `${current.reopened} reopened (was ${previous.reopened})`,
    current.satisfiedShare !== null && `Requesters satisfied ${satisfactionLine(current, previous)}`,
  ]);
  return {
    title: ':rotating_light: Escalations',
    figures: [
      { label: 'Opened', value: current.opened, previous: previous.opened },
      { label: 'Resolved', value: current.resolved, previous: previous.resolved },
      {
        label: 'Median time to acknowledge',
        value: current.medianAckMinutes,
        previous: previous.medianAckMinutes,
        kind: 'minutes',
      },
      { label: 'Missed their SLA', value: current.slaBreachShare, previous: previous.slaBreachShare, kind: 'share' },
    ],
    details: [
      ...(more ? [context(more)] : []),
      // Split across blocks so a long directory never hits a section's 3,000-character limit.
      ...(departments.length > 0 ? sections(`*By department*\n${departments.join('\n')}`) : []),
    ],
  };
}

export function createEscalationsDigestSection({
  repo,
  departmentName,
}: {
  repo: EscalationsRepository;
  departmentName(key: string): Promise<string | undefined>;
}): DigestSection<EscalationsDigestData> {
  return {
    id: 'escalations',
    order: 20,
    async load({ current, previous }) {
      const thisWeek = { from: current.start, to: current.end };
      const lastWeek = { from: previous.start, to: previous.end };
      const [now, before, routedNow, routedBefore] = await Promise.all([
        repo.metrics(thisWeek),
        repo.metrics(lastWeek),
        repo.routingAccuracy(thisWeek),
        repo.routingAccuracy(lastWeek),
      ]);
      const keys = [...new Set(now.byDepartment.map((d) => d.departmentKey))];
      const names = await Promise.all(keys.map(async (key) => [key, (await departmentName(key)) ?? key] as const));
      return {
        current: now,
        previous: before,
        departmentNames: Object.fromEntries(names),
        routing: { current: routedNow, previous: routedBefore },
      };
    },
    hasData: ({ current }) =>
      current.opened > 0 ||
      current.resolved > 0 ||
      current.misroutes > 0 ||
      current.reopened > 0 ||
      current.medianAckMinutes !== null,
    render: renderEscalationsSection,
    summary: ({ current, previous }) =>
      `Escalations: ${current.opened} opened (${describeChange(current.opened, previous.opened)}), ${current.resolved} resolved${current.slaBreachShare === null ? '' : `, ${describeShare(current.slaBreachShare)} missed their SLA`}.`,
    insights: escalationInsights,
    async chart(weeks): Promise<ChartGroup> {
      return {
        label: 'Escalations opened',
        axisTitle: 'escalations',
        series: [{ name: 'opened', color: PALETTE.orange, values: await repo.weeklyOpened(weeks) }],
      };
    },
  };
}
