import { MigrationInterface, QueryRunner } from 'typeorm';

/** Every table the overview views (migrations 1764300000000 and this one) read: a change to any of them changes a figure. */
export const OVERVIEW_SOURCE_TABLES = [
  'application',
  'application_line',
  'applicant',
  'applicant_member',
  'local_government',
  'reference_region',
  'reference_region_member',
  'call',
  'objective',
  'action',
  'kpi_line',
  'kpi_report',
  'kpi_report_line',
  'allocation_run',
  'allocation_share',
];

/**
 * What makes the overviews fast at national scale (issue 12), owned by libs/overviews:
 * - `overview_application`: each approved application with its applicant, call and project year. The KPI-lines export
 *   reads it in batches of applications (a range of its primary key), then the lines of just those applications.
 * - `overview_data_change`: a change log the overview cache compares against. A statement-level trigger on every table
 *   the views read inserts one row (weight 1) per statement; `SELECT sum(weight)` therefore grows with every committed
 *   change and is visible exactly when the change is committed (a plain insert: no row lock, so concurrent saves never
 *   wait on each other, unlike a single counter row). The overviews compact the log now and then (delete rows, insert one
 *   row with their summed weight, in one statement), which keeps the sum.
 * No index is added: EXPLAIN (ANALYZE, BUFFERS) at 100× shows the batch reads use existing primary and unique keys
 * (application_pkey, application_line_pkey, kpi_report (application_id, kind), kpi_report_line_pkey, applicant_member_pkey),
 * and the figures over every line are hash joins over whole tables, which an index does not make cheaper.
 */
export class OverviewIndexes1764400000000 implements MigrationInterface {
  name = 'OverviewIndexes1764400000000';

  async up(db: QueryRunner): Promise<void> {
    await db.query(`
      CREATE VIEW overview_application AS
      SELECT ap.id AS application_id, ap.applicant_id, ap.call_id, c.year_number AS year, apl.name_nl AS applicant_name_nl
        FROM application ap
        JOIN call c ON c.id = ap.call_id
        JOIN applicant apl ON apl.id = ap.applicant_id
       WHERE ap.status = 'goedgekeurd'`);
    await db.query(`CREATE TABLE overview_data_change (id bigserial PRIMARY KEY, weight bigint NOT NULL DEFAULT 1)`);
    await db.query(`INSERT INTO overview_data_change (weight) VALUES (1)`);
    await db.query(`
      CREATE FUNCTION overview_data_changed() RETURNS trigger LANGUAGE plpgsql AS $$
      BEGIN
        INSERT INTO overview_data_change DEFAULT VALUES;
        RETURN NULL;
      END $$`);
    for (const table of OVERVIEW_SOURCE_TABLES) {
      await db.query(`CREATE TRIGGER ${table}_overview_changed AFTER INSERT OR UPDATE OR DELETE OR TRUNCATE ON ${table}
        FOR EACH STATEMENT EXECUTE FUNCTION overview_data_changed()`);
    }
  }

  async down(db: QueryRunner): Promise<void> {
    for (const table of OVERVIEW_SOURCE_TABLES) await db.query(`DROP TRIGGER ${table}_overview_changed ON ${table}`);
    await db.query(`DROP FUNCTION overview_data_changed()`);
    await db.query(`DROP TABLE overview_data_change`);
    await db.query(`DROP VIEW overview_application`);
  }
}
