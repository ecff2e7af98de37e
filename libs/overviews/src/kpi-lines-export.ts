import ExcelJS from 'exceljs';
import { once } from 'node:events';
import { Writable } from 'node:stream';
import { CsvSeparator, csvCell, csvEuro, csvLine, formatBrussels } from '@ps/kernel';
import { filterCells } from './overview-csv';
import { KpiLineRow } from './kpi-lines';
import { KpiLinesExport } from './overviews.service';

export const KPI_LINES_HEADER = [
  'Projectjaar',
  'Projectindiener',
  'Lokale besturen',
  'Provincie',
  'Actie',
  'Titel',
  'Doelstelling',
  'Eenheid',
  'Vastgelegde hoeveelheid',
  'Vastgelegd (EUR)',
  'Toegekend (EUR)',
  'Gerealiseerd tussentijds',
  'Gerealiseerd eind',
  'Aanvraag',
  'KPI-lijn',
];

type Cell = string | number | null | { cents: number | null };

/** One KPI line as cells: amounts marked so the CSV writes euro and the workbook a currency cell; null stays empty. */
function cells(line: KpiLineRow): Cell[] {
  return [
    line.year,
    line.applicantNameNl,
    line.localGovernmentsNl,
    line.provincesNl,
    line.actionNumber,
    line.actionTitleNl,
    line.objectiveCode,
    line.unitNl,
    line.confirmedQuantity,
    { cents: line.confirmedCents },
    { cents: line.allocatedCents },
    line.realisedInterim,
    line.realisedFinal,
    line.applicationId,
    line.kpiLineId,
  ];
}

/**
 * The KPI lines as CSV, a batch at a time as they are read: a byte order mark, what the export is, its filters and
 * generation time (Brussels), an empty line, the header, one line per KPI line. `;` and amounts "1234,56" by default
 * (Excel in nl-BE); with `,` amounts get a decimal point, "1234.56". Text cells follow the kernel's rules (formula
 * injection). The cells an application's lines share, and a KPI line's catalogue cells, are written once and reused.
 */
export async function* kpiLinesCsv(exported: KpiLinesExport, separator: CsvSeparator = ';'): AsyncGenerator<string> {
  const decimal = separator === ';' ? ',' : '.';
  const text = (cells: (string | number)[]) => cells.map((cell) => csvCell(cell, separator)).join(separator) + separator;
  const euro = (cents: number | null) => (cents === null ? '' : csvEuro(cents, decimal));
  yield '\uFEFF' + csvLine(['Overzicht', 'KPI-lijnen van goedgekeurde aanvragen'], separator);
  yield csvLine(['Filters', ...filterCells(exported.filters)], separator);
  yield csvLine(['Gegenereerd', formatBrussels(exported.generatedAt)], separator);
  yield '\r\n';
  yield csvLine(KPI_LINES_HEADER, separator);
  const catalogueCells = new Map<number, string>();
  let application = { id: 0, cells: '' };
  for await (const batch of exported.batches) {
    let out = '';
    for (const line of batch) {
      if (line.applicationId !== application.id) {
        application = { id: line.applicationId, cells: text([line.year, line.applicantNameNl, line.localGovernmentsNl, line.provincesNl]) };
      }
      let catalogue = catalogueCells.get(line.kpiLineId);
      if (catalogue === undefined) {
        catalogue = text([line.actionNumber, line.actionTitleNl, line.objectiveCode, line.unitNl]);
        catalogueCells.set(line.kpiLineId, catalogue);
      }
      out += `${application.cells}${catalogue}${line.confirmedQuantity}${separator}${euro(line.confirmedCents)}${separator}${euro(line.allocatedCents)}${separator}`;
      out += `${line.realisedInterim ?? ''}${separator}${line.realisedFinal ?? ''}${separator}${line.applicationId}${separator}${line.kpiLineId}\r\n`;
    }
    yield out;
  }
}

/** The KPI lines as JSON, streamed a batch at a time: `{ "filters", "generatedAt", "lines": [ … ] }`, amounts in integer cents. */
export async function* kpiLinesJson(exported: KpiLinesExport): AsyncGenerator<string> {
  yield `{"filters":${JSON.stringify(exported.filters)},"generatedAt":${JSON.stringify(exported.generatedAt)},"lines":[`;
  let first = true;
  for await (const batch of exported.batches) {
    if (batch.length === 0) continue;
    yield (first ? '\n' : ',\n') + batch.map((line) => JSON.stringify(line)).join(',\n');
    first = false;
  }
  yield '\n]}\n';
}

const EURO = '#,##0.00 [$€-813]';

/**
 * The KPI lines as an Excel workbook, streamed row by row (exceljs' streaming writer): the filters and generation time
 * above, a frozen bold header, an autofilter over header and rows, number cells for years, quantities and ids, euro
 * currency cells for amounts, empty cells for what is not known yet. Values only, never formulas. Waits for the output
 * to drain when it falls behind, and stops reading when it is closed.
 */
export async function writeKpiLinesXlsx(exported: KpiLinesExport, output: Writable): Promise<void> {
  const workbook = new ExcelJS.stream.xlsx.WorkbookWriter({ stream: output, useStyles: true, useSharedStrings: false });
  const headerRow = 4;
  const sheet = workbook.addWorksheet('KPI-lijnen', { views: [{ state: 'frozen', ySplit: headerRow }] });
  sheet.addRow([`Filters: ${filterCells(exported.filters).join(', ')}`]).commit();
  sheet.addRow([`Gegenereerd: ${formatBrussels(exported.generatedAt)}`]).commit();
  sheet.addRow([]).commit();
  const top = sheet.addRow(KPI_LINES_HEADER);
  top.font = { bold: true };
  top.commit();
  let count = 0;
  for await (const line of linesOf(exported)) {
    const values = cells(line);
    const row = sheet.addRow(values.map((cell) => (cell !== null && typeof cell === 'object' ? (cell.cents === null ? null : cell.cents / 100) : cell)));
    values.forEach((cell, index) => {
      if (cell !== null && typeof cell === 'object') row.getCell(index + 1).numFmt = EURO;
    });
    row.commit();
    count++;
    if (output.destroyed) return;
    if (output.writableNeedDrain) await Promise.race([once(output, 'drain'), once(output, 'close')]);
  }
  // The worksheet writer writes the autofilter when the sheet is committed, so its range can follow the rows read.
  sheet.autoFilter = { from: { row: headerRow, column: 1 }, to: { row: headerRow + Math.max(count, 1), column: KPI_LINES_HEADER.length } };
  sheet.commit();
  await workbook.commit();
}

/** The export's lines one by one. */
async function* linesOf(exported: KpiLinesExport): AsyncGenerator<KpiLineRow> {
  for await (const batch of exported.batches) yield* batch;
}
