import type { Feature } from '../deps.ts';
import { register } from './rotations.listeners.ts';

export const rotationsFeature: Feature = { name: 'rotations', register };
