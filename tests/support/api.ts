// Calls Frontline's JSON API as another tool would, and checks every answer against docs/openapi.yaml.
import SwaggerParser from '@apidevtools/swagger-parser';
import { Ajv2020 } from 'ajv/dist/2020.js';
import addFormats from 'ajv-formats';
import type { OpenAPIV3_1 } from 'openapi-types';
import { expect } from 'vitest';

export const OPENAPI_PATH = new URL('../../docs/openapi.yaml', import.meta.url).pathname;

let document: Promise<OpenAPIV3_1.Document> | undefined;
/** The OpenAPI document, validated and with every $ref resolved (read once per test file). */
export const openApi = () => (document ??= SwaggerParser.validate(OPENAPI_PATH) as Promise<OpenAPIV3_1.Document>);

const ajv = new Ajv2020({ strict: false, allErrors: true });
addFormats.default(ajv);
const validators = new Map<object, ReturnType<typeof ajv.compile>>();

/** The document's path template matching a concrete path (`/api/escalations/ESC-1` → `/api/escalations/{ref}`). */
function templateOf(doc: OpenAPIV3_1.Document, path: string): string | undefined {
  return Object.keys(doc.paths ?? {}).find((template) =>
    new RegExp(`^${template.replace(/\{[^}]+\}/g, '[^/]+')}$`).test(path),
  );
}

/** Fails the test unless the document describes this status for this route and the body fits its schema. */
export async function expectDocumented(method: string, path: string, status: number, body: unknown): Promise<void> {
  const doc = await openApi();
  const template = templateOf(doc, path);
  expect(template, `${path} is in docs/openapi.yaml`).toBeDefined();
  const item = doc.paths?.[template!] as Record<string, OpenAPIV3_1.OperationObject>;
  const operation = item[method.toLowerCase()];
  expect(operation, `${method} ${template} is in docs/openapi.yaml`).toBeDefined();
  const response = operation!.responses?.[String(status)] as OpenAPIV3_1.ResponseObject | undefined;
  expect(response, `${method} ${template} documents status ${status}`).toBeDefined();
  const schema = response!.content?.['application/json']?.schema;
  expect(schema, `${method} ${template} ${status} has a JSON schema`).toBeDefined();
  let validate = validators.get(schema!);
  if (!validate) {
    validate = ajv.compile(schema!);
    validators.set(schema!, validate);
  }
  expect(validate(body) ? [] : validate.errors, `${method} ${path} ${status} body fits docs/openapi.yaml`).toEqual([]);
}

export interface ApiAnswer {
  status: number;
  body: Record<string, unknown>;
  headers: Headers;
}

export interface ApiCallOptions {
  /** Bearer token; '' sends no Authorization header. */
  token: string;
  contentType?: string;
}

/** One call to the API; its answer is checked against docs/openapi.yaml before the test sees it. */
export async function callApi(
  baseUrl: string,
  method: 'GET' | 'POST',
  path: string,
  { token, contentType = 'application/json', body }: ApiCallOptions & { body?: unknown },
): Promise<ApiAnswer> {
  const res = await fetch(`${baseUrl}${path}`, {
    method,
    headers: {
      ...(body === undefined ? {} : { 'content-type': contentType }),
      ...(token ? { authorization: `Bearer ${token}` } : {}),
    },
    ...(body === undefined ? {} : { body: typeof body === 'string' ? body : JSON.stringify(body) }),
  });
  const answer = { status: res.status, body: (await res.json()) as Record<string, unknown>, headers: res.headers };
  await expectDocumented(method, new URL(path, baseUrl).pathname, answer.status, answer.body);
  return answer;
}
