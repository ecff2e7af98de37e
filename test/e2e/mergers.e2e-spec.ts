import request from 'supertest';
import { bearerFor } from '../support/sessions';
import { snapshot, startTestApp, TestApp } from '../support/test-app';
import { wholeCoverage } from '../support/coverage';

/**
 * Issue 24, the mergers of 2025 (docs/calls.md, municipal mergers): a call uses the local governments of its project start. Year 3 is moved
 * to start on 1 October 2025 here, so that it stands for a call after the mergers; year 2 keeps the 300.
 */
describe('a call after the mergers of 2025', () => {
  let t: TestApp;
  let abb: string;
  const as = (token: string) => ({ Authorization: `Bearer ${token}` });
  const id = async (nis: string, after = false): Promise<number> =>
    (await t.dataSource.query(`SELECT id FROM local_government WHERE nis_code = $1 AND (valid_from IS NOT NULL) = $2`, [nis, after]))[0].id;
  const residents2022 = async (nis: string[]): Promise<number[]> =>
    (
      await t.dataSource.query(
        `SELECT s.residents FROM origin_statistic s JOIN local_government lg ON lg.id = s.local_government_id
          WHERE lg.nis_code = ANY($1) AND lg.valid_from IS NULL AND s.reference_year = 2022 AND s.origin_definition = 'niet-EU-14' ORDER BY lg.name_nl`,
        [nis],
      )
    ).map((row: { residents: number }) => Number(row.residents));

  beforeAll(async () => {
    t = await startTestApp();
    abb = await bearerFor(t, 'beheerder@abb.demo');
    await t.dataSource.query(
      `UPDATE call SET project_start = '2025-10-01', project_end = '2026-09-30', only_existing_applicants = false WHERE year_number = 3`,
    );
  });
  afterAll(() => t.close());

  it('gives the eligibility overview of the 285, a successor without a figure of its own summed from its predecessors, with its parts', async () => {
    const rows = await wholeCoverage(t.http, 'year=3', as(abb));
    expect(rows).toHaveLength(285);
    const byNis = new Map(rows.map((row: { nisCode: string }) => [row.nisCode, row]));
    expect(byNis.has('46003')).toBe(false);
    const [beveren, kruibeke, zwijndrecht] = await residents2022(['46003', '46013', '11056']);
    expect(byNis.get('46030')).toMatchObject({
      nameNl: 'Beveren-Kruibeke-Zwijndrecht',
      provinceNl: 'Oost-Vlaanderen',
      residents: beveren + kruibeke + zwijndrecht,
      derivedFrom: [
        { nisCode: '46003', nameNl: 'Beveren', residents: beveren },
        { nisCode: '46013', nameNl: 'Kruibeke', residents: kruibeke },
        { nisCode: '11056', nameNl: 'Zwijndrecht', residents: zwijndrecht },
      ],
    });
    expect(byNis.get('44021')).toMatchObject({ nameNl: 'Gent', derivedFrom: null });
    // Year 2 starts on 1 October 2023: the 300, Beveren among them.
    const before = await wholeCoverage(t.http, 'year=2', as(abb));
    expect(before).toHaveLength(300);
    expect(before.map((row: { nisCode: string }) => row.nisCode)).toContain('46003');

    const page = await request(t.http).get('/beheer/subsidiabiliteit?projectjaar=3&provincie=Oost-Vlaanderen&pageSize=200').set(as(abb)).expect(200);
    expect(page.text).toContain('Beveren-Kruibeke-Zwijndrecht');
    expect(page.text).toMatch(/afgeleid na de fusie: Beveren [\d.]+ \+ Kruibeke [\d.]+ \+ Zwijndrecht [\d.]+/);
  });

  it('refuses a predecessor in the call after its merger, naming its successor, and changes nothing', async () => {
    const before = await snapshot(t.dataSource, ['applicant', 'applicant_member', 'audit_event']);
    const refused = await request(t.http)
      .post('/api/v1/applicants')
      .set(as(abb))
      .send({ year: 3, kind: 'alone', leadLocalGovernmentId: await id('46003') })
      .expect(422);
    expect(refused.body.errors).toEqual({
      memberLocalGovernmentIds: ['Beveren bestaat niet meer op 1 oktober 2025: kies Beveren-Kruibeke-Zwijndrecht, waarin het is opgegaan.'],
    });
    const early = await request(t.http)
      .post('/api/v1/applicants')
      .set(as(abb))
      .send({ year: 2, kind: 'alone', leadLocalGovernmentId: await id('46030', true) })
      .expect(422);
    expect(early.body.errors.memberLocalGovernmentIds).toEqual([
      'Beveren-Kruibeke-Zwijndrecht bestaat pas vanaf 1 januari 2025, na de startdatum van dit projectjaar (1 oktober 2023).',
    ]);
    expect(await snapshot(t.dataSource, ['applicant', 'applicant_member', 'audit_event'])).toEqual(before);
    // The registration page of year 3 offers the successor, not the predecessors.
    const form = await request(t.http).get('/aanvragers/nieuw?projectjaar=3').set(as(abb)).expect(200);
    expect(form.text).toContain('Beveren-Kruibeke-Zwijndrecht (46030)');
    expect(form.text).not.toContain('Kruibeke (46013)');
  });

  it("tells on a year-2 cooperation's page how it continues in year 3: the successor in its members' place, and whether it may apply alone", async () => {
    const [applicant] = await t.dataSource.query(
      `INSERT INTO applicant (call_id, kind, name_nl, lead_local_government_id)
       SELECT id, 'cooperation', 'Samenwerking Waasland', $1 FROM call WHERE year_number = 2 RETURNING id`,
      [await id('46003')],
    );
    for (const nis of ['46003', '46013']) {
      await t.dataSource.query(
        `INSERT INTO applicant_member (applicant_id, call_id, local_government_id, state) SELECT $1, id, $2, 'member' FROM call WHERE year_number = 2`,
        [applicant.id, await id(nis)],
      );
    }
    const [{ eligibility_threshold: threshold }] = await t.dataSource.query(`SELECT eligibility_threshold FROM call WHERE year_number = 3`);
    const [beveren, kruibeke, zwijndrecht] = await residents2022(['46003', '46013', '11056']);
    const total = beveren + kruibeke + zwijndrecht;
    const page = await request(t.http).get(`/aanvragers/${applicant.id}`).set(as(abb)).expect(200);
    expect(page.text).toContain('Fusie van gemeenten: projectjaar 3');
    expect(page.text).toContain('Beveren en Kruibeke zijn opgegaan in Beveren-Kruibeke-Zwijndrecht');
    expect(page.text).toContain(
      total > Number(threshold)
        ? 'Het samenwerkingsverband telt nog één gemeente: Beveren-Kruibeke-Zwijndrecht heeft'
        : 'alleen indienen kan niet, een samenwerking met een andere gemeente wel',
    );
    expect(page.text).toContain(total > Number(threshold) ? 'en mag nu alleen indienen.' : 'niet meer dan de drempel');
  });
});
