// Before any department exists, /escalate explains what to do instead of opening an empty form.
import { expect, it } from 'vitest';
import { useTestApp } from '../support/test-app.ts';
import { escalate, withSummary } from './helpers.ts';

const t = useTestApp();

it.each(['', 'billing Card charged twice'])('answers `/escalate %s` with how to add a department, creating nothing', async (text) => {
  expect(await escalate(t, text)).toContain('There are no departments to escalate to yet');
  expect(t.fake.callsTo('views.open')).toHaveLength(0);
  expect(await withSummary(t, 'Card charged twice')).toHaveLength(0);
});
