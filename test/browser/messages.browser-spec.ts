import { inTransaction } from '@ps/database';
import { MailDelivery } from '@ps/notifications';
import { expectNoAxeViolations, signInPage, useBrowser } from '../support/browser';
import { userId } from '../support/sessions';
import { startTestApp, TestApp } from '../support/test-app';

const GENT = 'medewerker@gent.demo';

/** Issue 25: "Berichten" in Chromium: the count in the header, the list, marking read without JavaScript, axe clean. */
describe('Berichten in Chromium', () => {
  let t: TestApp;
  beforeAll(async () => {
    t = await startTestApp({ listen: true });
    const id = await userId(t.dataSource, GENT);
    await inTransaction(t.dataSource, (manager) =>
      t.app.get(MailDelivery).deliver(manager, {
        to: [{ email: GENT, userId: id }],
        subject: 'Goedgekeurd: aanvraag van Stad Gent',
        text: 'De aanvraag van Stad Gent voor Plan Samenleven is goedgekeurd.',
        eventKey: 'browser-test:approved',
        link: '/aanvragen',
      }),
    );
  }, 120_000);
  afterAll(() => t?.close());
  const browser = useBrowser(() => t.baseUrl);

  it('shows the unread count in the header, lists the message, marks it read without JavaScript', async () => {
    const page = await signInPage(browser, GENT, { javaScriptEnabled: false });
    const nav = page.getByRole('link', { name: /^Berichten/ });
    expect((await nav.textContent())?.replace(/\s+/g, ' ').trim()).toBe('Berichten 1 ongelezen');
    await nav.click();
    await page.waitForURL('**/berichten');
    expect(await page.locator('h1').textContent()).toBe('Berichten');
    expect(await page.locator('h2').first().textContent()).toContain('Goedgekeurd: aanvraag van Stad Gent');
    await expectNoAxeViolations(page);
    await page.getByRole('button', { name: 'Markeer als gelezen: Goedgekeurd: aanvraag van Stad Gent' }).click();
    await page.waitForURL(/\/berichten#bericht-\d+$/);
    expect((await page.getByRole('link', { name: /^Berichten/ }).textContent())?.trim()).toBe('Berichten');
    expect(await page.getByRole('button', { name: /Markeer als gelezen/ }).count()).toBe(0);
    await expectNoAxeViolations(page);
  });
});
