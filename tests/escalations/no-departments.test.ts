// Before any department exists /escalate explains what to do; with only one, there is nowhere to reassign.
import { expect, it } from 'vitest';
import { createDepartmentsRepository } from '../../src/departments/departments.repository.ts';
import { useTestApp } from '../support/test-app.ts';
import { BILLING, clickForReply, escalate, raised, withSummary } from './helpers.ts';

const t = useTestApp();

it.each(['', 'billing Card charged twice'])(
  'answers `/escalate %s` with how to add a department, creating nothing',
  async (text) => {
    expect(await escalate(t, text)).toContain('There are no departments to escalate to yet');
    expect(t.fake.callsTo('views.open')).toHaveLength(0);
    expect(await withSummary(t, 'Card charged twice')).toHaveLength(0);
  },
);

it('says there is nowhere to reassign to when only one department exists', async () => {
  await createDepartmentsRepository(t.deps).upsert(BILLING);
  const e = await raised(t, 'Only team');
  expect(await clickForReply(t, 'escalation_reassign', e, 'U0ANN')).toContain(
    'There is no other department to hand it to',
  );
  expect(t.fake.callsTo('views.open')).toHaveLength(0);
});
