// The escalations section of the digest: numbers against last week, per department, and SLA insights.
import { describe, expect, it } from 'vitest';
import { renderSectionView } from '../../src/digests/digests.models.ts';
import { escalationInsights, renderEscalationsSection } from '../../src/escalations/escalations.digest.ts';
import type { EscalationFigures, EscalationMetrics } from '../../src/escalations/escalations.metrics.ts';

const figures = (f: Partial<EscalationFigures> = {}): EscalationFigures => ({
  opened: 0,
  resolved: 0,
  medianAckMinutes: null,
  medianResolveMinutes: null,
  onHoldMinutes: 0,
  heldResolved: 0,
  slaBreachShare: null,
  misroutes: 0,
  rated: 0,
  satisfiedShare: null,
  reopened: 0,
  ...f,
});
const metrics = (
  f: Partial<EscalationFigures>,
  byDepartment: EscalationMetrics['byDepartment'] = [],
): EscalationMetrics => ({ ...figures(f), byDepartment });

describe('renderEscalationsSection', () => {
  it('shows totals against last week and one line per department by name', () => {
    const current = metrics(
      { opened: 6, resolved: 4, medianAckMinutes: 12, medianResolveMinutes: 200, slaBreachShare: 0.5, misroutes: 1 },
      [
        {
          departmentKey: 'billing',
          ...figures({
            opened: 4,
            resolved: 3,
            medianAckMinutes: 10,
            medianResolveMinutes: 180,
            slaBreachShare: 0.25,
            misroutes: 1,
          }),
        },
        {
          departmentKey: 'gone',
          ...figures({ opened: 2, resolved: 1, medianAckMinutes: 30, medianResolveMinutes: 3000, slaBreachShare: 1 }),
        },
      ],
    );
    const previous = metrics(
      { opened: 3, resolved: 4, medianAckMinutes: 45, medianResolveMinutes: 120, slaBreachShare: 0.2 },
      [{ departmentKey: 'billing', ...figures({ opened: 3 }) }],
    );
    const view = renderEscalationsSection({ current, previous, departmentNames: { billing: 'Billing' } });
    expect(view.title).toBe(':rotating_light: Escalations');
    expect(renderSectionView(view)[1]).toEqual({
      type: 'section',
      fields: [
        'Opened\n*6*   ↑ 100%',
        'Resolved\n*4*   no change',
        'Median time to acknowledge\n*12 min*   ↓ 73%',
        'Missed their SLA\n*50%*   ↑ 30 pts',
      ].map((text) => ({ type: 'mrkdwn', text })),
    });
    const text = JSON.stringify(view.details);
    expect(text).toContain('Median time to resolve *3 h 20 min* · 1 escalation misrouted');
    expect(text).toContain(
      '• *Billing* 4 opened (↑ 33%) · 3 resolved · ack 10 min · resolve 3 h · 25% missed SLA · 1 misroute',
    );
    expect(text).toContain(
      '• *gone* 2 opened (↑ from 0) · 1 resolved · ack 30 min · resolve 2.1 days · 100% missed SLA',
    );
  });

  it('shows the share routed right first time per department against the week before', () => {
    const current = metrics({ opened: 4 }, [{ departmentKey: 'billing', ...figures({ opened: 4 }) }]);
    const text = JSON.stringify(
      renderEscalationsSection({
        current,
        previous: metrics({}),
        departmentNames: { billing: 'Billing' },
        routing: {
          current: [{ departmentKey: 'billing', rightFirstTime: 9, settled: 10 }],
          previous: [{ departmentKey: 'billing', rightFirstTime: 3, settled: 4 }],
        },
      }),
    );
    expect(text).toContain('· 90% routed right first time (was 75%)');
  });

  it('reports time on hold apart from the time to resolve, and reopened escalations per department', () => {
    const held = { resolved: 2, medianResolveMinutes: 130, onHoldMinutes: 5520, heldResolved: 1, reopened: 1 };
    const text = JSON.stringify(
      renderEscalationsSection({
        current: metrics(held, [{ departmentKey: 'billing', ...figures({ opened: 1, ...held }) }]),
        previous: metrics({}),
        departmentNames: { billing: 'Billing' },
      }).details,
    );
    expect(text).toContain(
      'Median time to resolve *2 h 10 min* · not counted: *3.8 days* on hold, across 1 resolved escalation · 1 reopened (was 0)',
    );
    expect(text).toContain('resolve 2 h 10 min · 3.8 days on hold · 1 reopened');
  });

  it('leaves out what could not be measured', () => {
    const text = JSON.stringify(
      renderSectionView(
        renderEscalationsSection({
          current: metrics({ resolved: 1, medianResolveMinutes: 90 }),
          previous: metrics({}),
          departmentNames: {},
        }),
      ),
    );
    expect(text).toContain('Opened\\n*0*   no change');
    expect(text).toContain('Resolved\\n*1*   ↑ from 0');
    expect(text).toContain('Median time to resolve *1 h 30 min*');
    expect(text).not.toMatch(/acknowledge|SLA|–|was|misrouted/);
    expect(text).not.toContain('By department');
  });

  it('escapes department names and splits a long directory across blocks', () => {
    const byDepartment = Array.from({ length: 40 }, (_, i) => ({
      departmentKey: `dept-${i}`,
      ...figures({ opened: 1, medianAckMinutes: 5, slaBreachShare: 0 }),
    }));
    const names = Object.fromEntries(
      byDepartment.map((d) => [d.departmentKey, `Returns & <refunds> ${d.departmentKey}`]),
    );
    const { details: blocks = [] } = renderEscalationsSection({
      current: metrics({ opened: 40 }, byDepartment),
      previous: metrics({}),
      departmentNames: names,
    });
    const texts = blocks.map((b) => (b as { text: { text: string } }).text.text);
    expect(texts.length).toBeGreaterThan(1);
    expect(texts.every((t) => t.length <= 3000)).toBe(true);
    expect(texts.join('\n')).toContain('• *Returns &amp; &lt;refunds&gt; dept-39* 1 opened (↑ from 0)');
  });
});

describe('escalationInsights', () => {
  const week = (opened: number, slaBreachShare: number | null) => ({
    current: metrics({ opened, slaBreachShare }),
    previous: metrics({ opened: 5, slaBreachShare: 0.2 }),
    departmentNames: {},
  });

  it('calls out a notably higher or lower SLA breach share', () => {
    expect(escalationInsights(week(5, 0.6))).toEqual([
      {
        kind: 'declined',
        text: ':warning: More escalations missed their SLA: 60%, up from 20% the week before.',
        weight: 10,
      },
    ]);
    expect(escalationInsights(week(5, 0))).toEqual([
      {
        kind: 'improved',
        text: ':white_check_mark: Fewer escalations missed their SLA: 0%, down from 20% the week before.',
        weight: 7,
      },
    ]);
  });

  it('stays quiet on a steady share or too few escalations', () => {
    expect(escalationInsights(week(5, 0.3))).toEqual([]);
    expect(escalationInsights(week(2, 1))).toEqual([]);
    expect(escalationInsights(week(5, null))).toEqual([]);
  });
});
