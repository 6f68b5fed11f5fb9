import type { Feature } from '../deps.ts';
import { feedbackPublicView } from './feedback.json.ts';
import { register } from './feedback.listeners.ts';
import { feedbackRoutes } from './feedback.routes.ts';

export const feedbackFeature: Feature = {
  name: 'feedback',
  register(app, deps) {
    deps.publicViews.define('feedback', feedbackPublicView);
    register(app, deps);
  },
  routes: feedbackRoutes,
};
