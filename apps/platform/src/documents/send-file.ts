import { Response } from 'express';

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

/** Sends an uploaded evidence file as a download, with the type recognised at upload (never rendered inline). */
export function sendEvidence(res: Response, file: { filename: string; contentType: string; content: Buffer }): void {
  res.set({ 'Content-Type': file.contentType, 'Content-Disposition': attachment(file.filename), 'X-Content-Type-Options': 'nosniff' }).send(file.content);
}

/** An attachment header for any file name: an ASCII fallback and the UTF-8 name (RFC 6266), so no name can break the header. */
function attachment(filename: string): string {
  const ascii = filename.replace(/[^\x20-\x7e]|["\\]/g, '_');
  return `attachment; filename="${ascii}"; filename*=UTF-8''${encodeURIComponent(filename)}`;
}
