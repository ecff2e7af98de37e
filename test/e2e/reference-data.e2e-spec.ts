import { OrganisationsService } from '@ps/organisations';
import { SetupService } from '@ps/setup';
import { snapshot, startTestApp, TestApp } from '../support/test-app';

const TABLES = [
  'objective',
  'action',
  'call',
  'call_action',
  'kpi_line',
  'local_government',
  'reference_region',
  'reference_region_member',
  'origin_statistic',
  'app_user',
  'applicant',
  'applicant_member',
];

describe('reference data, demo data and statistics imports', () => {
  let t: TestApp;
  beforeAll(async () => (t = await startTestApp()));
  afterAll(() => t.close());

  it('loads reference and demo data once: loading them again changes nothing', async () => {
    const before = await snapshot(t.dataSource, TABLES);
    await t.app.get(SetupService).loadReferenceData();
    await t.app.get(SetupService).loadDemoData();
    expect(await snapshot(t.dataSource, TABLES)).toEqual(before);
    expect(before.app_user.length).toBeGreaterThanOrEqual(5);
    expect(before.applicant).toHaveLength(5);
  });

  it('never overwrites what an administrator changed', async () => {
    await t.dataSource.query(
      `UPDATE kpi_line SET unit_amount_cents = 1250000 WHERE call_id = (SELECT id FROM call WHERE year_number = 1) AND action_number = 2`,
    );
    await t.app.get(SetupService).loadReferenceData();
    const [line] = await t.dataSource.query(
      `SELECT unit_amount_cents FROM kpi_line WHERE call_id = (SELECT id FROM call WHERE year_number = 1) AND action_number = 2`,
    );
    expect(Number(line.unit_amount_cents)).toBe(1250000);
  });

  it('labels demo statistics and regions as fictional', async () => {
    const [stats] = await t.dataSource.query(`SELECT count(*) AS n, bool_and(fictional) AS fictional FROM origin_statistic`);
    expect(Number(stats.n)).toBe(600);
    expect(stats.fictional).toBe(true);
    const regions = await t.dataSource.query(`SELECT name_nl, fictional FROM reference_region`);
    expect(regions.every((r: { name_nl: string; fictional: boolean }) => r.fictional && r.name_nl.includes('fictief'))).toBe(true);
  });

  it('rejects a malformed statistics CSV with line-numbered errors and leaves the database unchanged', async () => {
    const before = await snapshot(t.dataSource, TABLES);
    const csv = [
      'nis_code,reference_year,origin_definition,residents',
      '44021,2022,niet-EU-14,40000',
      '99999,2022,niet-EU-14,10',
      '11002,2022,niet-EU-14,-1',
      '12021,2022,niet-EU-14,12.5',
      '44021,2022,niet-EU-14,41000',
    ].join('\n');
    await expect(t.app.get(OrganisationsService).importStatistics(csv)).rejects.toMatchObject({
      problems: [
        { line: 3, message: expect.stringContaining('99999') },
        { line: 4, message: expect.stringContaining('-1') },
        { line: 5, message: expect.stringContaining('12.5') },
        { line: 6, message: expect.stringContaining('regel 2') },
      ],
    });
    expect(await snapshot(t.dataSource, TABLES)).toEqual(before);
  });

  it('imports official statistics, replacing fictional figures for the same year', async () => {
    const csv = 'nis_code,reference_year,origin_definition,residents\n44021,2022,niet-EU-14,40123\n11002,2022,niet-EU-14,150000\n';
    expect(await t.app.get(OrganisationsService).importStatistics(csv)).toBe(2);
    const rows = await t.dataSource.query(
      `SELECT lg.nis_code, s.residents, s.fictional FROM origin_statistic s JOIN local_government lg ON lg.id = s.local_government_id
        WHERE s.reference_year = 2022 AND lg.nis_code IN ('44021', '11002') ORDER BY lg.nis_code`,
    );
    expect(rows).toEqual([
      { nis_code: '11002', residents: 150000, fictional: false },
      { nis_code: '44021', residents: 40123, fictional: false },
    ]);
  });

  it('imports reference regions, all lines or none', async () => {
    const service = t.app.get(OrganisationsService);
    const good = 'nis_code,region_code,region_name_nl\n12021,regio-rivierenland,Rivierenland\n12009,regio-rivierenland,Rivierenland\n';
    expect(await service.importRegions(good)).toBe(2);
    const before = await snapshot(t.dataSource, TABLES);
    await expect(service.importRegions('nis_code,region_code,region_name_nl\n12002,regio-rivierenland,Rivierenland\n00000,x,y\n')).rejects.toMatchObject({
      problems: [{ line: 3 }],
    });
    expect(await snapshot(t.dataSource, TABLES)).toEqual(before);
  });
});
