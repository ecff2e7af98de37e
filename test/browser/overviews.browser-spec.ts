import { threeApprovedAndOnePending, AllocationFixture } from '../support/allocation-fixture';
import { expectNoAxeViolations, FACTORY_PASSWORD, plain, signInPage, tabTo, useBrowser } from '../support/browser';
import { Factories, startFactories } from '../support/factories';

/**
 * Issue 12 in Chromium: the public figures and the filtered overviews pass axe-core and work with the keyboard alone.
 * The data of test/e2e/overviews.e2e-spec.ts before publication: action 5 €14.000 committed (A, B, C), action 9 €5.000 (A, B).
 */
describe('the overview pages in Chromium', () => {
  let f: Factories;
  let fx: AllocationFixture;
  beforeAll(async () => {
    f = await startFactories({ listen: true });
    fx = await threeApprovedAndOnePending(f);
    await f.actors.another('vvsg-analyst', 'Vera VVSG');
  }, 120_000);
  afterAll(() => f?.close());
  const browser = useBrowser(() => f?.baseUrl);

  it('shows the public figures without login, with the chart and its table, and no axe violations', async () => {
    const page = await browser.newPage();
    expect((await page.goto('/cijfers'))?.status()).toBe(200);
    expect(await page.locator('h1').textContent()).toBe('Plan Samenleven in cijfers');
    expect(await page.getByRole('img', { name: 'Vastgelegd en toegekend bedrag per doelstelling' }).count()).toBe(1);
    const objectives = await page.locator('#objectives tbody tr').evaluateAll((rows) => rows.map((row) => row.textContent ?? ''));
    expect(objectives.map(plain)).toContain('Nederlands € 14.000,00 € 0,00');
    await expectNoAxeViolations(page);
  });

  it('lets an analyst filter with the keyboard alone, and the CSV link carries the filters', async () => {
    const page = await signInPage(browser, 'vera-vvsg@service.test', {}, FACTORY_PASSWORD);
    expect((await page.goto('/overzichten'))?.status()).toBe(200);
    await expectNoAxeViolations(page);
    await tabTo(page, 'year');
    await page.keyboard.type(String(fx.call.year));
    await tabTo(page, 'action');
    await page.keyboard.type('9');
    await tabTo(page, 'Filteren');
    await Promise.all([page.waitForURL(/\/overzichten\?/), page.keyboard.press('Enter')]);
    const url = new URL(page.url());
    expect(url.searchParams.get('year')).toBe(String(fx.call.year));
    expect(url.searchParams.get('action')).toBe('9');
    const rows = await page.locator('#actions tbody tr').evaluateAll((trs) => trs.map((tr) => tr.textContent ?? ''));
    expect(rows.map(plain)).toEqual([
      `${fx.call.year} 9. Begeleiding van kansengroepen naar werk Werk (arbeidsmarkt en ondernemerschap) € 5.000,00 € 0,00 2 2`,
    ]);
    expect(await page.getByRole('link', { name: 'Dit overzicht downloaden (CSV)' }).getAttribute('href')).toBe(
      `/overzichten/acties.csv?year=${fx.call.year}&action=9`,
    );
    expect(await page.getByRole('link', { name: 'Dit overzicht downloaden (Excel)' }).getAttribute('href')).toBe(
      `/overzichten/acties.xlsx?year=${fx.call.year}&action=9`,
    );
    expect(await page.locator('#action').inputValue()).toBe('9');
    await expectNoAxeViolations(page);
  });
});
