import { csvEuro, csvLine, formatBrussels } from '@ps/kernel';
import { ActionsOverview } from './overview';
import { OverviewFilter } from './overview-filter.dto';
import { municipalitiesFilterCells } from './municipalities';

/** The filters as the export names them: every filter, "alle" for none. */
export function filterCells(filters: OverviewFilter): string[] {
  const all = (value: string | number | null) => (value === null ? 'alle' : String(value));
  return [
    `projectjaar=${all(filters.year)}`,
    `doelstelling=${all(filters.objective)}`,
    `actie=${all(filters.action)}`,
    `provincie=${all(filters.province)}`,
    `regio=${all(filters.region)}`,
    ...municipalitiesFilterCells(filters.municipalities),
  ];
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
/** An amount in a line of an export: euro in CSV, a currency cell in XLSX. */
export type ExportCell = string | number | { cents: number };

/** One line per action, project year and KPI unit, the action's figures repeated on each of its units: the CSV's and the workbook's rows. */
export function actionLines(overview: ActionsOverview): ExportCell[][] {
  return overview.rows.flatMap((row) => {
    const action: ExportCell[] = [
      row.year,
      row.actionNumber,
      row.actionTitleNl,
      row.objectiveCode,
      { cents: row.committedCents },
      { cents: row.allocatedCents },
      row.localGovernments,
      row.applicants,
    ];
    const units = row.units.length > 0 ? row.units : [null];
    return units.map((unit) => [...action, ...(unit ? [unit.unitNl, unit.committedQuantity, unit.realisedInterim, unit.realisedFinal] : ['', '', '', ''])]);
  });
}

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
  for (const line of actionLines(overview)) yield csvLine(line.map((cell) => (typeof cell === 'object' ? csvEuro(cell.cents) : cell)));
  yield '\r\n';
  yield csvLine(OBJECTIVES_CSV_HEADER);
  for (const objective of overview.objectives)
    yield csvLine([objective.code, objective.nameNl, csvEuro(objective.committedCents), csvEuro(objective.allocatedCents)]);
}
