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
