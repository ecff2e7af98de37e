import { parse } from 'csv-parse/sync';

/** One refused line of an imported file, numbered as a spreadsheet shows it (header = line 1). */
export interface ImportProblem {
  line: number;
  message: string;
}

export class ImportRejected extends Error {
  constructor(readonly problems: ImportProblem[]) {
    super(`Import geweigerd: ${problems.length} fout(en). Er is niets geïmporteerd.\n${problems.map((p) => `  regel ${p.line}: ${p.message}`).join('\n')}`);
  }
}

export interface CsvRow {
  line: number;
  values: Record<string, string>;
}

/** Parses a CSV with a header row; checks that the header has exactly the expected columns. */
export function readCsv(content: string | Buffer, expectedColumns: string[]): CsvRow[] {
  let records: { record: string[]; info: { lines: number } }[];
  try {
    records = parse(content, { info: true, relax_column_count: true, skip_empty_lines: true, trim: true, bom: true }) as unknown as typeof records;
  } catch (error) {
    throw new ImportRejected([{ line: (error as { lines?: number }).lines ?? 1, message: `geen geldige CSV: ${(error as Error).message}` }]);
  }
  if (records.length === 0) throw new ImportRejected([{ line: 1, message: 'het bestand is leeg' }]);
  const header = records[0].record;
  if (header.join(',') !== expectedColumns.join(',')) {
    throw new ImportRejected([{ line: 1, message: `de kolommen moeten "${expectedColumns.join(',')}" zijn, niet "${header.join(',')}"` }]);
  }
  const rows = records.slice(1).map(({ record, info }) => ({
    line: info.lines,
    values: Object.fromEntries(expectedColumns.map((column, i) => [column, record[i] ?? ''])),
    width: record.length,
  }));
  const problems = rows
    .filter((row) => row.width !== expectedColumns.length)
    .map((row) => ({ line: row.line, message: `verwacht ${expectedColumns.length} kolommen, gevonden ${row.width}` }));
  if (problems.length > 0) throw new ImportRejected(problems);
  return rows.map(({ line, values }) => ({ line, values }));
}

export function parseWholeNumber(text: string): number | null {
  return /^\d+$/.test(text) && Number.isSafeInteger(Number(text)) ? Number(text) : null;
}
