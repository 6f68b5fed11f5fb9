// POST /api/escalations and GET /api/escalations/:ref: helpdesks raise and follow escalations.
import type { CustomRoute } from '@slack/bolt';
import type { Deps } from '../deps.ts';
import { isUserError } from '../errors.ts';
import { apiRoutes, HttpError, parseFields, refParam } from '../http/json-api.ts';
import { findRequester } from '../http/requester.ts';
import { formatRef } from '../short-refs.ts';
import { createdBody, escalationBody, raiseBodySchema } from './escalations.api.ts';
import { ESCALATION_REF } from './escalations.models.ts';
import { createEscalationDeps, raiseEscalation } from './escalations.usecases.ts';

export function escalationRoutes(deps: Deps): CustomRoute[] {
  const useCaseDeps = createEscalationDeps(deps);
  const { repo, departments } = useCaseDeps;

  const unknownDepartment = async (key: string) => {
    const known = await departments.list();
    return new HttpError(
      404,
      known.length > 0
        ? `There is no department "${key}". Known departments: ${known.map((d) => d.key).join(', ')}.`
        : `There is no department "${key}": none is set up yet (an admin adds one with /frontline dept add).`,
      { known_departments: known.map((d) => ({ key: d.key, name: d.name })) },
    );
  };

  /** The same external id again: the escalation it raised, as it is now. */
  const alreadyRaised = async (externalId: string | undefined) => {
    const existing = externalId ? await repo.byExternalId(externalId) : undefined;
    return existing && { status: 200, body: createdBody(existing) };
  };

  return apiRoutes(deps, [
    {
      path: '/api/escalations',
      method: 'POST',
      async handle(request) {
        const body = parseFields(raiseBodySchema, await request.json());
        const earlier = await alreadyRaised(body.external_id);
        if (earlier) return earlier;
        const requester = await findRequester(deps.slack, body.requester);
        let raised: Awaited<ReturnType<typeof raiseEscalation>>;
        try {
          raised = await raiseEscalation(useCaseDeps, {
            requester,
            input: {
              departmentKey: body.department,
              priority: body.priority,
              summary: body.summary,
              details: body.details ?? null,
              customer: body.customer ?? null,
              link: body.link ?? null,
            },
            api: { externalId: body.external_id ?? null, fields: body.fields ?? null },
          });
        } catch (error) {
          // The use case checks the department, as it does for Slack: here the answer is a 404 listing the known ones.
          if (
            isUserError(error) &&
            ['escalations.unknown_department', 'escalations.no_departments'].includes(error.code)
          )
            throw await unknownDepartment(body.department);
          throw error;
        }
        if (raised) return { status: 201, body: createdBody(raised.escalation) };
        // Another call with the same external id raised it a moment ago.
        const concurrent = await alreadyRaised(body.external_id);
        if (!concurrent) throw new Error('raiseEscalation stored nothing and no escalation has its external id');
        return concurrent;
      },
    },
    {
      path: '/api/escalations/:ref',
      method: 'GET',
      async handle({ params }) {
        const number = refParam(ESCALATION_REF, params.ref);
        const e = await repo.byNumber(number);
        if (!e) throw new HttpError(404, `There is no escalation ${formatRef(ESCALATION_REF, number)}.`);
        const reassignedTo = e.reassignedToId ? await repo.get(e.reassignedToId) : undefined;
        const departmentName = (await departments.getIncludingArchived(e.departmentKey))?.name ?? e.departmentKey;
        return {
          status: 200,
          body: escalationBody(e, { departmentName, now: deps.clock.now(), ...(reassignedTo ? { reassignedTo } : {}) }),
        };
      },
    },
  ]);
}
