import type { WebClient } from '@slack/web-api';
import type { Logger } from '../logger.ts';
import { type Blocks, context, divider } from '../slack/blocks.ts';

export interface HomeViewer {
  userId: string;
  isAdmin: boolean;
}

/** A part of the App Home tab owned by one capability. */
export interface HomeSection {
  id: string;
  /** Lower comes first. */
  order: number;
  render(viewer: HomeViewer): Promise<Blocks>;
}

export interface Home {
  section(section: HomeSection): void;
  /** Builds and publishes the Home tab for one person (after something they see changed). */
  publish(userId: string): Promise<void>;
  render(viewer: HomeViewer): Promise<Blocks>;
}

// Slack refuses a Home view over 100 blocks.
const MAX_BLOCKS = 100;

export function createHome({
  slack,
  isAdmin,
  logger,
}: {
  slack: WebClient;
  isAdmin: (userId: string) => Promise<boolean>;
  logger: Logger;
}): Home {
  const parts: HomeSection[] = [];
  const render = async (viewer: HomeViewer) => {
    const rendered = await Promise.all(
      [...parts]
        .sort((a, b) => a.order - b.order)
        .map(async (part) => {
          try {
            return await part.render(viewer);
          } catch (error) {
            // One broken section must not blank the whole tab.
            logger.error({ err: error, section: part.id }, 'home section failed to render');
            return [context(`:warning: This part of Home could not load just now (${part.id}).`)];
          }
        }),
    );
    // Each section opens with its own header; the tab already carries the app's name.
    const blocks: Blocks = rendered.filter((b) => b.length > 0).flatMap((part, i) => (i ? [divider(), ...part] : part));
    return blocks.slice(0, MAX_BLOCKS);
  };
  return {
    section(part) {
      parts.push(part);
    },
    render,
    async publish(userId) {
      const blocks = await render({ userId, isAdmin: await isAdmin(userId) });
      await slack.views.publish({ user_id: userId, view: { type: 'home', blocks } });
    },
  };
}
