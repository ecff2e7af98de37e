import { ActionsOverview } from './overview';
import { csvCell, csvEuro } from '@ps/kernel';
import { actionsOverviewCsv, filterCells } from './overview-csv';
import { objectivesChartSvg } from './overview-chart';

const overview: ActionsOverview = {
  filters: { year: 1, objective: null, action: 5, province: null, region: null, municipalities: 'as-was' },
  generatedAt: new Date('2026-11-24T20:00:00Z'),
  rows: [
    {
      year: 1,
      actionNumber: 5,
      actionTitleNl: '=HYPERLINK("http://evil")',
      objectiveCode: 'nederlands',
      committedCents: 1_200_005,
      allocatedCents: 982_143,
      localGovernments: 3,
      applicants: 3,
      units: [{ unitNl: 'deelnemer; "volwassen"', committedQuantity: 14, realisedInterim: 2, realisedFinal: 0 }],
    },
  ],
  objectives: [{ code: 'nederlands', nameNl: 'Nederlands <leren>', committedCents: 1_200_005, allocatedCents: 982_143 }],
};

describe('overview CSV', () => {
  it.each([
    ['=1+1', "'=1+1"],
    ['+32 470', "'+32 470"],
    ['-cmd', "'-cmd"],
    ['@SUM(A1)', "'@SUM(A1)"],
    ['\tx', "'\tx"],
    ['-12,50', '-12,50'],
    ['Gent', 'Gent'],
    ['a;b', '"a;b"'],
    ['zei "ja"', '"zei ""ja"""'],
    ['=a;b', `"'=a;b"`],
  ])('protects and quotes %p as %p', (value, cell) => {
    expect(csvCell(value)).toBe(cell);
  });

  it('writes amounts as a Flemish spreadsheet reads them', () => {
    expect([csvEuro(0), csvEuro(5), csvEuro(982_143), csvEuro(-150)]).toEqual(['0,00', '0,05', '9821,43', '-1,50']);
  });

  it('starts with a BOM, names the filters and the generation time, uses semicolons and CRLF', () => {
    const text = [...actionsOverviewCsv(overview)].join('');
    expect(text.startsWith('\uFEFFOverzicht;Per actie per projectjaar\r\n')).toBe(true);
    const lines = text.slice(1).split('\r\n');
    expect(lines[1]).toBe('Filters;projectjaar=1;doelstelling=alle;actie=5;provincie=alle;regio=alle');
    expect(lines[2]).toBe('Gegenereerd;24 november 2026 21:00');
    expect(lines[3]).toBe('');
    expect(lines[4].split(';')[0]).toBe('Projectjaar');
    expect(lines[5]).toBe(`1;5;"'=HYPERLINK(""http://evil"")";nederlands;12000,05;9821,43;3;3;"deelnemer; ""volwassen""";14;2;0`);
    expect(lines[6]).toBe('');
    expect(lines[7]).toBe('Doelstelling;Naam;Vastgelegd (EUR);Toegekend (EUR)');
    expect(lines[8]).toBe('nederlands;Nederlands <leren>;12000,05;9821,43');
    expect(lines[9]).toBe('');
    expect(filterCells({ year: null, objective: null, action: null, province: 'Antwerpen', region: 'demo-gent', municipalities: 'as-was' })).toEqual([
      'projectjaar=alle',
      'doelstelling=alle',
      'actie=alle',
      'provincie=Antwerpen',
      'regio=demo-gent',
    ]);
  });
});

describe('objectives chart', () => {
  it('is an image named by its title and described with the same figures, its text escaped', () => {
    const svg = objectivesChartSvg(overview.objectives);
    expect(svg).toMatch(/^<svg [^>]*role="img" aria-labelledby="chart-objectives-title chart-objectives-desc"/);
    expect(svg).toContain('<title id="chart-objectives-title">Vastgelegd en toegekend bedrag per doelstelling</title>');
    expect(svg).toContain('Nederlands &lt;leren&gt;: vastgelegd €');
    expect(svg).not.toContain('<leren>');
    // The larger amount fills the bar's full width (220), the other its share: 982.143 / 1.200.005 × 220 = 180,06 → 180.
    expect(svg).toContain('width="220" height="14" fill="#1d70b8"');
    expect(svg).toContain('width="180" height="14" fill="#505a5f"');
    // No inline style: the site's Content-Security-Policy would block it.
    expect(svg).not.toContain('style=');
  });

  it('says there is nothing to show without objectives', () => {
    expect(objectivesChartSvg([])).toContain('Geen bedragen met deze filters.');
  });
});
