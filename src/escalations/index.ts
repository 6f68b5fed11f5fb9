import type { Feature } from '../deps.ts';
import { register } from './escalations.listeners.ts';

export const escalationsFeature: Feature = { name: 'escalations', register };
