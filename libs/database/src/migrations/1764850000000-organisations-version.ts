import { MigrationInterface, QueryRunner } from 'typeorm';

/** The organisations lib's tables: what a local government is, its statistics and its reference region. */
const TABLES = ['local_government', 'origin_statistic', 'reference_region', 'reference_region_member'];

/**
 * A version of the organisations lib's tables, one more on every change of any of them (issue 27). What is derived
 * from the whole list of local governments is kept between requests and only this number is read: the options of the
 * forms' selects (a user's local government, an applicant's lead or new member) and the facts of every municipality
 * (the coverage overview). At 100× (14,868 local governments) reading and rendering those took 130–200 ms per request.
 * Owned by libs/organisations.
 */
export class OrganisationsVersion1764850000000 implements MigrationInterface {
  name = 'OrganisationsVersion1764850000000';

  async up(db: QueryRunner): Promise<void> {
    await db.query(`CREATE TABLE organisations_version (id boolean PRIMARY KEY DEFAULT true CHECK (id), version bigint NOT NULL)`);
    await db.query(`INSERT INTO organisations_version (version) VALUES (1)`);
    // An insert when the row is missing (a table emptied by hand), so the number never stands still.
    await db.query(`
      CREATE FUNCTION organisations_changed() RETURNS trigger LANGUAGE plpgsql AS $$
      BEGIN
        INSERT INTO organisations_version (version) VALUES (1)
          ON CONFLICT (id) DO UPDATE SET version = organisations_version.version + 1;
        RETURN NULL;
      END $$`);
    for (const table of TABLES) {
      await db.query(
        `CREATE TRIGGER ${table}_organisations_changed AFTER INSERT OR UPDATE OR DELETE OR TRUNCATE ON ${table}
         FOR EACH STATEMENT EXECUTE FUNCTION organisations_changed()`,
      );
    }
  }

  async down(db: QueryRunner): Promise<void> {
    for (const table of TABLES) await db.query(`DROP TRIGGER ${table}_organisations_changed ON ${table}`);
    await db.query(`DROP FUNCTION organisations_changed()`);
    await db.query(`DROP TABLE organisations_version`);
  }
}
