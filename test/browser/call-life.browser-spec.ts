import { FixedClock } from '@ps/kernel';
import { andLoad, expectErrorSummaryLinks, expectNoAxeViolations, signInPage, useBrowser } from '../support/browser';
import { startTestApp, TestApp } from '../support/test-app';

/** Issue 24: the pages that make the next call and publish it, in Chromium, with axe. */
describe('making and publishing a call in Chromium', () => {
  let t: TestApp;
  beforeAll(async () => {
    // Inside call 3's real window, so the demo data leaves it as it ran and year 4's copy keeps its dates in order.
    t = await startTestApp({ listen: true, clock: new FixedClock(new Date('2024-04-30T10:00:00Z')) });
  }, 120_000);
  afterAll(() => t?.close());
  const browser = useBrowser(() => t.baseUrl);
  const state = async (year: number) => (await t.dataSource.query(`SELECT state FROM call WHERE year_number = $1`, [year]))[0]?.state;

  it('creates project year 4 from the call creation page, a draft with its menu, with no axe violations', async () => {
    const page = await signInPage(browser, 'beheerder@abb.demo');
    await page.goto('/beheer/oproepen/nieuw');
    await expectNoAxeViolations(page);
    expect(await andLoad(page, () => page.getByRole('button', { name: 'Maak projectjaar 4 aan' }).click())).toBe(303);
    expect(new URL(page.url()).pathname).toBe('/beheer/oproepen/4');
    expect(await page.locator('.govuk-notification-banner').textContent()).toContain('Projectjaar 4 is aangemaakt als ontwerp');
    expect(await state(4)).toBe('draft');
    await expectNoAxeViolations(page);
    await page.goto('/beheer/oproepen/nieuw');
    expect(await page.locator('main').textContent()).toContain('is nog een ontwerp');
    await expectNoAxeViolations(page);
  });

  it('refuses to publish an incomplete call with the missing items summarised and linked to their fields, then publishes it', async () => {
    const page = await signInPage(browser, 'beheerder@abb.demo');
    await page.goto('/beheer/oproepen/4');
    await page.getByLabel('Budget (euro)').fill('');
    await andLoad(page, () => page.getByRole('button', { name: 'Instellingen opslaan' }).click());
    expect(await andLoad(page, () => page.getByRole('button', { name: 'Oproep publiceren' }).click())).toBe(422);
    await expectErrorSummaryLinks(page, [
      { field: 'budgetEuro', message: 'Geef het budget van de oproep.' },
      { field: 'signatoryName', message: 'Geef de naam van wie de beslissingsbrieven ondertekent.' },
      { field: 'signatoryFunction', message: 'Geef de functie van wie de beslissingsbrieven ondertekent.' },
      { field: 'appealText', message: 'Geef de beroepsmogelijkheden die in elke beslissingsbrief staan.' },
    ]);
    await expectNoAxeViolations(page);
    await page.getByRole('link', { name: 'Geef het budget van de oproep.' }).click();
    expect(await page.evaluate(() => document.activeElement?.id)).toBe('budgetEuro');
    expect(await state(4)).toBe('draft');

    await page.goto('/beheer/oproepen/4');
    await page.getByLabel('Budget (euro)').fill('17000000');
    await page.getByLabel('Ondertekenaar van de beslissingsbrieven: naam').fill('An Peeters');
    await page.getByLabel('Ondertekenaar van de beslissingsbrieven: functie').fill('Afdelingshoofd Binnenlands Bestuur');
    await page.getByLabel(/^Beroepsmogelijkheden/).fill('Tegen deze beslissing kunt u binnen dertig dagen beroep instellen.');
    await andLoad(page, () => page.getByRole('button', { name: 'Instellingen opslaan' }).click());
    expect(await andLoad(page, () => page.getByRole('button', { name: 'Oproep publiceren' }).click())).toBe(303);
    expect(await page.locator('.govuk-notification-banner').textContent()).toContain('De oproep is gepubliceerd');
    expect(await state(4)).toBe('published');
    await expectNoAxeViolations(page);
  });
});
