import { ImportRejected } from './csv-import';
import { validateRegions, validateStatistics } from './statistics-import';

const known = new Set(['11002', '44021', '12021']);
const header = 'nis_code,reference_year,origin_definition,residents';

function problems(run: () => unknown): { line: number; message: string }[] {
  try {
    run();
  } catch (error) {
    if (error instanceof ImportRejected) return error.problems;
    throw error;
  }
  throw new Error('expected the import to be rejected');
}

describe('statistics CSV validation', () => {
  it('accepts a well-formed file', () => {
    const rows = validateStatistics(`${header}\n11002,2022,niet-EU-14,151234\n44021,2022,niet-EU-14,0\n`, known);
    expect(rows).toEqual([
      { nisCode: '11002', referenceYear: 2022, originDefinition: 'niet-EU-14', residents: 151234 },
      { nisCode: '44021', referenceYear: 2022, originDefinition: 'niet-EU-14', residents: 0 },
    ]);
  });

  it('reports every bad line with its line number', () => {
    const csv = [
      header,
      '11002,2022,niet-EU-14,100',
      '99999,2022,niet-EU-14,5',
      '44021,2022,niet-EU-14,-3',
      '12021,2022,niet-EU-14,2.5',
      '11002,2022,niet-EU-14,7',
      '4402,2022,EU,1',
    ].join('\n');
    expect(problems(() => validateStatistics(csv, known))).toEqual([
      { line: 3, message: 'onbekende NIS-code 99999: geen Vlaamse gemeente' },
      { line: 4, message: 'aantal inwoners "-3" moet een geheel getal van 0 of meer zijn' },
      { line: 5, message: 'aantal inwoners "2.5" moet een geheel getal van 0 of meer zijn' },
      { line: 6, message: 'dubbel: dezelfde NIS-code, hetzelfde jaar en dezelfde definitie staan al op regel 2' },
      { line: 7, message: 'NIS-code "4402" moet uit 5 cijfers bestaan' },
      { line: 7, message: 'herkomstdefinitie "EU" moet de vorm niet-EU-14 hebben' },
    ]);
  });

  it('finds a duplicate however its year is written, and refuses figures the database cannot hold', () => {
    const csv = [header, '11002,2022,niet-EU-14,100', '11002,02022,niet-EU-14,101', '44021,2022,niet-EU-14,2147483648'].join('\n');
    expect(problems(() => validateStatistics(csv, known))).toEqual([
      { line: 3, message: 'dubbel: dezelfde NIS-code, hetzelfde jaar en dezelfde definitie staan al op regel 2' },
      { line: 4, message: 'aantal inwoners "2147483648" moet een geheel getal van 0 tot 2.147.483.647 zijn' },
    ]);
  });

  it('refuses a wrong header, a short row and an empty file', () => {
    expect(problems(() => validateStatistics('nis,year\n11002,2022', known))[0].line).toBe(1);
    expect(problems(() => validateStatistics(`${header}\n11002,2022`, known))).toEqual([{ line: 2, message: 'verwacht 4 kolommen, gevonden 2' }]);
    expect(problems(() => validateStatistics('', known))).toEqual([{ line: 1, message: 'het bestand is leeg' }]);
  });
});

describe('reference-region CSV validation', () => {
  it('refuses a municipality twice and a region with two names', () => {
    const csv = [
      'nis_code,region_code,region_name_nl',
      '11002,antwerpen,Regio Antwerpen',
      '11002,antwerpen,Regio Antwerpen',
      '12021,antwerpen,Antwerpen-Zuid',
      '44021,Gent!,Gent',
    ].join('\n');
    expect(problems(() => validateRegions(csv, known)).map((p) => p.line)).toEqual([3, 4, 5]);
  });

  it('refuses control characters in a region name per line, before the database could', () => {
    const csv = ['nis_code,region_code,region_name_nl', '11002,antwerpen,Regio\u0000Antwerpen', '44021,gent,Gent'].join('\n');
    expect(problems(() => validateRegions(csv, known)).map((p) => `${p.line}: ${p.message}`)).toEqual(['2: regionaam bevat ongeldige tekens (stuurtekens)']);
  });
});
