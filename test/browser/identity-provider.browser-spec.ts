import { Page } from 'playwright-core';
import { expectNoAxeViolations, useBrowser } from '../support/browser';
import { freePort, GENT_KBO, startTestProvider, TestProvider } from '../support/oidc-provider';
import { startTestApp, TestApp } from '../support/test-app';

describe('sign-in through the identity provider in Chromium (a real OpenID provider on 127.0.0.1)', () => {
  let provider: TestProvider;
  let t: TestApp;
  let base: string;

  beforeAll(async () => {
    // The provider must know the platform's address (its redirect address) before either starts.
    const port = await freePort();
    base = `http://127.0.0.1:${port}`;
    provider = await startTestProvider(base);
    t = await startTestApp({ listen: true, port, env: provider.env(base) });
    await t.dataSource.query(`UPDATE local_government SET kbo_number = $1 WHERE nis_code = '44021'`, [GENT_KBO]);
  }, 120_000);
  afterAll(async () => {
    await t?.close();
    await provider?.close();
  });
  const browser = useBrowser(() => t.baseUrl);

  /** From the platform's sign-in page through the provider's login form, as `login`; the page where the browser lands. */
  async function signInThroughProvider(login: string): Promise<Page> {
    const page = await browser.newPage();
    await page.goto('/aanmelden?terug=/account');
    await page.getByRole('button', { name: 'Aanmelden via ACM/IDM' }).click();
    await page.waitForURL(`${provider.issuer}/**`);
    await page.locator('input[name="login"]').fill(login);
    await page.locator('input[name="password"]').fill('any password');
    await page.locator('button[type="submit"]').click();
    await page.waitForURL(`${base}/**`);
    return page;
  }

  it('shows the way through ACM/IDM on the sign-in page, with no axe violations', async () => {
    const page = await browser.newPage();
    await page.goto('/aanmelden');
    expect(await page.getByRole('button', { name: 'Aanmelden via ACM/IDM' }).count()).toBe(1);
    await expectNoAxeViolations(page);
  });

  it.each([
    ['officer', 'An Peeters', 'Medewerker lokaal bestuur'],
    ['reviewer', 'Lies Maes', 'Dossierbehandelaar ABB'],
    ['administrator', 'Karel Wouters', 'Beheerder ABB'],
  ])('signs in as %s through the provider and lands signed in, with the role the provider gave', async (login, name, role) => {
    const page = await signInThroughProvider(login);
    expect(new URL(page.url()).pathname).toBe('/account');
    const account = await page.locator('main').textContent();
    expect(account).toContain(name);
    expect(account).toContain(role);
    await expectNoAxeViolations(page);
  });

  it('refuses a person of an unknown organisation with a Dutch page that says whom to ask, with no axe violations', async () => {
    const page = await signInThroughProvider('stranger');
    expect(new URL(page.url()).pathname).toBe('/aanmelden/acm-idm/terug');
    expect(await page.locator('h1').textContent()).toBe('Uw organisatie is niet gekend in Plan Samenleven');
    expect(await page.locator('main').textContent()).toContain('Vraag het Agentschap Binnenlands Bestuur (ABB)');
    await expectNoAxeViolations(page);
    await page.goto('/account');
    expect(new URL(page.url()).pathname).toBe('/aanmelden');
  });

  it('refuses a person without a role with its own page, with no axe violations', async () => {
    const page = await signInThroughProvider('roleless');
    expect(await page.locator('h1').textContent()).toBe('U hebt geen rol voor Plan Samenleven');
    await expectNoAxeViolations(page);
  });
});
