// A help request as webhook deliveries show it: exactly the REST API's help request (help-requests.api.ts).
import type { Db } from '../db/client.ts';
import type { PublicView } from '../events/public-views.ts';
import { helpRequestBody } from './help-requests.api.ts';
import { createHelpRequestsRepository } from './help-requests.repository.ts';

/** The view webhook deliveries read help requests through. */
export const helpRequestPublicView: PublicView = {
  async load(db: Db, id: string) {
    if (!/^\d{1,9}$/.test(id)) return undefined;
    const repo = createHelpRequestsRepository({ db });
    const request = await repo.get(Number(id));
    return request && helpRequestBody(request, await repo.helpers(request.id));
  },
};
