import { MigrationInterface, QueryRunner } from 'typeorm';

/** Sessions, API tokens, login throttling, password resets, the mail outbox and the append-only audit trail. */
export class AccountsAndAudit1763800000000 implements MigrationInterface {
  name = 'AccountsAndAudit1763800000000';

  async up(db: QueryRunner): Promise<void> {
    await db.query(`ALTER TABLE app_user ALTER COLUMN password_hash DROP NOT NULL`);
    await db.query(`ALTER TABLE app_user ADD COLUMN version integer NOT NULL DEFAULT 1`);
    await db.query(`
      CREATE TABLE http_session (
        sid varchar(100) PRIMARY KEY,
        data jsonb NOT NULL,
        user_id integer REFERENCES app_user(id) ON DELETE CASCADE,
        expires_at timestamptz NOT NULL
      )`);
    await db.query(`CREATE INDEX http_session_expires ON http_session(expires_at)`);
    await db.query(`CREATE INDEX http_session_user ON http_session(user_id)`);
    await db.query(`
      CREATE TABLE api_token (
        id serial PRIMARY KEY,
        user_id integer NOT NULL REFERENCES app_user(id),
        name varchar(100) NOT NULL,
        token_hash char(64) NOT NULL UNIQUE,
        prefix varchar(16) NOT NULL,
        created_at timestamptz NOT NULL DEFAULT now(),
        expires_at timestamptz NOT NULL,
        last_used_at timestamptz,
        revoked_at timestamptz
      )`);
    await db.query(`CREATE INDEX api_token_user ON api_token(user_id)`);
    await db.query(`
      CREATE TABLE login_throttle (
        key varchar(300) PRIMARY KEY,
        failures integer NOT NULL,
        window_started_at timestamptz NOT NULL,
        locked_until timestamptz
      )`);
    await db.query(`
      CREATE TABLE password_reset (
        id serial PRIMARY KEY,
        user_id integer NOT NULL REFERENCES app_user(id),
        token_hash char(64) NOT NULL UNIQUE,
        created_at timestamptz NOT NULL DEFAULT now(),
        expires_at timestamptz NOT NULL,
        used_at timestamptz
      )`);
    await db.query(`
      CREATE TABLE mail_outbox (
        id serial PRIMARY KEY,
        recipient varchar(254) NOT NULL,
        subject varchar(300) NOT NULL,
        body text NOT NULL,
        created_at timestamptz NOT NULL DEFAULT now()
      )`);
    await db.query(`
      CREATE TABLE audit_event (
        id bigserial PRIMARY KEY,
        occurred_at timestamptz NOT NULL DEFAULT now(),
        actor_user_id integer,
        actor_label varchar(300) NOT NULL,
        entity_type varchar(60) NOT NULL,
        entity_id varchar(60) NOT NULL,
        action varchar(60) NOT NULL,
        before jsonb,
        after jsonb,
        owner_local_government_ids integer[] NOT NULL DEFAULT '{}'
      )`);
    await db.query(`CREATE INDEX audit_event_entity ON audit_event(entity_type, entity_id, id)`);
    await db.query(`CREATE INDEX audit_event_owners ON audit_event USING gin (owner_local_government_ids)`);
    // Append-only, enforced by the database for every role, the table owner included.
    await db.query(`
      CREATE FUNCTION audit_event_append_only() RETURNS trigger LANGUAGE plpgsql AS $$
      BEGIN
        RAISE EXCEPTION 'audit_event is append-only: % is not allowed', TG_OP USING ERRCODE = 'insufficient_privilege';
      END $$`);
    await db.query(
      `CREATE TRIGGER audit_event_no_update_or_delete BEFORE UPDATE OR DELETE ON audit_event FOR EACH ROW EXECUTE FUNCTION audit_event_append_only()`,
    );
    await db.query(`CREATE TRIGGER audit_event_no_truncate BEFORE TRUNCATE ON audit_event FOR EACH STATEMENT EXECUTE FUNCTION audit_event_append_only()`);
  }

  async down(db: QueryRunner): Promise<void> {
    await db.query(`DROP TABLE audit_event`);
    await db.query(`DROP FUNCTION audit_event_append_only()`);
    for (const table of ['mail_outbox', 'password_reset', 'login_throttle', 'api_token', 'http_session']) await db.query(`DROP TABLE ${table}`);
    await db.query(`ALTER TABLE app_user DROP COLUMN version`);
  }
}
