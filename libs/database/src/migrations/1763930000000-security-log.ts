import { MigrationInterface, QueryRunner } from 'typeorm';

/**
 * The security log: refused requests (failed sign-ins, refused tokens, 403s, cross-tenant 404s), so ABB can see probing.
 * Not the business audit trail. Rows are never changed; only rows older than a year may be deleted (retention).
 */
export class SecurityLog1763930000000 implements MigrationInterface {
  name = 'SecurityLog1763930000000';

  async up(db: QueryRunner): Promise<void> {
    await db.query(`
      CREATE TABLE security_event (
        id bigserial PRIMARY KEY,
        occurred_at timestamptz NOT NULL DEFAULT now(),
        user_id integer,
        role varchar(40),
        local_government_id integer,
        ip varchar(64),
        method varchar(10) NOT NULL,
        route varchar(300) NOT NULL,
        status smallint NOT NULL,
        reason varchar(60) NOT NULL,
        detail varchar(300)
      )`);
    await db.query(`CREATE INDEX security_event_occurred ON security_event(occurred_at)`);
    await db.query(`
      CREATE FUNCTION security_event_append_only() RETURNS trigger LANGUAGE plpgsql AS $$
      BEGIN
        IF TG_OP = 'DELETE' THEN
          IF OLD.occurred_at < now() - interval '1 year' THEN RETURN OLD; END IF;
        END IF;
        RAISE EXCEPTION 'security_event is append-only: % is not allowed', TG_OP USING ERRCODE = 'insufficient_privilege';
      END $$`);
    await db.query(
      `CREATE TRIGGER security_event_no_update_or_delete BEFORE UPDATE OR DELETE ON security_event FOR EACH ROW EXECUTE FUNCTION security_event_append_only()`,
    );
    await db.query(
      `CREATE TRIGGER security_event_no_truncate BEFORE TRUNCATE ON security_event FOR EACH STATEMENT EXECUTE FUNCTION security_event_append_only()`,
    );
  }

  async down(db: QueryRunner): Promise<void> {
    await db.query(`DROP TABLE security_event`);
    await db.query(`DROP FUNCTION security_event_append_only()`);
  }
}
