import { Controller, Get, Query, Res } from '@nestjs/common';
import { ApiExcludeController } from '@nestjs/swagger';
import { Response } from 'express';
import { formatBrussels, formatEuro } from '@ps/kernel';
import {
  ActionsOverview,
  amountsChartSvg,
  filterCells,
  LocalGovernmentsOverview,
  objectivesChartSvg,
  OverviewCsvDto,
  OverviewFilterDto,
  OverviewPageDto,
  OverviewsService,
} from '@ps/overviews';
import {
  streamKpiLinesCsv,
  streamKpiLinesXlsx,
  streamLocalGovernmentsCsv,
  streamLocalGovernmentsXlsx,
  streamOverviewCsv,
  streamOverviewXlsx,
} from '../documents/send-file';
import { Access, Public } from '../auth/access.decorator';
import { byField, FieldError, validateForm } from './forms';
import { paginationView } from './pagination';

/** The filters as a query string, for the CSV link next to the figures it exports (the municipalities as they were: the default, left out). */
function queryOf(filter: OverviewFilterDto): string {
  const entries = Object.entries(filter).filter(
    ([key, value]) => value !== undefined && value !== null && value !== '' && !(key === 'municipalities' && value === 'as-was'),
  );
  return new URLSearchParams(entries.map(([key, value]) => [key, String(value)])).toString();
}

/** The overview as the page shows it: amounts in euro, objective names, the chart. No figure names a person. */
function pageView(overview: ActionsOverview) {
  const objectiveName = new Map(overview.objectives.map((o) => [o.code, o.nameNl]));
  return {
    generatedAt: formatBrussels(overview.generatedAt),
    filterText: filterCells(overview.filters).join(', '),
    rows: overview.rows.map((row) => ({
      ...row,
      objectiveNl: objectiveName.get(row.objectiveCode) ?? row.objectiveCode,
      committed: formatEuro(row.committedCents),
      allocated: formatEuro(row.allocatedCents),
    })),
    units: overview.rows.flatMap((row) => row.units.map((unit) => ({ year: row.year, actionNumber: row.actionNumber, ...unit }))),
    objectives: overview.objectives.map((o) => ({ ...o, committed: formatEuro(o.committedCents), allocated: formatEuro(o.allocatedCents) })),
    totalCommitted: formatEuro(overview.objectives.reduce((sum, o) => sum + o.committedCents, 0)),
    totalAllocated: formatEuro(overview.objectives.reduce((sum, o) => sum + o.allocatedCents, 0)),
    chart: objectivesChartSvg(overview.objectives),
  };
}

/** The overview per local government as the page shows it: amounts in euro, the charts per province and per region. */
function localGovernmentsView(overview: LocalGovernmentsOverview) {
  const euro = <T extends { committedCents: number; allocatedCents: number }>(x: T) => ({
    ...x,
    committed: formatEuro(x.committedCents),
    allocated: formatEuro(x.allocatedCents),
  });
  return {
    generatedAt: formatBrussels(overview.generatedAt),
    filterText: filterCells(overview.filters).join(', '),
    rows: overview.rows.map(euro),
    provinces: overview.provinces.map(euro),
    regions: overview.regions.map(euro),
    provincesChart: amountsChartSvg(overview.provinces, 'chart-provinces', 'Vastgelegd en toegekend bedrag per provincie'),
    regionsChart: amountsChartSvg(overview.regions, 'chart-regions', 'Vastgelegd en toegekend bedrag per referentieregio'),
  };
}

/** What the filter form shows: the fields as typed, so a refused value stays in its field. */
function typedFilter(query: Record<string, unknown>) {
  const field = (name: string) => String(query[name] ?? '');
  return {
    year: field('year'),
    objective: field('objective'),
    action: field('action'),
    province: field('province'),
    region: field('region'),
    municipalities: field('municipalities'),
  };
}

/** Issue 12's pages: the public figures of the programme, and the filtered overviews with their CSV export. */
@ApiExcludeController()
@Controller()
export class OverviewsWebController {
  constructor(private readonly overviews: OverviewsService) {}

  /** Without login: the programme's figures per objective and per action per project year, no personal data. */
  @Get('cijfers')
  @Public()
  async figures(@Query() query: Record<string, unknown>, @Res() res: Response) {
    // The public page filters by project year and objective only: real controls in a GET form, without JavaScript.
    const { value, errors } = validateForm(OverviewFilterDto, { year: query.year || undefined, objective: query.objective || undefined });
    const filter = { year: String(query.year ?? ''), objective: String(query.objective ?? '') };
    const common = { title: 'Plan Samenleven in cijfers', page: 'figures', public: true, choices: await this.overviews.choices(), filter };
    if (errors.length > 0) return this.refused(res, common, errors);
    const overview = await this.overviews.actions({ year: value.year, objective: value.objective });
    res.render('overviews', { ...common, ...pageView(overview) });
  }

  @Get('overzichten')
  @Access({ permission: 'overviews:read' })
  async overview(@Query() query: Record<string, unknown>, @Res() res: Response) {
    const { value, errors } = validateForm(OverviewFilterDto, query);
    const choices = await this.overviews.choices();
    const common = { title: 'Overzichten per actie', page: 'overviews', choices, filter: typedFilter(query) };
    if (errors.length > 0) return this.refused(res, common, errors);
    const overview = await this.overviews.actions(value);
    const query_ = queryOf(value);
    res.render('overviews', {
      ...common,
      ...pageView(overview),
      csvUrl: `/overzichten/acties.csv${query_ ? `?${query_}` : ''}`,
      xlsxUrl: `/overzichten/acties.xlsx${query_ ? `?${query_}` : ''}`,
      kpiLinesCsvUrl: `/overzichten/kpi-lijnen.csv${query_ ? `?${query_}` : ''}`,
      kpiLinesXlsxUrl: `/overzichten/kpi-lijnen.xlsx${query_ ? `?${query_}` : ''}`,
    });
  }

  @Get('overzichten/lokale-besturen')
  @Access({ permission: 'overviews:read' })
  async localGovernments(@Query() query: Record<string, unknown>, @Res() res: Response) {
    const { value, errors } = validateForm(OverviewPageDto, query);
    const common = { title: 'Overzichten per lokaal bestuur', page: 'overviews', choices: await this.overviews.choices(), filter: typedFilter(query) };
    if (errors.length > 0) return res.status(422).render('overviews-local-governments', { ...common, refused: true, errors, fieldErrors: byField(errors) });
    const { page: _page, pageSize, ...filter } = value;
    if (filter.municipalities === 'as-was') delete filter.municipalities;
    const query_ = queryOf(filter);
    const overview = await this.overviews.localGovernmentsPage(value);
    res.render('overviews-local-governments', {
      ...common,
      ...localGovernmentsView(overview),
      total: overview.total,
      pagination: paginationView(overview, '/overzichten/lokale-besturen', { ...filter, pageSize }),
      csvUrl: `/overzichten/lokale-besturen.csv${query_ ? `?${query_}` : ''}`,
      xlsxUrl: `/overzichten/lokale-besturen.xlsx${query_ ? `?${query_}` : ''}`,
    });
  }

  @Get('overzichten/lokale-besturen.csv')
  @Access({ permission: 'overviews:read' })
  async localGovernmentsCsv(@Query() query: Record<string, unknown>, @Res() res: Response) {
    const { value, errors } = validateForm(OverviewCsvDto, query);
    if (errors.length > 0) return this.refusedFilter(res, errors);
    streamLocalGovernmentsCsv(res, await this.overviews.localGovernments(value), value.separator);
  }

  @Get('overzichten/lokale-besturen.xlsx')
  @Access({ permission: 'overviews:read' })
  async localGovernmentsXlsx(@Query() query: Record<string, unknown>, @Res() res: Response) {
    const { value, errors } = validateForm(OverviewFilterDto, query);
    if (errors.length > 0) return this.refusedFilter(res, errors);
    await streamLocalGovernmentsXlsx(res, await this.overviews.localGovernments(value));
  }

  /** The KPI lines behind the figures, with the page's filters, as CSV (`separator=comma` for commas). */
  @Get('overzichten/kpi-lijnen.csv')
  @Access({ permission: 'overviews:read' })
  async kpiLinesCsv(@Query() query: Record<string, unknown>, @Res() res: Response) {
    const { value, errors } = validateForm(OverviewCsvDto, query);
    if (errors.length > 0) return this.refusedFilter(res, errors);
    streamKpiLinesCsv(res, this.overviews.kpiLines(value), value.separator);
  }

  @Get('overzichten/kpi-lijnen.xlsx')
  @Access({ permission: 'overviews:read' })
  async kpiLinesXlsx(@Query() query: Record<string, unknown>, @Res() res: Response) {
    const { value, errors } = validateForm(OverviewFilterDto, query);
    if (errors.length > 0) return this.refusedFilter(res, errors);
    await streamKpiLinesXlsx(res, this.overviews.kpiLines(value));
  }

  @Get('overzichten/acties.xlsx')
  @Access({ permission: 'overviews:read' })
  async xlsx(@Query() query: Record<string, unknown>, @Res() res: Response) {
    const { value, errors } = validateForm(OverviewFilterDto, query);
    if (errors.length > 0)
      return this.refused(res, { title: 'Overzichten per actie', page: 'overviews', choices: await this.overviews.choices(), filter: {} }, errors);
    await streamOverviewXlsx(res, await this.overviews.actions(value), 'overzicht-per-actie.xlsx');
  }

  @Get('overzichten/acties.csv')
  @Access({ permission: 'overviews:read' })
  async csv(@Query() query: Record<string, unknown>, @Res() res: Response) {
    const { value, errors } = validateForm(OverviewFilterDto, query);
    if (errors.length > 0)
      return this.refused(res, { title: 'Overzichten per actie', page: 'overviews', choices: await this.overviews.choices(), filter: {} }, errors);
    streamOverviewCsv(res, await this.overviews.actions(value), 'overzicht-per-actie.csv');
  }

  private async refusedFilter(res: Response, errors: FieldError[]) {
    this.refused(res, { title: 'Overzichten per actie', page: 'overviews', choices: await this.overviews.choices(), filter: {} }, errors);
  }

  private refused(res: Response, common: object, errors: FieldError[]) {
    res.status(422).render('overviews', { ...common, refused: true, errors, fieldErrors: byField(errors) });
  }
}
