import { DateTime } from 'luxon';
import { Call, CallRow, CallState } from '@ps/catalogue';
import { Role, scopeOf } from '@ps/identity';
import { BRUSSELS } from '@ps/kernel';

/**
 * The life of a call: the next project year as a copy of the latest, and what publishing asks of it. Pure rules; the
 * use cases are in `call-life.service.ts`.
 */

/** Only those who manage calls (ABB's administrators) see a draft call; officers and visitors never do. */
export const seesDraftCalls = (role: Role | null | undefined): boolean => scopeOf(role ?? null, 'calls:manage') !== undefined;

/** Columns the copy never takes over: the row's identity, its state and versions. */
const OWN_COLUMNS = new Set(['id', 'year_number', 'name_nl', 'state', 'version', 'catalogue_version']);

/** "Projectjaar 4 (2025-2026)": the name the earlier calls have, from the project period's years. */
export function callName(yearNumber: number, projectStart: string, projectEnd: string): string {
  return `Projectjaar ${yearNumber} (${projectStart.slice(0, 4)}-${projectEnd.slice(0, 4)})`;
}

/**
 * The columns of the next call from the row of the latest: every setting column as it is (so a setting another lib adds
 * is copied too), every date and instant a year later on the Brussels calendar (23:59:59 stays 23:59:59 across a change
 * of summer time), a new draft with version 1. A call that admitted only the applicants of an earlier year admits the
 * applicants of the call it is copied from.
 */
export function nextCallColumns(row: CallRow): [column: string, value: unknown][] {
  const year = Number(row.values.year_number) + 1;
  const columns: [string, unknown][] = [];
  for (const [column, type] of Object.entries(row.types)) {
    if (OWN_COLUMNS.has(column)) continue;
    const value = row.values[column];
    if (value === null || value === undefined) columns.push([column, null]);
    else if (column === 'applicants_of_year') columns.push([column, year - 1]);
    else if (type === 'date') columns.push([column, DateTime.fromISO(String(value), { zone: 'UTC' }).plus({ years: 1 }).toISODate()]);
    else if (type === 'timestamp with time zone') columns.push([column, DateTime.fromISO(String(value), { zone: BRUSSELS }).plus({ years: 1 }).toJSDate()]);
    else columns.push([column, value]);
  }
  const shifted = Object.fromEntries(columns);
  columns.push(['year_number', year], ['name_nl', callName(year, String(shifted.project_start), String(shifted.project_end))], ['state', 'draft']);
  return columns;
}

/** What publishing needs to know beyond the call itself. */
export interface PublicationFacts {
  /** Funded actions without a KPI line with an amount above 0. */
  fundedActionsWithoutAmount: { number: number; titleNl: string }[];
  /** Whether statistics are imported for the call's reference year and origin definition. */
  statisticsExist: boolean;
}

const startOfDay = (date: string) => DateTime.fromISO(date, { zone: BRUSSELS }).toJSDate();

/**
 * Why a draft call cannot be published yet: each missing or inconsistent item under the setting it concerns, in Dutch.
 * Empty: the call is complete. Dates in order: the window opens before it closes, closes before the project starts (and
 * before the decision, when set), the project ends after it starts, an interim report falls within the project and the
 * final report after it. The decision letters' signatory and means of appeal are set.
 */
export function publicationRefusals(call: Call, facts: PublicationFacts): Record<string, string[]> {
  const errors: Record<string, string[]> = {};
  const add = (field: string, message: string) => (errors[field] ??= []).push(message);
  if (call.submissionClosesAt <= call.submissionOpensAt) add('submissionCloses', 'De indientermijn sluit na de opening.');
  if (startOfDay(call.projectStart) <= call.submissionClosesAt) add('projectStart', 'Het project start na het sluiten van de indientermijn.');
  if (call.decisionDate !== null && startOfDay(call.decisionDate) <= call.submissionOpensAt)
    add('decisionDate', 'De beslissing valt na de opening van de indientermijn.');
  if (call.projectEnd <= call.projectStart) add('projectEnd', 'De projectperiode eindigt na de start.');
  if (call.interimReportDueAt !== null && (call.interimReportDueAt <= startOfDay(call.projectStart) || call.interimReportDueAt >= startOfDay(call.projectEnd)))
    add('interimReportDue', 'De tussentijdse rapportering valt binnen de projectperiode.');
  if (call.finalReportDueAt !== null && call.finalReportDueAt <= startOfDay(call.projectEnd))
    add('finalReportDue', 'De eindrapportering valt na het einde van de projectperiode.');
  if (call.budgetCents === null || call.budgetCents <= 0) add('budgetEuro', 'Geef het budget van de oproep.');
  // A decision letter holds up as a decision only when it names who decides and how it can be contested (docs/letters.md).
  if (!call.signatoryName?.trim()) add('signatoryName', 'Geef de naam van wie de beslissingsbrieven ondertekent.');
  if (!call.signatoryFunction?.trim()) add('signatoryFunction', 'Geef de functie van wie de beslissingsbrieven ondertekent.');
  if (!call.appealText?.trim()) add('appealText', 'Geef de beroepsmogelijkheden die in elke beslissingsbrief staan.');
  if (!facts.statisticsExist)
    add(
      'statisticsReferenceYear',
      `Er zijn geen statistieken voor ${call.statisticsReferenceYear} (${call.originDefinition}): importeer ze of kies een ander referentiejaar.`,
    );
  for (const action of facts.fundedActionsWithoutAmount)
    add('menu', `Actie ${action.number} (${action.titleNl}) wordt gefinancierd maar heeft geen KPI-lijn met een bedrag per eenheid.`);
  return errors;
}

/** The one step a call may take from each state: draft → published → closed. */
export const NEXT_STATE: Record<CallState, CallState | null> = { draft: 'published', published: 'closed', closed: null };
