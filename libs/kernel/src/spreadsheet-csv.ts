import { Cents } from './money';

/** A cell Excel would read as a formula (=, +, -, @, or a tab or carriage return first) gets a leading apostrophe. */
const FORMULA_START = /^[=+\-@\t\r]/;
const PLAIN_NUMBER = /^-?\d+(,\d+)?$/;

/** One CSV cell for Excel in nl-BE: formula-start text prefixed with ', quoted when it holds a ; " or line break. */
export function csvCell(value: string | number): string {
  const text = typeof value === 'number' || PLAIN_NUMBER.test(value) || !FORMULA_START.test(value) ? String(value) : `'${value}`;
  return /[";\r\n]/.test(text) ? `"${text.replace(/"/g, '""')}"` : text;
}

/** One CSV line: semicolons between cells, CRLF at the end. */
export const csvLine = (cells: (string | number)[]): string => cells.map(csvCell).join(';') + '\r\n';

/** An amount as a Flemish spreadsheet reads it: "1234,56", no thousands separator, never a formula. */
export function csvEuro(cents: Cents): string {
  const sign = cents < 0 ? '-' : '';
  const abs = Math.abs(cents);
  return `${sign}${Math.floor(abs / 100)},${String(abs % 100).padStart(2, '0')}`;
}

/** A whole CSV file for Excel in nl-BE: UTF-8 with a byte order mark, semicolons, CRLF. */
export function toCsv(header: string[], rows: (string | number)[][]): string {
  return '\uFEFF' + [header, ...rows].map(csvLine).join('');
}
