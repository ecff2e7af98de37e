import { MigrationInterface, QueryRunner } from 'typeorm';

/**
 * Overviews across years (issue 24, docs/calls.md, municipal mergers): the overviews can map a year's figures onto today's municipalities.
 * `overview_local_government_today`: every local government with the one it is part of today, following `successor_id`
 * to the end of the chain (itself when it never merged), and that one's NIS code, name, province and reference region.
 * `overview_applicant_member_today`: the members of `overview_applicant_member` mapped onto today's local governments,
 * one row per applicant and today's local government (two predecessors of one cooperation become one member), with
 * the NIS codes they had (`nis_code_as_was`, ascending, ", " between them). Owned by libs/overviews.
 */
export class OverviewToday1764824000000 implements MigrationInterface {
  name = 'OverviewToday1764824000000';

  async up(db: QueryRunner): Promise<void> {
    await db.query(`
      CREATE VIEW overview_local_government_today AS
      WITH RECURSIVE chain(local_government_id, today_id, depth) AS (
        SELECT id, id, 0 FROM local_government WHERE successor_id IS NULL
        UNION ALL
        SELECT lg.id, c.today_id, c.depth + 1 FROM local_government lg JOIN chain c ON lg.successor_id = c.local_government_id WHERE c.depth < 50
      )
      SELECT c.local_government_id, t.id AS today_id, t.nis_code AS today_nis_code, t.name_nl AS today_name_nl,
             t.province_nl AS today_province_nl, rr.code AS today_reference_region_code, rr.name_nl AS today_reference_region_name_nl
        FROM chain c
        JOIN local_government t ON t.id = c.today_id
        LEFT JOIN reference_region_member rm ON rm.local_government_id = t.id
        LEFT JOIN reference_region rr ON rr.id = rm.reference_region_id`);
    await db.query(`
      CREATE VIEW overview_applicant_member_today AS
      SELECT m.applicant_id, m.call_id, t.today_id AS local_government_id, t.today_nis_code AS nis_code,
             t.today_name_nl AS local_government_name_nl, t.today_province_nl AS province_nl,
             t.today_reference_region_code AS reference_region_code, t.today_reference_region_name_nl AS reference_region_name_nl,
             string_agg(DISTINCT m.nis_code, ', ' ORDER BY m.nis_code) AS nis_code_as_was
        FROM overview_applicant_member m
        JOIN overview_local_government_today t ON t.local_government_id = m.local_government_id
       GROUP BY m.applicant_id, m.call_id, t.today_id, t.today_nis_code, t.today_name_nl, t.today_province_nl,
                t.today_reference_region_code, t.today_reference_region_name_nl`);
  }

  async down(db: QueryRunner): Promise<void> {
    await db.query(`DROP VIEW overview_applicant_member_today`);
    await db.query(`DROP VIEW overview_local_government_today`);
  }
}
