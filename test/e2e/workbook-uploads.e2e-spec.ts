import { hostileWorkbook } from '../support/hostile-workbook';
import ExcelJS from 'exceljs';
import request from 'supertest';
import { brusselsLocal } from '@ps/applications';
import { binary } from '../support/binary';
import { ApprovedFixture, CallFixture, Factories, startFactories } from '../support/factories';
import { Agent, csrfFrom, signIn } from '../support/sessions';
import { snapshot } from '../support/test-app';

const TABLES = ['kpi_report', 'kpi_report_line', 'kpi_report_evidence', 'audit_event'];
const PASSWORD = 'een lang wachtwoord voor tests';

/** Issue 23: a workbook carries the version it was made from; a stale, forged or hostile one changes nothing. */
describe('KPI report workbooks: stale, forged and hostile uploads', () => {
  let f: Factories;
  let call: CallFixture;
  let app: ApprovedFixture;
  let token: string;
  let page: Agent;
  const as = (secret: string) => ({ Authorization: `Bearer ${secret}` });
  const reportUrl = () => `/aanvragen/${app.id}/rapporten/interim`;
  const apiUrl = () => `/api/v1/applications/${app.id}/reports/interim`;
  const download = async () => (await request(f.http).get(`${apiUrl()}/workbook`).set(as(token)).buffer(true).parse(binary).expect(200)).body as Buffer;
  const upload = (file: Buffer) => request(f.http).post(`${apiUrl()}/workbook`).set(as(token)).attach('workbook', file, 'rapport.xlsx');
  const unchangedBy = async (act: () => Promise<void>) => {
    const before = await snapshot(f.dataSource, TABLES);
    await act();
    expect(await snapshot(f.dataSource, TABLES)).toEqual(before);
  };
  /** The workbook as an officer edits it in Excel: the report's cells, or (mischief) the very hidden marker sheet. */
  const edited = async (file: Buffer, edit: (report: ExcelJS.Worksheet, marker: ExcelJS.Worksheet) => void) => {
    const workbook = new ExcelJS.Workbook();
    await workbook.xlsx.load(file as unknown as ArrayBuffer);
    edit(workbook.getWorksheet('Rapport')!, workbook.getWorksheet('Meta')!);
    return Buffer.from(await workbook.xlsx.writeBuffer());
  };
  /** Fills the quantity (E) and approach (F) of the row of KPI line `kpiLineId`. */
  const fill = (values: Record<number, [number, string]>) => (sheet: ExcelJS.Worksheet) =>
    sheet.eachRow((row, number) => {
      const value = values[row.getCell(1).value as number];
      if (number >= 8 && value) [row.getCell(5).value, row.getCell(6).value] = value;
    });
  const saveByForm = async (fields: Record<string, string>) => {
    const form = await page.get(reportUrl()).expect(200);
    const version = /name="version" value="(\d+)"/.exec(form.text)![1];
    await page
      .post(reportUrl())
      .type('form')
      .send({ _csrf: csrfFrom(form.text), version, action: 'save', ...fields })
      .expect(303);
  };
  const line5 = () => call.line(5).id;
  const line2 = () => call.line(2).id;

  beforeAll(async () => {
    f = await startFactories({ http: true });
    call = await f.aCall({ settings: { interimReportDue: brusselsLocal(new Date(Date.now() + 20 * 86_400_000)).slice(0, 16) } });
    app = await f.anApprovedApplication(call, {
      lines: [
        { action: 5, planned: 10 },
        { action: 2, planned: 1 },
      ],
    });
    token = await f.bearer(app.applicant.officer);
    page = await signIn(f, `medewerker-${app.applicant.lead.nisCode}@service.test`, PASSWORD);
  });
  afterAll(() => f?.close());

  it('refuses a workbook downloaded before a save through the web form (409), naming what changed, and stores nothing', async () => {
    const monday = await download();
    await saveByForm({ [`realisedQuantity-${line5()}`]: '7', [`approach-${line5()}`]: 'Taalcafé op dinsdag' });
    const wednesday = await edited(monday, fill({ [line5()]: [3, 'Iets anders'], [line2()]: [1, 'Stuurgroep'] }));

    await unchangedBy(async () => {
      const api = await upload(wednesday).expect(409);
      expect(api.body).toMatchObject({ code: 'stale_version', downloadedVersion: 1, currentVersion: 2, freshWorkbookUrl: `${apiUrl()}/workbook` });
      expect(api.body.message).toContain('Dit Excel-bestand is gemaakt van versie 1 van het rapport; nu is het versie 2.');
      expect(api.body.message).toContain('Gerealiseerd: leeg → 7');
      expect(api.body.message).toContain('Aanpak: leeg → "Taalcafé op dinsdag"');
      expect(api.body.errors.workbook).toEqual([api.body.message]);
      expect(api.body.changes).toEqual([
        { kpiLineId: line5(), line: expect.stringMatching(/^Actie 5\. /), field: 'realisedQuantity', label: 'Gerealiseerd', before: 'leeg', after: '7' },
        { kpiLineId: line5(), line: expect.stringMatching(/^Actie 5\. /), field: 'approach', label: 'Aanpak', before: 'leeg', after: '"Taalcafé op dinsdag"' },
      ]);

      const form = await page.get(reportUrl()).expect(200);
      const web = await page.post(`${reportUrl()}/excel`).field('_csrf', csrfFrom(form.text)).attach('workbook', wednesday, 'rapport.xlsx').expect(409);
      expect(web.text).toContain('Gerealiseerd: leeg → 7');
      expect(web.text).toContain(`id="fresh-workbook" href="${reportUrl()}/excel"`);
    });

    // The fresh workbook shows the colleague's values and is taken.
    const fresh = await download();
    const saved = (await upload(await edited(fresh, fill({ [line2()]: [1, 'Stuurgroep'] }))).expect(200)).body;
    expect(saved.version).toBe(3);
    expect(saved.lines.find((l: { kpiLineId: number }) => l.kpiLineId === line5())).toMatchObject({ realisedQuantity: 7, approach: 'Taalcafé op dinsdag' });
  });

  it('refuses a workbook whose version was changed or removed in the hidden sheet (422), and stores nothing', async () => {
    const file = await download();
    const downloaded = (await request(f.http).get(apiUrl()).set(as(token)).expect(200)).body.version;
    await saveByForm({
      [`realisedQuantity-${line2()}`]: '1',
      [`approach-${line2()}`]: 'Stuurgroep',
      [`motivation-${line2()}`]: 'Goedgekeurd door de gemeenteraad.',
    });
    const current = (await request(f.http).get(apiUrl()).set(as(token)).expect(200)).body.version;
    expect(current).toBe(downloaded + 1);
    const message = 'Dit bestand vermeldt niet (of niet ongewijzigd) op welke versie van het rapport het gebaseerd is.';
    await unchangedBy(async () => {
      const forged = await edited(file, (sheet, marker) => {
        fill({ [line5()]: [1, 'Overschreven'] })(sheet);
        marker.getCell('B4').value = current;
      });
      expect((await upload(forged).expect(422)).body.errors.workbook[0]).toContain(message);
      const missing = await edited(file, (_, marker) => marker.spliceRows(4, 1));
      expect((await upload(missing).expect(422)).body.errors.workbook[0]).toContain(message);
      const resealed = await edited(file, (_, marker) => (marker.getCell('B5').value = 'f'.repeat(64)));
      expect((await upload(resealed).expect(422)).body.errors.workbook[0]).toContain(message);
    });
  });

  it('refuses a workbook of a million empty rows before reading it, and stores nothing', async () => {
    const hostile = hostileWorkbook(1_000_000);
    expect(hostile.length).toBeLessThan(64 * 1024);
    await unchangedBy(async () => {
      const res = await upload(hostile).expect(422);
      expect(res.body.errors.workbook).toEqual(['Het bestand is te groot voor een rapport: hoogstens 1.000 rijen en 50 kolommen per werkblad.']);
    });
  });

  it('takes one upload per user at a time: a second one while the first is read gets 429 with Retry-After', async () => {
    const heavy = await edited(await download(), (sheet) => {
      for (let row = 20; row < 1_000; row++) for (let column = 10; column <= 50; column++) sheet.getCell(row, column).value = `nota ${row}.${column}`;
    });
    const first = upload(heavy).then((res) => res);
    await new Promise((resolve) => setTimeout(resolve, 150));
    const second = await upload(await download());
    expect(second.status).toBe(429);
    expect(second.headers['retry-after']).toBe('5');
    expect(second.body.message).toBe('U laadt al een Excel-bestand op. Wacht tot dat verwerkt is en probeer dan opnieuw.');
    expect((await first).status).toBe(200);
    // Afterwards the same user may upload again.
    await upload(await download()).expect(200);
  });
});
