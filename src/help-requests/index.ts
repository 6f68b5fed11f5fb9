import type { Feature } from '../deps.ts';
import { helpRequestPublicView } from './help-requests.json.ts';
import { register } from './help-requests.listeners.ts';
import { helpRequestRoutes } from './help-requests.routes.ts';

export const helpRequestsFeature: Feature = {
  name: 'help-requests',
  routes: helpRequestRoutes,
  register(app, deps) {
    deps.publicViews.define('help_request', helpRequestPublicView);
    register(app, deps);
  },
};
