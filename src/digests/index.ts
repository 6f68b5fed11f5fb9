import type { Feature } from '../deps.ts';
import { register } from './digests.listeners.ts';

export const digestsFeature: Feature = { name: 'digests', register };
