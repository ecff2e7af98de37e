import request from 'supertest';
import { DEFAULT_PAGE_SIZE, MAX_PAGE, MAX_PAGE_SIZE } from '@ps/kernel';
import { LocalGovernmentSearch, OrganisationsService, toLocalGovernmentDto } from '@ps/organisations';
import { snapshot, startTestApp, TestApp } from '../support/test-app';
import { walkPages } from '../support/paging';

const TABLES = ['local_government', 'audit_event'];
const PAGE_MESSAGE = `Kies een paginanummer: een geheel getal van 1 tot ${MAX_PAGE}.`;
const SIZE_MESSAGE = `Kies een paginagrootte: een geheel getal van 1 tot ${MAX_PAGE_SIZE}.`;

interface Item {
  id: number;
  nisCode: string | null;
  nameNl: string;
  provinceNl: string | null;
}

/** `/lokale-besturen` and `GET /api/v1/local-governments` come a page at a time; the forms, imports and fixtures keep the whole list. */
describe('paging of the local governments', () => {
  let t: TestApp;
  let organisations: OrganisationsService;
  beforeAll(async () => {
    t = await startTestApp();
    organisations = t.app.get(OrganisationsService);
  });
  afterAll(() => t.close());

  /** The whole list the service's whole-list method gives, in the API's item shape (every field as before paging). */
  const whole = async (search: LocalGovernmentSearch) =>
    JSON.parse(JSON.stringify((await organisations.search({ validOn: organisations.today(), ...search })).map(toLocalGovernmentDto)));

  /** Every page of the API's answer to `query` at `pageSize`, checked page by page. */
  async function walk(query: string, pageSize: number) {
    const walked = await walkPages<Item>(t.http, `/api/v1/local-governments?${query}`, pageSize);
    expect(Object.keys(walked.first).sort()).toEqual(['items', 'page', 'pageSize', 'pages', 'total']);
    return walked;
  }

  it('answers a page with its total in the API; the pages together are the whole list, in its order, each once', async () => {
    const today = await whole({});
    expect(today).toHaveLength(287);
    const { first, all } = await walk('', 50);
    expect(first).toMatchObject({ page: 1, pageSize: 50, total: 287, pages: 6 });
    expect(first.items).toHaveLength(50);
    expect(all).toEqual(today);
    expect(new Set(all.map((lg) => lg.id)).size).toBe(287);
    expect(all.slice(-2).map((lg) => lg.nisCode)).toEqual([null, null]);

    const byDefault = (await request(t.http).get('/api/v1/local-governments').expect(200)).body;
    expect(byDefault).toMatchObject({ page: 1, pageSize: DEFAULT_PAGE_SIZE, total: 287, pages: Math.ceil(287 / DEFAULT_PAGE_SIZE) });
    expect(byDefault.items).toEqual(today.slice(0, DEFAULT_PAGE_SIZE));
    expect((await request(t.http).get('/api/v1/local-governments?page=7&pageSize=50').expect(200)).body).toEqual({
      items: [],
      page: 7,
      pageSize: 50,
      total: 287,
      pages: 6,
    });
  });

  it('keeps the filters: an earlier day (the 300 municipalities before the mergers), a name, a province', async () => {
    const before = await walk('date=2024-12-31', 7);
    expect(before.first.total).toBe(302);
    expect(before.all).toEqual(await whole({ validOn: '2024-12-31' }));
    const named = await walk('q=ge', 3);
    expect(named.all).toEqual(await whole({ query: 'ge' }));
    expect(named.first.total).toBeGreaterThan(3);
    const limburg = await walk('province=Limburg', 10);
    expect(limburg.all).toEqual(await whole({ province: 'Limburg' }));
    expect(limburg.all.every((lg) => lg.provinceNl === 'Limburg')).toBe(true);
    const none = (await request(t.http).get('/api/v1/local-governments?q=xyzzy').expect(200)).body;
    expect(none).toEqual({ items: [], page: 1, pageSize: DEFAULT_PAGE_SIZE, total: 0, pages: 1 });
  });

  it('keeps the whole-list method for the forms, imports and fixtures: every local government of every period, unpaged', async () => {
    const everyOne = await organisations.search();
    // every period: the 300 of 2020, the 13 successors of 2025, VGC and De Rand
    expect(everyOne).toHaveLength(315);
    expect(everyOne.length).toBeGreaterThan(DEFAULT_PAGE_SIZE);
  });

  it('refuses a page or page size out of bounds with a Dutch message per field (422), and changes nothing', async () => {
    const before = await snapshot(t.dataSource, TABLES);
    for (const page of ['0', '-1', 'twee', '1.5', String(MAX_PAGE + 1)]) {
      expect((await request(t.http).get(`/api/v1/local-governments?page=${page}`).expect(422)).body.errors).toEqual({ page: [PAGE_MESSAGE] });
    }
    for (const pageSize of ['0', String(MAX_PAGE_SIZE + 1), 'veel']) {
      expect((await request(t.http).get(`/api/v1/local-governments?pageSize=${pageSize}`).expect(422)).body.errors).toEqual({ pageSize: [SIZE_MESSAGE] });
    }
    const both = (await request(t.http).get('/api/v1/local-governments?q=gent&page=0&pageSize=0').expect(422)).body;
    expect(both.errors).toEqual({ page: [PAGE_MESSAGE], pageSize: [SIZE_MESSAGE] });

    const page = await request(t.http).get('/lokale-besturen?zoek=gent&page=nul').expect(422);
    expect(page.text).toContain('govuk-error-summary');
    expect(page.text).toContain(`<a href="#page">${PAGE_MESSAGE}</a>`);
    expect(page.text).not.toContain('<table');
    const size = await request(t.http).get('/lokale-besturen?pageSize=500').expect(422);
    expect(size.text).toContain(`<a href="#pageSize">${SIZE_MESSAGE}</a>`);
    expect(size.text).not.toContain('name="pageSize"');
    expect(await snapshot(t.dataSource, TABLES)).toEqual(before);
  });

  it('shows the page a page at a time; following "Volgende" keeps the search and gives the whole list', async () => {
    const expected = await whole({ query: 'e', province: 'Oost-Vlaanderen' });
    expect(expected.length).toBeGreaterThan(20);
    const pageSize = 9;
    const pages = Math.ceil(expected.length / pageSize);
    const rows: string[] = [];
    let path: string | undefined = `/lokale-besturen?zoek=e&provincie=Oost-Vlaanderen&pageSize=${pageSize}`;
    let walked = 0;
    while (path) {
      const html: string = (await request(t.http).get(path).expect(200)).text;
      walked += 1;
      expect(html).toContain(`${expected.length} lokale besturen gevonden`);
      const last = Math.min(walked * pageSize, expected.length);
      expect(html).toContain(`${(walked - 1) * pageSize + 1} tot ${last} van ${expected.length}`);
      expect(html).toContain('<nav class="govuk-pagination" aria-label="Paginering van de lokale besturen">');
      // a new search starts at page 1 and keeps the page size
      const form = html.slice(html.indexOf('<form method="get" action="/lokale-besturen"'), html.indexOf('</form>'));
      expect(form).toContain(`<input type="hidden" name="pageSize" value="${pageSize}">`);
      expect(form).not.toContain('name="page"');
      const body = html.slice(html.indexOf('<tbody'), html.indexOf('</tbody>'));
      for (const [, nis, name] of body.matchAll(/<td class="govuk-table__cell">(\d{5})<\/td>\s*<td class="govuk-table__cell">([^<]+)/g))
        rows.push(`${nis} ${name.trim()}`);
      const next: string | undefined = /<a class="govuk-link govuk-pagination__link" href="([^"]+)" rel="next">/.exec(html)?.[1];
      if (next) {
        const href: string = next.replace(/&amp;/g, '&').replace(/&#x3D;/g, '=');
        expect(href).toBe(`/lokale-besturen?zoek=e&provincie=Oost-Vlaanderen&pageSize=${pageSize}&page=${walked + 1}`);
        path = href;
      } else path = undefined;
    }
    expect(walked).toBe(pages);
    expect(rows).toEqual(expected.map((lg: Item) => `${lg.nisCode} ${lg.nameNl}`));
  });

  it('shows the first page by default and an empty page past the last one, still with the total', async () => {
    const html = (await request(t.http).get('/lokale-besturen').expect(200)).text;
    expect(html).toContain('287 lokale besturen gevonden');
    expect(html).toContain(`1 tot ${DEFAULT_PAGE_SIZE} van 287`);
    expect(html.slice(html.indexOf('<tbody'), html.indexOf('</tbody>')).match(/<tr class="govuk-table__row">/g)).toHaveLength(DEFAULT_PAGE_SIZE);
    expect(html).toContain('href="/lokale-besturen?page&#x3D;2" rel="next"');
    const past = (await request(t.http).get('/lokale-besturen?page=99').expect(200)).text;
    expect(past).toContain('287 lokale besturen gevonden');
    expect(past).toContain('Geen resultaten op deze pagina.');
    expect(past).not.toContain('<table');
  });
});
