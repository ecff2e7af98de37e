import { csvCell, csvEuro, csvLine } from '@ps/kernel';
import {
  KPI_LINE_APPLICATIONS_QUERY,
  KPI_LINES_QUERY,
  KpiLineApplicationDbRow,
  KpiLineCatalogueDbRow,
  kpiLinesCopyStatement,
  kpiLinesOfApplication,
  kpiLinesParams,
  KpiLineTexts,
} from './kpi-lines';
import { overviewFilter } from './overview-filter.dto';

describe('the KPI lines query', () => {
  it('takes its parameters in the documented order', () => {
    const filter = overviewFilter({ year: 2, objective: 'werk', action: 9, province: 'Antwerpen', region: 'demo-gent' });
    expect(kpiLinesParams(filter, 7, 30)).toEqual([2, 'werk', 9, 'Antwerpen', 'demo-gent', 7, 30]);
    expect(kpiLinesParams(overviewFilter({}), null, null)).toEqual([null, null, null, null, null, null, null]);
    expect(KPI_LINES_QUERY).toContain('$7');
    expect(KPI_LINES_QUERY).not.toContain('$8');
    expect(KPI_LINE_APPLICATIONS_QUERY).toContain('$7');
    expect(KPI_LINE_APPLICATIONS_QUERY).not.toContain('$8');
  });

  it('writes the parameters in as literals for COPY, quotes doubled, no parameter left', () => {
    const copy = kpiLinesCopyStatement(overviewFilter({ year: 3, province: "O'Brien'); DROP TABLE x; --" }));
    expect(copy).toMatch(/^COPY \(\nWITH batch AS MATERIALIZED \(/);
    expect(copy).toMatch(/\) TO STDOUT WITH \(FORMAT csv, HEADER\)$/);
    expect(copy).not.toMatch(/\$\d/);
    expect(copy).toContain('a.year = 3::integer');
    expect(copy).toContain("p.province_nl = 'O''Brien''); DROP TABLE x; --'::text");
    expect(copy).toContain('NULL::integer IS NULL OR a.application_id <= NULL::integer');
  });
});

describe("an application's lines from the export's batch query", () => {
  const line9: KpiLineCatalogueDbRow = { kpi_line_id: 9, action_number: 5, action_title_nl: 'Taal', objective_code: 'taal', unit_nl: 'uur' };
  const row = (cents: number | string): KpiLineApplicationDbRow => ({
    application_id: 3,
    year: 2,
    applicant_name_nl: 'Gent',
    local_governments_nl: null,
    provinces_nl: 'Oost-Vlaanderen',
    lines: [[9, 4, cents, null, 2, null]],
  });

  it('names each line from the catalogue and keeps the amounts in cents', () => {
    expect(kpiLinesOfApplication(row('123456'), () => line9)).toEqual([
      {
        applicationId: 3,
        kpiLineId: 9,
        year: 2,
        applicantNameNl: 'Gent',
        localGovernmentsNl: '',
        provincesNl: 'Oost-Vlaanderen',
        actionNumber: 5,
        actionTitleNl: 'Taal',
        objectiveCode: 'taal',
        unitNl: 'uur',
        confirmedQuantity: 4,
        confirmedCents: 123456,
        allocatedCents: null,
        realisedInterim: 2,
        realisedFinal: null,
      },
    ]);
  });

  it('refuses an amount JSON cannot hold exactly rather than round it', () => {
    expect(() => kpiLinesOfApplication(row(JSON.parse('9007199254740993')), () => line9)).toThrow(RangeError);
  });

  it('reads the catalogue once, again when a line is missing, and fails on a line it still does not know', async () => {
    const reads: number[] = [];
    const catalogue = [line9];
    const texts = new KpiLineTexts(async () => {
      reads.push(catalogue.length);
      return [...catalogue];
    });
    await texts.cover([9]);
    await texts.cover([9]);
    expect(reads).toEqual([1]);
    catalogue.push({ ...line9, kpi_line_id: 10 });
    await texts.cover([9, 10]);
    expect(reads).toEqual([1, 2]);
    expect(texts.texts(10).kpi_line_id).toBe(10);
    await texts.cover([11]);
    expect(() => texts.texts(11)).toThrow('KPI line 11 is not in the catalogue');
  });
});

describe('CSV with a comma separator', () => {
  it('quotes commas instead of semicolons, keeps formula protection, and writes amounts with a decimal point', () => {
    expect(csvCell('Gent, Merelbeke', ',')).toBe('"Gent, Merelbeke"');
    expect(csvCell('a;b', ',')).toBe('a;b');
    expect(csvCell('=1+1', ',')).toBe("'=1+1");
    expect(csvCell('-12.50', ',')).toBe('-12.50');
    expect(csvLine(['x', 1, 'y,z'], ',')).toBe('x,1,"y,z"\r\n');
    expect([csvEuro(982_143, '.'), csvEuro(-5, '.')]).toEqual(['9821.43', '-0.05']);
  });
});
