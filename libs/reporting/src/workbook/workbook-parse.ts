import { plainToInstance } from 'class-transformer';
import { validateSync } from 'class-validator';
import { CellValue, Row, Workbook, Worksheet } from 'exceljs';
import { REPORT_STATUSES, ReportKind, ReportLineDto, ReportStatus } from '../report.dto';
import type { ReportView } from '../report-view';
import {
  COLUMNS,
  FIELD_COLUMN,
  Field,
  FIRST_LINE_ROW,
  FORMAT,
  HEADER_ROW,
  MARKER_ROWS,
  MARKER_SHEET,
  MAX_COLUMNS,
  MAX_ROWS,
  REPORT_SHEET,
  ReportLineInput,
  STAMP_LINES_ROW,
  StampLine,
  WorkbookStamp,
} from './workbook-layout';
import { checkZip } from './workbook-zip';

/**
 * The parser of a filled-in report workbook. It runs in a worker thread (workbook-worker.ts), so it imports no path
 * alias and nothing of the platform beyond this lib's DTO: the worker loads it on its own. The upload gives exactly the
 * lines the web form would submit, so the caller saves them through the same use case.
 */

/** A problem of the upload; `cell` like "E8", '' when it concerns the whole file or sheet. */
export interface WorkbookError {
  sheet: string;
  cell: string;
  message: string;
}

export type WorkbookParse = { ok: true; lines: ReportLineInput[] } | { ok: false; errors: WorkbookError[] };

/** The stamp as the file gives it (null when it is missing or unreadable) and its seal, for the caller to verify. */
export interface StampRead {
  stamp: WorkbookStamp | null;
  seal: string;
}

/** The parse, and the stamp when the file is the platform's workbook of this report. */
export interface ParsedWorkbook {
  parse: WorkbookParse;
  stamp: StampRead | null;
}

export const NOT_A_WORKBOOK = 'Dit is geen Excel-bestand (.xlsx).';
export const TOO_LARGE = `Het bestand is te groot voor een rapport: hoogstens ${MAX_ROWS.toLocaleString('nl-BE')} rijen en ${MAX_COLUMNS} kolommen per werkblad.`;
const FORMULA = 'Formules zijn niet toegestaan; vul een waarde in.';
const KIND_NL: Record<ReportKind, string> = { interim: 'tussentijds rapport', final: 'eindrapport' };

/** Validates the whole upload against the report; any error and nothing is imported. */
export async function parseReportWorkbook(file: Buffer, report: ReportView): Promise<WorkbookParse> {
  return (await parseWorkbook(file, report)).parse;
}

export async function parseWorkbook(file: Buffer, report: ReportView): Promise<ParsedWorkbook> {
  const whole = (message: string): ParsedWorkbook => ({ parse: { ok: false, errors: [{ sheet: '', cell: '', message }] }, stamp: null });
  const zip = checkZip(file);
  if (!zip.ok) return whole(zip.tooLarge ? TOO_LARGE : NOT_A_WORKBOOK);
  const workbook = await loadWorkbook(file);
  if (!workbook) return whole(NOT_A_WORKBOOK);
  const sheet = workbook.getWorksheet(REPORT_SHEET);
  const structural = [
    ...(sheet ? [] : [{ sheet: REPORT_SHEET, cell: '', message: `Het werkblad "${REPORT_SHEET}" ontbreekt.` }]),
    ...markerErrors(workbook, report),
  ];
  if (!sheet || structural.length > 0) return { parse: { ok: false, errors: structural }, stamp: null };
  const stamp = stampOf(workbook.getWorksheet(MARKER_SHEET)!, report);
  const shape = [...sizeErrors(sheet), ...headerErrors(sheet)];
  if (shape.length > 0) return { parse: { ok: false, errors: shape }, stamp };
  return { parse: parseLines(sheet, report), stamp };
}

async function loadWorkbook(file: Buffer): Promise<Workbook | null> {
  try {
    return await new Workbook().xlsx.load(Uint8Array.from(file).buffer); // a copy typed as the ArrayBuffer exceljs declares
  } catch {
    return null;
  }
}

function markerErrors(workbook: Workbook, report: ReportView): WorkbookError[] {
  const marker = workbook.getWorksheet(MARKER_SHEET);
  const value = (row: number) => (marker ? cellText(marker.getCell(row, 2).value) : '');
  const error = (row: number, message: string) => [{ sheet: MARKER_SHEET, cell: `B${row}`, message }];
  if (value(MARKER_ROWS.format) !== FORMAT)
    return error(MARKER_ROWS.format, 'Dit is niet het rapportbestand van het platform. Download het bestand van dit rapport en vul dat in.');
  if (value(MARKER_ROWS.application) !== String(report.applicationId))
    return error(MARKER_ROWS.application, 'Dit bestand hoort bij een andere aanvraag. Download het bestand van dit rapport en vul dat in.');
  const kind = value(MARKER_ROWS.kind);
  if (kind !== report.kind) {
    const given = kind in KIND_NL ? KIND_NL[kind as ReportKind] : 'ander rapport';
    return error(MARKER_ROWS.kind, `Dit bestand hoort bij het ${given}, niet bij het ${KIND_NL[report.kind]}.`);
  }
  return [];
}

/** The report as downloaded, from the marker sheet; null when a part is missing or not of the expected type. */
function stampOf(marker: Worksheet, report: ReportView): StampRead {
  const value = (row: number, column = 2) => marker.getCell(row, column).value;
  const seal = cellText(value(MARKER_ROWS.seal));
  const version = value(MARKER_ROWS.version);
  const status = cellText(value(MARKER_ROWS.status));
  if (typeof version !== 'number' || !Number.isInteger(version) || !(REPORT_STATUSES as readonly string[]).includes(status)) return { stamp: null, seal };
  const lines: StampLine[] = [];
  for (let row = STAMP_LINES_ROW; row < STAMP_LINES_ROW + MAX_ROWS && typeof value(row, 1) === 'number'; row++) {
    const quantity = value(row, 2);
    lines.push({
      kpiLineId: value(row, 1) as number,
      realisedQuantity: typeof quantity === 'number' ? quantity : null,
      approach: cellText(value(row, 3)),
      partners: cellText(value(row, 4)),
      motivation: cellText(value(row, 5)),
      evidenceIds: cellText(value(row, 6)).split(',').filter(Boolean).map(Number),
    });
  }
  return { stamp: { applicationId: report.applicationId, kind: report.kind, version, status: status as ReportStatus, lines }, seal };
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
