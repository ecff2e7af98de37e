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
