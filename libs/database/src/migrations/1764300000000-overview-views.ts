import { MigrationInterface, QueryRunner } from 'typeorm';

/**
 * The read-only views of the overviews (issue 12), owned by libs/overviews: the only place its queries read the other
 * libs' tables. `overview_applicant_member`: each member local government (state 'member') of an applicant with its
 * province and reference region. `overview_kpi_line`: each confirmed KPI line above 0 of an approved application, with
 * its project year, action, objective, unit, confirmed quantity and amount, what the call's published allocation run
 * allocated to it (NULL while none is published) and the quantities realised in the accepted interim and final report
 * (NULL while that report is not accepted). Its keys `application_id` and `kpi_line_id` are application_line's primary
 * key, so a keyset read (`(application_id, kpi_line_id) > (…)`) walks that index. `overview_action`: every objective
 * with its actions (none: one row with NULL action). `overview_filter_choice`: what the filter form offers (project years,
 * provinces, reference regions).
 */
export class OverviewViews1764300000000 implements MigrationInterface {
  name = 'OverviewViews1764300000000';

  async up(db: QueryRunner): Promise<void> {
    await db.query(`
      CREATE VIEW overview_applicant_member AS
      SELECT m.applicant_id, m.call_id, lg.id AS local_government_id, lg.nis_code, lg.kind AS local_government_kind,
             lg.name_nl AS local_government_name_nl, lg.province_nl,
             rr.code AS reference_region_code, rr.name_nl AS reference_region_name_nl
        FROM applicant_member m
        JOIN local_government lg ON lg.id = m.local_government_id
        LEFT JOIN reference_region_member rm ON rm.local_government_id = lg.id
        LEFT JOIN reference_region rr ON rr.id = rm.reference_region_id
       WHERE m.state = 'member'`);
    await db.query(`
      CREATE VIEW overview_kpi_line AS
      SELECT al.application_id, al.kpi_line_id, ap.applicant_id, ap.call_id, c.year_number AS year, apl.name_nl AS applicant_name_nl,
             kl.action_number, a.title_nl AS action_title_nl, a.objective_code, kl.position AS kpi_line_position, kl.unit_nl,
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
        JOIN action a ON a.number = kl.action_number
        LEFT JOIN (kpi_report_line ri JOIN kpi_report i ON i.id = ri.report_id AND i.kind = 'interim' AND i.status = 'accepted')
               ON i.application_id = al.application_id AND ri.kpi_line_id = al.kpi_line_id
        LEFT JOIN (kpi_report_line rf JOIN kpi_report f ON f.id = rf.report_id AND f.kind = 'final' AND f.status = 'accepted')
               ON f.application_id = al.application_id AND rf.kpi_line_id = al.kpi_line_id
       WHERE ap.status = 'goedgekeurd' AND al.confirmed_quantity > 0`);

    await db.query(`
      CREATE VIEW overview_action AS
      SELECT o.code AS objective_code, o.name_nl AS objective_name_nl, o.position AS objective_position,
             a.number AS action_number, a.title_nl AS action_title_nl
        FROM objective o
        LEFT JOIN action a ON a.objective_code = o.code`);
    await db.query(`
      CREATE VIEW overview_filter_choice AS
      SELECT 'year'::text AS kind, year_number::text AS code, year_number::text AS name_nl, year_number::integer AS position FROM call
      UNION ALL
      SELECT DISTINCT 'province'::text, province_nl::text, province_nl::text, 0 FROM local_government WHERE province_nl IS NOT NULL
      UNION ALL
      SELECT 'region'::text, code::text, name_nl::text, 0 FROM reference_region`);
  }

  async down(db: QueryRunner): Promise<void> {
    await db.query(`DROP VIEW overview_filter_choice`);
    await db.query(`DROP VIEW overview_action`);
    await db.query(`DROP VIEW overview_kpi_line`);
    await db.query(`DROP VIEW overview_applicant_member`);
  }
}
