import { MigrationInterface, QueryRunner } from 'typeorm';
import { OVERVIEW_SOURCE_TABLES } from './1764400000000-overview-indexes';

/**
 * The overview figures' data version grows only on a change that can change a figure (issue 27: the first overview
 * request after a data change computes the figures again, 4 s at 100×; before this, every draft save of an application
 * or a KPI report, every simulated allocation run and every change of a contact or an account number was such a change).
 * Owned by libs/overviews; test/e2e/overview-data-version.e2e-spec.ts derives from the catalog which columns the views
 * read and checks every one is covered.
 * - An UPDATE counts only when it sets a column the overview views read (`UPDATE OF`: an application's draft columns,
 *   its planned reach, an applicant's contact data or account do not count).
 * - Rows inserted count only where the views could see them: an approved application, a line with a confirmed quantity,
 *   an accepted KPI report, a published allocation run, a KPI report line of an accepted report and an allocation share
 *   of a published run. Updated rows of applications, KPI reports and their lines and allocation shares count likewise,
 *   before or after the update (a draft saved or submitted does not count; an approval or a reopening does). Every
 *   other insert, delete and truncate counts.
 * - `call_action` (its title per call, read by `overview_kpi_line` since 1764720000000) had no trigger: it has one now.
 */
const READ_COLUMNS: Record<string, string[]> = {
  action: ['number', 'objective_code', 'title_nl'],
  allocation_run: ['id', 'call_id', 'published_at'],
  allocation_share: ['run_id', 'application_id', 'detail'],
  applicant: ['id', 'name_nl'],
  applicant_member: ['applicant_id', 'call_id', 'local_government_id', 'state'],
  application: ['id', 'applicant_id', 'call_id', 'status'],
  application_line: ['application_id', 'kpi_line_id', 'confirmed_quantity', 'confirmed_contribution_cents'],
  call: ['id', 'state', 'year_number'],
  call_action: ['call_id', 'action_number', 'title_nl'],
  kpi_line: ['id', 'call_id', 'action_number', 'position', 'unit_nl'],
  kpi_report: ['id', 'application_id', 'kind', 'status'],
  kpi_report_line: ['report_id', 'kpi_line_id', 'realised_quantity'],
  local_government: ['id', 'kind', 'name_nl', 'nis_code', 'province_nl', 'successor_id'],
  objective: ['code', 'name_nl', 'position'],
  reference_region: ['id', 'code', 'name_nl'],
  reference_region_member: ['local_government_id', 'reference_region_id'],
};

/** Rows the views can see, per table whose inserted (or, for the last two, also updated) rows are checked: `rows` is the transition table. */
const VISIBLE: Record<string, { rows: string; updates: boolean }> = {
  application: { rows: `SELECT 1 FROM rows WHERE status = 'goedgekeurd'`, updates: true },
  application_line: { rows: `SELECT 1 FROM rows WHERE confirmed_quantity > 0`, updates: false },
  kpi_report: { rows: `SELECT 1 FROM rows WHERE status = 'accepted'`, updates: true },
  allocation_run: { rows: `SELECT 1 FROM rows WHERE published_at IS NOT NULL`, updates: false },
  kpi_report_line: { rows: `SELECT 1 FROM rows JOIN kpi_report r ON r.id = rows.report_id WHERE r.status = 'accepted'`, updates: true },
  allocation_share: { rows: `SELECT 1 FROM rows JOIN allocation_run r ON r.id = rows.run_id WHERE r.published_at IS NOT NULL`, updates: true },
};

const functionOf = (table: string) => `overview_${table}_rows_changed`;

export class OverviewChangesThatCount1764830000000 implements MigrationInterface {
  name = 'OverviewChangesThatCount1764830000000';

  async up(db: QueryRunner): Promise<void> {
    for (const table of OVERVIEW_SOURCE_TABLES) await db.query(`DROP TRIGGER ${table}_overview_changed ON ${table}`);
    for (const [table, columns] of Object.entries(READ_COLUMNS)) {
      const checked = VISIBLE[table];
      const always = checked ? 'DELETE OR TRUNCATE' : 'INSERT OR DELETE OR TRUNCATE';
      await db.query(`CREATE TRIGGER ${table}_overview_changed AFTER ${always} ON ${table} FOR EACH STATEMENT EXECUTE FUNCTION overview_data_changed()`);
      if (!checked?.updates) {
        await db.query(
          `CREATE TRIGGER ${table}_overview_updated AFTER UPDATE OF ${columns.join(', ')} ON ${table} FOR EACH STATEMENT EXECUTE FUNCTION overview_data_changed()`,
        );
      }
      if (!checked) continue;
      // `rows`: the statement's inserted rows, or for an update its rows before and after (a row may leave what the views see)
      await db.query(`
        CREATE FUNCTION ${functionOf(table)}() RETURNS trigger LANGUAGE plpgsql AS $$
        BEGIN
          IF TG_OP = 'INSERT' THEN
            IF EXISTS (WITH rows AS (SELECT * FROM inserted) ${checked.rows}) THEN INSERT INTO overview_data_change DEFAULT VALUES; END IF;
          ELSIF EXISTS (WITH rows AS (SELECT * FROM before_update UNION ALL SELECT * FROM after_update) ${checked.rows}) THEN
            INSERT INTO overview_data_change DEFAULT VALUES;
          END IF;
          RETURN NULL;
        END $$`);
      await db.query(
        `CREATE TRIGGER ${table}_overview_inserted AFTER INSERT ON ${table} REFERENCING NEW TABLE AS inserted FOR EACH STATEMENT EXECUTE FUNCTION ${functionOf(table)}()`,
      );
      if (checked.updates) {
        await db.query(
          `CREATE TRIGGER ${table}_overview_updated AFTER UPDATE ON ${table} REFERENCING OLD TABLE AS before_update NEW TABLE AS after_update
           FOR EACH STATEMENT EXECUTE FUNCTION ${functionOf(table)}()`,
        );
      }
    }
  }

  async down(db: QueryRunner): Promise<void> {
    for (const table of Object.keys(READ_COLUMNS)) {
      await db.query(`DROP TRIGGER ${table}_overview_changed ON ${table}`);
      await db.query(`DROP TRIGGER IF EXISTS ${table}_overview_updated ON ${table}`);
      await db.query(`DROP TRIGGER IF EXISTS ${table}_overview_inserted ON ${table}`);
      if (VISIBLE[table]) await db.query(`DROP FUNCTION ${functionOf(table)}()`);
    }
    for (const table of OVERVIEW_SOURCE_TABLES) {
      await db.query(`CREATE TRIGGER ${table}_overview_changed AFTER INSERT OR UPDATE OR DELETE OR TRUNCATE ON ${table}
        FOR EACH STATEMENT EXECUTE FUNCTION overview_data_changed()`);
    }
  }
}
