import request from 'supertest';
import { startTestApp, TestApp } from '../support/test-app';

describe('the menu and the calls (API and pages)', () => {
  let t: TestApp;
  beforeAll(async () => (t = await startTestApp()));
  afterAll(() => t.close());

  it('lists the three project years with their windows in Brussels time', async () => {
    const res = await request(t.http).get('/api/v1/calls').expect(200);
    expect(res.body.map((c: { yearNumber: number }) => c.yearNumber)).toEqual([1, 2, 3]);
    const year2 = res.body[1];
    // 10 July 2023 12:00 in Brussels is 10:00 UTC (summer time, UTC+2).
    expect(year2.submissionClosesAt).toBe('2023-07-10T10:00:00.000Z');
    expect(year2.originDefinition).toBe('niet-EU-14');
    expect(res.body[0].budgetCents).toBe(1_413_635_900);
    expect(res.body[2].onlyExistingApplicants).toBe(true);
  });

  it('serves the menu of call 1: 7 objectives, 24 actions, 27 KPI lines for 20 funded actions', async () => {
    const res = await request(t.http).get('/api/v1/calls/1/menu').expect(200);
    const actions = res.body.flatMap((o: { actions: unknown[] }) => o.actions);
    expect(res.body).toHaveLength(7);
    expect(actions).toHaveLength(24);
    expect(actions.filter((a: { funded: boolean }) => a.funded)).toHaveLength(19);
    expect(actions.flatMap((a: { kpiLines: unknown[] }) => a.kpiLines)).toHaveLength(27);
    const action9 = actions.find((a: { number: number }) => a.number === 9);
    expect(action9.kpiLines.map((l: { unitNl: string; maxQuantity: number; unitAmountCents: number }) => [l.unitNl, l.maxQuantity, l.unitAmountCents])).toEqual(
      [
        ['begeleide nieuwkomers', 150, 65000],
        ['begeleide personen met een handicap', 38, 65000],
        ['begeleide 55-plussers', 75, 65000],
      ],
    );
  });

  it('funds action 23 from call 2 on', async () => {
    const menu = async (year: number) =>
      (await request(t.http).get(`/api/v1/calls/${year}/menu`).expect(200)).body.flatMap((o: { actions: unknown[] }) => o.actions);
    const action23 = async (year: number) => (await menu(year)).find((a: { number: number }) => a.number === 23);
    expect((await action23(1)).funded).toBe(false);
    expect((await action23(2)).funded).toBe(true);
    expect((await action23(2)).kpiLines.length).toBeGreaterThan(0);
    expect((await menu(3)).filter((a: { funded: boolean }) => a.funded)).toHaveLength(20);
  });

  it('refuses a malformed project year with a per-field message and an unknown one with 404', async () => {
    const bad = await request(t.http).get('/api/v1/calls/abc/menu').expect(422);
    expect(Object.keys(bad.body.errors)).toEqual(['year']);
    await request(t.http).get('/api/v1/calls/9/menu').expect(404);
  });

  it('renders the actions page with all 24 actions grouped by 7 objectives', async () => {
    const res = await request(t.http).get('/acties?projectjaar=1').expect(200).expect('Content-Type', /html/);
    expect(res.text.match(/<h2 class="govuk-heading-l"/g)).toHaveLength(7);
    expect(res.text.match(/<h3 class="govuk-heading-m">Actie \d+:/g)).toHaveLength(24);
    expect(res.text).toMatch(/€\s25\.000,00/);
  });

  it('shows an error summary linked to the field for an unknown project year', async () => {
    const res = await request(t.http).get('/acties?projectjaar=12').expect(400);
    expect(res.text).toContain('govuk-error-summary');
    expect(res.text).toContain('href="#projectjaar"');
    expect(res.text).toContain('<title>Fout:');
  });

  it('publishes the OpenAPI document and a health check', async () => {
    const docs = await request(t.http).get('/api/docs-json').expect(200);
    expect(Object.keys(docs.body.paths)).toEqual(expect.arrayContaining(['/api/v1/calls', '/api/v1/calls/{year}/menu', '/api/v1/local-governments']));
    await request(t.http).get('/health').expect(200, { status: 'ok', database: 'up' });
  });

  it('answers an unknown page with a Dutch 404 page', async () => {
    const res = await request(t.http).get('/bestaat-niet').expect(404);
    expect(res.text).toContain('Pagina niet gevonden');
  });
});
