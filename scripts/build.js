// Bundles the app to JavaScript (dist/), so `npm start` runs plain Node with no TypeScript loader.
// Run before every start: it rebuilds only when a source file is newer than the bundle.
import { existsSync, readdirSync, rmSync, statSync } from 'node:fs';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';

const root = fileURLToPath(new URL('..', import.meta.url));
const entryPoints = { main: 'src/main.ts', migrate: 'src/db/migrate.ts', answers: 'src/knowledge/knowledge.cli.ts' };
const outputs = Object.keys(entryPoints).map((name) => join(root, 'dist', `${name}.js`));

function newestSource(dir) {
  let newest = statSync(fileURLToPath(import.meta.url)).mtimeMs;
  for (const entry of readdirSync(dir, { withFileTypes: true, recursive: true })) {
    if (entry.isFile() && entry.name.endsWith('.ts'))
      newest = Math.max(newest, statSync(join(entry.parentPath, entry.name)).mtimeMs);
  }
  return newest;
}

const stale =
  process.argv.includes('--force') ||
  outputs.some((file) => !existsSync(file) || statSync(file).mtimeMs < newestSource(join(root, 'src')));
if (stale) {
  // Loaded only to build: the usual start finds the bundle fresh and skips it.
  const { build } = await import('esbuild');
  // Chunks are named by their content: a rebuild's new names would sit beside the old ones.
  rmSync(join(root, 'dist', 'chunks'), { recursive: true, force: true });
  await build({
    absWorkingDir: root,
    entryPoints,
    outdir: 'dist',
    bundle: true,
    platform: 'node',
    format: 'esm',
    // main.js loads config and the database client first: the rest (Bolt, the capabilities) loads while the database starts.
    splitting: true,
    chunkNames: 'chunks/[name]-[hash]',
    target: 'node20',
    // Dependencies stay in node_modules: the bundle is only our code.
    packages: 'external',
    sourcemap: true,
    // Stack traces need file, line and column, not the sources themselves: a smaller map, parsed at start.
    sourcesContent: false,
    logLevel: 'warning',
  });
}
