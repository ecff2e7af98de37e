import { Injectable } from '@nestjs/common';
import { EntityManager } from 'typeorm';

/** All SQL on login_throttle: failed sign-ins per e-mail address, and the lockout. */
@Injectable()
export class SignInThrottleRepository {
  /** Counts one attempt atomically, starting a new window when the current one began before windowStart. */
  async count(manager: EntityManager, key: string, now: Date, windowStart: Date): Promise<{ failures: number; locked_until: Date | null }> {
    const [row] = await manager.query(
      `INSERT INTO login_throttle (key, failures, window_started_at) VALUES ($1, 1, $2)
       ON CONFLICT (key) DO UPDATE SET
         failures = CASE WHEN login_throttle.window_started_at < $3 THEN 1 ELSE login_throttle.failures + 1 END,
         window_started_at = CASE WHEN login_throttle.window_started_at < $3 THEN $2 ELSE login_throttle.window_started_at END
       RETURNING failures, locked_until`,
      [key, now, windowStart],
    );
    return row;
  }

  async clear(manager: EntityManager, key: string): Promise<void> {
    await manager.query(`DELETE FROM login_throttle WHERE key = $1`, [key]);
  }

  /** Locks the address until then and starts counting afresh. */
  async lock(manager: EntityManager, key: string, until: Date, now: Date): Promise<void> {
    await manager.query(`UPDATE login_throttle SET locked_until = $2, failures = 0, window_started_at = $3 WHERE key = $1`, [key, until, now]);
  }
}

/** One row of sign_in_source_throttle. */
export interface SourceThrottleRow {
  source: string;
  attempts: number;
  window_started_at: Date;
  last_attempt_at: Date;
}

/** All SQL on sign_in_source_throttle: counted sign-in attempts per source address, and of all sources under `*`. */
@Injectable()
export class SourceThrottleRepository {
  /**
   * Locks the rows in one fixed order (no deadlock between two sign-ins) and reads them; a missing row is made first,
   * so that even the first attempts of a new source are counted one after the other.
   */
  async lock(manager: EntityManager, sources: string[], now: Date): Promise<SourceThrottleRow[]> {
    const read = (): Promise<SourceThrottleRow[]> =>
      manager.query(
        `SELECT source, attempts, window_started_at, last_attempt_at FROM sign_in_source_throttle
          WHERE source = ANY($1::varchar[]) ORDER BY source COLLATE "C" FOR UPDATE`,
        [sources],
      );
    const rows = await read();
    if (rows.length === sources.length) return rows;
    await manager.query(
      `INSERT INTO sign_in_source_throttle (source, attempts, window_started_at, last_attempt_at)
       SELECT unnest($1::varchar[]), 0, $2, $2
       ON CONFLICT (source) DO NOTHING`,
      [sources, now],
    );
    return read();
  }

  /** Writes the new counts of the locked rows. */
  async save(manager: EntityManager, rows: SourceThrottleRow[]): Promise<void> {
    await manager.query(
      `UPDATE sign_in_source_throttle t SET attempts = n.attempts, window_started_at = n.window_started_at, last_attempt_at = n.last_attempt_at
         FROM unnest($1::varchar[], $2::integer[], $3::timestamptz[], $4::timestamptz[]) AS n(source, attempts, window_started_at, last_attempt_at)
        WHERE t.source = n.source`,
      [rows.map((row) => row.source), rows.map((row) => row.attempts), rows.map((row) => row.window_started_at), rows.map((row) => row.last_attempt_at)],
    );
  }

  /** Takes back one counted attempt; the time of the last one goes back too, unless another attempt came since. */
  async uncount(manager: EntityManager, source: string, countedAt: Date, previous: Date): Promise<void> {
    await manager.query(
      `UPDATE sign_in_source_throttle
          SET attempts = GREATEST(attempts - 1, 0),
              last_attempt_at = CASE WHEN last_attempt_at = $2 THEN $3 ELSE last_attempt_at END
        WHERE source = $1`,
      [source, countedAt, previous],
    );
  }

  /** Rows of single sources whose window began before then: they count nothing any more. */
  async deleteStale(manager: EntityManager, before: Date): Promise<void> {
    await manager.query(`DELETE FROM sign_in_source_throttle WHERE source <> '*' AND window_started_at < $1`, [before]);
  }
}
