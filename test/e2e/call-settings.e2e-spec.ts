import request from 'supertest';
import { FixedClock } from '@ps/kernel';
import { brusselsLocal } from '@ps/applications';
import { SetupService } from '@ps/setup';
import { auditOf, bearerFor, csrfFrom, signIn } from '../support/sessions';
import { snapshot, startTestApp, TestApp } from '../support/test-app';

/** Issue 14 and issue 8: every rule-driving call setting is ABB's to set, partially, until the first submission. */
describe('call settings: partial changes by ABB, frozen after the first submission', () => {
  let t: TestApp;
  let admin: string;
  const as = () => ({ Authorization: `Bearer ${admin}` });
  const call = async (year: number) => (await request(t.http).get(`/api/v1/calls/${year}`).expect(200)).body;
  const patch = (year: number, body: object) => request(t.http).patch(`/api/v1/calls/${year}`).set(as()).send(body);

  beforeAll(async () => {
    // Inside call 3's real window, so the demo data leaves the call as it ran (it opens a closed window around today).
    t = await startTestApp({ clock: new FixedClock(new Date('2024-04-30T10:00:00Z')) });
    admin = await bearerFor(t, 'beheerder@abb.demo');
  });
  afterAll(() => t.close());

  it('shows what a client needs in GET /calls/{year}: version, stimulus amounts, advance share', async () => {
    expect(await call(3)).toMatchObject({
      version: expect.any(Number),
      catalogueVersion: 1,
      cooperationStimulusCents: 1_000_000,
      mentorshipStimulusCents: null,
      impactBondStimulusCents: null,
      advancePercent: 80,
      interimThresholdPercent: 25,
      reclaimRule: 'pro-rata',
      statisticsReferenceYear: 2022,
      originDefinition: 'niet-EU-14',
    });
  });

  it('corrects the assumed reference year and origin definition with a partial PATCH, audited before → after', async () => {
    const before = await call(1);
    const res = await patch(1, { version: before.version, statisticsReferenceYear: 2022, originDefinition: 'niet-EU-14' }).expect(200);
    expect(res.body).toEqual({ ...before, statisticsReferenceYear: 2022, originDefinition: 'niet-EU-14', version: before.version + 1 });
    const [audit] = await auditOf(t.dataSource, 'call', 1);
    expect(audit).toMatchObject({
      action: 'settings-updated',
      before: { statisticsReferenceYear: 2021, originDefinition: 'niet-EU-15' },
      after: { statisticsReferenceYear: 2022, originDefinition: 'niet-EU-14' },
    });
    expect(Object.keys(audit.after).sort()).toEqual(['originDefinition', 'statisticsReferenceYear']);
    await t.app.get(SetupService).loadReferenceData();
    expect(await call(1)).toMatchObject({ statisticsReferenceYear: 2022, originDefinition: 'niet-EU-14' });
  });

  it('changes the stimulus amounts and the advance share, and the decision letter uses that share', async () => {
    const { version } = await call(2);
    const res = await patch(2, { version, cooperationStimulusEuro: '12.500', mentorshipStimulusEuro: 2500, advancePercent: '70' }).expect(200);
    expect(res.body).toMatchObject({ cooperationStimulusCents: 1_250_000, mentorshipStimulusCents: 250_000, advancePercent: 70 });

    const [{ id }] = await t.dataSource.query(`
      INSERT INTO applicant (call_id, kind, name_nl, lead_local_government_id)
      SELECT c.id, 'alone', 'Stad Brugge', lg.id FROM call c, local_government lg WHERE c.year_number = 2 AND lg.nis_code = '31005' RETURNING id`);
    const [application] = await t.dataSource.query(
      `
      INSERT INTO application (applicant_id, call_id, catalogue_version, status, decided_at) SELECT $1, id, 1, 'goedgekeurd', now() FROM call WHERE year_number = 2 RETURNING id`,
      [id],
    );
    await t.dataSource.query(
      `
      INSERT INTO application_line (application_id, kpi_line_id, planned_reach, contribution_cents, confirmed_quantity, confirmed_contribution_cents)
      SELECT $1, k.id, 3, 3 * k.unit_amount_cents, 3, 3 * k.unit_amount_cents FROM kpi_line k JOIN call c ON c.id = k.call_id
       WHERE c.year_number = 2 AND k.action_number = 9 AND k.position = 1`,
      [application.id],
    );
    const letter = await request(t.http).get(`/api/v1/applications/${application.id}/decision-letter`).set(as()).expect(200);
    expect(letter.text).toContain('Voorschot (70 %)');
    expect(letter.text).toContain('Saldo (30 %, na de eindrapportage)');
    const [total, advance, balance] = [...letter.text.matchAll(/data-cents="(\d+)"/g)].map((m) => Number(m[1]));
    expect(advance).toBe(Math.floor((total * 70) / 100));
    expect(advance + balance).toBe(total);
  });

  it('refuses bad settings per field in Dutch and changes nothing', async () => {
    const before = await snapshot(t.dataSource, ['call', 'audit_event']);
    const { version } = await call(3);
    const res = await patch(3, {
      version,
      statisticsReferenceYear: '20x2',
      originDefinition: 'EU',
      advancePercent: 120,
      onlyExistingApplicants: 'misschien',
      cooperationStimulusEuro: { euro: 1 },
      submissionCloses: '2024-02-30T12:00',
    }).expect(422);
    expect(res.body.errors).toEqual({
      statisticsReferenceYear: ['Geef een jaartal van 1990 tot 2100.'],
      originDefinition: ['Geef een herkomstdefinitie zoals niet-EU-14 (zoals in de geïmporteerde statistieken).'],
      advancePercent: ['Geef een geheel getal van 0 tot 100.'],
      onlyExistingApplicants: ['Kies ja of nee.'],
      cooperationStimulusEuro: ['Geef een tekst of een getal.'],
      submissionCloses: ['Geef een bestaande datum en uur als JJJJ-MM-DDTuu:mm (Brusselse tijd).'],
    });
    expect((await patch(3, { version, submissionCloses: '2024-04-01T12:00' }).expect(422)).body.errors).toEqual({
      submissionCloses: ['De indientermijn sluit na de opening.'],
    });
    expect((await patch(3, { version, projectStart: '2025-10-01' }).expect(422)).body.errors).toEqual({
      projectStart: ['De projectperiode eindigt na de start.'],
    });
    await patch(3, { version, statsYear: 2022 }).expect(422);
    await patch(3, { statisticsReferenceYear: 2023 }).expect(422);
    await patch(3, { version: version + 5, statisticsReferenceYear: 2023 }).expect(409);
    expect(await snapshot(t.dataSource, ['call', 'audit_event'])).toEqual(before);
  });

  it('saving the settings form unchanged changes nothing: 23:59:59 stays, no new version, no audit row', async () => {
    const agent = await signIn(t, 'beheerder@abb.demo');
    const page = await agent.get('/beheer/oproepen/1').expect(200);
    expect(page.text).toContain('id="interimReportDue" name="interimReportDue" type="text" value="2023-05-05T23:59:59"');
    const form = Object.fromEntries(
      [...page.text.matchAll(/<input class="govuk-input[^"]*" id="(\w+)" name="\w+" type="text" value="([^"]*)"/g)].map((m) => [m[1], m[2]]),
    );
    const selects = Object.fromEntries(
      [...page.text.matchAll(/<select class="govuk-select" id="(\w+)"[\s\S]*?<option value="([^"]*)" selected/g)].map((m) => [m[1], m[2]]),
    );
    expect(selects).toEqual({ onlyExistingApplicants: 'false', reclaimRule: 'pro-rata' });
    const before = await snapshot(t.dataSource, ['call', 'audit_event']);
    const version = /name="version" value="(\d+)"/.exec(page.text)![1];
    await agent
      .post('/beheer/oproepen/1')
      .type('form')
      .send({ ...form, ...selects, _csrf: csrfFrom(page.text), version })
      .expect(303);
    expect(await snapshot(t.dataSource, ['call', 'audit_event'])).toEqual(before);
    const [row] = await t.dataSource.query(`SELECT interim_report_due_at, final_report_due_at FROM call WHERE year_number = 1`);
    expect([row.interim_report_due_at.toISOString(), row.final_report_due_at.toISOString()]).toEqual(['2023-05-05T21:59:59.000Z', '2023-10-15T21:59:59.000Z']);
  });

  describe('after the first submission', () => {
    beforeAll(async () => {
      await t.dataSource.query(`INSERT INTO application (applicant_id, call_id, catalogue_version, status, submitted_at)
        SELECT a.id, a.call_id, 1, 'ingediend', now() FROM applicant a WHERE a.name_nl = 'Stad Gent'`);
    });

    it('refuses a rule-driving setting with 409, naming how many are submitted, and changes nothing', async () => {
      const before = await snapshot(t.dataSource, ['call', 'audit_event']);
      const { version, submissionClosesAt } = await call(3);
      const dayLater = brusselsLocal(new Date(Date.parse(submissionClosesAt) + 24 * 3600 * 1000));
      const res = await patch(3, {
        version,
        eligibilityThreshold: '5000',
        statisticsReferenceYear: 2023,
        advancePercent: 75,
        submissionCloses: dayLater,
        budgetEuro: '17000000',
      }).expect(409);
      const reason = 'Ligt vast: er is al 1 aanvraag ingediend in Projectjaar 3 (2024-2025), onder de huidige waarde.';
      expect(res.body.errors).toEqual({
        eligibilityThreshold: [reason],
        statisticsReferenceYear: [reason],
        advancePercent: [reason],
        submissionCloses: [`${reason} Verleng de termijn voor één aanvrager op diens aanvraag.`],
      });
      expect(await snapshot(t.dataSource, ['call', 'audit_event'])).toEqual(before);
    });

    it('still takes the later steps (budget, report deadlines) and the frozen values unchanged', async () => {
      const { version, eligibilityThreshold } = await call(3);
      const res = await patch(3, {
        version,
        eligibilityThreshold: String(eligibilityThreshold),
        budgetEuro: '17.000.000',
        finalReportDue: '2025-10-31T23:59:59',
      }).expect(200);
      expect(res.body).toMatchObject({
        budgetCents: 1_700_000_000,
        finalReportDueAt: '2025-10-31T22:59:59.000Z',
        eligibilityThreshold: 7500,
        version: version + 1,
      });
      expect((await auditOf(t.dataSource, 'call', 3)).at(-1).after).toEqual({ budgetEuro: 1_700_000_000, finalReportDue: '2025-10-31T22:59:59.000Z' });
    });

    it('shows the frozen settings read-only on the page, and a page save of a frozen one is refused with the reason', async () => {
      const agent = await signIn(t, 'beheerder@abb.demo');
      const page = await agent.get('/beheer/oproepen/3').expect(200);
      expect(page.text).toContain('Ingediende aanvragen: 1.');
      expect(page.text).toMatch(/id="eligibilityThreshold" name="eligibilityThreshold" type="text" value="7500" readonly/);
      expect(page.text).toMatch(/id="budgetEuro" name="budgetEuro" type="text" value="17000000">/);
      const version = /name="version" value="(\d+)"/.exec(page.text)![1];
      const refused = await agent
        .post('/beheer/oproepen/3')
        .type('form')
        .send({ _csrf: csrfFrom(page.text), version, eligibilityThreshold: '5000' })
        .expect(409);
      expect(refused.text).toContain('href="#eligibilityThreshold"');
      expect(refused.text).toContain('Ligt vast: er is al 1 aanvraag ingediend');
    });
  });
});
