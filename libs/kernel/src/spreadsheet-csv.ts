import { Cents } from './money';

/** A cell Excel would read as a formula (=, +, -, @, or a tab or carriage return first) gets a leading apostrophe. */
const FORMULA_START = /^[=+\-@\t\r]/;
const PLAIN_NUMBER = /^-?\d+([,.]\d+)?$/;
/** What makes a cell need quotes, per separator. */
const NEEDS_QUOTES = { ';': /[";\r\n]/, ',': /[",\r\n]/ };

/** The cell separator: `;` for Excel in nl-BE (the default), `,` for tools that expect commas. */
export type CsvSeparator = ';' | ',';

/** One CSV cell for Excel in nl-BE: formula-start text prefixed with ', quoted when it holds the separator, a " or a line break. */
export function csvCell(value: string | number, separator: CsvSeparator = ';'): string {
  if (typeof value === 'number') return String(value);
  const text = PLAIN_NUMBER.test(value) || !FORMULA_START.test(value) ? value : `'${value}`;
  return NEEDS_QUOTES[separator].test(text) ? `"${text.replace(/"/g, '""')}"` : text;
}

/** One CSV line: semicolons (or the given separator) between cells, CRLF at the end. */
export const csvLine = (cells: (string | number)[], separator: CsvSeparator = ';'): string =>
  cells.map((cell) => csvCell(cell, separator)).join(separator) + '\r\n';

/** An amount as a Flemish spreadsheet reads it: "1234,56" (or "1234.56" with a decimal point), no thousands separator, never a formula. */
export function csvEuro(cents: Cents, decimalMark: ',' | '.' = ','): string {
  const sign = cents < 0 ? '-' : '';
  const abs = Math.abs(cents);
  return `${sign}${Math.floor(abs / 100)}${decimalMark}${String(abs % 100).padStart(2, '0')}`;
}

/** A whole CSV file for Excel in nl-BE: UTF-8 with a byte order mark, semicolons, CRLF. */
export function toCsv(header: string[], rows: (string | number)[][]): string {
  return '\uFEFF' + [header, ...rows].map((row) => csvLine(row)).join('');
}
