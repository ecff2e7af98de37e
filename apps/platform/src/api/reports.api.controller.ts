import { Body, Controller, Get, HttpCode, Param, Post, Put, Query, Res, UploadedFile, UseInterceptors } from '@nestjs/common';
import { FileInterceptor } from '@nestjs/platform-express';
import { ApiBearerAuth, ApiBody, ApiConsumes, ApiTags } from '@nestjs/swagger';
import { Response } from 'express';
import { UploadedFile as Upload } from '@ps/applicants';
import { Actor } from '@ps/identity';
import { brusselsInstantOf } from '@ps/kernel';
import {
  MAX_EVIDENCE_BYTES,
  MAX_WORKBOOK_BYTES,
  ReportDraftDto,
  ReportQueueFilter,
  ReportQueueQuery,
  ReportsService,
  ReopenReportDto,
  ReportVersionDto,
  ReviewDto,
  StaleWorkbook,
  WorkbookImports,
} from '@ps/reporting';
import { Access } from '../auth/access.decorator';
import { sendEvidence } from '../documents/send-file';
import { CurrentActor } from './actor.decorator';
import { EvidenceLineParams, EvidenceParams, ReportParams } from './params';

const tenant = { kind: 'application' as const, param: 'id' };

@ApiTags('reports')
@ApiBearerAuth()
@Controller('api/v1')
export class ReportsApiController {
  constructor(
    private readonly reports: ReportsService,
    private readonly workbooks: WorkbookImports,
  ) {}

  /** ABB's review queue: submitted reports, filtered. */
  @Get('reports')
  @Access({ permission: 'reports:queue' })
  queue(@Query() query: ReportQueueQuery) {
    return this.reports.queue(query as ReportQueueFilter);
  }

  @Get('applications/:id/reports/:kind')
  @Access({ permission: 'applications:read', tenant })
  report(@Param() { id, kind }: ReportParams) {
    return this.reports.view(id, kind);
  }

  @Put('applications/:id/reports/:kind')
  @Access({ permission: 'reports:edit', tenant })
  save(@CurrentActor() actor: Actor, @Param() { id, kind }: ReportParams, @Body() body: ReportDraftDto) {
    return this.reports.saveDraft(actor, id, kind, body);
  }

  /** The report as a personalised Excel workbook, pre-filled with the confirmed KPI lines and what was reported so far. */
  @Get('applications/:id/reports/:kind/workbook')
  @Access({ permission: 'applications:read', tenant })
  async workbook(@Param() { id, kind }: ReportParams, @Res() res: Response) {
    const file = await this.workbooks.download(id, kind);
    res.set({ 'Content-Type': file.contentType, 'Content-Disposition': `attachment; filename="${file.filename}"` }).send(file.content);
  }

  /**
   * The filled-in workbook: every bad cell is reported (sheet, cell, message) and nothing is stored unless all are valid.
   * A workbook made from an older version of the report is refused (409) with `changes` since and `freshWorkbookUrl`; a
   * second upload of the same user while one is read gets 429 with Retry-After.
   */
  @Post('applications/:id/reports/:kind/workbook')
  @HttpCode(200)
  @Access({ permission: 'reports:edit', tenant })
  @ApiConsumes('multipart/form-data')
  @ApiBody({ schema: { type: 'object', properties: { workbook: { type: 'string', format: 'binary' } } } })
  @UseInterceptors(FileInterceptor('workbook', { limits: { fileSize: MAX_WORKBOOK_BYTES + 1, files: 1 } }))
  async upload(@CurrentActor() actor: Actor, @Param() { id, kind }: ReportParams, @UploadedFile() file: Upload | undefined) {
    try {
      return await this.workbooks.importWorkbook(actor, id, kind, file);
    } catch (error) {
      throw error instanceof StaleWorkbook ? error.withFreshWorkbook(`/api/v1/applications/${id}/reports/${kind}/workbook`) : error;
    }
  }

  /** An evidence file for one KPI line of an open report: PDF, PNG or JPEG (recognised by content), at most 5 MB. */
  @Post('applications/:id/reports/:kind/lines/:kpiLineId/evidence')
  @HttpCode(201)
  @Access({ permission: 'reports:edit', tenant })
  @ApiConsumes('multipart/form-data')
  @ApiBody({ schema: { type: 'object', properties: { file: { type: 'string', format: 'binary' } } } })
  @UseInterceptors(FileInterceptor('file', { limits: { fileSize: MAX_EVIDENCE_BYTES + 1, files: 1 } }))
  addEvidence(@CurrentActor() actor: Actor, @Param() { id, kind, kpiLineId }: EvidenceLineParams, @UploadedFile() file: Upload | undefined) {
    return this.reports.addEvidence(actor, id, kind, kpiLineId, file);
  }

  @Get('applications/:id/reports/:kind/evidence/:evidenceId')
  @Access({ permission: 'applications:read', tenant })
  async evidence(@Param() { id, kind, evidenceId }: EvidenceParams, @Res() res: Response) {
    sendEvidence(res, await this.reports.evidenceFile(id, kind, evidenceId));
  }

  @Post('applications/:id/reports/:kind/submit')
  @HttpCode(200)
  @Access({ permission: 'reports:edit', tenant })
  submit(@CurrentActor() actor: Actor, @Param() { id, kind }: ReportParams, @Body() body: ReportVersionDto) {
    return this.reports.submit(actor, id, kind, body.version);
  }

  @Post('applications/:id/reports/:kind/reopen')
  @HttpCode(200)
  @Access({ permission: 'reports:reopen' })
  reopen(@CurrentActor() actor: Actor, @Param() { id, kind }: ReportParams, @Body() body: ReopenReportDto) {
    return this.reports.reopen(actor, id, kind, body.version, brusselsInstantOf(body.until, 'until'), body.reason);
  }

  @Post('applications/:id/reports/:kind/review')
  @HttpCode(200)
  @Access({ permission: 'reports:review' })
  review(@CurrentActor() actor: Actor, @Param() { id, kind }: ReportParams, @Body() body: ReviewDto) {
    return this.reports.review(actor, id, kind, body);
  }
}

/** A Brussels wall-clock moment; refused on its field when it does not exist. */
