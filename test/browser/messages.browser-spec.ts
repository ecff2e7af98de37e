import { Page } from 'playwright-core';
import { NoticeWorker } from '@ps/notifications';
import { andLoad, expectNoAxeViolations, FACTORY_PASSWORD, plain, signInPage, useBrowser } from '../support/browser';
import { Factories, startFactories, SubmittedFixture } from '../support/factories';

/**
 * Issue 25 in Chromium: "Berichten". A real notice (the receipt of a submission of a cooperation of two) reaches the
 * officers of both members; each sees the unread count in the header, opens Berichten, reads the receipt and marks it
 * read: the lead's officer with JavaScript, the member's officer without. axe-core needs JavaScript: a page seen
 * without it is checked in a second context of the same session with JavaScript on.
 */
describe('Berichten in Chromium', () => {
  let f: Factories;
  let submitted: SubmittedFixture;
  let subject: string;
  beforeAll(async () => {
    f = await startFactories({ listen: true });
    const call = await f.aCall();
    submitted = await f.aSubmittedApplication(call, { applicant: { kind: 'cooperation', size: 2 } });
    await f.get(NoticeWorker).deliverWaiting();
    // Registering the cooperation told its officers of the invitation and its acceptance; read those: this is about the receipt.
    await f.dataSource.query(`UPDATE mail_outbox SET read_at = now() WHERE user_id IS NOT NULL AND event_key NOT LIKE 'submission-received:%'`);
    subject = `Ontvangen: aanvraag PS-${call.year}-${String(submitted.id).padStart(5, '0')} van ${submitted.applicant.nameNl}`;
  }, 120_000);
  afterAll(() => f?.close());
  const browser = useBrowser(() => f?.baseUrl);
  const officerOf = (nisCode: string | null) => `medewerker-${nisCode}@service.test`;

  const navText = async (page: Page) =>
    plain(
      await page
        .getByRole('navigation', { name: 'Hoofdnavigatie' })
        .getByRole('link', { name: /^Berichten/ })
        .textContent(),
    );

  /** axe on the page's current address, with JavaScript on, in the same session. */
  const axeOn = async (page: Page, javaScript: boolean) => {
    if (javaScript) return expectNoAxeViolations(page);
    const checked = await browser.newPage({ storageState: await page.context().storageState() });
    await checked.goto(page.url());
    await expectNoAxeViolations(checked);
  };

  const readAndMark = async (page: Page, javaScript: boolean) => {
    expect(await navText(page)).toBe('Berichten 1 ongelezen');
    await axeOn(page, javaScript);
    await page
      .getByRole('navigation', { name: 'Hoofdnavigatie' })
      .getByRole('link', { name: /^Berichten/ })
      .click();
    await page.waitForURL('**/berichten');
    expect(await page.locator('h1').textContent()).toBe('Berichten');
    expect(await navText(page)).toBe('Berichten 1 ongelezen');
    const card = page.locator('.govuk-summary-card').filter({ hasText: subject });
    expect(await card.count()).toBe(1);
    expect(plain(await card.locator('h2').textContent())).toBe(`Nieuw ${subject}`);
    const body = (await card.locator('pre').textContent()) ?? '';
    expect(body).toContain(`Referentie: PS-`);
    expect(body).toMatch(/Vingerafdruk \(SHA-256\) van wat werd ingediend: [0-9a-f]{64}/);
    expect(await card.getByRole('link', { name: `Naar de pagina (bericht: ${subject})` }).getAttribute('href')).toBe(`/aanvragen/${submitted.id}`);
    await axeOn(page, javaScript);

    expect(await andLoad(page, () => page.getByRole('button', { name: `Markeer als gelezen (bericht: ${subject})` }).click())).toBe(303);
    expect(new URL(page.url()).pathname).toBe('/berichten');
    expect(new URL(page.url()).hash).toMatch(/^#bericht-\d+$/);
    expect(await navText(page)).toBe('Berichten');
    expect(await page.getByRole('button', { name: /Markeer als gelezen/ }).count()).toBe(0);
    expect(await card.locator('.govuk-tag').count()).toBe(0);
    expect(plain(await card.locator('h2').textContent())).toBe(subject);
    await axeOn(page, javaScript);
  };

  it('the lead’s officer, with JavaScript: the count in the header, the receipt, marked read, the count gone', async () => {
    const page = await signInPage(browser, officerOf(submitted.applicant.lead.nisCode), {}, FACTORY_PASSWORD);
    await readAndMark(page, true);
  });

  it('the member’s officer, without JavaScript: the same with a plain form post', async () => {
    const member = submitted.applicant.members.find((m) => m.id !== submitted.applicant.lead.id)!;
    const page = await signInPage(browser, officerOf(member.nisCode), { javaScriptEnabled: false }, FACTORY_PASSWORD);
    expect(await page.locator('script').count()).toBe(0);
    await readAndMark(page, false);
    // The other officer's message was already read; this one is now read too, and only by its reader.
    const rows = await f.dataSource.query(
      `SELECT recipient, read_at IS NOT NULL AS read FROM mail_outbox WHERE event_key LIKE 'submission-received:%' AND recipient LIKE 'medewerker-%' ORDER BY recipient`,
    );
    expect(rows.every((r: { read: boolean }) => r.read)).toBe(true);
    expect(rows).toHaveLength(2);
  });
});
