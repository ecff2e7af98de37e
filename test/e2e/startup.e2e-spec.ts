import { spawnSync } from 'node:child_process';
import { join } from 'node:path';

/** Runs the platform's real entry point (compiled on the fly) with the given environment. */
function start(env: Record<string, string>) {
  const root = join(__dirname, '..', '..');
  return spawnSync(process.execPath, ['-r', 'ts-node/register/transpile-only', '-r', 'tsconfig-paths/register', 'apps/platform/src/main.ts'], {
    cwd: root,
    env: { PATH: process.env.PATH ?? '', TS_NODE_PROJECT: 'tsconfig.json', ...env },
    encoding: 'utf8',
    timeout: 60_000,
  });
}

describe('starting the platform with bad configuration', () => {
  it('stops with one clear line naming every bad setting', () => {
    const run = start({ PORT: '70000', MIGRATIONS_RUN: 'misschien' });
    expect(run.status).toBe(1);
    expect(run.stderr.trim().split('\n')).toEqual([
      'plan-samenleven: Invalid configuration: PORT must be a whole number between 1 and 65535; MIGRATIONS_RUN must be true or false',
    ]);
  });

  it('stops with one clear line when the PostgreSQL server cannot be reached', () => {
    const run = start({ DATABASE_URL: 'postgres://postgres@127.0.0.1:5999/plan', PORT: '3997' });
    expect(run.status).toBe(1);
    expect(run.stderr.trim().split('\n')).toEqual([
      expect.stringMatching(/^plan-samenleven: cannot start: cannot reach the PostgreSQL server at 127\.0\.0\.1:5999\/plan: /),
    ]);
    expect(run.stdout).toBe('');
  });
});
