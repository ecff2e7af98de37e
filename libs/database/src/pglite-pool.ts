import { AsyncLocalStorage } from 'node:async_hooks';
import { EventEmitter } from 'node:events';
import type { Server, ServerResponse } from 'node:http';
import { mkdirSync } from 'node:fs';
import { Unavailable } from '@ps/kernel';
import { PGlite } from '@electric-sql/pglite';
import { lockDataDir } from './data-dir-lock';

type Callback = (error: Error | null, result?: unknown) => void;

/** An HTTP request that cannot start on the embedded database within this time of arriving gets 503 and Retry-After. */
export const REQUEST_WAIT_MS = 2_000;
const RETRY_AFTER_SECONDS = 2;
/** Work outside a request (start-up, CLI) waits longer; longer than this is a second connection inside a transaction. */
const OTHER_WAIT_MS = 20_000;

export class DatabaseBusy extends Unavailable {
  constructor() {
    super('Het platform is even te druk. Probeer het over enkele seconden opnieuw.', RETRY_AFTER_SECONDS);
  }
}

/** One HTTP request: its queries share one place in the queue, the place of its first query. */
interface Turn {
  arrivedAt: number;
  ticket?: number;
  response?: ServerResponse;
}
const turns = new AsyncLocalStorage<Turn>();

/**
 * Runs every request of the server in a turn of its own. Done on the server's 'request' event,
 * before Express, so that the session middleware's queries belong to the request too.
 */
export function takeTurnsPerRequest(server: Server): void {
  if ((server as { takesTurns?: boolean }).takesTurns) return;
  const handlers = server.listeners('request') as ((...args: unknown[]) => void)[];
  server.removeAllListeners('request');
  server.on('request', (req, res: ServerResponse) =>
    turns.run({ arrivedAt: performance.now(), response: res }, () => handlers.forEach((handler) => handler.call(server, req, res))),
  );
  Object.assign(server, { takesTurns: true });
}

/**
 * The one connection of the embedded database, handed out first come, first served: a waiter's
 * place is its request's ticket (taken at the request's first query), so a request that already
 * started goes before every request that came after it and does not queue again behind them for
 * each of its queries. Outside a request each acquire takes a fresh ticket (plain FIFO).
 * A request still waiting for its first query REQUEST_WAIT_MS after it arrived is refused (503).
 */
function fairConnection() {
  interface Waiter {
    ticket: number;
    give(release: () => void): void;
  }
  const waiters: Waiter[] = [];
  let busy = false;
  let nextTicket = 0;
  // For the metrics (pool-stats.ts): turns handed out and the seconds they waited, since the start.
  const waited = { count: 0, seconds: 0 };
  const refuse = (turn: Turn) => {
    if (turn.response && !turn.response.headersSent) turn.response.setHeader('Retry-After', String(RETRY_AFTER_SECONDS));
    return new DatabaseBusy();
  };

  // PGlite runs on this thread and resolves in microtasks: handing over at once would chain query
  // after query without ever reading new requests or firing the waiters' timeouts. setImmediate
  // lets the event loop take its turn between two holders.
  const release = () => once(() => setImmediate(handOver));
  const handOver = () => {
    const next = waiters.shift();
    if (next) next.give(release());
    else busy = false;
  };

  const acquire = (): Promise<() => void> => {
    const turn = turns.getStore();
    // Only a request that has not touched the database yet may be refused: never half of its work.
    const refusable = turn !== undefined && turn.ticket === undefined;
    const ticket = turn ? (turn.ticket ??= nextTicket++) : nextTicket++;
    if (!busy) {
      busy = true;
      waited.count++;
      return Promise.resolve(release());
    }
    const queuedAt = performance.now();
    const budget = refusable ? turn.arrivedAt + REQUEST_WAIT_MS - performance.now() : OTHER_WAIT_MS;
    return new Promise((resolve, reject) => {
      const timer = setTimeout(
        () => {
          waiters.splice(waiters.indexOf(waiter), 1);
          if (!refusable) return reject(new Error(`embedded database busy for ${OTHER_WAIT_MS} ms: a second connection was requested inside a transaction?`));
          reject(refuse(turn));
        },
        Math.max(0, budget),
      );
      const waiter: Waiter = {
        ticket,
        give: (give) => {
          clearTimeout(timer);
          waited.count++;
          waited.seconds += (performance.now() - queuedAt) / 1000;
          resolve(give);
        },
      };
      const behind = waiters.findIndex((other) => other.ticket > ticket);
      waiters.splice(behind === -1 ? waiters.length : behind, 0, waiter);
    });
  };
  return Object.assign(acquire, { stats: () => ({ busy, waiting: waiters.length, acquired: waited.count, waitedSeconds: waited.seconds }) });
}

/**
 * A node-postgres-shaped pool over one embedded PGlite database, for TypeORM's postgres driver.
 *
 * PGlite is a single session, so the pool hands out its one connection to one query runner
 * at a time (like a pg pool with max: 1). Without that, two concurrent TypeORM transactions
 * would interleave their statements inside one session. A data directory is opened by one
 * process only (lockDataDir).
 */
export function pgliteDriver(files?: { dataDir: string; lockDir: string }) {
  let database: Promise<PGlite> | undefined;
  let unlock: (() => void) | undefined;
  const acquire = fairConnection();
  const open = () => {
    if (database) return database;
    if (files) {
      unlock = lockDataDir(files.lockDir);
      mkdirSync(files.dataDir, { recursive: true });
    }
    return (database = PGlite.create(files ? { dataDir: files.dataDir } : {}));
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
      if (cb)
        promise.then(
          (result) => cb(null, result),
          (error) => cb(error),
        );
      return promise;
    },
  });

  class Pool extends EventEmitter {
    /** The counts node-postgres' Pool has (totalCount, idleCount, waitingCount), and the queue's waits: see pool-stats.ts. */
    get totalCount(): number {
      return database ? 1 : 0;
    }
    get idleCount(): number {
      return database && !acquire.stats().busy ? 1 : 0;
    }
    get waitingCount(): number {
      return acquire.stats().waiting;
    }
    get waits(): { acquired: number; seconds: number } {
      const { acquired, waitedSeconds } = acquire.stats();
      return { acquired, seconds: waitedSeconds };
    }

    connect(callback: (error: Error | null, connection?: unknown, release?: () => void) => void) {
      acquire().then(
        (release) =>
          Promise.resolve()
            .then(open)
            .then(
              () => callback(null, client, release),
              (error) => (release(), callback(error)),
            ),
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

    /** LISTEN on the embedded database: PGlite calls back after the notifying transaction commits. */
    async listen(channel: string, callback: () => void): Promise<void> {
      const release = await acquire();
      try {
        await (await open()).listen(channel, callback);
      } finally {
        release();
      }
    }

    /**
     * The data directory as an uncompressed tarball (embedded-backup.ts), taken between two holders of the
     * connection, so no transaction is open, after a checkpoint. Requests wait meanwhile (a few hundred ms).
     */
    async dumpDataDir(): Promise<Buffer> {
      const release = await acquire();
      try {
        const db = await open();
        await db.exec('CHECKPOINT');
        return Buffer.from(await (await db.dumpDataDir('none')).arrayBuffer());
      } finally {
        release();
      }
    }

    end(callback?: (error?: Error | null) => void) {
      const closing = database ? database.then((db) => db.close()) : Promise.resolve();
      database = undefined;
      closing
        .finally(() => (unlock?.(), (unlock = undefined)))
        .then(
          () => callback?.(null),
          (error) => callback?.(error),
        );
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
