// An escalation as webhook deliveries show it: exactly the REST API's escalation (escalations.api.ts).
import type { Clock } from '../clock.ts';
import type { Db } from '../db/client.ts';
import { createDepartmentsRepository } from '../departments/departments.repository.ts';
import type { PublicView } from '../events/public-views.ts';
import { escalationBody } from './escalations.api.ts';
import { createEscalationsRepository } from './escalations.repository.ts';

/** The view webhook deliveries read escalations through. */
export const escalationPublicView = ({ clock }: { clock: Clock }): PublicView => ({
  async load(db: Db, id: string) {
    if (!/^[0-9a-f-]{36}$/i.test(id)) return undefined;
    const repo = createEscalationsRepository({ db });
    const e = await repo.get(id);
    if (!e) return undefined;
    const department = await createDepartmentsRepository({ db, clock }).getIncludingArchived(e.departmentKey);
    const reassignedTo = e.reassignedToId ? await repo.get(e.reassignedToId) : undefined;
    return escalationBody(e, {
      departmentName: department?.name ?? e.departmentKey,
      now: clock.now(),
      ...(reassignedTo ? { reassignedTo } : {}),
    });
  },
});
