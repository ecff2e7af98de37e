import request from 'supertest';
import { startTestApp, TestApp } from '../support/test-app';

describe('local governments (API and page)', () => {
  let t: TestApp;
  beforeAll(async () => (t = await startTestApp()));
  afterAll(() => t.close());

  /** Every page of the list the API answers to `query` (a page at a time since the list was paged). */
  async function every(query = '') {
    const all = [];
    for (let page = 1, pages = 1; page <= pages; page += 1) {
      const body = (
        await request(t.http)
          .get(`/api/v1/local-governments?${query}${query ? '&' : ''}pageSize=200&page=${page}`)
          .expect(200)
      ).body;
      pages = body.pages;
      all.push(...body.items);
    }
    return all;
  }

  it('lists the 285 Flemish municipalities of today plus VGC and vzw De Rand, six facility municipalities flagged', async () => {
    const all = await every();
    expect(all).toHaveLength(287);
    expect(all.filter((lg: { kind: string }) => lg.kind === 'municipality')).toHaveLength(285);
    expect(all.filter((lg: { facilityMunicipality: boolean }) => lg.facilityMunicipality).map((lg: { nameNl: string }) => lg.nameNl)).toEqual([
      'Drogenbos',
      'Kraainem',
      'Linkebeek',
      'Sint-Genesius-Rode',
      'Wemmel',
      'Wezembeek-Oppem',
    ]);
    expect(
      all
        .map((lg: { kind: string }) => lg.kind)
        .slice(-2)
        .sort(),
    ).toEqual(['de-rand', 'vgc']);
  });

  it('gives the list of an earlier day: the 300 municipalities until 31 December 2024, with their successors', async () => {
    const before = await every('date=2024-12-31');
    expect(before.filter((lg: { kind: string }) => lg.kind === 'municipality')).toHaveLength(300);
    expect(before).toHaveLength(302);
    const after = await every('date=2025-01-01');
    expect(after.filter((lg: { kind: string }) => lg.kind === 'municipality')).toHaveLength(285);
    const ended = before.filter((lg: { validUntil: string | null }) => lg.validUntil === '2024-12-31');
    expect(ended).toHaveLength(28);
    const byId = new Map(after.map((lg: { id: number; nisCode: string }) => [lg.id, lg]));
    const zwijndrecht = ended.find((lg: { nisCode: string }) => lg.nisCode === '11056');
    expect(zwijndrecht).toMatchObject({ nameNl: 'Zwijndrecht', provinceNl: 'Antwerpen' });
    expect(byId.get(zwijndrecht.successorId)).toMatchObject({
      nisCode: '46030',
      nameNl: 'Beveren-Kruibeke-Zwijndrecht',
      arrondissementNl: 'Sint-Niklaas',
      provinceNl: 'Oost-Vlaanderen',
      validFrom: '2025-01-01',
      validUntil: null,
    });
    const antwerpen = after.find((lg: { nisCode: string }) => lg.nisCode === '11002');
    expect(antwerpen).toMatchObject({ nameNl: 'Antwerpen', validFrom: '2025-01-01', provinceNl: 'Antwerpen' });
    expect(ended.filter((lg: { successorId: number }) => lg.successorId === antwerpen.id).map((lg: { nameNl: string }) => lg.nameNl)).toEqual([
      'Antwerpen',
      'Borsbeek',
    ]);
    expect(new Set(ended.map((lg: { successorId: number }) => (byId.get(lg.successorId) as { nisCode: string }).nisCode)).size).toBe(13);
    // The NIS code of today's Antwerpen; the one before the merger stays under its own id for years 1 to 3.
    expect((await request(t.http).get('/api/v1/local-governments/11002').expect(200)).body.id).toBe(antwerpen.id);
  });

  it('finds by name, by NIS code and by province', async () => {
    const byName = (await request(t.http).get('/api/v1/local-governments?q=GENT').expect(200)).body.items;
    expect(byName.map((lg: { nameNl: string }) => lg.nameNl)).toContain('Gent');
    const byNis = (await request(t.http).get('/api/v1/local-governments?q=44021').expect(200)).body.items;
    expect(byNis.map((lg: { nisCode: string }) => lg.nisCode)).toEqual(['44021']);
    const limburg = await every('province=Limburg');
    expect(limburg.length).toBeGreaterThan(30);
    expect(limburg.every((lg: { provinceNl: string }) => lg.provinceNl === 'Limburg')).toBe(true);
    const gent = (await request(t.http).get('/api/v1/local-governments/44021').expect(200)).body;
    expect(gent).toMatchObject({ nameNl: 'Gent', arrondissementNl: 'Gent', provinceNl: 'Oost-Vlaanderen', inhabitants2020: 263927 });
  });

  it('treats LIKE wildcards in a search as plain text', async () => {
    expect((await request(t.http).get('/api/v1/local-governments?q=%25').expect(200)).body).toMatchObject({ items: [], total: 0 });
  });

  it('refuses bad parameters with per-field messages', async () => {
    expect((await request(t.http).get('/api/v1/local-governments/4402').expect(422)).body.errors).toEqual({ nisCode: ['NIS-code moet uit 5 cijfers bestaan'] });
    expect(
      (
        await request(t.http)
          .get(`/api/v1/local-governments?q=${'x'.repeat(101)}`)
          .expect(422)
      ).body.errors,
    ).toHaveProperty('q');
    expect((await request(t.http).get('/api/v1/local-governments?colour=red').expect(422)).body.errors).toHaveProperty('colour');
    for (const date of ['2025-02-30', '31-12-2024', '2024-1-1', 'gisteren']) {
      expect((await request(t.http).get(`/api/v1/local-governments?date=${date}`).expect(422)).body.errors).toEqual({
        date: ['datum moet een bestaande dag zijn, als JJJJ-MM-DD'],
      });
    }
    await request(t.http).get('/api/v1/local-governments/99999').expect(404);
  });

  it('renders the search page with results and a count', async () => {
    const res = await request(t.http).get('/lokale-besturen?zoek=gent&provincie=Oost-Vlaanderen').expect(200);
    expect(res.text).toContain('<td class="govuk-table__cell">Gent</td>');
    expect(res.text).toMatch(/\d+ lokale besturen gevonden|1 lokaal bestuur gevonden/);
  });

  it('summarises a bad search at the top, linked to its field', async () => {
    const res = await request(t.http)
      .get(`/lokale-besturen?zoek=${'x'.repeat(101)}&provincie=Atlantis`)
      .expect(400);
    expect(res.text).toContain('href="#zoek"');
    expect(res.text).toContain('href="#provincie"');
    expect(res.text).not.toContain('<table');
  });
});
