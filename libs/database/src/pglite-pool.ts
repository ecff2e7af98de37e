import { EventEmitter } from 'node:events';
import { mkdirSync } from 'node:fs';
import { PGlite } from '@electric-sql/pglite';

type Callback = (error: Error | null, result?: unknown) => void;

const ACQUIRE_TIMEOUT_MS = 20_000;

/**
 * A node-postgres-shaped pool over one embedded PGlite database, for TypeORM's postgres driver.
 *
 * PGlite is a single session, so the pool hands out its one connection to one query runner
 * at a time (like a pg pool with max: 1). Without that, two concurrent TypeORM transactions
 * would interleave their statements inside one session.
 */
export function pgliteDriver(dataDir: string | undefined) {
  let database: Promise<PGlite> | undefined;
  let queue: Promise<void> = Promise.resolve();
  const open = () => {
    if (dataDir) mkdirSync(dataDir, { recursive: true });
    return (database ??= PGlite.create(dataDir ? { dataDir } : {}));
  };

  const run = async (sql: string, params?: unknown[]) => {
    const db = await open();
    if (params && params.length > 0) return db.query(sql, params);
    const results = await db.exec(sql);
    return results[results.length - 1] ?? { rows: [], fields: [], affectedRows: 0 };
  };

  const client = Object.assign(new EventEmitter(), {
    query(sql: string, params?: unknown[] | Callback, callback?: Callback) {
      const cb = typeof params === 'function' ? params : callback;
      const args = typeof params === 'function' ? undefined : params;
      const promise = run(sql, args).then((result) => ({ ...result, rowCount: result.rowCount ?? result.affectedRows ?? 0 }));
      if (cb) promise.then((result) => cb(null, result), (error) => cb(error));
      return promise;
    },
  });

  /**
   * Waits for the connection; resolves with the function that hands it back. A wait longer than
   * ACQUIRE_TIMEOUT_MS almost always means code inside a transaction asked for a second connection
   * (use the transaction's manager); it fails loudly instead of hanging.
   */
  const acquire = (): Promise<() => void> => {
    let release!: () => void;
    const turn = new Promise<void>((resolve) => (release = resolve));
    const ready = queue.then(() => once(release));
    queue = queue.then(() => turn);
    let timedOut = false;
    let timer: NodeJS.Timeout | undefined;
    const timeout = new Promise<never>((_, reject) => {
      timer = setTimeout(() => {
        timedOut = true;
        reject(new Error(`embedded database busy for ${ACQUIRE_TIMEOUT_MS} ms: a second connection was requested inside a transaction?`));
      }, ACQUIRE_TIMEOUT_MS);
    });
    // A waiter that gave up hands its turn back as soon as it comes, so the queue keeps moving.
    void ready.then((give) => (timedOut ? give() : clearTimeout(timer)));
    return Promise.race([ready, timeout]);
  };

  class Pool extends EventEmitter {
    connect(callback: (error: Error | null, connection?: unknown, release?: () => void) => void) {
      acquire().then(
        (release) => open().then(() => callback(null, client, release), (error) => (release(), callback(error))),
        (error) => callback(error),
      );
    }

    async query(sql: string, params?: unknown[]) {
      const release = await acquire();
      try {
        return await client.query(sql, params);
      } finally {
        release();
      }
    }

    end(callback?: (error?: Error | null) => void) {
      const closing = database ? database.then((db) => db.close()) : Promise.resolve();
      database = undefined;
      closing.then(() => callback?.(null), (error) => callback?.(error));
    }
  }

  return { Pool };
}

function once(fn: () => void): () => void {
  let done = false;
  return () => {
    if (!done) {
      done = true;
      fn();
    }
  };
}
