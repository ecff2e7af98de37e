import ExcelJS from 'exceljs';
import { Writable } from 'node:stream';
import { formatBrussels } from '@ps/kernel';
import { ActionsOverview } from './overview';
import { ACTIONS_CSV_HEADER, actionLines, ExportCell, filterCells, OBJECTIVES_CSV_HEADER } from './overview-csv';

const EURO = '#,##0.00 [$€-813]';

/**
 * The overview as an Excel workbook, streamed: typed number and currency cells, a frozen header row and an autofilter
 * per sheet, and the filters and generation time above. Cells hold values only, never formulas, so a text starting
 * with "=" stays text.
 */
export async function writeActionsOverviewXlsx(overview: ActionsOverview, output: Writable): Promise<void> {
  const workbook = new ExcelJS.stream.xlsx.WorkbookWriter({ stream: output, useStyles: true, useSharedStrings: false });
  const about = [`Filters: ${filterCells(overview.filters).join(', ')}`, `Gegenereerd: ${formatBrussels(overview.generatedAt)}`];
  addSheet(workbook, 'Per actie', about, ACTIONS_CSV_HEADER, actionLines(overview));
  addSheet(
    workbook,
    'Per doelstelling',
    about,
    OBJECTIVES_CSV_HEADER,
    overview.objectives.map((o) => [o.code, o.nameNl, { cents: o.committedCents }, { cents: o.allocatedCents }]),
  );
  await workbook.commit();
}

function addSheet(workbook: ExcelJS.stream.xlsx.WorkbookWriter, name: string, about: string[], header: string[], lines: ExportCell[][]): void {
  const headerRow = about.length + 2;
  const sheet = workbook.addWorksheet(name, { views: [{ state: 'frozen', ySplit: headerRow }] });
  sheet.autoFilter = { from: { row: headerRow, column: 1 }, to: { row: headerRow + Math.max(lines.length, 1), column: header.length } };
  about.forEach((text) => sheet.addRow([text]).commit());
  sheet.addRow([]).commit();
  const top = sheet.addRow(header);
  top.font = { bold: true };
  top.commit();
  for (const line of lines) {
    const row = sheet.addRow(line.map((cell) => (typeof cell === 'object' ? cell.cents / 100 : cell)));
    line.forEach((cell, index) => {
      if (typeof cell === 'object') row.getCell(index + 1).numFmt = EURO;
    });
    row.commit();
  }
  sheet.commit();
}
