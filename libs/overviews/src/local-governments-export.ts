import ExcelJS from 'exceljs';
import { Writable } from 'node:stream';
import { CsvSeparator, csvEuro, csvLine, formatBrussels } from '@ps/kernel';
import { AreaFigures, LocalGovernmentsOverview } from './overview';
import { ExportCell, filterCells } from './overview-csv';

export const LOCAL_GOVERNMENTS_HEADER = [
  'Lokaal bestuur',
  'NIS-code',
  'Provincie',
  'Referentieregio',
  'Projectjaar',
  'Projectindiener',
  'Actie',
  'Titel',
  'Vastgelegd (EUR)',
  'Toegekend (EUR)',
  'NIS-code toen',
  'NIS-code vandaag',
];
export const PROVINCES_HEADER = ['Provincie', 'Projectindieners', 'Lokale besturen', 'Vastgelegd (EUR)', 'Toegekend (EUR)'];
export const REGIONS_HEADER = ['Referentieregio', 'Code', 'Projectindieners', 'Lokale besturen', 'Vastgelegd (EUR)', 'Toegekend (EUR)'];

/** The three tables of the overview per local government as lines of cells: the CSV's and the workbook's rows. */
export function localGovernmentTables(overview: LocalGovernmentsOverview): { name: string; header: string[]; lines: ExportCell[][] }[] {
  const area = (a: AreaFigures): ExportCell[] => [a.applicants, a.localGovernments, { cents: a.committedCents }, { cents: a.allocatedCents }];
  return [
    {
      name: 'Per lokaal bestuur',
      header: LOCAL_GOVERNMENTS_HEADER,
      lines: overview.rows.map((r) => [
        r.localGovernmentNl,
        r.nisCode ?? '',
        r.provinceNl ?? '',
        r.regionNl ?? '',
        r.year,
        r.applicantNl,
        r.actionNumber,
        r.actionTitleNl,
        { cents: r.committedCents },
        { cents: r.allocatedCents },
        r.nisCodeAsWas ?? '',
        r.nisCodeToday ?? '',
      ]),
    },
    { name: 'Per provincie', header: PROVINCES_HEADER, lines: overview.provinces.map((p) => [p.nameNl, ...area(p)]) },
    { name: 'Per referentieregio', header: REGIONS_HEADER, lines: overview.regions.map((r) => [r.nameNl, r.code, ...area(r)]) },
  ];
}

/**
 * The overview per local government as CSV lines to stream one by one: a byte order mark, what the export is, its
 * filters and generation time, then each table (per local government, per province, per reference region) with its
 * header, an empty line between them. `;` by default; with `,` amounts get a decimal point.
 */
export function* localGovernmentsCsv(overview: LocalGovernmentsOverview, separator: CsvSeparator = ';'): Generator<string> {
  const decimal = separator === ';' ? ',' : '.';
  yield '\uFEFF' + csvLine(['Overzicht', 'Per lokaal bestuur, per provincie en per referentieregio'], separator);
  yield csvLine(['Filters', ...filterCells(overview.filters)], separator);
  yield csvLine(['Gegenereerd', formatBrussels(overview.generatedAt)], separator);
  for (const table of localGovernmentTables(overview)) {
    yield '\r\n';
    yield csvLine([table.name], separator);
    yield csvLine(table.header, separator);
    for (const line of table.lines)
      yield csvLine(
        line.map((cell) => (typeof cell === 'object' ? csvEuro(cell.cents, decimal) : cell)),
        separator,
      );
  }
}

const EURO = '#,##0.00 [$€-813]';

/** The overview per local government as an Excel workbook, streamed: one sheet per table, typed cells, frozen header, autofilter. */
export async function writeLocalGovernmentsXlsx(overview: LocalGovernmentsOverview, output: Writable): Promise<void> {
  const workbook = new ExcelJS.stream.xlsx.WorkbookWriter({ stream: output, useStyles: true, useSharedStrings: false });
  const about = [`Filters: ${filterCells(overview.filters).join(', ')}`, `Gegenereerd: ${formatBrussels(overview.generatedAt)}`];
  for (const table of localGovernmentTables(overview)) {
    const headerRow = about.length + 2;
    const sheet = workbook.addWorksheet(table.name, { views: [{ state: 'frozen', ySplit: headerRow }] });
    about.forEach((text) => sheet.addRow([text]).commit());
    sheet.addRow([]).commit();
    const top = sheet.addRow(table.header);
    top.font = { bold: true };
    top.commit();
    for (const line of table.lines) {
      const row = sheet.addRow(line.map((cell) => (typeof cell === 'object' ? cell.cents / 100 : cell)));
      line.forEach((cell, index) => {
        if (typeof cell === 'object') row.getCell(index + 1).numFmt = EURO;
      });
      row.commit();
    }
    sheet.autoFilter = { from: { row: headerRow, column: 1 }, to: { row: headerRow + Math.max(table.lines.length, 1), column: table.header.length } };
    sheet.commit();
  }
  await workbook.commit();
}
