import type { App } from '@slack/bolt';
import type { Deps } from '../deps.ts';

export function register(app: App, deps: Deps): void {
  app.event('app_home_opened', async ({ event }) => {
    if (event.tab !== 'home') return;
    await deps.home.publish(event.user);
  });
}
