// POST /api/feedback: feedback from other tools (help desk, email forwarder), authenticated by a bearer token.
import { createHash, timingSafeEqual } from 'node:crypto';
import type { IncomingMessage, ServerResponse } from 'node:http';
import type { CustomRoute } from '@slack/bolt';
import { z } from 'zod';
import type { Deps } from '../deps.ts';
import { customerSchema, FEEDBACK_SOURCES, feedbackTextSchema, themeNameSchema } from './feedback.models.ts';
import { createFeedbackRepository } from './feedback.repository.ts';
import { captureExternalFeedback } from './feedback.usecases.ts';

export const MAX_BODY_BYTES = 64 * 1024;

export const webhookBodySchema = z.strictObject({
  text: feedbackTextSchema,
  customer: customerSchema.optional(),
  source: z.enum(FEEDBACK_SOURCES).optional(),
  themes: z.array(themeNameSchema).max(20).optional(),
  external_id: z.string().trim().min(1).max(200).optional(),
  received_at: z.iso.datetime({ offset: true, error: 'must be an ISO 8601 date-time such as 2026-11-20T14:30:00Z' }).optional(),
});

class HttpError extends Error {
  constructor(
    readonly status: number,
    message: string,
  ) {
    super(message);
  }
}

const digest = (s: string) => createHash('sha256').update(s).digest();

/** Compares hashes so the time taken says nothing about how much of the token matched. */
function isAuthorized(header: string | undefined, token: string | undefined): boolean {
  if (!token) return false; // no token configured: the endpoint is closed
  const given = /^Bearer (.+)$/i.exec(header ?? '')?.[1] ?? '';
  return timingSafeEqual(digest(given), digest(token));
}

async function readBody(req: IncomingMessage): Promise<string> {
  if (Number(req.headers['content-length'] ?? 0) > MAX_BODY_BYTES) throw new HttpError(413, `The body is over ${MAX_BODY_BYTES / 1024} KB.`);
  const chunks: Buffer[] = [];
  let size = 0;
  for await (const chunk of req as AsyncIterable<Buffer>) {
    size += chunk.length;
    if (size > MAX_BODY_BYTES) throw new HttpError(413, `The body is over ${MAX_BODY_BYTES / 1024} KB.`);
    chunks.push(chunk);
  }
  return Buffer.concat(chunks).toString('utf8');
}

function parseBody(raw: string) {
  let json: unknown;
  try {
    json = JSON.parse(raw);
  } catch (error) {
    throw new HttpError(400, `The body is not valid JSON: ${(error as Error).message}`);
  }
  const parsed = webhookBodySchema.safeParse(json);
  if (!parsed.success) {
    const issue = parsed.error.issues[0]!;
    const field = issue.path.length > 0 ? issue.path.join('.') : issue.code === 'unrecognized_keys' ? issue.keys.join(', ') : 'body';
    throw new HttpError(400, `${field}: ${issue.message}`);
  }
  return parsed.data;
}

const send = (res: ServerResponse, status: number, body: object) => {
  res.writeHead(status, { 'content-type': 'application/json' });
  res.end(JSON.stringify(body));
};

export function feedbackRoutes(deps: Deps): CustomRoute[] {
  const useCaseDeps = { repo: createFeedbackRepository(deps), clock: deps.clock };
  const handle = async (req: IncomingMessage, res: ServerResponse) => {
    try {
      if (!isAuthorized(req.headers.authorization, deps.config.webhookToken)) {
        res.setHeader('www-authenticate', 'Bearer');
        throw new HttpError(401, 'Send Authorization: Bearer <FRONTLINE_WEBHOOK_TOKEN>.');
      }
      if (!/^application\/json\s*(;|$)/i.test(req.headers['content-type'] ?? '')) throw new HttpError(415, 'Send Content-Type: application/json.');
      const body = parseBody(await readBody(req));
      const result = await captureExternalFeedback(useCaseDeps, {
        text: body.text,
        customer: body.customer ?? null,
        source: body.source ?? 'other',
        themes: body.themes ?? [],
        ...(body.external_id ? { externalId: body.external_id } : {}),
        ...(body.received_at ? { receivedAt: new Date(body.received_at) } : {}),
      });
      send(res, result.created ? 201 : 200, { id: result.id });
    } catch (error) {
      if (error instanceof HttpError) send(res, error.status, { error: error.message });
      else {
        deps.logger.error({ err: error }, 'feedback webhook failed');
        send(res, 500, { error: 'Something went wrong on our side; nothing was stored. Try again later.' });
      }
    }
  };
  return [{ path: '/api/feedback', method: ['POST'], handler: (req, res) => void handle(req, res) }];
}
