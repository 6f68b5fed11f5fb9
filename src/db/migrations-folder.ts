import { existsSync } from 'node:fs';
import { dirname, join } from 'node:path';

/** drizzle/ at the package root, found from src/db/ (sources) or dist/ (the bundle) alike. */
export const MIGRATIONS_FOLDER = findUp(import.meta.dirname, 'drizzle/meta/_journal.json');

function findUp(from: string, marker: string): string {
  for (let dir = from; ; dir = dirname(dir)) {
    if (existsSync(join(dir, marker))) return join(dir, marker.split('/')[0]!);
    if (dirname(dir) === dir) throw new Error(`${marker} not found above ${from}`);
  }
}
