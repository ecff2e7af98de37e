import { BrowserContextOptions, Page } from 'playwright-core';
import { actorFor, UsersService } from '@ps/identity';
import { DEMO_PASSWORD } from '@ps/setup';
import { NoticeWorker } from '@ps/notifications';
import { expectNoAxeViolations, useBrowser, signInPage } from '../support/browser';
import { userId } from '../support/sessions';
import { startSmtpServer, TestSmtpServer } from '../support/smtp';
import { startTestApp, TestApp } from '../support/test-app';

const focusedId = (page: Page) => page.evaluate(() => document.activeElement?.id);

/** Presses Tab until the element with this id has focus. */
async function tabTo(page: Page, id: string): Promise<void> {
  for (let presses = 0; presses < 25 && (await focusedId(page)) !== id; presses++) await page.keyboard.press('Tab');
  expect(await focusedId(page)).toBe(id);
}

/** The error summary opens <main> as an alert, lists exactly these errors, each link focuses its field, and axe passes. */
async function expectErrorSummary(page: Page, errors: { field: string; message: string }[]): Promise<void> {
  const summary = page.locator('main > .govuk-error-summary:first-child');
  expect(await summary.getByRole('alert').locator('h2').textContent()).toBe('Er is een probleem');
  expect(await page.title()).toMatch(/^Fout: /);
  expect(await summary.locator('a').evaluateAll((links) => links.map((a) => ({ field: a.getAttribute('href')?.slice(1), message: a.textContent })))).toEqual(
    errors,
  );
  await expectNoAxeViolations(page);
  for (const { field, message } of errors) {
    await summary.getByRole('link', { name: message }).click();
    expect(await focusedId(page)).toBe(field);
  }
}

describe('the account pages in Chromium', () => {
  let t: TestApp;
  let smtp: TestSmtpServer;
  beforeAll(async () => {
    smtp = await startSmtpServer();
    t = await startTestApp({ listen: true, env: { SMTP_URL: smtp.url } });
  }, 120_000);
  afterAll(async () => {
    await t?.close();
    await smtp?.close();
  });
  const browser = useBrowser(() => t.baseUrl);
  // The platform's Content-Security-Policy (script-src 'self') would block the inline axe-core script.
  const open = (options: BrowserContextOptions = {}) => browser.newPage({ bypassCSP: true, ...options });

  const signIn = (email: string, options: BrowserContextOptions = {}) => signInPage({ newPage: open }, email, options);

  it('signs in with the keyboard alone, with no axe violations before or after', async () => {
    const page = await open();
    await page.goto('/aanmelden');
    await expectNoAxeViolations(page);
    await tabTo(page, 'email');
    await page.keyboard.type('beheerder@abb.demo');
    await page.keyboard.press('Tab');
    expect(await focusedId(page)).toBe('password');
    await page.keyboard.type(DEMO_PASSWORD);
    await page.keyboard.press('Enter');
    await page.waitForURL('**/taken');
    expect(await page.locator('header').textContent()).toContain('Aangemeld als An Beheerder (ABB)');
    await expectNoAxeViolations(page);
  });

  it('shows a wrong password in an error summary at the top that links to #email', async () => {
    const page = await open();
    await page.goto('/aanmelden');
    await page.locator('#email').fill('analist@vvsg.demo');
    await page.locator('#password').fill('niet-het-wachtwoord');
    const posted = page.waitForResponse((response) => response.request().method() === 'POST');
    await page.getByRole('button', { name: 'Aanmelden' }).click();
    expect((await posted).status()).toBe(401);
    await expectErrorSummary(page, [
      {
        field: 'email',
        message:
          'Het e-mailadres of wachtwoord is onjuist, of het account is tijdelijk geblokkeerd. Probeer het over enkele minuten opnieuw of vraag een nieuw wachtwoord aan.',
      },
    ]);
    expect(await page.locator('#email').inputValue()).toBe('analist@vvsg.demo');
  });

  describe('as ABB administrator', () => {
    const ids: Record<string, number> = {};
    beforeAll(async () => {
      ids.gent = await userId(t.dataSource, 'medewerker@gent.demo');
      ids.cooperation = (await t.dataSource.query(`SELECT id FROM applicant WHERE name_nl = 'Samenwerkingsverband Lier-Duffel-Berlaar'`))[0].id;
      // An invited user gives the history page a table and the outbox a mail, so axe checks those too.
      const [admin] = await t.dataSource.query(`SELECT id, email, display_name AS "displayName", role FROM app_user WHERE email = 'beheerder@abb.demo'`);
      ids.invited = (
        await t.app
          .get(UsersService)
          .create(actorFor(admin, 'session'), { email: 'ilse.uitgenodigd@abb.demo', displayName: 'Ilse Uitgenodigd', role: 'abb-reviewer' })
      ).id;
      // A refused token gives the security log a row; it is written just after the response.
      await fetch(`${t.baseUrl}/api/v1/me`, { headers: { Authorization: 'Bearer ps_pat_vervalst' } });
      for (let tries = 0; tries < 40 && (await t.dataSource.query(`SELECT 1 FROM security_event`)).length === 0; tries++)
        await new Promise((resolve) => setTimeout(resolve, 50));
    });

    it.each([
      ['/beheer/gebruikers', 'medewerker@gent.demo'],
      ['/beheer/gebruikers/nieuw', 'Gebruiker toevoegen en uitnodigen'],
      ['/beheer/gebruikers/:gent', 'Gedeactiveerd'],
      ['/beheer/uitgaande-mail', 'Uw account voor Plan Samenleven'],
      ['/aanvragers', 'Stad Gent'],
      ['/aanvragers/:cooperation', 'Duffel (12009)'],
      ['/geschiedenis/user/:invited', 'ilse.uitgenodigd@abb.demo'],
      ['/beheer/beveiligingslog', 'Onbekend of vervalst token'],
    ])('%s shows %p with no axe violations', async (path, text) => {
      const page = await signIn('beheerder@abb.demo');
      const response = await page.goto(path.replace(/:(\w+)/, (_, key: string) => String(ids[key])));
      expect(response?.status()).toBe(200);
      expect(await page.locator('main').textContent()).toContain(text);
      await expectNoAxeViolations(page);
    });

    it('creates a user with the keyboard, and shows an invalid e-mail address accessibly', async () => {
      const page = await signIn('beheerder@abb.demo');
      await page.goto('/beheer/gebruikers/nieuw');
      await tabTo(page, 'email');
      await page.keyboard.type('nina.nieuw@abb.demo');
      await page.keyboard.press('Tab');
      await page.keyboard.type('Nina Nieuw (ABB)');
      await page.keyboard.press('Tab');
      expect(await focusedId(page)).toBe('role');
      await page.keyboard.type('Beheerder');
      expect(await page.locator('#role option:checked').textContent()).toBe('Beheerder ABB');
      await page.keyboard.press('Tab');
      expect(await focusedId(page)).toBe('localGovernmentId');
      await page.keyboard.press('Tab');
      expect(await page.evaluate(() => document.activeElement?.textContent)).toBe('Gebruiker toevoegen en uitnodigen');
      const [post] = await Promise.all([page.waitForResponse((r) => r.request().method() === 'POST'), page.keyboard.press('Enter')]);
      // The answer first, so a refused form fails here with its status rather than as a missing banner.
      expect(post.status()).toBe(303);
      await page.waitForURL('**/beheer/gebruikers');
      expect(await page.locator('main').textContent()).toContain('nina.nieuw@abb.demo is toegevoegd');
      expect(await page.locator('.govuk-notification-banner--success').textContent()).toContain('nina.nieuw@abb.demo is toegevoegd');
      expect(
        await page
          .getByRole('row', { name: /nina\.nieuw@abb\.demo/ })
          .locator('td')
          .nth(2)
          .textContent(),
      ).toBe('Beheerder ABB');

      await page.goto('/beheer/gebruikers/nieuw');
      await page.locator('#email').fill('geen-e-mailadres');
      await page.locator('#displayName').fill('Foutje');
      await page.locator('#role').selectOption({ label: 'Beheerder ABB' });
      await page.getByRole('button', { name: 'Gebruiker toevoegen en uitnodigen' }).click();
      await expectErrorSummary(page, [{ field: 'email', message: 'Vul een geldig e-mailadres in, zoals naam@gemeente.be.' }]);
      expect(await page.locator('#email-error').textContent()).toBe('Fout: Vul een geldig e-mailadres in, zoals naam@gemeente.be.');
      expect(await page.locator('#email').getAttribute('aria-describedby')).toBe('email-error');
      expect(await page.locator('#email').inputValue()).toBe('geen-e-mailadres');
    });
  });

  it('shows a new API token once and revokes it', async () => {
    const page = await signIn('beoordelaar@abb.demo');
    await page.goto('/account');
    await page.locator('#name').fill('Browsertest');
    await page.getByRole('button', { name: 'Token aanmaken' }).click();
    const row = page.getByRole('row', { name: /^Browsertest/ });
    const prefix = (await row.locator('code').textContent())!.replace('…', '');
    expect(prefix).toMatch(/^ps_pat_\S{7}$/);
    expect(await page.locator('#new-token').textContent()).toMatch(new RegExp(`^${prefix}[\\w-]{20,}$`));
    await expectNoAxeViolations(page);

    await row.getByRole('button', { name: 'Intrekken Browsertest' }).click();
    await page.waitForURL('**/account');
    expect(await row.locator('td').last().textContent()).toContain('Ingetrokken of vervallen');
    expect(await row.getByRole('button').count()).toBe(0);
    expect(await page.locator('#new-token').count()).toBe(0);
  });

  it('works without JavaScript for a Gent officer, who sees only Gent and no user administration', async () => {
    const page = await signIn('medewerker@gent.demo', { javaScriptEnabled: false });
    await page.goto('/aanvragers');
    expect(await page.locator('main tbody tr td:first-child').allTextContents()).toEqual(['Stad Gent']);
    expect(await page.locator('script').count()).toBe(0);
    const refused = await page.goto('/beheer/gebruikers');
    expect(refused?.status()).toBe(403);
    expect(await page.locator('h1').textContent()).toBe('Geen toegang');

    // axe-core needs JavaScript: check the same pages in the same session with JavaScript on.
    const checked = await open({ storageState: await page.context().storageState() });
    for (const path of ['/aanvragers', '/beheer/gebruikers']) {
      await checked.goto(path);
      await expectNoAxeViolations(checked);
    }
    expect(await checked.locator('h1').textContent()).toBe('Geen toegang');
  });

  it('sends a reset link and refuses a short new password accessibly', async () => {
    const page = await open();
    await page.goto('/wachtwoord-vergeten');
    await expectNoAxeViolations(page);
    await page.locator('#email').fill('medewerker@duffel.demo');
    await page.getByRole('button', { name: 'Stuur mij een link' }).click();
    expect(await page.locator('.govuk-panel').textContent()).toContain('hebben we een link gestuurd');
    await page.goto('/wachtwoord-herstellen?token=x');
    await expectNoAxeViolations(page);

    await t.app.get(NoticeWorker).deliverWaiting();
    await page.goto(smtp.linkTo('medewerker@duffel.demo').path);
    await page.locator('#password').fill('te-kort');
    await page.getByRole('button', { name: 'Wachtwoord instellen' }).click();
    await expectErrorSummary(page, [{ field: 'password', message: 'Kies een wachtwoord van 12 tot 128 tekens.' }]);
    expect(await page.locator('#password').getAttribute('aria-describedby')).toBe('password-error');
  });
});
