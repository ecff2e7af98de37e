import { readFileSync } from 'node:fs';
import request from 'supertest';
import { Page } from 'playwright-core';
import { FixedClock, formatEuro } from '@ps/kernel';
import { NoticeWorker } from '@ps/notifications';
import { andLoad, expectNoAxeViolations, plain, signInPage, useBrowser } from '../support/browser';
import { ONE_PAGE_PDF } from '../support/pdf';
import { bearerFor } from '../support/sessions';
import { ReceivedMail, startSmtpServer, TestSmtpServer } from '../support/smtp';
import { startTestApp, TestApp } from '../support/test-app';

const LIER = 'Samenwerkingsverband Lier-Duffel-Berlaar';
const LIER_OFFICER = 'medewerker@lier.demo';
const DUFFEL_OFFICER = 'medewerker@duffel.demo';
/** The draft's own gap until a reach is planned: its link opens the form at its status. */
const NO_REACH = 'Plan voor minstens één KPI-lijn een bereik groter dan 0.';

/**
 * Issue 25, end to end: each demo role signs in through the sign-in page, lands on "Mijn taken", finds its next step
 * there by the link's text and follows links from then on (only the sign-in page is typed), with axe on every page.
 * The notices its steps cause are read where they arrive: a real SMTP server (the app's SMTP_URL) and "Berichten".
 * The journeys run in order and share one app: the Lier officer submits the cooperation's application, the reviewer
 * approves it, the administrator approves the reviewer's proposal to publish the allocation, the analyst downloads
 * the overviews. Stad Gent submitted two hours before Lier (set up over the API), so the reviewer's list has an order.
 */
describe('the journey of each demo role from Mijn taken, in Chromium', () => {
  const clock = new FixedClock(new Date('2024-04-30T08:00:00Z'));
  let smtp: TestSmtpServer;
  let t: TestApp;
  let year: number;
  let callName: string;
  /** Filled in by the officer's journey. */
  let applicationId: number;
  let unit5Cents: number;
  const as = (token: string) => ({ Authorization: `Bearer ${token}` });

  beforeAll(async () => {
    smtp = await startSmtpServer();
    t = await startTestApp({ listen: true, clock, env: { SMTP_URL: smtp.url } });
    const [call] = await t.dataSource.query(`SELECT year_number, name_nl FROM call WHERE state <> 'draft' ORDER BY year_number DESC LIMIT 1`);
    year = call.year_number;
    callName = call.name_nl;

    // Stad Gent submits at 10:00 Brussels time: its contact and usual account (no letter needed) set directly.
    const [{ id: gent }] = await t.dataSource.query(`SELECT id FROM applicant WHERE name_nl = 'Stad Gent'`);
    await t.dataSource.query(
      `UPDATE applicant SET contact_name = 'Griet', contact_email = 'griet@gent.demo', contact_phone = '+3292665500', payout_iban = 'BE68539007547034' WHERE id = $1`,
      [gent],
    );
    const officer = await bearerFor(t, 'medewerker@gent.demo');
    const draft = (await request(t.http).post(`/api/v1/applicants/${gent}/application`).set(as(officer)).expect(201)).body;
    const line5 = draft.lines.find((l: { actionNumber: number; position: number }) => l.actionNumber === 5 && l.position === 1).id;
    const saved = (
      await request(t.http)
        .put(`/api/v1/applications/${draft.id}`)
        .set(as(officer))
        .send({ version: draft.version, lines: [{ kpiLineId: line5, plannedReach: 1 }], priorities: [{ actionNumber: 5, priority: 1 }] })
        .expect(200)
    ).body;
    await request(t.http).post(`/api/v1/applications/${draft.id}/submit`).set(as(officer)).send({ version: saved.version }).expect(200);
    await delivered();
    // The journeys happen at 12:00 Brussels time (summer time: UTC+2).
    clock.set(new Date('2024-04-30T10:00:00Z'));
  }, 120_000);
  afterAll(async () => {
    await t?.close();
    await smtp?.close();
  });
  const browser = useBrowser(() => t.baseUrl);

  const delivered = () => t.app.get(NoticeWorker).deliverWaiting();
  const reference = () => `PS-${year}-${String(applicationId).padStart(5, '0')}`;
  const nav = (page: Page) => page.getByRole('navigation', { name: 'Hoofdnavigatie' });
  const berichtenText = async (page: Page) =>
    plain(
      await nav(page)
        .getByRole('link', { name: /^Berichten/ })
        .textContent(),
    );
  /** The mails that reached the SMTP server for this address with this subject. */
  const mailsTo = (address: string, subject: string): ReceivedMail[] => smtp.received.filter((m) => m.rcptTo.includes(address) && m.subject === subject);

  /** Signs in through the sign-in page, lands on Mijn taken and checks it with axe. */
  const landOnTasks = async (email: string) => {
    const page = await signInPage(browser, email);
    expect(new URL(page.url()).pathname).toBe('/taken');
    expect(await page.locator('h1').textContent()).toBe('Mijn taken');
    await expectNoAxeViolations(page);
    return page;
  };

  /** Back to Mijn taken through the navigation. */
  const toTasks = async (page: Page) => {
    await nav(page).getByRole('link', { name: 'Mijn taken' }).click();
    await page.waitForURL('**/taken');
    await expectNoAxeViolations(page);
  };

  /** Follows a link and waits for the page it opens, checked with axe. */
  const follow = async (page: Page, link: ReturnType<Page['locator']>, url: string | RegExp) => {
    await link.click();
    await page.waitForURL(url);
    await expectNoAxeViolations(page);
  };

  /** Opens Berichten from the header, finds the one unread message with this subject, checks it and marks it read. */
  const readInBerichten = async (page: Page, subject: string, link: string) => {
    await follow(page, nav(page).getByRole('link', { name: /^Berichten/ }), '**/berichten');
    const card = page.locator('.govuk-summary-card').filter({ hasText: subject });
    expect(await card.count()).toBe(1);
    expect(plain(await card.locator('h2').textContent())).toBe(plain(`Nieuw ${subject}`));
    expect(await card.getByRole('link', { name: `Naar de pagina (bericht: ${subject})` }).getAttribute('href')).toBe(link);
    const body = (await card.locator('pre').textContent()) ?? '';
    expect(await andLoad(page, () => page.getByRole('button', { name: `Markeer als gelezen (bericht: ${subject})` }).click())).toBe(303);
    expect(await berichtenText(page)).toBe('Berichten');
    await expectNoAxeViolations(page);
    return body;
  };

  it('the municipal officer starts the application from Mijn taken, fills what it says is missing, submits and gets the receipt', async () => {
    const page = await landOnTasks(LIER_OFFICER);
    expect(await berichtenText(page)).toBe('Berichten');
    const calls = page.locator('#group-calls');
    expect(plain(await calls.locator('a').first().textContent())).toBe(`${LIER}: nog geen aanvraag voor ${callName}`);
    expect(await andLoad(page, () => calls.getByRole('button', { name: `Aanvraag starten Aanvraag starten voor ${LIER}` }).click())).toBe(303);
    expect(new URL(page.url()).pathname).toMatch(/^\/aanvragen\/\d+$/);
    applicationId = Number(new URL(page.url()).pathname.split('/').pop());
    expect(await page.locator('#status').textContent()).toBe('Concept');
    await expectNoAxeViolations(page);

    // What is missing, each a link to its field: first the contact person and the payout account.
    await toTasks(page);
    const missing = page.locator('#group-missing');
    expect(plain(await page.locator('#group-calls a').first().textContent())).toBe(`${LIER}, ${callName}: concept, nog niet ingediend`);
    expect(await missing.locator('a').allTextContents()).toEqual([
      'Vul de naam van de contactpersoon in',
      'Vul het e-mailadres van de contactpersoon in',
      'Vul het telefoonnummer van de contactpersoon in',
      'Vul het rekeningnummer voor de uitbetaling in',
      NO_REACH,
    ]);
    await follow(page, missing.getByRole('link', { name: 'Vul de naam van de contactpersoon in' }), /\/aanvragers\/\d+#contact-contactName$/);
    const contact = { contactName: 'Lode Peeters', contactEmail: 'lode@lier.demo', contactPhone: '03 800 05 00', payoutIban: 'BE71 0961 2345 6769' };
    for (const [field, value] of Object.entries(contact)) await page.locator(`#contact-${field}`).fill(value);
    await page.getByRole('button', { name: 'Contactgegevens opslaan' }).click();
    await page.waitForURL(/\/aanvragers\/\d+#contact$/);
    expect(await page.locator('main > :first-child').textContent()).toContain('De contactgegevens zijn opgeslagen.');
    await expectNoAxeViolations(page);

    // A new account needs its signed letter: the task page now says so, and links to the upload.
    await toTasks(page);
    expect(await missing.locator('a').allTextContents()).toEqual(['Voeg de ondertekende bevestigingsbrief voor het rekeningnummer toe', NO_REACH]);
    await follow(
      page,
      missing.getByRole('link', { name: 'Voeg de ondertekende bevestigingsbrief voor het rekeningnummer toe' }),
      /\/aanvragers\/\d+#letter-letter$/,
    );
    await page.locator('#letter-letter').setInputFiles({ name: 'bevestiging.pdf', mimeType: 'application/pdf', buffer: ONE_PAGE_PDF });
    await page.getByRole('button', { name: 'Brief opladen' }).click();
    await page.waitForURL(/\/aanvragers\/\d+#letter$/);
    await expectNoAxeViolations(page);

    // Then the draft itself: no reach planned yet. Its link opens the form at its status.
    await toTasks(page);
    expect(await missing.locator('a').allTextContents()).toEqual([NO_REACH]);
    await follow(page, missing.getByRole('link', { name: NO_REACH }), `**/aanvragen/${applicationId}#status`);
    // No action is chosen yet, so all are folded: the officer opens action 5 by its summary.
    await page.locator('#actie-5-openen').click();
    const planned5 = page.locator('#actie-5 input[id^="planned-"]').first();
    unit5Cents = Number(await planned5.getAttribute('data-unit-cents'));
    await planned5.fill('10');
    await page.locator('#priority-5').fill('1');
    await andLoad(page, () => page.getByRole('button', { name: 'Concept opslaan' }).click());
    expect(await page.locator('.govuk-notification-banner--success').textContent()).toContain('Het concept is opgeslagen.');
    await expectNoAxeViolations(page);

    // Nothing is missing: the task page says to submit, and links to the button.
    await toTasks(page);
    await follow(page, missing.getByRole('link', { name: `${LIER}: de aanvraag is volledig, dien ze in` }), `**/aanvragen/${applicationId}#submit`);
    expect(await andLoad(page, () => page.locator('#submit').click())).toBe(303);
    expect(await page.locator('.govuk-notification-banner--success').textContent()).toContain('De aanvraag is ingediend.');
    expect(await page.locator('#status').textContent()).toBe('Ingediend');
    await expectNoAxeViolations(page);

    // The receipt, over SMTP: the reference, the time in Brussels (12:00 for 10:00 UTC in summer) and the digest.
    await delivered();
    const subject = `Ontvangen: aanvraag ${reference()} van ${LIER}`;
    const [{ submitted_digest: digest }] = await t.dataSource.query(`SELECT submitted_digest FROM application WHERE id = $1`, [applicationId]);
    for (const to of [LIER_OFFICER, DUFFEL_OFFICER, 'beoordelaar@abb.demo']) expect(mailsTo(to, subject)).toHaveLength(1);
    const mail = mailsTo(LIER_OFFICER, subject)[0];
    expect(mail.text).toContain(`Referentie: ${reference()}`);
    expect(mail.text).toContain('Ontvangen op: 30 april 2024 12:00 (Brusselse tijd)');
    expect(mail.text).toContain(`Vingerafdruk (SHA-256) van wat werd ingediend: ${digest}`);
    expect(mail.text).toContain(`${t.config.publicUrl}/aanvragen/${applicationId}`);

    // And in Berichten: the header counts it, the message reads the same.
    await page.reload();
    expect(await berichtenText(page)).toBe('Berichten 1 ongelezen');
    const body = await readInBerichten(page, subject, `/aanvragen/${applicationId}`);
    expect(body).toContain(`Referentie: ${reference()}`);
    expect(body).toContain('Ontvangen op: 30 april 2024 12:00 (Brusselse tijd)');
  });

  it('the ABB reviewer finds the application among those to review, oldest first, approves it, and the officers are told', async () => {
    const page = await landOnTasks('beoordelaar@abb.demo');
    const queue = page.locator('#group-applications li');
    expect((await queue.allTextContents()).map(plain)).toEqual([
      `Stad Gent, ${callName} Ingediend op 30 april 2024 10:00 (Brusselse tijd); ingediend, wacht op behandeling door ABB.`,
      `${LIER}, ${callName} Ingediend op 30 april 2024 12:00 (Brusselse tijd); ingediend, wacht op behandeling door ABB.`,
    ]);
    await follow(page, page.locator('#group-applications').getByRole('link', { name: `${LIER}, ${callName}` }), `**/aanvragen/${applicationId}`);
    expect(await andLoad(page, () => page.getByRole('button', { name: 'In behandeling nemen' }).click())).toBe(303);
    expect(await page.locator('#status').textContent()).toBe('In behandeling');
    await expectNoAxeViolations(page);
    expect(await andLoad(page, () => page.getByRole('button', { name: 'Goedkeuren', exact: true }).click())).toBe(303);
    expect(await page.locator('#status').textContent()).toBe('Goedgekeurd');
    await expectNoAxeViolations(page);

    // Mijn taken: it has left the reviewer's list.
    await toTasks(page);
    expect(
      await page
        .locator('#group-applications')
        .getByRole('link', { name: `${LIER}, ${callName}` })
        .count(),
    ).toBe(0);

    // The officers of the lead and the members: the approval with the link to the decision letter, over SMTP.
    await delivered();
    const subject = `Goedgekeurd: aanvraag van ${LIER}`;
    for (const to of [LIER_OFFICER, DUFFEL_OFFICER]) expect(mailsTo(to, subject)).toHaveLength(1);
    const mail = mailsTo(LIER_OFFICER, subject)[0];
    expect(mail.text).toContain(formatEuro(10 * unit5Cents));
    expect(mail.text).toContain(`${t.config.publicUrl}/aanvragen/${applicationId}/beslissingsbrief`);

    // The officer, in a browser of their own: the count in the header, the letter from Mijn taken, the message.
    const officer = await landOnTasks(LIER_OFFICER);
    expect(await berichtenText(officer)).toBe('Berichten 1 ongelezen');
    const body = await readInBerichten(officer, subject, `/aanvragen/${applicationId}`);
    expect(body).toContain(`/aanvragen/${applicationId}/beslissingsbrief`);
    await toTasks(officer);
    await follow(
      officer,
      officer.locator('#group-decisions').getByRole('link', { name: `${LIER}: aanvraag goedgekeurd, beslissingsbrief` }),
      `**/aanvragen/${applicationId}/beslissingsbrief`,
    );
    expect(await officer.locator('h1').textContent()).toBe('Beslissing over uw aanvraag Plan Samenleven');
  });

  it('the ABB administrator approves the reviewer’s proposal to publish the allocation, and the officers are told', async () => {
    // The reviewer simulated the allocation and proposed to publish it (Stad Gent still waits for its review).
    const reviewer = await bearerFor(t, 'beoordelaar@abb.demo');
    const run = (await request(t.http).post(`/api/v1/calls/${year}/allocation-runs`).set(as(reviewer)).send({ budgetEuro: '1000000' }).expect(201)).body;
    await request(t.http)
      .post(`/api/v1/allocation-runs/${run.id}/publish`)
      .set(as(reviewer))
      .send({ confirmPendingReview: true, reason: 'Stad Gent volgt later; het budget volstaat.' })
      .expect(201);

    const page = await landOnTasks('beheerder@abb.demo');
    const calls = page.locator('#group-calls');
    const newest = plain(await calls.locator('a').first().textContent())!;
    expect(newest.startsWith(`${callName}: `)).toBe(true);
    expect(newest).toMatch(/: open tot \d{1,2} \w+ 2024 \d{2}:\d{2} \(Brusselse tijd\)$/);
    const proposals = page.locator('#group-proposals li');
    expect(await proposals.count()).toBe(1);
    const proposal = plain(await proposals.textContent())!;
    expect(proposal.startsWith(`Verdeling publiceren: Verdeling ${run.id} van projectjaar ${year}, ${plain(formatEuro(10 * unit5Cents))} `)).toBe(true);
    expect(proposal).toMatch(/ Voorgesteld door Bart Beoordelaar \(ABB\) <beoordelaar@abb\.demo> op \d{1,2} \w+ \d{4} \d{2}:\d{2} \(Brusselse tijd\)\.$/);
    await follow(page, proposals.locator('a'), /\/voorstellen\/\d+$/);
    expect(await andLoad(page, () => page.locator('#approve').click())).toBe(303);
    expect(new URL(page.url()).pathname).toBe(`/verdelingen/${run.id}`);
    expect(await page.locator('h1').textContent()).toBe(`Gepubliceerde verdeling ${run.id}, projectjaar ${year}`);
    await expectNoAxeViolations(page);

    // Nothing waits any more; the calls and the users are a link away.
    await toTasks(page);
    expect(await page.locator('#group-proposals').count()).toBe(0);
    await follow(page, calls.locator('a').first(), `**/beheer/oproepen/${year}`);
    await toTasks(page);
    await follow(page, page.locator('#group-users a'), '**/beheer/gebruikers');

    // The allocation published: €1.000.000 covers everything, so Lier gets what was approved, over SMTP and in Berichten.
    await delivered();
    const subject = `Verdeling gepubliceerd: ${formatEuro(10 * unit5Cents)} voor ${LIER}`;
    for (const to of [LIER_OFFICER, DUFFEL_OFFICER]) expect(mailsTo(to, subject)).toHaveLength(1);
    const mail = mailsTo(DUFFEL_OFFICER, subject)[0];
    expect(mail.text).toContain(`Toegekend aan ${LIER}: ${formatEuro(10 * unit5Cents)}`);
    expect(mail.text).toMatch(/\nVoorschot \(\d+\s%\): €\s[\d.]+,\d{2}\n/);

    const officer = await landOnTasks(LIER_OFFICER);
    expect(await berichtenText(officer)).toBe('Berichten 1 ongelezen');
    const share = plain(await officer.locator('#group-money a').textContent())!;
    expect(share).toMatch(new RegExp(`^${LIER}: voorschot € [\\d.]+,\\d{2} van `));
    expect(share.endsWith(` van ${plain(formatEuro(10 * unit5Cents))}`)).toBe(true);
    const body = await readInBerichten(officer, subject, `/aanvragen/${applicationId}`);
    expect(body).toContain(`Toegekend aan ${LIER}: ${formatEuro(10 * unit5Cents)}`);
  });

  it('the VVSG analyst opens the overviews from Mijn taken and downloads an export', async () => {
    const page = await landOnTasks('analist@vvsg.demo');
    expect(await page.locator('#group-exports a').allTextContents()).toEqual([
      'Acties als Excel',
      'Acties als CSV',
      'KPI-lijnen als Excel',
      'Lokale besturen als Excel',
    ]);
    await follow(page, page.locator('#group-overviews').getByRole('link', { name: 'Overzicht per actie en periode' }), '**/overzichten');
    const link = page.getByRole('link', { name: 'Dit overzicht downloaden (CSV)' });
    const href = (await link.getAttribute('href'))!;
    const downloading = page.waitForEvent('download');
    await link.click();
    const download = await downloading;
    expect(download.url()).toBe(new URL(href, t.baseUrl).toString());
    const response = await page.context().request.get(href);
    expect(response.status()).toBe(200);
    expect(response.headers()['content-type']).toBe('text/csv; charset=utf-8');
    // Lier's approved 10 units of action 5, all of it allocated: one applicant of three local governments.
    const euros = (10 * unit5Cents) / 100;
    const row = (await response.text()).split(/\r?\n/).find((line) => line.startsWith(`${year};5;`));
    expect(row).toContain(`;${euros.toFixed(2).replace('.', ',')};${euros.toFixed(2).replace('.', ',')};3;1;`);
    expect(readFileSync(await download.path(), 'utf8')).toBe(await response.text());

    // The Excel export, from Mijn taken.
    await toTasks(page);
    const excel = await page.locator('#group-exports').getByRole('link', { name: 'Acties als Excel' }).getAttribute('href');
    const workbook = await page.context().request.get(excel!);
    expect(workbook.status()).toBe(200);
    expect(workbook.headers()['content-type']).toBe('application/vnd.openxmlformats-officedocument.spreadsheetml.sheet');
    expect((await workbook.body()).subarray(0, 2).toString()).toBe('PK');
  });
});
