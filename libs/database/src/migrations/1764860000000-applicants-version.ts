import { MigrationInterface, QueryRunner } from 'typeorm';

/**
 * A version of who takes part in which applicant (issue 27), one more on every change that can change the coverage
 * overview: an applicant added, removed, renamed or of another kind, and any change of a membership. A contact, an
 * account number or a draft does not count (`UPDATE OF`), so those saves never wait for this row. With the version of
 * the organisations tables and the call's settings it keys the coverage overview kept between requests: at 100×
 * (14,853 municipalities, 14,700 memberships a call) it took 80 ms per request to read and compute. Owned by libs/applicants.
 */
export class ApplicantsVersion1764860000000 implements MigrationInterface {
  name = 'ApplicantsVersion1764860000000';

  async up(db: QueryRunner): Promise<void> {
    await db.query(`CREATE TABLE applicants_version (id boolean PRIMARY KEY DEFAULT true CHECK (id), version bigint NOT NULL)`);
    await db.query(`INSERT INTO applicants_version (version) VALUES (1)`);
    await db.query(`
      CREATE FUNCTION applicants_changed() RETURNS trigger LANGUAGE plpgsql AS $$
      BEGIN
        INSERT INTO applicants_version (version) VALUES (1)
          ON CONFLICT (id) DO UPDATE SET version = applicants_version.version + 1;
        RETURN NULL;
      END $$`);
    await db.query(
      `CREATE TRIGGER applicant_applicants_changed AFTER INSERT OR DELETE OR TRUNCATE OR UPDATE OF id, call_id, kind, name_nl ON applicant
       FOR EACH STATEMENT EXECUTE FUNCTION applicants_changed()`,
    );
    await db.query(
      `CREATE TRIGGER applicant_member_applicants_changed AFTER INSERT OR UPDATE OR DELETE OR TRUNCATE ON applicant_member
       FOR EACH STATEMENT EXECUTE FUNCTION applicants_changed()`,
    );
  }

  async down(db: QueryRunner): Promise<void> {
    await db.query(`DROP TRIGGER applicant_member_applicants_changed ON applicant_member`);
    await db.query(`DROP TRIGGER applicant_applicants_changed ON applicant`);
    await db.query(`DROP FUNCTION applicants_changed()`);
    await db.query(`DROP TABLE applicants_version`);
  }
}
