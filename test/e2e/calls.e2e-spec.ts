import request from 'supertest';
import { FixedClock } from '@ps/kernel';
import { auditOf, bearerFor, csrfFrom, signIn } from '../support/sessions';
import { snapshot, startTestApp, TestApp } from '../support/test-app';

const SETTINGS = {
  submissionOpens: '2024-04-22T00:00',
  submissionCloses: '2024-05-13T12:00',
  projectStart: '2024-10-01',
  projectEnd: '2025-09-30',
  budgetEuro: '16970780',
  interimReportDue: '',
  finalReportDue: '2025-10-15T23:59',
  cooperationStimulusEuro: '10000',
  mentorshipStimulusEuro: '5000',
  impactBondStimulusEuro: '',
  eligibilityThreshold: '7500',
  interimThresholdPercent: '25',
  reclaimRule: 'pro-rata',
};

describe('call settings and the versioned KPI catalogue (ABB administrators)', () => {
  let t: TestApp;
  let admin: string;
  beforeAll(async () => {
    // Inside call 3's real window, so the demo data leaves the call as it ran (it opens a closed window around today).
    t = await startTestApp({ clock: new FixedClock(new Date('2024-04-30T10:00:00Z')) });
    admin = await bearerFor(t, 'beheerder@abb.demo');
  });
  afterAll(() => t.close());
  const version = async (year: number) => (await t.dataSource.query(`SELECT version FROM call WHERE year_number = $1`, [year]))[0].version;

  it('refuses bad settings per field and changes nothing', async () => {
    const reviewer = await bearerFor(t, 'beoordelaar@abb.demo');
    const before = await snapshot(t.dataSource, ['call', 'audit_event']);
    const res = await request(t.http)
      .patch('/api/v1/calls/3')
      .set('Authorization', `Bearer ${admin}`)
      .send({
        ...SETTINGS,
        version: await version(3),
        submissionCloses: '2024-04-01T12:00',
        projectEnd: '30/09/2025',
        budgetEuro: 'veel',
        eligibilityThreshold: '-1',
      })
      .expect(422);
    expect(Object.keys(res.body.errors).sort()).toEqual(['budgetEuro', 'eligibilityThreshold', 'projectEnd', 'submissionCloses']);
    await request(t.http)
      .patch('/api/v1/calls/3')
      .set('Authorization', `Bearer ${admin}`)
      .send({ ...SETTINGS, version: 999 })
      .expect(409);
    await request(t.http)
      .patch('/api/v1/calls/3')
      .set('Authorization', `Bearer ${reviewer}`)
      .send({ ...SETTINGS, version: 1 })
      .expect(403);
    expect(await snapshot(t.dataSource, ['call', 'audit_event'])).toEqual(before);
  });

  it('stores Brussels times and euro amounts exactly, audited', async () => {
    const res = await request(t.http)
      .patch('/api/v1/calls/3')
      .set('Authorization', `Bearer ${admin}`)
      .send({ ...SETTINGS, version: await version(3) })
      .expect(200);
    expect(res.body).toMatchObject({ submissionClosesAt: '2024-05-13T10:00:00.000Z', budgetCents: 1_697_078_000, interimReportDueAt: null });
    const [call] = await t.dataSource.query(
      `SELECT cooperation_stimulus_cents, mentorship_stimulus_cents, impact_bond_stimulus_cents FROM call WHERE year_number = 3`,
    );
    expect(
      [call.cooperation_stimulus_cents, call.mentorship_stimulus_cents, call.impact_bond_stimulus_cents].map((v) => (v === null ? null : Number(v))),
    ).toEqual([1_000_000, 500_000, null]);
    expect((await auditOf(t.dataSource, 'call', 3)).map((a: { action: string }) => a.action)).toEqual(['settings-updated']);
  });

  it('changes a KPI line before any submission (new catalogue version) and refuses once the call has submissions', async () => {
    const [line] = await t.dataSource.query(`SELECT k.id FROM kpi_line k JOIN call c ON c.id = k.call_id WHERE c.year_number = 2 AND k.action_number = 5`);
    const menu = await request(t.http)
      .put(`/api/v1/calls/2/kpi-lines/${line.id}`)
      .set('Authorization', `Bearer ${admin}`)
      .send({ version: await version(2), maxQuantity: 2000, unitAmountEuro: '62.5' })
      .expect(200);
    const updated = menu.body
      .flatMap((o: { actions: { kpiLines: { id: number }[] }[] }) => o.actions.flatMap((a) => a.kpiLines))
      .find((l: { id: number }) => l.id === line.id);
    expect(updated).toMatchObject({ maxQuantity: 2000, unitAmountCents: 6250 });
    const [{ catalogue_version }] = await t.dataSource.query(`SELECT catalogue_version FROM call WHERE year_number = 2`);
    expect(catalogue_version).toBe(2);
    expect((await auditOf(t.dataSource, 'kpi-line', line.id))[0]).toMatchObject({
      before: { unitAmountCents: 6000, catalogueVersion: 1 },
      after: { unitAmountCents: 6250, catalogueVersion: 2 },
    });

    await t.dataSource.query(
      `INSERT INTO application (applicant_id, call_id, catalogue_version, status) SELECT id, call_id, 2, 'ingediend' FROM applicant WHERE call_id = (SELECT id FROM call WHERE year_number = 2) LIMIT 1`,
    );
    const [applicant] = await t.dataSource.query(`SELECT count(*) AS n FROM applicant WHERE call_id = (SELECT id FROM call WHERE year_number = 2)`);
    if (Number(applicant.n) === 0) {
      await t.dataSource.query(
        `INSERT INTO applicant (call_id, kind, name_nl, lead_local_government_id) SELECT (SELECT id FROM call WHERE year_number = 2), 'alone', 'Test', (SELECT id FROM local_government WHERE nis_code = '11002' AND valid_from IS NULL)`,
      );
      await t.dataSource.query(
        `INSERT INTO application (applicant_id, call_id, catalogue_version, status) SELECT id, call_id, 2, 'ingediend' FROM applicant WHERE name_nl = 'Test'`,
      );
    }
    const before = await snapshot(t.dataSource, ['kpi_line', 'call', 'audit_event']);
    const refused = await request(t.http)
      .put(`/api/v1/calls/2/kpi-lines/${line.id}`)
      .set('Authorization', `Bearer ${admin}`)
      .send({ version: await version(2), maxQuantity: 10, unitAmountEuro: '1' })
      .expect(409);
    expect(refused.body.message).toMatch(/ligt vast/);
    expect(await snapshot(t.dataSource, ['kpi_line', 'call', 'audit_event'])).toEqual(before);
  });

  it('edits settings through the page, with errors summarised at the top', async () => {
    const agent = await signIn(t, 'beheerder@abb.demo');
    const page = await agent.get('/beheer/oproepen/1').expect(200);
    expect(page.text).toContain('value="2022-07-01T23:59:59"');
    const form = Object.fromEntries(
      [...page.text.matchAll(/<input class="govuk-input[^"]*" id="(\w+)" name="\w+" type="text" value="([^"]*)"/g)].map((m) => [m[1], m[2]]),
    );
    const v = /name="version" value="(\d+)"/.exec(page.text)![1];
    const bad = await agent
      .post('/beheer/oproepen/1')
      .type('form')
      .send({ ...form, _csrf: csrfFrom(page.text), version: v, reclaimRule: 'pro-rata', budgetEuro: 'x' })
      .expect(422);
    expect(bad.text).toContain('href="#budgetEuro"');
    await agent
      .post('/beheer/oproepen/1')
      .type('form')
      .send({ ...form, _csrf: csrfFrom(page.text), version: v, reclaimRule: 'pro-rata', mentorshipStimulusEuro: '2500' })
      .expect(303);
    expect((await agent.get('/beheer/oproepen/1').expect(200)).text).toContain('value="2500"');
  });
});
