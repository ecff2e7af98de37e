import { Cents } from '@ps/kernel';
import { OverviewFilter } from './overview-filter.dto';

/**
 * Every KPI line of an approved application the filters select, one row per line: the export of the figures' underlying
 * data. It reads only the overviews' own views (`overview_application` (migration 1764400000000), `overview_kpi_line`,
 * `overview_applicant_member` (1764300000000)). Parameters, in order (NULL = no filter):
 *   $1 project year (integer), $2 objective code (text), $3 action number (integer), $4 province (text: applicants with at
 *   least one member local government in it), $5 reference region code (text, likewise),
 *   $6 / $7 the batch: only the applications with `$6 < application_id <= $7` (integers; NULL = from the start / to the end).
 * Rows come in the order of (application_id, kpi_line_id). The query first picks the batch's approved applications (a range
 * of application's primary key), then their member lists (once per applicant) and, per application, its lines (a
 * subquery per application, `OFFSET 0` so the planner looks the lines, reports and allocation up for that application
 * only instead of joining every line of the programme): a batch costs what its own lines cost, wherever it is in the
 * keyset. Amounts are integer cents (bigint); `allocated_cents` is NULL while no allocation run of the call is
 * published, `realised_interim` / `realised_final` while that report is not accepted.
 * A benchmark can run the same text without parameters (every line at once): see `kpiLinesCopyStatement`.
 */
export const KPI_LINES_QUERY = `
WITH ${batchAndMembers()}
SELECT l.application_id, l.kpi_line_id, l.year, l.applicant_name_nl,
       m.local_governments_nl, m.provinces_nl,
       l.action_number, l.action_title_nl, l.objective_code, l.unit_nl,
       l.confirmed_quantity, l.confirmed_cents, l.allocated_cents, l.realised_interim, l.realised_final
  FROM batch b
 CROSS JOIN LATERAL (
   SELECT k.* FROM overview_kpi_line k
    WHERE k.application_id = b.application_id
      AND ($2::text IS NULL OR k.objective_code = $2::text)
      AND ($3::integer IS NULL OR k.action_number = $3::integer)
   OFFSET 0
 ) l
  LEFT JOIN member m ON m.applicant_id = b.applicant_id
 ORDER BY l.application_id, l.kpi_line_id`;

/**
 * What the platform's export reads per batch: the same lines as `KPI_LINES_QUERY` with the same parameters, but one row per
 * application, its texts once and its lines as a JSON array of `[kpi_line_id, confirmed_quantity, confirmed_cents,
 * allocated_cents, realised_interim, realised_final]` in kpi_line_id order; the catalogue texts of a line (action, title,
 * objective, unit) come from `overview_kpi_line_catalogue`, read once per export. Node then parses one row and one JSON
 * text per application instead of fifteen columns per line: at 100× that halves the export's time (docs/benchmarks.md).
 * An application without a selected line (objective or action filter) gives no row.
 */
export const KPI_LINE_APPLICATIONS_QUERY = `
WITH ${batchAndMembers()}
SELECT b.application_id, b.year, b.applicant_name_nl, m.local_governments_nl, m.provinces_nl, l.lines
  FROM batch b
 CROSS JOIN LATERAL (
   SELECT json_agg(json_build_array(k.kpi_line_id, k.confirmed_quantity, k.confirmed_cents, k.allocated_cents, k.realised_interim, k.realised_final)
                   ORDER BY k.kpi_line_id) AS lines
     FROM overview_kpi_line k
    WHERE k.application_id = b.application_id
      AND ($2::text IS NULL OR k.objective_code = $2::text)
      AND ($3::integer IS NULL OR k.action_number = $3::integer)
 ) l
  LEFT JOIN member m ON m.applicant_id = b.applicant_id
 WHERE l.lines IS NOT NULL
 ORDER BY b.application_id`;

/** The two queries' common start: the batch's approved applications the filters select, and their members' names. */
function batchAndMembers(): string {
  return `batch AS MATERIALIZED (
  SELECT a.application_id, a.applicant_id, a.year, a.applicant_name_nl
    FROM overview_application a
   WHERE a.application_id > COALESCE($6::integer, 0)
     AND ($7::integer IS NULL OR a.application_id <= $7::integer)
     AND ($1::integer IS NULL OR a.year = $1::integer)
     AND ($4::text IS NULL OR EXISTS (SELECT 1 FROM overview_applicant_member p WHERE p.applicant_id = a.applicant_id AND p.province_nl = $4::text))
     AND ($5::text IS NULL OR EXISTS (SELECT 1 FROM overview_applicant_member r WHERE r.applicant_id = a.applicant_id AND r.reference_region_code = $5::text))
),
member AS MATERIALIZED (
  SELECT am.applicant_id,
         string_agg(am.local_government_name_nl, ', ' ORDER BY am.local_government_name_nl) AS local_governments_nl,
         string_agg(DISTINCT am.province_nl, ', ' ORDER BY am.province_nl) AS provinces_nl
    FROM overview_applicant_member am
   WHERE am.applicant_id IN (SELECT b.applicant_id FROM batch b)
   GROUP BY am.applicant_id
)`;
}

/** The parameters of `KPI_LINES_QUERY`, in order: the filters, then the batch's applications `after < id <= upTo`. */
export function kpiLinesParams(filter: OverviewFilter, after: number | null, upTo: number | null): unknown[] {
  return [filter.year, filter.objective, filter.action, filter.province, filter.region, after, upTo];
}

/** A parameter as an SQL literal: a safe integer, a quoted text (single quotes doubled) or NULL. */
function literal(value: unknown): string {
  if (value === null || value === undefined) return 'NULL';
  if (typeof value === 'number') {
    if (!Number.isSafeInteger(value)) throw new RangeError(`not an integer: ${value}`);
    return String(value);
  }
  const text = String(value);
  if (text.includes('\0')) throw new RangeError('a text with a NUL character');
  return `'${text.replace(/'/g, "''")}'`;
}

/**
 * `COPY (KPI_LINES_QUERY) TO STDOUT WITH (FORMAT csv, HEADER)` for the filter, every line at once (COPY takes no
 * parameters, so they are written in as literals; standard_conforming_strings is on since PostgreSQL 9.1). For benchmarks
 * and operators through plain pg; the platform itself reads in batches (`OverviewsService.kpiLines`).
 */
export function kpiLinesCopyStatement(filter: OverviewFilter): string {
  return `COPY (${kpiLinesInlined(filter)}) TO STDOUT WITH (FORMAT csv, HEADER)`;
}

/** `KPI_LINES_QUERY` for every line the filter selects, its parameters written in as literals. */
export function kpiLinesInlined(filter: OverviewFilter): string {
  const values = kpiLinesParams(filter, null, null);
  return KPI_LINES_QUERY.replace(/\$(\d+)/g, (_, n: string) => literal(values[Number(n) - 1]));
}

/** One confirmed KPI line of an approved application, as the KPI-lines export gives it. No person is named. */
export interface KpiLineRow {
  applicationId: number;
  kpiLineId: number;
  year: number;
  applicantNameNl: string;
  /** The names of the applicant's member local governments, alphabetically, separated by ", ". */
  localGovernmentsNl: string;
  /** Their provinces, distinct, alphabetically, separated by ", ". */
  provincesNl: string;
  actionNumber: number;
  actionTitleNl: string;
  objectiveCode: string;
  unitNl: string;
  confirmedQuantity: number;
  confirmedCents: Cents;
  /** What the call's published allocation run allocated to this line; null while none is published. */
  allocatedCents: Cents | null;
  /** The quantity realised in the accepted interim report; null while that report is not accepted. */
  realisedInterim: number | null;
  /** The quantity realised in the accepted final report; null while that report is not accepted. */
  realisedFinal: number | null;
}

/** A row of `KPI_LINES_QUERY` as the driver returns it (bigint as a string from node-postgres). */
export interface KpiLineDbRow {
  application_id: number;
  kpi_line_id: number;
  year: number;
  applicant_name_nl: string;
  local_governments_nl: string | null;
  provinces_nl: string | null;
  action_number: number;
  action_title_nl: string;
  objective_code: string;
  unit_nl: string;
  confirmed_quantity: number;
  confirmed_cents: string | number;
  allocated_cents: string | number | null;
  realised_interim: number | null;
  realised_final: number | null;
}

function safe(value: string | number, label: string): number {
  const number = Number(value);
  if (!Number.isSafeInteger(number)) throw new RangeError(`${label} is not a safe integer: ${value}`);
  return number;
}

export function kpiLineOf(row: KpiLineDbRow): KpiLineRow {
  return {
    applicationId: row.application_id,
    kpiLineId: row.kpi_line_id,
    year: row.year,
    applicantNameNl: row.applicant_name_nl,
    localGovernmentsNl: row.local_governments_nl ?? '',
    provincesNl: row.provinces_nl ?? '',
    actionNumber: row.action_number,
    actionTitleNl: row.action_title_nl,
    objectiveCode: row.objective_code,
    unitNl: row.unit_nl,
    confirmedQuantity: row.confirmed_quantity,
    confirmedCents: safe(row.confirmed_cents, 'confirmedCents'),
    allocatedCents: row.allocated_cents === null ? null : safe(row.allocated_cents, 'allocatedCents'),
    realisedInterim: row.realised_interim,
    realisedFinal: row.realised_final,
  };
}

/** A KPI line's catalogue texts, a row of `overview_kpi_line_catalogue`. */
export interface KpiLineCatalogueDbRow {
  kpi_line_id: number;
  action_number: number;
  action_title_nl: string;
  objective_code: string;
  unit_nl: string;
}

/** One line in a row of `KPI_LINE_APPLICATIONS_QUERY`: kpi_line_id, confirmed quantity and cents, allocated cents, realised interim and final. */
type KpiLineJson = [number, number, number | string, number | string | null, number | null, number | null];

/** A row of `KPI_LINE_APPLICATIONS_QUERY`: one application with its selected lines (JSON, parsed by the driver). */
export interface KpiLineApplicationDbRow {
  application_id: number;
  year: number;
  applicant_name_nl: string;
  local_governments_nl: string | null;
  provinces_nl: string | null;
  lines: KpiLineJson[];
}

/** An application's lines as the export gives them, each named from the catalogue (`texts` of its kpi_line_id). */
export function kpiLinesOfApplication(row: KpiLineApplicationDbRow, texts: (kpiLineId: number) => KpiLineCatalogueDbRow): KpiLineRow[] {
  const localGovernmentsNl = row.local_governments_nl ?? '';
  const provincesNl = row.provinces_nl ?? '';
  return row.lines.map(([kpiLineId, confirmedQuantity, confirmedCents, allocatedCents, realisedInterim, realisedFinal]) => {
    const line = texts(kpiLineId);
    return {
      applicationId: row.application_id,
      kpiLineId,
      year: row.year,
      applicantNameNl: row.applicant_name_nl,
      localGovernmentsNl,
      provincesNl,
      actionNumber: line.action_number,
      actionTitleNl: line.action_title_nl,
      objectiveCode: line.objective_code,
      unitNl: line.unit_nl,
      confirmedQuantity,
      confirmedCents: safe(confirmedCents, 'confirmedCents'),
      allocatedCents: allocatedCents === null ? null : safe(allocatedCents, 'allocatedCents'),
      realisedInterim,
      realisedFinal,
    };
  });
}

/**
 * The catalogue texts of KPI lines for one export: read on first use, and read again when a line is missing (a call created
 * while the download runs).
 */
export class KpiLineTexts {
  private byId: Map<number, KpiLineCatalogueDbRow> | null = null;

  constructor(private readonly read: () => Promise<KpiLineCatalogueDbRow[]>) {}

  /** Makes sure `texts` knows these KPI lines (reads the catalogue when it does not). */
  async cover(kpiLineIds: number[]): Promise<void> {
    const known = this.byId;
    if (known && kpiLineIds.every((id) => known.has(id))) return;
    this.byId = new Map((await this.read()).map((row) => [row.kpi_line_id, row]));
  }

  readonly texts = (kpiLineId: number): KpiLineCatalogueDbRow => {
    const row = this.byId?.get(kpiLineId);
    if (!row) throw new Error(`KPI line ${kpiLineId} is not in the catalogue`);
    return row;
  };
}
