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
