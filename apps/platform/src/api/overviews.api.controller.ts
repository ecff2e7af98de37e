import { Controller, Get, Query, Res } from '@nestjs/common';
import { ApiBearerAuth, ApiProduces, ApiTags } from '@nestjs/swagger';
import { Response } from 'express';
import { kpiLinesJson, OverviewCsvDto, OverviewFilterDto, OverviewPageDto, OverviewsService } from '@ps/overviews';
import { Access } from '../auth/access.decorator';
import {
  streamKpiLinesCsv,
  streamKpiLinesXlsx,
  streamLocalGovernmentsCsv,
  streamLocalGovernmentsXlsx,
  streamOverviewCsv,
  streamOverviewXlsx,
  streamText,
  XLSX,
} from '../documents/send-file';

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
   * province and per reference region (each applicant counted whole wherever it has a member). The rows come a page at a
   * time (`page`, `pageSize`; `total` and `pages` in the answer); the CSV and Excel exports hold them all.
   */
  @Get('local-governments')
  @Access({ permission: 'overviews:read' })
  localGovernments(@Query() query: OverviewPageDto) {
    return this.overviews.localGovernmentsPage(query);
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
