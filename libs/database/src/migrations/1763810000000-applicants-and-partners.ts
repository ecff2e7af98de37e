import { MigrationInterface, QueryRunner } from 'typeorm';

/** Cooperations with carry-over, contact and payout account, confirmation letters, partners. */
export class ApplicantsAndPartners1763810000000 implements MigrationInterface {
  name = 'ApplicantsAndPartners1763810000000';

  async up(db: QueryRunner): Promise<void> {
    await db.query(`ALTER TABLE local_government ADD COLUMN usual_iban varchar(34)`);
    await db.query(`
      ALTER TABLE applicant
        ADD COLUMN carried_over_from_id integer REFERENCES applicant(id),
        ADD COLUMN contact_name varchar(200),
        ADD COLUMN contact_email varchar(254),
        ADD COLUMN contact_phone varchar(20),
        ADD COLUMN payout_iban varchar(34),
        ADD COLUMN created_at timestamptz NOT NULL DEFAULT now()`);
    // One cooperation per local government per call, except cooperations carried over from an earlier year.
    await db.query(`ALTER TABLE applicant_member ADD COLUMN carried_over boolean NOT NULL DEFAULT false`);
    await db.query(`ALTER TABLE applicant_member DROP CONSTRAINT applicant_member_call_id_local_government_id_key`);
    await db.query(`CREATE UNIQUE INDEX applicant_member_one_per_call ON applicant_member(call_id, local_government_id) WHERE NOT carried_over`);
    await db.query(`
      CREATE TABLE applicant_document (
        id serial PRIMARY KEY,
        applicant_id integer NOT NULL REFERENCES applicant(id) ON DELETE CASCADE,
        kind varchar(40) NOT NULL CHECK (kind IN ('iban-confirmation')),
        filename varchar(200) NOT NULL,
        content_type varchar(100) NOT NULL,
        size_bytes integer NOT NULL CHECK (size_bytes > 0),
        sha256 char(64) NOT NULL,
        iban varchar(34),
        content bytea NOT NULL,
        uploaded_by integer REFERENCES app_user(id),
        uploaded_at timestamptz NOT NULL DEFAULT now()
      )`);
    await db.query(`CREATE INDEX applicant_document_applicant ON applicant_document(applicant_id, kind, id)`);
    await db.query(`
      CREATE TABLE partner (
        id serial PRIMARY KEY,
        name varchar(200) NOT NULL,
        kbo_number char(10) CHECK (kbo_number ~ '^[01][0-9]{9}$'),
        offer varchar(10) NOT NULL CHECK (offer IN ('free', 'paid')),
        contact_name varchar(200),
        contact_email varchar(254),
        contact_phone varchar(20),
        description varchar(1000),
        applicant_id integer REFERENCES applicant(id) ON DELETE CASCADE,
        version integer NOT NULL DEFAULT 1
      )`);
    await db.query(`CREATE UNIQUE INDEX partner_assortment_kbo ON partner(kbo_number) WHERE applicant_id IS NULL`);
    await db.query(`
      CREATE TABLE partner_action (
        partner_id integer NOT NULL REFERENCES partner(id) ON DELETE CASCADE,
        action_number smallint NOT NULL REFERENCES action(number),
        PRIMARY KEY (partner_id, action_number)
      )`);
    await db.query(`
      CREATE TABLE applicant_partner (
        applicant_id integer NOT NULL REFERENCES applicant(id) ON DELETE CASCADE,
        partner_id integer NOT NULL REFERENCES partner(id) ON DELETE CASCADE,
        action_number smallint NOT NULL REFERENCES action(number),
        PRIMARY KEY (applicant_id, partner_id, action_number)
      )`);
  }

  async down(db: QueryRunner): Promise<void> {
    for (const table of ['applicant_partner', 'partner_action', 'partner', 'applicant_document']) await db.query(`DROP TABLE ${table}`);
    await db.query(`DROP INDEX applicant_member_one_per_call`);
    await db.query(`ALTER TABLE applicant_member ADD CONSTRAINT applicant_member_call_id_local_government_id_key UNIQUE (call_id, local_government_id)`);
    await db.query(`ALTER TABLE applicant_member DROP COLUMN carried_over`);
    await db.query(
      `ALTER TABLE applicant DROP COLUMN carried_over_from_id, DROP COLUMN contact_name, DROP COLUMN contact_email, DROP COLUMN contact_phone, DROP COLUMN payout_iban, DROP COLUMN created_at`,
    );
    await db.query(`ALTER TABLE local_government DROP COLUMN usual_iban`);
  }
}
