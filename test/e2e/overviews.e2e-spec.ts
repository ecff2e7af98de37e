import ExcelJS from 'exceljs';
import request from 'supertest';
import { binary } from '../support/binary';
import { brusselsLocal } from '@ps/applications';
import { csvEuro } from '@ps/kernel';
import { ACTIONS_CSV_HEADER, OBJECTIVES_CSV_HEADER, OverviewsService } from '@ps/overviews';
import { AllocationFixture, threeApprovedAndOnePending } from '../support/allocation-fixture';
import { Factories, startFactories } from '../support/factories';
import { publishByTwo } from '../support/four-eyes';
import { signIn } from '../support/sessions';
import { snapshot } from '../support/test-app';

const DAY = 24 * 3600 * 1000;
const TABLES = ['application', 'application_line', 'allocation_run', 'allocation_share', 'kpi_report', 'kpi_report_line', 'audit_event'];

interface Row {
  year: number;
  actionNumber: number;
  committedCents: number;
  allocatedCents: number;
  localGovernments: number;
  applicants: number;
  units: { unitNl: string; committedQuantity: number; realisedInterim: number; realisedFinal: number }[];
}

/**
 * Issue 12: the overview per action per project year, computed live. The call of `threeApprovedAndOnePending`
 * (units €1.000 for action 5 "nederlands", €500 for action 9 "werk"; budget €15.000), every figure by hand:
 *   A: action 5 10 × €1.000 = €10.000 (priority 1), action 9 4 × €500 = €2.000 (priority 2)
 *   B: action 9 6 × €500 = €3.000 (priority 1),      action 5 3 × €1.000 = €3.000 (priority 2)
 *   C: action 5 1 × €1.000 = €1.000 (priority 1), mentorship stimulus €2.500 (not a KPI amount: in no action's figure)
 *   D: submitted, not approved: in no figure.
 * Published allocation (priority rounds, as in allocation.e2e-spec.ts): stimulus €2.500 first, then €12.500 over
 * priority 1 (€14.000) at 25/28: A action 5 €8.928,57, B action 9 €2.678,57, C action 5 €892,86; priority 2 gets nothing.
 * Each applicant applies alone: one member local government each. A's accepted interim report realises 2 (action 5)
 * and 4 (action 9); B's interim report (5 on action 9) is submitted, not accepted, so it counts nowhere.
 */
describe('overviews: figures per action per project year, filters, CSV and access', () => {
  let f: Factories;
  let fx: AllocationFixture;
  let reviewer: string;
  let analyst: string;
  let officerA: string;
  let officerB: string;
  const start = new Date();
  const as = (token: string) => ({ Authorization: `Bearer ${token}` });
  const overview = async (query = '', token = analyst) => (await request(f.http).get(`/api/v1/overviews/actions${query}`).set(as(token)).expect(200)).body;
  const rowsOf = async (query = '') =>
    ((await overview(query)).rows as Row[]).map((r) => ({
      action: r.actionNumber,
      committed: r.committedCents,
      allocated: r.allocatedCents,
      lgs: r.localGovernments,
      applicants: r.applicants,
    }));

  /** Each approved applicant's share per action, [committed cents, allocated cents, confirmed quantity], as computed above. */
  const SHARES: Record<'a' | 'b' | 'c', Record<number, [number, number, number]>> = {
    a: { 5: [1_000_000, 892_857, 10], 9: [200_000, 0, 4] },
    b: { 5: [300_000, 0, 3], 9: [300_000, 267_857, 6] },
    c: { 5: [100_000, 89_286, 1] },
  };

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

  it('counts confirmed amounts, applicants and local governments; nothing allocated or realised yet', async () => {
    const body = await overview(`?year=${fx.call.year}`);
    expect(body.filters).toEqual({ year: fx.call.year, objective: null, action: null, province: null, region: null, municipalities: 'as-was' });
    expect(new Date(body.generatedAt).getTime()).toBeGreaterThan(0);
    // Action 5: €10.000 + €3.000 + €1.000 = €14.000; A, B, C; action 9: €2.000 + €3.000 = €5.000; A, B.
    expect(await rowsOf(`?year=${fx.call.year}`)).toEqual([
      { action: 5, committed: 1_400_000, allocated: 0, lgs: 3, applicants: 3 },
      { action: 9, committed: 500_000, allocated: 0, lgs: 2, applicants: 2 },
    ]);
  });

  it('adds the published allocation per action and the quantities of accepted reports only', async () => {
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

    const body = await overview(`?year=${fx.call.year}`);
    // Allocated: action 5 = 892.857 (A) + 0 (B, priority 2) + 89.286 (C) = 982.143; action 9 = 0 (A) + 267.857 (B).
    // With C's stimulus of 250.000 that is the budget: 982.143 + 267.857 + 250.000 = 1.500.000.
    expect(await rowsOf(`?year=${fx.call.year}`)).toEqual([
      { action: 5, committed: 1_400_000, allocated: 982_143, lgs: 3, applicants: 3 },
      { action: 9, committed: 500_000, allocated: 267_857, lgs: 2, applicants: 2 },
    ]);
    // Quantities: action 5 10 + 3 + 1 = 14 confirmed, 2 realised (A's accepted report; B's submitted 3 does not count);
    // action 9 4 + 6 = 10 confirmed, 4 realised (B's 5 does not count). No final report yet.
    const unit5 = fx.call.line(5).unitNl;
    const unit9 = fx.call.line(9).unitNl;
    expect(body.rows.map((r: Row) => r.units)).toEqual([
      [{ unitNl: unit5, committedQuantity: 14, realisedInterim: 2, realisedFinal: 0 }],
      [{ unitNl: unit9, committedQuantity: 10, realisedInterim: 4, realisedFinal: 0 }],
    ]);
    expect(body.rows[0]).toMatchObject({ year: fx.call.year, actionTitleNl: 'Oefenkansen Nederlands organiseren', objectiveCode: 'nederlands' });
    expect(body.rows[1]).toMatchObject({ actionTitleNl: 'Begeleiding van kansengroepen naar werk', objectiveCode: 'werk' });
    // Per objective: nederlands = action 5, werk = action 9; the other five objectives are 0.
    const objectives = Object.fromEntries(
      body.objectives.map((o: { code: string; committedCents: number; allocatedCents: number }) => [o.code, [o.committedCents, o.allocatedCents]]),
    );
    expect(objectives).toEqual({
      veiligheid: [0, 0],
      nederlands: [1_400_000, 982_143],
      competenties: [0, 0],
      werk: [500_000, 267_857],
      netwerk: [0, 0],
      'non-discriminatie': [0, 0],
      'een-gemeenschap': [0, 0],
    });
  });

  it('narrows by year, objective, action and province', async () => {
    expect((await overview('?year=98')).rows).toEqual([]);
    expect(await rowsOf(`?year=${fx.call.year}&action=9`)).toEqual([{ action: 9, committed: 500_000, allocated: 267_857, lgs: 2, applicants: 2 }]);
    expect(await rowsOf('?objective=nederlands')).toEqual([{ action: 5, committed: 1_400_000, allocated: 982_143, lgs: 3, applicants: 3 }]);
    expect((await overview('?objective=nederlands')).objectives.map((o: { code: string }) => o.code)).toEqual(['nederlands']);
    expect(await rowsOf('?objective=werk&action=5')).toEqual([]);
    expect((await overview('?province=Nergens')).rows).toEqual([]);

    // The province of A's (only) local government: only the applicants with a member there count, with their own shares.
    const provinceOf = async (id: number) =>
      (await f.dataSource.query(`SELECT province_nl FROM local_government WHERE id = $1`, [id]))[0].province_nl as string;
    const province = await provinceOf(fx.a.applicant.lead.id);
    const inProvince: ('a' | 'b' | 'c')[] = [];
    for (const key of ['a', 'b', 'c'] as const) if ((await provinceOf(fx[key].applicant.lead.id)) === province) inProvince.push(key);
    const expected = [5, 9]
      .map((action) => {
        const shares = inProvince.filter((key) => SHARES[key][action]).map((key) => SHARES[key][action]);
        const sum = (i: number) => shares.reduce((total, share) => total + share[i], 0);
        return { action, committed: sum(0), allocated: sum(1), lgs: shares.length, applicants: shares.length };
      })
      .filter((row) => row.applicants > 0);
    expect(await rowsOf(`?province=${encodeURIComponent(province)}`)).toEqual(expected);
  });

  it('exports the same figures as CSV for Excel in nl-BE, naming the filters and the generation time', async () => {
    const query = `?year=${fx.call.year}&objective=&action=`;
    const json = await overview(query);
    const res = await request(f.http)
      .get(`/api/v1/overviews/actions.csv${query}`)
      .set(as(analyst))
      .buffer(true)
      .parse((response, done) => {
        const chunks: Buffer[] = [];
        response.on('data', (chunk: Buffer) => chunks.push(chunk));
        response.on('end', () => done(null, Buffer.concat(chunks).toString('utf8')));
      })
      .expect(200)
      .expect('Content-Type', 'text/csv; charset=utf-8');
    const text = res.body as string;
    expect(text.charCodeAt(0)).toBe(0xfeff);
    const lines = text.slice(1).split('\r\n');
    expect(lines[0]).toBe('Overzicht;Per actie per projectjaar');
    expect(lines[1]).toBe(`Filters;projectjaar=${fx.call.year};doelstelling=alle;actie=alle;provincie=alle;regio=alle`);
    expect(lines[2]).toMatch(/^Gegenereerd;\d{1,2} [a-z]+ \d{4} \d{2}:\d{2}$/);
    expect(lines[4]).toBe(
      'Projectjaar;Actie;Titel;Doelstelling;Vastgelegd (EUR);Toegekend (EUR);Lokale besturen;Projectindieners;Eenheid;Vastgelegde hoeveelheid;Gerealiseerd tussentijds;Gerealiseerd eind',
    );
    const end = lines.indexOf('', 5);
    const csvRows = lines.slice(5, end).map((line) => line.split(';'));
    const fromJson = json.rows.flatMap((r: Row & { actionTitleNl: string; objectiveCode: string }) =>
      r.units.map((u) => [
        String(r.year),
        String(r.actionNumber),
        r.actionTitleNl,
        r.objectiveCode,
        csvEuro(r.committedCents),
        csvEuro(r.allocatedCents),
        String(r.localGovernments),
        String(r.applicants),
        u.unitNl,
        String(u.committedQuantity),
        String(u.realisedInterim),
        String(u.realisedFinal),
      ]),
    );
    expect(csvRows).toEqual(fromJson);
    expect(csvRows.map((r) => r.slice(4, 6))).toEqual([
      ['14000,00', '9821,43'],
      ['5000,00', '2678,57'],
    ]);
    expect(lines[end + 1]).toBe('Doelstelling;Naam;Vastgelegd (EUR);Toegekend (EUR)');
    expect(lines.slice(end + 2).filter((l) => l.startsWith('nederlands;') || l.startsWith('werk;'))).toEqual([
      expect.stringMatching(/^nederlands;.*;14000,00;9821,43$/),
      expect.stringMatching(/^werk;.*;5000,00;2678,57$/),
    ]);
  });

  it('exports the same figures as an Excel workbook: typed numbers and currency cells, a frozen header, an autofilter', async () => {
    const query = `?year=${fx.call.year}`;
    const json = (await request(f.http).get(`/api/v1/overviews/actions${query}`).set(as(analyst)).expect(200)).body;
    const file = (
      await request(f.http)
        .get(`/api/v1/overviews/actions.xlsx${query}`)
        .set(as(analyst))
        .buffer(true)
        .parse(binary)
        .expect(200)
        .expect('Content-Type', /spreadsheetml/)
    ).body as Buffer;
    const workbook = new ExcelJS.Workbook();
    await workbook.xlsx.load(file as unknown as ArrayBuffer);
    const sheet = workbook.getWorksheet('Per actie')!;
    expect(sheet.getCell('A1').value).toBe(`Filters: projectjaar=${fx.call.year}, doelstelling=alle, actie=alle, provincie=alle, regio=alle`);
    expect(sheet.getCell('A2').value).toMatch(/^Gegenereerd: /);
    expect(sheet.getRow(4).values).toEqual([undefined, ...ACTIONS_CSV_HEADER]);
    expect(sheet.views[0]).toMatchObject({ state: 'frozen', ySplit: 4 });
    expect(sheet.autoFilter).toBeTruthy();
    const rows = [5, 6].map((n) => sheet.getRow(n));
    // Amounts are numbers in euro with a currency format, counts and quantities numbers: the JSON's figures.
    expect(rows.map((r) => [r.getCell(2).value, r.getCell(5).value, r.getCell(6).value, r.getCell(7).value, r.getCell(10).value])).toEqual(
      json.rows.map((r: Row) => [r.actionNumber, r.committedCents / 100, r.allocatedCents / 100, r.localGovernments, r.units[0].committedQuantity]),
    );
    expect(rows[0].getCell(5).numFmt).toContain('€');
    expect(typeof rows[0].getCell(5).value).toBe('number');
    const objectives = workbook.getWorksheet('Per doelstelling')!;
    expect(objectives.getRow(4).values).toEqual([undefined, ...OBJECTIVES_CSV_HEADER]);
  });

  it('refuses bad filters per field with 422 and changes nothing', async () => {
    const before = await snapshot(f.dataSource, TABLES);
    const errors = async (query: string) => (await request(f.http).get(`/api/v1/overviews/actions${query}`).set(as(analyst)).expect(422)).body.errors;
    expect(await errors('?year=abc')).toEqual({ year: ['Kies een projectjaar: een geheel getal van 1 tot 99.'] });
    expect(Object.keys(await errors('?year=0&action=100&objective=DROP%20TABLE'))).toEqual(['year', 'objective', 'action']);
    expect(Object.keys(await errors(`?province=${'x'.repeat(101)}`))).toEqual(['province']);
    expect(Object.keys(await errors('?colour=red'))).toEqual(['colour']);
    await request(f.http).get('/api/v1/overviews/actions.csv?year=abc').set(as(analyst)).expect(422);
    expect(await snapshot(f.dataSource, TABLES)).toEqual(before);
  });

  it('lets ABB and VVSG read the overviews, refuses officers, and shows /cijfers to anyone without personal data', async () => {
    await request(f.http).get('/api/v1/overviews/actions').set(as(officerA)).expect(403);
    await request(f.http).get('/api/v1/overviews/actions.csv').set(as(officerA)).expect(403);
    await request(f.http).get('/api/v1/overviews/actions').expect(401);
    await request(f.http).get('/api/v1/overviews/actions').set(as(reviewer)).expect(200);
    const page = (await request(f.http).get('/cijfers').expect(200)).text;
    expect(page).toContain('Plan Samenleven in cijfers');
    expect(page).toContain('role="img"');
    for (const key of ['a', 'b', 'c'] as const) {
      expect(page).not.toContain(fx[key].applicant.nameNl);
      expect(page).not.toContain(`medewerker-${fx[key].applicant.lead.nisCode}@service.test`);
    }
    // € 14.000,00 committed for action 5 and € 9.821,43 allocated, in the table and in the chart's description.
    expect(page.replace(/\s/g, ' ')).toMatch(/€ 14\.000,00/);
    expect(page.replace(/\s/g, ' ')).toMatch(/€ 9\.821,43/);
  });

  it('shows the same figures on /overzichten with the filters, a CSV link carrying them, and refuses a bad filter on the page', async () => {
    await f.actors.another('vvsg-analyst', 'Vera VVSG');
    const agent = await signIn(f, 'vera-vvsg@service.test', 'een lang wachtwoord voor tests');
    const html = (await agent.get(`/overzichten?year=${fx.call.year}&action=9`).expect(200)).text.replace(/\s/g, ' ');
    // Handlebars escapes "=" and "&" in attributes.
    expect(html).toContain(`href="/overzichten/acties.csv?year&#x3D;${fx.call.year}&amp;action&#x3D;9"`);
    expect(html).toMatch(/9\. Begeleiding van kansengroepen naar werk/);
    expect(html).toMatch(/€ 5\.000,00/);
    expect(html).toMatch(/€ 2\.678,57/);
    expect(html).not.toMatch(/€ 14\.000,00/);
    const csv = await agent.get(`/overzichten/acties.csv?year=${fx.call.year}&action=9`).expect(200);
    expect(csv.text).toContain(';5000,00;2678,57;2;2;');
    const refused = await agent.get('/overzichten?year=abc').expect(422);
    expect(refused.text).toContain('Kies een projectjaar: een geheel getal van 1 tot 99.');
    expect(refused.text).toContain('href="#year"');
    const officer = await signIn(f, `medewerker-${fx.a.applicant.lead.nisCode}@service.test`, 'een lang wachtwoord voor tests');
    await officer.get('/overzichten').expect(403);
  });
  it('keeps computed figures per filter only while the data is unchanged: the next request after a change shows it', async () => {
    const readModel = (f.get(OverviewsService) as unknown as { readModel: { actionFigures: () => Promise<unknown> } }).readModel;
    const computed = jest.spyOn(readModel, 'actionFigures');
    try {
      const units = async () => (await overview(`?year=${fx.call.year}`)).rows.map((r: Row) => [r.actionNumber, r.units[0].realisedInterim]);
      const before = await units();
      const calls = computed.mock.calls.length;
      // Unchanged data: the same filter is served from what was computed, by the API and by the page alike.
      expect(await units()).toEqual(before);
      const agent = await signIn(f, 'vera-vvsg@service.test', 'een lang wachtwoord voor tests');
      await agent.get(`/overzichten?year=${fx.call.year}`).expect(200);
      expect(computed.mock.calls.length).toBe(calls);
      // Accepting B's submitted interim report (3 on action 5, 5 on action 9) shows at the very next request.
      const url = `/api/v1/applications/${fx.b.id}/reports/interim`;
      const { version } = (await request(f.http).get(url).set(as(reviewer)).expect(200)).body;
      await request(f.http).post(`${url}/review`).set(as(reviewer)).send({ version, decision: 'accept' }).expect(200);
      expect(await units()).toEqual([
        [5, before[0][1] + 3],
        [9, before[1][1] + 5],
      ]);
      expect(computed.mock.calls.length).toBe(calls + 1);
      // A change made outside the platform's code (straight in SQL) is seen too: the trigger on the table counts it.
      await f.dataSource.query(`UPDATE application SET status = 'afgewezen' WHERE id = $1`, [fx.c.id]);
      try {
        expect((await rowsOf(`?year=${fx.call.year}&action=5`))[0]).toMatchObject({ committed: 1_300_000, applicants: 2 });
      } finally {
        await f.dataSource.query(`UPDATE application SET status = 'goedgekeurd' WHERE id = $1`, [fx.c.id]);
      }
      expect((await rowsOf(`?year=${fx.call.year}&action=5`))[0]).toMatchObject({ committed: 1_400_000, applicants: 3 });
    } finally {
      computed.mockRestore();
    }
  });
});
