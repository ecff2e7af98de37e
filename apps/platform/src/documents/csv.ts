import { Cents } from '@ps/kernel';

/** A cell Excel would read as a formula (=, +, -, @, or a tab or carriage return first) gets a leading apostrophe. */
const FORMULA_START = /^[=+\-@\t\r]/;

const PLAIN_NUMBER = /^-?\d+(,\d+)?$/;

function cell(value: string | number): string {
  const text = typeof value === 'number' || PLAIN_NUMBER.test(value) || !FORMULA_START.test(value) ? String(value) : `'${value}`;
  return /[";\r\n]/.test(text) ? `"${text.replace(/"/g, '""')}"` : text;
}

/**
 * CSV as Excel in nl-BE opens it: UTF-8 with a byte order mark, semicolons between cells, CRLF between rows,
 * text protected against formula injection. Numbers are written as given; use `csvEuro` for amounts.
 */
export function toCsv(header: string[], rows: (string | number)[][]): string {
  return '\uFEFF' + [header, ...rows].map((row) => row.map(cell).join(';')).join('\r\n') + '\r\n';
}

/** An amount as a Flemish spreadsheet reads it: "1234,56", no thousands separator, never a formula. */
export function csvEuro(cents: Cents): string {
  const sign = cents < 0 ? '-' : '';
  const abs = Math.abs(cents);
  return `${sign}${Math.floor(abs / 100)},${String(abs % 100).padStart(2, '0')}`;
}
