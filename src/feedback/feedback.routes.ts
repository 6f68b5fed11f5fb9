// POST /api/feedback: feedback from other tools (help desk, email forwarder), authenticated by a bearer token.
import type { IncomingMessage, ServerResponse } from 'node:http';
import type { CustomRoute } from '@slack/bolt';
import { z } from 'zod';
import type { Deps } from '../deps.ts';
import { bearerMatches, HttpError, parseJson, readBody, requireJson, sendJson } from '../http/json-api.ts';
import { customerSchema, FEEDBACK_SOURCES, feedbackTextSchema, themeNameSchema } from './feedback.models.ts';
import { createFeedbackRepository } from './feedback.repository.ts';
import { captureExternalFeedback } from './feedback.usecases.ts';

export const webhookBodySchema = z.strictObject({
  text: feedbackTextSchema,
  customer: customerSchema.optional(),
  source: z.enum(FEEDBACK_SOURCES).optional(),
  themes: z.array(themeNameSchema).max(20).optional(),
  external_id: z.string().trim().min(1).max(200).optional(),
  received_at: z.iso
    .datetime({ offset: true, error: 'must be an ISO 8601 date-time such as 2026-11-20T14:30:00Z' })
    .optional(),
});

function parseBody(raw: string) {
  const parsed = webhookBodySchema.safeParse(parseJson(raw));
  if (!parsed.success) {
    const issue = parsed.error.issues[0]!;
    const field =
      issue.path.length > 0
        ? issue.path.join('.')
        : issue.code === 'unrecognized_keys'
          ? issue.keys.join(', ')
          : 'body';
    throw new HttpError(400, `${field}: ${issue.message}`);
  }
  return parsed.data;
}

export function feedbackRoutes(deps: Deps): CustomRoute[] {
  const useCaseDeps = {
    repo: createFeedbackRepository(deps),
    clock: deps.clock,
    db: deps.db,
    events: deps.events,
    messages: deps.messages,
  };
  const handle = async (req: IncomingMessage, res: ServerResponse) => {
    try {
      if (!bearerMatches(req.headers.authorization, deps.config.webhookToken)) {
        res.setHeader('www-authenticate', 'Bearer');
        throw new HttpError(401, 'Send Authorization: Bearer <FRONTLINE_WEBHOOK_TOKEN>.');
      }
      requireJson(req);
      const body = parseBody(await readBody(req));
      const result = await captureExternalFeedback(useCaseDeps, {
        text: body.text,
        customer: body.customer ?? null,
        source: body.source ?? 'other',
        themes: body.themes ?? [],
        ...(body.external_id ? { externalId: body.external_id } : {}),
        ...(body.received_at ? { receivedAt: new Date(body.received_at) } : {}),
      });
      sendJson(res, result.created ? 201 : 200, { id: result.id });
    } catch (error) {
      if (error instanceof HttpError) sendJson(res, error.status, { error: error.message });
      else {
        deps.logger.error({ err: error }, 'feedback webhook failed');
        sendJson(res, 500, { error: 'Something went wrong on our side; nothing was stored. Try again later.' });
      }
    }
  };
  return [{ path: '/api/feedback', method: ['POST'], handler: (req, res) => void handle(req, res) }];
}
