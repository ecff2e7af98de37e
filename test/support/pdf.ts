import { inflateSync } from 'node:zlib';
import { PDFArray, PDFDocument, PDFName, PDFPage, PDFRawStream } from 'pdf-lib';

/** The smallest real PDF: one empty A4 page, readable by any PDF parser. */
export const ONE_PAGE_PDF = Buffer.from(
  '%PDF-1.4\n1 0 obj << /Type /Catalog /Pages 2 0 R >> endobj\n2 0 obj << /Type /Pages /Kids [3 0 R] /Count 1 >> endobj\n' +
    '3 0 obj << /Type /Page /Parent 2 0 R /MediaBox [0 0 595 842] >> endobj\ntrailer << /Root 1 0 R >>\n%%EOF\n',
);

// WinAnsi bytes 0x80–0x9F; the rest of the range is Latin-1.
const WIN_ANSI_HIGH = '€\u0081‚ƒ„…†‡ˆ‰Š‹Œ\u008DŽ\u008F\u0090‘’“”•–—˜™š›œ\u009DžŸ';

function decodeWinAnsi(hex: string): string {
  const bytes = Buffer.from(hex, 'hex');
  return Array.from(bytes, (byte) => (byte >= 0x80 && byte <= 0x9f ? WIN_ANSI_HIGH[byte - 0x80] : String.fromCharCode(byte))).join('');
}

function contentStreams(page: PDFPage): PDFRawStream[] {
  const contents = page.node.Contents();
  const streams = contents instanceof PDFArray ? contents.asArray().map((ref) => page.doc.context.lookup(ref)) : [contents];
  return streams.filter((stream): stream is PDFRawStream => stream instanceof PDFRawStream);
}

function streamText(stream: PDFRawStream): string {
  const filter = stream.dict.get(PDFName.of('Filter'));
  return (filter ? inflateSync(stream.contents) : Buffer.from(stream.contents)).toString('latin1');
}

/** The text drawn on each page, its drawn lines joined by spaces so wrapped sentences read on. */
export async function pageTexts(pdf: Buffer): Promise<string[]> {
  const doc = await PDFDocument.load(pdf);
  return doc.getPages().map((page) => {
    const operators = contentStreams(page).map(streamText).join('\n');
    return Array.from(operators.matchAll(/<([0-9A-Fa-f]*)> Tj/g), ([, hex]) => decodeWinAnsi(hex)).join(' ');
  });
}
