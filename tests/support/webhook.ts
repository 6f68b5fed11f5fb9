// Posts to the feedback webhook (POST /api/feedback) the way another tool would.

export interface WebhookPostOptions {
  /** Bearer token; empty sends no Authorization header. */
  token: string;
  contentType?: string;
}

/** Posts `body` (JSON-encoded unless already a string) to `${baseUrl}/api/feedback`. */
export function postFeedback(baseUrl: string, body: unknown, { token, contentType = 'application/json' }: WebhookPostOptions): Promise<Response> {
  return fetch(`${baseUrl}/api/feedback`, {
    method: 'POST',
    headers: { 'content-type': contentType, ...(token ? { authorization: `Bearer ${token}` } : {}) },
    body: typeof body === 'string' ? body : JSON.stringify(body),
  });
}
