import { existsSync } from 'node:fs';
import { dirname, join } from 'node:path';

let cached: string | undefined;

/** The repository root (the folder with nest-cli.json), whether running from src or dist. */
export function projectRoot(): string {
  if (cached) return cached;
  let dir = __dirname;
  while (!existsSync(join(dir, 'nest-cli.json'))) {
    const parent = dirname(dir);
    if (parent === dir) throw new Error('cannot find the project root (nest-cli.json)');
    dir = parent;
  }
  cached = dir;
  return dir;
}

export function fromRoot(...segments: string[]): string {
  return join(projectRoot(), ...segments);
}
