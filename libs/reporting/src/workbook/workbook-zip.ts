import { constants, inflateRawSync } from 'node:zlib';
import { MAX_COLUMNS, MAX_ROWS } from './workbook-layout';

/**
 * The checks on the zip an .xlsx is, before exceljs sees it. exceljs (JSZip) inflates every entry completely before it
 * compares the size with the declared one, and then builds an object per row and cell: a zip bomb would exhaust memory
 * there, and a sheet of a million empty rows (17 KB packed, 6 MB unpacked) would take seconds. So each entry is inflated
 * here first, bounded by its declared size and a total budget, and its rows, cells and XML elements are counted.
 */

export type ZipCheck = { ok: true } | { ok: false; tooLarge: boolean };

const MAX_ZIP_ENTRIES = 100;
const MAX_UNZIPPED_BYTES = 20 * 1024 * 1024;
export const MAX_CELLS = MAX_ROWS * MAX_COLUMNS;
/** XML elements in the whole package: a full sheet (1,000 × 50 cells, 4 tags each with their value) and its shared strings fit. */
export const MAX_ELEMENTS = 500_000;
const WORKSHEET = /^xl\/worksheets\/[^/]+\.xml$/;
/** Packed bytes of a sheet looked at first (up to about 1 MB unpacked), before the whole sheet is unpacked and counted. */
const PREFIX_BYTES = 1024;
const END_OF_CENTRAL_DIRECTORY = 0x06054b50;
const CENTRAL_FILE_HEADER = 0x02014b50;
const LOCAL_FILE_HEADER = 0x04034b50;
const STORED = 0;
const DEFLATED = 8;

interface ZipEntry {
  name: string;
  method: number;
  compressedSize: number;
  size: number;
  localHeader: number;
}

export function checkZip(file: Buffer): ZipCheck {
  try {
    const entries = zipEntries(file);
    if (!entries) return { ok: false, tooLarge: false };
    let budget = MAX_UNZIPPED_BYTES;
    let elements = MAX_ELEMENTS;
    for (const entry of entries) {
      budget -= entry.size;
      if (budget < 0) return { ok: false, tooLarge: false };
      if (WORKSHEET.test(entry.name) && !sheetWithinLimits(inflated(file, entry, PREFIX_BYTES) ?? Buffer.alloc(0))) return { ok: false, tooLarge: true };
      const content = inflated(file, entry);
      if (!content || content.length !== entry.size) return { ok: false, tooLarge: false };
      if (!entry.name.endsWith('.xml') && !entry.name.endsWith('.rels')) continue;
      if (WORKSHEET.test(entry.name) && !sheetWithinLimits(content)) return { ok: false, tooLarge: true };
      elements -= elementsIn(content, elements + 1);
      if (elements < 0) return { ok: false, tooLarge: true };
    }
    return { ok: true };
  } catch {
    return { ok: false, tooLarge: false };
  }
}

const ROW_TAGS = ['<row ', '<row>', '<row/'].map((tag) => Buffer.from(tag));
const CELL_TAGS = ['<c ', '<c>', '<c/'].map((tag) => Buffer.from(tag));
const LESS_THAN = 0x3c;

/** Row and cell elements of a worksheet's XML; counting stops at the first one beyond the limit. */
function sheetWithinLimits(xml: Buffer): boolean {
  const rows = ROW_TAGS.reduce((sum, tag) => sum + occurrences(xml, tag, MAX_ROWS + 1 - sum), 0);
  if (rows > MAX_ROWS) return false;
  const cells = CELL_TAGS.reduce((sum, tag) => sum + occurrences(xml, tag, MAX_CELLS + 1 - sum), 0);
  return cells <= MAX_CELLS;
}

function occurrences(content: Buffer, needle: Buffer, atMost: number): number {
  let count = 0;
  for (let at = content.indexOf(needle); at >= 0 && count < atMost; at = content.indexOf(needle, at + needle.length)) count++;
  return count;
}

/** The elements (every "<") of an XML entry, counted byte by byte up to `atMost`. */
function elementsIn(xml: Buffer, atMost: number): number {
  let count = 0;
  for (let at = 0; at < xml.length && count < atMost; at++) if (xml[at] === LESS_THAN) count++;
  return count;
}

function zipEntries(file: Buffer): ZipEntry[] | null {
  const end = endOfCentralDirectory(file);
  if (end < 0) return null;
  const count = file.readUInt16LE(end + 10);
  if (count === 0 || count > MAX_ZIP_ENTRIES) return null;
  const entries: ZipEntry[] = [];
  for (let at = file.readUInt32LE(end + 16), index = 0; index < count; index++) {
    if (file.readUInt32LE(at) !== CENTRAL_FILE_HEADER) return null;
    const nameLength = file.readUInt16LE(at + 28);
    entries.push({
      name: file.toString('utf8', at + 46, at + 46 + nameLength),
      method: file.readUInt16LE(at + 10),
      compressedSize: file.readUInt32LE(at + 20),
      size: file.readUInt32LE(at + 24),
      localHeader: file.readUInt32LE(at + 42),
    });
    at += 46 + nameLength + file.readUInt16LE(at + 30) + file.readUInt16LE(at + 32);
  }
  return entries;
}

function endOfCentralDirectory(file: Buffer): number {
  const earliest = Math.max(0, file.length - 22 - 0xffff); // the record is 22 bytes plus a comment of at most 64 KiB
  for (let at = file.length - 22; at >= earliest; at--) if (file.readUInt32LE(at) === END_OF_CENTRAL_DIRECTORY) return at;
  return -1;
}

/**
 * The entry's content, inflated to at most its declared size; null when it cannot be read. With `prefix`, only what the
 * first `prefix` packed bytes unpack to: a sheet of a million empty rows shows itself there, in a millisecond.
 */
function inflated(file: Buffer, entry: ZipEntry, prefix?: number): Buffer | null {
  const at = entry.localHeader;
  if (file.readUInt32LE(at) !== LOCAL_FILE_HEADER) return null;
  const start = at + 30 + file.readUInt16LE(at + 26) + file.readUInt16LE(at + 28);
  const data = file.subarray(start, start + entry.compressedSize);
  if (data.length !== entry.compressedSize) return null;
  if (entry.method === STORED) return prefix ? data.subarray(0, prefix) : data;
  if (entry.method !== DEFLATED) return null;
  if (prefix) return inflateRawSync(data.subarray(0, prefix), { finishFlush: constants.Z_SYNC_FLUSH, maxOutputLength: Math.max(entry.size, 1) });
  return inflateRawSync(data, { maxOutputLength: Math.max(entry.size, 1) });
}
