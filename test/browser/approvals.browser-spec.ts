import request from 'supertest';
import { Page } from 'playwright-core';
import { cliActor, UsersService } from '@ps/identity';
import { OrganisationsService } from '@ps/organisations';
import { expectNoAxeViolations, signInPage, useBrowser } from '../support/browser';
import { ONE_PAGE_PDF } from '../support/pdf';
import { bearerFor } from '../support/sessions';
import { startTestApp, TestApp } from '../support/test-app';

async function andLoad(page: Page, action: () => Promise<void>): Promise<void> {
  const loaded = page.waitForEvent('load');
  await action();
  await loaded;
}

// Issue 8 in Chromium: the review screen with stimulus decisions, eligibility and a pending account change, and the invitations page.
describe('approvals in Chromium', () => {
  let t: TestApp;
  let url: string;
  let applicantId: number;
  const as = (token: string) => ({ Authorization: `Bearer ${token}` });
  beforeAll(async () => {
    t = await startTestApp({ listen: true });
    const [lier, reviewer, admin] = await Promise.all(['medewerker@lier.demo', 'beoordelaar@abb.demo', 'beheerder@abb.demo'].map((e) => bearerFor(t, e)));
    const [row] = await t.dataSource.query(
      `SELECT a.id, c.year_number FROM applicant a JOIN call c ON c.id = a.call_id WHERE a.name_nl LIKE 'Samenwerkingsverband Lier%'`,
    );
    applicantId = row.id;
    const call = (await request(t.http).get(`/api/v1/calls/${row.year_number}`).expect(200)).body;
    await request(t.http)
      .patch(`/api/v1/calls/${row.year_number}`)
      .set(as(admin))
      .send({ version: call.version, mentorshipStimulusEuro: 2500, impactBondStimulusEuro: 5000 })
      .expect(200);
    const detail = (await request(t.http).get(`/api/v1/applicants/${applicantId}`).set(as(lier)).expect(200)).body;
    await request(t.http)
      .put(`/api/v1/applicants/${applicantId}/contact`)
      .set(as(lier))
      .send({
        contactName: 'Lode Medewerker',
        contactEmail: 'lode@lier.demo',
        contactPhone: '03 800 05 00',
        payoutIban: 'BE68539007547034',
        version: detail.version,
      })
      .expect(200);
    await request(t.http)
      .post(`/api/v1/applicants/${applicantId}/iban-letter`)
      .set(as(lier))
      .attach('letter', ONE_PAGE_PDF, { filename: 'brief.pdf', contentType: 'application/pdf' })
      .expect(201);
    const draft = (await request(t.http).post(`/api/v1/applicants/${applicantId}/application`).set(as(lier)).expect(201)).body;
    const line = (action: number) => draft.lines.find((l: { actionNumber: number; position: number }) => l.actionNumber === action && l.position === 1).id;
    const saved = await request(t.http)
      .put(`/api/v1/applications/${draft.id}`)
      .set(as(lier))
      .send({
        version: draft.version,
        lines: [
          { kpiLineId: line(5), plannedReach: 10 },
          { kpiLineId: line(9), plannedReach: 2 },
        ],
        priorities: [
          { actionNumber: 5, priority: 1 },
          { actionNumber: 9, priority: 2 },
        ],
        mentorship: { actionNumber: 5, motivation: 'Wij coachen de buurgemeenten.' },
        impactBond: { expertise: 'Sociale economie', problem: 'Vroegtijdig schoolverlaten', actionNumbers: [9], learningNetwork: true },
      })
      .expect(200);
    const submitted = await request(t.http).post(`/api/v1/applications/${draft.id}/submit`).set(as(lier)).send({ version: saved.body.version }).expect(200);
    await request(t.http).post(`/api/v1/applications/${draft.id}/start-review`).set(as(reviewer)).send({ version: submitted.body.version }).expect(200);
    url = `/aanvragen/${draft.id}`;
  }, 120_000);
  afterAll(() => t?.close());
  const browser = useBrowser(() => t.baseUrl);

  it('decides the stimuli on the review screen: a refusal without a reason is an accessible error, then the approval goes through', async () => {
    const page = await signInPage(browser, 'beoordelaar@abb.demo');
    await page.goto(url);
    expect(await page.locator('#review-eligibility').textContent()).toContain('Komt in aanmerking');
    await expectNoAxeViolations(page);
    // Nothing is pre-selected: the reviewer decides every requested stimulus.
    expect(await page.locator('#stimulus-mentorship').isChecked()).toBe(false);
    await page.locator('#stimulus-mentorship').check();
    await page.locator('#stimulus-impact-bond-refused').check();
    await andLoad(page, () => page.getByRole('button', { name: 'Goedkeuren' }).click());
    expect(await page.locator('.govuk-error-summary a').allTextContents()).toEqual([
      'Geef de reden waarom de sociale impact obligatie geweigerd wordt (hoogstens 1.000 tekens).',
    ]);
    expect(await page.locator('#stimulus-impact-bond-refused').isChecked()).toBe(true);
    await expectNoAxeViolations(page);
    await page.locator('#stimulus-impact-bond-reason').fill('Geen investeerder gevonden.');
    await andLoad(page, () => page.getByRole('button', { name: 'Goedkeuren' }).click());
    expect(await page.locator('#status').textContent()).toBe('Goedgekeurd');
    expect((await page.locator('#stimulus-decisions').textContent())?.replace(/\s+/g, ' ')).toContain(
      'Sociale impact obligatie: geweigerd: Geen investeerder gevonden.',
    );
    await expectNoAxeViolations(page);
  });

  it("shows ABB's account change after approval as pending on the review screen, and confirms it once the new letter is there", async () => {
    // An ABB administrator changes the account and adds the letter; a reviewer (a second person) confirms it.
    const administrator = await bearerFor(t, 'beheerder@abb.demo');
    const detail = (await request(t.http).get(`/api/v1/applicants/${applicantId}`).set(as(administrator)).expect(200)).body;
    await request(t.http)
      .put(`/api/v1/applicants/${applicantId}/contact`)
      .set(as(administrator))
      .send({
        contactName: detail.contact.name,
        contactEmail: detail.contact.email,
        contactPhone: detail.contact.phone,
        payoutIban: 'BE71096123456769',
        version: detail.version,
      })
      .expect(200);
    await request(t.http)
      .post(`/api/v1/applicants/${applicantId}/iban-letter`)
      .set(as(administrator))
      .attach('letter', ONE_PAGE_PDF, { filename: 'nieuw.pdf', contentType: 'application/pdf' })
      .expect(201);
    const page = await signInPage(browser, 'beoordelaar@abb.demo');
    await page.goto(url);
    expect(await page.locator('#pending-payout-change').textContent()).toContain('BE71 0961 2345 6769');
    await expectNoAxeViolations(page);
    await andLoad(page, () => page.locator('#confirm-payout').click());
    expect(await page.locator('#pending-payout-change').count()).toBe(0);
    expect(await page.locator('#review-eligibility').textContent()).toContain('BE71 0961 2345 6769');
  });

  it('lists an invitation for the invited officer, passing axe, and accepts it without JavaScript', async () => {
    const lier = await bearerFor(t, 'medewerker@lier.demo');
    // Year 2 figures (niet-EU-14, 2022) so that Lier, Duffel and Berlaar together are eligible.
    await t.app
      .get(OrganisationsService)
      .importStatistics(
        'nis_code,reference_year,origin_definition,residents\n12021,2022,niet-EU-14,5000\n12009,2022,niet-EU-14,2000\n12002,2022,niet-EU-14,1000\n',
      );
    const id = async (nis: string): Promise<number> => (await t.dataSource.query(`SELECT id FROM local_government WHERE nis_code = $1`, [nis]))[0].id;
    await t.app.get(UsersService).createWithPassword(cliActor(), {
      email: 'medewerker@berlaar.demo',
      displayName: 'Bea Medewerker (Berlaar)',
      role: 'municipal-officer',
      localGovernmentId: await id('12002'),
      password: 'een lang wachtwoord',
    });
    await request(t.http)
      .post('/api/v1/applicants')
      .set(as(lier))
      .send({
        year: 2,
        kind: 'cooperation',
        leadLocalGovernmentId: await id('12021'),
        memberLocalGovernmentIds: [await id('12009'), await id('12002')],
        nameNl: 'Lier en buren',
      })
      .expect(201);
    const withJs = await signInPage(browser, 'medewerker@berlaar.demo', {}, 'een lang wachtwoord');
    await withJs.goto('/uitnodigingen');
    expect(await withJs.locator('#invitations tbody tr').count()).toBe(1);
    await expectNoAxeViolations(withJs);
    const page = await signInPage(browser, 'medewerker@berlaar.demo', { javaScriptEnabled: false }, 'een lang wachtwoord');
    await page.goto('/uitnodigingen');
    await andLoad(page, () => page.getByRole('button', { name: 'Aanvaarden Lier en buren, Berlaar' }).click());
    expect(await page.locator('.govuk-notification-banner--success').textContent()).toContain('De uitnodiging is aanvaard');
    expect(await page.locator('#invitations').textContent()).toContain('Er zijn geen openstaande uitnodigingen.');
  });
});
