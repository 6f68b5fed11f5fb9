import type { Feature } from '../deps.ts';
import { register } from './departments.listeners.ts';

export const departmentsFeature: Feature = { name: 'departments', register };
