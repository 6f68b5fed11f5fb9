// Every capability's part of the weekly digest. A capability adds one factory here; its section
// reads its own tables and renders its own blocks (see DigestSection in digests.models.ts).
import type { Deps } from '../deps.ts';
import { createFeedbackDigestSection } from '../feedback/feedback.digest.ts';
import { createFeedbackRepository } from '../feedback/feedback.repository.ts';
import type { DigestSection } from './digests.models.ts';

export const digestSectionFactories: Array<(deps: Deps) => DigestSection<any>> = [
  (deps) => createFeedbackDigestSection({ repo: createFeedbackRepository(deps) }),
];
