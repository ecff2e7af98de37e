import { Response } from 'express';

/** Sends a stored PDF as a download. */
export function sendPdf(res: Response, file: { filename: string; content: Buffer }): void {
  res.set({ 'Content-Type': 'application/pdf', 'Content-Disposition': `attachment; filename="${file.filename.replace(/"/g, '')}"` }).send(file.content);
}
