import { spawnSync } from 'node:child_process';
import { existsSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import request from 'supertest';
import { DataSource } from 'typeorm';
import { loadConfig } from '@ps/config';
import { dataSourceOptions, migrations, REQUEST_WAIT_MS } from '@ps/database';
import { snapshot, startTestApp, TestApp } from '../support/test-app';

describe('the database connection', () => {
  let t: TestApp;
  beforeAll(async () => (t = await startTestApp()));
  afterAll(() => t.close());

  it('keeps concurrent transactions apart (one session per transaction, also on PGlite)', async () => {
    const runs = Array.from({ length: 8 }, (_, i) =>
      t.dataSource.transaction(async (manager) => {
        await manager.query(`UPDATE call SET version = version + 1 WHERE year_number = 1`);
        await new Promise((resolve) => setTimeout(resolve, 5));
        if (i % 2 === 1) throw new Error('roll back');
      }),
    );
    const results = await Promise.allSettled(runs);
    expect(results.filter((r) => r.status === 'fulfilled')).toHaveLength(4);
    const [call] = await t.dataSource.query(`SELECT version FROM call WHERE year_number = 1`);
    expect(call.version).toBe(1 + 4);
  });

  it('reports affected rows of UPDATE and DELETE as TypeORM expects', async () => {
    const result = await (t.dataSource as DataSource)
      .createQueryBuilder()
      .update('call')
      .set({ version: () => 'version' })
      .where('year_number > 1')
      .execute();
    expect(result.affected).toBe(2);
  });

  it('ran the migrations and never synchronises', async () => {
    const ran = await t.dataSource.query(`SELECT name FROM schema_migrations ORDER BY id`);
    expect(ran.map((m: { name: string }) => m.name)).toEqual(migrations.map((m) => m.name));
    expect(t.dataSource.options.synchronize).toBe(false);
  });
});

/** Runs an entry point (compiled on the fly) on the embedded database in dataDir. */
function runEntryPoint(entry: string, args: string[], env: Record<string, string>) {
  return spawnSync(process.execPath, ['-r', 'ts-node/register/transpile-only', '-r', 'tsconfig-paths/register', entry, ...args], {
    cwd: join(__dirname, '..', '..'),
    env: { PATH: process.env.PATH ?? '', TS_NODE_PROJECT: 'tsconfig.json', NODE_ENV: 'test', LOG_LEVEL: 'error', ...env },
    encoding: 'utf8',
    timeout: 90_000,
  });
}

describe('the embedded database belongs to one process', () => {
  const dataDir = mkdtempSync(join(tmpdir(), 'ps-lock-'));
  const lockFile = join(dataDir, 'pglite.lock');
  const openDataSource = async () => {
    const dataSource = new DataSource(dataSourceOptions(loadConfig({ NODE_ENV: 'test', DATA_DIR: dataDir, MIGRATIONS_RUN: 'true' })));
    await dataSource.initialize();
    return dataSource;
  };
  afterAll(() => rmSync(dataDir, { recursive: true, force: true }));

  it('refuses a CLI command and a second platform on a data directory another process holds, with one line, writing nothing', async () => {
    const platform = await openDataSource();
    try {
      const before = await snapshot(platform, ['app_user', 'audit_event']);
      const message = `De ingebedde databank in ${dataDir} is in gebruik door proces ${process.pid} (stop het platform eerst, of gebruik DATABASE_URL).`;

      const cli = runEntryPoint('apps/cli/src/main.ts', ['create-admin', 'tweede@abb.vlaanderen.be', 'Tweede', 'Proces'], {
        DATA_DIR: dataDir,
        ADMIN_PASSWORD: 'een sterk wachtwoord van mij',
      });
      expect(cli.stderr.trim().split('\n')).toEqual([message]);
      expect(cli.status).toBe(1);
      expect(cli.stdout).toBe('');

      const second = runEntryPoint('apps/platform/src/main.ts', [], { DATA_DIR: dataDir, PORT: '3996' });
      expect(second.stderr.trim().split('\n')).toEqual([`plan-samenleven: cannot start: ${message}`]);
      expect(second.status).toBe(1);

      expect(await snapshot(platform, ['app_user', 'audit_event'])).toEqual(before);
      expect(readFileSync(lockFile, 'utf8').trim()).toBe(String(process.pid));
    } finally {
      await platform.destroy();
    }
    expect(existsSync(lockFile)).toBe(false);
  });

  it('takes over a lock left by a process that is gone, and then the CLI may write', async () => {
    const gone = spawnSync(process.execPath, ['-e', 'process.stdout.write(String(process.pid))'], { encoding: 'utf8' });
    writeFileSync(lockFile, `${gone.stdout}\n`);
    const cli = runEntryPoint('apps/cli/src/main.ts', ['create-admin', 'derde@abb.vlaanderen.be', 'Derde', 'Proces'], {
      DATA_DIR: dataDir,
      ADMIN_PASSWORD: 'een sterk wachtwoord van mij',
    });
    expect(cli.stderr).toBe('');
    expect(cli.status).toBe(0);
    expect(existsSync(lockFile)).toBe(false);
    const dataSource = await openDataSource();
    try {
      expect(await dataSource.query(`SELECT email FROM app_user`)).toEqual([{ email: 'derde@abb.vlaanderen.be' }]);
    } finally {
      await dataSource.destroy();
    }
  });
});

describe('the embedded database under concurrent requests', () => {
  let t: TestApp;
  beforeAll(async () => (t = await startTestApp({ env: { DATABASE_URL: '', DATA_DIR: 'memory' } })));
  afterAll(() => t.close());

  /** Holds the one connection from outside any request, as a long transaction would. */
  const holdConnection = (ms: number) => {
    let held!: () => void;
    const holding = new Promise<void>((resolve) => (held = resolve));
    const done = t.dataSource.transaction(async (manager) => {
      await manager.query(`SELECT 1`);
      held();
      await new Promise((resolve) => setTimeout(resolve, ms));
    });
    return { holding, done };
  };
  const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));

  it('serves a request that started before the others first, instead of queueing it again for every query', async () => {
    const { holding, done } = holdConnection(500);
    await holding;
    const finished: string[] = [];
    const menu = request(t.http)
      .get('/api/v1/calls/1/menu')
      .expect(200)
      .then(() => finished.push('menu'));
    await sleep(150); // the menu's first query is queued now
    const healthChecks = Array.from({ length: 20 }, () =>
      request(t.http)
        .get('/health')
        .expect(200)
        .then(() => finished.push('health')),
    );
    await Promise.all([done, menu, ...healthChecks]);
    // Between two of its queries one waiting health check may slip in (the connection is handed over at
    // once); queued per query (the old pool), each later menu query waited behind all twenty.
    expect(finished.indexOf('menu')).toBeLessThan(5);
  });

  it('answers 503 with Retry-After, in Dutch, when a request would wait longer than 2 s, and serves it again afterwards', async () => {
    const { holding, done } = holdConnection(REQUEST_WAIT_MS + 1_000);
    await holding;
    const started = performance.now();
    const res = await request(t.http).get('/api/v1/calls/1/menu').expect(503);
    expect(performance.now() - started).toBeLessThan(REQUEST_WAIT_MS + 500);
    expect(res.headers['retry-after']).toBe('2');
    expect(res.body).toEqual({ statusCode: 503, code: 'unavailable', message: 'Het platform is even te druk. Probeer het over enkele seconden opnieuw.' });
    await done;
    await request(t.http).get('/api/v1/calls/1/menu').expect(200);
  });
});
