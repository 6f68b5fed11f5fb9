import type { Feature } from '../deps.ts';
import { register } from './home.listeners.ts';

export const homeFeature: Feature = { name: 'home', register };
