import { eq } from 'drizzle-orm';
import type { Clock } from '../clock.ts';
import type { Db } from '../db/client.ts';
import { workspaceSettings } from './settings.table.ts';

/** A workspace setting people change with `/frontline set <name> <value>`. */
export interface SettingDefinition<T> {
  name: string;
  /** What the value looks like, for usage lines: `<#channel>`. */
  usage: string;
  example: string;
  description: string;
  /** Turns command text into a value; throws a UserError explaining the expected form. */
  parse(text: string): T;
  /** Checks what only the database can tell (throws a UserError), before the value is stored. */
  check?(value: T): Promise<void>;
  /** How the value reads back to a person. */
  describe(value: T): string;
  /** Side effects after a change, such as rescheduling jobs. */
  onChange?(value: T): void | Promise<void>;
}

export interface Setting<T> {
  readonly definition: SettingDefinition<T>;
  get(): Promise<T | undefined>;
  set(value: T, by?: string): Promise<void>;
}

export interface Settings {
  /** Declares a setting (each capability declares its own) and returns a typed handle. */
  define<T>(definition: SettingDefinition<T>): Setting<T>;
  find(name: string): Setting<unknown> | undefined;
  all(): Setting<unknown>[];
}

/** The stored value under `name` (undefined when none): what a setting's `get` reads, for callers without its handle. */
export async function readSetting(db: Db, name: string): Promise<unknown> {
  const [row] = await db
    .select({ value: workspaceSettings.value })
    .from(workspaceSettings)
    .where(eq(workspaceSettings.name, name));
  return row?.value;
}

/** Where the first start is kept, beside the settings; no capability defines it, so nobody sets it. */
const INSTALLED_AT = 'installed-at';

/**
 * When Frontline first started on this database, recorded by that start. A default schedule counts
 * from it as a set schedule counts from when it was set: a slot before it was never missed.
 */
export async function recordInstallation({ db, clock }: { db: Db; clock: Clock }): Promise<Date> {
  await db
    .insert(workspaceSettings)
    .values({ name: INSTALLED_AT, value: clock.now().toISOString(), updatedAt: clock.now() })
    .onConflictDoNothing();
  return new Date(String(await readSetting(db, INSTALLED_AT)));
}

export function createSettings({ db, clock }: { db: Db; clock: Clock }): Settings {
  const registry = new Map<string, Setting<unknown>>();
  return {
    define<T>(definition: SettingDefinition<T>): Setting<T> {
      if (registry.has(definition.name)) throw new Error(`setting ${definition.name} is defined twice`);
      const setting: Setting<T> = {
        definition,
        get: async () => (await readSetting(db, definition.name)) as T | undefined,
        async set(value, by) {
          await definition.check?.(value);
          const row = { name: definition.name, value: value as object, updatedBy: by ?? null, updatedAt: clock.now() };
          await db
            .insert(workspaceSettings)
            .values(row)
            .onConflictDoUpdate({ target: workspaceSettings.name, set: row });
          await definition.onChange?.(value);
        },
      };
      registry.set(definition.name, setting as Setting<unknown>);
      return setting;
    },
    find: (name) => registry.get(name),
    all: () => [...registry.values()],
  };
}
