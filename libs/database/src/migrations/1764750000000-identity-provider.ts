import { MigrationInterface, QueryRunner } from 'typeorm';

/**
 * Sign-in through the identity provider (ACM/IDM, docs/security.md): `local_government.kbo_number` is the organisation
 * code the provider names a local government by (its KBO number, ten digits); `app_user.provider_issuer` and
 * `provider_subject` link an account to one person at one provider, so a changed e-mail address keeps the account.
 */
export class IdentityProvider1764750000000 implements MigrationInterface {
  name = 'IdentityProvider1764750000000';

  async up(db: QueryRunner): Promise<void> {
    await db.query(`ALTER TABLE local_government ADD COLUMN kbo_number char(10) UNIQUE CHECK (kbo_number ~ '^[01][0-9]{9}$')`);
    await db.query(`ALTER TABLE app_user ADD COLUMN provider_issuer varchar(500), ADD COLUMN provider_subject varchar(255)`);
    await db.query(`ALTER TABLE app_user ADD CONSTRAINT app_user_provider_link CHECK ((provider_issuer IS NULL) = (provider_subject IS NULL))`);
    await db.query(`CREATE UNIQUE INDEX app_user_provider_subject ON app_user(provider_issuer, provider_subject) WHERE provider_subject IS NOT NULL`);
  }

  async down(db: QueryRunner): Promise<void> {
    await db.query(`DROP INDEX app_user_provider_subject`);
    await db.query(`ALTER TABLE app_user DROP CONSTRAINT app_user_provider_link, DROP COLUMN provider_issuer, DROP COLUMN provider_subject`);
    await db.query(`ALTER TABLE local_government DROP COLUMN kbo_number`);
  }
}
