import type { WebClient } from '@slack/web-api';
import { UserError } from '../errors.ts';
import type { Logger } from '../logger.ts';

export interface AdminCheck {
  isAdmin(userId: string): Promise<boolean>;
  /** Throws a friendly refusal unless the user is an admin. */
  requireAdmin(userId: string): Promise<void>;
}

const CACHE_MS = 60_000;

/** Admins are FRONTLINE_ADMINS plus workspace admins and owners (per users.info, cached a minute). */
export function createAdminCheck({ admins, slack, logger }: { admins: string[]; slack: WebClient; logger: Logger }): AdminCheck {
  const cache = new Map<string, { admin: boolean; until: number }>();
  const isAdmin = async (userId: string) => {
    if (admins.includes(userId)) return true;
    const cached = cache.get(userId);
    if (cached && cached.until > Date.now()) return cached.admin;
    try {
      const { user } = await slack.users.info({ user: userId });
      const admin = Boolean(user?.is_admin || user?.is_owner || user?.is_primary_owner);
      cache.set(userId, { admin, until: Date.now() + CACHE_MS });
      return admin;
    } catch (error) {
      logger.warn({ err: error, userId }, 'could not look up whether a user is a workspace admin');
      return false;
    }
  };
  return {
    isAdmin,
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
