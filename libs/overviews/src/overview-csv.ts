import { Cents, formatBrussels } from '@ps/kernel';
import { ActionsOverview } from './overview';
import { OverviewFilter } from './overview-filter.dto';

/** A cell Excel would read as a formula (=, +, -, @, or a tab or carriage return first) gets a leading apostrophe. */
const FORMULA_START = /^[=+\-@\t\r]/;
const PLAIN_NUMBER = /^-?\d+(,\d+)?$/;

/** One CSV cell, by the rules of apps/platform/src/documents/csv.ts: formula-start text prefixed with ', quoted when needed. */
export function csvCell(value: string | number): string {
  const text = typeof value === 'number' || PLAIN_NUMBER.test(value) || !FORMULA_START.test(value) ? String(value) : `'${value}`;
  return /[";\r\n]/.test(text) ? `"${text.replace(/"/g, '""')}"` : text;
}

/** One CSV line: semicolons between cells, CRLF at the end. */
export const csvLine = (cells: (string | number)[]): string => cells.map(csvCell).join(';') + '\r\n';

/** "1234,56": no thousands separator, never a formula. */
export function csvEuro(cents: Cents): string {
  const sign = cents < 0 ? '-' : '';
  const abs = Math.abs(cents);
  return `${sign}${Math.floor(abs / 100)},${String(abs % 100).padStart(2, '0')}`;
}

/** The filters as the export names them: every filter, "alle" for none. */
export function filterCells(filters: OverviewFilter): string[] {
  const all = (value: string | number | null) => (value === null ? 'alle' : String(value));
  return [`projectjaar=${all(filters.year)}`, `doelstelling=${all(filters.objective)}`, `actie=${all(filters.action)}`, `provincie=${all(filters.province)}`];
}

export const ACTIONS_CSV_HEADER = [
  'Projectjaar',
  'Actie',
  'Titel',
  'Doelstelling',
  'Vastgelegd (EUR)',
  'Toegekend (EUR)',
  'Lokale besturen',
  'Projectindieners',
  'Eenheid',
  'Vastgelegde hoeveelheid',
  'Gerealiseerd tussentijds',
  'Gerealiseerd eind',
];
export const OBJECTIVES_CSV_HEADER = ['Doelstelling', 'Naam', 'Vastgelegd (EUR)', 'Toegekend (EUR)'];

/**
 * The overview per action per project year as CSV lines for Excel in nl-BE, to stream one by one: a byte order
 * mark, then what the export is, its filters and generation time, then one line per action, year and KPI unit
 * (the action's figures repeated on each of its units), then after an empty line the totals per objective.
 */
export function* actionsOverviewCsv(overview: ActionsOverview): Generator<string> {
  yield '\uFEFF' + csvLine(['Overzicht', 'Per actie per projectjaar']);
  yield csvLine(['Filters', ...filterCells(overview.filters)]);
  yield csvLine(['Gegenereerd', formatBrussels(overview.generatedAt)]);
  yield '\r\n';
  yield csvLine(ACTIONS_CSV_HEADER);
  for (const row of overview.rows) {
    const action = [
      row.year,
      row.actionNumber,
      row.actionTitleNl,
      row.objectiveCode,
      csvEuro(row.committedCents),
      csvEuro(row.allocatedCents),
      row.localGovernments,
      row.applicants,
    ];
    const units = row.units.length > 0 ? row.units : [null];
    for (const unit of units)
      yield csvLine([...action, ...(unit ? [unit.unitNl, unit.committedQuantity, unit.realisedInterim, unit.realisedFinal] : ['', '', '', ''])]);
  }
  yield '\r\n';
  yield csvLine(OBJECTIVES_CSV_HEADER);
  for (const objective of overview.objectives)
    yield csvLine([objective.code, objective.nameNl, csvEuro(objective.committedCents), csvEuro(objective.allocatedCents)]);
}
