// Posts to the feedback webhook (POST /api/feedback) the way another tool would.
import { expectDocumented } from './api.ts';

export interface WebhookPostOptions {
  /** Bearer token; empty sends no Authorization header. */
  token: string;
  contentType?: string;
}

/** Posts `body` (JSON-encoded unless already a string) to `${baseUrl}/api/feedback`; the answer must be as docs/openapi.yaml says. */
export async function postFeedback(
  baseUrl: string,
  body: unknown,
  { token, contentType = 'application/json' }: WebhookPostOptions,
): Promise<Response> {
  const res = await fetch(`${baseUrl}/api/feedback`, {
    method: 'POST',
    headers: { 'content-type': contentType, ...(token ? { authorization: `Bearer ${token}` } : {}) },
    body: typeof body === 'string' ? body : JSON.stringify(body),
  });
  await expectDocumented('POST', '/api/feedback', res.status, await res.clone().json());
  return res;
}
