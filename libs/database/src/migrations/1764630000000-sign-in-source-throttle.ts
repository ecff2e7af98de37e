import { MigrationInterface, QueryRunner } from 'typeorm';

/**
 * `sign_in_source_throttle`: counted sign-in attempts per source address (IPv4, or an IPv6 /64) and, under the key `*`,
 * of all sources together, so every process and instance throttles alike (libs/identity/src/sign-in-throttle.ts).
 * Rows whose window has passed count nothing and are deleted as new windows start.
 */
export class SignInSourceThrottle1764630000000 implements MigrationInterface {
  name = 'SignInSourceThrottle1764630000000';

  async up(db: QueryRunner): Promise<void> {
    await db.query(`
      CREATE TABLE sign_in_source_throttle (
        source varchar(64) PRIMARY KEY,
        attempts integer NOT NULL CHECK (attempts >= 0),
        window_started_at timestamptz NOT NULL,
        last_attempt_at timestamptz NOT NULL
      )`);
    await db.query(`CREATE INDEX sign_in_source_throttle_window ON sign_in_source_throttle(window_started_at)`);
    await db.query(`INSERT INTO sign_in_source_throttle (source, attempts, window_started_at, last_attempt_at) VALUES ('*', 0, now(), now())`);
  }

  async down(db: QueryRunner): Promise<void> {
    await db.query(`DROP TABLE sign_in_source_throttle`);
  }
}
