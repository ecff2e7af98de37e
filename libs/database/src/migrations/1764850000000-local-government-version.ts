import { MigrationInterface, QueryRunner } from 'typeorm';

/**
 * A version of the local governments, one more on every change of the table (issue 27): the forms that offer every
 * local government in a select (a user's local government, an applicant's lead or new member) keep the list and its
 * options between requests and read only this number. At 100× (14,868 local governments) reading and rendering the
 * list took about 200 ms per page. Owned by libs/organisations.
 */
export class LocalGovernmentVersion1764850000000 implements MigrationInterface {
  name = 'LocalGovernmentVersion1764850000000';

  async up(db: QueryRunner): Promise<void> {
    await db.query(`CREATE TABLE local_government_version (id boolean PRIMARY KEY DEFAULT true CHECK (id), version bigint NOT NULL)`);
    await db.query(`INSERT INTO local_government_version (version) VALUES (1)`);
    await db.query(`
      CREATE FUNCTION local_government_changed() RETURNS trigger LANGUAGE plpgsql AS $$
      BEGIN
        INSERT INTO local_government_version (version) VALUES (1)
          ON CONFLICT (id) DO UPDATE SET version = local_government_version.version + 1;
        RETURN NULL;
      END $$`);
    await db.query(
      `CREATE TRIGGER local_government_version_changed AFTER INSERT OR UPDATE OR DELETE OR TRUNCATE ON local_government
       FOR EACH STATEMENT EXECUTE FUNCTION local_government_changed()`,
    );
  }

  async down(db: QueryRunner): Promise<void> {
    await db.query(`DROP TRIGGER local_government_version_changed ON local_government`);
    await db.query(`DROP FUNCTION local_government_changed()`);
    await db.query(`DROP TABLE local_government_version`);
  }
}
