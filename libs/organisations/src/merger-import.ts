import { DateTime } from 'luxon';
import { hasInvalidCharacters } from '@ps/kernel';
import { ImportProblem, ImportRejected, readCsv } from './csv-import';

/** The columns of a merger table, as in ../shared/data/flemish-municipal-mergers-2025.csv (docs/calls.md, municipal mergers). */
export const MERGER_COLUMNS = ['effective_date', 'old_nis_code', 'old_name_nl', 'new_nis_code', 'new_name_nl', 'new_arrondissement_nl', 'new_province_nl'];

/** A municipality as the merger rule needs to know it; dates are YYYY-MM-DD, null = open. */
export interface KnownMunicipality {
  id: number;
  nisCode: string;
  nameNl: string;
  arrondissementNl: string | null;
  provinceNl: string | null;
  inhabitants2020: number | null;
  facilityMunicipality: boolean;
  validFrom: string | null;
  validUntil: string | null;
  successorId: number | null;
}

/** One successor to create, and the predecessors that end the day before it starts. */
export interface PlannedSuccessor {
  nisCode: string;
  nameNl: string;
  arrondissementNl: string;
  provinceNl: string;
  validFrom: string;
  /** The day before validFrom: the predecessors' last day. */
  predecessorsUntil: string;
  /** The predecessors' legal population of 2020 summed: the successor's territory in 2020 (null when one is unknown). */
  inhabitants2020: number | null;
  facilityMunicipality: boolean;
  predecessorIds: number[];
}

const MAX_NAME = 200;
const MAX_PLACE = 100;

/** Whether a municipality exists on a day (YYYY-MM-DD). */
export function validOn(m: { validFrom: string | null; validUntil: string | null }, day: string): boolean {
  return (m.validFrom === null || m.validFrom <= day) && (m.validUntil === null || m.validUntil >= day);
}

/** The municipality that had this NIS code on the day, else the latest that had it (null: none ever had it). */
export function municipalityForDay<T extends { nisCode: string; validFrom: string | null; validUntil: string | null }>(
  known: T[],
  nisCode: string,
  day: string,
): T | null {
  const withCode = known.filter((m) => m.nisCode === nisCode);
  return withCode.find((m) => validOn(m, day)) ?? withCode.sort((a, b) => (b.validFrom ?? '').localeCompare(a.validFrom ?? ''))[0] ?? null;
}

/** The day before a YYYY-MM-DD date. */
export function dayBefore(day: string): string {
  return DateTime.fromISO(day, { zone: 'utc' }).minus({ days: 1 }).toISODate()!;
}

/**
 * Checks a merger table against the municipalities the platform knows and plans what changes; every bad line is
 * reported, or nothing is planned. Lines already applied (the predecessor ended the day before, with this successor)
 * are left out, so the shipped 2025 table can be applied at every start.
 */
export function planMergers(content: string | Buffer, known: KnownMunicipality[]): PlannedSuccessor[] {
  const problems: ImportProblem[] = [];
  const byId = new Map(known.map((m) => [m.id, m]));
  const seenOld = new Map<string, number>();
  const groups = new Map<string, { line: number; values: Record<string, string>; predecessor: KnownMunicipality | null; applied: boolean }[]>();

  for (const { line, values } of readCsv(content, MERGER_COLUMNS)) {
    const report = (message: string) => problems.push({ line, message });
    const date = values.effective_date;
    const dateOk = /^\d{4}-\d{2}-\d{2}$/.test(date) && DateTime.fromISO(date, { zone: 'utc' }).isValid;
    if (!dateOk) report(`datum "${date}" moet een bestaande datum JJJJ-MM-DD zijn`);
    for (const column of ['old_nis_code', 'new_nis_code']) {
      if (!/^\d{5}$/.test(values[column])) report(`NIS-code "${values[column]}" (${column}) moet uit 5 cijfers bestaan`);
    }
    checkText(values.new_name_nl, 'nieuwe naam', MAX_NAME, report);
    checkText(values.new_arrondissement_nl, 'arrondissement', MAX_PLACE, report);
    checkText(values.new_province_nl, 'provincie', MAX_PLACE, report);
    if (seenOld.has(values.old_nis_code)) report(`dubbel: NIS-code ${values.old_nis_code} staat al op regel ${seenOld.get(values.old_nis_code)}`);
    else seenOld.set(values.old_nis_code, line);

    let predecessor: KnownMunicipality | null = null;
    let applied = false;
    if (dateOk && /^\d{5}$/.test(values.old_nis_code)) {
      const lastDay = dayBefore(date);
      predecessor = known.find((m) => m.nisCode === values.old_nis_code && validOn(m, lastDay)) ?? null;
      if (!predecessor) report(`geen gemeente met NIS-code ${values.old_nis_code} op ${lastDay}`);
      else if (predecessor.nameNl !== values.old_name_nl) report(`NIS-code ${values.old_nis_code} is ${predecessor.nameNl}, niet "${values.old_name_nl}"`);
      else if (predecessor.validUntil !== null) {
        const successor = predecessor.successorId === null ? undefined : byId.get(predecessor.successorId);
        applied = predecessor.validUntil === lastDay && successor?.nisCode === values.new_nis_code && successor.validFrom === date;
        if (!applied) report(`${predecessor.nameNl} bestaat maar tot ${predecessor.validUntil}`);
      }
    }
    const group = groups.get(values.new_nis_code) ?? [];
    group.push({ line, values, predecessor, applied });
    groups.set(values.new_nis_code, group);
  }

  const planned: PlannedSuccessor[] = [];
  for (const [nisCode, group] of groups) {
    const [first] = group;
    for (const row of group.slice(1)) {
      for (const column of ['effective_date', 'new_name_nl', 'new_arrondissement_nl', 'new_province_nl']) {
        if (row.values[column] !== first.values[column]) {
          problems.push({
            line: row.line,
            message: `${column} "${row.values[column]}" verschilt van regel ${first.line} voor dezelfde nieuwe NIS-code ${nisCode}`,
          });
        }
      }
    }
    // The checks of the whole group only once its lines are right.
    if (group.some((row) => problems.some((problem) => problem.line === row.line))) continue;
    if (group.every((row) => row.applied)) continue;
    if (group.some((row) => row.applied)) {
      problems.push({ line: first.line, message: `de fusie tot NIS-code ${nisCode} is al deels verwerkt` });
      continue;
    }
    const date = first.values.effective_date;
    const predecessors = group.map((row) => row.predecessor!);
    const taken = known.find((m) => m.nisCode === nisCode && validOn(m, date) && !predecessors.includes(m));
    if (taken) problems.push({ line: first.line, message: `NIS-code ${nisCode} is op ${date} nog van ${taken.nameNl}` });
    if (known.some((m) => m.nisCode === nisCode && m.validFrom === date))
      problems.push({ line: first.line, message: `NIS-code ${nisCode} bestaat al vanaf ${date}` });
    // Arrondissement and province follow the first two digits of the NIS code.
    const neighbour = known.find((m) => m.nisCode.slice(0, 2) === nisCode.slice(0, 2) && validOn(m, dayBefore(date)) && !predecessors.includes(m));
    if (neighbour && (neighbour.arrondissementNl !== first.values.new_arrondissement_nl || neighbour.provinceNl !== first.values.new_province_nl)) {
      problems.push({
        line: first.line,
        message: `NIS-code ${nisCode} hoort bij arrondissement ${neighbour.arrondissementNl} (${neighbour.provinceNl}), zoals ${neighbour.nameNl}`,
      });
    }
    planned.push({
      nisCode,
      nameNl: first.values.new_name_nl,
      arrondissementNl: first.values.new_arrondissement_nl,
      provinceNl: first.values.new_province_nl,
      validFrom: date,
      predecessorsUntil: dayBefore(date),
      inhabitants2020: predecessors.some((m) => m.inhabitants2020 === null) ? null : predecessors.reduce((sum, m) => sum + m.inhabitants2020!, 0),
      facilityMunicipality: predecessors.some((m) => m.facilityMunicipality),
      predecessorIds: predecessors.map((m) => m.id),
    });
  }
  if (problems.length > 0) throw new ImportRejected(problems.sort((a, b) => a.line - b.line));
  return planned;
}

function checkText(text: string, label: string, max: number, report: (message: string) => void) {
  if (!text) report(`${label} ontbreekt`);
  else if (text.length > max) report(`${label} is langer dan ${max} tekens`);
  else if (hasInvalidCharacters(text)) report(`${label} bevat ongeldige tekens (stuurtekens)`);
}
