import type { Feature } from '../deps.ts';
import { register } from './help-requests.listeners.ts';

export const helpRequestsFeature: Feature = { name: 'help-requests', register };
