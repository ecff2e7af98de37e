import { Injectable } from '@nestjs/common';
import { DataSource } from 'typeorm';
import { Clock, sumCents } from '@ps/kernel';
import { ActionsOverview, ActionYearFigures, AreaFigures, LocalGovernmentsOverview } from './overview';
import { OverviewFilter, overviewFilter, OverviewFilterDto } from './overview-filter.dto';
import { AreaFigureRow, FilterChoices, OverviewsReadModel } from './overviews.read-model';
import { KpiLineRow, kpiLineOf } from './kpi-lines';

/** How many KPI lines an export reads per query: memory stays flat however many lines there are. */
export const KPI_LINES_BATCH = 500;

/** A streamed export: its filters and generation time up front, then its rows as they are read. */
export interface KpiLinesExport {
  filters: OverviewFilter;
  generatedAt: Date;
  lines: AsyncIterable<KpiLineRow>;
}

/** A bigint or count column (a string from node-postgres, a number from PGlite) as a safe integer. */
function count(value: string | number, label: string): number {
  const number = Number(value);
  if (!Number.isSafeInteger(number)) throw new RangeError(`${label} is not a safe integer: ${value}`);
  return number;
}

/**
 * The programme's figures, computed live and read-only. One place for them: the pages, the CSV exports and the
 * API all call `actions`, so the three can never disagree. No figure names an applicant or a person.
 */
@Injectable()
export class OverviewsService {
  constructor(
    private readonly dataSource: DataSource,
    private readonly readModel: OverviewsReadModel,
    private readonly clock: Clock,
  ) {}

  async actions(dto: OverviewFilterDto = {}): Promise<ActionsOverview> {
    const filters: OverviewFilter = overviewFilter(dto);
    const manager = this.dataSource.manager;
    const generatedAt = this.clock.now();
    const actions = await this.readModel.actionFigures(manager, filters);
    const units = await this.readModel.unitFigures(manager, filters);
    const objectiveRows = await this.readModel.objectives(manager, filters);

    const rows: ActionYearFigures[] = actions.map((row) => ({
      year: row.year,
      actionNumber: row.action_number,
      actionTitleNl: row.title_nl,
      objectiveCode: row.objective_code,
      committedCents: count(row.committed_cents, 'committed'),
      allocatedCents: count(row.allocated_cents, 'allocated'),
      localGovernments: count(row.local_governments, 'localGovernments'),
      applicants: count(row.applicants, 'applicants'),
      units: units
        .filter((unit) => unit.year === row.year && unit.action_number === row.action_number)
        .map((unit) => ({
          unitNl: unit.unit_nl,
          committedQuantity: count(unit.committed_quantity, 'committedQuantity'),
          realisedInterim: count(unit.realised_interim, 'realisedInterim'),
          realisedFinal: count(unit.realised_final, 'realisedFinal'),
        })),
    }));
    const objectives = objectiveRows.map((objective) => {
      const own = rows.filter((row) => row.objectiveCode === objective.code);
      return {
        code: objective.code,
        nameNl: objective.name_nl,
        committedCents: sumCents(own.map((row) => row.committedCents)),
        allocatedCents: sumCents(own.map((row) => row.allocatedCents)),
      };
    });
    return { filters, generatedAt, rows, objectives };
  }

  /**
   * Per member local government its actions and amounts (those of the applicant it is a member of), and the totals per
   * province and per reference region (each applicant counted whole in every province or region it has a member in).
   */
  async localGovernments(dto: OverviewFilterDto = {}): Promise<LocalGovernmentsOverview> {
    const filters = overviewFilter(dto);
    const manager = this.dataSource.manager;
    const generatedAt = this.clock.now();
    const rows = (await this.readModel.localGovernmentFigures(manager, filters)).map((row) => ({
      localGovernmentId: row.local_government_id,
      nisCode: row.nis_code,
      localGovernmentNl: row.local_government_name_nl,
      provinceNl: row.province_nl,
      regionNl: row.reference_region_name_nl,
      year: row.year,
      applicantNl: row.applicant_name_nl,
      actionNumber: row.action_number,
      actionTitleNl: row.action_title_nl,
      committedCents: count(row.committed_cents, 'committed'),
      allocatedCents: count(row.allocated_cents, 'allocated'),
    }));
    const area = (row: AreaFigureRow): AreaFigures => ({
      code: row.code,
      nameNl: row.name_nl,
      applicants: count(row.applicants, 'applicants'),
      localGovernments: count(row.local_governments, 'localGovernments'),
      committedCents: count(row.committed_cents, 'committed'),
      allocatedCents: count(row.allocated_cents, 'allocated'),
    });
    const provinces = (await this.readModel.provinceTotals(manager, filters)).map(area);
    const regions = (await this.readModel.regionTotals(manager, filters)).map(area);
    return { filters, generatedAt, rows, provinces, regions };
  }

  /**
   * Every KPI line of an approved application the filters select, read in batches of `batch` lines with a keyset on
   * (application, KPI line): no transaction or connection is held between batches (PGlite has only one, and a slow
   * download must not hold a pool connection), so a line changed during a long download shows its state when its batch
   * is read.
   */
  kpiLines(dto: OverviewFilterDto = {}, batch = KPI_LINES_BATCH): KpiLinesExport {
    const filters = overviewFilter(dto);
    const readModel = this.readModel;
    const manager = this.dataSource.manager;
    async function* lines(): AsyncGenerator<KpiLineRow> {
      let after: { applicationId: number; kpiLineId: number } | null = null;
      for (;;) {
        const rows = await readModel.kpiLines(manager, filters, after, batch);
        for (const row of rows) yield kpiLineOf(row);
        if (rows.length < batch) return;
        const last = rows[rows.length - 1];
        after = { applicationId: last.application_id, kpiLineId: last.kpi_line_id };
      }
    }
    return { filters, generatedAt: this.clock.now(), lines: lines() };
  }

  /** The years, objectives, actions and provinces the filter form offers. */
  choices(): Promise<FilterChoices> {
    return this.readModel.choices(this.dataSource.manager);
  }
}
