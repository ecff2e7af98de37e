import { threeApprovedAndOnePending, AllocationFixture } from '../support/allocation-fixture';
import { expectNoAxeViolations, FACTORY_PASSWORD, focused, plain, signInPage, tabTo, useBrowser } from '../support/browser';
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
    expect(await page.getByRole('link', { name: 'KPI-lijnen downloaden (CSV)' }).getAttribute('href')).toBe(
      `/overzichten/kpi-lijnen.csv?year=${fx.call.year}&action=9`,
    );
    await expectNoAxeViolations(page);
  });

  it('shows the figures per local government, province and reference region; filtered by region with the keyboard alone', async () => {
    const page = await signInPage(browser, 'vera-vvsg@service.test', {}, FACTORY_PASSWORD);
    expect((await page.goto('/overzichten'))?.status()).toBe(200);
    await Promise.all([
      page.waitForURL(/\/overzichten\/lokale-besturen$/),
      page.getByRole('link', { name: 'Per lokaal bestuur, provincie en referentieregio' }).click(),
    ]);
    expect(await page.locator('h1').textContent()).toBe('Overzichten per lokaal bestuur');
    expect(await page.getByRole('img', { name: 'Vastgelegd en toegekend bedrag per provincie' }).count()).toBe(1);
    expect(await page.getByRole('img', { name: 'Vastgelegd en toegekend bedrag per referentieregio' }).count()).toBe(1);
    await expectNoAxeViolations(page);
    const [{ code, name_nl }] = await f.dataSource.query(
      `SELECT rr.code, rr.name_nl FROM reference_region rr JOIN reference_region_member rm ON rm.reference_region_id = rr.id WHERE rm.local_government_id = $1`,
      [fx.a.applicant.lead.id],
    );
    await tabTo(page, 'region');
    await page.keyboard.type(name_nl);
    await tabTo(page, 'Filteren');
    await Promise.all([page.waitForURL(/\/overzichten\/lokale-besturen\?/), page.keyboard.press('Enter')]);
    expect(new URL(page.url()).searchParams.get('region')).toBe(code);
    const regions = await page.locator('#regions tbody tr').evaluateAll((rows) => rows.map((row) => row.textContent ?? ''));
    expect(regions.map(plain)[0]).toMatch(new RegExp(`^${name_nl.replace(/[()]/g, '\\$&')} `));
    const rows = await page.locator('#local-governments tbody tr').evaluateAll((trs) => trs.map((tr) => tr.textContent ?? ''));
    expect(rows.map((r) => plain(r) ?? '').some((r) => r.startsWith(fx.a.applicant.lead.nameNl) && r.includes('€ 10.000,00'))).toBe(true);
    expect(await page.getByRole('link', { name: 'Dit overzicht downloaden (CSV)' }).getAttribute('href')).toBe(
      `/overzichten/lokale-besturen.csv?region=${code}`,
    );
    await expectNoAxeViolations(page);
  });

  it('maps the figures onto today’s municipalities with the keyboard alone (issue 24), the downloads carrying the choice', async () => {
    const page = await signInPage(browser, 'vera-vvsg@service.test', {}, FACTORY_PASSWORD);
    expect((await page.goto(`/overzichten/lokale-besturen?year=${fx.call.year}`))?.status()).toBe(200);
    const group = page.getByRole('group', { name: 'Gemeenten' });
    expect(await group.getByRole('radio', { name: 'Zoals toen (de gemeenten van dat projectjaar)' }).isChecked()).toBe(true);
    await expectNoAxeViolations(page);
    await tabTo(page, 'municipalities');
    await page.keyboard.press('ArrowDown');
    expect(await focused(page)).toBe('municipalities-today');
    await tabTo(page, 'Filteren');
    await Promise.all([page.waitForURL(/municipalities=today/), page.keyboard.press('Enter')]);
    expect(await group.getByRole('radio', { name: 'De gemeenten van vandaag (fusies samengeteld)' }).isChecked()).toBe(true);
    expect(await page.getByRole('link', { name: 'Dit overzicht downloaden (CSV)' }).getAttribute('href')).toBe(
      `/overzichten/lokale-besturen.csv?year=${fx.call.year}&municipalities=today`,
    );
    const rows = await page.locator('#local-governments tbody tr').evaluateAll((trs) => trs.map((tr) => tr.textContent ?? ''));
    expect(rows.map((r) => plain(r) ?? '').some((r) => r.includes('€ 10.000,00'))).toBe(true);
    await expectNoAxeViolations(page);

    expect((await page.goto('/overzichten/lokale-besturen?municipalities=nu'))?.status()).toBe(422);
    const summary = page.locator('.govuk-error-summary');
    expect(plain(await summary.getByRole('link').first().textContent())).toBe(
      'Kies hoe de lokale besturen getoond worden: zoals toen (as-was) of de gemeenten van vandaag (today).',
    );
    expect(await summary.getByRole('link').first().getAttribute('href')).toBe('#municipalities');
    await expectNoAxeViolations(page);
  });

  it('pages the table per local government with GOV.UK pagination, followed with the keyboard alone, without axe violations', async () => {
    const page = await signInPage(browser, 'vera-vvsg@service.test', {}, FACTORY_PASSWORD);
    expect((await page.goto(`/overzichten/lokale-besturen?year=${fx.call.year}&pageSize=1`))?.status()).toBe(200);
    const pagination = page.getByRole('navigation', { name: 'Paginering per lokaal bestuur' });
    expect(await pagination.getByRole('link', { name: 'Pagina 1' }).getAttribute('aria-current')).toBe('page');
    expect(await page.locator('#local-governments tbody tr').count()).toBe(1);
    await expectNoAxeViolations(page);
    await tabTo(page, 'Volgende pagina');
    await Promise.all([page.waitForURL(/page=2/), page.keyboard.press('Enter')]);
    expect(new URL(page.url()).searchParams.get('year')).toBe(String(fx.call.year));
    expect(await pagination.getByRole('link', { name: 'Pagina 2' }).getAttribute('aria-current')).toBe('page');
    expect(plain(await page.locator('[data-testid="page-range"]').textContent())).toMatch(/^2 tot 2 van \d+$/);
    await expectNoAxeViolations(page);
  });
});
