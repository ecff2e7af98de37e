import { Writable } from 'node:stream';
import { NestExpressApplication } from '@nestjs/platform-express';
import { Test } from '@nestjs/testing';
import { getDataSourceToken } from '@nestjs/typeorm';
import { DataSource } from 'typeorm';
import { loadConfig, PlatformConfig } from '@ps/config';
import { Clock } from '@ps/kernel';
import { demoSubmissionWindow } from '@ps/setup';
import { AppModule } from '../../apps/platform/src/app.module';
import { configureApp } from '../../apps/platform/src/configure-app';
import { LOG_DESTINATION, PlatformLogger } from '../../apps/platform/src/observability/logging';
import { createTestDatabase } from './test-database';

export interface TestApp {
  app: NestExpressApplication;
  /** The Node HTTP server, for supertest. */
  http: ReturnType<NestExpressApplication['getHttpServer']>;
  dataSource: DataSource;
  config: PlatformConfig;
  /** Base URL once listen() was asked for, for the browser tests. */
  baseUrl?: string;
  close(): Promise<void>;
}

/** Boots the whole platform (migrations, reference data, demo data) on a database of its own. */
export async function startTestApp(
  options: {
    listen?: boolean;
    /** The port to listen on (with listen), when something must know the address before the app starts; any free one otherwise. */
    port?: number;
    env?: Record<string, string>;
    clock?: Clock;
    /** Receives the platform's log lines (JSON), Nest's own included; without it only errors reach stdout. */
    logStream?: Writable;
  } = {},
): Promise<TestApp> {
  const database = await createTestDatabase();
  const config = loadConfig({ NODE_ENV: 'test', DEMO_DATA: 'true', LOG_LEVEL: 'error', ...database.env, ...options.env });
  const builder = Test.createTestingModule({ imports: [AppModule.forRoot(config)] });
  if (options.clock) builder.overrideProvider(Clock).useValue(options.clock);
  if (options.logStream) builder.overrideProvider(LOG_DESTINATION).useValue(options.logStream);
  const moduleRef = await builder.compile();
  const app = moduleRef.createNestApplication<NestExpressApplication>({ logger: ['error', 'warn'] });
  if (options.logStream) app.useLogger(app.get(PlatformLogger));
  configureApp(app, config);
  await app.init();
  if (config.loadDemoData && !config.tellDemoStory) await openLatestWindow(app.get<DataSource>(getDataSourceToken()), app.get(Clock).now());
  let baseUrl: string | undefined;
  if (options.listen) {
    await app.listen(options.port ?? 0, '127.0.0.1');
    baseUrl = await app.getUrl();
    baseUrl = baseUrl.replace('[::1]', '127.0.0.1');
  }
  return {
    app,
    http: app.getHttpServer(),
    dataSource: app.get<DataSource>(getDataSourceToken()),
    config,
    baseUrl,
    async close() {
      await app.close();
      await database.drop();
    },
  };
}

/**
 * The tests' fixture calendar (the demo's story is off in tests): year 3, the latest call, open for submission from a
 * week ago to four weeks from now, Brussels time, unless it is open already.
 */
export async function openLatestWindow(dataSource: DataSource, now: Date): Promise<void> {
  const [call] = await dataSource.query(
    `SELECT id, submission_opens_at, submission_closes_at FROM call WHERE state <> 'draft' ORDER BY year_number DESC LIMIT 1`,
  );
  if (!call || (call.submission_opens_at <= now && now < call.submission_closes_at)) return;
  const window = demoSubmissionWindow(now);
  await dataSource.query(`UPDATE call SET submission_opens_at = $2, submission_closes_at = $3, version = version + 1 WHERE id = $1`, [
    call.id,
    window.opensAt,
    window.closesAt,
  ]);
}

/** A snapshot of whole tables, to prove that a refused request changed nothing. */
export async function snapshot(dataSource: DataSource, tables: string[]): Promise<Record<string, unknown[]>> {
  const result: Record<string, unknown[]> = {};
  for (const table of tables) result[table] = await dataSource.query(`SELECT * FROM ${table} ORDER BY 1, 2`);
  return result;
}
