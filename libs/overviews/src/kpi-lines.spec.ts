import { csvCell, csvEuro, csvLine } from '@ps/kernel';
import { KPI_LINES_QUERY, kpiLinesCopyStatement, kpiLinesParams } from './kpi-lines';
import { overviewFilter } from './overview-filter.dto';

describe('the KPI lines query', () => {
  it('takes its parameters in the documented order', () => {
    const filter = overviewFilter({ year: 2, objective: 'werk', action: 9, province: 'Antwerpen', region: 'demo-gent' });
    expect(kpiLinesParams(filter, 7, 30)).toEqual([2, 'werk', 9, 'Antwerpen', 'demo-gent', 7, 30]);
    expect(kpiLinesParams(overviewFilter({}), null, null)).toEqual([null, null, null, null, null, null, null]);
    expect(KPI_LINES_QUERY).toContain('$7');
    expect(KPI_LINES_QUERY).not.toContain('$8');
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
