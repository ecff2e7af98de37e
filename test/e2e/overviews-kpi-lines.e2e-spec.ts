import ExcelJS from 'exceljs';
import request from 'supertest';
import { binary } from '../support/binary';
import { brusselsLocal } from '@ps/applications';
import { KPI_LINES_HEADER, KpiLineDbRow, kpiLineOf, KpiLineRow, kpiLinesInlined, OverviewsService, overviewFilter } from '@ps/overviews';
import { AllocationFixture, threeApprovedAndOnePending } from '../support/allocation-fixture';
import { Factories, startFactories } from '../support/factories';
import { publishByTwo } from '../support/four-eyes';
import { signIn } from '../support/sessions';
import { snapshot } from '../support/test-app';

const DAY = 24 * 3600 * 1000;
const TABLES = ['application', 'application_line', 'allocation_run', 'allocation_share', 'kpi_report', 'kpi_report_line', 'audit_event'];
const text = (res: { on: (event: string, listener: (chunk?: Buffer) => void) => void }, done: (error: Error | null, body: string) => void) => {
  const chunks: Buffer[] = [];
  res.on('data', (chunk) => chunks.push(chunk!));
  res.on('end', () => done(null, Buffer.concat(chunks).toString('utf8')));
};

/**
 * Issue 12: the export of every KPI line behind the figures. The call of `threeApprovedAndOnePending` (units €1.000 for
 * action 5, €500 for action 9), each line by hand:
 *   A: action 5 10 × €1.000 = €10.000, action 9 4 × €500 = €2.000
 *   B: action 9 6 × €500 = €3.000,     action 5 3 × €1.000 = €3.000
 *   C: action 5 1 × €1.000 = €1.000 (its mentorship stimulus is no KPI line); D is not approved: no line.
 * After publication (as in overviews.e2e-spec.ts) A's action 5 line gets €8.928,57, B's action 9 line €2.678,57,
 * C's line €892,86, the priority-2 lines €0. A's accepted interim report realises 2 and 4; B's is submitted, not accepted.
 */
describe('overviews: the KPI lines export (JSON, CSV, XLSX), batched, and the same figures as the overview', () => {
  let f: Factories;
  let fx: AllocationFixture;
  let reviewer: string;
  let analyst: string;
  let officerA: string;
  let officerB: string;
  const start = new Date();
  const as = (token: string) => ({ Authorization: `Bearer ${token}` });
  const json = async (query = '', token = analyst) =>
    JSON.parse((await request(f.http).get(`/api/v1/overviews/kpi-lines${query}`).set(as(token)).buffer(true).parse(text).expect(200)).body as string);
  const csv = async (path: string) => (await request(f.http).get(path).set(as(analyst)).buffer(true).parse(text).expect(200)).body as string;

  type Expected = Pick<KpiLineRow, 'applicantNameNl' | 'actionNumber' | 'confirmedQuantity' | 'confirmedCents' | 'allocatedCents' | 'realisedInterim'>;
  const lineOf = (l: KpiLineRow): Expected => ({
    applicantNameNl: l.applicantNameNl,
    actionNumber: l.actionNumber,
    confirmedQuantity: l.confirmedQuantity,
    confirmedCents: l.confirmedCents,
    allocatedCents: l.allocatedCents,
    realisedInterim: l.realisedInterim,
  });
  /** The lines in the export's order: by application (A, B, C were approved in that order), then KPI line id. */
  const ordered = (lines: (Expected & { key: 'a' | 'b' | 'c'; line: number })[]) =>
    lines.sort((x, y) => fx[x.key].id - fx[y.key].id || fx.call.line(x.line).id - fx.call.line(y.line).id).map(({ key: _key, line: _line, ...rest }) => rest);
  const expected = (published: boolean) =>
    ordered([
      {
        key: 'a',
        line: 5,
        applicantNameNl: fx.a.applicant.nameNl,
        actionNumber: 5,
        confirmedQuantity: 10,
        confirmedCents: 1_000_000,
        allocatedCents: published ? 892_857 : null,
        realisedInterim: published ? 2 : null,
      },
      {
        key: 'a',
        line: 9,
        applicantNameNl: fx.a.applicant.nameNl,
        actionNumber: 9,
        confirmedQuantity: 4,
        confirmedCents: 200_000,
        allocatedCents: published ? 0 : null,
        realisedInterim: published ? 4 : null,
      },
      {
        key: 'b',
        line: 5,
        applicantNameNl: fx.b.applicant.nameNl,
        actionNumber: 5,
        confirmedQuantity: 3,
        confirmedCents: 300_000,
        allocatedCents: published ? 0 : null,
        realisedInterim: null,
      },
      {
        key: 'b',
        line: 9,
        applicantNameNl: fx.b.applicant.nameNl,
        actionNumber: 9,
        confirmedQuantity: 6,
        confirmedCents: 300_000,
        allocatedCents: published ? 267_857 : null,
        realisedInterim: null,
      },
      {
        key: 'c',
        line: 5,
        applicantNameNl: fx.c.applicant.nameNl,
        actionNumber: 5,
        confirmedQuantity: 1,
        confirmedCents: 100_000,
        allocatedCents: published ? 89_286 : null,
        realisedInterim: null,
      },
    ]);

  const report = async (token: string, id: number, lines: object[]) => {
    const url = `/api/v1/applications/${id}/reports/interim`;
    const { version } = (await request(f.http).get(url).set(as(token)).expect(200)).body;
    const saved = (await request(f.http).put(url).set(as(token)).send({ version, lines }).expect(200)).body;
    await request(f.http).post(`${url}/submit`).set(as(token)).send({ version: saved.version }).expect(200);
  };

  beforeAll(async () => {
    f = await startFactories({ http: true, now: start });
    fx = await threeApprovedAndOnePending(f, {
      interimReportDue: brusselsLocal(new Date(start.getTime() + 10 * DAY)).slice(0, 16),
      finalReportDue: brusselsLocal(new Date(start.getTime() + 40 * DAY)).slice(0, 16),
    });
    [reviewer, analyst, officerA, officerB] = await Promise.all([
      f.actors.reviewer().then((x) => f.bearer(x)),
      f.actors.another('vvsg-analyst', 'Vera VVSG').then((x) => f.bearer(x)),
      f.bearer(fx.a.applicant.officer),
      f.bearer(fx.b.applicant.officer),
    ]);
  });
  afterAll(() => f?.close());

  it('gives one line per confirmed KPI line of an approved application; nothing allocated or realised before publication and review', async () => {
    const body = await json(`?year=${fx.call.year}`);
    expect(body.filters).toEqual({ year: fx.call.year, objective: null, action: null, province: null, region: null, municipalities: 'as-was' });
    expect(new Date(body.generatedAt).getTime()).toBeGreaterThan(0);
    expect(body.lines.map(lineOf)).toEqual(expected(false));
    const first = body.lines.find((l: KpiLineRow) => l.applicantNameNl === fx.a.applicant.nameNl && l.actionNumber === 5);
    expect(first).toMatchObject({
      year: fx.call.year,
      localGovernmentsNl: fx.a.applicant.lead.nameNl,
      actionTitleNl: 'Oefenkansen Nederlands organiseren',
      objectiveCode: 'nederlands',
      unitNl: fx.call.line(5).unitNl,
      realisedFinal: null,
    });
    expect(first.provincesNl).not.toBe('');
  });

  it('adds the published allocation per line and the quantities of accepted reports only', async () => {
    const run = (await request(f.http).post(`/api/v1/calls/${fx.call.year}/allocation-runs`).set(as(reviewer)).send({}).expect(201)).body;
    await publishByTwo(f.http, run.id, { confirmPendingReview: true, reason: 'D volgt later' }, reviewer, await f.bearer(await f.actors.administrator()));
    const line5 = fx.call.line(5).id;
    const line9 = fx.call.line(9).id;
    await report(officerA, fx.a.id, [
      { kpiLineId: line5, realisedQuantity: 2, motivation: 'Trager gestart.' },
      { kpiLineId: line9, realisedQuantity: 4 },
    ]);
    const url = `/api/v1/applications/${fx.a.id}/reports/interim`;
    const { version } = (await request(f.http).get(url).set(as(reviewer)).expect(200)).body;
    await request(f.http).post(`${url}/review`).set(as(reviewer)).send({ version, decision: 'accept' }).expect(200);
    await report(officerB, fx.b.id, [
      { kpiLineId: line5, realisedQuantity: 3 },
      { kpiLineId: line9, realisedQuantity: 5, motivation: 'Bijna.' },
    ]);
    expect((await json(`?year=${fx.call.year}`)).lines.map(lineOf)).toEqual(expected(true));
  });

  it('agrees with the overview per action: the lines add up to its amounts and quantities, filter by filter', async () => {
    for (const query of [`?year=${fx.call.year}`, '?action=9', '?objective=nederlands', '?objective=werk&action=5', '?year=98']) {
      const lines: KpiLineRow[] = (await json(query)).lines;
      const overview = (await request(f.http).get(`/api/v1/overviews/actions${query}`).set(as(analyst)).expect(200)).body;
      const sums = overview.rows.map((row: { actionNumber: number }) => {
        const own = lines.filter((l) => l.actionNumber === row.actionNumber);
        return {
          actionNumber: row.actionNumber,
          committedCents: own.reduce((sum, l) => sum + l.confirmedCents, 0),
          allocatedCents: own.reduce((sum, l) => sum + (l.allocatedCents ?? 0), 0),
          applicants: new Set(own.map((l) => l.applicantNameNl)).size,
          units: [
            {
              committedQuantity: own.reduce((sum, l) => sum + l.confirmedQuantity, 0),
              realisedInterim: own.reduce((sum, l) => sum + (l.realisedInterim ?? 0), 0),
            },
          ],
        };
      });
      expect(sums).toEqual(
        overview.rows.map(
          (row: {
            actionNumber: number;
            committedCents: number;
            allocatedCents: number;
            applicants: number;
            units: { committedQuantity: number; realisedInterim: number }[];
          }) => ({
            actionNumber: row.actionNumber,
            committedCents: row.committedCents,
            allocatedCents: row.allocatedCents,
            applicants: row.applicants,
            units: row.units.map((u) => ({ committedQuantity: u.committedQuantity, realisedInterim: u.realisedInterim })),
          }),
        ),
      );
      expect(new Set(lines.map((l) => l.actionNumber))).toEqual(new Set(overview.rows.map((r: { actionNumber: number }) => r.actionNumber)));
    }
    expect((await json('?year=98')).lines).toEqual([]);
    expect((await json('?province=Nergens')).lines).toEqual([]);
    expect((await json("?province=O'Brien")).lines).toEqual([]);
  });

  it('reads in batches with a keyset: any batch size gives the same lines, and the SQL constant gives them too', async () => {
    const service = f.get(OverviewsService);
    const all = async (batch: number) => {
      const lines: KpiLineRow[] = [];
      for await (const read of service.kpiLines({ year: fx.call.year }, batch).batches) lines.push(...read);
      return lines;
    };
    const whole = await all(500);
    expect(whole).toHaveLength(5);
    for (const batch of [1, 2, 4, 5]) expect(await all(batch)).toEqual(whole);
    // The text a benchmark runs through COPY: the same lines, in the same order, with the parameters written in.
    const rows: { application_id: number; kpi_line_id: number; confirmed_cents: string | number }[] = await f.dataSource.query(
      kpiLinesInlined(overviewFilter({ year: fx.call.year, province: "O'Brien" })),
    );
    expect(rows).toEqual([]);
    const inlined: KpiLineDbRow[] = await f.dataSource.query(kpiLinesInlined(overviewFilter({ year: fx.call.year })));
    expect(inlined.map(kpiLineOf)).toEqual(whole);
  });

  it('exports the same lines as CSV (semicolons, or commas on request), naming the filters and the generation time', async () => {
    const lines: KpiLineRow[] = (await json(`?year=${fx.call.year}`)).lines;
    const body = await csv(`/api/v1/overviews/kpi-lines.csv?year=${fx.call.year}`);
    expect(body.charCodeAt(0)).toBe(0xfeff);
    const rows = body.slice(1).split('\r\n');
    expect(rows[0]).toBe('Overzicht;KPI-lijnen van goedgekeurde aanvragen');
    expect(rows[1]).toBe(`Filters;projectjaar=${fx.call.year};doelstelling=alle;actie=alle;provincie=alle;regio=alle`);
    expect(rows[2]).toMatch(/^Gegenereerd;\d{1,2} [a-z]+ \d{4} \d{2}:\d{2}$/);
    expect(rows[3]).toBe('');
    expect(rows[4]).toBe(KPI_LINES_HEADER.join(';'));
    expect(rows.slice(5, -1)).toHaveLength(5);
    expect(rows[rows.length - 1]).toBe('');
    const aLine5 = lines.findIndex((l) => l.applicantNameNl === fx.a.applicant.nameNl && l.actionNumber === 5);
    const cells = rows[5 + aLine5].split(';');
    expect(cells.slice(8, 13)).toEqual(['10', '10000,00', '8928,57', '2', '']);
    expect(cells[1]).toBe(fx.a.applicant.nameNl);
    const bLine5 = lines.findIndex((l) => l.applicantNameNl === fx.b.applicant.nameNl && l.actionNumber === 5);
    expect(rows[5 + bLine5].split(';').slice(8, 13)).toEqual(['3', '3000,00', '0,00', '', '']);

    const comma = (await csv(`/api/v1/overviews/kpi-lines.csv?year=${fx.call.year}&separator=comma`)).slice(1).split('\r\n');
    expect(comma[1]).toBe(`Filters,projectjaar=${fx.call.year},doelstelling=alle,actie=alle,provincie=alle,regio=alle`);
    expect(comma[4]).toBe(KPI_LINES_HEADER.join(','));
    expect(comma[5 + aLine5]).toContain(',10,10000.00,8928.57,2,,');
  });

  it('exports the same lines as an Excel workbook: number and currency cells, a frozen header, an autofilter over the lines', async () => {
    const lines: KpiLineRow[] = (await json(`?year=${fx.call.year}&action=5`)).lines;
    const file = (
      await request(f.http)
        .get(`/api/v1/overviews/kpi-lines.xlsx?year=${fx.call.year}&action=5`)
        .set(as(analyst))
        .buffer(true)
        .parse(binary)
        .expect(200)
        .expect('Content-Type', /spreadsheetml/)
    ).body as Buffer;
    const workbook = new ExcelJS.Workbook();
    await workbook.xlsx.load(file as unknown as ArrayBuffer);
    const sheet = workbook.getWorksheet('KPI-lijnen')!;
    expect(sheet.getCell('A1').value).toBe(`Filters: projectjaar=${fx.call.year}, doelstelling=alle, actie=5, provincie=alle, regio=alle`);
    expect(sheet.getCell('A2').value).toMatch(/^Gegenereerd: /);
    expect(sheet.getRow(4).values).toEqual([undefined, ...KPI_LINES_HEADER]);
    expect(sheet.views[0]).toMatchObject({ state: 'frozen', ySplit: 4 });
    expect(sheet.autoFilter).toBe('A4:O7');
    const rows = [5, 6, 7].map((n) => sheet.getRow(n));
    expect(
      rows.map((r) => [
        r.getCell(1).value,
        r.getCell(2).value,
        r.getCell(5).value,
        r.getCell(9).value,
        r.getCell(10).value,
        r.getCell(11).value,
        r.getCell(12).value ?? null,
      ]),
    ).toEqual(lines.map((l) => [l.year, l.applicantNameNl, 5, l.confirmedQuantity, l.confirmedCents / 100, l.allocatedCents! / 100, l.realisedInterim]));
    expect(rows[0].getCell(10).numFmt).toContain('€');
    expect(sheet.getRow(8).values).toEqual([]);
  });

  it('offers the KPI lines on the overview page with its filters, and the page routes give the same CSV', async () => {
    await f.actors.another('vvsg-analyst', 'Vera VVSG');
    const agent = await signIn(f, 'vera-vvsg@service.test', 'een lang wachtwoord voor tests');
    const html = (await agent.get(`/overzichten?year=${fx.call.year}&action=9`).expect(200)).text;
    expect(html).toContain(`href="/overzichten/kpi-lijnen.csv?year&#x3D;${fx.call.year}&amp;action&#x3D;9"`);
    expect(html).toContain(`href="/overzichten/kpi-lijnen.xlsx?year&#x3D;${fx.call.year}&amp;action&#x3D;9"`);
    const page = (await agent.get(`/overzichten/kpi-lijnen.csv?year=${fx.call.year}&action=9`).buffer(true).parse(text).expect(200)).body as string;
    const api = await csv(`/api/v1/overviews/kpi-lines.csv?year=${fx.call.year}&action=9`);
    const withoutTime = (body: string) => body.split('\r\n').filter((line) => !line.startsWith('Gegenereerd'));
    expect(withoutTime(page)).toEqual(withoutTime(api));
    await agent
      .get(`/overzichten/kpi-lijnen.xlsx?year=${fx.call.year}`)
      .buffer(true)
      .parse(binary)
      .expect(200)
      .expect('Content-Type', /spreadsheetml/);
    const refused = await agent.get('/overzichten/kpi-lijnen.csv?separator=tab').expect(422);
    expect(refused.text).toContain('Kies puntkomma of komma als scheidingsteken.');
  });

  it('refuses bad filters per field with 422 and changes nothing; only ABB and VVSG read the lines', async () => {
    const before = await snapshot(f.dataSource, TABLES);
    const errors = async (path: string) => (await request(f.http).get(path).set(as(analyst)).expect(422)).body.errors;
    expect(await errors('/api/v1/overviews/kpi-lines?year=abc')).toEqual({ year: ['Kies een projectjaar: een geheel getal van 1 tot 99.'] });
    expect(await errors('/api/v1/overviews/kpi-lines.csv?separator=tab')).toEqual({ separator: ['Kies puntkomma of komma als scheidingsteken.'] });
    expect(Object.keys(await errors('/api/v1/overviews/kpi-lines.xlsx?region=DROP%20TABLE&action=0'))).toEqual(['action', 'region']);
    expect(Object.keys(await errors('/api/v1/overviews/kpi-lines?separator=comma'))).toEqual(['separator']);
    expect(await snapshot(f.dataSource, TABLES)).toEqual(before);
    await request(f.http).get('/api/v1/overviews/kpi-lines').set(as(officerA)).expect(403);
    await request(f.http).get('/api/v1/overviews/kpi-lines.csv').expect(401);
    await request(f.http).get('/api/v1/overviews/kpi-lines').set(as(reviewer)).expect(200);
  });
});
