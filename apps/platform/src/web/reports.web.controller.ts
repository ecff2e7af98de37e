import { Body, Controller, Get, Param, Post, Query, Req, Res, UploadedFile } from '@nestjs/common';
import { ApiExcludeController } from '@nestjs/swagger';
import { Request, Response } from 'express';
import { UploadedFile as Upload } from '@ps/applicants';
import { scopeOf } from '@ps/identity';
import { brusselsInstantOf, FieldErrors, NotFound } from '@ps/kernel';
import {
  MAX_EVIDENCE_BYTES,
  MAX_WORKBOOK_BYTES,
  REPORT_KIND_NL,
  REPORT_KINDS,
  ReportDraftDto,
  ReportKind,
  ReportQueueFilter,
  ReportsService,
  ReportVersionDto,
  ReviewDto,
  StaleWorkbook,
  WorkbookImports,
} from '@ps/reporting';
import { Access } from '../auth/access.decorator';
import { CsrfCheckedUpload } from '../auth/csrf';
import { sendEvidence } from '../documents/send-file';
import { byField, FormBody, formRefusal, idsIn, indexed, validFormInput } from './forms';
import { redirectWithNotice } from './notice';
import { ParseIdPipe } from './parse-id.pipe';

const tenant = { kind: 'application' as const, param: 'id' };
const TEXT_FIELDS = ['approach', 'partners', 'motivation'] as const;

/** The report form's flat fields as the API's ReportDraftDto; a refusal names the line's field ("realisedQuantity-12"). */
function draftFromForm(body: FormBody) {
  const ids = idsIn(body, 'realisedQuantity');
  const quantity = (id: string) => (body[`realisedQuantity-${id}`] === '' ? null : body[`realisedQuantity-${id}`]);
  return {
    input: {
      version: body.version,
      lines: ids.map((id) => ({
        kpiLineId: Number(id),
        realisedQuantity: quantity(id),
        ...Object.fromEntries(TEXT_FIELDS.map((f) => [f, body[`${f}-${id}`] ?? ''])),
      })),
    },
    fieldOf: (path: string) => indexed(path, 'lines', (i) => `${path.split('.')[2] ?? 'realisedQuantity'}-${ids[i]}`),
  };
}

/** ABB's review form as the API's ReviewDto. */
function reviewFromForm(body: FormBody) {
  const ids = idsIn(body, 'reviewComment');
  return {
    input: {
      version: body.version,
      decision: body.decision,
      comment: body.comment ?? '',
      lines: ids.map((id) => ({
        kpiLineId: Number(id),
        motivationAccepted: body[`motivationAccepted-${id}`] === 'true',
        comment: body[`reviewComment-${id}`] ?? '',
      })),
    },
    fieldOf: (path: string) => indexed(path, 'lines', (i) => `reviewComment-${ids[i]}`),
  };
}

function kindOf(text: string): ReportKind {
  if (!(REPORT_KINDS as readonly string[]).includes(text)) throw new NotFound('Dit rapport bestaat niet.');
  return text as ReportKind;
}

/** The report pages: the officer's form (also as an Excel round trip), ABB's review and reopening, and ABB's queue. */
@ApiExcludeController()
@Controller()
export class ReportsWebController {
  constructor(
    private readonly reports: ReportsService,
    private readonly workbooks: WorkbookImports,
  ) {}

  @Get('rapporten')
  @Access({ permission: 'reports:queue' })
  async queue(@Query() query: Record<string, string>, @Res() res: Response) {
    const filter: ReportQueueFilter = {
      kind: (REPORT_KINDS as readonly string[]).includes(query.kind) ? (query.kind as ReportKind) : undefined,
      late: query.late === 'true' || undefined,
      belowThreshold: query.belowThreshold === 'true' || undefined,
      motivationPending: query.motivationPending === 'true' || undefined,
      action: /^\d{1,2}$/.test(query.action ?? '') ? Number(query.action) : undefined,
      province: query.province?.trim() ? query.province.trim().slice(0, 100) : undefined,
    };
    const items = await this.reports.queue(filter);
    res.render('reports-queue', { title: 'Rapporten te beoordelen', page: 'reports', items, filter, kindNl: REPORT_KIND_NL });
  }

  @Get('aanvragen/:id/rapporten/:kind')
  @Access({ permission: 'applications:read', tenant })
  async report(@Param('id', ParseIdPipe) id: number, @Param('kind') kind: string, @Req() req: Request, @Res() res: Response) {
    res.render('report', await this.view(id, kindOf(kind), req));
  }

  @Post('aanvragen/:id/rapporten/:kind')
  @Access({ permission: 'reports:edit', tenant })
  async save(@Param('id', ParseIdPipe) id: number, @Param('kind') kind: string, @Body() body: FormBody, @Req() req: Request, @Res() res: Response) {
    const reportKind = kindOf(kind);
    const notice = body.action === 'submit' ? 'Het rapport is ingediend.' : 'Het rapport is bewaard.';
    await this.change(id, reportKind, req, res, body, notice, 'report', async () => {
      const saved = await this.reports.saveDraft(req.actor!, id, reportKind, validFormInput(ReportDraftDto, draftFromForm(body)));
      if (body.action !== 'submit') return;
      try {
        await this.reports.submit(req.actor!, id, reportKind, saved.version);
      } catch (error) {
        // The changes were saved; say so next to what still stands in the way of the submission.
        if (error instanceof FieldErrors) throw new FieldErrors({ ...error.fields, '': ['Uw wijzigingen zijn bewaard; het rapport is nog niet ingediend.'] });
        throw error;
      }
    });
  }

  @Get('aanvragen/:id/rapporten/:kind/excel')
  @Access({ permission: 'applications:read', tenant })
  async workbook(@Param('id', ParseIdPipe) id: number, @Param('kind') kind: string, @Res() res: Response) {
    const file = await this.workbooks.download(id, kindOf(kind));
    res.set({ 'Content-Type': file.contentType, 'Content-Disposition': `attachment; filename="${file.filename}"` }).send(file.content);
  }

  @Post('aanvragen/:id/rapporten/:kind/excel')
  @Access({ permission: 'reports:edit', tenant })
  @CsrfCheckedUpload('workbook', { limits: { fileSize: MAX_WORKBOOK_BYTES + 1, files: 1 } })
  async upload(
    @Param('id', ParseIdPipe) id: number,
    @Param('kind') kind: string,
    @UploadedFile() file: Upload | undefined,
    @Req() req: Request,
    @Res() res: Response,
  ) {
    const reportKind = kindOf(kind);
    await this.change(id, reportKind, req, res, {}, 'Het Excel-bestand is ingelezen en het rapport bewaard.', 'workbook', () =>
      this.workbooks.importWorkbook(req.actor!, id, reportKind, file),
    );
  }

  @Post('aanvragen/:id/rapporten/:kind/bewijsstukken/:kpiLineId')
  @Access({ permission: 'reports:edit', tenant })
  @CsrfCheckedUpload('file', { limits: { fileSize: MAX_EVIDENCE_BYTES + 1, files: 1 } })
  async addEvidence(
    @Param('id', ParseIdPipe) id: number,
    @Param('kind') kind: string,
    @Param('kpiLineId', ParseIdPipe) kpiLineId: number,
    @UploadedFile() file: Upload | undefined,
    @Req() req: Request,
    @Res() res: Response,
  ) {
    const reportKind = kindOf(kind);
    await this.change(id, reportKind, req, res, {}, 'Het bewijsstuk is toegevoegd.', `evidence-${kpiLineId}`, async () => {
      try {
        await this.reports.addEvidence(req.actor!, id, reportKind, kpiLineId, file);
      } catch (error) {
        // The upload form of each line has its own field.
        if (error instanceof FieldErrors && error.fields.evidence) throw new FieldErrors({ [`evidence-${kpiLineId}`]: error.fields.evidence });
        throw error;
      }
    });
  }

  @Get('aanvragen/:id/rapporten/:kind/bewijsstukken/:evidenceId')
  @Access({ permission: 'applications:read', tenant })
  async evidence(
    @Param('id', ParseIdPipe) id: number,
    @Param('kind') kind: string,
    @Param('evidenceId', ParseIdPipe) evidenceId: number,
    @Res() res: Response,
  ) {
    sendEvidence(res, await this.reports.evidenceFile(id, kindOf(kind), evidenceId));
  }

  @Post('aanvragen/:id/rapporten/:kind/beoordelen')
  @Access({ permission: 'reports:review' })
  async review(@Param('id', ParseIdPipe) id: number, @Param('kind') kind: string, @Body() body: FormBody, @Req() req: Request, @Res() res: Response) {
    const reportKind = kindOf(kind);
    // Accepting a final report that leads to a reclaim settles it for good: first the amounts, then a confirmed POST.
    if (body.confirmed !== 'ja' && body.decision === 'accept' && reportKind === 'final') {
      const asked = await this.reclaimToConfirm(id, reportKind, body, req, res);
      if (asked) return;
    }
    await this.change(id, reportKind, req, res, body, 'De beoordeling is bewaard.', 'review', () =>
      this.reports.review(req.actor!, id, reportKind, validFormInput(ReviewDto, reviewFromForm(body))),
    );
  }

  /** Renders the confirmation when accepting would reclaim money; false when it would not (or the input is refused: the review answers that). */
  private async reclaimToConfirm(id: number, kind: ReportKind, body: FormBody, req: Request, res: Response): Promise<boolean> {
    let statement;
    try {
      statement = await this.reports.acceptancePreview(id, kind, validFormInput(ReviewDto, reviewFromForm(body)));
    } catch {
      return false;
    }
    if (!statement || statement.reclaimCents === 0) return false;
    const { report } = await this.view(id, kind, req);
    res.status(200).render('report-accept-confirm', {
      title: `Eindrapport van ${report.applicantNameNl} aanvaarden?`,
      page: 'applications',
      applicationId: id,
      statement,
      reclaimLines: statement.lines.filter((line) => line.reclaimCents > 0),
      // The review's own answers travel on in the confirming form.
      carried: Object.entries(body)
        .filter(([name]) => name !== '_csrf' && name !== 'confirmed')
        .map(([name, value]) => ({ name, value: String(value) })),
    });
    return true;
  }

  @Post('aanvragen/:id/rapporten/:kind/heropenen')
  @Access({ permission: 'reports:reopen' })
  async reopen(@Param('id', ParseIdPipe) id: number, @Param('kind') kind: string, @Body() body: FormBody, @Req() req: Request, @Res() res: Response) {
    const reportKind = kindOf(kind);
    await this.change(id, reportKind, req, res, body, 'Het rapport is heropend.', 'reopen', () => {
      const { version } = validFormInput(ReportVersionDto, { input: { version: body.version } });
      return this.reports.reopen(req.actor!, id, reportKind, version, brusselsInstantOf(String(body.until ?? ''), 'until'), String(body.reason ?? ''));
    });
  }

  /** Runs one change; on success back to the report with a notice, on a refusal the page again with the errors at the top. */
  private async change(
    id: number,
    kind: ReportKind,
    req: Request,
    res: Response,
    submitted: FormBody,
    notice: string,
    fallbackField: string,
    change: () => Promise<unknown>,
  ) {
    try {
      await change();
      await redirectWithNotice(req, res, `/aanvragen/${id}/rapporten/${kind}`, notice);
    } catch (error) {
      const refused = formRefusal(error, fallbackField);
      const staleWorkbook = error instanceof StaleWorkbook ? { changes: error.changes, url: `/aanvragen/${id}/rapporten/${kind}/excel` } : null;
      res
        .status(refused.status)
        .render('report', { ...(await this.view(id, kind, req)), errors: refused.errors, fieldErrors: byField(refused.errors), submitted, staleWorkbook });
    }
  }

  private async view(id: number, kind: ReportKind, req: Request) {
    const report = await this.reports.view(id, kind);
    const role = req.actor?.role ?? null;
    return {
      title: `${kind === 'interim' ? 'Tussentijds rapport' : 'Eindrapport'}: ${report.applicantNameNl}`,
      page: 'applications',
      report,
      canEdit: !!scopeOf(role, 'reports:edit') && report.open,
      canReview: !!scopeOf(role, 'reports:review') && report.status === 'submitted',
      canReopen: !!scopeOf(role, 'reports:reopen') && !report.open && (report.status === 'draft' || report.status === 'returned'),
      submitted: {},
    };
  }
}
