// manifest.json must create exactly this app: valid per Slack's schema, with real scopes and events,
// and every slash command and shortcut the code listens for (and nothing it does not).
import { readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { Ajv } from 'ajv';
import { describe, expect, it } from 'vitest';
import { EVENT_TYPES } from '../support/slack-schemas.ts';

const root = new URL('../../', import.meta.url);
const reference = new URL('tests/support/slack-reference/', root);
const readJson = (url: URL) => JSON.parse(readFileSync(url, 'utf8'));
const manifest = readJson(new URL('manifest.json', root));

/** Every TypeScript source under src/, concatenated: what the app listens for is written there. */
function sourceText(dir = new URL('src/', root).pathname): string {
  return readdirSync(dir, { withFileTypes: true })
    .map((entry) =>
      entry.isDirectory()
        ? sourceText(join(dir, entry.name))
        : entry.name.endsWith('.ts')
          ? readFileSync(join(dir, entry.name), 'utf8')
          : '',
    )
    .join('\n');
}

describe('manifest.json', () => {
  it("validates against Slack's manifest schema", () => {
    const ajv = new Ajv({ strict: false, allErrors: true });
    for (const version of ['1.0.0', '2.0.0']) {
      ajv.addSchema(
        readJson(new URL(`manifest-schema/schemas/manifest.schema.${version}.json`, reference)),
        `https://raw.githubusercontent.com/slackapi/manifest-schema/v0.5.0/schemas/manifest.schema.${version}.json`,
      );
    }
    const validate = ajv.compile(readJson(new URL('manifest-schema/manifest.schema.json', reference)));
    expect(validate(manifest), JSON.stringify(validate.errors, null, 2)).toBe(true);
  });

  it('asks only for bot scopes that Slack methods actually use, and subscribes only to real events', () => {
    const known = new Set<string>(['commands']);
    for (const file of readdirSync(new URL('methods/', reference))) {
      if (!file.endsWith('.json') || file === 'methods.json') continue;
      for (const scope of readJson(new URL(`methods/${file}`, reference)).scope?.bot ?? []) known.add(scope);
    }
    const scopes: string[] = manifest.oauth_config.scopes.bot;
    expect(scopes.filter((s) => !known.has(s))).toEqual([]);
    expect(new Set(scopes).size).toBe(scopes.length);
    const events: string[] = manifest.settings.event_subscriptions?.bot_events ?? [];
    expect(events.filter((e) => !EVENT_TYPES.has(e))).toEqual([]);
  });

  it('declares every slash command the code registers, escaped, and no others', () => {
    const source = sourceText();
    // Registered as `app.command('/x', …)` or through an ids constant `command: '/x'`.
    const registered = new Set(
      [...source.matchAll(/(?:app\.command\(\s*|\bcommand:\s*)'(\/[a-z-]+)'/g)].map((m) => m[1]),
    );
    const declared = manifest.features.slash_commands.map((c: { command: string }) => c.command);
    expect(new Set(declared)).toEqual(registered);
    for (const command of manifest.features.slash_commands) {
      expect(command.should_escape, `${command.command} should_escape`).toBe(true);
      expect(command.description.length).toBeGreaterThan(0);
    }
  });

  it('declares shortcuts whose callback ids the code listens for', () => {
    const source = sourceText();
    for (const shortcut of manifest.features.shortcuts ?? []) {
      expect(source, `callback_id ${shortcut.callback_id}`).toContain(`'${shortcut.callback_id}'`);
    }
  });

  it('runs in Socket Mode by default with interactivity and App Home on', () => {
    expect(manifest.settings.socket_mode_enabled).toBe(true);
    expect(manifest.settings.interactivity.is_enabled).toBe(true);
    expect(manifest.features.app_home.home_tab_enabled).toBe(true);
    expect(manifest.settings.event_subscriptions.bot_events).toContain('app_home_opened');
  });
});
