import { hasInvalidCharacters } from '@ps/kernel';
import { CsvRow, ImportProblem, ImportRejected, parseWholeNumber, readCsv } from './csv-import';

export const STATISTICS_COLUMNS = ['nis_code', 'reference_year', 'origin_definition', 'residents'];
export const REGION_COLUMNS = ['nis_code', 'region_code', 'region_name_nl'];

export interface StatisticRow {
  nisCode: string;
  referenceYear: number;
  originDefinition: string;
  residents: number;
}

export interface RegionRow {
  nisCode: string;
  regionCode: string;
  regionNameNl: string;
}

const ORIGIN_DEFINITION = /^niet-EU-\d{1,2}$/;
const REGION_CODE = /^[a-z0-9][a-z0-9-]{0,39}$/;
/** The limits of the columns written (origin_statistic.residents integer, reference_region.name_nl varchar(200)): checked here so no import ends on a database error. */
const MAX_RESIDENTS = 2_147_483_647;
const MAX_REGION_NAME = 200;

/** Validates a statistics CSV against the known NIS codes; every bad line is reported, or none is returned. */
export function validateStatistics(content: string | Buffer, knownNisCodes: Set<string>): StatisticRow[] {
  const problems: ImportProblem[] = [];
  const seen = new Map<string, number>();
  const result = readCsv(content, STATISTICS_COLUMNS).map(({ line, values }) => {
    const report = (message: string) => problems.push({ line, message });
    checkNis(values.nis_code, knownNisCodes, report);
    const referenceYear = parseWholeNumber(values.reference_year);
    if (referenceYear === null || referenceYear < 1990 || referenceYear > 2100) report(`referentiejaar "${values.reference_year}" is geen jaartal`);
    if (!ORIGIN_DEFINITION.test(values.origin_definition)) report(`herkomstdefinitie "${values.origin_definition}" moet de vorm niet-EU-14 hebben`);
    const residents = parseWholeNumber(values.residents);
    if (residents === null) report(`aantal inwoners "${values.residents}" moet een geheel getal van 0 of meer zijn`);
    else if (residents > MAX_RESIDENTS) report(`aantal inwoners "${values.residents}" moet een geheel getal van 0 tot 2.147.483.647 zijn`);
    // The key as the database sees it: 2022 and 02022 are the same year.
    const key = `${values.nis_code}|${referenceYear ?? values.reference_year}|${values.origin_definition}`;
    if (seen.has(key)) report(`dubbel: dezelfde NIS-code, hetzelfde jaar en dezelfde definitie staan al op regel ${seen.get(key)}`);
    else seen.set(key, line);
    return { nisCode: values.nis_code, referenceYear: referenceYear ?? 0, originDefinition: values.origin_definition, residents: residents ?? 0 };
  });
  if (problems.length > 0) throw new ImportRejected(problems);
  return result;
}

/** Validates a reference-region CSV: each municipality once, each region code with one name. */
export function validateRegions(content: string | Buffer, knownNisCodes: Set<string>): RegionRow[] {
  const problems: ImportProblem[] = [];
  const seenNis = new Map<string, number>();
  const regionNames = new Map<string, string>();
  const result = readCsv(content, REGION_COLUMNS).map(({ line, values }: CsvRow) => {
    const report = (message: string) => problems.push({ line, message });
    checkNis(values.nis_code, knownNisCodes, report);
    if (seenNis.has(values.nis_code)) report(`dubbel: NIS-code ${values.nis_code} staat al op regel ${seenNis.get(values.nis_code)}`);
    else seenNis.set(values.nis_code, line);
    if (!REGION_CODE.test(values.region_code)) report(`regiocode "${values.region_code}" mag enkel kleine letters, cijfers en koppeltekens bevatten`);
    if (!values.region_name_nl) report('regionaam ontbreekt');
    else if (values.region_name_nl.length > MAX_REGION_NAME) report(`regionaam is langer dan ${MAX_REGION_NAME} tekens`);
    else if (hasInvalidCharacters(values.region_name_nl)) report('regionaam bevat ongeldige tekens (stuurtekens)');
    const knownName = regionNames.get(values.region_code);
    if (knownName !== undefined && knownName !== values.region_name_nl) report(`regio ${values.region_code} heeft elders de naam "${knownName}"`);
    regionNames.set(values.region_code, knownName ?? values.region_name_nl);
    return { nisCode: values.nis_code, regionCode: values.region_code, regionNameNl: values.region_name_nl };
  });
  if (problems.length > 0) throw new ImportRejected(problems);
  return result;
}

function checkNis(nisCode: string, known: Set<string>, report: (message: string) => void) {
  if (!/^\d{5}$/.test(nisCode)) report(`NIS-code "${nisCode}" moet uit 5 cijfers bestaan`);
  else if (!known.has(nisCode)) report(`onbekende NIS-code ${nisCode}: geen Vlaamse gemeente`);
}
