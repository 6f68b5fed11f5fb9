import type { Feature } from '../deps.ts';
import { register } from './feedback.listeners.ts';
import { feedbackRoutes } from './feedback.routes.ts';

export const feedbackFeature: Feature = { name: 'feedback', register, routes: feedbackRoutes };
