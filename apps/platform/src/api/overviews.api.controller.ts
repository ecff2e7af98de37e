import { Controller, Get, Query, Res } from '@nestjs/common';
import { ApiBearerAuth, ApiProduces, ApiTags } from '@nestjs/swagger';
import { Response } from 'express';
import { pipeline, Readable } from 'node:stream';
import {
  ActionsOverview,
  actionsOverviewCsv,
  KpiLinesExport,
  kpiLinesCsv,
  kpiLinesJson,
  LocalGovernmentsOverview,
  localGovernmentsCsv,
  writeLocalGovernmentsXlsx,
  OverviewCsvDto,
  OverviewFilterDto,
  OverviewsService,
  writeActionsOverviewXlsx,
  writeKpiLinesXlsx,
} from '@ps/overviews';
import { Access } from '../auth/access.decorator';

const XLSX = 'application/vnd.openxmlformats-officedocument.spreadsheetml.sheet';

/** Streams text chunks to the response; a failure after the first chunk ends the response abruptly, so no truncated file looks complete. */
function streamText(res: Response, chunks: AsyncIterable<string> | Iterable<string>, contentType: string, filename?: string): void {
  res.set({
    'Content-Type': contentType,
    ...(filename ? { 'Content-Disposition': `attachment; filename="${filename}"` } : {}),
    'Cache-Control': 'no-store',
  });
  pipeline(Readable.from(coalesced(chunks)), res, () => undefined);
}

/** Text chunks joined into pieces of about 64 KB: one write per piece instead of per line (far fewer writes and objects). */
async function* coalesced(chunks: AsyncIterable<string> | Iterable<string>, size = 65_536): AsyncGenerator<string> {
  let parts: string[] = [];
  let length = 0;
  for await (const chunk of chunks) {
    parts.push(chunk);
    length += chunk.length;
    if (length >= size) {
      yield parts.join('');
      parts = [];
      length = 0;
    }
  }
  if (parts.length > 0) yield parts.join('');
}

/** Streams the overview per local government, province and reference region as CSV. */
export function streamLocalGovernmentsCsv(res: Response, overview: LocalGovernmentsOverview, separator: OverviewCsvDto['separator']): void {
  streamText(res, localGovernmentsCsv(overview, separator === 'comma' ? ',' : ';'), 'text/csv; charset=utf-8', 'overzicht-per-lokaal-bestuur.csv');
}

/** Streams the overview per local government, province and reference region as an Excel workbook. */
export async function streamLocalGovernmentsXlsx(res: Response, overview: LocalGovernmentsOverview): Promise<void> {
  res.set({ 'Content-Type': XLSX, 'Content-Disposition': 'attachment; filename="overzicht-per-lokaal-bestuur.xlsx"', 'Cache-Control': 'no-store' });
  await writeLocalGovernmentsXlsx(overview, res);
}

/** Streams the KPI lines as CSV: semicolons by default, commas (and decimal points) with `separator=comma`. */
export function streamKpiLinesCsv(res: Response, exported: KpiLinesExport, separator: OverviewCsvDto['separator']): void {
  streamText(res, kpiLinesCsv(exported, separator === 'comma' ? ',' : ';'), 'text/csv; charset=utf-8', 'kpi-lijnen.csv');
}

/** Streams the KPI lines as an Excel workbook; a failure once the download began ends the response abruptly. */
export async function streamKpiLinesXlsx(res: Response, exported: KpiLinesExport): Promise<void> {
  res.set({ 'Content-Type': XLSX, 'Content-Disposition': 'attachment; filename="kpi-lijnen.xlsx"', 'Cache-Control': 'no-store' });
  try {
    await writeKpiLinesXlsx(exported, res);
  } catch (error) {
    if (!res.headersSent) throw error;
    res.destroy(error as Error);
  }
}

/** Streams an overview as CSV (UTF-8 with BOM, semicolons, CRLF), line by line. */
export function streamOverviewCsv(res: Response, overview: ActionsOverview, filename: string): void {
  res.set({ 'Content-Type': 'text/csv; charset=utf-8', 'Content-Disposition': `attachment; filename="${filename}"`, 'Cache-Control': 'no-store' });
  Readable.from(actionsOverviewCsv(overview)).pipe(res);
}

/** Streams an overview as an Excel workbook (typed number and currency cells, frozen header, autofilter). */
export async function streamOverviewXlsx(res: Response, overview: ActionsOverview, filename: string): Promise<void> {
  res.set({ 'Content-Type': XLSX, 'Content-Disposition': `attachment; filename="${filename}"`, 'Cache-Control': 'no-store' });
  await writeActionsOverviewXlsx(overview, res);
}

/** The programme's figures, live and without personal data: the same service as the pages and the CSV exports. */
@ApiTags('overviews')
@ApiBearerAuth()
@Controller('api/v1/overviews')
export class OverviewsApiController {
  constructor(private readonly overviews: OverviewsService) {}

  /** Per action per project year: committed and allocated amounts, local governments, applicants, quantities per KPI unit; totals per objective. */
  @Get('actions')
  @Access({ permission: 'overviews:read' })
  actions(@Query() filter: OverviewFilterDto) {
    return this.overviews.actions(filter);
  }

  /** The same figures as CSV for Excel in nl-BE, naming the filters and the generation time. */
  @Get('actions.csv')
  @ApiProduces('text/csv')
  @Access({ permission: 'overviews:read' })
  async actionsCsv(@Query() filter: OverviewFilterDto, @Res() res: Response) {
    streamOverviewCsv(res, await this.overviews.actions(filter), 'overzicht-per-actie.csv');
  }

  /** The same figures as an Excel workbook: a sheet per action per year and one per objective. */
  @Get('actions.xlsx')
  @ApiProduces(XLSX)
  @Access({ permission: 'overviews:read' })
  async actionsXlsx(@Query() filter: OverviewFilterDto, @Res() res: Response) {
    await streamOverviewXlsx(res, await this.overviews.actions(filter), 'overzicht-per-actie.xlsx');
  }

  /**
   * Per member local government its actions and amounts (those of the applicant it is a member of), and the totals per
   * province and per reference region (each applicant counted whole wherever it has a member).
   */
  @Get('local-governments')
  @Access({ permission: 'overviews:read' })
  localGovernments(@Query() filter: OverviewFilterDto) {
    return this.overviews.localGovernments(filter);
  }

  /** The same as CSV: three tables (per local government, per province, per reference region). */
  @Get('local-governments.csv')
  @ApiProduces('text/csv')
  @Access({ permission: 'overviews:read' })
  async localGovernmentsCsv(@Query() query: OverviewCsvDto, @Res() res: Response) {
    streamLocalGovernmentsCsv(res, await this.overviews.localGovernments(query), query.separator);
  }

  /** The same as an Excel workbook: a sheet per table. */
  @Get('local-governments.xlsx')
  @ApiProduces(XLSX)
  @Access({ permission: 'overviews:read' })
  async localGovernmentsXlsx(@Query() filter: OverviewFilterDto, @Res() res: Response) {
    await streamLocalGovernmentsXlsx(res, await this.overviews.localGovernments(filter));
  }

  /**
   * Every confirmed KPI line of an approved application the filters select, streamed as
   * `{ filters, generatedAt, lines: [...] }`: year, applicant, member local governments and provinces, action, objective,
   * unit, confirmed quantity and amount, allocated amount (null before publication), realised interim and final (null
   * until that report is accepted). Amounts in integer cents.
   */
  @Get('kpi-lines')
  @Access({ permission: 'overviews:read' })
  kpiLines(@Query() filter: OverviewFilterDto, @Res() res: Response) {
    streamText(res, kpiLinesJson(this.overviews.kpiLines(filter)), 'application/json; charset=utf-8');
  }

  /** The KPI lines as CSV (`separator=comma` for commas and decimal points), naming the filters and the generation time. */
  @Get('kpi-lines.csv')
  @ApiProduces('text/csv')
  @Access({ permission: 'overviews:read' })
  kpiLinesCsv(@Query() query: OverviewCsvDto, @Res() res: Response) {
    streamKpiLinesCsv(res, this.overviews.kpiLines(query), query.separator);
  }

  /** The KPI lines as an Excel workbook: number and currency cells, a frozen header, an autofilter. */
  @Get('kpi-lines.xlsx')
  @ApiProduces(XLSX)
  @Access({ permission: 'overviews:read' })
  async kpiLinesXlsx(@Query() filter: OverviewFilterDto, @Res() res: Response) {
    await streamKpiLinesXlsx(res, this.overviews.kpiLines(filter));
  }
}
