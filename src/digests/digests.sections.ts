// Every capability's part of the weekly digest. A capability adds one factory here; its section
// reads its own tables and renders its own blocks (see DigestSection in digests.models.ts).
import { createDepartmentsRepository } from '../departments/departments.repository.ts';
import type { Deps } from '../deps.ts';
import { createEscalationsDigestSection } from '../escalations/escalations.digest.ts';
import { createEscalationsRepository } from '../escalations/escalations.repository.ts';
import { createFeedbackDigestSection } from '../feedback/feedback.digest.ts';
import { createFeedbackRepository } from '../feedback/feedback.repository.ts';
import { createHelpRequestsDigestSection } from '../help-requests/help-requests.digest.ts';
import { createHelpRequestsRepository } from '../help-requests/help-requests.repository.ts';
import { createShadowingDigestSection } from '../rotations/rotations.digest.ts';
import { createSessionsRepository } from '../rotations/sessions.repository.ts';
import type { DigestSection } from './digests.models.ts';

export const digestSectionFactories: Array<(deps: Deps) => DigestSection<any>> = [
  (deps) => createFeedbackDigestSection({ repo: createFeedbackRepository(deps) }),
  (deps) => {
    const departments = createDepartmentsRepository(deps);
    return createEscalationsDigestSection({ repo: createEscalationsRepository(deps), departmentName: async (key) => (await departments.getIncludingArchived(key))?.name });
  },
  (deps) => createHelpRequestsDigestSection({ repo: createHelpRequestsRepository(deps) }),
  (deps) => createShadowingDigestSection({ repo: createSessionsRepository(deps) }),
];
