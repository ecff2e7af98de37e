import { BrowserContextOptions, Page } from 'playwright-core';
import { FixedClock } from '@ps/kernel';
import { expectNoAxeViolations, focused, retype, signInPage, tabTo, useBrowser } from '../support/browser';
import { startTestApp, TestApp } from '../support/test-app';

/** Runs an action that posts a form and waits for the page that answers it (often the same URL again). */
async function andLoad(page: Page, action: () => Promise<void>): Promise<void> {
  const loaded = page.waitForEvent('load');
  await action();
  await loaded;
}

/** Text with every kind of space (Intl puts a no-break space after €) as a plain space. */
const plain = (text: string | null) => text?.replace(/\s/g, ' ');

// The tests run in order and follow one application of Stad Gent from concept to decision letter.
describe('the application pages in Chromium', () => {
  // Inside the submission window of projectjaar 3; sessions use the same clock.
  const clock = new FixedClock(new Date('2024-04-30T10:00:00Z'));
  let t: TestApp;
  let gent: number;
  let url: string;
  /** The planned-reach field of action 2's line and of action 5's line. */
  let planned2: string;
  let planned5: string;
  let unit5Cents: number;
  beforeAll(async () => {
    t = await startTestApp({ listen: true, clock });
    [{ id: gent }] = await t.dataSource.query(`SELECT id FROM applicant WHERE name_nl = 'Stad Gent'`);
    await t.dataSource.query(
      `UPDATE applicant SET contact_name = 'Griet', contact_email = 'griet@gent.demo', contact_phone = '+3292665500', payout_iban = 'BE68539007547034' WHERE id = $1`,
      [gent],
    );
  }, 120_000);
  afterAll(() => t?.close());
  const browser = useBrowser(() => t.baseUrl);

  const signIn = (email: string, options: BrowserContextOptions = {}) => signInPage(browser, email, options);

  /** The Gent officer on the application form, focus moved into <main> with the skip link and Tab. */
  async function openForm(): Promise<Page> {
    const page = await signIn('medewerker@gent.demo');
    await page.goto(url);
    await page.keyboard.press('Tab');
    expect(await focused(page)).toBe('Ga naar de inhoud');
    await page.keyboard.press('Enter');
    await page.keyboard.press('Tab');
    expect(await page.evaluate(() => !!document.activeElement?.closest('main'))).toBe(true);
    return page;
  }

  it('opens the application from the applicant page as a concept with no axe violations', async () => {
    const page = await signIn('medewerker@gent.demo');
    await page.goto('/aanvragers');
    await page.getByRole('link', { name: 'Stad Gent' }).click();
    await page.waitForURL(`**/aanvragers/${gent}`);
    await page.getByRole('button', { name: 'Aanvraag openen' }).click();
    await page.waitForURL(/\/aanvragen\/\d+$/);
    url = new URL(page.url()).pathname;
    expect(await page.locator('#status').textContent()).toBe('Concept');
    // A fresh form folds every action as not chosen (issue 25).
    expect(await page.locator('#actie-5-openen').textContent()).toBe('Actie 5: Oefenkansen Nederlands organiseren (niet gekozen)');
    const firstPlanned = (action: number) => page.locator(`#actie-${action} input[id^="planned-"]`).first().getAttribute('id');
    [planned2, planned5] = [(await firstPlanned(2))!, (await firstPlanned(5))!];
    await expectNoAxeViolations(page);
  });

  it('fills the action table with the keyboard alone; contributions follow live and the totals after saving', async () => {
    const page = await openForm();
    const contribution = page.locator(`[data-contribution-for="${planned5}"]`);
    unit5Cents = Number(await page.locator(`#${planned5}`).getAttribute('data-unit-cents'));
    const live = new Intl.NumberFormat('nl-BE', { style: 'currency', currency: 'EUR' }).format((100 * unit5Cents) / 100);
    expect(plain(await contribution.textContent())).toBe('€ 0,00');

    // Actions 2 and 5 are folded: the officer opens each by its summary with Enter, then fills it.
    await tabTo(page, 'actie-2-openen');
    await page.keyboard.press('Enter');
    await tabTo(page, planned2);
    await retype(page, '1');
    await tabTo(page, 'priority-2');
    await retype(page, '1');
    await tabTo(page, 'actie-5-openen');
    await page.keyboard.press('Enter');
    await tabTo(page, planned5);
    await retype(page, '100');
    expect(plain(await contribution.textContent())).toBe(plain(live));
    await tabTo(page, 'priority-5');
    await retype(page, '2');
    await andLoad(page, () => page.keyboard.press('Enter'));

    expect(await page.locator('.govuk-notification-banner--success').textContent()).toContain('Het concept is opgeslagen.');
    expect(plain(await page.locator('#total-flemish').textContent())).toBe('€ 31.000,00');
    expect(plain(await page.locator('#total-local').textContent())).toBe('€ 31.000,00');
    expect(plain(await contribution.textContent())).toBe(plain(live));
    // Saved with a line, actions 2 and 5 show open; the others stay folded.
    expect(await page.getByRole('heading', { level: 3, name: /^Actie \d+:/ }).allTextContents()).toEqual([
      'Actie 2: Lokaal actieplan polarisatie ontwikkelen en uitrollen',
      'Actie 5: Oefenkansen Nederlands organiseren',
    ]);
  });

  it('refuses a reach above the maximum and a duplicate priority accessibly, keeping what was typed', async () => {
    const page = await openForm();
    await tabTo(page, planned5);
    await retype(page, '2251');
    await tabTo(page, 'priority-5');
    await retype(page, '1');
    await andLoad(page, () => page.keyboard.press('Enter'));

    const summary = page.locator('main > .govuk-error-summary:first-child');
    expect(await summary.getByRole('alert').locator('h2').textContent()).toBe('Er is een probleem');
    expect(await page.title()).toMatch(/^Fout: /);
    const fields = [planned5, 'priority-5'];
    expect(await summary.locator('a').evaluateAll((links) => links.map((a) => a.getAttribute('href')))).toEqual(fields.map((f) => `#${f}`));
    await expectNoAxeViolations(page);
    for (const field of fields) {
      await summary.locator(`a[href="#${field}"]`).press('Enter');
      expect(await focused(page)).toBe(field);
    }
    expect(await page.locator(`#${planned5}`).inputValue()).toBe('2251');
    expect(await page.locator('#priority-5').inputValue()).toBe('1');
    expect(await page.locator(`#${planned2}`).inputValue()).toBe('1');
  });

  it('submits the application without JavaScript', async () => {
    const page = await signIn('medewerker@gent.demo', { javaScriptEnabled: false });
    await page.goto(url);
    expect(await page.locator('#incomplete').count()).toBe(0);
    await andLoad(page, () => page.getByRole('button', { name: 'Aanvraag indienen' }).click());
    expect(await page.locator('.govuk-notification-banner--success').textContent()).toContain('De aanvraag is ingediend.');
    expect(await page.locator('#status').textContent()).toBe('Ingediend');
    expect(await page.locator(`#${planned5}`).count()).toBe(0);
  });

  it('lets a reviewer filter the queue with the keyboard, approve a lower quantity and open a letter that adds up', async () => {
    const page = await signIn('beoordelaar@abb.demo');
    await page.goto('/aanvragen');
    await tabTo(page, 'filter-status');
    await page.keyboard.type('Ingediend');
    expect(await page.locator('#filter-status option:checked').textContent()).toBe('Ingediend');
    await tabTo(page, 'Filter');
    await page.keyboard.press('Enter');
    await page.waitForURL(/status=ingediend/);
    expect(await page.locator('main tbody tr td:first-child').allTextContents()).toEqual(['Stad Gent']);
    await expectNoAxeViolations(page);

    await page.getByRole('link', { name: 'Stad Gent' }).click();
    await page.waitForURL(`**${url}`);
    await andLoad(page, () => page.getByRole('button', { name: 'In behandeling nemen' }).click());
    expect(await page.locator('#status').textContent()).toBe('In behandeling');
    await expectNoAxeViolations(page);
    const confirmed5 = page.locator(`#${planned5.replace('planned', 'confirmed')}`);
    expect(await confirmed5.inputValue()).toBe('100');
    await confirmed5.fill('75');
    await andLoad(page, () => page.getByRole('button', { name: 'Goedkeuren', exact: true }).click());
    expect(await page.locator('#status').textContent()).toBe('Goedgekeurd');
    await expectNoAxeViolations(page);

    await page.getByRole('link', { name: 'Beslissingsbrief (afdrukbaar)' }).click();
    await page.waitForURL(`**${url}/beslissingsbrief`);
    const [confirmed, advance, balance] = await page
      .locator('#amounts [data-cents]')
      .evaluateAll((cells) => cells.map((c) => Number(c.getAttribute('data-cents'))));
    expect(confirmed).toBe(3_100_000 - 25 * unit5Cents);
    expect(advance + balance).toBe(confirmed);
    const line5 = page.locator('#confirmed-lines tbody tr').filter({ has: page.locator('td:first-child', { hasText: /^5\. / }) });
    expect(await line5.locator('td').nth(4).textContent()).toBe('75');
    await expectNoAxeViolations(page);
  });
});
