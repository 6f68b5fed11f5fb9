// Short references people quote and type: ESC-42, HELP-17. One rule for every kind of record.
import { z } from 'zod';

/** A kind's prefix, as shown: `ESC`, `HELP`. */
export type RefPrefix = 'ESC' | 'HELP';

/** `ESC-42` from the prefix and the record's number. */
export const formatRef = (prefix: RefPrefix, number: number) => `${prefix}-${number}`;

const MAX_NUMBER = 2 ** 31 - 1;

/**
 * The number in a reference as people type it: `ESC-42`, `esc-42`, `esc42` or a bare `42` (the
 * command or route already says which kind). Undefined for anything else, another kind's prefix included.
 */
export function parseRef(prefix: RefPrefix, text: string): number | undefined {
  const match = new RegExp(`^(?:${prefix}-?)?(\\d{1,10})$`, 'i').exec(text.trim());
  const number = match ? Number(match[1]) : Number.NaN;
  return Number.isInteger(number) && number >= 1 && number <= MAX_NUMBER ? number : undefined;
}

/** A zod schema reading a reference to its number, for route parameters and command words. */
export const refSchema = (prefix: RefPrefix) =>
  z.string().transform((text, ctx) => {
    const number = parseRef(prefix, text);
    if (number === undefined) {
      ctx.addIssue({ code: 'custom', message: `must be a reference such as ${prefix}-42` });
      return z.NEVER;
    }
    return number;
  });
