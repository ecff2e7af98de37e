import { inflateRawSync } from 'node:zlib';
import { plainToInstance } from 'class-transformer';
import { validateSync } from 'class-validator';
import { CellValue, DataValidation, Row, Workbook, Worksheet, WorksheetProtection } from 'exceljs';
import { formatBrussels } from '@ps/kernel';
import { alwaysNeedsMotivation, REPORT_KIND_NL, ReportKind, ReportLineDto, ReportLineView, ReportView, TEXT_LIMITS } from '@ps/reporting';

/**
 * The Excel round trip of a KPI report: a personalised workbook with the confirmed KPI lines, and the parser of the
 * filled-in upload. The upload gives exactly the lines the web form would submit, so the caller saves them through the
 * same use case. Uploads are limited to 2 MB by the caller (the upload endpoint); this parser bounds the rest.
 */

export const REPORT_SHEET = 'Rapport';
/** Very hidden sheet holding the application, the kind and the format, so another report's workbook is recognised. */
export const MARKER_SHEET = 'Meta';
const FORMAT = 'plan-samenleven-rapport-1';

/** One KPI line as the upload gives it: what the web form submits for the same values. */
export interface ReportLineInput {
  kpiLineId: number;
  realisedQuantity: number | null;
  approach: string;
  partners: string;
  motivation: string;
}

/** A problem of the upload; `cell` like "E8", '' when it concerns the whole file or sheet. */
export interface WorkbookError {
  sheet: string;
  cell: string;
  message: string;
}

export type WorkbookParse = { ok: true; lines: ReportLineInput[] } | { ok: false; errors: WorkbookError[] };

const HEADER_ROW = 7;
const FIRST_LINE_ROW = HEADER_ROW + 1;
const COLUMNS = [
  { header: 'KPI-lijn', width: 10 },
  { header: 'Actie', width: 42 },
  { header: 'Eenheid', width: 32 },
  { header: 'Bevestigd', width: 12 },
  { header: 'Gerealiseerd', width: 14 },
  { header: 'Aanpak', width: 50 },
  { header: 'Partners', width: 40 },
  { header: 'Motivering', width: 50 },
  { header: 'Motivering nodig', width: 26 },
];
type Field = keyof ReportLineInput;
/** The column (1 = A) of each field the officer reports. */
const FIELD_COLUMN: Record<Field, number> = { kpiLineId: 1, realisedQuantity: 5, approach: 6, partners: 7, motivation: 8 };
const EDITABLE_COLUMNS = [FIELD_COLUMN.realisedQuantity, FIELD_COLUMN.approach, FIELD_COLUMN.partners, FIELD_COLUMN.motivation];
const MAX_QUANTITY = 10_000_000;

const NOT_A_WORKBOOK = 'Dit is geen Excel-bestand (.xlsx).';
const FORMULA = 'Formules zijn niet toegestaan; vul een waarde in.';
const KIND_TITLE: Record<ReportKind, string> = { interim: 'Tussentijds rapport', final: 'Eindrapport' };

// ---------------------------------------------------------------------------------------------------------------- build

const LOCKED_FILL = { type: 'pattern', pattern: 'solid', fgColor: { argb: 'FFEDEDED' } } as const;
const HEADER_FILL = { type: 'pattern', pattern: 'solid', fgColor: { argb: 'FFD9E2EC' } } as const;
/** Officers may select, filter and resize; everything else on the sheet is locked except the cells they fill in. */
const PROTECTION: Partial<WorksheetProtection> = {
  selectLockedCells: true,
  selectUnlockedCells: true,
  formatColumns: true,
  formatRows: true,
  autoFilter: true,
};

/** The personalised workbook of one report, pre-filled with what was reported so far. Holds values only, never formulas. */
export async function reportWorkbook(report: ReportView): Promise<Buffer> {
  const workbook = new Workbook();
  workbook.creator = 'Plan Samenleven';
  const sheet = workbook.addWorksheet(REPORT_SHEET, { views: [{ state: 'frozen', xSplit: 0, ySplit: HEADER_ROW, topLeftCell: `A${FIRST_LINE_ROW}` }] });
  writeHeaderBlock(sheet, report);
  writeTable(sheet, report.lines);
  await sheet.protect('', PROTECTION);
  await writeMarker(workbook, report);
  return Buffer.from(await workbook.xlsx.writeBuffer());
}

function writeHeaderBlock(sheet: Worksheet, report: ReportView): void {
  sheet.getCell('A1').value = `Plan Samenleven – ${KIND_TITLE[report.kind]}`;
  sheet.getCell('A1').font = { bold: true, size: 14 };
  const facts: [string, string | number][] = [
    ['Aanvrager', report.applicantNameNl],
    ['Projectjaar', report.callYear],
    ['Soort', KIND_TITLE[report.kind]],
    ['Termijn', report.dueAt ? `uiterlijk ${formatBrussels(report.dueAt)}` : 'geen termijn'],
  ];
  facts.forEach(([label, value], index) => {
    sheet.getCell(index + 2, 1).value = label;
    sheet.getCell(index + 2, 1).font = { bold: true };
    sheet.getCell(index + 2, 2).value = value;
    sheet.getCell(index + 2, 2).alignment = { horizontal: 'left' };
  });
  sheet.getCell('A6').value =
    'Vul per KPI-lijn Gerealiseerd (een geheel aantal), Aanpak, Partners en Motivering in, en laad het bestand op bij het rapport. Wijzig de andere cellen en de kolommen niet.';
  sheet.getCell('A6').font = { italic: true };
}

function writeTable(sheet: Worksheet, lines: ReportLineView[]): void {
  COLUMNS.forEach((column, index) => {
    sheet.getColumn(index + 1).width = column.width;
    const cell = sheet.getCell(HEADER_ROW, index + 1);
    cell.value = column.header;
    cell.font = { bold: true };
    cell.fill = HEADER_FILL;
    cell.alignment = { vertical: 'middle', wrapText: true };
  });
  lines.forEach((line, index) => writeLine(sheet.getRow(FIRST_LINE_ROW + index), line));
  sheet.autoFilter = { from: { row: HEADER_ROW, column: 1 }, to: { row: HEADER_ROW + Math.max(lines.length, 1), column: COLUMNS.length } };
}

function writeLine(row: Row, line: ReportLineView): void {
  // exceljs writes a string as a string cell (never a formula), so "=..." from the database stays text.
  const values: (string | number | null)[] = [
    line.kpiLineId,
    `${line.actionNumber}. ${line.actionTitleNl}`,
    line.unitNl,
    line.confirmedQuantity,
    line.realisedQuantity,
    line.approach || null,
    line.partners || null,
    line.motivation || null,
    alwaysNeedsMotivation(line) ? 'Altijd' : 'Als Gerealiseerd lager is dan Bevestigd',
  ];
  values.forEach((value, index) => {
    const cell = row.getCell(index + 1);
    const editable = EDITABLE_COLUMNS.includes(index + 1);
    cell.value = value;
    cell.protection = { locked: !editable };
    cell.alignment = { vertical: 'top', wrapText: true };
    if (!editable) cell.fill = LOCKED_FILL;
  });
  row.getCell(FIELD_COLUMN.realisedQuantity).dataValidation = QUANTITY_VALIDATION;
  for (const field of ['approach', 'partners', 'motivation'] as const) row.getCell(FIELD_COLUMN[field]).dataValidation = lengthValidation(TEXT_LIMITS[field]);
}

const QUANTITY_VALIDATION: DataValidation = {
  type: 'whole',
  operator: 'between',
  allowBlank: true,
  formulae: [0, MAX_QUANTITY],
  showErrorMessage: true,
  errorTitle: 'Gerealiseerd',
  error: 'Geef een geheel aantal van 0 tot 10.000.000.',
};

function lengthValidation(limit: number): DataValidation {
  const error = `Hoogstens ${limit.toLocaleString('nl-BE')} tekens.`;
  return { type: 'textLength', operator: 'lessThanOrEqual', allowBlank: true, formulae: [limit], showErrorMessage: true, error };
}

async function writeMarker(workbook: Workbook, report: ReportView): Promise<void> {
  const marker = workbook.addWorksheet(MARKER_SHEET, { state: 'veryHidden' });
  marker.addRows([
    ['formaat', FORMAT],
    ['aanvraag', report.applicationId],
    ['soort', report.kind],
  ]);
  await marker.protect('', {});
}

// ---------------------------------------------------------------------------------------------------------------- parse

const MAX_ROWS = 1_000;
const MAX_COLUMNS = 50;

/** Validates the whole upload against the report; any error and nothing is imported. */
export async function parseReportWorkbook(file: Buffer, report: ReportView): Promise<WorkbookParse> {
  const workbook = await loadWorkbook(file);
  if (!workbook) return { ok: false, errors: [{ sheet: '', cell: '', message: NOT_A_WORKBOOK }] };
  const sheet = workbook.getWorksheet(REPORT_SHEET);
  const structural = [
    ...(sheet ? [] : [{ sheet: REPORT_SHEET, cell: '', message: `Het werkblad "${REPORT_SHEET}" ontbreekt.` }]),
    ...markerErrors(workbook, report),
  ];
  if (!sheet || structural.length > 0) return { ok: false, errors: structural };
  const shape = [...sizeErrors(sheet), ...headerErrors(sheet)];
  if (shape.length > 0) return { ok: false, errors: shape };
  return parseLines(sheet, report);
}

async function loadWorkbook(file: Buffer): Promise<Workbook | null> {
  if (!zipWithinLimits(file)) return null;
  try {
    return await new Workbook().xlsx.load(Uint8Array.from(file).buffer); // a copy typed as the ArrayBuffer exceljs declares
  } catch {
    return null;
  }
}

function markerErrors(workbook: Workbook, report: ReportView): WorkbookError[] {
  const marker = workbook.getWorksheet(MARKER_SHEET);
  const value = (address: string) => (marker ? cellText(marker.getCell(address).value) : '');
  const error = (cell: string, message: string) => [{ sheet: MARKER_SHEET, cell, message }];
  if (value('B1') !== FORMAT) return error('B1', 'Dit is niet het rapportbestand van het platform. Download het bestand van dit rapport en vul dat in.');
  if (value('B2') !== String(report.applicationId))
    return error('B2', 'Dit bestand hoort bij een andere aanvraag. Download het bestand van dit rapport en vul dat in.');
  const kind = value('B3');
  if (kind !== report.kind) {
    const given = kind in REPORT_KIND_NL ? REPORT_KIND_NL[kind as ReportKind] : 'ander rapport';
    return error('B3', `Dit bestand hoort bij het ${given}, niet bij het ${REPORT_KIND_NL[report.kind]}.`);
  }
  return [];
}

function sizeErrors(sheet: Worksheet): WorkbookError[] {
  if (sheet.rowCount <= MAX_ROWS && sheet.columnCount <= MAX_COLUMNS) return [];
  return [{ sheet: sheet.name, cell: '', message: `Het werkblad "${sheet.name}" is te groot: hoogstens 1.000 rijen en 50 kolommen.` }];
}

function headerErrors(sheet: Worksheet): WorkbookError[] {
  return COLUMNS.flatMap((column, index) => {
    const cell = sheet.getCell(HEADER_ROW, index + 1);
    if (cellText(cell.value).trim() === column.header) return [];
    return [{ sheet: sheet.name, cell: cell.address, message: `Hier hoort de kolom "${column.header}"; verplaats, hernoem of verwijder geen kolommen.` }];
  });
}

function parseLines(sheet: Worksheet, report: ReportView): WorkbookParse {
  const known = new Set(report.lines.map((line) => line.kpiLineId));
  const claimed = new Set<number>();
  const found = new Map<number, ReportLineInput>();
  const errors: WorkbookError[] = [];
  for (let number = 1; number <= sheet.rowCount; number++) {
    const row = parseRow(sheet.getRow(number), known, claimed);
    errors.push(...row.errors);
    if (row.line && Number.isInteger(row.line.kpiLineId)) claimed.add(row.line.kpiLineId);
    if (row.line && row.errors.length === 0) found.set(row.line.kpiLineId, row.line);
  }
  errors.push(...missingLines(sheet, report, claimed));
  return errors.length > 0 ? { ok: false, errors } : { ok: true, lines: report.lines.map((line) => found.get(line.kpiLineId)!) };
}

/** One row's line (none above the table or for an empty row) and its errors in column order. */
function parseRow(row: Row, known: Set<number>, claimed: Set<number>): { line: ReportLineInput | null; errors: WorkbookError[] } {
  const problems = cellProblems(row);
  const line = row.number >= FIRST_LINE_ROW && !blank(row) ? lineOf(row) : null;
  const lineErrors = line ? [...fieldErrors(row, line, problems), ...membershipErrors(row, line, known, claimed)] : [];
  const errors = [...problems.values(), ...lineErrors].sort((a, b) => columnOf(a.cell) - columnOf(b.cell));
  return { line, errors };
}

/** Formula and error cells anywhere in the row, by column. */
function cellProblems(row: Row): Map<number, WorkbookError> {
  const problems = new Map<number, WorkbookError>();
  row.eachCell((cell, column) => {
    const message = isFormula(cell.value) ? FORMULA : isErrorValue(cell.value) ? `Deze cel bevat een fout (${cell.text}); vul een waarde in.` : null;
    if (message) problems.set(column, { sheet: cell.worksheet.name, cell: cell.address, message });
  });
  return problems;
}

function blank(row: Row): boolean {
  return COLUMNS.every((_, index) => {
    const value = row.getCell(index + 1).value;
    return !isFormula(value) && !isErrorValue(value) && cellText(value).trim() === '';
  });
}

function lineOf(row: Row): ReportLineInput {
  const value = (field: Field) => row.getCell(FIELD_COLUMN[field]).value;
  return {
    kpiLineId: wholeNumber(value('kpiLineId')) ?? NaN,
    realisedQuantity: wholeNumber(value('realisedQuantity')),
    approach: text(value('approach')),
    partners: text(value('partners')),
    motivation: text(value('motivation')),
  };
}

/** The same constraints and messages as the web form, from ReportLineDto; a cell already reported as a formula is not reported twice. */
function fieldErrors(row: Row, line: ReportLineInput, problems: Map<number, WorkbookError>): WorkbookError[] {
  return validateSync(plainToInstance(ReportLineDto, line)).flatMap((error) => {
    const column = FIELD_COLUMN[error.property as Field];
    if (problems.has(column)) return [];
    const cell = row.getCell(column);
    return [{ sheet: cell.worksheet.name, cell: cell.address, message: Object.values(error.constraints ?? {})[0] ?? 'Ongeldige waarde.' }];
  });
}

function membershipErrors(row: Row, line: ReportLineInput, known: Set<number>, claimed: Set<number>): WorkbookError[] {
  const cell = row.getCell(FIELD_COLUMN.kpiLineId);
  const error = (message: string) => [{ sheet: cell.worksheet.name, cell: cell.address, message }];
  if (!Number.isInteger(line.kpiLineId)) return [];
  if (!known.has(line.kpiLineId)) return error('Deze KPI-lijn is niet bevestigd in deze aanvraag.');
  if (claimed.has(line.kpiLineId)) return error(`KPI-lijn ${line.kpiLineId} staat meer dan eens in het bestand.`);
  return [];
}

function missingLines(sheet: Worksheet, report: ReportView, claimed: Set<number>): WorkbookError[] {
  return report.lines
    .filter((line) => !claimed.has(line.kpiLineId))
    .map((line) => ({
      sheet: sheet.name,
      cell: '',
      message: `De rij van KPI-lijn ${line.kpiLineId} (actie ${line.actionNumber}. ${line.actionTitleNl}) ontbreekt.`,
    }));
}

// ---------------------------------------------------------------------------------------------------------------- cells

function isFormula(value: CellValue): boolean {
  return typeof value === 'object' && value !== null && !(value instanceof Date) && ('formula' in value || 'sharedFormula' in value);
}

function isErrorValue(value: CellValue): boolean {
  return typeof value === 'object' && value !== null && !(value instanceof Date) && 'error' in value;
}

/** Any cell as text: rich text joined, numbers as digits; formulas and errors give '' (they are reported on their own). */
function cellText(value: CellValue): string {
  if (value === null || value === undefined) return '';
  if (typeof value === 'string') return value;
  if (typeof value === 'number' || typeof value === 'boolean') return String(value);
  if (value instanceof Date) return value.toISOString().slice(0, 10);
  if ('richText' in value) return value.richText.map((run) => run.text).join('');
  if ('hyperlink' in value) return cellText(value.text);
  return '';
}

/** A text field: the cell's text as typed, except that a cell of only whitespace is empty. */
function text(value: CellValue): string {
  const content = cellText(value);
  return content.trim() === '' ? '' : content;
}

/** Empty → null; a number cell as is; a text of digits as its number; anything else NaN, which the DTO refuses. */
function wholeNumber(value: CellValue): number | null {
  if (typeof value === 'number') return value;
  const content = isFormula(value) || isErrorValue(value) ? '' : cellText(value).trim();
  if (content === '') return null;
  return /^\d+$/.test(content) ? Number(content) : NaN;
}

function columnOf(address: string): number {
  const letters = /^[A-Z]+/.exec(address)?.[0] ?? '';
  return [...letters].reduce((column, letter) => column * 26 + letter.charCodeAt(0) - 64, 0);
}

// ---------------------------------------------------------------------------------------------------------------- zip

const MAX_ZIP_ENTRIES = 100;
const MAX_UNZIPPED_BYTES = 20 * 1024 * 1024;
const END_OF_CENTRAL_DIRECTORY = 0x06054b50;
const CENTRAL_FILE_HEADER = 0x02014b50;
const LOCAL_FILE_HEADER = 0x04034b50;
const STORED = 0;
const DEFLATED = 8;

interface ZipEntry {
  method: number;
  compressedSize: number;
  size: number;
  localHeader: number;
}

/**
 * exceljs (JSZip) inflates every entry completely before it compares the size with the declared one, so a zip bomb
 * would exhaust memory there. Inflate each entry here first, bounded by its declared size and a total budget.
 */
function zipWithinLimits(file: Buffer): boolean {
  try {
    const entries = zipEntries(file);
    if (!entries) return false;
    let budget = MAX_UNZIPPED_BYTES;
    for (const entry of entries) {
      budget -= entry.size;
      if (budget < 0 || inflatedSize(file, entry) !== entry.size) return false;
    }
    return true;
  } catch {
    return false;
  }
}

function zipEntries(file: Buffer): ZipEntry[] | null {
  const end = endOfCentralDirectory(file);
  if (end < 0) return null;
  const count = file.readUInt16LE(end + 10);
  if (count === 0 || count > MAX_ZIP_ENTRIES) return null;
  const entries: ZipEntry[] = [];
  for (let at = file.readUInt32LE(end + 16), index = 0; index < count; index++) {
    if (file.readUInt32LE(at) !== CENTRAL_FILE_HEADER) return null;
    entries.push({
      method: file.readUInt16LE(at + 10),
      compressedSize: file.readUInt32LE(at + 20),
      size: file.readUInt32LE(at + 24),
      localHeader: file.readUInt32LE(at + 42),
    });
    at += 46 + file.readUInt16LE(at + 28) + file.readUInt16LE(at + 30) + file.readUInt16LE(at + 32);
  }
  return entries;
}

function endOfCentralDirectory(file: Buffer): number {
  const earliest = Math.max(0, file.length - 22 - 0xffff); // the record is 22 bytes plus a comment of at most 64 KiB
  for (let at = file.length - 22; at >= earliest; at--) if (file.readUInt32LE(at) === END_OF_CENTRAL_DIRECTORY) return at;
  return -1;
}

function inflatedSize(file: Buffer, entry: ZipEntry): number {
  const at = entry.localHeader;
  if (file.readUInt32LE(at) !== LOCAL_FILE_HEADER) return -1;
  const start = at + 30 + file.readUInt16LE(at + 26) + file.readUInt16LE(at + 28);
  const data = file.subarray(start, start + entry.compressedSize);
  if (data.length !== entry.compressedSize) return -1;
  if (entry.method === STORED) return data.length;
  if (entry.method !== DEFLATED) return -1;
  return inflateRawSync(data, { maxOutputLength: Math.max(entry.size, 1) }).length;
}
