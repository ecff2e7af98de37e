import { Client } from 'pg';
import { DataSource } from 'typeorm';
import { PlatformConfig } from '@ps/config';
import { lockDataDir } from './data-dir-lock';

/**
 * Connects once before the application starts, so an unreachable server is one clear line, not a
 * stack trace; on the embedded database, takes the data directory's lock for the process's life
 * (DataDirInUse when another process holds it).
 */
export async function checkDatabaseReachable(config: PlatformConfig): Promise<void> {
  if (!config.DATABASE_URL) {
    if (config.DATA_DIR !== 'memory') lockDataDir(config.DATA_DIR);
    return;
  }
  const client = new Client({ connectionString: config.DATABASE_URL, connectionTimeoutMillis: 5000 });
  try {
    await client.connect();
    await client.query('SELECT 1');
  } catch (error) {
    const url = new URL(config.DATABASE_URL);
    throw new Error(`cannot reach the PostgreSQL server at ${url.hostname}:${url.port || 5432}${url.pathname}: ${(error as Error).message}`, { cause: error });
  } finally {
    await client.end().catch(() => undefined);
  }
}

/** Asks the running database one trivial question; rejects when it does not answer (the health check). */
export async function ping(dataSource: DataSource): Promise<void> {
  await dataSource.query('SELECT 1');
}
