import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { andLoad, expectNoAxeViolations, signInPage, useBrowser } from '../support/browser';
import { startTestApp, TestApp } from '../support/test-app';

const HEADER = 'effective_date,old_nis_code,old_name_nl,new_nis_code,new_name_nl,new_arrondissement_nl,new_province_nl';

/** Issue 24: ABB's page of the municipal mergers, in Chromium, with axe: the mergers of 2025, a refused table and an accepted one. */
describe('the mergers page in Chromium', () => {
  let t: TestApp;
  beforeAll(async () => {
    t = await startTestApp({ listen: true });
  }, 180_000);
  afterAll(() => t?.close());
  const browser = useBrowser(() => t.baseUrl);
  const dir = mkdtempSync(join(tmpdir(), 'ps-mergers-'));
  const periods = () => t.dataSource.query(`SELECT id, valid_from, valid_until, successor_id FROM local_government ORDER BY id`);

  it('lists the mergers of 2025, refuses a bad table line by line changing nothing, and applies a good one, audited', async () => {
    const page = await signInPage(browser, 'beheerder@abb.demo');
    await page.goto('/beheer/fusies');
    const text = await page.locator('main').textContent();
    expect(text).toContain('Beveren-Kruibeke-Zwijndrecht (46030)');
    expect(text).toContain('Beveren (46003), Kruibeke (46013), Zwijndrecht (11056)');
    expect(await page.locator('table tbody tr').count()).toBe(13);
    await expectNoAxeViolations(page);

    const bad = join(dir, 'bad.csv');
    writeFileSync(bad, `${HEADER}\n2031-01-01,44021,Gent,44090,Gent,Gent,Oost-Vlaanderen\n2031-02-30,44019,Evergm,44090,Gent,Gent,Oost-Vlaanderen\n`);
    const before = await periods();
    await page.setInputFiles('#bestand', bad);
    expect(await andLoad(page, () => page.getByRole('button', { name: 'Fusies verwerken' }).click())).toBe(422);
    const summary = page.locator('.govuk-error-summary');
    expect(await summary.locator('li').allTextContents()).toEqual([
      'Regel 3: datum "2031-02-30" moet een bestaande datum JJJJ-MM-DD zijn',
      'Regel 3: effective_date "2031-02-30" verschilt van regel 2 voor dezelfde nieuwe NIS-code 44090',
    ]);
    await expectNoAxeViolations(page);
    await summary.getByRole('link').first().click();
    expect(await page.evaluate(() => document.activeElement?.id)).toBe('bestand');
    expect(await periods()).toEqual(before);

    const good = join(dir, 'good.csv');
    writeFileSync(good, `${HEADER}\n2031-01-01,44021,Gent,44090,Gent,Gent,Oost-Vlaanderen\n2031-01-01,44019,Evergem,44090,Gent,Gent,Oost-Vlaanderen\n`);
    await page.setInputFiles('#bestand', good);
    expect(await andLoad(page, () => page.getByRole('button', { name: 'Fusies verwerken' }).click())).toBe(303);
    expect(await page.locator('.govuk-notification-banner').textContent()).toContain('1 fusie(s) verwerkt.');
    expect(await page.locator('main').textContent()).toContain('Evergem (44019), Gent (44021)');
    await expectNoAxeViolations(page);
    const [audit] = await t.dataSource.query(
      `SELECT a.action, a.actor_label FROM audit_event a JOIN local_government lg ON a.entity_id = lg.id::text
        WHERE a.entity_type = 'local-government' AND lg.nis_code = '44090'`,
    );
    expect(audit).toMatchObject({ action: 'merged' });
  });

  it('takes a table without JavaScript: the shipped table of 2025 again changes nothing', async () => {
    const page = await signInPage(browser, 'beheerder@abb.demo', { javaScriptEnabled: false });
    await page.goto('/beheer/fusies');
    const before = await periods();
    await page.setInputFiles('#bestand', join(process.cwd(), 'config', 'reference', 'flemish-municipal-mergers-2025.csv'));
    expect(await andLoad(page, () => page.getByRole('button', { name: 'Fusies verwerken' }).click())).toBe(303);
    expect(await page.locator('.govuk-notification-banner').textContent()).toContain('0 fusie(s) verwerkt.');
    expect(await periods()).toEqual(before);
  });
});
