import { Injectable } from '@nestjs/common';
import { DataSource } from 'typeorm';
import { Clock, ColumnRows, pageOf, sumCents } from '@ps/kernel';
import { ActionsOverview, ActionYearFigures, AreaFigures, LOCAL_GOVERNMENT_COLUMNS, LocalGovernmentsOverview, LocalGovernmentsOverviewPage } from './overview';
import { OverviewFilter, overviewFilter, OverviewFilterDto, OverviewPageDto } from './overview-filter.dto';
import { DataVersionRepository } from './data-version.repository';
import { AreaFigureRow, FilterChoices, OverviewsReadModel } from './overviews.read-model';
import { KpiLineRow, kpiLinesOfApplication, KpiLineTexts } from './kpi-lines';

/**
 * How many approved applications' KPI lines an export reads per query (about 20–30 lines each, at most one per KPI line of
 * the catalogue): memory stays flat however many lines there are.
 */
export const KPI_LINES_BATCH = 250;

/** The computed figures kept per filter (per process); the oldest goes first beyond this. */
const CACHE_ENTRIES = 100;
/** The change log is folded into one row when it holds more rows than this (it is summed on every cached read). */
const CHANGE_LOG_ROWS = 500;

/** A streamed export: its filters and generation time up front, then its rows as they are read, a batch at a time. */
export interface KpiLinesExport {
  filters: OverviewFilter;
  generatedAt: Date;
  batches: AsyncIterable<KpiLineRow[]>;
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
  /** Figures per kind and filter, with the data version they were computed at (see `cached`). */
  private readonly cache = new Map<string, Promise<unknown>>();
  private cacheVersion: string | null = null;

  constructor(
    private readonly dataSource: DataSource,
    private readonly readModel: OverviewsReadModel,
    private readonly dataVersions: DataVersionRepository,
    private readonly clock: Clock,
  ) {}

  /**
   * The figures of `key`, computed by `compute` or, when the data has not changed since they were computed, kept from
   * before. Exact and live: the version (`DataVersionRepository.dataVersion`, grown by a trigger on every table the views
   * read) is read on every call before anything else, and the figures are kept under the version read before they were
   * computed, so a kept figure never predates a committed change (a change committed while they were computed only makes
   * the next call compute again). Concurrent calls for the same figures share one computation. Per process, at most
   * `CACHE_ENTRIES` filters; everything kept is dropped when the version changes.
   */
  private async cached<T>(key: string, compute: () => Promise<T>): Promise<T> {
    const manager = this.dataSource.manager;
    const { version, rows } = await this.dataVersions.dataVersion(manager);
    if (rows > CHANGE_LOG_ROWS) await this.dataVersions.compactDataChanges(manager);
    if (version !== this.cacheVersion) {
      this.cache.clear();
      this.cacheVersion = version;
    }
    const kept = this.cache.get(key) as Promise<T> | undefined;
    if (kept) return kept;
    const computing = compute();
    this.cache.set(key, computing);
    if (this.cache.size > CACHE_ENTRIES) this.cache.delete(this.cache.keys().next().value!);
    computing.catch(() => {
      if (this.cache.get(key) === computing) this.cache.delete(key);
    });
    return computing;
  }

  async actions(dto: OverviewFilterDto = {}): Promise<ActionsOverview> {
    const filters: OverviewFilter = overviewFilter(dto);
    const generatedAt = this.clock.now();
    const figures = await this.cached(`actions ${JSON.stringify(filters)}`, () => this.computeActions(filters));
    return { filters, generatedAt, ...figures };
  }

  private async computeActions(filters: OverviewFilter): Promise<Pick<ActionsOverview, 'rows' | 'objectives'>> {
    const manager = this.dataSource.manager;
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
    return { rows, objectives };
  }

  /**
   * Per member local government its actions and amounts (those of the applicant it is a member of), and the totals per
   * province and per reference region (each applicant counted whole in every province or region it has a member in).
   */
  async localGovernments(dto: OverviewFilterDto = {}): Promise<LocalGovernmentsOverview> {
    const filters = overviewFilter(dto);
    const generatedAt = this.clock.now();
    const figures = await this.cached(`local-governments ${JSON.stringify(filters)}`, () => this.computeLocalGovernments(filters));
    return { filters, generatedAt, ...figures };
  }

  /** The same with one page of its rows: the page and the API answer; the exports take the whole `localGovernments`. */
  async localGovernmentsPage(dto: OverviewPageDto = {}): Promise<LocalGovernmentsOverviewPage> {
    const overview = await this.localGovernments(dto);
    const { items, ...paging } = pageOf(overview.rows, dto);
    return { ...overview, rows: items, ...paging };
  }

  private async computeLocalGovernments(filters: OverviewFilter): Promise<Pick<LocalGovernmentsOverview, 'rows' | 'provinces' | 'regions'>> {
    const manager = this.dataSource.manager;
    // Kept per data version, as columns: a row per member, year and action is hundreds of thousands of rows at 100×, and
    // as objects they made the platform's full garbage collections pause its answers (docs/benchmarks.md).
    const rows = ColumnRows.from(LOCAL_GOVERNMENT_COLUMNS, await this.readModel.localGovernmentFigures(manager, filters), (row) => ({
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
      nisCodeAsWas: row.nis_code_as_was,
      nisCodeToday: row.nis_code_today,
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
    return { rows, provinces, regions };
  }

  /**
   * Every KPI line of an approved application the filters select, read in batches of the lines of `batch` approved
   * applications (a keyset on application id; each batch's query reads only its own applications' lines): no transaction
   * or connection is held between batches (PGlite has only one, and a slow download must not hold a pool connection), so
   * a line changed during a long download shows its state when its batch is read. Never cached: it streams.
   */
  kpiLines(dto: OverviewFilterDto = {}, batch = KPI_LINES_BATCH): KpiLinesExport {
    // The KPI lines name each application's members as they were: the mapping onto today's municipalities does not apply.
    const filters = overviewFilter({ ...dto, municipalities: undefined });
    const readModel = this.readModel;
    const manager = this.dataSource.manager;
    const catalogue = new KpiLineTexts(() => readModel.kpiLineCatalogue(manager));
    const read = async (after: number | null) => {
      const upTo = await readModel.kpiLinesBatchEnd(manager, after, batch);
      return { upTo, applications: await readModel.kpiLineApplications(manager, filters, after, upTo) };
    };
    // The next batch is read while this one is written out (the database and Node work at the same time): at most two
    // batches in memory. A batch read for a download that stopped is dropped, its failure too.
    const ahead = (after: number | null) => {
      const next = read(after);
      next.catch(() => undefined);
      return next;
    };
    async function* batches(): AsyncGenerator<KpiLineRow[]> {
      let pending = ahead(null);
      for (;;) {
        const { upTo, applications } = await pending;
        if (upTo !== null) pending = ahead(upTo);
        await catalogue.cover(applications.flatMap((application) => application.lines.map(([kpiLineId]) => kpiLineId)));
        const lines = applications.flatMap((application) => kpiLinesOfApplication(application, catalogue.texts));
        if (lines.length > 0) yield lines;
        if (upTo === null) return;
      }
    }
    return { filters, generatedAt: this.clock.now(), batches: batches() };
  }

  /** The years, objectives, actions and provinces the filter form offers (kept like the figures). */
  choices(): Promise<FilterChoices> {
    return this.cached('choices', () => this.readModel.choices(this.dataSource.manager));
  }
}
