import { Injectable } from '@nestjs/common';
import { EntityManager } from 'typeorm';
import { OverviewFilter } from './overview-filter.dto';
import { KPI_LINES_QUERY, KpiLineDbRow, kpiLinesParams } from './kpi-lines';

export interface ActionFigureRow {
  year: number;
  action_number: number;
  title_nl: string;
  objective_code: string;
  committed_cents: string | number;
  applicants: string | number;
  local_governments: string | number;
}

export interface UnitFigureRow {
  year: number;
  action_number: number;
  unit_nl: string;
  committed_quantity: string | number;
  realised_interim: string | number;
  realised_final: string | number;
}

export interface AllocatedRow {
  year: number;
  action_number: number;
  allocated_cents: string | number;
}

export interface ObjectiveRow {
  code: string;
  name_nl: string;
  position: number;
}

export interface FilterChoices {
  years: number[];
  objectives: ObjectiveRow[];
  actions: { number: number; title_nl: string; objective_code: string }[];
  provinces: string[];
  regions: { code: string; name_nl: string }[];
}

/**
 * The approved applications the filters select ($1 year, $4 province: at least one member local government, state
 * 'member', in it), and their confirmed KPI lines above 0 of the selected actions ($2 objective, $3 action).
 * Read-only; the figures never come from anywhere else, so pages, CSV and API cannot disagree.
 */
const SELECTED = `
  selected_application AS (
    SELECT ap.id, ap.applicant_id, ap.call_id, c.year_number
      FROM application ap
      JOIN call c ON c.id = ap.call_id
     WHERE ap.status = 'goedgekeurd'
       AND ($1::integer IS NULL OR c.year_number = $1)
       AND ($4::text IS NULL OR EXISTS (
             SELECT 1 FROM applicant_member m JOIN local_government lg ON lg.id = m.local_government_id
              WHERE m.applicant_id = ap.applicant_id AND m.state = 'member' AND lg.province_nl = $4))
       AND ($5::text IS NULL OR EXISTS (
             SELECT 1 FROM applicant_member m JOIN reference_region_member rm ON rm.local_government_id = m.local_government_id
               JOIN reference_region rr ON rr.id = rm.reference_region_id
              WHERE m.applicant_id = ap.applicant_id AND m.state = 'member' AND rr.code = $5))
  ),
  selected_line AS (
    SELECT sa.id AS application_id, sa.applicant_id, sa.call_id, sa.year_number, kl.id AS kpi_line_id, kl.action_number, kl.unit_nl,
           al.confirmed_quantity, al.confirmed_contribution_cents
      FROM selected_application sa
      JOIN application_line al ON al.application_id = sa.id
      JOIN kpi_line kl ON kl.id = al.kpi_line_id
      JOIN action a ON a.number = kl.action_number
     WHERE al.confirmed_quantity > 0
       AND ($2::text IS NULL OR a.objective_code = $2)
       AND ($3::integer IS NULL OR kl.action_number = $3)
  )`;

const params = (filter: OverviewFilter) => [filter.year, filter.objective, filter.action, filter.province, filter.region];

/** Every statement of the overviews: live figures from applications, allocations and KPI reports. */
@Injectable()
export class OverviewsReadModel {
  /** Per project year and action: confirmed amounts, applicants and their member local governments. */
  actionFigures(manager: EntityManager, filter: OverviewFilter): Promise<ActionFigureRow[]> {
    return manager.query(
      `WITH ${SELECTED},
       per_action AS (
         SELECT year_number, action_number, SUM(confirmed_contribution_cents) AS committed_cents, COUNT(DISTINCT applicant_id) AS applicants
           FROM selected_line GROUP BY year_number, action_number
       ),
       governments AS (
         SELECT l.year_number, l.action_number, COUNT(DISTINCT m.local_government_id) AS local_governments
           FROM (SELECT DISTINCT year_number, action_number, applicant_id FROM selected_line) l
           JOIN applicant_member m ON m.applicant_id = l.applicant_id AND m.state = 'member'
          GROUP BY l.year_number, l.action_number
       )
       SELECT p.year_number AS year, p.action_number, a.title_nl, a.objective_code, p.committed_cents, p.applicants,
              COALESCE(g.local_governments, 0) AS local_governments
         FROM per_action p
         JOIN action a ON a.number = p.action_number
         LEFT JOIN governments g ON g.year_number = p.year_number AND g.action_number = p.action_number
        ORDER BY p.year_number, p.action_number`,
      params(filter),
    );
  }

  /** Per project year, action and KPI unit: confirmed quantity and the quantities realised in accepted interim and final reports. */
  unitFigures(manager: EntityManager, filter: OverviewFilter): Promise<UnitFigureRow[]> {
    return manager.query(
      `WITH ${SELECTED},
       accepted AS (
         SELECT r.application_id, r.kind, rl.kpi_line_id, rl.realised_quantity
           FROM kpi_report r JOIN kpi_report_line rl ON rl.report_id = r.id
          WHERE r.status = 'accepted'
       )
       SELECT l.year_number AS year, l.action_number, l.unit_nl,
              SUM(l.confirmed_quantity) AS committed_quantity,
              COALESCE(SUM(i.realised_quantity), 0) AS realised_interim,
              COALESCE(SUM(f.realised_quantity), 0) AS realised_final
         FROM selected_line l
         LEFT JOIN accepted i ON i.application_id = l.application_id AND i.kpi_line_id = l.kpi_line_id AND i.kind = 'interim'
         LEFT JOIN accepted f ON f.application_id = l.application_id AND f.kpi_line_id = l.kpi_line_id AND f.kind = 'final'
        GROUP BY l.year_number, l.action_number, l.unit_nl
        ORDER BY l.year_number, l.action_number, l.unit_nl`,
      params(filter),
    );
  }

  /** Per project year and action: what the published allocation run of the call allocated to the selected applications. */
  allocated(manager: EntityManager, filter: OverviewFilter): Promise<AllocatedRow[]> {
    return manager.query(
      `WITH ${SELECTED}
       SELECT sa.year_number AS year, (x.value->>'actionNumber')::integer AS action_number, SUM((x.value->>'allocatedCents')::bigint) AS allocated_cents
         FROM selected_application sa
         JOIN allocation_run r ON r.call_id = sa.call_id AND r.published_at IS NOT NULL
         JOIN allocation_share s ON s.run_id = r.id AND s.application_id = sa.id
         CROSS JOIN LATERAL jsonb_array_elements(s.detail->'actions') AS x(value)
         JOIN action a ON a.number = (x.value->>'actionNumber')::integer
        WHERE ($2::text IS NULL OR a.objective_code = $2)
          AND ($3::integer IS NULL OR a.number = $3)
        GROUP BY sa.year_number, (x.value->>'actionNumber')::integer`,
      params(filter),
    );
  }

  /** The objectives the filters keep, in menu order. */
  objectives(manager: EntityManager, filter: OverviewFilter): Promise<ObjectiveRow[]> {
    return manager.query(
      `SELECT o.code, o.name_nl, o.position FROM objective o
        WHERE ($1::text IS NULL OR o.code = $1)
          AND ($2::integer IS NULL OR EXISTS (SELECT 1 FROM action a WHERE a.objective_code = o.code AND a.number = $2))
        ORDER BY o.position`,
      [filter.objective, filter.action],
    );
  }

  /** One batch of the KPI lines the filters select, after the given line (keyset), at most `limit`. */
  kpiLines(manager: EntityManager, filter: OverviewFilter, after: { applicationId: number; kpiLineId: number } | null, limit: number): Promise<KpiLineDbRow[]> {
    return manager.query(KPI_LINES_QUERY, kpiLinesParams(filter, after, limit));
  }

  /** What the filter form offers. */
  async choices(manager: EntityManager): Promise<FilterChoices> {
    const years: { year_number: number }[] = await manager.query(`SELECT year_number FROM call ORDER BY year_number`);
    const objectives: ObjectiveRow[] = await manager.query(`SELECT code, name_nl, position FROM objective ORDER BY position`);
    const actions: FilterChoices['actions'] = await manager.query(`SELECT number, title_nl, objective_code FROM action ORDER BY number`);
    const provinces: { province_nl: string }[] = await manager.query(
      `SELECT DISTINCT province_nl FROM local_government WHERE province_nl IS NOT NULL ORDER BY province_nl`,
    );
    const regions: FilterChoices['regions'] = await manager.query(`SELECT code, name_nl FROM reference_region ORDER BY name_nl, code`);
    return { years: years.map((y) => y.year_number), objectives, actions, provinces: provinces.map((p) => p.province_nl), regions };
  }
}
