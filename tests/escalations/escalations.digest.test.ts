// The escalations section of the digest: numbers against last week, per department, and SLA insights.
import { describe, expect, it } from 'vitest';
import { escalationInsights, renderEscalationsSection } from '../../src/escalations/escalations.digest.ts';
import type { EscalationFigures, EscalationMetrics } from '../../src/escalations/escalations.metrics.ts';

const figures = (f: Partial<EscalationFigures> = {}): EscalationFigures => ({ opened: 0, resolved: 0, medianAckMinutes: null, medianResolveMinutes: null, slaBreachShare: null, misroutes: 0, ...f });
const metrics = (f: Partial<EscalationFigures>, byDepartment: EscalationMetrics['byDepartment'] = []): EscalationMetrics => ({ ...figures(f), byDepartment });

describe('renderEscalationsSection', () => {
  it('shows totals against last week and one line per department by name', () => {
    const current = metrics({ opened: 6, resolved: 4, medianAckMinutes: 12, medianResolveMinutes: 200, slaBreachShare: 0.5, misroutes: 1 }, [
      { departmentKey: 'billing', ...figures({ opened: 4, resolved: 3, medianAckMinutes: 10, medianResolveMinutes: 180, slaBreachShare: 0.25, misroutes: 1 }) },
      { departmentKey: 'gone', ...figures({ opened: 2, resolved: 1, medianAckMinutes: 30, medianResolveMinutes: 3000, slaBreachShare: 1 }) },
    ]);
    const previous = metrics({ opened: 3, resolved: 4, medianAckMinutes: 45, medianResolveMinutes: 120, slaBreachShare: 0.2 }, [{ departmentKey: 'billing', ...figures({ opened: 3 }) }]);
    const text = JSON.stringify(renderEscalationsSection({ current, previous, departmentNames: { billing: 'Billing' } }));
    expect(text).toContain('*6* opened (+100% vs 3 the week before) · *4* resolved (was 4)');
    expect(text).toContain('Median time to acknowledge *12 min* (was 45 min) · to resolve *3 h 20 min* (was 2 h)');
    expect(text).toContain('*50%* missed their SLA (was 20%) · *1* misrouted (was 0)');
    expect(text).toContain('• *Billing* 4 opened (+33%) · 3 resolved · ack 10 min · resolve 3 h · 25% missed SLA · 1 misroute');
    expect(text).toContain('• *gone* 2 opened (new) · 1 resolved · ack 30 min · resolve 2.1 days · 100% missed SLA');
  });

  it('uses dashes where nothing could be measured', () => {
    const text = JSON.stringify(renderEscalationsSection({ current: metrics({ resolved: 1, medianResolveMinutes: 90 }), previous: metrics({}), departmentNames: {} }));
    expect(text).toContain('*0* opened (no change vs 0 the week before) · *1* resolved (was 0)');
    expect(text).toContain('Median time to acknowledge *–* (was –) · to resolve *1 h 30 min* (was –)');
    expect(text).toContain('None opened to measure against the SLA (was –) · *0* misrouted (was 0)');
    expect(text).not.toContain('By department');
  });

  it('escapes department names and splits a long directory across blocks', () => {
    const byDepartment = Array.from({ length: 40 }, (_, i) => ({ departmentKey: `dept-${i}`, ...figures({ opened: 1, medianAckMinutes: 5, slaBreachShare: 0 }) }));
    const names = Object.fromEntries(byDepartment.map((d) => [d.departmentKey, `Returns & <refunds> ${d.departmentKey}`]));
    const blocks = renderEscalationsSection({ current: metrics({ opened: 40 }, byDepartment), previous: metrics({}), departmentNames: names });
    const texts = blocks.map((b) => (b as { text: { text: string } }).text.text);
    expect(texts.length).toBeGreaterThan(2);
    expect(texts.every((t) => t.length <= 3000)).toBe(true);
    expect(texts.join('\n')).toContain('• *Returns &amp; &lt;refunds&gt; dept-39* 1 opened (new)');
  });
});

describe('escalationInsights', () => {
  const week = (opened: number, slaBreachShare: number | null) => ({ current: metrics({ opened, slaBreachShare }), previous: metrics({ opened: 5, slaBreachShare: 0.2 }), departmentNames: {} });

  it('calls out a notably higher or lower SLA breach share', () => {
    expect(escalationInsights(week(5, 0.6))).toEqual([{ kind: 'declined', text: ':warning: More escalations missed their SLA: 60%, up from 20% the week before.', weight: 10 }]);
    expect(escalationInsights(week(5, 0))).toEqual([{ kind: 'improved', text: ':white_check_mark: Fewer escalations missed their SLA: 0%, down from 20% the week before.', weight: 7 }]);
  });

  it('stays quiet on a steady share or too few escalations', () => {
    expect(escalationInsights(week(5, 0.3))).toEqual([]);
    expect(escalationInsights(week(2, 1))).toEqual([]);
    expect(escalationInsights(week(5, null))).toEqual([]);
  });
});
