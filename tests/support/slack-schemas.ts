// Checks calls against the vendored Slack reference (slack-reference/): method names, argument
// names, required arguments and types from each method file, and Block Kit from its JSON Schema.
import { existsSync, readFileSync } from 'node:fs';
import { Ajv, type ErrorObject, type ValidateFunction } from 'ajv';
import { Ajv2020 } from 'ajv/dist/2020.js';
import addFormatsModule from 'ajv-formats';

// ajv-formats is CommonJS: Node hands its default import over as the module object, Vite as the plugin.
type FormatsPlugin = typeof addFormatsModule.default;
const addFormats = ((addFormatsModule as unknown as { default?: FormatsPlugin }).default ??
  addFormatsModule) as FormatsPlugin;

const REFERENCE = new URL('./slack-reference/', import.meta.url);

type Schema = Record<string, unknown> & { type?: string | string[]; desc?: string };

export interface MethodSpec {
  name: string;
  args: { properties?: Record<string, Schema>; required?: string[] };
  scope?: { bot?: string[]; user?: string[] };
}

/** Argument names Slack accepts on every method although the method files do not list them. */
const TOLERATED_ARGS = new Set(['token', 'team_id']);
export const MESSAGE_METHODS = new Set([
  'chat.postMessage',
  'chat.update',
  'chat.postEphemeral',
  'chat.scheduleMessage',
]);
export const VIEW_METHODS = new Set(['views.open', 'views.push', 'views.update', 'views.publish']);

const specs = new Map<string, MethodSpec | undefined>();

/** Reads a method's reference file, or undefined when Slack has no such method. */
export function methodSpec(name: string): MethodSpec | undefined {
  if (!specs.has(name)) {
    // methods.json is the index of all methods, not a method.
    const file = new URL(`methods/${name}.json`, REFERENCE);
    const ok = /^[a-zA-Z]+(\.[a-zA-Z]+)+$/.test(name) && existsSync(file);
    specs.set(name, ok ? { name, ...(JSON.parse(readFileSync(file, 'utf8')) as Omit<MethodSpec, 'name'>) } : undefined);
  }
  return specs.get(name);
}

/** Every JSON type a property schema allows, looking through anyOf/oneOf/allOf. */
function typesOf(schema: Schema | undefined, into = new Set<string>()): Set<string> {
  if (!schema) return into;
  const type = schema.type;
  for (const t of Array.isArray(type) ? type : type ? [type] : []) into.add(t === 'integer' ? 'number' : t);
  for (const key of ['anyOf', 'oneOf', 'allOf']) {
    for (const sub of (schema[key] as Schema[] | undefined) ?? []) typesOf(sub, into);
  }
  return into;
}

function tryJson(value: string): unknown {
  try {
    return JSON.parse(value);
  } catch {
    return value;
  }
}

/**
 * Turns wire arguments (form strings) back into what the app passed: JSON fields parsed,
 * booleans and numbers converted where the method says the argument is only that type.
 */
export function decodeArgs(spec: MethodSpec | undefined, raw: Record<string, unknown>): Record<string, unknown> {
  const out: Record<string, unknown> = {};
  for (const [key, value] of Object.entries(raw)) {
    out[key] = value;
    if (typeof value !== 'string') continue;
    const prop = spec?.args.properties?.[key];
    const types = typesOf(prop);
    const jsonish = types.has('object') || types.has('array') || /json/i.test(String(prop?.desc ?? '')) || !prop;
    if (/^\s*[[{]/.test(value) && jsonish) out[key] = tryJson(value);
    else if (!types.has('string') && types.has('boolean') && /^(true|false)$/.test(value)) out[key] = value === 'true';
    else if (!types.has('string') && types.has('number') && value.trim() !== '' && Number.isFinite(Number(value)))
      out[key] = Number(value);
  }
  return out;
}

/** The value as it would travel on the wire, loosened so only clearly wrong types fail. */
function forTypeCheck(value: unknown, types: Set<string>): unknown {
  if (types.size === 0) return value;
  if (typeof value === 'string' && !types.has('string')) {
    if (types.has('boolean') && /^(true|false|1|0)$/.test(value)) return value === 'true' || value === '1';
    if (types.has('number') && value.trim() !== '' && Number.isFinite(Number(value))) return Number(value);
    if (types.has('object') || types.has('array')) return tryJson(value);
  }
  if (
    typeof value === 'object' &&
    value !== null &&
    types.has('string') &&
    !types.has('object') &&
    !types.has('array')
  ) {
    return JSON.stringify(value);
  }
  if ((typeof value === 'number' || typeof value === 'boolean') && !types.has(typeof value)) {
    if (types.has('string')) return String(value);
    if (types.has('boolean') && (value === 0 || value === 1)) return value === 1;
  }
  return value;
}

const argsAjv = new Ajv({ strict: false, allErrors: true, validateSchema: false });
const argValidators = new Map<string, ValidateFunction | null>();

function argsValidator(spec: MethodSpec): ValidateFunction | null {
  if (!argValidators.has(spec.name)) {
    const { required: _required, ...schema } = spec.args as Record<string, unknown>;
    try {
      argValidators.set(spec.name, argsAjv.compile(schema));
    } catch {
      argValidators.set(spec.name, null); // a schema Ajv cannot compile: names and required still apply
    }
  }
  return argValidators.get(spec.name) ?? null;
}

function describe(errors: ErrorObject[] | null | undefined, where: string, max = 3): string[] {
  const messages = (errors ?? []).map((e) => {
    const extra = 'additionalProperty' in e.params ? ` '${String(e.params.additionalProperty)}'` : '';
    return `${where}${e.instancePath} ${e.message ?? 'is invalid'}${extra}`;
  });
  return [...new Set(messages)].slice(0, max); // oneOf branches repeat the same complaint
}

/** Problems with a call's argument names, required arguments and types (empty when fine). */
export function checkArgs(spec: MethodSpec, args: Record<string, unknown>): string[] {
  const props = spec.args.properties ?? {};
  const problems: string[] = [];
  for (const key of Object.keys(args)) {
    if (!(key in props) && !TOLERATED_ARGS.has(key)) problems.push(`unknown argument '${key}'`);
  }
  for (const key of spec.args.required ?? []) {
    if (key !== 'token' && (args[key] === undefined || args[key] === null || args[key] === '')) {
      problems.push(`missing required argument '${key}'`);
    }
  }
  const validate = argsValidator(spec);
  const wire = Object.fromEntries(Object.entries(args).map(([k, v]) => [k, forTypeCheck(v, typesOf(props[k]))]));
  if (validate && !validate(wire)) problems.push(...describe(validate.errors, 'args', 5));
  return problems;
}

const BLOCK_KIT = JSON.parse(readFileSync(new URL('block-kit/slack-block-kit.schema.json', REFERENCE), 'utf8')) as {
  $id: string;
  $defs: Record<string, unknown>;
};
const blockAjv = new Ajv2020({ strict: false, allErrors: false });
addFormats(blockAjv);
blockAjv.addSchema(BLOCK_KIT);
const defValidators = new Map<string, ValidateFunction>();

function defValidator(def: string): ValidateFunction {
  let validate = defValidators.get(def);
  if (!validate) {
    validate = blockAjv.compile({ $ref: `${BLOCK_KIT.$id}#/$defs/${def}` });
    defValidators.set(def, validate);
  }
  return validate;
}

/** Block Kit problems in a list of blocks; each block is checked against its own type's schema. */
export function checkBlocks(blocks: unknown, where = 'blocks'): string[] {
  if (!Array.isArray(blocks)) return [`${where} must be an array of blocks`];
  if (blocks.length > 100) return [`${where} has ${blocks.length} blocks (max 100)`];
  return blocks.flatMap((block, i) => {
    const type = (block as { type?: unknown } | null)?.type;
    if (typeof type !== 'string' || !(`${type}_block` in BLOCK_KIT.$defs))
      return [`${where}[${i}] has unknown block type '${String(type)}'`];
    // The block's own schema gives a precise error instead of the union's "must match oneOf".
    const validate = defValidator(`${type}_block`);
    return validate(block) ? [] : describe(validate.errors, `${where}[${i}]`);
  });
}

/** Block Kit problems in a modal or home view (the whole surface, not only its blocks). */
export function checkView(view: unknown, where = 'view'): string[] {
  const type = (view as { type?: unknown } | null)?.type;
  if (type !== 'modal' && type !== 'home') return [`${where}.type must be 'modal' or 'home'`];
  const blocks = checkBlocks((view as { blocks?: unknown }).blocks, `${where}.blocks`);
  if (blocks.length > 0) return blocks;
  const validate = defValidator(`${type}_view`);
  return validate(view) ? [] : describe(validate.errors, where);
}

/** Block Kit problems in a message body (chat.* arguments or a response_url body). */
export function checkMessage(body: Record<string, unknown>): string[] {
  const problems = body.blocks === undefined ? [] : checkBlocks(body.blocks);
  const attachments = Array.isArray(body.attachments) ? (body.attachments as Array<{ blocks?: unknown }>) : [];
  attachments.forEach((a, i) => {
    if (a?.blocks !== undefined) problems.push(...checkBlocks(a.blocks, `attachments[${i}].blocks`));
  });
  return problems;
}

/** Event type names Slack documents, for checking the events tests send. */
export const EVENT_TYPES: ReadonlySet<string> = new Set(
  (JSON.parse(readFileSync(new URL('events/events.json', REFERENCE), 'utf8')) as Array<{ name: string }>).map(
    (e) => e.name,
  ),
);
