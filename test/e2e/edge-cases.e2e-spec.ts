import request from 'supertest';
import { OrganisationsService } from '@ps/organisations';
import { FixedClock } from '@ps/kernel';
import { DEMO_PASSWORD } from '@ps/setup';
import { bearerFor, csrfFrom, signIn } from '../support/sessions';
import { snapshot, startTestApp, TestApp } from '../support/test-app';
import { ONE_PAGE_PDF } from '../support/pdf';

describe('edge cases: carry-over newcomers, money in forms, letters per account, impossible input, parallel sign-ins', () => {
  const clock = new FixedClock(new Date('2024-04-30T10:00:00Z'));
  let t: TestApp;
  let abb: string;
  let admin: string;
  let gent: string;
  const ids = new Map<string, number>();
  const as = (token: string) => ({ Authorization: `Bearer ${token}` });

  beforeAll(async () => {
    t = await startTestApp({ clock });
    [abb, admin, gent] = await Promise.all(['beoordelaar@abb.demo', 'beheerder@abb.demo', 'medewerker@gent.demo'].map((e) => bearerFor(t, e, 365)));
    for (const row of await t.dataSource.query(`SELECT id, coalesce(nis_code, kind) AS key FROM local_government`)) ids.set(row.key, row.id);
  });
  afterAll(() => t.close());

  it('exempts only the earlier members of a continued cooperation: a newcomer already elsewhere gets 409', async () => {
    await t.app
      .get(OrganisationsService)
      .importStatistics(
        'nis_code,reference_year,origin_definition,residents\n13001,2022,niet-EU-14,5000\n13002,2022,niet-EU-14,3000\n13004,2022,niet-EU-14,2000\n13006,2022,niet-EU-14,6000\n',
      );
    const earlier = await request(t.http)
      .post('/api/v1/applicants')
      .set(as(abb))
      .send({ year: 2, kind: 'cooperation', leadLocalGovernmentId: ids.get('13001'), memberLocalGovernmentIds: [ids.get('13002')], nameNl: 'Kempen jaar 2' })
      .expect(201);
    // Year 3 already has a cooperation with Beerse (13004), continued from year 2.
    const other = await request(t.http)
      .post('/api/v1/applicants')
      .set(as(abb))
      .send({ year: 2, kind: 'cooperation', leadLocalGovernmentId: ids.get('13006'), memberLocalGovernmentIds: [ids.get('13004')], nameNl: 'Ander verband' })
      .expect(201);
    await request(t.http)
      .post('/api/v1/applicants')
      .set(as(abb))
      .send({
        year: 3,
        kind: 'cooperation',
        leadLocalGovernmentId: ids.get('13006'),
        memberLocalGovernmentIds: [ids.get('13004')],
        carriedOverFromId: other.body.id,
        nameNl: 'Ander verband',
      })
      .expect(201);
    const before = await snapshot(t.dataSource, ['applicant', 'applicant_member']);
    const res = await request(t.http)
      .post('/api/v1/applicants')
      .set(as(abb))
      .send({
        year: 3,
        kind: 'cooperation',
        leadLocalGovernmentId: ids.get('13001'),
        memberLocalGovernmentIds: [ids.get('13002'), ids.get('13004')],
        carriedOverFromId: earlier.body.id,
      })
      .expect(409);
    expect(res.body.message).toContain('Ander verband');
    expect(await snapshot(t.dataSource, ['applicant', 'applicant_member'])).toEqual(before);
  });

  it('keeps euro amounts with cents exact through the call settings form', async () => {
    const agent = await signIn(t, 'beheerder@abb.demo');
    await t.dataSource.query(`UPDATE call SET budget_cents = 1697078050 WHERE year_number = 1`);
    const page = await agent.get('/beheer/oproepen/1').expect(200);
    expect(page.text).toContain('value="16970780,50"');
    const form = Object.fromEntries(
      [...page.text.matchAll(/<input class="govuk-input[^"]*" id="(\w+)" name="\w+" type="text" value="([^"]*)"/g)].map((m) => [m[1], m[2]]),
    );
    await agent
      .post('/beheer/oproepen/1')
      .type('form')
      .send({ ...form, _csrf: csrfFrom(page.text), version: /name="version" value="(\d+)"/.exec(page.text)![1], reclaimRule: 'pro-rata' })
      .expect(303);
    const [{ budget_cents }] = await t.dataSource.query(`SELECT budget_cents FROM call WHERE year_number = 1`);
    expect(Number(budget_cents)).toBe(1_697_078_050);
  });

  it('refuses impossible dates and out-of-range numbers with 4xx, never 500', async () => {
    const version = (await t.dataSource.query(`SELECT version FROM call WHERE year_number = 3`))[0].version;
    const settings = (
      await request(t.http)
        .patch('/api/v1/calls/3')
        .set(as(admin))
        .send({
          version,
          submissionOpens: '2024-02-30T00:00',
          submissionCloses: '2024-05-06T12:00',
          projectStart: '2024-02-30',
          projectEnd: '2025-09-30',
          budgetEuro: '',
          interimReportDue: '',
          finalReportDue: '',
          cooperationStimulusEuro: '10000',
          mentorshipStimulusEuro: '',
          impactBondStimulusEuro: '',
          eligibilityThreshold: '7500',
          interimThresholdPercent: '25',
          reclaimRule: 'pro-rata',
        })
        .expect(422)
    ).body;
    expect(Object.keys(settings.errors).sort()).toEqual(['projectStart', 'submissionOpens']);
    const [{ id: applicantId, version: applicantVersion }] = await t.dataSource.query(`SELECT id, version FROM applicant WHERE name_nl = 'Stad Gent'`);
    await request(t.http)
      .put(`/api/v1/applicants/${applicantId}/contact`)
      .set(as(gent))
      .send({ contactName: 'G', contactEmail: 'g@gent.demo', contactPhone: '09 266 55 00', payoutIban: 'BE68539007547034', version: 3_000_000_000 })
      .expect(422);
    const agent = await signIn(t, 'medewerker@gent.demo');
    await agent.post(`/aanvragers/${applicantId}/leden/99999999999/verwijderen`).type('form').send({ _csrf: 'x', version: applicantVersion }).expect(403);
    const page = await agent.get(`/aanvragers/${applicantId}`).expect(200);
    await agent
      .post(`/aanvragers/${applicantId}/leden/99999999999/verwijderen`)
      .type('form')
      .send({ _csrf: csrfFrom(page.text), version: applicantVersion })
      .expect(404);
    const draft = (await request(t.http).post(`/api/v1/applicants/${applicantId}/application`).set(as(gent)).expect(201)).body;
    const mentorship = await request(t.http)
      .put(`/api/v1/applications/${draft.id}`)
      .set(as(gent))
      .send({ version: 1, lines: [], priorities: [], mentorship: { actionNumber: 99999, motivation: 'x' } })
      .expect(422);
    expect(Object.keys(mentorship.body.errors)).toEqual(['mentorship-action']);
    await request(t.http)
      .post(`/api/v1/applications/${draft.id}/extend-deadline`)
      .set(as(admin))
      .send({ version: 1, until: '2024-02-30T12:00', reason: 'x' })
      .expect(422);
  });

  it('asks for a new confirmation letter when the payout account changes, and refuses an ineligible applicant at submission', async () => {
    const [{ id: applicantId }] = await t.dataSource.query(`SELECT id FROM applicant WHERE name_nl LIKE 'Samenwerkingsverband Lier%'`);
    const lier = await bearerFor(t, 'medewerker@lier.demo', 365);
    const contact = async (iban: string) => {
      const { version } = (await request(t.http).get(`/api/v1/applicants/${applicantId}`).set(as(lier)).expect(200)).body;
      return request(t.http)
        .put(`/api/v1/applicants/${applicantId}/contact`)
        .set(as(lier))
        .send({ contactName: 'Lode', contactEmail: 'lode@lier.demo', contactPhone: '03 800 05 00', payoutIban: iban, version })
        .expect(200);
    };
    await contact('BE71 0961 2345 6769');
    await request(t.http)
      .post(`/api/v1/applicants/${applicantId}/iban-letter`)
      .set(as(lier))
      .attach('letter', ONE_PAGE_PDF, { filename: 'brief.pdf', contentType: 'application/pdf' })
      .expect(201);
    const draft = (await request(t.http).post(`/api/v1/applicants/${applicantId}/application`).set(as(lier)).expect(201)).body;
    const line = draft.lines.find((l: { actionNumber: number }) => l.actionNumber === 5);
    await request(t.http)
      .put(`/api/v1/applications/${draft.id}`)
      .set(as(lier))
      .send({ version: 1, lines: [{ kpiLineId: line.id, plannedReach: 10 }], priorities: [{ actionNumber: 5, priority: 1 }] })
      .expect(200);
    await contact('BE68 5390 0754 7034');
    const refused = await request(t.http).post(`/api/v1/applications/${draft.id}/submit`).set(as(lier)).send({ version: 2 }).expect(422);
    expect(refused.body.errors.iban).toEqual(['Voeg de ondertekende bevestigingsbrief voor dit rekeningnummer toe.']);
    // The demo cooperation's fictional figures: it is eligible or not, and submission follows that verdict.
    const eligible = (await request(t.http).get(`/api/v1/applicants/${applicantId}`).set(as(lier)).expect(200)).body.eligibility.eligible;
    expect(Object.keys(refused.body.errors).includes('eligibility')).toBe(!eligible);
  });

  it('counts parallel sign-in attempts before checking passwords: a burst cannot pass the limit', async () => {
    const attempt = async (password: string) => {
      const agent = request.agent(t.http);
      const form = await agent.get('/aanmelden').expect(200);
      return agent
        .post('/aanmelden')
        .type('form')
        .send({ _csrf: csrfFrom(form.text), email: 'analist@vvsg.demo', password });
    };
    const burst = await Promise.all(Array.from({ length: 8 }, (_, i) => attempt(`fout-${i}`)));
    expect(burst.map((r) => r.status)).toEqual(Array.from({ length: 8 }, () => 401));
    expect((await attempt(DEMO_PASSWORD)).status).toBe(401);
  });

  it('recomputes draft contributions when ABB changes a unit amount before submissions', async () => {
    const [call] = await t.dataSource.query(`SELECT id, version FROM call WHERE year_number = 2`);
    const [line] = await t.dataSource.query(`SELECT id FROM kpi_line WHERE call_id = $1 AND action_number = 5`, [call.id]);
    const [applicant] = await t.dataSource.query(`SELECT id FROM applicant WHERE name_nl = 'Kempen jaar 2'`);
    const [application] = await t.dataSource.query(`INSERT INTO application (applicant_id, call_id, catalogue_version) VALUES ($1, $2, 1) RETURNING id`, [
      applicant.id,
      call.id,
    ]);
    await t.dataSource.query(`INSERT INTO application_line (application_id, kpi_line_id, planned_reach, contribution_cents) VALUES ($1, $2, 10, 60000)`, [
      application.id,
      line.id,
    ]);
    await request(t.http)
      .put(`/api/v1/calls/2/kpi-lines/${line.id}`)
      .set(as(admin))
      .send({ version: call.version, maxQuantity: 2250, unitAmountEuro: '65' })
      .expect(200);
    const [{ contribution_cents }] = await t.dataSource.query(`SELECT contribution_cents FROM application_line WHERE application_id = $1`, [application.id]);
    expect(Number(contribution_cents)).toBe(65_000);
  });
});
