import type { Feature } from '../deps.ts';
import { register } from './settings.listeners.ts';

export const settingsFeature: Feature = { name: 'settings', register };
