import { resolve } from 'node:path';
import { PlatformConfig } from '@ps/config';
import { DataSourceOptions } from 'typeorm';
import { pgliteDriver } from './pglite-pool';
import { migrations } from './migrations';

/** The one place that decides which PostgreSQL the platform talks to. */
export function dataSourceOptions(config: PlatformConfig): DataSourceOptions {
  const common = {
    type: 'postgres' as const,
    synchronize: false,
    migrations,
    // With an owner role of its own, migrations run before connecting (migrateAsOwner), not as the platform.
    migrationsRun: config.MIGRATIONS_RUN && !config.MIGRATIONS_DATABASE_URL,
    migrationsTableName: 'schema_migrations',
    migrationsTransactionMode: 'each' as const,
    logging: ['error' as const, 'warn' as const].filter(() => config.LOG_LEVEL === 'debug' || config.LOG_LEVEL === 'verbose'),
  };
  if (config.DATABASE_URL) {
    // No JIT compilation: on the platform's queries it costs more than it saves (the overview figures at 100× take
    // 1.5–2.5× as long with it: docs/benchmarks.md, "Every route at national scale").
    return { ...common, url: config.DATABASE_URL, applicationName: 'plan-samenleven', extra: { max: 10, options: '-c jit=off' } };
  }
  const files = config.DATA_DIR === 'memory' ? undefined : { dataDir: resolve(config.DATA_DIR, 'pglite'), lockDir: resolve(config.DATA_DIR) };
  return { ...common, driver: pgliteDriver(files) };
}

export function describeDatabase(config: PlatformConfig): string {
  if (config.DATABASE_URL) return `PostgreSQL server ${config.DATABASE_URL.replace(/\/\/[^@/]*@/, '//***@')}`;
  return config.DATA_DIR === 'memory' ? 'embedded PGlite (in memory)' : `embedded PGlite in ${resolve(config.DATA_DIR, 'pglite')}`;
}
