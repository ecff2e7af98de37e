import { Controller, Get, Query, Res } from '@nestjs/common';
import { ApiBearerAuth, ApiProduces, ApiTags } from '@nestjs/swagger';
import { Response } from 'express';
import { Readable } from 'node:stream';
import { ActionsOverview, actionsOverviewCsv, OverviewFilterDto, OverviewsService, writeActionsOverviewXlsx } from '@ps/overviews';
import { Access } from '../auth/access.decorator';

/** Streams an overview as CSV (UTF-8 with BOM, semicolons, CRLF), line by line. */
export function streamOverviewCsv(res: Response, overview: ActionsOverview, filename: string): void {
  res.set({ 'Content-Type': 'text/csv; charset=utf-8', 'Content-Disposition': `attachment; filename="${filename}"`, 'Cache-Control': 'no-store' });
  Readable.from(actionsOverviewCsv(overview)).pipe(res);
}

/** Streams an overview as an Excel workbook (typed number and currency cells, frozen header, autofilter). */
export async function streamOverviewXlsx(res: Response, overview: ActionsOverview, filename: string): Promise<void> {
  res.set({
    'Content-Type': 'application/vnd.openxmlformats-officedocument.spreadsheetml.sheet',
    'Content-Disposition': `attachment; filename="${filename}"`,
    'Cache-Control': 'no-store',
  });
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
  @ApiProduces('application/vnd.openxmlformats-officedocument.spreadsheetml.sheet')
  @Access({ permission: 'overviews:read' })
  async actionsXlsx(@Query() filter: OverviewFilterDto, @Res() res: Response) {
    await streamOverviewXlsx(res, await this.overviews.actions(filter), 'overzicht-per-actie.xlsx');
  }
}
