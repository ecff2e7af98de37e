import ExcelJS from 'exceljs';
import request from 'supertest';
import { binary } from '../support/binary';
import { LOCAL_GOVERNMENTS_HEADER } from '@ps/overviews';
import { ApprovedFixture, CallFixture, Factories, startFactories } from '../support/factories';
import { signIn } from '../support/sessions';
import { snapshot } from '../support/test-app';

const TABLES = ['application', 'application_line', 'applicant', 'applicant_member', 'local_government', 'audit_event'];
const text = (res: { on: (event: string, listener: (chunk?: Buffer) => void) => void }, done: (error: Error | null, body: string) => void) => {
  const chunks: Buffer[] = [];
  res.on('data', (chunk) => chunks.push(chunk!));
  res.on('end', () => done(null, Buffer.concat(chunks).toString('utf8')));
};

interface Row {
  localGovernmentId: number;
  nisCode: string | null;
  localGovernmentNl: string;
  provinceNl: string | null;
  year: number;
  applicantNl: string;
  actionNumber: number;
  committedCents: number;
  allocatedCents: number;
  nisCodeAsWas: string | null;
  nisCodeToday: string | null;
}

/**
 * Issue 24, overviews across years (docs/calls.md, municipal mergers): a year before the mergers of 2025, shown as it was or mapped onto
 * today's municipalities. P: a cooperation of Beveren (46003) and Kruibeke (46013), action 5 × 3 at €1.000.
 * Q: a cooperation of Zwijndrecht (11056, province Antwerpen until 2024) and Kapellen (11023, not merged), action 5 × 2 at
 * €1.000 and action 9 × 1 at €500. Today all three predecessors are Beveren-Kruibeke-Zwijndrecht (46030, Oost-Vlaanderen).
 */
describe('overviews across years: as it was, or on today’s municipalities', () => {
  let f: Factories;
  let call: CallFixture;
  let p: ApprovedFixture;
  let q: ApprovedFixture;
  let analyst: string;
  const as = (token: string) => ({ Authorization: `Bearer ${token}` });
  const get = async (path: string) => (await request(f.http).get(path).set(as(analyst)).expect(200)).body;
  const PREDECESSORS = ['46003', '46013', '11056'];

  beforeAll(async () => {
    f = await startFactories({ http: true });
    call = await f.aCall({
      kpiLines: [
        { action: 5, unitAmountEuro: 1000, maxQuantity: 100 },
        { action: 9, unitAmountEuro: 500, maxQuantity: 100 },
      ],
    });
    p = await f.anApprovedApplication(call, {
      applicant: { kind: 'cooperation', lead: '46003', members: ['46013'], registeredBy: 'abb' },
      lines: [{ action: 5, planned: 3 }],
    });
    q = await f.anApprovedApplication(call, {
      applicant: { kind: 'cooperation', lead: '11056', members: ['11023'], registeredBy: 'abb' },
      lines: [
        { action: 5, planned: 2 },
        { action: 9, planned: 1 },
      ],
    });
    analyst = await f.actors.another('vvsg-analyst', 'Vera VVSG').then((x) => f.bearer(x));
  });
  afterAll(() => f?.close());

  const withoutTime = (body: { generatedAt: string }) => ({ ...body, generatedAt: undefined });

  it('shows the year as it was by default, each row with its NIS code then and today', async () => {
    const plain = await get(`/api/v1/overviews/local-governments?year=${call.year}&pageSize=200`);
    const asWas = await get(`/api/v1/overviews/local-governments?year=${call.year}&pageSize=200&municipalities=as-was`);
    expect(withoutTime(asWas)).toEqual(withoutTime(plain));
    expect(plain.filters.municipalities).toBe('as-was');
    expect(plain.total).toBeLessThanOrEqual(200);
    const ours = (plain.rows as Row[]).filter((r) => r.applicantNl === p.applicant.nameNl || r.applicantNl === q.applicant.nameNl);
    expect(ours.map((r) => [r.nisCode, r.applicantNl, r.actionNumber, r.committedCents, r.nisCodeAsWas, r.nisCodeToday]).sort()).toEqual(
      [
        ['46003', p.applicant.nameNl, 5, 300_000, '46003', '46030'],
        ['46013', p.applicant.nameNl, 5, 300_000, '46013', '46030'],
        ['11056', q.applicant.nameNl, 5, 200_000, '11056', '46030'],
        ['11056', q.applicant.nameNl, 9, 50_000, '11056', '46030'],
        ['11023', q.applicant.nameNl, 5, 200_000, '11023', '11023'],
        ['11023', q.applicant.nameNl, 9, 50_000, '11023', '11023'],
      ].sort(),
    );
    expect(ours.find((r) => r.nisCode === '11056')!.provinceNl).toBe('Antwerpen');
  });

  it('maps the year onto today’s municipalities: the merged one sums its predecessors’ applicants, each counted once, to the cent', async () => {
    const asWas = (await get(`/api/v1/overviews/local-governments?year=${call.year}&pageSize=200`)).rows as Row[];
    const today = await get(`/api/v1/overviews/local-governments?year=${call.year}&pageSize=200&municipalities=today`);
    expect(today.filters.municipalities).toBe('today');
    const rows = today.rows as Row[];
    expect(rows.some((r) => PREDECESSORS.includes(r.nisCode!))).toBe(false);
    const merged = rows.filter((r) => r.nisCode === '46030');
    expect(
      merged.map((r) => [r.localGovernmentNl, r.provinceNl, r.applicantNl, r.actionNumber, r.committedCents, r.nisCodeAsWas, r.nisCodeToday]).sort(),
    ).toEqual(
      [
        ['Beveren-Kruibeke-Zwijndrecht', 'Oost-Vlaanderen', p.applicant.nameNl, 5, 300_000, '46003, 46013', '46030'],
        ['Beveren-Kruibeke-Zwijndrecht', 'Oost-Vlaanderen', q.applicant.nameNl, 5, 200_000, '11056', '46030'],
        ['Beveren-Kruibeke-Zwijndrecht', 'Oost-Vlaanderen', q.applicant.nameNl, 9, 50_000, '11056', '46030'],
      ].sort(),
    );
    // The sum of the parts: every applicant and action of the predecessors once (a cooperation of two of them is one part).
    const parts = new Map<string, number>();
    for (const r of asWas.filter((r) => PREDECESSORS.includes(r.nisCode!))) parts.set(`${r.applicantNl} ${r.actionNumber}`, r.committedCents);
    const sum = (cents: number[]) => cents.reduce((total, c) => total + c, 0);
    expect(sum(merged.map((r) => r.committedCents))).toBe(sum([...parts.values()]));
    expect(sum(merged.map((r) => r.committedCents))).toBe(550_000);
    // Every other row stays as it was (Kapellen among them), apart from its codes.
    const other = (list: Row[]) =>
      list.filter((r) => !PREDECESSORS.includes(r.nisCode!) && r.nisCode !== '46030').map((r) => [r.nisCode, r.applicantNl, r.actionNumber, r.committedCents]);
    expect(other(rows)).toEqual(other(asWas));

    // Zwijndrecht's applicant Q now has a member in Oost-Vlaanderen; the programme's total does not change.
    const province = (mode: string, name: string) =>
      get(`/api/v1/overviews/local-governments?year=${call.year}&municipalities=${mode}&province=${encodeURIComponent(name)}`);
    const named = (body: { rows: Row[] }) => new Set(body.rows.map((r) => r.applicantNl));
    expect(named(await province('as-was', 'Oost-Vlaanderen')).has(q.applicant.nameNl)).toBe(false);
    expect(named(await province('today', 'Oost-Vlaanderen')).has(q.applicant.nameNl)).toBe(true);
    const actions = async (mode: string) => (await get(`/api/v1/overviews/actions?year=${call.year}&municipalities=${mode}`)).rows;
    const [before, after] = [await actions('as-was'), await actions('today')];
    expect(after.map((r: Row) => [r.actionNumber, r.committedCents])).toEqual(before.map((r: Row) => [r.actionNumber, r.committedCents]));
    // Three predecessors are one municipality today: action 5 counts two local governments fewer.
    const governments = (list: { actionNumber: number; localGovernments: number }[]) => list.find((r) => r.actionNumber === 5)!.localGovernments;
    expect(governments(after)).toBe(governments(before) - 2);
  });

  it('carries both NIS codes at the end of the CSV and the Excel lines, and the filter in both', async () => {
    const csv = async (mode: string) =>
      (
        (
          await request(f.http)
            .get(`/api/v1/overviews/local-governments.csv?year=${call.year}${mode ? `&municipalities=${mode}` : ''}`)
            .set(as(analyst))
            .buffer(true)
            .parse(text)
            .expect(200)
        ).body as string
      )
        .slice(1)
        .split('\r\n');
    const asWas = await csv('');
    expect(asWas[1]).toBe(`Filters;projectjaar=${call.year};doelstelling=alle;actie=alle;provincie=alle;regio=alle`);
    expect(asWas[5]).toBe(LOCAL_GOVERNMENTS_HEADER.join(';'));
    expect(LOCAL_GOVERNMENTS_HEADER.slice(-2)).toEqual(['NIS-code toen', 'NIS-code vandaag']);
    const cells = (lines: string[], nis: string) => lines.map((l) => l.split(';')).filter((c) => c[1] === nis);
    expect(cells(asWas, '46013').map((c) => c.slice(-2))).toEqual([['46013', '46030']]);
    expect(cells(asWas, '11023').map((c) => c.slice(-2))).toEqual([
      ['11023', '11023'],
      ['11023', '11023'],
    ]);
    const today = await csv('today');
    expect(today[1]).toBe(`Filters;projectjaar=${call.year};doelstelling=alle;actie=alle;provincie=alle;regio=alle;gemeenten=vandaag`);
    expect(
      cells(today, '46030')
        .map((c) => [c[5], c[6], c[8], ...c.slice(-2)])
        .sort(),
    ).toEqual(
      [
        [p.applicant.nameNl, '5', '3000,00', '46003, 46013', '46030'],
        [q.applicant.nameNl, '5', '2000,00', '11056', '46030'],
        [q.applicant.nameNl, '9', '500,00', '11056', '46030'],
      ].sort(),
    );

    const file = (
      await request(f.http)
        .get(`/api/v1/overviews/local-governments.xlsx?year=${call.year}&municipalities=today`)
        .set(as(analyst))
        .buffer(true)
        .parse(binary)
        .expect(200)
    ).body as Buffer;
    const workbook = new ExcelJS.Workbook();
    await workbook.xlsx.load(file as unknown as ArrayBuffer);
    const sheet = workbook.getWorksheet('Per lokaal bestuur')!;
    expect(sheet.getCell('A1').value).toBe(`Filters: projectjaar=${call.year}, doelstelling=alle, actie=alle, provincie=alle, regio=alle, gemeenten=vandaag`);
    expect(sheet.getRow(4).values).toEqual([undefined, ...LOCAL_GOVERNMENTS_HEADER]);
    const merged: unknown[][] = [];
    sheet.eachRow((row) => {
      if (row.getCell(2).value === '46030') merged.push([row.getCell(6).value, row.getCell(9).value, row.getCell(11).value, row.getCell(12).value]);
    });
    expect(merged.sort()).toEqual(
      [
        [p.applicant.nameNl, 3000, '46003, 46013', '46030'],
        [q.applicant.nameNl, 2000, '11056', '46030'],
        [q.applicant.nameNl, 500, '11056', '46030'],
      ].sort(),
    );
  });

  it('refuses a bad choice per field in Dutch, on the API, the exports and the page, and changes nothing', async () => {
    const before = await snapshot(f.dataSource, TABLES);
    const message = 'Kies hoe de lokale besturen getoond worden: zoals toen (as-was) of de gemeenten van vandaag (today).';
    for (const path of [
      '/api/v1/overviews/local-governments?municipalities=vandaag',
      '/api/v1/overviews/actions?municipalities=TODAY',
      `/api/v1/overviews/local-governments.csv?municipalities=${encodeURIComponent("today'; DROP VIEW overview_kpi_line; --")}`,
      '/api/v1/overviews/local-governments.xlsx?municipalities=1',
    ]) {
      const refused = await request(f.http).get(path).set(as(analyst)).expect(422);
      expect(refused.body.errors).toEqual({ municipalities: [message] });
    }
    const agent = await signIn(f, 'vera-vvsg@service.test', 'een lang wachtwoord voor tests');
    const page = await agent.get('/overzichten/lokale-besturen?municipalities=nu').expect(422);
    expect(page.text).toContain(message);
    expect(page.text).toContain('href="#municipalities"');
    const actionsPage = await agent.get('/overzichten?municipalities=nu').expect(422);
    expect(actionsPage.text).toContain(message);
    expect(await snapshot(f.dataSource, TABLES)).toEqual(before);
    // The page offers the choice and keeps it in its download links.
    const html = (await agent.get(`/overzichten/lokale-besturen?year=${call.year}&municipalities=today`).expect(200)).text;
    expect(html).toMatch(/id="municipalities-today" name="municipalities" type="radio" value="today" checked/);
    expect(html).toContain(`href="/overzichten/lokale-besturen.csv?year&#x3D;${call.year}&amp;municipalities&#x3D;today"`);
    expect(html).toContain('Beveren-Kruibeke-Zwijndrecht');
  });
});
