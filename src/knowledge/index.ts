import type { Feature } from '../deps.ts';
import { register } from './knowledge.listeners.ts';

/** Service knowledge: every answer the company gives is kept, found, and offered before the next person asks. */
export const knowledgeFeature: Feature = { name: 'knowledge', register };
