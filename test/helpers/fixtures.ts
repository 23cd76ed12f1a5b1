/** Paths and loaders for test fixtures. */
import { readFileSync, readdirSync, statSync } from 'node:fs';
import { dirname, join, relative } from 'node:path';
import { fileURLToPath } from 'node:url';

/** The test/fixtures directory. */
export const fixturesDir = join(dirname(fileURLToPath(import.meta.url)), '..', 'fixtures');

/** The copied google/cap-library corpus (see its SOURCE.md). */
export const googleCorpusDir = join(fixturesDir, 'cap', 'google-cap-library');

/** Bytes of a fixture, by path relative to test/fixtures. */
export function fixtureBytes(path: string): Buffer {
  return readFileSync(join(fixturesDir, path));
}

/** Text (UTF-8) of a fixture, by path relative to test/fixtures. */
export function fixtureText(path: string): string {
  return readFileSync(join(fixturesDir, path), 'utf8');
}

/** Every file below `dir`, as paths relative to it, sorted. */
export function listFiles(dir: string): string[] {
  const out: string[] = [];
  const walk = (d: string): void => {
    for (const name of readdirSync(d)) {
      const full = join(d, name);
      if (statSync(full).isDirectory()) walk(full);
      else out.push(relative(dir, full));
    }
  };
  walk(dir);
  return out.sort();
}
