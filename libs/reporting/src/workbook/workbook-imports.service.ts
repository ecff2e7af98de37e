import { Injectable } from '@nestjs/common';
import { UploadedFile } from '@ps/applicants';
import { PlatformConfig } from '@ps/config';
import { Actor } from '@ps/identity';
import { Busy, FieldErrors } from '@ps/kernel';
import { ReportKind } from '../report.dto';
import { ReportView } from '../report-view';
import { ReportsService } from '../reports.service';
import { reportWorkbook } from './report-workbook';
import { StaleWorkbook } from './workbook-changes';
import { UploadGuard } from './upload-guard';
import { NOT_A_WORKBOOK, TOO_LARGE } from './workbook-parse';
import { WorkbookParser } from './workbook-parser';
import { sealMatches, sealOf } from './workbook-seal';

/** Uploads of a filled-in report workbook; the multipart limit of the routes is one byte more, so a larger file is refused here. */
export const MAX_WORKBOOK_BYTES = 2 * 1024 * 1024;
/** Uploads a process reads at once (each user one at a time); more wait for nothing and are refused with 429. */
const UPLOADS_PER_PROCESS = 4;
const RETRY_AFTER_SECONDS = 5;
const XLSX = 'application/vnd.openxmlformats-officedocument.spreadsheetml.sheet';
const NO_VERSION =
  'Dit bestand vermeldt niet (of niet ongewijzigd) op welke versie van het rapport het gebaseerd is. Download een nieuw Excel-bestand, vul dat in en laad het op.';

/**
 * The Excel round trip of a KPI report: a personalised workbook pre-filled with the application's confirmed lines and
 * sealed with the version it was made from, and its import, validated cell by cell in a worker thread and stored through
 * the same use case as the web form, with the workbook's own version, or not at all.
 */
@Injectable()
export class WorkbookImports {
  private readonly guard = new UploadGuard(UPLOADS_PER_PROCESS);

  constructor(
    private readonly reports: ReportsService,
    private readonly parser: WorkbookParser,
    private readonly config: PlatformConfig,
  ) {}

  async download(applicationId: number, kind: ReportKind): Promise<{ filename: string; content: Buffer; contentType: string }> {
    const report = await this.reports.view(applicationId, kind);
    return {
      filename: `rapport-${kind === 'interim' ? 'tussentijds' : 'eind'}-PS-${report.callYear}-${applicationId}.xlsx`,
      content: await reportWorkbook(report, (stamp) => sealOf(stamp, this.config.sessionSecret)),
      contentType: XLSX,
    };
  }

  /**
   * The workbook's lines saved as a draft in one transaction, based on the version the workbook was made from: a stale
   * workbook is refused (409) naming what changed since; a missing or altered stamp, or any bad cell, is refused (422).
   */
  async importWorkbook(actor: Actor, applicationId: number, kind: ReportKind, file: UploadedFile | undefined): Promise<ReportView> {
    const release = this.guard.enter(String(actor.userId ?? actor.label));
    if (release === 'user') throw new Busy('U laadt al een Excel-bestand op. Wacht tot dat verwerkt is en probeer dan opnieuw.', RETRY_AFTER_SECONDS);
    if (release === 'process') throw new Busy('Er worden nu veel Excel-bestanden ingelezen. Probeer het binnen enkele seconden opnieuw.', RETRY_AFTER_SECONDS);
    try {
      if (!file || file.size === 0) throw new FieldErrors({ workbook: ['Kies het ingevulde Excel-bestand (.xlsx).'] });
      if (file.size > MAX_WORKBOOK_BYTES) throw new FieldErrors({ workbook: ['Het bestand is groter dan 2 MB.'] });
      const zip = await this.parser.check(file.buffer);
      if (!zip.ok) throw new FieldErrors({ workbook: [zip.tooLarge ? TOO_LARGE : NOT_A_WORKBOOK] });
      const report = await this.reports.view(applicationId, kind);
      const { parse, stamp } = await this.parser.parse(file.buffer, report);
      if (!parse.ok && !stamp) throw new FieldErrors({ workbook: parse.errors.map(located) });
      if (!stamp?.stamp || !sealMatches(stamp.stamp, stamp.seal, this.config.sessionSecret)) throw new FieldErrors({ workbook: [NO_VERSION] });
      const based = stamp.stamp;
      if (based.version !== report.version) throw StaleWorkbook.of(based, report);
      if (!parse.ok) throw new FieldErrors({ workbook: parse.errors.map(located) });
      return await this.reports.saveDraft(
        actor,
        applicationId,
        kind,
        { version: based.version, lines: parse.lines },
        { whenStale: (now) => StaleWorkbook.of(based, now) },
      );
    } finally {
      release();
    }
  }
}

/** "Rapport E8: Geef een geheel aantal …", or the message alone for the whole file. */
function located(error: { sheet: string; cell: string; message: string }): string {
  const where = [error.sheet, error.cell].filter(Boolean).join(' ');
  return where ? `${where}: ${error.message}` : error.message;
}
