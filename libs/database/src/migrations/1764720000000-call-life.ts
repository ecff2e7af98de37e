import { MigrationInterface, QueryRunner } from 'typeorm';

/**
 * The life of a call (issue 24): a state (draft → published → closed; the calls of years 1–3 were all opened to
 * applicants, so they become published), the call that names who may apply (`applicants_of_year`: only the applicants
 * of that earlier project year; the calls that allowed only existing applicants named the year before), each call's own
 * action titles (`call_action.title_nl`, from the action's title until now) and the project year an objective was
 * introduced in (NULL: from the start). The overview views read the title of the call's own action.
 */
export class CallLife1764720000000 implements MigrationInterface {
  name = 'CallLife1764720000000';

  async up(db: QueryRunner): Promise<void> {
    await db.query(`ALTER TABLE call ADD COLUMN state varchar(20) NOT NULL DEFAULT 'published' CHECK (state IN ('draft', 'published', 'closed'))`);
    await db.query(`ALTER TABLE call ADD COLUMN applicants_of_year smallint CHECK (applicants_of_year > 0 AND applicants_of_year < year_number)`);
    await db.query(`UPDATE call SET applicants_of_year = year_number - 1 WHERE only_existing_applicants AND year_number > 1`);
    await db.query(`ALTER TABLE call_action ADD COLUMN title_nl varchar(300)`);
    await db.query(`UPDATE call_action ca SET title_nl = a.title_nl FROM action a WHERE a.number = ca.action_number`);
    await db.query(`ALTER TABLE call_action ALTER COLUMN title_nl SET NOT NULL`);
    await db.query(`ALTER TABLE objective ADD COLUMN first_year smallint CHECK (first_year > 0)`);
    await db.query(overviewKpiLine('ca.title_nl', 'JOIN call_action ca ON ca.call_id = kl.call_id AND ca.action_number = kl.action_number'));
    await db.query(`
      CREATE OR REPLACE VIEW overview_kpi_line_catalogue AS
      SELECT kl.id AS kpi_line_id, kl.action_number, ca.title_nl AS action_title_nl, a.objective_code, kl.unit_nl
        FROM kpi_line kl
        JOIN call_action ca ON ca.call_id = kl.call_id AND ca.action_number = kl.action_number
        JOIN action a ON a.number = kl.action_number`);
    await db.query(`CREATE OR REPLACE VIEW overview_filter_choice AS ${filterChoices("WHERE state <> 'draft'")}`);
  }

  async down(db: QueryRunner): Promise<void> {
    await db.query(`
      CREATE OR REPLACE VIEW overview_kpi_line_catalogue AS
      SELECT kl.id AS kpi_line_id, kl.action_number, a.title_nl AS action_title_nl, a.objective_code, kl.unit_nl
        FROM kpi_line kl
        JOIN action a ON a.number = kl.action_number`);
    await db.query(overviewKpiLine('a.title_nl', ''));
    await db.query(`CREATE OR REPLACE VIEW overview_filter_choice AS ${filterChoices('')}`);
    await db.query(`ALTER TABLE objective DROP COLUMN first_year`);
    await db.query(`ALTER TABLE call_action DROP COLUMN title_nl`);
    await db.query(`ALTER TABLE call DROP COLUMN applicants_of_year`);
    await db.query(`ALTER TABLE call DROP COLUMN state`);
  }
}

/** overview_kpi_line (1764300000000) with the action's title from `title`. */
const overviewKpiLine = (title: string, join: string) => `
      CREATE OR REPLACE VIEW overview_kpi_line AS
      SELECT al.application_id, al.kpi_line_id, ap.applicant_id, ap.call_id, c.year_number AS year, apl.name_nl AS applicant_name_nl,
             kl.action_number, ${title} AS action_title_nl, a.objective_code, kl.position AS kpi_line_position, kl.unit_nl,
             al.confirmed_quantity, al.confirmed_contribution_cents AS confirmed_cents,
             (SELECT SUM((x.value->>'allocatedCents')::bigint)
                FROM allocation_run r
                JOIN allocation_share s ON s.run_id = r.id AND s.application_id = al.application_id
               CROSS JOIN LATERAL jsonb_array_elements(s.detail->'lines') AS x(value)
               WHERE r.call_id = ap.call_id AND r.published_at IS NOT NULL AND (x.value->>'kpiLineId')::integer = al.kpi_line_id) AS allocated_cents,
             ri.realised_quantity AS realised_interim,
             rf.realised_quantity AS realised_final
        FROM application_line al
        JOIN application ap ON ap.id = al.application_id
        JOIN call c ON c.id = ap.call_id
        JOIN applicant apl ON apl.id = ap.applicant_id
        JOIN kpi_line kl ON kl.id = al.kpi_line_id
        ${join}
        JOIN action a ON a.number = kl.action_number
        LEFT JOIN (kpi_report_line ri JOIN kpi_report i ON i.id = ri.report_id AND i.kind = 'interim' AND i.status = 'accepted')
               ON i.application_id = al.application_id AND ri.kpi_line_id = al.kpi_line_id
        LEFT JOIN (kpi_report_line rf JOIN kpi_report f ON f.id = rf.report_id AND f.kind = 'final' AND f.status = 'accepted')
               ON f.application_id = al.application_id AND rf.kpi_line_id = al.kpi_line_id
       WHERE ap.status = 'goedgekeurd' AND al.confirmed_quantity > 0`;

/** overview_filter_choice (1764300000000): the project years offered, drafts left out. */
const filterChoices = (where: string) => `
      SELECT 'year'::text AS kind, year_number::text AS code, year_number::text AS name_nl, year_number::integer AS position FROM call ${where}
      UNION ALL
      SELECT DISTINCT 'province'::text, province_nl::text, province_nl::text, 0 FROM local_government WHERE province_nl IS NOT NULL
      UNION ALL
      SELECT 'region'::text, code::text, name_nl::text, 0 FROM reference_region`;
