import { Controller, Get, Query, Res } from '@nestjs/common';
import { ApiBearerAuth, ApiProduces, ApiTags } from '@nestjs/swagger';
import { Response } from 'express';
import { Readable } from 'node:stream';
import { ActionsOverview, actionsOverviewCsv, OverviewFilterDto, OverviewsService } from '@ps/overviews';
import { Access } from '../auth/access.decorator';

/** Streams an overview as CSV (UTF-8 with BOM, semicolons, CRLF), line by line. */
export function streamOverviewCsv(res: Response, overview: ActionsOverview, filename: string): void {
  res.set({ 'Content-Type': 'text/csv; charset=utf-8', 'Content-Disposition': `attachment; filename="${filename}"`, 'Cache-Control': 'no-store' });
  Readable.from(actionsOverviewCsv(overview)).pipe(res);
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
}
