import request from 'supertest';
import { bearerFor } from '../support/sessions';
import { startTestApp, TestApp } from '../support/test-app';

describe('later years: a year-3 application starts from the confirmed commitments of year 2 that may extend', () => {
  let t: TestApp;
  let reviewer: string;
  let lier: string;
  let previousId: number;
  const lineOf = async (year: number, action: number, position = 1) =>
    (
      await t.dataSource.query(
        `SELECT k.id FROM kpi_line k JOIN call c ON c.id = k.call_id WHERE c.year_number = $1 AND k.action_number = $2 AND k.position = $3`,
        [year, action, position],
      )
    )[0].id as number;

  beforeAll(async () => {
    t = await startTestApp();
    [reviewer, lier] = await Promise.all([bearerFor(t, 'beoordelaar@abb.demo'), bearerFor(t, 'medewerker@lier.demo')]);
    // Year 2: Lier's cooperation was approved with three confirmed lines (set up directly: the walk itself is tested elsewhere).
    const [applicant] = await t.dataSource.query(
      `INSERT INTO applicant (call_id, kind, name_nl, lead_local_government_id) SELECT c.id, 'cooperation', 'Lier jaar 2', lg.id FROM call c, local_government lg
        WHERE c.year_number = 2 AND lg.nis_code = '12021' RETURNING id, call_id`,
    );
    [{ id: previousId }] = await t.dataSource.query(
      `INSERT INTO application (applicant_id, call_id, catalogue_version, status) VALUES ($1, $2, 1, 'goedgekeurd') RETURNING id`,
      [applicant.id, applicant.call_id],
    );
    for (const [action, confirmed] of [
      [5, 100],
      [13, 100],
      [24, 40],
    ]) {
      await t.dataSource.query(
        `INSERT INTO application_line (application_id, kpi_line_id, planned_reach, contribution_cents, confirmed_quantity, confirmed_contribution_cents)
         SELECT $1, k.id, $3::integer, $3::integer * k.unit_amount_cents, $3::integer, $3::integer * k.unit_amount_cents FROM kpi_line k WHERE k.id = $2`,
        [previousId, await lineOf(2, action), confirmed],
      );
    }
  });
  afterAll(() => t.close());

  const evaluate = async (action: number, evaluation: object): Promise<number> => {
    const { version } = (await request(t.http).get(`/api/v1/applications/${previousId}`).set('Authorization', `Bearer ${reviewer}`).expect(200)).body;
    const res = await request(t.http)
      .put(`/api/v1/applications/${previousId}/lines/${await lineOf(2, action)}/evaluation`)
      .set('Authorization', `Bearer ${reviewer}`)
      .send({ version, ...evaluation });
    return res.status;
  };

  it('records interim results and evaluations of approved lines (ABB reviewers only)', async () => {
    expect(await evaluate(5, { interimRealised: 25, positiveEvaluation: false })).toBe(200);
    expect(await evaluate(13, { interimRealised: 24, positiveEvaluation: false })).toBe(200);
    expect(await evaluate(24, { interimRealised: 0, positiveEvaluation: false, overrideReason: 'Partner viel weg; nieuwe partner gevonden' })).toBe(200);
    expect(await evaluate(9, { interimRealised: 5, positiveEvaluation: true })).toBe(422);
  });

  it('prefills year 3 with the lines that reached 25 % or were overridden, not the line at 24 %', async () => {
    const [{ id: applicantId }] = await t.dataSource.query(`SELECT id FROM applicant WHERE name_nl LIKE 'Samenwerkingsverband Lier%'`);
    const draft = (await request(t.http).post(`/api/v1/applicants/${applicantId}/application`).set('Authorization', `Bearer ${lier}`).expect(201)).body;
    expect(draft.previousApplicationId).toBe(previousId);
    const planned = Object.fromEntries(
      draft.lines
        .filter((l: { plannedReach: number }) => l.plannedReach > 0)
        .map((l: { actionNumber: number; plannedReach: number }) => [l.actionNumber, l.plannedReach]),
    );
    expect(planned).toEqual({ 5: 100, 24: 40 });
    expect(draft.totals.flemishContributionCents).toBe(100 * 6000 + 40 * 21000);
  });
});
