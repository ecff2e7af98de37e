import ExcelJS from 'exceljs';
import request from 'supertest';
import { binary } from '../support/binary';
import { LOCAL_GOVERNMENTS_HEADER, PROVINCES_HEADER, REGIONS_HEADER } from '@ps/overviews';
import { AllocationFixture, threeApprovedAndOnePending } from '../support/allocation-fixture';
import { ApprovedFixture, Factories, startFactories } from '../support/factories';
import { signIn } from '../support/sessions';
import { snapshot } from '../support/test-app';

const TABLES = ['application', 'application_line', 'allocation_run', 'allocation_share', 'applicant', 'applicant_member', 'audit_event'];
const text = (res: { on: (event: string, listener: (chunk?: Buffer) => void) => void }, done: (error: Error | null, body: string) => void) => {
  const chunks: Buffer[] = [];
  res.on('data', (chunk) => chunks.push(chunk!));
  res.on('end', () => done(null, Buffer.concat(chunks).toString('utf8')));
};

interface Row {
  localGovernmentId: number;
  localGovernmentNl: string;
  provinceNl: string | null;
  regionNl: string | null;
  year: number;
  applicantNl: string;
  actionNumber: number;
  committedCents: number;
  allocatedCents: number;
}
interface Area {
  code: string;
  nameNl: string;
  applicants: number;
  localGovernments: number;
  committedCents: number;
  allocatedCents: number;
}

/**
 * Issue 12: per local government its actions and amounts, and the totals per province and per reference region.
 * The call of `threeApprovedAndOnePending` plus a cooperation E of at least two local governments of one reference region:
 *   A (alone): action 5 €10.000, action 9 €2.000      B (alone): action 5 €3.000, action 9 €3.000
 *   C (alone): action 5 €1.000 (its stimulus is in no figure)   E (cooperation): action 9 2 × €500 = €1.000
 * Each member local government shows its applicant's amounts; a province or region counts every applicant with a member
 * in it once, whole. Provinces and regions of the local governments are read from the reference data, the sums by hand.
 */
describe('overviews: per local government, per province and per reference region', () => {
  let f: Factories;
  let fx: AllocationFixture;
  let e: ApprovedFixture;
  let analyst: string;
  let officer: string;
  const as = (token: string) => ({ Authorization: `Bearer ${token}` });
  const get = async (path: string) => (await request(f.http).get(path).set(as(analyst)).expect(200)).body;
  /** Each applicant's committed cents per action, by hand (see above). */
  const COMMITTED: Record<'a' | 'b' | 'c' | 'e', Record<number, number>> = {
    a: { 5: 1_000_000, 9: 200_000 },
    b: { 5: 300_000, 9: 300_000 },
    c: { 5: 100_000 },
    e: { 9: 100_000 },
  };
  const KEYS = ['a', 'b', 'c', 'e'] as const;
  let where: Map<number, { province: string | null; regionCode: string | null; regionNl: string | null }>;
  const applicant = (key: (typeof KEYS)[number]) => (key === 'e' ? e : fx[key]).applicant;

  beforeAll(async () => {
    f = await startFactories({ http: true });
    fx = await threeApprovedAndOnePending(f);
    e = await f.anApprovedApplication(fx.call, { applicant: { kind: 'cooperation' }, lines: [{ action: 9, planned: 2 }] });
    [analyst, officer] = await Promise.all([f.actors.another('vvsg-analyst', 'Vera VVSG').then((x) => f.bearer(x)), f.bearer(fx.a.applicant.officer)]);
    const rows: { id: number; province_nl: string | null; code: string | null; name_nl: string | null }[] = await f.dataSource.query(
      `SELECT lg.id, lg.province_nl, rr.code, rr.name_nl FROM local_government lg
         LEFT JOIN reference_region_member rm ON rm.local_government_id = lg.id LEFT JOIN reference_region rr ON rr.id = rm.reference_region_id`,
    );
    where = new Map(rows.map((r) => [r.id, { province: r.province_nl, regionCode: r.code, regionNl: r.name_nl }]));
  });
  afterAll(() => f?.close());

  /** By hand: per area key (province or region code), the applicants with a member there, their members there and their sums. */
  const expectedAreas = (areaOf: (lgId: number) => string | null, only: string | null = null) => {
    const areas = new Map<string, { applicants: Set<string>; lgs: Set<number>; committed: number }>();
    for (const key of KEYS) {
      const total = Object.values(COMMITTED[key]).reduce((sum, cents) => sum + cents, 0);
      const mine = new Set(
        applicant(key)
          .members.map((m) => areaOf(m.id))
          .filter((area): area is string => area !== null),
      );
      for (const area of mine) {
        const entry = areas.get(area) ?? { applicants: new Set(), lgs: new Set(), committed: 0 };
        entry.applicants.add(key);
        entry.committed += total;
        for (const m of applicant(key).members) if (areaOf(m.id) === area) entry.lgs.add(m.id);
        areas.set(area, entry);
      }
    }
    return Object.fromEntries(
      [...areas.entries()]
        .filter(([area]) => only === null || area === only)
        .map(([area, x]) => [area, { applicants: x.applicants.size, localGovernments: x.lgs.size, committedCents: x.committed, allocatedCents: 0 }]),
    );
  };
  const byCode = (areas: Area[]) =>
    Object.fromEntries(
      areas.map((a) => [
        a.code,
        { applicants: a.applicants, localGovernments: a.localGovernments, committedCents: a.committedCents, allocatedCents: a.allocatedCents },
      ]),
    );

  it('shows each member local government with its applicant’s actions and amounts', async () => {
    const body = await get(`/api/v1/overviews/local-governments?year=${fx.call.year}`);
    expect(body.filters).toEqual({ year: fx.call.year, objective: null, action: null, province: null, region: null, municipalities: 'as-was' });
    const expected = KEYS.flatMap((key) =>
      applicant(key).members.flatMap((m) =>
        Object.entries(COMMITTED[key]).map(([action, cents]) => ({
          localGovernmentId: m.id,
          localGovernmentNl: m.nameNl,
          applicantNl: applicant(key).nameNl,
          actionNumber: Number(action),
          committedCents: cents,
          allocatedCents: 0,
        })),
      ),
    );
    const got = (body.rows as Row[]).map((r) => ({
      localGovernmentId: r.localGovernmentId,
      localGovernmentNl: r.localGovernmentNl,
      applicantNl: r.applicantNl,
      actionNumber: r.actionNumber,
      committedCents: r.committedCents,
      allocatedCents: r.allocatedCents,
    }));
    const sort = (rows: typeof got) => [...rows].sort((x, y) => x.localGovernmentId - y.localGovernmentId || x.actionNumber - y.actionNumber);
    expect(sort(got)).toEqual(sort(expected));
    expect(e.applicant.members.length).toBeGreaterThanOrEqual(2);
    // Sorted by local government name.
    const names = (body.rows as Row[]).map((r) => r.localGovernmentNl);
    expect(names).toEqual([...names].sort((x, y) => x.localeCompare(y, 'nl')));
    for (const row of body.rows as Row[]) {
      expect(row.provinceNl).toBe(where.get(row.localGovernmentId)!.province);
      expect(row.regionNl).toBe(where.get(row.localGovernmentId)!.regionNl);
    }
  });

  it('totals per province and per reference region, each applicant counted whole where it has a member', async () => {
    const body = await get(`/api/v1/overviews/local-governments?year=${fx.call.year}`);
    expect(byCode(body.provinces)).toEqual(expectedAreas((id) => where.get(id)!.province));
    expect(byCode(body.regions)).toEqual(expectedAreas((id) => where.get(id)!.regionCode));
    expect(body.regions.every((r: Area) => r.nameNl === [...where.values()].find((w) => w.regionCode === r.code)!.regionNl)).toBe(true);
  });

  it('agrees with the overview per action under the same province or region filter', async () => {
    const body = await get(`/api/v1/overviews/local-governments?year=${fx.call.year}`);
    for (const [param, areas] of [
      ['province', body.provinces],
      ['region', body.regions],
    ] as const) {
      for (const area of areas as Area[]) {
        const actions = await get(`/api/v1/overviews/actions?year=${fx.call.year}&${param}=${encodeURIComponent(area.code)}`);
        const sum = (key: 'committedCents' | 'allocatedCents') => actions.rows.reduce((total: number, r: Record<string, number>) => total + r[key], 0);
        expect([area.code, area.committedCents, area.allocatedCents]).toEqual([area.code, sum('committedCents'), sum('allocatedCents')]);
        const lines = (await get(`/api/v1/overviews/kpi-lines?year=${fx.call.year}&${param}=${encodeURIComponent(area.code)}`)).lines;
        expect(new Set(lines.map((l: { applicantNameNl: string }) => l.applicantNameNl)).size).toBe(area.applicants);
      }
    }
  });

  it('narrows by region, province, action and objective: rows of the local governments in the area, totals of that area only', async () => {
    const region = where.get(e.applicant.lead.id)!.regionCode!;
    const inRegion = await get(`/api/v1/overviews/local-governments?region=${region}`);
    expect(inRegion.filters.region).toBe(region);
    expect(inRegion.rows.length).toBeGreaterThan(0);
    expect((inRegion.rows as Row[]).every((r) => where.get(r.localGovernmentId)!.regionCode === region)).toBe(true);
    expect(byCode(inRegion.regions)).toEqual(expectedAreas((id) => where.get(id)!.regionCode, region));
    const e9 = (inRegion.rows as Row[]).filter((r) => r.applicantNl === e.applicant.nameNl);
    expect(e9.map((r) => [r.actionNumber, r.committedCents])).toEqual(e.applicant.members.map(() => [9, 100_000]));

    const province = where.get(fx.a.applicant.lead.id)!.province!;
    const inProvince = await get(`/api/v1/overviews/local-governments?province=${encodeURIComponent(province)}`);
    expect((inProvince.rows as Row[]).every((r) => r.provinceNl === province)).toBe(true);
    expect(byCode(inProvince.provinces)).toEqual(expectedAreas((id) => where.get(id)!.province, province));

    const action9 = await get('/api/v1/overviews/local-governments?action=9');
    expect(new Set((action9.rows as Row[]).map((r) => r.actionNumber))).toEqual(new Set([9]));
    expect((action9.provinces as Area[]).reduce((sum, p) => sum + p.applicants, 0)).toBeGreaterThanOrEqual(3); // A, B, E
    expect((await get('/api/v1/overviews/local-governments?objective=veiligheid')).rows).toEqual([]);
    expect((await get('/api/v1/overviews/local-governments?region=nergens')).rows).toEqual([]);
    expect((await get('/api/v1/overviews/actions?region=nergens')).rows).toEqual([]);
  });

  it('exports the same tables as CSV and as an Excel workbook', async () => {
    const body = await get(`/api/v1/overviews/local-governments?year=${fx.call.year}`);
    const csv = (
      await request(f.http).get(`/api/v1/overviews/local-governments.csv?year=${fx.call.year}`).set(as(analyst)).buffer(true).parse(text).expect(200)
    ).body as string;
    expect(csv.charCodeAt(0)).toBe(0xfeff);
    const lines = csv.slice(1).split('\r\n');
    expect(lines[0]).toBe('Overzicht;Per lokaal bestuur, per provincie en per referentieregio');
    expect(lines[1]).toBe(`Filters;projectjaar=${fx.call.year};doelstelling=alle;actie=alle;provincie=alle;regio=alle`);
    expect(lines[2]).toMatch(/^Gegenereerd;/);
    expect(lines.slice(3, 6)).toEqual(['', 'Per lokaal bestuur', LOCAL_GOVERNMENTS_HEADER.join(';')]);
    const lgLines = lines.slice(6, 6 + body.rows.length).map((l) => l.split(';'));
    expect(lgLines.map((cells) => [cells[0], Number(cells[4]), cells[5], Number(cells[6]), cells[8]])).toEqual(
      (body.rows as Row[]).map((r) => [r.localGovernmentNl, r.year, r.applicantNl, r.actionNumber, `${r.committedCents / 100},00`]),
    );
    const provincesAt = lines.indexOf('Per provincie');
    expect(lines[provincesAt + 1]).toBe(PROVINCES_HEADER.join(';'));
    expect(lines.slice(provincesAt + 2, provincesAt + 2 + body.provinces.length)).toEqual(
      (body.provinces as Area[]).map((p) => `${p.nameNl};${p.applicants};${p.localGovernments};${p.committedCents / 100},00;0,00`),
    );
    const regionsAt = lines.indexOf('Per referentieregio');
    expect(lines[regionsAt + 1]).toBe(REGIONS_HEADER.join(';'));
    expect(lines.slice(regionsAt + 2, regionsAt + 2 + body.regions.length).map((l) => l.split(';')[1])).toEqual((body.regions as Area[]).map((r) => r.code));

    const file = (
      await request(f.http).get(`/api/v1/overviews/local-governments.xlsx?year=${fx.call.year}`).set(as(analyst)).buffer(true).parse(binary).expect(200)
    ).body as Buffer;
    const workbook = new ExcelJS.Workbook();
    await workbook.xlsx.load(file as unknown as ArrayBuffer);
    expect(workbook.worksheets.map((s) => s.name)).toEqual(['Per lokaal bestuur', 'Per provincie', 'Per referentieregio']);
    const sheet = workbook.getWorksheet('Per provincie')!;
    expect(sheet.getRow(4).values).toEqual([undefined, ...PROVINCES_HEADER]);
    expect(sheet.views[0]).toMatchObject({ state: 'frozen', ySplit: 4 });
    expect(sheet.autoFilter).toBe(`A4:E${4 + Math.max(body.provinces.length, 1)}`);
    expect(sheet.getRow(5).getCell(4).value).toBe(body.provinces[0].committedCents / 100);
    expect(sheet.getRow(5).getCell(4).numFmt).toContain('€');
  });

  it('shows the page with both charts and their tables, the filters in the download links; refuses a bad region and changes nothing', async () => {
    const agent = await signIn(f, 'vera-vvsg@service.test', 'een lang wachtwoord voor tests');
    const region = where.get(e.applicant.lead.id)!.regionCode!;
    const html = (await agent.get(`/overzichten/lokale-besturen?region=${region}`).expect(200)).text;
    expect(html).toContain('aria-labelledby="chart-provinces-title chart-provinces-desc"');
    expect(html).toContain('aria-labelledby="chart-regions-title chart-regions-desc"');
    expect(html).toContain(`href="/overzichten/lokale-besturen.csv?region&#x3D;${region}"`);
    for (const m of e.applicant.members) expect(html).toContain(m.nameNl);
    expect(html).toContain(`<option value="${region}" selected>`);
    const page = (await agent.get(`/overzichten/lokale-besturen.csv?region=${region}`).buffer(true).parse(text).expect(200)).body as string;
    const api = (await request(f.http).get(`/api/v1/overviews/local-governments.csv?region=${region}`).set(as(analyst)).buffer(true).parse(text).expect(200))
      .body as string;
    const withoutTime = (body: string) => body.split('\r\n').filter((line) => !line.startsWith('Gegenereerd'));
    expect(withoutTime(page)).toEqual(withoutTime(api));

    const before = await snapshot(f.dataSource, TABLES);
    const refused = await agent.get('/overzichten/lokale-besturen?region=Gent%20%3B').expect(422);
    expect(refused.text).toContain('Kies een referentieregio uit de lijst.');
    expect(refused.text).toContain('href="#region"');
    expect((await request(f.http).get('/api/v1/overviews/local-governments?region=A').set(as(analyst)).expect(422)).body.errors).toEqual({
      region: ['Kies een referentieregio uit de lijst.'],
    });
    await request(f.http).get('/api/v1/overviews/local-governments.csv?separator=pipe').set(as(analyst)).expect(422);
    await request(f.http).get('/api/v1/overviews/actions?region=x'.padEnd(80, 'x')).set(as(analyst)).expect(422);
    expect(await snapshot(f.dataSource, TABLES)).toEqual(before);
    await request(f.http).get('/api/v1/overviews/local-governments').set(as(officer)).expect(403);
    await request(f.http).get('/api/v1/overviews/local-governments').expect(401);
  });
});
