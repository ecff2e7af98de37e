import { DataSource } from 'typeorm';

/** How the data source's connection pool is used, for the metrics. */
export interface PoolStats {
  /** Connections open (on the embedded database: 1 once it is open). */
  total: number;
  /** Open connections no one uses. */
  idle: number;
  /** Callers waiting for a connection (on the embedded database: requests queued for its one connection). */
  waiting: number;
  /** The embedded database only: connections handed out since the start, and the seconds they waited in the queue. */
  waits?: { acquired: number; seconds: number };
}

interface CountingPool {
  totalCount: number;
  idleCount: number;
  waitingCount: number;
  waits?: { acquired: number; seconds: number };
}

/**
 * Reads the counts of TypeORM's pool: node-postgres' Pool on a server, the PGlite pool (pglite-pool.ts) otherwise, which
 * has the same counts. Null while the data source is not connected.
 */
export function poolStats(dataSource: DataSource): PoolStats | null {
  const pool = (dataSource.driver as unknown as { master?: CountingPool }).master;
  if (!dataSource.isInitialized || !pool) return null;
  return { total: pool.totalCount, idle: pool.idleCount, waiting: pool.waitingCount, ...(pool.waits ? { waits: pool.waits } : {}) };
}
