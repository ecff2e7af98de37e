import { MigrationInterface, QueryRunner } from 'typeorm';

/**
 * Local governments get a validity period and a successor (docs/calls.md, municipal mergers): `valid_from` (null: since before the
 * platform's data, the 300 municipalities of 2020), `valid_until` (null: still valid) and `successor_id`, the local
 * government a merged one continued in. A NIS code may come back (Antwerpen kept 11002 when it absorbed Borsbeek),
 * so it is unique per start of validity instead of over the whole table.
 */
export class LocalGovernmentValidity1764710000000 implements MigrationInterface {
  name = 'LocalGovernmentValidity1764710000000';

  async up(db: QueryRunner): Promise<void> {
    await db.query(`
      ALTER TABLE local_government
        ADD COLUMN valid_from date,
        ADD COLUMN valid_until date,
        ADD COLUMN successor_id integer REFERENCES local_government(id),
        ADD CONSTRAINT local_government_validity CHECK (valid_from IS NULL OR valid_until IS NULL OR valid_until >= valid_from),
        ADD CONSTRAINT local_government_successor_ended CHECK (successor_id IS NULL OR valid_until IS NOT NULL)`);
    await db.query(`ALTER TABLE local_government DROP CONSTRAINT local_government_nis_code_key`);
    await db.query(`CREATE UNIQUE INDEX local_government_nis_code_original ON local_government(nis_code) WHERE valid_from IS NULL`);
    await db.query(`CREATE UNIQUE INDEX local_government_nis_code_from ON local_government(nis_code, valid_from) WHERE valid_from IS NOT NULL`);
  }

  async down(db: QueryRunner): Promise<void> {
    await db.query(`UPDATE local_government SET successor_id = NULL`);
    await db.query(`DELETE FROM local_government WHERE valid_from IS NOT NULL`);
    await db.query(`DROP INDEX local_government_nis_code_from`);
    await db.query(`DROP INDEX local_government_nis_code_original`);
    await db.query(`ALTER TABLE local_government ADD CONSTRAINT local_government_nis_code_key UNIQUE (nis_code)`);
    await db.query(`
      ALTER TABLE local_government
        DROP CONSTRAINT local_government_successor_ended,
        DROP CONSTRAINT local_government_validity,
        DROP COLUMN successor_id,
        DROP COLUMN valid_until,
        DROP COLUMN valid_from`);
  }
}
