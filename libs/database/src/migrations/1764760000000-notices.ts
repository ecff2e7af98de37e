import { MigrationInterface, QueryRunner } from 'typeorm';

/**
 * Issue 25: the mail outbox becomes a transactional outbox. A row is written in the transaction of the event it tells
 * of and delivered afterwards by one worker (a lease taken in a short transaction): `state` says where it is
 * ('waiting' for SMTP, 'sent', 'failed' after the last attempt, 'outbox' when no SMTP is configured). `delivery_text`
 * is the text as the recipient gets it (with a one-time link), kept only until it went out. `event_key` with the
 * recipient is unique: one notice per event and recipient, however often the event is told. `user_id` makes it a
 * message in the recipient's "Berichten" (read when `read_at` is set).
 */
export class Notices1764760000000 implements MigrationInterface {
  name = 'Notices1764760000000';

  async up(db: QueryRunner): Promise<void> {
    await db.query(`
      ALTER TABLE mail_outbox
        ADD COLUMN event_key varchar(200),
        ADD COLUMN user_id integer REFERENCES app_user(id),
        ADD COLUMN link varchar(500),
        ADD COLUMN state varchar(10) NOT NULL DEFAULT 'sent' CHECK (state IN ('waiting', 'sent', 'failed', 'outbox')),
        ADD COLUMN delivery_text text,
        ADD COLUMN attempts integer NOT NULL DEFAULT 0,
        ADD COLUMN next_attempt_at timestamptz,
        ADD COLUMN claimed_until timestamptz,
        ADD COLUMN last_error varchar(500),
        ADD COLUMN sent_at timestamptz,
        ADD COLUMN read_at timestamptz`);
    await db.query(`CREATE UNIQUE INDEX mail_outbox_event_recipient ON mail_outbox (event_key, lower(recipient)) WHERE event_key IS NOT NULL`);
    await db.query(`CREATE INDEX mail_outbox_waiting ON mail_outbox (next_attempt_at, id) WHERE state = 'waiting'`);
    await db.query(`CREATE INDEX mail_outbox_user ON mail_outbox (user_id, id) WHERE user_id IS NOT NULL`);
    // Proof of a timely submission: the SHA-256 of what was submitted, beside the moment (applications lib).
    await db.query(`ALTER TABLE application ADD COLUMN submitted_digest char(64)`);
  }

  async down(db: QueryRunner): Promise<void> {
    await db.query(`ALTER TABLE application DROP COLUMN submitted_digest`);
    await db.query(`DROP INDEX mail_outbox_user`);
    await db.query(`DROP INDEX mail_outbox_waiting`);
    await db.query(`DROP INDEX mail_outbox_event_recipient`);
    for (const column of [
      'read_at',
      'sent_at',
      'last_error',
      'claimed_until',
      'next_attempt_at',
      'attempts',
      'delivery_text',
      'state',
      'link',
      'user_id',
      'event_key',
    ])
      await db.query(`ALTER TABLE mail_outbox DROP COLUMN ${column}`);
  }
}
