import request from 'supertest';
import { bearerFor } from '../support/sessions';
import { snapshot, startTestApp, TestApp } from '../support/test-app';

/**
 * Issue 24, who may apply (docs/calls.md): year 3 is set here to take only the applicants of year 1, and to start on
 * 1 October 2025, after the mergers. Only a continuation of a year-1 applicant with the same lead (or the local government
 * that lead merged into) registers; every refusal names year 1 and changes nothing.
 */
describe('who may apply to a call', () => {
  let t: TestApp;
  let abb: string;
  let earlier: { one: number; two: number; lead: number };
  const TABLES = ['applicant', 'applicant_member', 'audit_event'];
  const register = (body: object) =>
    request(t.http)
      .post('/api/v1/applicants')
      .set({ Authorization: `Bearer ${abb}` })
      .send(body);
  const expectRefused = async (body: object, message: RegExp) => {
    const before = await snapshot(t.dataSource, TABLES);
    const res = await register(body).expect(422);
    expect(Object.keys(res.body.errors)).toEqual(['carriedOverFromId']);
    expect(res.body.errors.carriedOverFromId[0]).toMatch(message);
    expect(await snapshot(t.dataSource, TABLES)).toEqual(before);
  };

  beforeAll(async () => {
    t = await startTestApp();
    abb = await bearerFor(t, 'beheerder@abb.demo');
    await t.dataSource.query(
      `UPDATE call SET project_start = '2025-10-01', project_end = '2026-09-30', only_existing_applicants = true, applicants_of_year = 1 WHERE year_number = 3`,
    );
    // An eligible municipality of 2025 that takes part in no applicant yet, with applicants of its own in years 1 and 2.
    const [lead] = await t.dataSource.query(
      `SELECT lg.id FROM local_government lg
         JOIN call c ON c.year_number = 3
         JOIN origin_statistic s ON s.local_government_id = lg.id AND s.reference_year = c.statistics_reference_year
          AND s.origin_definition = c.origin_definition AND s.residents > c.eligibility_threshold
        WHERE lg.kind = 'municipality' AND lg.valid_until IS NULL
          AND NOT EXISTS (SELECT 1 FROM applicant_member m WHERE m.local_government_id = lg.id)
          AND NOT EXISTS (SELECT 1 FROM applicant a WHERE a.lead_local_government_id = lg.id)
        ORDER BY lg.id LIMIT 1`,
    );
    const ofYear = async (year: number): Promise<number> =>
      (
        await t.dataSource.query(
          `INSERT INTO applicant (call_id, kind, name_nl, lead_local_government_id) VALUES ((SELECT id FROM call WHERE year_number = $1), 'alone', $2, $3) RETURNING id`,
          [year, `Voortzetting jaar ${year}`, lead.id],
        )
      )[0].id;
    earlier = { one: await ofYear(1), two: await ofYear(2), lead: lead.id };
    expect([earlier.one, earlier.two].every((id) => Number.isInteger(id) && id > 0) && earlier.one !== earlier.two).toBe(true);
  });
  afterAll(() => t.close());

  it('refuses a new applicant, naming the year whose applicants continue', async () => {
    await expectRefused(
      { year: 3, kind: 'alone', leadLocalGovernmentId: earlier.lead },
      /^In Projectjaar 3 .* dienen enkel projectindieners van projectjaar 1 in; nieuwe lokale besturen sluiten bij hen aan\.$/,
    );
  });

  it('refuses a continuation of an applicant of another year than the one named', async () => {
    await expectRefused(
      { year: 3, kind: 'alone', leadLocalGovernmentId: earlier.lead, carriedOverFromId: earlier.two },
      /^Kies een aanvraag van projectjaar 1 met dezelfde trekker: in Projectjaar 3 .* dienen enkel projectindieners van projectjaar 1 in\.$/,
    );
  });

  it('refuses a continuation with another lead, and of an applicant that does not exist', async () => {
    const [other] = await t.dataSource.query(
      `SELECT id FROM local_government WHERE kind = 'municipality' AND valid_until IS NULL AND id <> $1 ORDER BY id LIMIT 1`,
      [earlier.lead],
    );
    await expectRefused({ year: 3, kind: 'alone', leadLocalGovernmentId: other.id, carriedOverFromId: earlier.one }, /^Kies een aanvraag van projectjaar 1/);
    await expectRefused({ year: 3, kind: 'alone', leadLocalGovernmentId: earlier.lead, carriedOverFromId: 999999 }, /^Kies een aanvraag van projectjaar 1/);
  });

  it('registers the continuation of the year-1 applicant with the same lead', async () => {
    const res = await register({ year: 3, kind: 'alone', leadLocalGovernmentId: earlier.lead, carriedOverFromId: earlier.one }).expect(201);
    const [row] = await t.dataSource.query(`SELECT carried_over_from_id FROM applicant WHERE id = $1`, [res.body.id]);
    expect(row.carried_over_from_id).toBe(earlier.one);
  });

  it('lets the municipality a year-1 lead merged into continue it', async () => {
    const ids = async (nis: string, after: boolean): Promise<number> =>
      (await t.dataSource.query(`SELECT id FROM local_government WHERE nis_code = $1 AND (valid_from IS NOT NULL) = $2`, [nis, after]))[0].id;
    // Kruibeke (46013) led an applicant of year 1; since 2025 it is part of Beveren-Kruibeke-Zwijndrecht (46030).
    const [kruibeke] = await t.dataSource.query(
      `INSERT INTO applicant (call_id, kind, name_nl, lead_local_government_id) VALUES ((SELECT id FROM call WHERE year_number = 1), 'alone', 'Kruibeke', $1) RETURNING id`,
      [await ids('46013', false)],
    );
    const successor = await ids('46030', true);
    const res = await register({ year: 3, kind: 'alone', leadLocalGovernmentId: successor, carriedOverFromId: kruibeke.id }).expect(201);
    expect(res.body.leadLocalGovernmentId).toBe(successor);
  });
});
