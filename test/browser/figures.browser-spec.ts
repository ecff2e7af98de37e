import { Page } from 'playwright-core';
import { threeApprovedAndOnePending } from '../support/allocation-fixture';
import { expectNoAxeViolations, useBrowser } from '../support/browser';
import { Factories, startFactories } from '../support/factories';

/**
 * Issue 25: the public /cijfers page under the site's own Content-Security-Policy (no inline styles, so nothing is
 * blocked), readable from 320 px up (nothing wider than the screen), with filters that are a real form.
 */
describe('the public figures at 320 px, under the site’s Content-Security-Policy', () => {
  let f: Factories;
  let year: number;
  beforeAll(async () => {
    f = await startFactories({ listen: true });
    year = (await threeApprovedAndOnePending(f)).call.year;
  }, 300_000);
  afterAll(() => f?.close());
  const browser = useBrowser(() => f?.baseUrl);
  const narrow = { viewport: { width: 320, height: 640 } };

  /** Collects what the browser reports as a CSP violation, from the console and from the page's own events. */
  async function watchCsp(page: Page): Promise<string[]> {
    const violations: string[] = [];
    page.on('console', (message) => {
      if (/Content Security Policy|Content-Security-Policy/i.test(message.text())) violations.push(message.text());
    });
    await page.addInitScript(() => {
      document.addEventListener('securitypolicyviolation', (event) => console.error(`Content-Security-Policy: ${event.violatedDirective} ${event.blockedURI}`));
    });
    return violations;
  }

  const widest = (page: Page) => page.evaluate(() => document.documentElement.scrollWidth);

  it('draws the chart with nothing blocked and nothing wider than the screen', async () => {
    const page = await browser.newPage({ ...narrow, bypassCSP: false });
    const violations = await watchCsp(page);
    const response = await page.goto('/cijfers');
    expect(response?.status()).toBe(200);
    expect(response?.headers()['content-security-policy']).toMatch(/style-src/);
    const chart = page.getByRole('img', { name: 'Vastgelegd en toegekend bedrag per doelstelling' });
    expect(await chart.getAttribute('style')).toBeNull();
    expect(await page.locator('[style]').count()).toBe(0);
    const box = (await chart.boundingBox())!;
    expect(box.width).toBeGreaterThan(250);
    expect(box.x + box.width).toBeLessThanOrEqual(320);
    expect(await widest(page)).toBeLessThanOrEqual(320);
    expect(violations).toEqual([]);
  });

  it('filters with a real form, without JavaScript, and passes axe at 320 px', async () => {
    const page = await browser.newPage({ ...narrow, javaScriptEnabled: false });
    await page.goto('/cijfers');
    await page.selectOption('#year', String(year));
    await page.selectOption('#objective', 'nederlands');
    await Promise.all([page.waitForURL(/\/cijfers\?/), page.getByRole('button', { name: 'Cijfers tonen' }).click()]);
    const url = new URL(page.url());
    expect(url.searchParams.get('year')).toBe(String(year));
    expect(url.searchParams.get('objective')).toBe('nederlands');
    expect(await page.locator('#year').inputValue()).toBe(String(year));
    const rows = await page.locator('#actions tbody tr th').allTextContents();
    expect(rows.length).toBeGreaterThan(0);
    expect(rows.every((text) => text.startsWith('5.'))).toBe(true);

    const scripted = await browser.newPage(narrow);
    await scripted.goto(`/cijfers?year=${year}`);
    expect(await widest(scripted)).toBeLessThanOrEqual(320);
    await expectNoAxeViolations(scripted);
  });

  it('refuses a project year that is no number with a Dutch message next to the field', async () => {
    const page = await browser.newPage(narrow);
    const response = await page.goto('/cijfers?year=drie');
    expect(response?.status()).toBe(422);
    expect(await page.locator('#year-error').textContent()).toMatch(/\S/);
    await expectNoAxeViolations(page);
  });
});
