/** Thrown by withDeadline when the work has not finished in time. */
export class DeadlineError extends Error {
  constructor(ms: number) {
    super(`no answer within ${ms} ms`);
    this.name = 'DeadlineError';
  }
}

/** Resolves or rejects with `work`, or rejects with a DeadlineError once `ms` have passed (the work itself goes on). */
export function withDeadline<T>(work: Promise<T>, ms: number): Promise<T> {
  let timer: NodeJS.Timeout | undefined;
  const late = new Promise<never>((_resolve, reject) => (timer = setTimeout(() => reject(new DeadlineError(ms)), ms)));
  return Promise.race([work, late]).finally(() => clearTimeout(timer));
}
