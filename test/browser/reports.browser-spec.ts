import { Page } from 'playwright-core';
import { brusselsLocal } from '@ps/applications';
import { AllocationFixture, threeApprovedAndOnePending } from '../support/allocation-fixture';
import { andLoad, expectErrorSummaryLinks, expectNoAxeViolations, FACTORY_PASSWORD, focused, plain, signInPage, tabTo, useBrowser } from '../support/browser';
import { Factories, startFactories } from '../support/factories';

const DAY = 24 * 3600 * 1000;

/** The field's error is shown next to it and announced with it. */
async function expectFieldError(page: Page, field: string, message: string): Promise<void> {
  expect(await page.locator(`#${field}`).getAttribute('aria-describedby')).toBe(`${field}-error`);
  expect(plain(await page.locator(`#${field}-error`).textContent())).toBe(`Fout: ${message}`);
}

/** The success notice that opens <main> after a change. */
const notice = async (page: Page) => plain(await page.locator('main > .govuk-notification-banner--success').textContent());

const status = async (page: Page) => plain(await page.locator('#report-status').textContent());

/**
 * Issue 11 in Chromium: the officer reports, ABB reviews from its queue, and reopens a report after the deadline.
 * The data of test/e2e/reports.e2e-spec.ts: the call of `threeApprovedAndOnePending` with the interim report due in
 * 10 days and the final report in 40. A reports on action 5 (confirmed 10) and action 9 (confirmed 4); 2 of 10 is
 * 20 %, below the quantity (a motivation is required) and below the 25 % threshold. The tests run in order.
 */
describe('the report pages in Chromium', () => {
  let f: Factories;
  let fx: AllocationFixture;
  const start = new Date();
  const line5 = () => fx.call.line(5).id;
  const line9 = () => fx.call.line(9).id;
  const interim = () => `/aanvragen/${fx.a.id}/rapporten/interim`;
  const final = () => `/aanvragen/${fx.a.id}/rapporten/final`;
  beforeAll(async () => {
    f = await startFactories({ listen: true, now: start });
    fx = await threeApprovedAndOnePending(f, {
      interimReportDue: brusselsLocal(new Date(start.getTime() + 10 * DAY)).slice(0, 16),
      finalReportDue: brusselsLocal(new Date(start.getTime() + 40 * DAY)).slice(0, 16),
    });
    await Promise.all([f.actors.reviewer(), f.actors.administrator(), f.actors.another('vvsg-analyst', 'Vera VVSG')]);
  }, 120_000);
  afterAll(() => f?.close());
  const browser = useBrowser(() => f?.baseUrl);
  const signIn = (email: string) => signInPage(browser, email, {}, FACTORY_PASSWORD);

  it('lets the officer report with the keyboard alone: a missing motivation is an accessible error, then the report is submitted', async () => {
    const page = await signIn(`medewerker-${fx.a.applicant.lead.nisCode}@service.test`);
    expect((await page.goto(interim()))?.status()).toBe(200);
    expect(await page.locator('h1').textContent()).toBe(`Tussentijds rapport: ${fx.a.applicant.nameNl}`);
    expect(await status(page)).toBe('in opmaak');
    expect(await page.getByRole('link', { name: 'het rapport als Excel-bestand downloaden' }).getAttribute('href')).toBe(`${interim()}/excel`);
    expect(await page.locator('#workbook').count()).toBe(1);
    await expectNoAxeViolations(page);

    const motivation = `motivation-${line5()}`;
    await tabTo(page, `realisedQuantity-${line5()}`);
    await page.keyboard.type('2');
    await tabTo(page, `realisedQuantity-${line9()}`);
    await page.keyboard.type('4');
    await tabTo(page, 'Bewaren en indienen');
    expect(await andLoad(page, () => page.keyboard.press('Enter'))).toBe(422);
    expect(new URL(page.url()).pathname).toBe(interim());
    const message = 'Motiveer waarom de bevestigde hoeveelheid niet gehaald is.';
    await expectErrorSummaryLinks(page, [{ field: motivation, message }]);
    await expectFieldError(page, motivation, message);
    expect(await page.locator(`#realisedQuantity-${line5()}`).inputValue()).toBe('2');
    expect(await page.locator(`#realisedQuantity-${line9()}`).inputValue()).toBe('4');
    expect(plain(await page.locator(`#realisedQuantity-${line5()}-hint`).textContent())).toBe(
      '20 % van de bevestigde hoeveelheid, onder de drempel van de oproep voor verlenging.',
    );
    await expectNoAxeViolations(page);

    // From the top of the page to the summary's link, which moves the focus into the field.
    await page.keyboard.press('Tab');
    expect(await focused(page)).toBe('Ga naar de inhoud');
    await tabTo(page, message);
    await page.keyboard.press('Enter');
    await page.waitForURL(`**#${motivation}`);
    expect(await focused(page)).toBe(motivation);
    await page.keyboard.type('Lesgever lang ziek; nieuwe lesgever vanaf januari.');
    await tabTo(page, 'Bewaren en indienen');
    expect(await andLoad(page, () => page.keyboard.press('Enter'))).toBe(303);
    expect(new URL(page.url()).pathname).toBe(interim());
    expect(await notice(page)).toContain('Het rapport is ingediend.');
    expect(await status(page)).toMatch(/^ingediend op /);
    // Read-only: no form fields, the reported figures in a table.
    expect(await page.locator('main form').count()).toBe(0);
    expect(await page.locator(`#realisedQuantity-${line5()}`).count()).toBe(0);
    const rows = await page.locator('main table tbody tr').evaluateAll((trs) => trs.map((tr) => [...tr.children].map((cell) => cell.textContent ?? '')));
    expect(rows.map((row) => row.map((cell) => plain(cell)))[0].slice(1)).toEqual([
      '10',
      '2 (20 %) onder de drempel',
      '',
      'Lesgever lang ziek; nieuwe lesgever vanaf januari.',
    ]);
    await expectNoAxeViolations(page);
  });

  it('lists the report in the queue for the reviewer, refuses a return without a comment, then accepts it with the motivation', async () => {
    const page = await signIn('beoordelaar@service.test');
    expect((await page.goto('/rapporten'))?.status()).toBe(200);
    const link = page.getByRole('link', { name: fx.a.applicant.nameNl, exact: true });
    expect(await link.getAttribute('href')).toBe(interim());
    await expectNoAxeViolations(page);

    await page.getByLabel('met een KPI onder 25 %').check();
    await page.getByRole('button', { name: 'Filteren' }).click();
    await page.waitForURL('**/rapporten?*belowThreshold=true*');
    expect(await page.locator('#belowThreshold').isChecked()).toBe(true);
    const rows = await page.locator('main tbody tr').evaluateAll((trs) => trs.map((tr) => [...tr.children].map((cell) => cell.textContent ?? '')));
    expect(rows).toHaveLength(1);
    const [name, kind, , , below, pending] = rows[0].map((cell) => plain(cell));
    expect([name, kind, below, pending]).toEqual([fx.a.applicant.nameNl, `tussentijds rapport, projectjaar ${fx.call.year}`, '1', '1']);
    await expectNoAxeViolations(page);
    // A filter it does not match leaves it out.
    await page.goto('/rapporten?belowThreshold=true&late=true');
    expect(plain(await page.locator('main').textContent())).toContain('Geen ingediende rapporten met deze filters.');
    await page.goto('/rapporten?belowThreshold=true');

    await link.click();
    await page.waitForURL(`**${interim()}`);
    expect(await page.getByRole('heading', { name: 'Beoordelen' }).count()).toBe(1);
    expect(await page.locator(`#realisedQuantity-${line5()}`).count()).toBe(0);
    // Only action 5 needs a motivation, so only it can be accepted.
    expect(await page.locator(`#motivationAccepted-${line5()}`).count()).toBe(1);
    expect(await page.locator(`#motivationAccepted-${line9()}`).count()).toBe(0);
    await expectNoAxeViolations(page);

    await page.getByLabel('Terugsturen met opmerkingen').check();
    await page.locator(`#motivationAccepted-${line5()}`).check();
    expect(await andLoad(page, () => page.getByRole('button', { name: 'Beoordeling bewaren' }).click())).toBe(422);
    // What the reviewer chose survives the refusal.
    expect(await page.getByLabel('Terugsturen met opmerkingen').isChecked()).toBe(true);
    expect(await page.locator(`#motivationAccepted-${line5()}`).isChecked()).toBe(true);
    const message = 'Geef aan wat de aanvrager moet aanpassen.';
    await expectErrorSummaryLinks(page, [{ field: 'comment', message }]);
    await expectFieldError(page, 'comment', message);
    expect(await status(page)).toMatch(/^ingediend op /);
    await expectNoAxeViolations(page);
    await page.locator('main > .govuk-error-summary a[href="#comment"]').click();
    expect(await focused(page)).toBe('comment');

    await page.getByLabel('Aanvaarden', { exact: true }).check();
    expect(await andLoad(page, () => page.getByRole('button', { name: 'Beoordeling bewaren' }).click())).toBe(303);
    expect(new URL(page.url()).pathname).toBe(interim());
    expect(await notice(page)).toContain('De beoordeling is bewaard.');
    expect(await status(page)).toBe('aanvaard door ABB');
    expect(plain(await page.locator('main table tbody tr').first().locator('td').last().textContent())).toBe(
      'Lesgever lang ziek; nieuwe lesgever vanaf januari. aanvaard',
    );
    expect(await page.getByRole('heading', { name: 'Beoordelen' }).count()).toBe(0);
    await expectNoAxeViolations(page);

    // Accepted, it leaves the queue.
    await page.goto('/rapporten');
    expect(plain(await page.locator('main').textContent())).toContain('Geen ingediende rapporten met deze filters.');
  });

  it('lets the administrator reopen the final report after its deadline: an empty reason is an accessible error', async () => {
    f.clock.set(new Date(start.getTime() + 41 * DAY));
    const until = brusselsLocal(new Date(start.getTime() + 43 * DAY)).slice(0, 16);
    const page = await signIn('beheerder@service.test');
    expect((await page.goto(final()))?.status()).toBe(200);
    expect(await page.locator('h1').textContent()).toBe(`Eindrapport: ${fx.a.applicant.nameNl}`);
    expect(await status(page)).toBe('in opmaak');
    expect(await page.getByRole('heading', { name: 'Heropenen na de termijn' }).count()).toBe(1);
    expect(await page.locator(`#realisedQuantity-${line5()}`).count()).toBe(0);
    await expectNoAxeViolations(page);

    await page.getByLabel('Open tot').fill(until);
    expect(await andLoad(page, () => page.getByRole('button', { name: 'Heropenen' }).click())).toBe(422);
    await expectErrorSummaryLinks(page, [{ field: 'reason', message: 'Geef een reden.' }]);
    await expectFieldError(page, 'reason', 'Geef een reden.');
    expect(await page.locator('#until').inputValue()).toBe(until);
    await expectNoAxeViolations(page);
    await page.locator('main > .govuk-error-summary a[href="#reason"]').click();
    expect(await focused(page)).toBe('reason');

    await page.keyboard.type('Ziekte van de coördinator.');
    expect(await andLoad(page, () => page.getByRole('button', { name: 'Heropenen' }).click())).toBe(303);
    expect(new URL(page.url()).pathname).toBe(final());
    expect(await notice(page)).toContain('Het rapport is heropend.');
    const due = await page
      .locator('main .govuk-summary-list__row')
      .filter({ has: page.locator('dt', { hasText: 'Termijn' }) })
      .locator('dd')
      .textContent();
    expect(plain(due)).toMatch(/; heropend tot .+$/);
    expect(await page.getByRole('heading', { name: 'Heropenen na de termijn' }).count()).toBe(0);
    await expectNoAxeViolations(page);
  });

  it('refuses the review queue to the VVSG analyst', async () => {
    const page = await signIn('vera-vvsg@service.test');
    expect(await page.locator('nav').getByRole('link', { name: 'Rapporten' }).count()).toBe(0);
    expect((await page.goto('/rapporten'))?.status()).toBe(403);
    expect(plain(await page.locator('main').textContent())).not.toContain(fx.a.applicant.nameNl);
    await expectNoAxeViolations(page);
  });
});
