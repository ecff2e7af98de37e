import { FixedClock } from '@ps/kernel';
import { andLoad, expectNoAxeViolations, signInPage, useBrowser } from '../support/browser';
import { startTestApp, TestApp } from '../support/test-app';

/**
 * Issue 25, the application form fits the person filling it: the actions not chosen are folded, each in a native
 * <details> the officer opens to fill it. On a phone (375 px) the page never scrolls sideways; each action's table
 * scrolls inside its own frame, which the keyboard can reach and which is named after the action. A priority says what
 * it does.
 */
describe('the application form', () => {
  // Inside the submission window of projectjaar 3; sessions use the same clock.
  const clock = new FixedClock(new Date('2024-04-30T10:00:00Z'));
  let t: TestApp;
  let gent: number;
  beforeAll(async () => {
    t = await startTestApp({ listen: true, clock });
    [{ id: gent }] = await t.dataSource.query(`SELECT id FROM applicant WHERE name_nl = 'Stad Gent'`);
  }, 300_000);
  afterAll(() => t?.close());
  const browser = useBrowser(() => t.baseUrl);

  it('scrolls the tables in their own labelled, focusable frames, not the page, and explains the priority', async () => {
    const page = await signInPage(browser, 'medewerker@gent.demo', { viewport: { width: 375, height: 800 } });
    await page.goto(`/aanvragers/${gent}`);
    await page.getByRole('button', { name: 'Aanvraag openen' }).click();
    await page.waitForURL(/\/aanvragen\/\d+$/);

    expect(await page.evaluate(() => document.documentElement.scrollWidth)).toBeLessThanOrEqual(375);
    await page.getByText('Actie 5: Oefenkansen Nederlands organiseren (niet gekozen)').click();
    expect(await page.evaluate(() => document.documentElement.scrollWidth)).toBeLessThanOrEqual(375);
    const frame = page.getByRole('region', { name: 'KPI-lijnen van actie 5', exact: true });
    expect(await frame.getAttribute('tabindex')).toBe('0');
    const sizes = await frame.evaluate((element) => ({ scroll: element.scrollWidth, client: element.clientWidth }));
    expect(sizes.scroll).toBeGreaterThan(sizes.client);
    await frame.focus();
    await page.keyboard.press('ArrowRight');
    // The browser scrolls the focused frame on its next frames: wait for it (a busy machine renders late), up to 10 s.
    await frame.evaluate(
      (element) =>
        new Promise<void>((resolve, reject) => {
          const started = Date.now();
          const check = () =>
            element.scrollLeft > 0 ? resolve() : Date.now() - started > 10_000 ? reject(new Error('the frame did not scroll')) : requestAnimationFrame(check);
          check();
        }),
    );
    expect(await frame.evaluate((element) => element.scrollLeft)).toBeGreaterThan(0);
    expect(await page.evaluate(() => window.scrollX)).toBe(0);

    const hint = page.locator('#priority-5-hint');
    expect(await hint.textContent()).toContain('beslist wat eerst betaald wordt als het budget niet volstaat');
    expect(await page.locator('#priority-5').getAttribute('aria-describedby')).toBe('priority-5-hint');
    await expectNoAxeViolations(page);
  });

  it('starts from the chosen actions: a folded one opens, is filled and saved, and then shows open', async () => {
    const page = await signInPage(browser, 'medewerker@gent.demo', { viewport: { width: 1280, height: 800 } });
    await page.goto(`/aanvragers/${gent}`);
    await page.getByRole('button', { name: 'Aanvraag openen' }).click();
    await page.waitForURL(/\/aanvragen\/\d+$/);

    // A fresh form: every action folded, the page a third of its length with all of them open (10,816 px before issue 25).
    const folded = page.locator('main details.ps-action-fold');
    expect(await folded.count()).toBe(20);
    expect(await page.locator('main details[open]').count()).toBe(0);
    expect(await page.getByRole('heading', { level: 3, name: /^Actie \d+:/ }).count()).toBe(0);
    const height = () => page.evaluate(() => document.documentElement.scrollHeight);
    const foldedHeight = await height();
    expect(foldedHeight).toBeLessThan(4000);
    await expectNoAxeViolations(page);
    await folded.evaluateAll((all) => all.forEach((details) => ((details as HTMLDetailsElement).open = true)));
    expect(await height()).toBeGreaterThan(2.5 * foldedHeight);
    await page.reload();

    // The officer opens action 9 by its summary, with the keyboard, and finds the same fields as before.
    const summary = page.locator('#actie-9-openen');
    expect(await summary.textContent()).toBe('Actie 9: Begeleiding van kansengroepen naar werk (niet gekozen)');
    const planned = page.locator('#actie-9 input[id^="planned-"]').first();
    expect(await planned.isVisible()).toBe(false);
    await summary.focus();
    await page.keyboard.press('Enter');
    expect(await page.locator('#actie-9').getAttribute('open')).toBe('');
    expect(await planned.isVisible()).toBe(true);
    expect(await page.getByRole('region', { name: 'KPI-lijnen van actie 9', exact: true }).isVisible()).toBe(true);
    const plannedId = (await planned.getAttribute('id'))!;
    await planned.fill('12');
    await page.locator('#priority-9').fill('1');
    expect(await page.locator('#priority-9-hint').textContent()).toContain('De prioriteit beslist wat eerst betaald wordt als het budget niet volstaat');
    await expectNoAxeViolations(page);
    await andLoad(page, () => page.getByRole('button', { name: 'Concept opslaan' }).click());

    // Saved: action 9 is open under its heading, the other 19 still folded.
    expect(await page.locator('.govuk-notification-banner--success').textContent()).toContain('Het concept is opgeslagen.');
    expect(await page.getByRole('heading', { level: 3, name: /^Actie \d+:/ }).allTextContents()).toEqual(['Actie 9: Begeleiding van kansengroepen naar werk']);
    expect(await page.locator('#actie-9').evaluate((element) => element.tagName)).toBe('DIV');
    expect(await page.locator(`#${plannedId}`).inputValue()).toBe('12');
    expect(await page.locator(`#${plannedId}`).isVisible()).toBe(true);
    expect(await folded.count()).toBe(19);
    expect(await page.locator('main details[open]').count()).toBe(0);
    await expectNoAxeViolations(page);
  });
});
