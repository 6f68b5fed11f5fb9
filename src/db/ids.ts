import { z } from 'zod';

/** An id a `serial` column can hold (a positive int4), as buttons and forms carry it. */
export const serialIdSchema = z.coerce
  .number()
  .int()
  .positive()
  .max(2 ** 31 - 1);
