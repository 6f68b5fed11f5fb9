import type { ZodType } from 'zod';

/**
 * An error the person in Slack caused and can fix: its message is shown to them as is.
 * `code` names it for logs and tests (`escalations.already_claimed`).
 */
export class UserError extends Error {
  /** The form field (input block id) it belongs to when it refuses a modal submission. */
  readonly field: string | undefined;

  constructor(
    readonly code: string,
    message: string,
    { field }: { field?: string } = {},
  ) {
    super(message);
    this.name = 'UserError';
    this.field = field;
  }
}

/** `value` as `schema` reads it, else `refusal` thrown: for ids carried by buttons and forms, which may be stale or forged. */
export function parseOrRefuse<T>(schema: ZodType<T>, value: unknown, refusal: () => UserError): T {
  const parsed = schema.safeParse(value);
  if (!parsed.success) throw refusal();
  return parsed.data;
}

export function isUserError(error: unknown): error is UserError {
  return error instanceof UserError;
}

/** Walks `cause` chains (drizzle wraps driver errors) for a PostgreSQL SQLSTATE. */
export function sqlState(error: unknown): string | undefined {
  for (let e: unknown = error; e && typeof e === 'object'; e = (e as { cause?: unknown }).cause) {
    const code = (e as { code?: unknown }).code;
    if (typeof code === 'string' && /^[0-9A-Z]{5}$/.test(code)) return code;
  }
  return undefined;
}

export const isUniqueViolation = (error: unknown) => sqlState(error) === '23505';
