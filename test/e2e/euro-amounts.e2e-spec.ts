import request from 'supertest';
import { EURO_REFUSED, FixedClock } from '@ps/kernel';
import { bearerFor, csrfFrom, signIn } from '../support/sessions';
import { snapshot, startTestApp, TestApp } from '../support/test-app';

const TABLES = ['call', 'kpi_line', 'allocation_run', 'allocation_share', 'audit_event'];
/** Typos and ambiguous notations: each could be read as another amount than the one meant, so each is refused. */
const AMBIGUOUS = ['0.001', '1.00.000', '10,000.50', '1.5.0', '10.0000', '10.000.5', '€ 10', '10 000', '007', '12,345'];

/** Issue 23, finding 1: one euro grammar (libs/kernel/src/money.ts, parseEuros) for every amount typed on a page or sent to the API. */
describe('euro amounts: one unambiguous grammar everywhere', () => {
  let t: TestApp;
  let admin: string;
  let reviewer: string;
  const as = (token: string) => ({ Authorization: `Bearer ${token}` });
  const call = async (year: number) => (await request(t.http).get(`/api/v1/calls/${year}`).expect(200)).body;
  const unchangedBy = async (attempt: () => Promise<unknown>) => {
    const before = await snapshot(t.dataSource, TABLES);
    await attempt();
    expect(await snapshot(t.dataSource, TABLES)).toEqual(before);
  };

  beforeAll(async () => {
    t = await startTestApp({ clock: new FixedClock(new Date('2024-04-30T10:00:00Z')) });
    [admin, reviewer] = await Promise.all([bearerFor(t, 'beheerder@abb.demo'), bearerFor(t, 'beoordelaar@abb.demo')]);
  });
  afterAll(() => t?.close());

  it.each(AMBIGUOUS)('refuses a simulation budget of %p on budgetEuro with an example, and stores nothing', async (budgetEuro) => {
    await unchangedBy(async () => {
      const res = await request(t.http).post('/api/v1/calls/3/allocation-runs').set(as(reviewer)).send({ budgetEuro }).expect(422);
      expect(Object.keys(res.body.errors)).toEqual(['budgetEuro']);
      expect(res.body.errors.budgetEuro[0]).toContain('zoals 10000, 10.000 of 10.000,50');
    });
  });

  it('refuses the JSON number 0.001 as a budget too (it is the text "0.001")', async () => {
    await unchangedBy(async () => {
      const res = await request(t.http).post('/api/v1/calls/3/allocation-runs').set(as(reviewer)).send({ budgetEuro: 0.001 }).expect(422);
      expect(Object.keys(res.body.errors)).toEqual(['budgetEuro']);
    });
  });

  it('refuses a budget of "0.001" on the simulation page, next to the field', async () => {
    const agent = await signIn(t, 'beoordelaar@abb.demo');
    const page = await agent.get('/verdeling/3').expect(200);
    await unchangedBy(async () => {
      const res = await agent
        .post('/verdeling/3')
        .type('form')
        .send({ _csrf: csrfFrom(page.text), budgetEuro: '0.001', policy: 'pro-rata' })
        .expect(422);
      expect(res.text).toContain('href="#budgetEuro"');
      expect(res.text).toContain('zoals 10000, 10.000 of 10.000,50');
    });
  });

  it('refuses ambiguous amounts in a PATCH of the call settings, each on its own field', async () => {
    const { version } = await call(2);
    await unchangedBy(async () => {
      const res = await request(t.http)
        .patch('/api/v1/calls/2')
        .set(as(admin))
        .send({ version, budgetEuro: '0.001', cooperationStimulusEuro: '1.00.000', mentorshipStimulusEuro: '10,000.50', impactBondStimulusEuro: '10.0000' })
        .expect(422);
      expect(Object.keys(res.body.errors).sort()).toEqual(['budgetEuro', 'cooperationStimulusEuro', 'impactBondStimulusEuro', 'mentorshipStimulusEuro']);
      for (const messages of Object.values(res.body.errors) as string[][]) expect(messages[0]).toContain(EURO_REFUSED);
    });
  });

  it('refuses "0.001" on the call settings page', async () => {
    const agent = await signIn(t, 'beheerder@abb.demo');
    const page = await agent.get('/beheer/oproepen/2').expect(200);
    const version = /name="version" value="(\d+)"/.exec(page.text)![1];
    await unchangedBy(async () => {
      const res = await agent
        .post('/beheer/oproepen/2')
        .type('form')
        .send({ _csrf: csrfFrom(page.text), version, budgetEuro: '0.001' })
        .expect(422);
      expect(res.text).toContain('href="#budgetEuro"');
      expect(res.text).toContain('zoals 10000, 10.000 of 10.000,50');
    });
  });

  it('refuses an ambiguous unit amount of a KPI line, and reads "1.250" as € 1.250', async () => {
    const [line] = await t.dataSource.query(
      `SELECT k.id, k.max_quantity FROM kpi_line k JOIN call c ON c.id = k.call_id WHERE c.year_number = 2 ORDER BY k.id LIMIT 1`,
    );
    const put = async (unitAmountEuro: string, status: number) => {
      const { catalogueVersion } = await call(2);
      return request(t.http)
        .put(`/api/v1/calls/2/kpi-lines/${line.id}`)
        .set(as(admin))
        .send({ version: catalogueVersion, maxQuantity: String(line.max_quantity), unitAmountEuro })
        .expect(status);
    };
    for (const amount of ['0.001', '1.00.000', '12,345']) {
      await unchangedBy(async () => {
        expect((await put(amount, 422)).body.errors).toEqual({ unitAmountEuro: [EURO_REFUSED] });
      });
    }
    await put('1.250', 200);
    const [stored] = await t.dataSource.query(`SELECT unit_amount_cents FROM kpi_line WHERE id = $1`, [line.id]);
    expect(Number(stored.unit_amount_cents)).toBe(125_000);
  });

  it('takes every unambiguous notation of the same budget', async () => {
    for (const budgetEuro of ['16970780', '16.970.780', '16.970.780,00', '16970780,5', '16970780.50']) {
      const { version } = await call(2);
      const res = await request(t.http).patch('/api/v1/calls/2').set(as(admin)).send({ version, budgetEuro }).expect(200);
      expect(res.body.budgetCents).toBe(budgetEuro.endsWith('5') || budgetEuro.endsWith('50') ? 1_697_078_050 : 1_697_078_000);
    }
  });
});
