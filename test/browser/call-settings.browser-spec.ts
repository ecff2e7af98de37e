import { Page } from 'playwright-core';
import { expectNoAxeViolations, signInPage, useBrowser } from '../support/browser';
import { startTestApp, TestApp } from '../support/test-app';

/** Submits the settings form and waits for the page that answers it. */
async function save(page: Page): Promise<void> {
  const loaded = page.waitForEvent('load');
  await page.getByRole('button', { name: 'Instellingen opslaan' }).click();
  await loaded;
}

describe('the call settings page in Chromium', () => {
  let t: TestApp;
  beforeAll(async () => {
    t = await startTestApp({ listen: true });
  }, 120_000);
  afterAll(() => t?.close());
  const browser = useBrowser(() => t.baseUrl);
  const row = async (year: number) => (await t.dataSource.query(`SELECT * FROM call WHERE year_number = $1`, [year]))[0];

  it('saves the page unchanged without changing anything (23:59:59 stays), with no axe violations', async () => {
    const page = await signInPage(browser, 'beheerder@abb.demo');
    await page.goto('/beheer/oproepen/1');
    await expectNoAxeViolations(page);
    expect(await page.getByLabel('Indienen tot').inputValue()).toBe('2022-07-01T23:59:59');
    const before = await row(1);
    await save(page);
    expect(await page.locator('.govuk-notification-banner, [role="status"], [role="alert"]').first().textContent()).toContain('opgeslagen');
    expect(await row(1)).toEqual(before);
  });

  it('corrects the assumed reference year and origin definition through the page', async () => {
    const page = await signInPage(browser, 'beheerder@abb.demo');
    await page.goto('/beheer/oproepen/1');
    await page.getByLabel('Referentiejaar van de statistieken').fill('2022');
    await page.getByLabel('Herkomstdefinitie van de statistieken (zoals niet-EU-14)').fill('niet-EU-14');
    await page.getByLabel('Voorschot (% van het bevestigde bedrag)').fill('75');
    await save(page);
    expect(await row(1)).toMatchObject({ statistics_reference_year: 2022, origin_definition: 'niet-EU-14', advance_percent: 75 });
  });

  it('shows a refused value next to its field, and the frozen settings read-only after the first submission', async () => {
    const page = await signInPage(browser, 'beheerder@abb.demo');
    await page.goto('/beheer/oproepen/3');
    await page.getByLabel('Referentiejaar van de statistieken').fill('twintig');
    await save(page);
    expect(await page.locator('.govuk-error-summary').textContent()).toContain('Geef een jaartal van 1990 tot 2100.');
    await expectNoAxeViolations(page);

    await t.dataSource.query(`INSERT INTO application (applicant_id, call_id, catalogue_version, status, submitted_at)
      SELECT a.id, a.call_id, 1, 'ingediend', now() FROM applicant a WHERE a.name_nl = 'Stad Gent'`);
    await page.goto('/beheer/oproepen/3');
    expect(await page.getByLabel('Drempel: meer dan … inwoners van niet-EU-herkomst').getAttribute('readonly')).not.toBeNull();
    expect(await page.getByLabel('Terugvordering', { exact: true }).isDisabled()).toBe(true);
    await expectNoAxeViolations(page);
    await page.getByLabel('Budget (euro)').fill('17.000.000');
    await save(page);
    expect(Number((await row(3)).budget_cents)).toBe(1_700_000_000);
  });
});
