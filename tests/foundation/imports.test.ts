// The import structure of src/: no module reaches itself again through its imports (type imports included),
// the digest imports no capability (each registers its own section), and only the clock reads the time.
import { readdirSync, readFileSync } from 'node:fs';
import { dirname, join, resolve } from 'node:path';
import { describe, expect, it } from 'vitest';

const SRC = resolve(import.meta.dirname, '../../src');

const modules = readdirSync(SRC, { recursive: true, encoding: 'utf8' })
  .filter((file) => file.endsWith('.ts'))
  .map((file) => join(SRC, file));

/** The modules of src/ that `file` imports, by absolute path. */
const importsOf = (file: string) =>
  [...readFileSync(file, 'utf8').matchAll(/^\s*(?:import|export)\b[^'"]*?\bfrom\s+'(\.{1,2}\/[^']+)'/gm)].map((m) =>
    resolve(dirname(file), m[1]!),
  );

/** The capability folders: those whose index.ts src/features.ts lists, less the plumbing ones (docs/architecture.md). */
const PLUMBING = new Set(['digests', 'settings', 'slack']);
const capabilityFolders = [
  ...readFileSync(join(SRC, 'features.ts'), 'utf8').matchAll(/from '\.\/([\w-]+)\/index\.ts'/g),
]
  .map((m) => m[1]!)
  .filter((folder) => !PLUMBING.has(folder));

/** One import circle, as the chain of modules it runs through, or undefined. */
function findCircle(graph: Map<string, string[]>): string[] | undefined {
  const done = new Set<string>();
  const visit = (file: string, path: string[]): string[] | undefined => {
    if (path.includes(file)) return [...path.slice(path.indexOf(file)), file];
    if (done.has(file)) return undefined;
    for (const next of graph.get(file) ?? []) {
      const circle = visit(next, [...path, file]);
      if (circle) return circle;
    }
    done.add(file);
    return undefined;
  };
  for (const file of graph.keys()) {
    const circle = visit(file, []);
    if (circle) return circle;
  }
  return undefined;
}

describe('imports', () => {
  it('form no circle', () => {
    const graph = new Map(modules.map((file) => [file, importsOf(file)]));
    expect(graph.size).toBeGreaterThan(50);
    expect(findCircle(graph)?.map((file) => file.slice(SRC.length + 1))).toBeUndefined();
  });

  it('finds a circle when there is one', () => {
    expect(
      findCircle(
        new Map([
          ['a', ['b']],
          ['b', ['c']],
          ['c', ['a']],
        ]),
      ),
    ).toEqual(['a', 'b', 'c', 'a']);
  });

  it('leave the digests folder free of capabilities: each capability registers its own digest section', () => {
    expect(capabilityFolders).toEqual(
      expect.arrayContaining(['escalations', 'help-requests', 'rotations', 'feedback']),
    );
    const digests = modules.filter((file) => file.startsWith(join(SRC, 'digests/')));
    expect(digests.length).toBeGreaterThan(3);
    const reached = digests.flatMap((file) =>
      importsOf(file)
        .filter((target) => capabilityFolders.some((folder) => target.startsWith(join(SRC, folder, '/'))))
        .map((target) => `${file.slice(SRC.length + 1)} -> ${target.slice(SRC.length + 1)}`),
    );
    expect(reached).toEqual([]);
  });

  it('read the time only through the clock (src/clock.ts), so tests can set it', () => {
    const readers = modules
      .filter((file) => /\bnew Date\(\s*\)/.test(readFileSync(file, 'utf8')))
      .map((file) => file.slice(SRC.length + 1));
    expect(readers).toEqual(['clock.ts']);
  });
});
