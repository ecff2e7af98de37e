import request from 'supertest';
import { ApplicantRegistrationService, CoverageRow, coverageCounts } from '@ps/applicants';
import { DEFAULT_PAGE_SIZE, MAX_PAGE, MAX_PAGE_SIZE } from '@ps/kernel';
import { bearerFor, signIn } from '../support/sessions';
import { walkPages } from '../support/paging';
import { snapshot, startTestApp, TestApp } from '../support/test-app';

const PAGE_MESSAGE = `Kies een paginanummer: een geheel getal van 1 tot ${MAX_PAGE}.`;
const SIZE_MESSAGE = `Kies een paginagrootte: een geheel getal van 1 tot ${MAX_PAGE_SIZE}.`;
const TABLES = ['applicant', 'applicant_member', 'audit_event', 'security_event'];

/**
 * Issue 27: the coverage overview of a call (every Flemish municipality: eligible alone, covered by a cooperation, not
 * covered) comes a page at a time, in NIS-code order, with the whole filtered list's numbers per status on every page.
 */
describe('paging of the eligibility coverage overview', () => {
  let t: TestApp;
  let abb: string;
  const as = (token: string) => ({ Authorization: `Bearer ${token}` });
  const whole = async (year: number, filter: { province?: string; regionId?: number } = {}) =>
    JSON.parse(JSON.stringify((await t.app.get(ApplicantRegistrationService).coverage(year, filter)).rows)) as CoverageRow[];

  beforeAll(async () => {
    t = await startTestApp();
    abb = await bearerFor(t, 'beoordelaar@abb.demo');
  });
  afterAll(() => t?.close());

  /** Every page of the API's overview for `query` at `pageSize`, checking each page's numbers against the first. */
  const walk = (query: string, pageSize: number) =>
    walkPages<CoverageRow>(t.http, `/api/v1/eligibility?${query}`, pageSize, { headers: as(abb), same: ['counts', 'call'] });

  it('walks the API a page at a time: the pages together are the whole list in NIS-code order, the counts whole on each', async () => {
    const list = await whole(2);
    expect(list).toHaveLength(300);
    const { first, all } = await walk('year=2', MAX_PAGE_SIZE);
    expect(first).toMatchObject({ page: 1, pageSize: MAX_PAGE_SIZE, total: 300, pages: 2, call: { yearNumber: 2 } });
    expect(first.items).toHaveLength(MAX_PAGE_SIZE);
    expect(Object.keys(first).sort()).toEqual(['call', 'counts', 'items', 'page', 'pageSize', 'pages', 'total']);
    expect(all).toEqual(list);
    expect(all.map((row) => row.nisCode)).toEqual(all.map((row) => row.nisCode).sort());
    // the numbers per status are the whole list's, each status named, together the total
    expect(first.counts).toEqual(coverageCounts(list));
    expect(Object.keys(first.counts as Record<string, number>).sort()).toEqual(['cooperation', 'eligible-alone', 'not-covered']);
    expect(Object.values(first.counts as Record<string, number>).reduce((sum, n) => sum + n, 0)).toBe(300);
    expect(Object.values(first.counts as Record<string, number>).filter((n) => n > 0).length).toBeGreaterThan(1);

    const small = await walk('year=2', 7);
    expect(small.first).toMatchObject({ total: 300, pages: Math.ceil(300 / 7), counts: first.counts });
    expect(small.all).toEqual(list);

    const byDefault = (await request(t.http).get('/api/v1/eligibility?year=2').set(as(abb)).expect(200)).body;
    expect(byDefault).toMatchObject({ page: 1, pageSize: DEFAULT_PAGE_SIZE, total: 300, pages: 6, counts: first.counts });
    expect(byDefault.items).toEqual(list.slice(0, DEFAULT_PAGE_SIZE));
    const past = (await request(t.http).get('/api/v1/eligibility?year=2&page=7').set(as(abb)).expect(200)).body;
    expect(past).toMatchObject({ items: [], page: 7, total: 300, pages: 6, counts: first.counts });
  });

  it('keeps the facts of the municipalities between requests only until a figure, a name or a region changes', async () => {
    const row = async (nisCode: string) =>
      ((await walk('year=2&province=Antwerpen', MAX_PAGE_SIZE)).all.find((r) => r.nisCode === nisCode) ?? null) as CoverageRow | null;
    // A municipality of the province with its own figure (not derived from predecessors).
    const [{ id, name_nl: name, nis_code: nisCode }] = await t.dataSource.query(
      `SELECT lg.id, lg.name_nl, lg.nis_code FROM local_government lg
        WHERE lg.province_nl = 'Antwerpen' AND lg.valid_from IS NULL AND lg.valid_until IS NULL
          AND EXISTS (SELECT 1 FROM origin_statistic s WHERE s.local_government_id = lg.id)
        ORDER BY lg.nis_code LIMIT 1`,
    );
    const before = (await row(nisCode))!;
    expect(before.residents).toEqual(expect.any(Number));
    try {
      await t.dataSource.query(`UPDATE origin_statistic SET residents = residents + 1 WHERE local_government_id = $1`, [id]);
      expect((await row(nisCode))!.residents).toBe(before.residents! + 1);
      await t.dataSource.query(`UPDATE local_government SET name_nl = $2 WHERE id = $1`, [id, `${name} (hernoemd)`]);
      expect((await row(nisCode))!.nameNl).toBe(`${name} (hernoemd)`);
      await t.dataSource.query(`UPDATE local_government SET province_nl = 'Limburg' WHERE id = $1`, [id]);
      expect(await row(nisCode)).toBeNull();
    } finally {
      await t.dataSource.query(`UPDATE origin_statistic SET residents = residents - 1 WHERE local_government_id = $1`, [id]);
      await t.dataSource.query(`UPDATE local_government SET name_nl = $2, province_nl = 'Antwerpen' WHERE id = $1`, [id, name]);
    }
    expect(await row(nisCode)).toEqual(before);
  });

  it('keeps the overview between requests only until an applicant, a membership or the call’s settings change', async () => {
    // The demo's cooperations: a municipality covered by one, in the first project year that has one.
    const [{ year }] = await t.dataSource.query(
      `SELECT min(c.year_number) AS year FROM applicant_member m JOIN call c ON c.id = m.call_id WHERE m.state = 'member'`,
    );
    const covered = (await walk(`year=${year}`, MAX_PAGE_SIZE)).all.find((r) => r.applicantId)!;
    expect(covered).toMatchObject({ applicantId: expect.any(Number), applicantNameNl: expect.any(String), status: expect.any(String) });
    const again = async () => (await walk(`year=${year}`, MAX_PAGE_SIZE)).all.find((r) => r.nisCode === covered.nisCode)!;
    const [{ id: lgId }] = await t.dataSource.query(
      `SELECT lg.id FROM local_government lg JOIN applicant_member m ON m.local_government_id = lg.id AND m.applicant_id = $2 WHERE lg.nis_code = $1`,
      [covered.nisCode, covered.applicantId],
    );
    try {
      await t.dataSource.query(`UPDATE applicant SET name_nl = name_nl || ' (hernoemd)' WHERE id = $1`, [covered.applicantId]);
      expect((await again()).applicantNameNl).toBe(`${covered.applicantNameNl} (hernoemd)`);
      // A contact saved does not count: the overview stays as it was (and right).
      await t.dataSource.query(`UPDATE applicant SET contact_name = 'Iemand anders' WHERE id = $1`, [covered.applicantId]);
      expect((await again()).applicantNameNl).toBe(`${covered.applicantNameNl} (hernoemd)`);
      await t.dataSource.query(`UPDATE applicant_member SET state = 'invited' WHERE applicant_id = $1 AND local_government_id = $2`, [
        covered.applicantId,
        lgId,
      ]);
      const uninvolved = await again();
      expect(uninvolved.applicantId === covered.applicantId).toBe(false);
    } finally {
      await t.dataSource.query(`UPDATE applicant_member SET state = 'member' WHERE applicant_id = $1 AND local_government_id = $2`, [
        covered.applicantId,
        lgId,
      ]);
      await t.dataSource.query(`UPDATE applicant SET name_nl = $2 WHERE id = $1`, [covered.applicantId, covered.applicantNameNl]);
    }
    expect(await again()).toEqual(covered);
    // The call's threshold is part of what the overview was kept for.
    const [{ threshold }] = await t.dataSource.query(`SELECT eligibility_threshold AS threshold FROM call WHERE year_number = 2`);
    const eligibleAlone = (await walk('year=2', MAX_PAGE_SIZE)).first.counts;
    try {
      await t.dataSource.query(`UPDATE call SET eligibility_threshold = 0 WHERE year_number = 2`);
      expect((await walk('year=2', MAX_PAGE_SIZE)).first.counts).not.toEqual(eligibleAlone);
    } finally {
      await t.dataSource.query(`UPDATE call SET eligibility_threshold = $1 WHERE year_number = 2`, [threshold]);
    }
    expect((await walk('year=2', MAX_PAGE_SIZE)).first.counts).toEqual(eligibleAlone);
  });

  it('keeps the filters on every page: the counts are the filtered list’s', async () => {
    const antwerp = await whole(2, { province: 'Antwerpen' });
    expect(antwerp.length).toBeGreaterThan(50);
    const byProvince = await walk('year=2&province=Antwerpen', 20);
    expect(byProvince.first).toMatchObject({ total: antwerp.length, pages: Math.ceil(antwerp.length / 20), counts: coverageCounts(antwerp) });
    expect(byProvince.all).toEqual(antwerp);

    const regionId = antwerp.find((row) => row.nisCode === '13001')!.regionId!;
    const region = await whole(2, { province: 'Antwerpen', regionId });
    expect(region.length).toBeGreaterThan(1);
    const byRegion = await walk(`year=2&province=Antwerpen&region=${regionId}`, 2);
    expect(byRegion.first).toMatchObject({ total: region.length, counts: coverageCounts(region) });
    expect(byRegion.all).toEqual(region);
    expect(byRegion.all.every((row) => row.regionId === regionId && row.provinceNl === 'Antwerpen')).toBe(true);
  });

  it('refuses a bad page or page size in the API with 422 in Dutch per field, and changes nothing', async () => {
    const before = await snapshot(t.dataSource, TABLES);
    for (const [query, errors] of [
      ['page=0', { page: [PAGE_MESSAGE] }],
      [`page=${MAX_PAGE + 1}`, { page: [PAGE_MESSAGE] }],
      ['page=twee', { page: [PAGE_MESSAGE] }],
      [`pageSize=${MAX_PAGE_SIZE + 1}`, { pageSize: [SIZE_MESSAGE] }],
      ['pageSize=0&page=-1', { page: [PAGE_MESSAGE], pageSize: [SIZE_MESSAGE] }],
    ] as const) {
      const res = await request(t.http).get(`/api/v1/eligibility?year=2&${query}`).set(as(abb)).expect(422);
      expect(res.body.errors).toEqual(errors);
    }
    expect(await snapshot(t.dataSource, TABLES)).toEqual(before);
  });

  it('shows the page a page at a time: the whole list’s counts above, pagination links that keep the filters', async () => {
    const officer = await signIn(t, 'beoordelaar@abb.demo');
    const antwerp = await whole(3, { province: 'Antwerpen' });
    const counts = coverageCounts(antwerp);
    const regionId = antwerp.find((row) => row.nisCode === '13001')!.regionId!;
    const summary = `${counts['eligible-alone']} alleen subsidiabel, ${counts.cooperation} in een samenwerkingsverband, ${counts['not-covered']} niet gedekt.`;

    // the filter form sends no page: it starts again at page 1
    const first = (await officer.get('/beheer/subsidiabiliteit?projectjaar=3&provincie=Antwerpen&pageSize=20').expect(200)).text;
    expect(first).not.toMatch(/name="page"/);
    expect(first).toContain(summary);
    expect(first).toContain(`1 tot 20 van ${antwerp.length}`);
    expect(first).toContain('<nav class="govuk-pagination" aria-label="Paginering van de gemeenten">');
    expect(first).toContain('href="/beheer/subsidiabiliteit?projectjaar&#x3D;3&amp;provincie&#x3D;Antwerpen&amp;pageSize&#x3D;20&amp;page&#x3D;2" rel="next"');

    // following "Volgende" to the end gives the whole filtered list, in order, the counts whole on every page
    const nis: string[] = [];
    let html = first;
    for (let pages = 1; ; pages += 1) {
      expect(html).toContain(summary);
      nis.push(...[...html.matchAll(/<tr class="govuk-table__row">\s*<td class="govuk-table__cell">(\d{5})<\/td>/g)].map((m) => m[1]));
      const next = /href="([^"]+)" rel="next"/.exec(html)?.[1];
      if (!next) {
        expect(pages).toBe(Math.ceil(antwerp.length / 20));
        break;
      }
      html = (await officer.get(next.replaceAll('&#x3D;', '=').replaceAll('&amp;', '&')).expect(200)).text;
    }
    expect(nis).toEqual(antwerp.map((row) => row.nisCode));

    // a region kept in the links as well
    const inRegion = (await officer.get(`/beheer/subsidiabiliteit?projectjaar=3&provincie=Antwerpen&regio=${regionId}&pageSize=1&page=2`).expect(200)).text;
    expect(inRegion).toContain(
      `href="/beheer/subsidiabiliteit?projectjaar&#x3D;3&amp;provincie&#x3D;Antwerpen&amp;regio&#x3D;${regionId}&amp;pageSize&#x3D;1" rel="prev"`,
    );
    expect(inRegion).toContain(
      `href="/beheer/subsidiabiliteit?projectjaar&#x3D;3&amp;provincie&#x3D;Antwerpen&amp;regio&#x3D;${regionId}&amp;pageSize&#x3D;1&amp;page&#x3D;3" rel="next"`,
    );
  });

  it('refuses a bad page or page size on the page with its error summary in Dutch, and changes nothing', async () => {
    const officer = await signIn(t, 'beoordelaar@abb.demo');
    const before = await snapshot(t.dataSource, TABLES);
    const refused = (await officer.get(`/beheer/subsidiabiliteit?projectjaar=3&page=0&pageSize=${MAX_PAGE_SIZE + 1}`).expect(422)).text;
    expect(refused).toContain('govuk-error-summary');
    expect(refused).toContain(PAGE_MESSAGE);
    expect(refused).toContain(SIZE_MESSAGE);
    expect(refused).not.toContain('<table class="govuk-table"');
    expect(await snapshot(t.dataSource, TABLES)).toEqual(before);
  });
});
