// Bolt runs every request through the matching middleware of every listener, one after another: with
// the sixty or so Frontline registers that is about 0.7 ms a request (bare Bolt, with two listeners,
// needs 0.1 ms), all of it before the listener can ack. Listeners named by a plain id (every one
// Frontline has) are kept in an index instead, and Bolt sees one listener per kind that looks the
// request's id up. Anything else (a pattern, other constraints) still goes to Bolt as it is.
import type { AllMiddlewareArgs, App } from '@slack/bolt';

type Kind = 'command' | 'action' | 'view' | 'shortcut' | 'event';
type Args = AllMiddlewareArgs & {
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

/** The id a request of this kind is looked up by, as Bolt's own matching reads it. */
const KEY_OF: Record<Kind, (args: Args) => string | undefined> = {
  command: (args) => args.body.command,
  action: (args) => args.payload.action_id,
  view: (args) => args.body.view?.callback_id,
  shortcut: (args) => args.body.callback_id,
  event: (args) => args.body.event?.type,
};

/** What Bolt's catch-all for each kind is registered with: matches any request of that kind. */
const ANY = /(?:)/;
const CATCH_ALL: Record<Kind, unknown> = {
  command: ANY,
  action: ANY,
  view: { callback_id: ANY, type: 'view_submission' },
  shortcut: ANY,
  event: ANY,
};

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

/** From here on, `app.command`, `action`, `view`, `shortcut` and `event` with a plain id register into the index. */
export function indexListeners(app: App): void {
  const methods = app as unknown as Record<Kind, Register>;
  for (const kind of Object.keys(KEY_OF) as Kind[]) {
    const boltRegister = methods[kind].bind(app);
    const index = new Map<string, Entry[]>();
    const dispatch: Middleware = async (args) => {
      const key = KEY_OF[kind](args);
      const entries = (key === undefined ? undefined : index.get(key))?.filter(
        (entry) => entry.type === undefined || entry.type === args.body.type,
      );
      if (!entries?.length) return;
      const { next: _next, ...rest } = args;
      const results = await Promise.allSettled(entries.map((entry) => runChain(entry.listeners, rest as Args)));
      // As Bolt does: one failure is thrown as it is, several together.
      const failures = results.flatMap((r) => (r.status === 'rejected' ? [r.reason as unknown] : []));
      if (failures.length === 1) throw failures[0];
      if (failures.length > 1) throw new AggregateError(failures, `${failures.length} listeners failed`);
    };
    let installed = false;
    methods[kind] = (constraint, ...listeners) => {
      const plain = plainId(kind, constraint);
      if (!plain) return boltRegister(constraint, ...listeners);
      if (!installed) {
        boltRegister(CATCH_ALL[kind], dispatch);
        installed = true;
      }
      const entries = index.get(plain.id) ?? [];
      entries.push({ ...(plain.type ? { type: plain.type } : {}), listeners });
      index.set(plain.id, entries);
    };
  }
}
