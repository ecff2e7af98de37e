import { Injectable } from '@nestjs/common';
import { UploadedFile } from '@ps/applicants';
import { Actor } from '@ps/identity';
import { FieldErrors } from '@ps/kernel';
import { ReportKind, ReportsService, ReportView } from '@ps/reporting';
import { parseReportWorkbook, reportWorkbook } from './report-workbook';

/** Uploads of a filled-in report workbook; the multipart limit of the routes is one byte more, so a larger file is refused here. */
export const MAX_WORKBOOK_BYTES = 2 * 1024 * 1024;
const XLSX = 'application/vnd.openxmlformats-officedocument.spreadsheetml.sheet';

/**
 * The Excel round trip of a KPI report: a personalised workbook pre-filled with the application's confirmed lines, and
 * its upload, validated cell by cell and stored through the same use case as the web form, or not at all.
 */
@Injectable()
export class ReportWorkbooks {
  constructor(private readonly reports: ReportsService) {}

  async download(applicationId: number, kind: ReportKind): Promise<{ filename: string; content: Buffer; contentType: string }> {
    const report = await this.reports.view(applicationId, kind);
    return {
      filename: `rapport-${kind === 'interim' ? 'tussentijds' : 'eind'}-PS-${report.callYear}-${applicationId}.xlsx`,
      content: await reportWorkbook(report),
      contentType: XLSX,
    };
  }

  async upload(actor: Actor, applicationId: number, kind: ReportKind, file: UploadedFile | undefined): Promise<ReportView> {
    if (!file || file.size === 0) throw new FieldErrors({ workbook: ['Kies het ingevulde Excel-bestand (.xlsx).'] });
    if (file.size > MAX_WORKBOOK_BYTES) throw new FieldErrors({ workbook: ['Het bestand is groter dan 2 MB.'] });
    const report = await this.reports.view(applicationId, kind);
    const parsed = await parseReportWorkbook(file.buffer, report);
    if (!parsed.ok) throw new FieldErrors({ workbook: parsed.errors.map(located) });
    return this.reports.saveDraft(actor, applicationId, kind, { version: report.version, lines: parsed.lines });
  }
}

/** "Rapport E8: Geef een geheel aantal …", or the message alone for the whole file. */
function located(error: { sheet: string; cell: string; message: string }): string {
  const where = [error.sheet, error.cell].filter(Boolean).join(' ');
  return where ? `${where}: ${error.message}` : error.message;
}
