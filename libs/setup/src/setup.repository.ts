import { Injectable } from '@nestjs/common';
import { EntityManager } from 'typeorm';

/** The latest call's submission window, as demo mode moves it. */
export interface LatestCallRow {
  id: number;
  year_number: number;
  submission_opens_at: Date;
  submission_closes_at: Date;
  /** 'YYYY-MM-DD': the call's reference date for who exists. */
  project_start: string;
}

/**
 * The loader's own SQL. Demo data is the one place allowed to read and write across areas (local_government,
 * reference_region, origin_statistic, call): it seeds a fresh database with fictional data, and only where the owning
 * lib has no public method that does the job. Everything else goes through the owners' services
 * (reference data, imports, users, applicants).
 */
@Injectable()
export class SetupRepository {
  async referenceRegionCount(manager: EntityManager): Promise<number> {
    const [{ count }] = await manager.query(`SELECT count(*) AS count FROM reference_region`);
    return Number(count);
  }

  /** The reference year and origin definition of every call that has no statistics for them yet. */
  callsWithoutStatistics(manager: EntityManager): Promise<{ year: number; definition: string }[]> {
    return manager.query(
      `SELECT DISTINCT c.statistics_reference_year AS year, c.origin_definition AS definition FROM call c
        WHERE NOT EXISTS (SELECT 1 FROM origin_statistic s WHERE s.reference_year = c.statistics_reference_year AND s.origin_definition = c.origin_definition)`,
    );
  }

  /**
   * The municipalities in NIS order, with what the fictional data is made from: those valid on the day given, else one
   * per NIS code (the first that had it: Antwerpen before it absorbed Borsbeek).
   */
  municipalities(manager: EntityManager, validOn?: string): Promise<{ nis_code: string; arrondissement_nl: string; inhabitants_2020: number }[]> {
    return manager.query(
      `SELECT DISTINCT ON (nis_code) nis_code, arrondissement_nl, inhabitants_2020 FROM local_government
        WHERE kind = 'municipality'
          AND ($1::date IS NULL OR ((valid_from IS NULL OR valid_from <= $1::date) AND (valid_until IS NULL OR valid_until >= $1::date)))
        ORDER BY nis_code, valid_from NULLS FIRST`,
      [validOn ?? null],
    );
  }

  /**
   * Local government ids by NIS code, with "vgc" and "de-rand" for the two without one: those valid on `validOn`
   * ('YYYY-MM-DD'), or else the first that had each code (Antwerpen before it absorbed Borsbeek).
   */
  async localGovernmentIds(manager: EntityManager, validOn: string | null = null): Promise<Map<string, number>> {
    // The first local government that had a NIS code comes last, so it keeps the code.
    const rows: { id: number; key: string }[] = await manager.query(
      `SELECT id, coalesce(nis_code, kind) AS key FROM local_government
        WHERE $1::date IS NULL OR ((valid_from IS NULL OR valid_from <= $1::date) AND (valid_until IS NULL OR valid_until >= $1::date))
        ORDER BY valid_from DESC NULLS LAST`,
      [validOn],
    );
    return new Map(rows.map((row) => [row.key, row.id]));
  }

  async latestCall(manager: EntityManager): Promise<LatestCallRow | null> {
    const [call] = await manager.query(
      `SELECT id, year_number, submission_opens_at, submission_closes_at, to_char(project_start, 'YYYY-MM-DD') AS project_start FROM call WHERE state <> 'draft' ORDER BY year_number DESC LIMIT 1`,
    );
    return call ?? null;
  }

  async recordReportedResults(manager: EntityManager, year: number, label: string): Promise<void> {
    await manager.query(
      `INSERT INTO settlement_line (application_id, kpi_line_id, realised_quantity, recorded_by_label)
       SELECT l.application_id, l.kpi_line_id, coalesce(rl.realised_quantity, 0), $2
         FROM application a
         JOIN call c ON c.id = a.call_id AND c.year_number = $1
         JOIN kpi_report r ON r.application_id = a.id AND r.kind = 'final' AND r.status = 'accepted'
         JOIN application_line l ON l.application_id = a.id
         LEFT JOIN kpi_report_line rl ON rl.report_id = r.id AND rl.kpi_line_id = l.kpi_line_id
        WHERE a.status = 'goedgekeurd'
       ON CONFLICT DO NOTHING`,
      [year, label],
    );
  }

  async unsettledWithResults(manager: EntityManager, year: number): Promise<number[]> {
    const rows: { id: number }[] = await manager.query(
      `SELECT a.id FROM application a JOIN call c ON c.id = a.call_id AND c.year_number = $1
        WHERE a.status = 'goedgekeurd' AND EXISTS (SELECT 1 FROM settlement_line s WHERE s.application_id = a.id)
          AND NOT EXISTS (SELECT 1 FROM settlement s WHERE s.application_id = a.id)
        ORDER BY a.id`,
      [year],
    );
    return rows.map((row) => row.id);
  }

  /**
   * Dates a year's money as it went in the demo's story: the run made and published when the applications were
   * decided, the advances released a fortnight later, each settlement and its balance or recovery at 10:00 a month after its
   * final report was accepted, released a fortnight after that; the proposals with them.
   */
  async dateAsHistory(manager: EntityManager, year: number): Promise<void> {
    // Published when the applications were decided, as the generator dated them.
    const [call] = await manager.query(
      `SELECT c.id, max(a.decided_at) AS decided_at FROM call c JOIN application a ON a.call_id = c.id AND a.status = 'goedgekeurd'
        WHERE c.year_number = $1 GROUP BY c.id`,
      [year],
    );
    const runs = `(SELECT id FROM allocation_run WHERE call_id = ${Number(call.id)})`;
    await manager.query(`UPDATE allocation_run SET created_at = $2, published_at = $2 WHERE call_id = $1`, [call.id, call.decided_at]);
    await manager.query(
      `UPDATE settlement s SET settled_at = (((r.reviewed_at AT TIME ZONE 'Europe/Brussels')::date + 30) + time '10:00') AT TIME ZONE 'Europe/Brussels'
         FROM kpi_report r WHERE r.application_id = s.application_id AND r.kind = 'final' AND s.run_id IN ${runs}`,
    );
    await manager.query(
      `UPDATE settlement_line l SET recorded_at = s.settled_at FROM settlement s WHERE s.application_id = l.application_id AND s.run_id IN ${runs}`,
    );
    await manager.query(`UPDATE payment SET created_at = $1, released_at = $1::timestamptz + interval '14 days' WHERE kind = 'advance' AND run_id IN ${runs}`, [
      call.decided_at,
    ]);
    // Balances and recoveries: each ordered when its settlement closed, all released together a fortnight after the last.
    await manager.query(
      `UPDATE payment p SET created_at = s.settled_at,
              released_at = (SELECT max(settled_at) FROM settlement WHERE run_id IN ${runs}) + interval '14 days'
         FROM settlement s WHERE s.run_id = p.run_id AND p.kind <> 'advance' AND p.run_id IN ${runs}
          AND s.application_id = (SELECT application_id FROM allocation_share sh WHERE sh.run_id = p.run_id AND sh.applicant_id = p.applicant_id)`,
    );
    await manager.query(
      `UPDATE money_proposal m SET proposed_at = t.at, decided_at = t.at
         FROM (SELECT release_proposal_id AS id, min(released_at) AS at FROM payment WHERE run_id IN ${runs} GROUP BY release_proposal_id) t
        WHERE m.id = t.id`,
    );
    await manager.query(`UPDATE money_proposal SET proposed_at = $1, decided_at = $1 WHERE kind = 'publish-allocation' AND run_id IN ${runs}`, [
      call.decided_at,
    ]);
    // The notices of the publication and the settlements, dated with them and read the next day.
    await manager.query(
      `UPDATE mail_outbox o SET created_at = r.published_at, sent_at = CASE WHEN o.sent_at IS NULL THEN NULL ELSE r.published_at END,
              read_at = r.published_at + interval '1 day'
         FROM allocation_run r WHERE r.id IN ${runs} AND r.published_at IS NOT NULL AND o.event_key LIKE 'allocation-published:' || r.id || ':%'`,
    );
    await manager.query(
      `UPDATE mail_outbox o SET created_at = s.settled_at, sent_at = CASE WHEN o.sent_at IS NULL THEN NULL ELSE s.settled_at END,
              read_at = s.settled_at + interval '1 day'
         FROM settlement s WHERE s.run_id IN ${runs} AND o.event_key = 'settlement-closed:' || s.application_id`,
    );
    // The mails that asked for the second approval, dated with their proposals and read when they were approved.
    await manager.query(
      `UPDATE mail_outbox o SET created_at = m.proposed_at, sent_at = CASE WHEN o.sent_at IS NULL THEN NULL ELSE m.proposed_at END, read_at = m.decided_at
         FROM money_proposal m
        WHERE m.run_id IN ${runs} AND o.subject LIKE 'Voorstel ter goedkeuring:%' AND o.body LIKE '%/voorstellen/' || m.id`,
    );
  }

  async applicantCount(manager: EntityManager): Promise<number> {
    const [row] = await manager.query(`SELECT count(*)::int AS n FROM applicant`);
    return row.n;
  }

  async userIdByEmail(manager: EntityManager, email: string): Promise<number> {
    const [row] = await manager.query(`SELECT id FROM app_user WHERE email = $1`, [email]);
    return row.id;
  }

  async setUsualIbanWhereMissing(manager: EntityManager, nisCode: string, iban: string): Promise<void> {
    await manager.query(`UPDATE local_government SET usual_iban = $2 WHERE nis_code = $1 AND usual_iban IS NULL`, [nisCode, iban]);
  }
}
