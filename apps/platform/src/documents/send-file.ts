import { Response } from 'express';
import { pipeline, Readable } from 'node:stream';
import {
  ActionsOverview,
  actionsOverviewCsv,
  KpiLinesExport,
  kpiLinesCsv,
  LocalGovernmentsOverview,
  localGovernmentsCsv,
  OverviewCsvDto,
  writeActionsOverviewXlsx,
  writeKpiLinesXlsx,
  writeLocalGovernmentsXlsx,
} from '@ps/overviews';

/** Every file and stream the platform sends: stored PDFs, CSV files, evidence, and the overviews' streamed exports. */

/** Sends a stored PDF as a download. */
export function sendPdf(res: Response, file: { filename: string; content: Buffer }): void {
  res.set({ 'Content-Type': 'application/pdf', 'Content-Disposition': `attachment; filename="${file.filename.replace(/"/g, '')}"` }).send(file.content);
}

/** Sends an archived PDF (a decision letter) with its SHA-256 as the ETag, so anyone can check it is the letter as sent. */
export function sendArchivedPdf(res: Response, file: { filename: string; content: Buffer; sha256: string }): void {
  res.set('ETag', `"${file.sha256}"`);
  sendPdf(res, file);
}

/** Sends a generated CSV file as a download. */
export function sendCsv(res: Response, file: { filename: string; content: string }): void {
  res.set({ 'Content-Type': 'text/csv; charset=utf-8', 'Content-Disposition': `attachment; filename="${file.filename.replace(/"/g, '')}"` }).send(file.content);
}

/** Sends a generated XML file (a SEPA payment file) as a download. */
export function sendXml(res: Response, file: { filename: string; content: string }): void {
  res.set({ 'Content-Type': 'application/xml; charset=utf-8', 'Content-Disposition': attachment(file.filename) }).send(file.content);
}

/** Sends an uploaded evidence file as a download, with the type recognised at upload (never rendered inline). */
export function sendEvidence(res: Response, file: { filename: string; contentType: string; content: Buffer }): void {
  res.set({ 'Content-Type': file.contentType, 'Content-Disposition': attachment(file.filename), 'X-Content-Type-Options': 'nosniff' }).send(file.content);
}

/** An attachment header for any file name: an ASCII fallback and the UTF-8 name (RFC 6266), so no name can break the header. */
function attachment(filename: string): string {
  const ascii = filename.replace(/[^\x20-\x7e]|["\\]/g, '_');
  return `attachment; filename="${ascii}"; filename*=UTF-8''${encodeURIComponent(filename)}`;
}

export const XLSX = 'application/vnd.openxmlformats-officedocument.spreadsheetml.sheet';

/** Streams text chunks to the response; a failure after the first chunk ends the response abruptly, so no truncated file looks complete. */
export function streamText(res: Response, chunks: AsyncIterable<string> | Iterable<string>, contentType: string, filename?: string): void {
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
