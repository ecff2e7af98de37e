import request from 'supertest';
import { DEFAULT_PAGE_SIZE, MAX_PAGE, MAX_PAGE_SIZE } from '@ps/kernel';
import { AllocationFixture, threeApprovedAndOnePending } from '../support/allocation-fixture';
import { Factories, startFactories } from '../support/factories';
import { signIn } from '../support/sessions';
import { snapshot } from '../support/test-app';
import { walkPages } from '../support/paging';

const TABLES = ['application', 'application_line', 'applicant', 'applicant_member', 'audit_event', 'security_event'];
const PAGE_MESSAGE = `Kies een paginanummer: een geheel getal van 1 tot ${MAX_PAGE}.`;
const SIZE_MESSAGE = `Kies een paginagrootte: een geheel getal van 1 tot ${MAX_PAGE_SIZE}.`;

/**
 * Issue 27: the lists that grow with the programme come a page at a time (kernel paging.ts), on the pages and in the
 * API; the exports stay whole. Pages walked one by one give the whole list, in its order, each row once.
 */
describe('paging of the lists that grow with the programme', () => {
  let f: Factories;
  let fx: AllocationFixture;
  let analyst: string;
  let reviewer: string;
  const as = (token: string) => ({ Authorization: `Bearer ${token}` });

  beforeAll(async () => {
    f = await startFactories({ http: true });
    fx = await threeApprovedAndOnePending(f);
    // a fourth applicant with two member local governments: more rows per local government than applicants
    await f.anApprovedApplication(fx.call, { applicant: { kind: 'cooperation' }, lines: [{ action: 9, planned: 2 }] });
    [analyst, reviewer] = await Promise.all([
      f.actors.another('vvsg-analyst', 'Vera VVSG').then((x) => f.bearer(x)),
      f.actors.another('abb-reviewer', 'Rita Reviewer').then((x) => f.bearer(x)),
    ]);
  });
  afterAll(() => f?.close());

  /** Every page of `path` at `pageSize`, the list under `key`, walked until the last page the answers name. */
  const walk = (path: string, token: string, key: 'rows' | 'items', pageSize: number) =>
    walkPages<{ id: number }>(f.http, path, pageSize, { headers: as(token), key });

  it('pages the overview per local government in the API: the pages together are the whole table, the area totals whole on each', async () => {
    const whole = (await request(f.http).get(`/api/v1/overviews/local-governments?pageSize=${MAX_PAGE_SIZE}`).set(as(analyst)).expect(200)).body;
    expect(whole.total).toBeGreaterThan(4);
    expect(whole.rows).toHaveLength(whole.total);
    const { first, all } = await walk('/api/v1/overviews/local-governments', analyst, 'rows', 2);
    expect(first).toMatchObject({ page: 1, pageSize: 2, total: whole.total, pages: Math.ceil(whole.total / 2) });
    expect(first.rows).toHaveLength(2);
    expect(first.provinces).toEqual(whole.provinces);
    expect(first.regions).toEqual(whole.regions);
    expect(all).toEqual(whole.rows);

    const byDefault = (await request(f.http).get('/api/v1/overviews/local-governments').set(as(analyst)).expect(200)).body;
    expect(byDefault).toMatchObject({ page: 1, pageSize: DEFAULT_PAGE_SIZE, total: whole.total });
    const past = (
      await request(f.http)
        .get(`/api/v1/overviews/local-governments?pageSize=2&page=${first.pages + 1}`)
        .set(as(analyst))
        .expect(200)
    ).body;
    expect(past).toMatchObject({ rows: [], page: first.pages + 1, total: whole.total, pages: first.pages });

    // the export stays whole: every row of the table, not a page
    const csv = (await request(f.http).get('/api/v1/overviews/local-governments.csv').set(as(analyst)).expect(200)).text;
    for (const row of whole.rows as { localGovernmentNl: string; applicantNl: string }[]) expect(csv).toContain(`${row.localGovernmentNl};`);
  });

  it('pages the review queue in the API: oldest submission first over all pages, each application once, its contribution summed', async () => {
    const whole = (await request(f.http).get(`/api/v1/applications?pageSize=${MAX_PAGE_SIZE}`).set(as(reviewer)).expect(200)).body;
    expect(whole.total).toBe(5);
    const { first, all } = await walk('/api/v1/applications', reviewer, 'items', 2);
    expect(first).toMatchObject({ page: 1, pageSize: 2, total: 5, pages: 3 });
    expect(all).toEqual(whole.items);
    expect(new Set(all.map((a: { id: number }) => a.id)).size).toBe(5);
    const sums: { id: number; flemish: string }[] = await f.dataSource.query(
      `SELECT ap.id, coalesce(sum(l.contribution_cents), 0)::text AS flemish FROM application ap LEFT JOIN application_line l ON l.application_id = ap.id GROUP BY ap.id`,
    );
    for (const item of whole.items as { id: number; flemishContributionCents: number }[]) {
      expect(item.flemishContributionCents).toBe(Number(sums.find((s) => s.id === item.id)!.flemish));
    }
    const approved = (await request(f.http).get('/api/v1/applications?status=goedgekeurd&pageSize=1&page=2').set(as(reviewer)).expect(200)).body;
    expect(approved).toMatchObject({ page: 2, pageSize: 1, total: 4, pages: 4 });
    expect(approved.items).toEqual([whole.items.filter((a: { status: string }) => a.status === 'goedgekeurd')[1]]);

    // The order is the database's (ordered and cut in SQL): oldest submission first, never submitted last.
    const submitted = (whole.items as { submittedAt: string | null }[]).map((a) => (a.submittedAt === null ? Infinity : Date.parse(a.submittedAt)));
    expect(submitted).toEqual([...submitted].sort((a, b) => a - b));
    // Past the last page: no items, and still the queue's length.
    expect((await request(f.http).get('/api/v1/applications?pageSize=2&page=9').set(as(reviewer)).expect(200)).body).toEqual({
      items: [],
      page: 9,
      pageSize: 2,
      total: 5,
      pages: 3,
    });
  });

  it('refuses a page or page size out of bounds with a Dutch message per field (422), and changes nothing', async () => {
    const before = await snapshot(f.dataSource, TABLES);
    for (const path of ['/api/v1/overviews/local-governments', '/api/v1/applications']) {
      const token = path.includes('overviews') ? analyst : reviewer;
      for (const page of ['0', '-1', 'twee', '1.5', String(MAX_PAGE + 1)]) {
        const refused = (await request(f.http).get(`${path}?page=${page}`).set(as(token)).expect(422)).body;
        expect(refused.errors).toEqual({ page: [PAGE_MESSAGE] });
      }
      for (const pageSize of ['0', String(MAX_PAGE_SIZE + 1), 'alle', '1e3']) {
        const refused = (await request(f.http).get(`${path}?pageSize=${pageSize}`).set(as(token)).expect(422)).body;
        expect(refused.errors).toEqual({ pageSize: [SIZE_MESSAGE] });
      }
      const both = (await request(f.http).get(`${path}?page=0&pageSize=0`).set(as(token)).expect(422)).body;
      expect(both.errors).toEqual({ page: [PAGE_MESSAGE], pageSize: [SIZE_MESSAGE] });
    }
    expect(await snapshot(f.dataSource, TABLES)).toEqual(before);
  });

  it('shows the overview page a page at a time with GOV.UK pagination that keeps the filters; refuses a bad page in Dutch', async () => {
    const agent = await signIn(f, 'vera-vvsg@service.test', 'een lang wachtwoord voor tests');
    const whole = (await request(f.http).get(`/api/v1/overviews/local-governments?year=${fx.call.year}&pageSize=${MAX_PAGE_SIZE}`).set(as(analyst)).expect(200))
      .body;
    const pages = Math.ceil(whole.total / 2);
    const html = (await agent.get(`/overzichten/lokale-besturen?year=${fx.call.year}&pageSize=2&page=2`).expect(200)).text;
    const table = html.slice(html.indexOf('id="local-governments"'), html.indexOf('</table>', html.indexOf('id="local-governments"')));
    expect(table.match(/<tr class="govuk-table__row">/g)).toHaveLength(1 + 2);
    for (const row of whole.rows.slice(2, 4) as { localGovernmentNl: string }[]) expect(table).toContain(row.localGovernmentNl);
    expect(html).toContain(`3 tot 4 van ${whole.total}`);
    expect(html).toContain('<nav class="govuk-pagination" aria-label="Paginering per lokaal bestuur">');
    expect(html).toContain(`href="/overzichten/lokale-besturen?year&#x3D;${fx.call.year}&amp;pageSize&#x3D;2" rel="prev"`);
    expect(html).toContain(`href="/overzichten/lokale-besturen?year&#x3D;${fx.call.year}&amp;pageSize&#x3D;2&amp;page&#x3D;3" rel="next"`);
    expect(html).toMatch(/aria-label="Pagina 2" aria-current="page">2</);
    expect(html).toContain(`aria-label="Pagina ${pages}"`);
    // the downloads hold the whole table: no page in their links
    expect(html).toContain(`href="/overzichten/lokale-besturen.csv?year&#x3D;${fx.call.year}"`);

    const before = await snapshot(f.dataSource, TABLES);
    const refused = await agent.get('/overzichten/lokale-besturen?page=nul').expect(422);
    expect(refused.text).toContain(PAGE_MESSAGE);
    expect(await snapshot(f.dataSource, TABLES)).toEqual(before);
  });

  it('shows the review queue a page at a time, the filters kept in the page links; refuses a bad page size in Dutch', async () => {
    const agent = await signIn(f, 'rita-reviewer@service.test', 'een lang wachtwoord voor tests');
    const approved = (await request(f.http).get(`/api/v1/applications?status=goedgekeurd&pageSize=${MAX_PAGE_SIZE}`).set(as(reviewer)).expect(200)).body.items;
    expect(approved).toHaveLength(4);
    const html = (await agent.get('/aanvragen?status=goedgekeurd&pageSize=1&page=2').expect(200)).text;
    expect(html).toContain(`href="/aanvragen/${approved[1].id}"`);
    for (const other of [approved[0], approved[2], approved[3]]) expect(html).not.toContain(`href="/aanvragen/${other.id}"`);
    expect(html).toContain('2 tot 2 van 4');
    expect(html).toContain('href="/aanvragen?status&#x3D;goedgekeurd&amp;pageSize&#x3D;1" rel="prev"');
    expect(html).toContain('href="/aanvragen?status&#x3D;goedgekeurd&amp;pageSize&#x3D;1&amp;page&#x3D;3" rel="next"');

    const before = await snapshot(f.dataSource, TABLES);
    const refused = await agent.get('/aanvragen?pageSize=500').expect(422);
    expect(refused.text).toContain(SIZE_MESSAGE);
    expect(await snapshot(f.dataSource, TABLES)).toEqual(before);
  });
});
