import { MigrationInterface, QueryRunner } from 'typeorm';

/** The text that replaces a link, as MASKED_LINK_NL in libs/notifications (copied: a migration stays as it ran). */
const MASKED = '[link naar de ontvanger verstuurd; niet zichtbaar in de uitgaande mail]';
/** Any link with a token parameter (the welcome and reset links), and a bare welcome or reset secret. */
const SECRET = String.raw`https?://\S*[?&]token=\S+|ps_(welcome|reset)_[A-Za-z0-9_-]+`;

/**
 * Issue 23: the outbox showed the welcome and password reset links, which let anyone who reads it set another user's
 * password. Mails are now stored without them; this masks the ones already stored.
 */
export class OutboxWithoutSecrets1764600000000 implements MigrationInterface {
  name = 'OutboxWithoutSecrets1764600000000';

  async up(db: QueryRunner): Promise<void> {
    await db.query(`UPDATE mail_outbox SET body = regexp_replace(body, $1, $2, 'g') WHERE body ~ $1`, [SECRET, MASKED]);
  }

  async down(): Promise<void> {
    // The secrets are gone for good; that is the point.
  }
}
