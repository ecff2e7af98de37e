import { spawn, spawnSync } from 'node:child_process';
import { join } from 'node:path';

const ROOT = join(__dirname, '..', '..');
const ENTRY = ['-r', 'ts-node/register/transpile-only', '-r', 'tsconfig-paths/register', 'apps/platform/src/main.ts'];
const environment = (env: Record<string, string>) => ({ PATH: process.env.PATH ?? '', TS_NODE_PROJECT: 'tsconfig.json', ...env });

/**
 * How long a start may take: the entry point is compiled on the fly (about 340 modules), which takes 10–20 s on a quiet
 * 2-core machine and over a minute when the machine is busy with the rest of the suite.
 */
const START_LIMIT_MS = 150_000;
const TEST_LIMIT_MS = START_LIMIT_MS + 30_000;

/** Runs the platform's real entry point (compiled on the fly) with the given environment, until it stops. */
function start(env: Record<string, string>) {
  return spawnSync(process.execPath, ENTRY, { cwd: ROOT, env: environment(env), encoding: 'utf8', timeout: START_LIMIT_MS });
}

/** Starts the platform and returns all it printed once a line matches `until` (or it stopped, or the start limit passed); then stops it. */
function outputUntil(env: Record<string, string>, until: RegExp): Promise<string> {
  return new Promise((resolve) => {
    const child = spawn(process.execPath, ENTRY, { cwd: ROOT, env: environment(env) });
    let output = '';
    const finish = () => {
      clearTimeout(timer);
      child.kill('SIGTERM');
      resolve(output);
    };
    const timer = setTimeout(finish, START_LIMIT_MS);
    const read = (chunk: Buffer) => {
      output += chunk.toString('utf8');
      if (until.test(output)) finish();
    };
    child.stdout.on('data', read);
    child.stderr.on('data', read);
    child.on('exit', finish);
  });
}

describe('starting the platform with bad configuration', () => {
  it(
    'stops with one clear line naming every bad setting',
    () => {
      const run = start({ PORT: '70000', MIGRATIONS_RUN: 'misschien' });
      expect(run.status).toBe(1);
      expect(run.stderr.trim().split('\n')).toEqual([
        'plan-samenleven: Invalid configuration: PORT must be a whole number between 1 and 65535; MIGRATIONS_RUN must be true or false',
      ]);
    },
    TEST_LIMIT_MS,
  );

  it(
    'stops with one clear line when the PostgreSQL server cannot be reached',
    () => {
      const run = start({ DATABASE_URL: 'postgres://postgres@127.0.0.1:5999/plan', PORT: '3997' });
      expect(run.status).toBe(1);
      expect(run.stderr.trim().split('\n')).toEqual([
        expect.stringMatching(/^plan-samenleven: cannot start: cannot reach the PostgreSQL server at 127\.0\.0\.1:5999\/plan: /),
      ]);
      expect(run.stdout).toBe('');
    },
    TEST_LIMIT_MS,
  );
});

describe('starting the platform in production on the embedded database', () => {
  it(
    'warns that the embedded database is for one process and small loads, and names the way out',
    async () => {
      const output = await outputUntil(
        { NODE_ENV: 'production', SESSION_SECRET: 'x'.repeat(40), DATA_DIR: 'memory', DEMO_DATA: 'false', PORT: '3996' },
        /Use a PostgreSQL server for production|Nest application successfully started|listening/i,
      );
      expect(output).toContain('NODE_ENV=production runs on the embedded database (no DATABASE_URL)');
      expect(output).toContain('503');
    },
    TEST_LIMIT_MS,
  );
});
