// What service knowledge announces to the rest of the app (see events/domain-events.ts).
import type { AnswerSource } from './knowledge.models.ts';

export interface KnowledgeEvents {
  'answer.saved': { answerId: string; userId: string; sourceKind: AnswerSource };
}

declare module '../events/domain-events.ts' {
  interface DomainEventMap extends KnowledgeEvents {}
}
