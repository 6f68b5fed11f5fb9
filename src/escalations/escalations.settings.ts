// The escalations' own workspace settings.
import { z } from 'zod';
import type { Setting, Settings } from '../settings/settings.ts';
import { parseSetting } from '../settings/workspace.settings.ts';
import { DEFAULT_SLA_WARN_PERCENT } from './escalations.models.ts';

const NAME = 'sla-warn-percent';
const USAGE = '<1-99> | off';
const warnPercentSchema = z.string().transform((text, ctx) => {
  if (text.toLowerCase() === 'off') return 0;
  const n = /^\d+$/.test(text) ? Number(text) : Number.NaN;
  if (n >= 1 && n <= 99) return n;
  ctx.addIssue({ code: 'custom', message: 'Give a whole percentage from 1 to 99, or off' });
  return z.NEVER;
});

/** `sla-warn-percent`: how far into each SLA target the due-soon warning goes out. */
export function defineSlaWarnPercent(settings: Settings): Setting<number> {
  return settings.define({
    name: NAME,
    usage: USAGE,
    example: '/frontline set sla-warn-percent 75',
    description: `warn that an escalation is due soon after this share of its acknowledge and resolve targets (default ${DEFAULT_SLA_WARN_PERCENT})`,
    parse: (text) => parseSetting(warnPercentSchema, NAME, text, USAGE),
    describe: (percent) => (percent === 0 ? 'off' : `${percent}%`),
  });
}

/** Reads `sla-warn-percent` (defined once, by the listeners), or its default. */
export const readSlaWarnPercent = (settings: Settings) => async (): Promise<number> =>
  ((await settings.find(NAME)?.get()) as number | undefined) ?? DEFAULT_SLA_WARN_PERCENT;
