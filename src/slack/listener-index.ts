// Bolt runs every request through the matching middleware of every listener, one after another: with
// the sixty or so Frontline registers that is about 0.7 ms a request (bare Bolt, with two listeners,
// needs 0.1 ms), all of it before the listener can ack. Listeners named by a plain id (every one
// Frontline has) are kept in an index instead, looked up by one global middleware, the last. Bolt's
// listener stage (a chain of async matchers per registration) is then empty, and a click whose work
// waits its turn keeps fewer frames alive meanwhile (measured: 15 KB of heap a held click, from 22 KB;
// every young-generation collection during a burst copies them). Anything else (a pattern, other
// constraints) still goes to Bolt as it is, and runs beside the indexed listeners.
import type { AllMiddlewareArgs, App } from '@slack/bolt';

const KINDS = ['command', 'action', 'view', 'shortcut', 'event'] as const;
type Kind = (typeof KINDS)[number];
type Args = AllMiddlewareArgs & {
  // Bolt's alias for the request's kind: exactly one is set.
  command?: unknown;
  action?: unknown;
  view?: unknown;
  shortcut?: unknown;
  event?: unknown;
  body: {
    command?: string;
    type?: string;
    callback_id?: string;
    view?: { callback_id?: string };
    event?: { type?: string };
  };
  payload: { action_id?: string };
};
type Middleware = (args: Args) => Promise<void> | void;
type Register = (constraint: unknown, ...listeners: Middleware[]) => void;

interface Entry {
  /** A shortcut's `type` constraint (message_action or shortcut): undefined matches both. */
  type?: string;
  listeners: Middleware[];
}

/** The kind of a request and the id it is looked up by, read as Bolt's own matching reads them. */
function keyOf(args: Args): { kind: Kind; key: string | undefined } | undefined {
  // Bolt sets exactly one of these aliases for each request (its onlyCommands, onlyActions… read them).
  if (args.command) return { kind: 'command', key: args.body.command };
  if (args.action) return { kind: 'action', key: args.payload.action_id };
  // `app.view(id)` is Bolt's `{ callback_id: id, type: 'view_submission' }`: a closed view does not match.
  if (args.view)
    return args.body.type === 'view_submission' ? { kind: 'view', key: args.body.view?.callback_id } : undefined;
  if (args.shortcut) return { kind: 'shortcut', key: args.body.callback_id };
  if (args.event) return { kind: 'event', key: args.body.event?.type };
  return undefined;
}

/** The id and shortcut type a registration names, or undefined when it needs Bolt's own matching. */
function plainId(kind: Kind, constraint: unknown): { id: string; type?: string } | undefined {
  if (typeof constraint === 'string') {
    // Bolt refuses `message.*` event names with a helpful error: let it.
    if (kind === 'event' && constraint.startsWith('message.')) return undefined;
    return { id: constraint };
  }
  if (kind !== 'shortcut' || typeof constraint !== 'object' || constraint === null) return undefined;
  const { callback_id, type, ...rest } = constraint as { callback_id?: unknown; type?: unknown };
  if (typeof callback_id !== 'string' || Object.keys(rest).length > 0) return undefined;
  if (type !== undefined && typeof type !== 'string') return undefined;
  return { id: callback_id, ...(type ? { type } : {}) };
}

/** Runs one registration's middleware in turn, each going on with `next`, as Bolt does. */
async function runChain(listeners: Middleware[], args: Args): Promise<void> {
  const step = async (i: number): Promise<void> => {
    const listener = listeners[i];
    if (!listener) return;
    const last = i === listeners.length - 1;
    await listener({ ...args, next: last ? async () => {} : () => step(i + 1) });
  };
  await step(0);
}

/**
 * From here on, `app.command`, `action`, `view`, `shortcut` and `event` with a plain id register into
 * the index, which a global middleware added now reads. Global middleware runs in the order it was
 * added and this one runs the listeners, so any other must be added before: a later `app.use` throws.
 */
export function indexListeners(app: App): void {
  const methods = app as unknown as Record<Kind, Register> & { use(middleware: unknown): App };
  const index = new Map<string, Entry[]>();
  const indexKey = (kind: Kind, id: string) => `${kind} ${id}`;
  app.use(async (args) => {
    const { next, ...rest } = args as unknown as Args;
    const request = keyOf(args as unknown as Args);
    const entries = (request?.key === undefined ? undefined : index.get(indexKey(request.kind, request.key)))?.filter(
      (entry) => entry.type === undefined || entry.type === rest.body.type,
    );
    if (!entries?.length) return next();
    // Bolt's own listeners (patterns and other constraints) run beside these, as Bolt runs all of its.
    const results = await Promise.allSettled([
      ...entries.map((entry) => runChain(entry.listeners, rest as Args)),
      next(),
    ]);
    // As Bolt does: one failure is thrown as it is, several together.
    const failures = results.flatMap((r) => (r.status === 'rejected' ? [r.reason as unknown] : []));
    if (failures.length === 1) throw failures[0];
    if (failures.length > 1) throw new AggregateError(failures, `${failures.length} listeners failed`);
  });
  methods.use = () => {
    throw new Error('global middleware must be added before indexListeners: it would run after the listeners');
  };
  for (const kind of KINDS) {
    const boltRegister = methods[kind].bind(app);
    methods[kind] = (constraint, ...listeners) => {
      const plain = plainId(kind, constraint);
      if (!plain) return boltRegister(constraint, ...listeners);
      const key = indexKey(kind, plain.id);
      const entries = index.get(key) ?? [];
      entries.push({ ...(plain.type ? { type: plain.type } : {}), listeners });
      index.set(key, entries);
    };
  }
}
