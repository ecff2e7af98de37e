import { MigrationInterface, QueryRunner } from 'typeorm';

/**
 * The deadline rush (issue 15):
 * - identity changes (a token revoked or expired early, a user's role, local government, name or status) notify
 *   'identity_changed', so every platform process forgets the API tokens it cached (docs/rush.md);
 * - the first answer to a request with an idempotency key, so a retry gets it again instead of a 409.
 */
export class DeadlineRush1764000000000 implements MigrationInterface {
  name = 'DeadlineRush1764000000000';

  async up(db: QueryRunner): Promise<void> {
    await db.query(`
      CREATE FUNCTION notify_identity_changed() RETURNS trigger LANGUAGE plpgsql AS $$
      BEGIN
        PERFORM pg_notify('identity_changed', '');
        RETURN NULL;
      END $$`);
    await db.query(`CREATE TRIGGER api_token_changed AFTER UPDATE OF revoked_at, expires_at, user_id, token_hash OR DELETE ON api_token
      FOR EACH STATEMENT EXECUTE FUNCTION notify_identity_changed()`);
    await db.query(`CREATE TRIGGER app_user_changed AFTER UPDATE OF role, local_government_id, active, email, display_name OR DELETE ON app_user
      FOR EACH STATEMENT EXECUTE FUNCTION notify_identity_changed()`);
    await db.query(`
      CREATE TABLE idempotent_answer (
        user_id integer NOT NULL REFERENCES app_user(id) ON DELETE CASCADE,
        key varchar(100) NOT NULL,
        fingerprint char(64) NOT NULL,
        answer jsonb NOT NULL,
        created_at timestamptz NOT NULL DEFAULT now(),
        PRIMARY KEY (user_id, key)
      )`);
    await db.query(`CREATE INDEX idempotent_answer_created ON idempotent_answer(created_at)`);
  }

  async down(db: QueryRunner): Promise<void> {
    await db.query(`DROP TABLE idempotent_answer`);
    await db.query(`DROP TRIGGER app_user_changed ON app_user`);
    await db.query(`DROP TRIGGER api_token_changed ON api_token`);
    await db.query(`DROP FUNCTION notify_identity_changed()`);
  }
}
