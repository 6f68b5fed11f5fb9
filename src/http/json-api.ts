// The edge of the JSON APIs other tools call (/api/...): bearer tokens, a body cap, zod errors named
// by field, a rate limit, and one place where errors become answers.
import { createHash, timingSafeEqual } from 'node:crypto';
import type { IncomingMessage, ServerResponse } from 'node:http';
import type { CustomRoute } from '@slack/bolt';
import type { ParamsIncomingMessage } from '@slack/bolt/dist/receivers/ParamsIncomingMessage.js';
import type { ZodType } from 'zod';
import type { Deps } from '../deps.ts';
import { formatRef, parseRef, type RefPrefix } from '../short-refs.ts';
import { HALF_CHARACTER, loneSurrogateAt } from '../well-formed-text.ts';
import { createRateLimit } from './rate-limit.ts';

/** The most a JSON API body may be; nothing past it is read. */
export const MAX_BODY_BYTES = 64 * 1024;

/** An answer other than success, with its status and a message for the developer calling. */
export class HttpError extends Error {
  constructor(
    readonly status: number,
    message: string,
    /** More to say in the body, such as which fields were bad. */
    readonly extra: Record<string, unknown> = {},
    readonly headers: Record<string, string> = {},
  ) {
    super(message);
  }
}

const digest = (s: string) => createHash('sha256').update(s).digest();

/** Compares hashes so the time taken says nothing about how much of the token matched. */
export function bearerMatches(header: string | undefined, token: string | undefined): boolean {
  if (!token) return false; // no token configured: the endpoint is closed
  const given = /^Bearer (.+)$/i.exec(header ?? '')?.[1] ?? '';
  return timingSafeEqual(digest(given), digest(token));
}

const tooLarge = () => new HttpError(413, `The body is over ${MAX_BODY_BYTES / 1024} KB.`);

/** Reads the body, refusing (413) one declared or found to be over MAX_BODY_BYTES before reading past it. */
export async function readBody(req: IncomingMessage): Promise<string> {
  if (Number(req.headers['content-length'] ?? 0) > MAX_BODY_BYTES) throw tooLarge();
  const chunks: Buffer[] = [];
  let size = 0;
  for await (const chunk of req as AsyncIterable<Buffer>) {
    size += chunk.length;
    if (size > MAX_BODY_BYTES) throw tooLarge();
    chunks.push(chunk);
  }
  return Buffer.concat(chunks).toString('utf8');
}

/** Refuses (415) anything but JSON. */
export function requireJson(req: IncomingMessage): void {
  if (!/^application\/json\s*(;|$)/i.test(req.headers['content-type'] ?? ''))
    throw new HttpError(415, 'Send Content-Type: application/json.');
}

/** JSON.parse, refusing (400) what is not JSON, and text holding half a character (naming its field). */
export function parseJson(raw: string): unknown {
  let json: unknown;
  try {
    json = JSON.parse(raw);
  } catch (error) {
    throw new HttpError(400, `The body is not valid JSON: ${(error as Error).message}`);
  }
  const halfCharacter = loneSurrogateAt(json);
  if (halfCharacter !== undefined) {
    const field = halfCharacter.join('.') || 'body';
    throw new HttpError(400, `Fix these fields: ${field}.`, { fields: { [field]: HALF_CHARACTER } });
  }
  return json;
}

/** The number in a path's reference (`ESC-42`, `esc-42`, `42`), or a 400 naming it. */
export function refParam(prefix: RefPrefix, text: string | undefined): number {
  const number = parseRef(prefix, text ?? '');
  if (number === undefined)
    throw new HttpError(400, 'Fix these fields: ref.', {
      fields: { ref: `must be a reference such as ${formatRef(prefix, 42)}` },
    });
  return number;
}

/** `value` read by `schema`, or a 400 naming every bad field (`requester.email`) and what is wrong with it. */
export function parseFields<T>(schema: ZodType<T>, value: unknown): T {
  const parsed = schema.safeParse(value);
  if (parsed.success) return parsed.data;
  const fields: Record<string, string> = {};
  for (const issue of parsed.error.issues) {
    const names =
      issue.code === 'unrecognized_keys'
        ? issue.keys.map((key) => [...issue.path, key].join('.'))
        : [issue.path.length > 0 ? issue.path.join('.') : 'body'];
    for (const name of names)
      fields[name] ??= issue.code === 'unrecognized_keys' ? 'is not a field this endpoint takes' : issue.message;
  }
  throw new HttpError(400, `Fix these fields: ${Object.keys(fields).join(', ')}.`, { fields });
}

export const sendJson = (res: ServerResponse, status: number, body: object, headers: Record<string, string> = {}) => {
  res.writeHead(status, { 'content-type': 'application/json', ...headers });
  res.end(JSON.stringify(body));
};

/** What a route handler gets: the request, its path parameters and its body read as JSON (once asked). */
export interface ApiRequest {
  req: IncomingMessage;
  params: Record<string, string>;
  json(): Promise<unknown>;
}

export interface ApiRoute {
  path: string;
  method: 'GET' | 'POST';
  handle(request: ApiRequest): Promise<{ status: number; body: object }>;
}

export const API_TOKEN_VARIABLE = 'FRONTLINE_API_TOKEN';
/** Per token, per minute: enough for a helpdesk's triggers, not for a loop gone wrong. */
export const API_REQUESTS_PER_MINUTE = 60;

/**
 * Serves `routes` behind FRONTLINE_API_TOKEN (the API is off without it: every call answers 401),
 * a limit of 60 requests a minute per token (429), and one error handler: HttpError answers as
 * itself, anything else is logged and answers 500.
 */
export function apiRoutes(deps: Deps, routes: ApiRoute[]): CustomRoute[] {
  const token = deps.config.apiToken;
  const limit = createRateLimit(deps, { limit: API_REQUESTS_PER_MINUTE, windowMs: 60_000 });
  const serve = async (route: ApiRoute, req: ParamsIncomingMessage, res: ServerResponse) => {
    try {
      if (!bearerMatches(req.headers.authorization, token))
        throw new HttpError(
          401,
          token
            ? `Send Authorization: Bearer <${API_TOKEN_VARIABLE}>.`
            : `The API is off on this server: its operator has not set ${API_TOKEN_VARIABLE}.`,
          {},
          { 'www-authenticate': 'Bearer' },
        );
      const taken = await limit.take(`api:${digest(token ?? '').toString('hex')}`);
      if (!taken.allowed)
        throw new HttpError(
          429,
          `Over ${API_REQUESTS_PER_MINUTE} requests a minute: try again in ${taken.retryAfterS} s.`,
          {},
          { 'retry-after': String(taken.retryAfterS) },
        );
      const answer = await route.handle({
        req,
        params: Object.fromEntries(Object.entries(req.params ?? {}).map(([k, v]) => [k, String(v)])),
        json: async () => {
          requireJson(req);
          return parseJson(await readBody(req));
        },
      });
      sendJson(res, answer.status, answer.body);
    } catch (error) {
      if (error instanceof HttpError)
        sendJson(res, error.status, { error: error.message, ...error.extra }, error.headers);
      else {
        deps.logger.error({ err: error, path: route.path }, 'API request failed');
        sendJson(res, 500, { error: 'Something went wrong on our side. Try again later.' });
      }
    }
  };
  return routes.map((route) => ({
    path: route.path,
    method: [route.method],
    handler: (req, res) => void serve(route, req, res),
  }));
}
