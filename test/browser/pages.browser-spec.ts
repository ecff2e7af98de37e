import { Page } from 'playwright-core';
import { expectNoAxeViolations, useBrowser } from '../support/browser';
import { startTestApp, TestApp } from '../support/test-app';

const focused = (page: Page) => page.evaluate(() => ({ id: document.activeElement?.id, text: document.activeElement?.textContent?.trim() }));

describe('the public pages in Chromium', () => {
  let t: TestApp;
  beforeAll(async () => {
    t = await startTestApp({ listen: true });
  }, 120_000);
  afterAll(() => t?.close());
  const browser = useBrowser(() => t.baseUrl);

  it.each(['/', '/acties', '/acties?projectjaar=1', '/lokale-besturen', '/lokale-besturen?zoek=gent', '/lokale-besturen?provincie=Limburg&pageSize=10&page=2'])(
    '%s loads with one h1 and no axe violations',
    async (path) => {
      const page = await browser.newPage();
      const response = await page.goto(path);
      expect(response?.status()).toBe(200);
      expect(await page.locator('h1').allTextContents()).toEqual([expect.stringMatching(/\S/)]);
      await expectNoAxeViolations(page);
    },
  );

  it.each([
    { page: 'actions', path: '/acties?projectjaar=12', field: 'projectjaar', message: 'Kies een projectjaar uit de lijst' },
    { page: 'local governments', path: `/lokale-besturen?zoek=${'a'.repeat(101)}`, field: 'zoek', message: 'Een zoekterm mag hoogstens 100 tekens hebben' },
  ])('the $page page shows an accessible error summary whose link focuses #$field', async ({ path, field, message }) => {
    const page = await browser.newPage();
    const response = await page.goto(path);
    expect(response?.status()).toBe(400);
    expect(await page.title()).toMatch(/^Fout: /);
    const summary = page.locator('.govuk-error-summary');
    expect(await summary.locator('h2').textContent()).toBe('Er is een probleem');
    await expectNoAxeViolations(page);

    expect((await focused(page)).id).not.toBe(field);
    await summary.getByRole('link', { name: message }).click();
    expect(new URL(page.url()).hash).toBe(`#${field}`);
    expect((await focused(page)).id).toBe(field);
  });

  it('searches a local government with the keyboard alone', async () => {
    const page = await browser.newPage();
    await page.goto('/lokale-besturen');
    await page.keyboard.press('Tab');
    expect((await focused(page)).text).toBe('Ga naar de inhoud');
    for (let presses = 0; presses < 15 && (await focused(page)).id !== 'zoek'; presses++) await page.keyboard.press('Tab');
    expect((await focused(page)).id).toBe('zoek');

    await page.keyboard.type('44021');
    await page.keyboard.press('Enter');
    await page.waitForURL(/[?&]zoek=44021(&|$)/);
    expect(await page.locator('table tbody tr').allTextContents()).toEqual([expect.stringMatching(/44021\s+Gent\s+Gent\s+Oost-Vlaanderen/)]);
  });

  it('searches a local government without JavaScript', async () => {
    const page = await browser.newPage({ javaScriptEnabled: false });
    await page.goto('/lokale-besturen');
    await page.locator('#zoek').fill('44021');
    await page.getByRole('button', { name: 'Zoeken' }).click();
    await page.waitForURL(/[?&]zoek=44021(&|$)/);
    expect(await page.locator('table tbody td').nth(1).textContent()).toBe('Gent');
  });

  it('lists 24 actions under 7 objectives and shows action 23 unfunded in project year 1', async () => {
    const page = await browser.newPage();
    await page.goto('/acties');
    expect(await page.locator('main section > h2').count()).toBe(7);
    const actionNumbers = (await page.locator('main section h3').allTextContents()).map((heading) => Number(/^Actie (\d+):/.exec(heading)?.[1]));
    expect(actionNumbers).toEqual(Array.from({ length: 24 }, (_, i) => i + 1));
    const action23 = page.locator('main section > div').filter({ has: page.getByRole('heading', { level: 3, name: /^Actie 23:/ }) });
    expect(await action23.locator('.govuk-tag').textContent()).toBe('Gefinancierd');

    await page.locator('#projectjaar').selectOption({ label: 'Projectjaar 1 (2022-2023)' });
    await page.getByRole('button', { name: 'Toon' }).click();
    await page.waitForURL(/[?&]projectjaar=1(&|$)/);
    expect(await action23.locator('.govuk-tag').textContent()).toBe('Niet gefinancierd door het plan');
  });
});
