import { existsSync, readFileSync } from 'node:fs';
import { dirname, join } from 'node:path';
import type { AxeResults, RunOptions } from 'axe-core';
import { Browser, BrowserContext, BrowserContextOptions, chromium, Page } from 'playwright-core';
import { DEMO_PASSWORD } from '@ps/setup';

/** The system Chromium (Debian package); the tests never download a browser. */
export const chromiumPath = process.env.CHROMIUM_PATH ?? '/usr/bin/chromium';

const chromiumArgs = [
  '--headless',
  '--no-sandbox',
  '--disable-gpu',
  '--disable-background-networking',
  '--disable-component-update',
  '--disable-sync',
  '--no-first-run',
];

export async function launchBrowser(): Promise<Browser> {
  if (!existsSync(chromiumPath)) {
    throw new Error(
      `Chromium not found at ${chromiumPath}. The browser tests need it: run \`apt-get install -y chromium\`, or set CHROMIUM_PATH to a Chromium executable.`,
    );
  }
  return chromium.launch({ executablePath: chromiumPath, args: chromiumArgs });
}

let axeSource: string | undefined;

const axeOptions: RunOptions = { runOnly: { type: 'tag', values: ['wcag2a', 'wcag2aa', 'wcag21a', 'wcag21aa'] } };

interface Violation {
  id: string;
  impact?: string | null;
  help: string;
  targets: string[];
}

/** Runs axe-core (WCAG 2.1 A and AA rules) on the page and fails with one line per offending element. */
export async function expectNoAxeViolations(page: Page): Promise<void> {
  axeSource ??= readFileSync(join(dirname(require.resolve('axe-core')), 'axe.min.js'), 'utf8');
  await page.addScriptTag({ content: axeSource });
  const violations = await page.evaluate(async (options): Promise<Violation[]> => {
    const axe = (window as unknown as { axe: { run(context: Document, options: RunOptions): Promise<AxeResults> } }).axe;
    const results = await axe.run(document, options);
    return results.violations.map((v) => ({ id: v.id, impact: v.impact, help: v.help, targets: v.nodes.map((n) => n.target.join(' ')) }));
  }, axeOptions);
  if (violations.length > 0) {
    const list = violations.map((v) => `- ${v.id} (${v.impact}): ${v.help}\n${v.targets.map((t) => `    ${t}`).join('\n')}`).join('\n');
    throw new Error(`${violations.length} axe violation(s) on ${page.url()}:\n${list}`);
  }
}

/**
 * One browser per test file and a fresh context for every page, closed after each test.
 * Call inside describe(); baseUrl is read when a page is opened, so it may come from a later beforeAll.
 */
export function useBrowser(baseUrl: () => string | undefined): { newPage(options?: BrowserContextOptions): Promise<Page> } {
  let browser: Browser | undefined;
  const contexts: BrowserContext[] = [];
  beforeAll(async () => {
    browser = await launchBrowser();
    // The first request for the stylesheet compiles it (once per process; seconds on a busy machine): done here, not
    // inside the first page's 10 s navigation timeout.
    const base = baseUrl();
    if (base) await fetch(new URL('/assets/app.css', base));
  });
  afterEach(async () => {
    await Promise.all(contexts.splice(0).map((context) => context.close()));
  });
  afterAll(async () => {
    await browser?.close();
  });
  return {
    async newPage(options = {}) {
      if (!browser) throw new Error('The browser did not start; see the error of beforeAll.');
      // axe is injected by the test as an inline script; the pages' own CSP is checked by the e2e tests.
      const context = await browser.newContext({ baseURL: baseUrl(), bypassCSP: true, ...options });
      contexts.push(context);
      context.setDefaultTimeout(10_000);
      return context.newPage();
    },
  };
}

/** A fresh page signed in through the sign-in form (the demo password unless given), on "Mijn taken" where signing in lands. */
export async function signInPage(
  browser: { newPage(options?: BrowserContextOptions): Promise<Page> },
  email: string,
  options: BrowserContextOptions = {},
  password = DEMO_PASSWORD,
): Promise<Page> {
  const page = await browser.newPage(options);
  await page.goto('/aanmelden');
  await page.locator('#email').fill(email);
  await page.locator('#password').fill(password);
  await page.getByRole('button', { name: 'Aanmelden' }).click();
  await page.waitForURL('**/taken');
  return page;
}

/** The focused element's id, or its text when it has none (buttons). */
export const focused = (page: Page) => page.evaluate(() => document.activeElement?.id || document.activeElement?.textContent?.trim());

/** Presses Tab until the element with this id (or, without one, this text) has focus. */
export async function tabTo(page: Page, target: string): Promise<void> {
  for (let presses = 0; presses < 60 && (await focused(page)) !== target; presses++) await page.keyboard.press('Tab');
  expect(await focused(page)).toBe(target);
}

/** Replaces the focused field's value by typing. */
export async function retype(page: Page, text: string): Promise<void> {
  await page.keyboard.press('Control+A');
  await page.keyboard.type(text);
}

/** The factories' users all have this password (test/support/factories.ts). */
export const FACTORY_PASSWORD = 'een lang wachtwoord voor tests';

/** Text with every kind of space (Intl puts a no-break space after €) as a plain space, trimmed. */
export const plain = (text: string | null) => text?.replace(/\s+/g, ' ').trim();

/** Runs an action that posts a form and waits for the page that answers it; returns the status of the POST. */
export async function andLoad(page: Page, action: () => Promise<void>): Promise<number> {
  const posted = page.waitForResponse((response) => response.request().method() === 'POST');
  const loaded = page.waitForEvent('load');
  await action();
  const status = (await posted).status();
  await loaded;
  return status;
}

/** The error summary opens <main> as an alert and lists exactly these errors, each linking to its field. */
export async function expectErrorSummaryLinks(page: Page, errors: { field: string; message: string }[]): Promise<void> {
  const summary = page.locator('main > .govuk-error-summary:first-child');
  expect(await summary.getByRole('alert').locator('h2').textContent()).toBe('Er is een probleem');
  expect(await page.title()).toMatch(/^Fout: /);
  expect(
    await summary.locator('a').evaluateAll((links) => links.map((a) => ({ field: a.getAttribute('href')?.slice(1), message: a.textContent?.trim() }))),
  ).toEqual(errors);
}
