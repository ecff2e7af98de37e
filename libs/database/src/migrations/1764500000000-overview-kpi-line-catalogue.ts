import { MigrationInterface, QueryRunner } from 'typeorm';

/**
 * `overview_kpi_line_catalogue`: every KPI line of every call with its action, the action's title and objective, and its
 * unit. The KPI-lines export reads it once and names each line from it, instead of carrying these texts on every one of
 * its rows (at 100× that is 362,284 rows repeating a few hundred texts).
 */
export class OverviewKpiLineCatalogue1764500000000 implements MigrationInterface {
  name = 'OverviewKpiLineCatalogue1764500000000';

  async up(db: QueryRunner): Promise<void> {
    await db.query(`
      CREATE VIEW overview_kpi_line_catalogue AS
      SELECT kl.id AS kpi_line_id, kl.action_number, a.title_nl AS action_title_nl, a.objective_code, kl.unit_nl
        FROM kpi_line kl
        JOIN action a ON a.number = kl.action_number`);
  }

  async down(db: QueryRunner): Promise<void> {
    await db.query(`DROP VIEW overview_kpi_line_catalogue`);
  }
}
