import ExcelJS from 'exceljs';
import request from 'supertest';
import { brusselsLocal } from '@ps/applications';
import { INVALID_CHARACTERS } from '@ps/kernel';
import { binary } from '../support/binary';
import { ApprovedFixture, CallFixture, Factories, startFactories } from '../support/factories';
import { snapshot } from '../support/test-app';

const TABLES = ['kpi_report', 'kpi_report_line', 'audit_event'];

/**
 * Issue 23, finding 3: the text rule holds for the cells of an uploaded report workbook too. Excel stores a character it
 * cannot put in XML as an escape (`_x0000_`), which the workbook reader turns back into NUL or a lone surrogate.
 */
describe('report workbooks: the text rule for every cell', () => {
  let f: Factories;
  let call: CallFixture;
  let approved: ApprovedFixture;
  let officer: string;
  const as = (token: string) => ({ Authorization: `Bearer ${token}` });

  beforeAll(async () => {
    f = await startFactories({ http: true });
    call = await f.aCall({ settings: { interimReportDue: brusselsLocal(new Date(Date.now() + 20 * 86_400_000)).slice(0, 16) } });
    approved = await f.anApprovedApplication(call, { lines: [{ action: 5, planned: 10 }] });
    officer = await f.bearer(approved.applicant.officer);
  });
  afterAll(() => f?.close());

  /** The officer's workbook with the line filled in, its motivation cell holding `escape` as Excel writes it. */
  const withEscapedMotivation = async (escape: string): Promise<Buffer> => {
    const download = await request(f.http)
      .get(`/api/v1/applications/${approved.id}/reports/interim/workbook`)
      .set(as(officer))
      .buffer(true)
      .parse(binary)
      .expect(200);
    const workbook = new ExcelJS.Workbook();
    await workbook.xlsx.load(download.body as ArrayBuffer);
    workbook.getWorksheet('Rapport')!.eachRow((row, number) => {
      if (number < 8 || typeof row.getCell(1).value !== 'number') return;
      row.getCell(5).value = 4;
      // exceljs writes the text as it is, so the escape lands in the file as Excel would write the character.
      row.getCell(8).value = `Te weinig${escape} deelnemers`;
    });
    return Buffer.from(await workbook.xlsx.writeBuffer());
  };

  it.each(['_x0000_', '_x0007_', '_xD800_', '_xDC00__xD800_'])('refuses a motivation cell with %s, naming the cell, and imports nothing', async (escape) => {
    const file = await withEscapedMotivation(escape);
    const before = await snapshot(f.dataSource, TABLES);
    const res = await request(f.http)
      .post(`/api/v1/applications/${approved.id}/reports/interim/workbook`)
      .set(as(officer))
      .attach('workbook', file, 'rapport.xlsx');
    expect({ status: res.status, errors: res.body.errors }).toEqual({ status: 422, errors: { workbook: [expect.stringMatching(/^Rapport H\d+: /)] } });
    expect(res.body.errors.workbook[0]).toContain(INVALID_CHARACTERS);
    expect(await snapshot(f.dataSource, TABLES)).toEqual(before);
  });

  it('imports the same workbook with ordinary text', async () => {
    const file = await withEscapedMotivation(', twee verhuisd;');
    await request(f.http)
      .post(`/api/v1/applications/${approved.id}/reports/interim/workbook`)
      .set(as(officer))
      .attach('workbook', file, 'rapport.xlsx')
      .expect(200);
    const [line] = await f.dataSource.query(`SELECT l.motivation FROM kpi_report_line l JOIN kpi_report r ON r.id = l.report_id WHERE r.application_id = $1`, [
      approved.id,
    ]);
    expect(line.motivation).toBe('Te weinig, twee verhuisd; deelnemers');
  });
});
