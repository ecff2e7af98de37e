import ExcelJS from 'exceljs';
import request from 'supertest';
import { binary } from '../support/binary';
import { brusselsLocal } from '@ps/applications';
import { ApprovedFixture, CallFixture, Factories, startFactories } from '../support/factories';
import { ONE_PAGE_PDF } from '../support/pdf';
import { snapshot } from '../support/test-app';

const TABLES = ['kpi_report', 'kpi_report_line', 'audit_event'];

/** Issue 11: the Excel round trip gives exactly the report the web form gives, and a workbook with one bad cell imports nothing. */
describe('KPI report workbooks: download, fill in, upload', () => {
  let f: Factories;
  let call: CallFixture;
  let byForm: ApprovedFixture;
  let byWorkbook: ApprovedFixture;
  let formOfficer: string;
  let workbookOfficer: string;
  const as = (token: string) => ({ Authorization: `Bearer ${token}` });
  const lines = [
    { action: 5, planned: 10 },
    { action: 2, planned: 1 },
  ];
  const values = () => [
    { kpiLineId: call.line(5).id, realisedQuantity: 8, approach: '=Taalcafé', partners: 'Bibliotheek, CVO', motivation: 'Twee deelnemers verhuisd.' },
    { kpiLineId: call.line(2).id, realisedQuantity: 1, approach: 'Stuurgroep', partners: '', motivation: 'Het actieplan is goedgekeurd door de gemeenteraad.' },
  ];
  const download = async (id: number, token: string) =>
    (
      await request(f.http)
        .get(`/api/v1/applications/${id}/reports/interim/workbook`)
        .set(as(token))
        .buffer(true)
        .parse(binary)
        .expect(200)
        .expect('Content-Type', /spreadsheetml/)
    ).body as Buffer;
  /** Fills the data rows (from row 8) by KPI line id in column A, as an officer would in Excel. */
  const filled = async (file: Buffer, fill: (row: ExcelJS.Row, kpiLineId: number) => void) => {
    const workbook = new ExcelJS.Workbook();
    await workbook.xlsx.load(file as unknown as ArrayBuffer);
    const sheet = workbook.getWorksheet('Rapport')!;
    sheet.eachRow((row, number) => {
      if (number >= 8 && typeof row.getCell(1).value === 'number') fill(row, row.getCell(1).value as number);
    });
    return Buffer.from(await workbook.xlsx.writeBuffer());
  };
  const upload = (id: number, token: string, file: Buffer, filename = 'rapport.xlsx') =>
    request(f.http).post(`/api/v1/applications/${id}/reports/interim/workbook`).set(as(token)).attach('workbook', file, filename);
  const storedLines = async (id: number) =>
    f.dataSource.query(
      `SELECT l.kpi_line_id, l.realised_quantity, l.approach, l.partners, l.motivation FROM kpi_report_line l JOIN kpi_report r ON r.id = l.report_id
        WHERE r.application_id = $1 ORDER BY l.kpi_line_id`,
      [id],
    );

  beforeAll(async () => {
    f = await startFactories({ http: true });
    call = await f.aCall({ settings: { interimReportDue: brusselsLocal(new Date(Date.now() + 20 * 86_400_000)).slice(0, 16) } });
    byForm = await f.anApprovedApplication(call, { lines });
    byWorkbook = await f.anApprovedApplication(call, { lines });
    [formOfficer, workbookOfficer] = await Promise.all([f.bearer(byForm.applicant.officer), f.bearer(byWorkbook.applicant.officer)]);
  });
  afterAll(() => f?.close());

  it('refuses a workbook with one bad cell, by sheet, cell and message, and imports nothing', async () => {
    const file = await filled(await download(byWorkbook.id, workbookOfficer), (row, kpiLineId) => {
      const value = values().find((v) => v.kpiLineId === kpiLineId)!;
      row.getCell(5).value = kpiLineId === call.line(5).id ? -1 : value.realisedQuantity;
      row.getCell(6).value = value.approach;
    });
    const before = await snapshot(f.dataSource, TABLES);
    const res = await upload(byWorkbook.id, workbookOfficer, file).expect(422);
    expect(res.body.errors.workbook).toHaveLength(1);
    expect(res.body.errors.workbook[0]).toMatch(/^Rapport E\d+: Geef een geheel aantal van 0 tot 10\.000\.000\.$/);
    expect(await snapshot(f.dataSource, TABLES)).toEqual(before);
  });

  it('refuses a file that is not a workbook, a missing file, and the workbook of another applicant', async () => {
    const before = await snapshot(f.dataSource, TABLES);
    expect((await upload(byWorkbook.id, workbookOfficer, ONE_PAGE_PDF, 'rapport.xlsx').expect(422)).body.errors.workbook).toEqual([
      'Dit is geen Excel-bestand (.xlsx).',
    ]);
    await request(f.http).post(`/api/v1/applications/${byWorkbook.id}/reports/interim/workbook`).set(as(workbookOfficer)).expect(422);
    const formsWorkbook = await download(byForm.id, formOfficer);
    expect((await upload(byWorkbook.id, workbookOfficer, formsWorkbook).expect(422)).body.errors.workbook.join(' ')).toMatch(/andere aanvraag|ander/);
    await upload(byForm.id, workbookOfficer, formsWorkbook).expect(404);
    const oversized = await upload(byWorkbook.id, workbookOfficer, Buffer.alloc(2 * 1024 * 1024 + 10, 0x50));
    expect([413, 422]).toContain(oversized.status);
    expect(await snapshot(f.dataSource, TABLES)).toEqual(before);
  });

  it('stores exactly what the web form stores for the same values', async () => {
    await request(f.http).put(`/api/v1/applications/${byForm.id}/reports/interim`).set(as(formOfficer)).send({ version: 1, lines: values() }).expect(200);
    const file = await filled(await download(byWorkbook.id, workbookOfficer), (row, kpiLineId) => {
      const value = values().find((v) => v.kpiLineId === kpiLineId)!;
      row.getCell(5).value = value.realisedQuantity;
      row.getCell(6).value = value.approach;
      row.getCell(7).value = value.partners;
      row.getCell(8).value = value.motivation;
    });
    const report = (await upload(byWorkbook.id, workbookOfficer, file).expect(200)).body;
    expect(report.version).toBe(2);
    expect(await storedLines(byWorkbook.id)).toEqual(await storedLines(byForm.id));
    // The text that looks like a formula is stored as the text it is.
    expect((await storedLines(byForm.id)).map((l: { approach: string }) => l.approach)).toContain('=Taalcafé');
    // And the workbook downloaded again shows what is stored.
    const again = new ExcelJS.Workbook();
    await again.xlsx.load((await download(byWorkbook.id, workbookOfficer)) as unknown as ArrayBuffer);
    const cells: unknown[] = [];
    again.getWorksheet('Rapport')!.eachRow((row, number) => number >= 8 && cells.push(row.getCell(5).value));
    expect(cells.filter((c) => c !== null && c !== undefined).sort()).toEqual([1, 8]);
  });
});
