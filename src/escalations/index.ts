import type { Feature } from '../deps.ts';
import { escalationPublicView } from './escalations.json.ts';
import { register } from './escalations.listeners.ts';
import { escalationRoutes } from './escalations.routes.ts';

export const escalationsFeature: Feature = {
  name: 'escalations',
  routes: escalationRoutes,
  register(app, deps) {
    deps.publicViews.define('escalation', escalationPublicView(deps));
    register(app, deps);
  },
};
