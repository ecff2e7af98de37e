import { readFileSync } from 'node:fs';
import { Page } from 'playwright-core';
import { threeApprovedAndOnePending } from '../support/allocation-fixture';
import { andLoad, expectErrorSummaryLinks, expectNoAxeViolations, FACTORY_PASSWORD, focused, plain, signInPage, tabTo, useBrowser } from '../support/browser';
import { ApprovedFixture, CallFixture, Factories, startFactories } from '../support/factories';
import { EURO_REFUSED } from '@ps/kernel';

const BUDGET_REFUSED = `${EURO_REFUSED} Van 0 tot 10 miljard euro.`;

/** A summary list as { key: value }, spaces made plain. */
const summaryList = (page: Page) =>
  page
    .locator('main .govuk-summary-list__row')
    .evaluateAll((rows) => rows.map((row) => [row.querySelector('dt')?.textContent ?? '', row.querySelector('dd')?.textContent ?? ''] as [string, string]))
    .then((rows) => Object.fromEntries(rows.map(([key, value]) => [plain(key), plain(value)])));

/**
 * Issue 10 in Chromium: ABB simulates and publishes the allocation, an officer reads the share, VVSG only reads.
 * The data and the figures are those of test/e2e/allocation.e2e-spec.ts: budget €15.000, three approved applicants
 * (A €12.000, B €6.000, C €3.500 with the €2.500 mentorship stimulus) and D awaiting review. Priority rounds with the
 * stimuli first: €12.500 for priority 1 (€14.000), scale 25/28, so A gets €8.928,57 and an advance (80 %) of €7.142,85.
 * The tests run in order: the first simulates, the second publishes that run (four eyes: the reviewer proposes, the
 * administrator approves on the proposal page, and the same for the release of the payment list).
 */
describe('the allocation pages in Chromium', () => {
  let f: Factories;
  let call: CallFixture;
  let a: ApprovedFixture;
  let b: ApprovedFixture;
  let runId: number;
  const officerEmail = (fixture: ApprovedFixture) => `medewerker-${fixture.applicant.lead.nisCode}@service.test`;
  beforeAll(async () => {
    f = await startFactories({ listen: true });
    ({ call, a, b } = await threeApprovedAndOnePending(f));
    await Promise.all([f.actors.reviewer(), f.actors.administrator(), f.actors.another('vvsg-analyst', 'Vera VVSG')]);
  }, 120_000);
  afterAll(() => f?.close());
  const browser = useBrowser(() => f?.baseUrl);
  const signIn = (email: string) => signInPage(browser, email, {}, FACTORY_PASSWORD);

  it('tells the officer that the allocation is not published yet', async () => {
    const page = await signIn(officerEmail(a));
    expect((await page.goto(`/aanvragen/${a.id}/verdeling`))?.status()).toBe(200);
    expect(plain(await page.locator('main').textContent())).toContain('ABB heeft de verdeling van het budget van deze oproep nog niet gepubliceerd.');
    expect(await page.locator('main .govuk-summary-list').count()).toBe(0);
    await expectNoAxeViolations(page);
  });

  it('simulates with the keyboard alone: a negative budget is an accessible error, then the call budget gives the hand-computed amounts', async () => {
    const page = await signIn('beoordelaar@service.test');
    expect((await page.goto(`/verdeling/${call.year}`))?.status()).toBe(200);
    expect(await page.getByRole('heading', { name: 'Nieuwe simulatie' }).count()).toBe(1);
    expect(plain(await page.locator('main').textContent())).toContain('Nog geen verdelingen.');
    await expectNoAxeViolations(page);

    await tabTo(page, 'budgetEuro');
    await page.keyboard.type('-5');
    expect(await andLoad(page, () => page.keyboard.press('Enter'))).toBe(422);
    expect(new URL(page.url()).pathname).toBe(`/verdeling/${call.year}`);
    await expectErrorSummaryLinks(page, [{ field: 'budgetEuro', message: BUDGET_REFUSED }]);
    const budget = page.locator('#budgetEuro');
    expect(await budget.inputValue()).toBe('-5');
    expect(await budget.getAttribute('aria-describedby')).toBe('budgetEuro-hint budgetEuro-error');
    expect(plain(await page.locator('#budgetEuro-error').textContent())).toContain('Geef een bedrag in euro');
    expect(await page.locator('#policy').isChecked()).toBe(true);
    expect(await page.locator('#stimuliFirst').inputValue()).toBe('true');
    await expectNoAxeViolations(page);

    // From the top of the page to the summary's link, which moves the focus into the field.
    await page.keyboard.press('Tab');
    expect(await focused(page)).toBe('Ga naar de inhoud');
    await tabTo(page, BUDGET_REFUSED);
    await page.keyboard.press('Enter');
    await page.waitForURL('**#budgetEuro');
    expect(await focused(page)).toBe('budgetEuro');
    // Empty: the call's budget of €15.000.
    await page.keyboard.press('Control+A');
    await page.keyboard.press('Backspace');
    expect(await andLoad(page, () => page.keyboard.press('Enter'))).toBe(303);
    const landed = /\/verdelingen\/(\d+)$/.exec(new URL(page.url()).pathname);
    expect(landed).not.toBeNull();
    runId = Number(landed![1]);
    expect(plain(await page.locator('main > .govuk-notification-banner--success').textContent())).toContain(`Simulatie ${runId} is berekend.`);
    expect(await page.locator('h1').textContent()).toBe(`Simulatie ${runId}, projectjaar ${call.year}`);
    const summary = await summaryList(page);
    expect(summary).toMatchObject({ Budget: '€ 15.000,00', 'Bevestigd door ABB': '€ 21.500,00', Verdeeld: '€ 15.000,00', 'Aanvragen nog in behandeling': '1' });
    const captions = (await page.locator('main table caption').allTextContents()).map(plain);
    expect(captions).toContain(`${a.applicant.nameNl}: € 8.928,57 van € 12.000,00`);
    expect(captions).toContain(`${b.applicant.nameNl}: € 2.678,57 van € 6.000,00`);
    const rounds = await page
      .locator('main table')
      .first()
      .locator('tbody tr')
      .evaluateAll((rows) => rows.map((row) => [...row.children].map((cell) => cell.textContent ?? '')));
    expect(rounds.map((row) => row.map((cell) => plain(cell)))).toEqual([
      ['Stimulansen', '€ 2.500,00', '€ 15.000,00', '€ 2.500,00', 'volledig'],
      ['Prioriteit 1', '€ 14.000,00', '€ 12.500,00', '€ 12.500,00', 'verkleind met factor 25/28'],
      ['Prioriteit 2', '€ 5.000,00', '€ 0,00', '€ 0,00', 'niets meer beschikbaar'],
    ]);
    expect(await page.getByRole('link', { name: 'Betaallijst downloaden (CSV, vrijgegeven betalingen)' }).count()).toBe(0);
    await expectNoAxeViolations(page);

    // The shares come a page at a time (issue 27): one applicant per page, the totals of the whole run on each page.
    expect((await page.goto(`/verdelingen/${runId}?pageSize=1`))?.status()).toBe(200);
    expect(plain(await page.getByTestId('page-range').textContent())).toBe('1 tot 1 van 3');
    await page.getByRole('link', { name: 'Volgende pagina' }).click();
    await page.waitForURL(`**/verdelingen/${runId}?pageSize=1&page=2`);
    expect(await summaryList(page)).toMatchObject({ 'Aanvragers in deze verdeling': '3', 'Samen bevestigd': '€ 21.500,00', 'Samen toegewezen': '€ 15.000,00' });
    const paged = (await page.locator('main table caption').allTextContents()).map(plain);
    expect(paged).toContain(`${b.applicant.nameNl}: € 2.678,57 van € 6.000,00`);
    expect(paged.filter((caption) => caption?.startsWith(a.applicant.nameNl))).toEqual([]);
    expect(await page.locator('main nav.govuk-pagination [aria-current="page"]').textContent()).toBe('2');
    await expectNoAxeViolations(page);
  });

  it('refuses to propose without the confirmation and the reason, then publishes and releases the payment list with two people', async () => {
    const page = await signIn('beoordelaar@service.test');
    await page.goto(`/verdelingen/${runId}`);
    expect(await andLoad(page, () => page.getByRole('button', { name: 'Publicatie voorstellen' }).click())).toBe(422);
    await expectErrorSummaryLinks(page, [
      { field: 'confirmPendingReview', message: '1 ingediende aanvraag wacht nog op een beslissing. Bevestig dat u toch publiceert.' },
      { field: 'reason', message: 'Geef de reden waarom u publiceert voor alle aanvragen beslist zijn.' },
    ]);
    expect(await page.locator('#confirmPendingReview').isChecked()).toBe(false);
    await expectNoAxeViolations(page);
    const summary = page.locator('main > .govuk-error-summary');
    for (const field of ['confirmPendingReview', 'reason']) {
      await summary.locator(`a[href="#${field}"]`).click();
      expect(await focused(page)).toBe(field);
      expect(await page.locator(`#${field}`).getAttribute('aria-describedby')).toBe(`${field}-error`);
    }

    await page.locator('#confirmPendingReview').check();
    await page.locator('#reason').fill('D volgt later; het budget is vastgelegd.');
    // Publishing happens once: a page first gives the number of advances and the sum of the payment list.
    expect(await andLoad(page, () => page.getByRole('button', { name: 'Publicatie voorstellen' }).click())).toBe(200);
    expect(plain(await page.locator('h1').textContent())).toMatch(/^Verdeling \d+ van projectjaar \d+ publiceren\?$/);
    expect(Number(await page.locator('#advance-count').textContent())).toBe(await page.locator('main table tbody tr').count());
    expect(plain(await page.locator('#advances-sum').textContent())).toBe('€ 11.999,98');
    await expectNoAxeViolations(page);
    expect(await andLoad(page, () => page.locator('#confirm-publish').click())).toBe(303);
    // The proposal page: the proposer sees the totals and may withdraw it, not approve it.
    expect(new URL(page.url()).pathname).toMatch(/^\/voorstellen\/\d+$/);
    const proposalPath = new URL(page.url()).pathname;
    expect(plain(await page.locator('main > .govuk-notification-banner--success').textContent())).toContain(
      'Uw voorstel om de verdeling te publiceren wacht op de goedkeuring van een tweede persoon van ABB.',
    );
    expect(await summaryList(page)).toMatchObject({ Bedrag: '€ 15.000,00', 'Voorschotten op de betaallijst': '€ 11.999,98', Status: 'wacht op goedkeuring' });
    expect(await page.locator('#approve').count()).toBe(0);
    expect(await page.locator('#withdraw').count()).toBe(1);
    await expectNoAxeViolations(page);
    await page.goto(`/verdelingen/${runId}`);
    expect(await page.locator('#publish').count()).toBe(0);
    expect(await page.locator('#publication-proposal a').getAttribute('href')).toBe(proposalPath);

    // The administrator finds it among the proposals and approves it with the keyboard.
    const approver = await signIn('beheerder@service.test');
    expect((await approver.goto('/voorstellen'))?.status()).toBe(200);
    await expectNoAxeViolations(approver);
    await approver.locator(`main a[href="${proposalPath}"]`).click();
    await approver.waitForURL(`**${proposalPath}`);
    await expectNoAxeViolations(approver);
    await approver.locator('#approve').focus();
    expect(await andLoad(approver, () => approver.keyboard.press('Enter'))).toBe(303);
    expect(new URL(approver.url()).pathname).toBe(`/verdelingen/${runId}`);
    expect(await approver.locator('h1').textContent()).toBe(`Gepubliceerde verdeling ${runId}, projectjaar ${call.year}`);
    expect((await summaryList(approver)).Status).toMatch(
      /^gepubliceerd op .+ door An Beheerder .+, met aanvragen in behandeling: D volgt later; het budget is vastgelegd\.$/,
    );
    expect(await approver.locator('#publish').count()).toBe(0);
    expect(await approver.locator('#release').count()).toBe(0);
    await expectNoAxeViolations(approver);

    // Nothing goes to finance before a second person releases the payment list.
    await page.goto(`/verdelingen/${runId}`);
    expect(plain(await page.locator('#release-state').textContent())).toContain('3 betaling(en), waarvan 0 vrijgegeven.');
    expect(await page.getByRole('link', { name: 'Betaallijst downloaden (CSV, vrijgegeven betalingen)' }).count()).toBe(0);
    expect(await andLoad(page, () => page.locator('#release').click())).toBe(303);
    const releasePath = new URL(page.url()).pathname;
    await approver.goto(releasePath);
    expect(await summaryList(approver)).toMatchObject({ Bedrag: '€ 11.999,98', Voorschotten: '€ 11.999,98', Aantal: '3' });
    await expectNoAxeViolations(approver);
    expect(await andLoad(approver, () => approver.locator('#approve').click())).toBe(303);
    await page.goto(`/verdelingen/${runId}`);
    expect(plain(await page.locator('#release-state').textContent())).toContain('3 betaling(en), waarvan 3 vrijgegeven.');
    await expectNoAxeViolations(page);

    const link = page.getByRole('link', { name: 'Betaallijst downloaden (CSV, vrijgegeven betalingen)' });
    expect(await link.getAttribute('href')).toBe(`/verdelingen/${runId}/betaallijst`);
    const downloading = page.waitForEvent('download');
    await link.click();
    const download = await downloading;
    const path = await download.path();
    const lines = readFileSync(path, 'utf8').split('\r\n');
    expect(lines[0]).toBe(
      '\uFEFFAanvrager;Trekkende gemeente;IBAN;Bedrag (EUR);Gestructureerde mededeling;Mededeling voor de bank (12 cijfers);Soort;Projectjaar;Verdeling',
    );
    expect(lines[1]).toContain(`${a.applicant.nameNl};${a.applicant.lead.nameNl};BE68539007547034;7142,85;'`);
    expect(lines[1]).toMatch(new RegExp(`;'\\+\\+\\+\\d{3}/\\d{4}/\\d{5}\\+\\+\\+;\\d{12};voorschot;${call.year};`));
  });

  it("shows the officer of A the allocated amount and the advance, and gives B's officer a 404 for A's page", async () => {
    const page = await signIn(officerEmail(a));
    expect((await page.goto(`/aanvragen/${a.id}/verdeling`))?.status()).toBe(200);
    expect(await page.locator('h1').textContent()).toBe(`Toegewezen bedrag: ${a.applicant.nameNl}`);
    expect(await summaryList(page)).toEqual({
      'Bevestigd door ABB': '€ 12.000,00',
      Toegewezen: '€ 8.928,57',
      'Voorschot (80 %)': '€ 7.142,85',
      'Saldo na het eindrapport': '€ 1.785,72, min een eventuele terugvordering',
    });
    await expectNoAxeViolations(page);

    const other = await signIn(officerEmail(b));
    expect((await other.goto(`/aanvragen/${a.id}/verdeling`))?.status()).toBe(404);
    expect(plain(await other.locator('main').textContent())).not.toContain('8.928,57');
  });

  it('lets the VVSG analyst read the allocations without the simulation form or the payment list', async () => {
    const page = await signIn('vera-vvsg@service.test');
    expect((await page.goto(`/verdeling/${call.year}`))?.status()).toBe(200);
    expect(await page.getByRole('heading', { name: 'Nieuwe simulatie' }).count()).toBe(0);
    expect(await page.locator('main form').count()).toBe(0);
    expect(await page.locator('#budgetEuro').count()).toBe(0);
    expect(await page.getByRole('link', { name: `Verdeling ${runId}`, exact: true }).count()).toBe(1);
    await expectNoAxeViolations(page);

    await page.getByRole('link', { name: `Verdeling ${runId}`, exact: true }).click();
    await page.waitForURL(`**/verdelingen/${runId}`);
    expect(await page.getByRole('link', { name: 'Betaallijst downloaden (CSV, vrijgegeven betalingen)' }).count()).toBe(0);
    expect(await page.locator('#publish').count()).toBe(0);
    expect(await page.locator('#release').count()).toBe(0);
    await expectNoAxeViolations(page);
  });
});
