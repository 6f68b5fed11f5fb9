// POST /api/help-requests and GET /api/help-requests/:ref: other tools ask the company and follow the answer.
import type { CustomRoute } from '@slack/bolt';
import type { Deps } from '../deps.ts';
import { isUserError } from '../errors.ts';
import { apiRoutes, HttpError, parseFields, refParam } from '../http/json-api.ts';
import { findRequester } from '../http/requester.ts';
import { formatRef } from '../short-refs.ts';
import { askBodySchema, askedBody, helpRequestBody } from './help-requests.api.ts';
import { HELP_REF } from './help-requests.models.ts';
import { askForHelp, createHelpDeps } from './help-requests.usecases.ts';

export function helpRequestRoutes(deps: Deps): CustomRoute[] {
  const useCaseDeps = createHelpDeps(deps);
  const { repo } = useCaseDeps;

  /** The same external id again: the request it asked, as it is now. */
  const alreadyAsked = async (externalId: string | undefined) => {
    const existing = externalId ? await repo.byExternalId(externalId) : undefined;
    return existing && { status: 200, body: askedBody(existing) };
  };

  return apiRoutes(deps, [
    {
      path: '/api/help-requests',
      method: 'POST',
      async handle(request) {
        const body = parseFields(askBodySchema, await request.json());
        const earlier = await alreadyAsked(body.external_id);
        if (earlier) return earlier;
        const asker = await findRequester(deps.slack, body.requester);
        // Helpers talk to the asker and the asker marks it solved: a help request needs someone in Slack.
        if (!asker.requesterId)
          throw new HttpError(400, 'Fix these fields: requester.email.', {
            fields: {
              'requester.email':
                'nobody in this Slack workspace has this address; a help request needs an asker in Slack',
            },
          });
        let asked: Awaited<ReturnType<typeof askForHelp>>;
        try {
          asked = await askForHelp(useCaseDeps, {
            askerId: asker.requesterId,
            text: body.topic ? `${body.topic}: ${body.question}` : body.question,
            context: body.context || null,
            urgency: body.urgency,
            customer: body.customer || null,
            api: { externalId: body.external_id ?? null },
          });
        } catch (error) {
          if (isUserError(error) && error.code === 'help.no_channel')
            throw new HttpError(
              409,
              'There is no help channel yet: an admin sets one with /frontline set help-channel #help.',
            );
          if (isUserError(error) && error.code === 'help.post_failed')
            throw new HttpError(502, 'Slack refused to post it in the help channel (is it private, without the app?).');
          throw error;
        }
        if (asked) return { status: 201, body: askedBody(asked) };
        const concurrent = await alreadyAsked(body.external_id);
        if (!concurrent) throw new Error('askForHelp stored nothing and no request has its external id');
        return concurrent;
      },
    },
    {
      path: '/api/help-requests/:ref',
      method: 'GET',
      async handle({ params }) {
        const number = refParam(HELP_REF, params.ref);
        const found = await repo.get(number);
        if (!found) throw new HttpError(404, `There is no help request ${formatRef(HELP_REF, number)}.`);
        return { status: 200, body: helpRequestBody(found, await repo.helpers(found.id)) };
      },
    },
  ]);
}
