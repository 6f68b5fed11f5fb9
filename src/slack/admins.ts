import type { WebClient } from '@slack/web-api';
import { UserError } from '../errors.ts';
import type { Logger } from '../logger.ts';

export interface AdminCheck {
  isAdmin(userId: string): Promise<boolean>;
  /** A guest (restricted or ultra-restricted account); true too when Slack cannot say, so guests never get more. */
  isGuest(userId: string): Promise<boolean>;
  /** Throws a friendly refusal unless the user is an admin. */
  requireAdmin(userId: string): Promise<void>;
}

const CACHE_MS = 60_000;

/**
 * Admins are FRONTLINE_ADMINS plus workspace admins and owners; guests are restricted and
 * ultra-restricted accounts (both per users.info, cached a minute).
 */
export function createAdminCheck({
  admins,
  slack,
  logger,
}: {
  admins: string[];
  slack: WebClient;
  logger: Logger;
}): AdminCheck {
  const cache = new Map<string, { admin: boolean; guest: boolean; until: number }>();
  const lookUp = async (userId: string) => {
    const cached = cache.get(userId);
    if (cached && cached.until > Date.now()) return cached;
    try {
      const { user } = await slack.users.info({ user: userId });
      const found = {
        admin: Boolean(user?.is_admin || user?.is_owner || user?.is_primary_owner),
        guest: Boolean(user?.is_restricted || user?.is_ultra_restricted),
        until: Date.now() + CACHE_MS,
      };
      cache.set(userId, found);
      return found;
    } catch (error) {
      logger.warn({ err: error, userId }, 'could not look up a user’s role in the workspace');
      return { admin: false, guest: true };
    }
  };
  const isAdmin = async (userId: string) => admins.includes(userId) || (await lookUp(userId)).admin;
  return {
    isAdmin,
    isGuest: async (userId) => !admins.includes(userId) && (await lookUp(userId)).guest,
    async requireAdmin(userId) {
      if (!(await isAdmin(userId))) {
        throw new UserError(
          'auth.not_admin',
          ':lock: Only Frontline admins can do that. Admins are the people listed in FRONTLINE_ADMINS and the workspace’s admins and owners. Nothing was changed.',
        );
      }
    },
  };
}
