import { Injectable } from '@nestjs/common';
import { EntityManager } from 'typeorm';
import { OverviewFilter } from './overview-filter.dto';
import { membersView } from './municipalities';
import { KPI_LINE_APPLICATIONS_QUERY, KpiLineApplicationDbRow, KpiLineCatalogueDbRow, kpiLinesParams } from './kpi-lines';

export interface ActionFigureRow {
  year: number;
  action_number: number;
  title_nl: string;
  objective_code: string;
  committed_cents: string | number;
  allocated_cents: string | number;
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

export interface ObjectiveRow {
  code: string;
  name_nl: string;
  position: number;
}

/** One local government, project year and action: the amounts of the applicant it is a member of. */
export interface LocalGovernmentFigureRow {
  local_government_id: number;
  nis_code: string | null;
  local_government_name_nl: string;
  province_nl: string | null;
  reference_region_name_nl: string | null;
  year: number;
  applicant_name_nl: string;
  action_number: number;
  action_title_nl: string;
  committed_cents: string | number;
  allocated_cents: string | number;
  /** The NIS code(s) as they were: as it was the member's own; mapped, its predecessors' that were members (", " between them). */
  nis_code_as_was: string | null;
  /** The NIS code of the municipality the member is part of today. */
  nis_code_today: string | null;
}

/** One province or reference region: the applicants with a member in it, counted whole. */
export interface AreaFigureRow {
  code: string;
  name_nl: string;
  applicants: string | number;
  local_governments: string | number;
  committed_cents: string | number;
  allocated_cents: string | number;
}

export interface FilterChoices {
  years: number[];
  objectives: ObjectiveRow[];
  actions: { number: number; title_nl: string; objective_code: string }[];
  provinces: string[];
  regions: { code: string; name_nl: string }[];
}

/**
 * The KPI lines the filters select, from the overviews' own view `overview_kpi_line` (confirmed lines above 0 of
 * approved applications): $1 year, $2 objective, $3 action, $4 province and $5 reference region (applicants with at
 * least one member local government, state 'member', in it: `overview_applicant_member`). Read-only; every figure
 * comes from here, so pages, exports and API cannot disagree.
 */
const selected = (members: string) => `
  selected_line AS (
    SELECT l.*
      FROM overview_kpi_line l
     WHERE ($1::integer IS NULL OR l.year = $1::integer)
       AND ($2::text IS NULL OR l.objective_code = $2::text)
       AND ($3::integer IS NULL OR l.action_number = $3::integer)
       AND ($4::text IS NULL OR EXISTS (SELECT 1 FROM ${members} p WHERE p.applicant_id = l.applicant_id AND p.province_nl = $4::text))
       AND ($5::text IS NULL OR EXISTS (
             SELECT 1 FROM ${members} r WHERE r.applicant_id = l.applicant_id AND r.reference_region_code = $5::text))
  ),
  per_applicant AS (
    SELECT applicant_id, SUM(confirmed_cents) AS committed_cents, SUM(COALESCE(allocated_cents, 0)) AS allocated_cents
      FROM selected_line GROUP BY applicant_id
  )`;

const params = (filter: OverviewFilter) => [filter.year, filter.objective, filter.action, filter.province, filter.region];

/** Totals per area (province or reference region) of the applicants with a member in it; `area` names the view's code and name columns. */
const areaTotals = (members: string, code: string, name: string, only: string) => `
  WITH ${selected(members)},
  area_applicant AS (SELECT DISTINCT m.${code} AS code, m.${name} AS name_nl, m.applicant_id FROM ${members} m WHERE m.${code} IS NOT NULL),
  area_member AS (
    SELECT m.${code} AS code, COUNT(DISTINCT m.local_government_id) AS local_governments
      FROM ${members} m JOIN per_applicant p ON p.applicant_id = m.applicant_id
     GROUP BY m.${code}
  )
  SELECT a.code, a.name_nl, COUNT(*) AS applicants, COALESCE(MIN(am.local_governments), 0) AS local_governments,
         SUM(p.committed_cents) AS committed_cents, SUM(p.allocated_cents) AS allocated_cents
    FROM area_applicant a
    JOIN per_applicant p ON p.applicant_id = a.applicant_id
    LEFT JOIN area_member am ON am.code = a.code
   WHERE (${only}::text IS NULL OR a.code = ${only}::text)
   GROUP BY a.code, a.name_nl
   ORDER BY a.name_nl, a.code`;

/**
 * Every statement of the overviews: live figures from the overviews' own views (migration 1764300000000), never from
 * another lib's tables.
 */
@Injectable()
export class OverviewsReadModel {
  /** Per project year and action: confirmed and allocated amounts, applicants and their member local governments. */
  actionFigures(manager: EntityManager, filter: OverviewFilter): Promise<ActionFigureRow[]> {
    return manager.query(
      `WITH ${selected(membersView(filter.municipalities))},
       per_action AS (
         SELECT year, action_number, action_title_nl, objective_code, SUM(confirmed_cents) AS committed_cents,
                SUM(COALESCE(allocated_cents, 0)) AS allocated_cents, COUNT(DISTINCT applicant_id) AS applicants
           FROM selected_line GROUP BY year, action_number, action_title_nl, objective_code
       ),
       governments AS (
         SELECT l.year, l.action_number, COUNT(DISTINCT m.local_government_id) AS local_governments
           FROM (SELECT DISTINCT year, action_number, applicant_id FROM selected_line) l
           JOIN ${membersView(filter.municipalities)} m ON m.applicant_id = l.applicant_id
          GROUP BY l.year, l.action_number
       )
       SELECT p.year, p.action_number, p.action_title_nl AS title_nl, p.objective_code, p.committed_cents, p.allocated_cents, p.applicants,
              COALESCE(g.local_governments, 0) AS local_governments
         FROM per_action p
         LEFT JOIN governments g ON g.year = p.year AND g.action_number = p.action_number
        ORDER BY p.year, p.action_number`,
      params(filter),
    );
  }

  /** Per project year, action and KPI unit: confirmed quantity and the quantities realised in accepted interim and final reports. */
  unitFigures(manager: EntityManager, filter: OverviewFilter): Promise<UnitFigureRow[]> {
    return manager.query(
      `WITH ${selected(membersView(filter.municipalities))}
       SELECT year, action_number, unit_nl, SUM(confirmed_quantity) AS committed_quantity,
              COALESCE(SUM(realised_interim), 0) AS realised_interim, COALESCE(SUM(realised_final), 0) AS realised_final
         FROM selected_line
        GROUP BY year, action_number, unit_nl
        ORDER BY year, action_number, unit_nl`,
      params(filter),
    );
  }

  /**
   * Per member local government, project year and action: the amounts of the applicant it is a member of (a
   * cooperation's amounts appear with each of its members). The province and region filters keep the local
   * governments in that province or region.
   */
  localGovernmentFigures(manager: EntityManager, filter: OverviewFilter): Promise<LocalGovernmentFigureRow[]> {
    const today = filter.municipalities === 'today';
    // As it was, each member's code today comes from the mapping; mapped, the codes it had come with the member.
    const codes = today
      ? { select: 'm.nis_code_as_was, m.nis_code AS nis_code_today', join: '', group: 'm.nis_code_as_was' }
      : {
          select: 'm.nis_code AS nis_code_as_was, t.today_nis_code AS nis_code_today',
          join: 'LEFT JOIN overview_local_government_today t ON t.local_government_id = m.local_government_id',
          group: 't.today_nis_code',
        };
    return manager.query(
      `WITH ${selected(membersView(filter.municipalities))}
       SELECT m.local_government_id, m.nis_code, m.local_government_name_nl, m.province_nl, m.reference_region_name_nl,
              l.year, l.applicant_name_nl, l.action_number, l.action_title_nl,
              SUM(l.confirmed_cents) AS committed_cents, SUM(COALESCE(l.allocated_cents, 0)) AS allocated_cents, ${codes.select}
         FROM selected_line l
         JOIN ${membersView(filter.municipalities)} m ON m.applicant_id = l.applicant_id
         ${codes.join}
        WHERE ($4::text IS NULL OR m.province_nl = $4::text)
          AND ($5::text IS NULL OR m.reference_region_code = $5::text)
        GROUP BY m.local_government_id, m.nis_code, m.local_government_name_nl, m.province_nl, m.reference_region_name_nl,
                 l.year, l.applicant_name_nl, l.action_number, l.action_title_nl, ${codes.group}
        ORDER BY m.local_government_name_nl, m.local_government_id, l.year, l.action_number`,
      params(filter),
    );
  }

  /** Per province: the applicants with a member local government in it, each counted whole. The province filter keeps its own. */
  provinceTotals(manager: EntityManager, filter: OverviewFilter): Promise<AreaFigureRow[]> {
    return manager.query(areaTotals(membersView(filter.municipalities), 'province_nl', 'province_nl', '$4'), params(filter));
  }

  /** Per reference region, likewise. The region filter keeps its own. */
  regionTotals(manager: EntityManager, filter: OverviewFilter): Promise<AreaFigureRow[]> {
    return manager.query(areaTotals(membersView(filter.municipalities), 'reference_region_code', 'reference_region_name_nl', '$5'), params(filter));
  }

  /** The objectives the filters keep, in menu order. */
  objectives(manager: EntityManager, filter: OverviewFilter): Promise<ObjectiveRow[]> {
    return manager.query(
      `SELECT DISTINCT o.objective_code AS code, o.objective_name_nl AS name_nl, o.objective_position AS position FROM overview_action o
        WHERE ($1::text IS NULL OR o.objective_code = $1::text)
          AND ($2::integer IS NULL OR EXISTS (SELECT 1 FROM overview_action a WHERE a.objective_code = o.objective_code AND a.action_number = $2::integer))
        ORDER BY o.objective_position`,
      [filter.objective, filter.action],
    );
  }

  /**
   * The end of the next batch of the KPI-lines export: the `count`-th approved application after `after` (by id), or null
   * when fewer remain (the batch then runs to the end). Walks application's primary key.
   */
  async kpiLinesBatchEnd(manager: EntityManager, after: number | null, count: number): Promise<number | null> {
    const rows: { application_id: number }[] = await manager.query(
      `SELECT application_id FROM overview_application WHERE application_id > COALESCE($1::integer, 0) ORDER BY application_id OFFSET $2::integer LIMIT 1`,
      [after, count - 1],
    );
    return rows.length === 0 ? null : rows[0].application_id;
  }

  /**
   * The approved applications with `after < id <= upTo` (null: from the start / to the end) that have a KPI line the filters
   * select, each with those lines (`KPI_LINE_APPLICATIONS_QUERY`).
   */
  kpiLineApplications(manager: EntityManager, filter: OverviewFilter, after: number | null, upTo: number | null): Promise<KpiLineApplicationDbRow[]> {
    return manager.query(KPI_LINE_APPLICATIONS_QUERY, kpiLinesParams(filter, after, upTo));
  }

  /** Every KPI line of every call with its action, title, objective and unit. */
  kpiLineCatalogue(manager: EntityManager): Promise<KpiLineCatalogueDbRow[]> {
    return manager.query(`SELECT kpi_line_id, action_number, action_title_nl, objective_code, unit_nl FROM overview_kpi_line_catalogue`);
  }

  /** What the filter form offers. */
  async choices(manager: EntityManager): Promise<FilterChoices> {
    const actions: (ObjectiveRow & { action_number: number | null; action_title_nl: string | null })[] = await manager.query(
      `SELECT objective_code AS code, objective_name_nl AS name_nl, objective_position AS position, action_number, action_title_nl
         FROM overview_action ORDER BY objective_position, action_number`,
    );
    const choices: { kind: string; code: string; name_nl: string }[] = await manager.query(
      `SELECT kind, code, name_nl FROM overview_filter_choice ORDER BY kind, position, name_nl, code`,
    );
    const objectives = [...new Map(actions.map((a) => [a.code, { code: a.code, name_nl: a.name_nl, position: a.position }])).values()];
    return {
      years: choices.filter((c) => c.kind === 'year').map((c) => Number(c.code)),
      objectives,
      actions: actions
        .filter((a) => a.action_number !== null)
        .map((a) => ({ number: a.action_number!, title_nl: a.action_title_nl!, objective_code: a.code }))
        .sort((x, y) => x.number - y.number),
      provinces: choices.filter((c) => c.kind === 'province').map((c) => c.code),
      regions: choices.filter((c) => c.kind === 'region').map((c) => ({ code: c.code, name_nl: c.name_nl })),
    };
  }
}
