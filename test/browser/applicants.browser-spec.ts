import { BrowserContextOptions, Page } from 'playwright-core';
import { expectNoAxeViolations, focused, retype, signInPage, tabTo, useBrowser } from '../support/browser';
import { startTestApp, TestApp } from '../support/test-app';
import { ONE_PAGE_PDF } from '../support/pdf';

/** The error summary opens <main>, links to exactly these fields, passes axe, and each link (Enter) focuses its field. */
async function expectErrorSummary(page: Page, fields: string[]): Promise<void> {
  const summary = page.locator('main > .govuk-error-summary:first-child');
  expect(await summary.getByRole('alert').locator('h2').textContent()).toBe('Er is een probleem');
  expect(await summary.locator('a').evaluateAll((links) => links.map((a) => a.getAttribute('href')))).toEqual(fields.map((f) => `#${f}`));
  await expectNoAxeViolations(page);
  for (const field of fields) {
    await summary.locator(`a[href="#${field}"]`).press('Enter');
    expect(await focused(page)).toBe(field);
  }
}

describe('the applicant pages in Chromium', () => {
  let t: TestApp;
  let lier: number;
  beforeAll(async () => {
    t = await startTestApp({ listen: true });
    [{ id: lier }] = await t.dataSource.query(`SELECT id FROM applicant WHERE name_nl = 'Samenwerkingsverband Lier-Duffel-Berlaar'`);
  }, 120_000);
  afterAll(() => t?.close());
  const browser = useBrowser(() => t.baseUrl);

  const signIn = (email: string, options: BrowserContextOptions = {}) => signInPage(browser, email, options);

  it('filters the eligibility overview by province with the keyboard alone, and by region', async () => {
    const page = await signIn('beoordelaar@abb.demo');
    await page.goto('/beheer/subsidiabiliteit');
    await expectNoAxeViolations(page);
    const summary = page.locator('#coverage-summary');
    const allSummary = await summary.textContent();

    await tabTo(page, 'provincie');
    await page.keyboard.type('Limburg');
    expect(await page.locator('#provincie option:checked').textContent()).toBe('Limburg');
    await tabTo(page, 'Toon');
    await page.keyboard.press('Enter');
    await page.waitForURL(/provincie=Limburg/);
    const names = await page.locator('tbody tr td:nth-child(2)').allTextContents();
    // The overview lists the local governments valid on the project start of the call it shows (the latest published).
    const [{ count }] = await t.dataSource.query(
      `SELECT count(*)::int AS count FROM local_government lg,
         (SELECT project_start FROM call WHERE state <> 'draft' ORDER BY year_number DESC LIMIT 1) c
        WHERE lg.province_nl = 'Limburg' AND (lg.valid_from IS NULL OR lg.valid_from <= c.project_start)
          AND (lg.valid_until IS NULL OR lg.valid_until >= c.project_start)`,
    );
    expect(names).toHaveLength(count);
    expect(names).toContain('Hasselt');
    expect(names).not.toContain('Gent');
    const limburgSummary = (await summary.textContent())!;
    expect(limburgSummary).not.toBe(allSummary);
    expect(limburgSummary.match(/\d+/g)!.reduce((sum, n) => sum + Number(n), 0)).toBe(count);

    const region = (await page
      .getByRole('row', { name: /Hasselt/ })
      .locator('td')
      .nth(2)
      .textContent())!;
    await page.locator('#provincie').selectOption('');
    await page.locator('#regio').selectOption({ label: region });
    await page.getByRole('button', { name: 'Toon' }).click();
    await page.waitForURL(/regio=\d+/);
    const regions = await page.locator('tbody tr td:nth-child(3)').allTextContents();
    expect(regions.length).toBeGreaterThan(1);
    expect(new Set(regions)).toEqual(new Set([region]));
    expect(await page.locator('tbody tr td:nth-child(2)').allTextContents()).toContain('Hasselt');
  });

  it('shows contact errors accessibly to the lead officer and saves the corrected contact, all with the keyboard', async () => {
    const page = await signIn('medewerker@lier.demo');
    await page.goto('/aanvragers');
    await page.getByRole('link', { name: 'Samenwerkingsverband Lier-Duffel-Berlaar' }).click();
    await page.waitForURL(`**/aanvragers/${lier}`);
    await expectNoAxeViolations(page);
    const letterHeading = page.getByRole('heading', { name: 'Bevestigingsbrief rekeningnummer' });
    expect(await letterHeading.count()).toBe(0);

    await tabTo(page, 'contact-contactName');
    for (const value of ['Lode Peeters', 'lode@lier.demo', '12', 'BE68 5390']) {
      await retype(page, value);
      await page.keyboard.press('Tab');
    }
    expect(await focused(page)).toBe('Contactgegevens opslaan');
    await page.keyboard.press('Enter');
    await page.waitForURL(`**/aanvragers/${lier}/contact`);
    await expectErrorSummary(page, ['contact-contactPhone', 'contact-payoutIban']);
    expect(await page.locator('#contact-payoutIban').inputValue()).toBe('BE68 5390');

    await page.locator('main .govuk-error-summary a[href="#contact-contactPhone"]').press('Enter');
    await retype(page, '03 800 05 00');
    await page.keyboard.press('Tab');
    await retype(page, 'BE68 5390 0754 7034');
    await page.keyboard.press('Enter');
    await page.waitForURL(`**/aanvragers/${lier}#contact`);
    expect(await page.locator('main > :first-child').textContent()).toContain('De contactgegevens zijn opgeslagen.');
    expect(await letterHeading.isVisible()).toBe(true);
    await expectNoAxeViolations(page);
  });

  it('uploads the confirmation letter without JavaScript, and refuses a file that is not a PDF', async () => {
    const page = await signIn('medewerker@lier.demo', { javaScriptEnabled: false });
    await page.goto(`/aanvragers/${lier}`);
    const contact = { contactName: 'Lode Peeters', contactEmail: 'lode@lier.demo', contactPhone: '03 800 05 00', payoutIban: 'BE68 5390 0754 7034' };
    for (const [field, value] of Object.entries(contact)) await page.locator(`#contact-${field}`).fill(value);
    await page.getByRole('button', { name: 'Contactgegevens opslaan' }).click();
    await page.waitForURL(`**/aanvragers/${lier}#contact`);

    const upload = async (name: string, mimeType: string, content: string | Buffer) => {
      await page.locator('#letter-letter').setInputFiles({ name, mimeType, buffer: Buffer.from(content) });
      await page.getByRole('button', { name: 'Brief opladen' }).click();
    };
    await upload('brief.txt', 'text/plain', 'geen pdf');
    await page.waitForURL(`**/aanvragers/${lier}/brief`);
    expect(await page.locator('main > .govuk-error-summary a').getAttribute('href')).toBe('#letter-letter');
    expect(await page.locator('#letter-letter').getAttribute('aria-describedby')).toBe('letter-letter-error');

    await upload('bevestiging.pdf', 'application/pdf', ONE_PAGE_PDF);
    await page.waitForURL(`**/aanvragers/${lier}#letter`);
    expect(await page.locator('#letter ~ p', { hasText: 'Opgeladen:' }).textContent()).toMatch(
      /^Opgeladen: bevestiging\.pdf \(.+\) Download bevestiging\.pdf$/,
    );
    expect(await page.locator('script').count()).toBe(0);

    // axe-core needs JavaScript: the refused upload again, in the same session with JavaScript on.
    const checked = await browser.newPage({ storageState: await page.context().storageState() });
    await checked.goto(`/aanvragers/${lier}`);
    await checked.locator('#letter-letter').setInputFiles({ name: 'brief.pdf', mimeType: 'application/pdf', buffer: Buffer.from('geen pdf') });
    await checked.getByRole('button', { name: 'Brief opladen' }).click();
    await expectErrorSummary(checked, ['letter-letter']);
  });

  it('finds and invites a new member by a search without JavaScript, shows a missing choice accessibly, and withdraws the invitation', async () => {
    // A municipality of Lier's reference region that takes part in no applicant of the call.
    const [candidate]: { id: number; name_nl: string; nis_code: string }[] = await t.dataSource.query(
      `SELECT lg.id, lg.name_nl, lg.nis_code FROM local_government lg
         JOIN reference_region_member m ON m.local_government_id = lg.id
         JOIN reference_region_member own ON own.reference_region_id = m.reference_region_id
         JOIN applicant a ON a.id = $1 AND own.local_government_id = a.lead_local_government_id
        WHERE lg.kind = 'municipality' AND lg.valid_until IS NULL
          AND NOT EXISTS (SELECT 1 FROM applicant_member am JOIN applicant o ON o.id = am.applicant_id WHERE am.local_government_id = lg.id AND o.call_id = a.call_id)
        ORDER BY lg.nis_code LIMIT 1`,
      [lier],
    );
    expect(candidate?.nis_code).toMatch(/^\d{5}$/);
    const page = await signIn('medewerker@lier.demo', { javaScriptEnabled: false });
    await page.goto(`/aanvragers/${lier}`);
    await page.locator('#member-search').fill(candidate.nis_code);
    await page.getByRole('button', { name: 'Zoeken' }).click();
    await page.waitForURL(`**/aanvragers/${lier}?lid=${candidate.nis_code}#member-search`);
    const choice = page.getByRole('radio', { name: `${candidate.name_nl} (${candidate.nis_code})` });
    expect(await choice.count()).toBe(1);

    // axe-core needs JavaScript: the matches, and the refusal of no choice, in the same session with JavaScript on.
    const checked = await browser.newPage({ storageState: await page.context().storageState() });
    await checked.goto(`/aanvragers/${lier}?lid=${candidate.nis_code}`);
    await expectNoAxeViolations(checked);
    await checked.getByRole('button', { name: 'Gemeente toevoegen' }).click();
    await checked.waitForURL(`**/aanvragers/${lier}/leden`);
    await expectErrorSummary(checked, ['member-localGovernmentId']);
    expect(await checked.getByRole('radio', { name: `${candidate.name_nl} (${candidate.nis_code})` }).count()).toBe(1);

    await choice.check();
    await page.getByRole('button', { name: 'Gemeente toevoegen' }).click();
    await page.waitForURL(`**/aanvragers/${lier}#member`);
    expect(await page.locator('main > :first-child').textContent()).toContain('De deelnemers zijn bijgewerkt.');
    const row = page.getByRole('row', { name: new RegExp(`${candidate.name_nl} \\(${candidate.nis_code}\\)`) });
    expect(await row.textContent()).toContain('uitgenodigd');
    await row.getByRole('button', { name: `Uitnodiging intrekken ${candidate.name_nl}` }).click();
    await page.waitForURL(`**/aanvragers/${lier}#member`);
    expect(await page.getByRole('row', { name: new RegExp(candidate.name_nl) }).count()).toBe(0);
    expect(await t.dataSource.query(`SELECT 1 FROM applicant_member WHERE applicant_id = $1 AND local_government_id = $2`, [lier, candidate.id])).toEqual([]);
  });

  it('adds an own partner with the keyboard and links a partner from the assortment', async () => {
    const page = await signIn('medewerker@lier.demo');
    await page.goto(`/aanvragers/${lier}`);
    const actionNumbers = Array.from({ length: 24 }, (_, i) => String(i + 1));
    expect(await page.locator('input[name=actionNumbers]').evaluateAll((boxes) => boxes.map((box) => (box as HTMLInputElement).value))).toEqual(actionNumbers);
    expect(await page.locator('#link-actionNumber option').evaluateAll((options) => options.map((o) => (o as HTMLOptionElement).value))).toEqual([
      '',
      ...actionNumbers,
    ]);
    await tabTo(page, 'partner-name');
    await page.keyboard.type('Buurtwerk Lier');
    for (const checkbox of ['partner-action-5', 'partner-action-13']) {
      await tabTo(page, checkbox);
      await page.keyboard.press('Space');
    }
    await tabTo(page, 'Partner toevoegen');
    await page.keyboard.press('Enter');
    await page.waitForURL(`**/aanvragers/${lier}#partner`);
    expect(await page.locator('main > :first-child').textContent()).toContain('De partner is toegevoegd.');

    const agii = await page.locator('#link-partnerId option', { hasText: '(AgII)' }).getAttribute('value');
    await page.locator('#link-partnerId').selectOption(agii!);
    await page.locator('#link-actionNumber').selectOption('5');
    await page.getByRole('button', { name: 'Koppelen', exact: true }).click();
    await page.waitForURL(`**/aanvragers/${lier}#link`);
    const partnersOf = (action: number) => page.locator(`#partner ~ h3:has-text("Actie ${action}:") + ul > li`).allTextContents();
    expect((await partnersOf(5)).map((li) => li.trim().split('\n')[0])).toEqual(
      expect.arrayContaining(['Buurtwerk Lier (gratis, eigen partner)', 'Agentschap Integratie en Inburgering (AgII) (gratis)']),
    );
    expect((await partnersOf(13)).map((li) => li.trim().split('\n')[0])).toContain('Buurtwerk Lier (gratis, eigen partner)');
    await expectNoAxeViolations(page);
  });

  it("registers in two steps: step 2 offers only the lead's reference region, and no members is an accessible error", async () => {
    const page = await signIn('beoordelaar@abb.demo');
    await page.goto('/aanvragers/nieuw');
    await expectNoAxeViolations(page);
    await page.locator('#projectjaar').selectOption({ label: 'Projectjaar 2 (2023-2024)' });
    await page.getByLabel('Samenwerkingsverband', { exact: true }).check();
    await page.locator('#trekker').selectOption({ label: 'Arendonk (13001)' });
    await page.getByRole('button', { name: 'Verder' }).click();
    await page.waitForURL(/projectjaar=2&soort=cooperation&trekker=\d+/);

    const peers: { label: string }[] = await t.dataSource.query(`
      SELECT lg.name_nl || ' (' || lg.nis_code || ')' AS label FROM local_government lg
      JOIN reference_region_member m ON m.local_government_id = lg.id
      JOIN reference_region_member own ON own.reference_region_id = m.reference_region_id
      JOIN local_government lead ON lead.id = own.local_government_id AND lead.nis_code = '13001'
      WHERE lg.id <> lead.id`);
    const offered = await page.locator('input[type=checkbox][name=memberLocalGovernmentIds] + label').allTextContents();
    expect(peers.length).toBeGreaterThan(1);
    expect(offered.sort()).toEqual(peers.map((p) => p.label).sort());
    await expectNoAxeViolations(page);

    await page.getByRole('button', { name: 'Registreren' }).click();
    await page.waitForURL('**/aanvragers');
    await expectErrorSummary(page, ['memberLocalGovernmentIds']);
    expect(await page.locator('#memberLocalGovernmentIds').getAttribute('type')).toBe('checkbox');
  });

  it('shows the partner assortment to an ABB administrator and an invalid KBO number at its field', async () => {
    const page = await signIn('beheerder@abb.demo');
    await page.goto('/beheer/partners');
    await expectNoAxeViolations(page);
    await page.locator('#partner-name').fill('Vzw Test');
    await page.locator('#partner-kboNumber').fill('0207.437.469');
    await page.getByRole('button', { name: 'Toevoegen aan het aanbod' }).click();
    // Every refused field is listed at once: the KBO number and the missing actions.
    await expectErrorSummary(page, ['partner-kboNumber', 'partner-actionNumbers']);
    expect(await page.locator('#partner-kboNumber-error').textContent()).toMatch(/^Fout: \S/);
    expect(await page.locator('#partner-kboNumber').getAttribute('aria-describedby')).toBe('partner-kboNumber-hint partner-kboNumber-error');
    expect(await page.locator('#partner-kboNumber').inputValue()).toBe('0207.437.469');
  });
});
