// docs/openapi.yaml is a valid OpenAPI 3.1 document and describes every HTTP route the app serves.
import { expect, it } from 'vitest';
import { features } from '../../src/features.ts';
import { callApi, openApi } from '../support/api.ts';
import { useTestApp } from '../support/test-app.ts';

const t = useTestApp();

it('is a valid OpenAPI 3.1 document', async () => {
  const doc = await openApi(); // validates against the OpenAPI 3.1 schema, or throws naming what is wrong
  expect(doc.openapi).toMatch(/^3\.1\./);
});

it('describes every route the app serves, with the same methods', async () => {
  const doc = await openApi();
  const served = [
    'GET /healthz',
    ...features.flatMap((f) =>
      (f.routes?.(t.deps) ?? []).flatMap((r) =>
        [r.method].flat().map((m) => `${m} ${r.path.replace(/:(\w+)/g, '{$1}')}`),
      ),
    ),
  ].sort();
  const documented = Object.entries(doc.paths ?? {})
    .flatMap(([path, item]) => Object.keys(item ?? {}).map((m) => `${m.toUpperCase()} ${path}`))
    .sort();
  expect(documented).toEqual(served);
});

it('describes what /healthz answers', async () => {
  const res = await callApi(t.baseUrl, 'GET', '/healthz', { token: '' });
  expect(res.body).toMatchObject({ status: 'ok' });
});
