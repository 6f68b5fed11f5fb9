// Time zone rules shared by config, settings, departments and rotations; no I/O, so models can import it.
import { z } from 'zod';

/** Whether `zone` is an IANA time zone this Node.js knows. */
export function isTimeZone(zone: string): boolean {
  try {
    new Intl.DateTimeFormat('en-US', { timeZone: zone });
    return zone.length > 0;
  } catch {
    return false;
  }
}

/** A time zone typed by a person (a setting, a department's hours, a rotation). */
export const timeZoneSchema = z
  .string()
  .refine(isTimeZone, 'That is not an IANA time zone; use one such as Europe/Paris or America/New_York');
