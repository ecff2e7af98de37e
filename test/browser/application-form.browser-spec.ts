import { FixedClock } from '@ps/kernel';
import { expectNoAxeViolations, signInPage, useBrowser } from '../support/browser';
import { startTestApp, TestApp } from '../support/test-app';

/**
 * Issue 25, the application form on a phone: at 375 px the page never scrolls sideways; each action's table scrolls
 * inside its own frame, which the keyboard can reach and which is named after the action. A priority says what it does.
 */
describe('the application form at 375 px', () => {
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
});
