import { FixedClock } from '@ps/kernel';
import { expectNoAxeViolations, plain, signInPage, useBrowser } from '../support/browser';
import { startTestApp, TestApp } from '../support/test-app';

/** Issue 25: every demo role signs in, lands on Mijn taken (no axe violations) and follows a link to its next step. */
describe('Mijn taken in Chromium', () => {
  let t: TestApp;
  beforeAll(async () => {
    t = await startTestApp({ listen: true, clock: new FixedClock(new Date('2024-04-30T10:00:00Z')) });
  }, 120_000);
  afterAll(() => t?.close());
  const browser = useBrowser(() => t.baseUrl);

  const landOnTasks = async (email: string, javaScriptEnabled = true) => {
    const page = await signInPage(browser, email, { javaScriptEnabled });
    expect(new URL(page.url()).pathname).toBe('/taken');
    expect(await page.locator('h1').textContent()).toBe('Mijn taken');
    return page;
  };

  it('the Lier officer starts the application from Mijn taken, without JavaScript, and lands on the form', async () => {
    const withJs = await landOnTasks('medewerker@lier.demo');
    await expectNoAxeViolations(withJs);
    expect(plain(await withJs.locator('#group-calls').textContent())).toContain('Samenwerkingsverband Lier-Duffel-Berlaar: nog geen aanvraag');
    await withJs.goto('/aanvragen');
    expect(await withJs.locator('#startable button').count()).toBe(1);
    await expectNoAxeViolations(withJs);

    const page = await landOnTasks('medewerker@lier.demo', false);
    await page.getByRole('button', { name: 'Aanvraag starten Aanvraag starten voor Samenwerkingsverband Lier-Duffel-Berlaar' }).click();
    await page.waitForURL(/\/aanvragen\/\d+$/);
    expect(await page.locator('#status').count()).toBe(1);

    const after = await landOnTasks('medewerker@lier.demo');
    await expectNoAxeViolations(after);
    await after.locator('#group-missing').getByRole('link', { name: 'Vul het telefoonnummer van de contactpersoon in' }).click();
    await after.waitForURL(/\/aanvragers\/\d+#contact-contactPhone$/);
    expect(await after.locator('#contact-contactPhone').count()).toBe(1);
    await expectNoAxeViolations(after);
  });

  it('the reviewer finds the deadline of the open call and follows it to the applications', async () => {
    const page = await landOnTasks('beoordelaar@abb.demo');
    await expectNoAxeViolations(page);
    await page.locator('#group-deadlines a').first().click();
    await page.waitForURL(/\/aanvragen\?projectjaar=\d+$/);
    expect(await page.locator('h1').textContent()).toBe('Aanvragen');
    await expectNoAxeViolations(page);
  });

  it('the administrator sees the calls and opens one', async () => {
    const page = await landOnTasks('beheerder@abb.demo');
    await expectNoAxeViolations(page);
    await page.locator('#group-calls a').first().click();
    await page.waitForURL(/\/beheer\/oproepen\/\d+$/);
    await expectNoAxeViolations(page);
  });

  it('the analyst opens the overviews, and the platform administrator the users', async () => {
    const analyst = await landOnTasks('analist@vvsg.demo');
    await expectNoAxeViolations(analyst);
    await analyst.getByRole('link', { name: 'Overzicht per actie en periode' }).click();
    await analyst.waitForURL(/\/overzichten$/);
    await expectNoAxeViolations(analyst);

    const platform = await landOnTasks('platform@beheer.demo');
    await expectNoAxeViolations(platform);
    await platform.locator('#group-users a').click();
    await platform.waitForURL(/\/beheer\/gebruikers$/);
    await expectNoAxeViolations(platform);
  });
});
