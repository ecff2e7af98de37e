import { MigrationInterface, QueryRunner } from 'typeorm';

/**
 * Two indexes the benchmark at 100× asked for (issue 27, docs/benchmarks.md, "Rows kept as columns").
 *
 * The list of applicants of a call is ordered by name and cut into pages in SQL: with an index in that order a page is
 * read without sorting every applicant of the call, and its member counts are counted for that page only; 37 ms →
 * 0.9 ms at 100× (5,900 applicants per call).
 *
 * The memberships of a local government (the other applicants its members are in, an officer's applicants) were found
 * by reading every membership: the unique index per call covers only confirmed memberships not carried over.
 * 6.5 ms → 0.1 ms at 100× (44,100 memberships), on every application's and applicant's page.
 */
export class ApplicantIndexes1764870000000 implements MigrationInterface {
  name = 'ApplicantIndexes1764870000000';

  async up(db: QueryRunner): Promise<void> {
    await db.query(`CREATE INDEX applicant_call_name ON applicant (call_id, name_nl, id)`);
    await db.query(`CREATE INDEX applicant_member_local_government ON applicant_member (local_government_id, call_id)`);
  }

  async down(db: QueryRunner): Promise<void> {
    await db.query(`DROP INDEX applicant_member_local_government`);
    await db.query(`DROP INDEX applicant_call_name`);
  }
}
