// PostgreSQL restarting under the app: no crash, Slack's requests refused with 503 (the replay check
// cannot run, so nothing is done and Slack retries), /healthz 503, and recovery by itself once the
// database is back.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createDepartmentsRepository } from '../../src/departments/departments.repository.ts';
import { ADMIN, startTestApp, type TestApp } from '../support/test-app.ts';
import {
  canRunThrowawayPostgres,
  startThrowawayPostgres,
  type ThrowawayPostgres,
} from '../support/throwaway-postgres.ts';

let pg: ThrowawayPostgres;
let t: TestApp;

async function frontline(text: string): Promise<string> {
  const url = t.fake.responseUrl();
  expect((await t.driver.command({ command: '/frontline', text, user_id: ADMIN, response_url: url })).status).toBe(200);
  return (await t.fake.waitForResponse((r) => url.endsWith(`/${r.id}`), 10_000)).body.text;
}

async function health(): Promise<{ status: number; body: { database: { status: string } } }> {
  const res = await fetch(`${t.baseUrl}/healthz`);
  return { status: res.status, body: (await res.json()) as { database: { status: string } } };
}

describe.runIf(canRunThrowawayPostgres)('the database going away', () => {
  beforeAll(async () => {
    pg = await startThrowawayPostgres();
    t = await startTestApp({ database: { url: pg.url, label: 'postgres', drop: async () => {} } });
  });
  afterAll(async () => {
    await t?.stop();
    pg?.destroy();
  });

  it('is reported by /healthz, refused with 503 meanwhile, and recovered from without a restart', async () => {
    expect((await health()).status).toBe(200);
    pg.stop();

    const down = await health();
    expect(down.status).toBe(503);
    expect(down.body.database.status).toBe('down');
    expect(
      (await t.driver.command({ command: '/frontline', text: 'dept add billing C0BILLING Billing', user_id: ADMIN }))
        .status,
    ).toBe(503);
    expect(t.fake.responses).toEqual([]);
    expect(t.frontline.deps.database.kind).toBe('postgres');

    pg.start();
    const deadline = Date.now() + 15_000;
    while ((await health()).status !== 200 && Date.now() < deadline) await new Promise((r) => setTimeout(r, 200));
    expect((await health()).status).toBe(200);
    expect(await frontline('dept add billing C0BILLING Billing')).toContain('Added *Billing*');
    expect(await createDepartmentsRepository(t.deps).get('billing')).toMatchObject({ channelId: 'C0BILLING' });
    expect(t.fake.violations).toEqual([]);
  });
});
