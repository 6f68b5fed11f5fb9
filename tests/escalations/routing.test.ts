// Suggesting a team: measured on a fixed corpus, and driven through /escalate and its buttons.
import { beforeAll, describe, expect, it } from 'vitest';
import { createDepartmentsRepository } from '../../src/departments/departments.repository.ts';
import { createEscalationsRepository } from '../../src/escalations/escalations.repository.ts';
import { escalations } from '../../src/escalations/escalations.table.ts';
import { suggestTeam } from '../../src/escalations/routing.usecases.ts';
import { field, stateValues } from '../support/payloads.ts';
import { useTestApp } from '../support/test-app.ts';
import { NEW_ESCALATIONS, pastEscalations, ROUTING_DEPARTMENTS } from './fixtures/routing-corpus.ts';
import { AGENT, PATIENCE_MS, withSummary } from './helpers.ts';

const t = useTestApp();

beforeAll(async () => {
  const departments = createDepartmentsRepository(t.deps);
  for (const d of ROUTING_DEPARTMENTS)
    await departments.upsert({ key: d.key, name: d.name, channelId: `C0${d.key.toUpperCase()}`, keywords: d.keywords });
  const at = new Date('2026-02-01T10:00:00Z');
  const due = { ackDueAt: at, ackAlertAt: at, resolveDueAt: at, createdAt: at, updatedAt: at };
  await t.deps.db.insert(escalations).values(
    pastEscalations().map((p) => ({
      ...p,
      ...due,
      priority: 'normal' as const,
      requesterId: AGENT,
      ...(p.status === 'resolved' ? { resolvedAt: at, resolvedBy: 'U0OLD', resolution: 'Done' } : {}),
    })),
  );
});

describe('the suggested team on a fixed corpus', () => {
  it('is right for at least 85% of texts, and 95% of those naming a keyword', async () => {
    expect(pastEscalations().filter((p) => p.status === 'resolved')).toHaveLength(150);
    expect(NEW_ESCALATIONS.length).toBeGreaterThanOrEqual(60);
    const deps = { repo: createEscalationsRepository(t.deps), departments: createDepartmentsRepository(t.deps) };
    const wrong: string[] = [];
    let right = 0;
    let rightWithKeyword = 0;
    for (const { text, expected, keyword } of NEW_ESCALATIONS) {
      const got = (await suggestTeam(deps, { text }))?.department.key;
      if (got === expected) {
        right++;
        if (keyword) rightWithKeyword++;
      } else wrong.push(`${text} → ${got ?? 'nothing'} (expected ${expected})`);
    }
    const withKeyword = NEW_ESCALATIONS.filter((e) => e.keyword).length;
    console.info(
      `routing: ${right}/${NEW_ESCALATIONS.length} right; naming a keyword ${rightWithKeyword}/${withKeyword}`,
      wrong,
    );
    expect(right / NEW_ESCALATIONS.length, wrong.join('\n')).toBeGreaterThanOrEqual(0.85);
    expect(rightWithKeyword / withKeyword, wrong.join('\n')).toBeGreaterThanOrEqual(0.95);
  });
});

describe('/escalate <text> without a team', () => {
  async function suggestionFor(text: string) {
    const url = t.fake.responseUrl();
    await t.driver.command({ command: '/escalate', text, user_id: AGENT, response_url: url });
    return (await t.fake.waitForResponse((r) => url.endsWith(`/${r.id}`), PATIENCE_MS)).body;
  }
  const buttons = (body: { blocks?: unknown }) =>
    (body.blocks as { type: string; elements?: { action_id: string; value: string; text: { text: string } }[] }[])
      .filter((b) => b.type === 'actions')
      .flatMap((b) => b.elements ?? []);

  it('suggests the team with its reason, and Send to creates it there once', async () => {
    const body = await suggestionFor('Refund missing on the December invoice');
    expect(body.response_type).toBe('ephemeral');
    expect(JSON.stringify(body.blocks)).toMatch(/looks like one for \*Billing\*: matches invoice, refund/);
    const [send, pick] = buttons(body);
    expect([send?.text.text, pick?.text.text]).toEqual(['Send to Billing', 'Pick another team']);
    expect(await withSummary(t, 'Refund missing on the December invoice')).toHaveLength(0);

    const url = t.fake.responseUrl();
    const click = () =>
      t.driver.blockAction({ action_id: send!.action_id, value: send!.value, user_id: AGENT, response_url: url });
    await Promise.all([click(), click()]);
    const reply = await t.fake.waitForResponse(
      (r) => url.endsWith(`/${r.id}`) && String(r.body.text).includes('Escalated'),
      PATIENCE_MS,
    );
    expect(reply.body.replace_original).toBe(true);
    const rows = await withSummary(t, 'Refund missing on the December invoice');
    expect(rows.map((r) => r.departmentKey)).toEqual(['billing']);
  });

  it('says how many similar escalations a team resolved when no keyword is named', async () => {
    const body = await suggestionFor('Shipment held at customs');
    expect(JSON.stringify(body.blocks)).toMatch(/one for \*Shipping\*: \d+ similar escalations resolved by Shipping/);
  });

  it('opens the form with the summary typed for Pick another team', async () => {
    const body = await suggestionFor('Laptop stolen from car');
    const pick = buttons(body).find((b) => b.action_id === 'escalation_pick_another_team')!;
    await t.driver.blockAction({ action_id: pick.action_id, value: pick.value, user_id: AGENT });
    const view = JSON.stringify((await t.fake.waitForCall('views.open')).args.view);
    expect(view).toContain('"initial_value":"Laptop stolen from car"');
    expect(view).not.toContain('initial_option":{"text":{"type":"plain_text","text":"IT');
  });

  it('picks the suggested team in the form as the summary is typed, never over a team picked by hand', async () => {
    const typing = (summary: string, department?: string, suggested = '') =>
      t.driver.blockAction({
        action_id: 'summary',
        block_id: 'escalation_summary',
        type: 'plain_text_input',
        action: { value: summary },
        user_id: AGENT,
        view: {
          id: 'V0TYPING',
          callback_id: 'escalation_raise',
          private_metadata: suggested && JSON.stringify({ suggestedKey: suggested }),
          values: stateValues({
            'escalation_summary/summary': field.text(summary),
            'escalation_department/department': field.select(department ?? null),
          }),
        },
      });
    await typing('Parcel never came');
    const update = await t.fake.waitForCall('views.update');
    const view = update.args.view as { private_metadata: string };
    expect(JSON.parse(view.private_metadata)).toEqual({ suggestedKey: 'shipping' });
    expect(JSON.stringify(view)).toContain('Suggested: *Shipping* (matches parcel)');
    expect(JSON.stringify(view)).toMatch(/"initial_option":\{"text":\{[^}]*"Shipping"/);

    // The person picked Legal: typing on changes nothing.
    t.fake.reset();
    await typing('Parcel never came, refund please', 'legal', 'shipping');
    await new Promise((resolve) => setTimeout(resolve, 300));
    expect(t.fake.callsTo('views.update')).toHaveLength(0);
  });

  it('refuses a forged suggestion button', async () => {
    const url = t.fake.responseUrl();
    await t.driver.blockAction({
      action_id: 'escalation_send_suggested',
      value: 'not json',
      user_id: AGENT,
      response_url: url,
    });
    const reply = await t.fake.waitForResponse((r) => url.endsWith(`/${r.id}`), PATIENCE_MS);
    expect(reply.body.text).toContain('no longer valid');
  });
});
