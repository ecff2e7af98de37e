import { DataValidation, Row, Workbook, Worksheet, WorksheetProtection } from 'exceljs';
import { formatBrussels } from '@ps/kernel';
import { TEXT_LIMITS } from '../report.dto';
import { ReportLineView, ReportView } from '../report-view';
import { alwaysNeedsMotivation } from '../reporting-rules';
import {
  COLUMNS,
  EDITABLE_COLUMNS,
  FIELD_COLUMN,
  FIRST_LINE_ROW,
  FORMAT,
  HEADER_ROW,
  KIND_TITLE,
  MARKER_SHEET,
  MAX_QUANTITY,
  REPORT_SHEET,
  WorkbookStamp,
} from './workbook-layout';

/**
 * The Excel round trip of a KPI report: a personalised workbook with the confirmed KPI lines, marked with the report's
 * version and values as downloaded (sealed, so a stale upload is recognised and named), and the parser of the
 * filled-in upload (workbook-parse.ts, run in a worker thread by WorkbookParser).
 */

export { MARKER_SHEET, REPORT_SHEET } from './workbook-layout';
export type { ReportLineInput, WorkbookStamp } from './workbook-layout';
export { parseReportWorkbook } from './workbook-parse';
export type { WorkbookError, WorkbookParse } from './workbook-parse';

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
export async function reportWorkbook(report: ReportView, seal: (stamp: WorkbookStamp) => string = () => ''): Promise<Buffer> {
  const workbook = new Workbook();
  workbook.creator = 'Plan Samenleven';
  const sheet = workbook.addWorksheet(REPORT_SHEET, { views: [{ state: 'frozen', xSplit: 0, ySplit: HEADER_ROW, topLeftCell: `A${FIRST_LINE_ROW}` }] });
  writeHeaderBlock(sheet, report);
  writeTable(sheet, report.lines);
  await sheet.protect('', PROTECTION);
  await writeMarker(workbook, report, seal);
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

async function writeMarker(workbook: Workbook, report: ReportView, seal: (stamp: WorkbookStamp) => string): Promise<void> {
  const marker = workbook.addWorksheet(MARKER_SHEET, { state: 'veryHidden' });
  const stamp = stampOf(report);
  marker.addRows([
    ['formaat', FORMAT],
    ['aanvraag', report.applicationId],
    ['soort', report.kind],
    ['versie', report.version],
    ['zegel', seal(stamp)],
    ['status', report.status],
    ...stamp.lines.map((line) => [line.kpiLineId, line.realisedQuantity, line.approach, line.partners, line.motivation, line.evidenceIds.join(',')]),
  ]);
  await marker.protect('', {});
}

/** What the workbook is based on: the report's version, status and lines as they are now. */
export function stampOf(report: ReportView): WorkbookStamp {
  return {
    applicationId: report.applicationId,
    kind: report.kind,
    version: report.version,
    status: report.status,
    lines: report.lines.map((line) => ({
      kpiLineId: line.kpiLineId,
      realisedQuantity: line.realisedQuantity,
      approach: line.approach,
      partners: line.partners,
      motivation: line.motivation,
      evidenceIds: line.evidence.map((file) => file.id),
    })),
  };
}
