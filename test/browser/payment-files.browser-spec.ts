import request from 'supertest';
import { threeApprovedAndOnePending } from '../support/allocation-fixture';
import { expectErrorSummaryLinks, expectNoAxeViolations, FACTORY_PASSWORD, plain, signInPage, tabTo, useBrowser } from '../support/browser';
import { Factories, startFactories } from '../support/factories';
import { publishByTwo, releaseByTwo } from '../support/four-eyes';
import { readPain001 } from '../support/pain001';
import { readFileSync } from 'node:fs';

/**
 * Issue 26 in Chromium: the page of a run's SEPA files, with the keyboard alone: a weekend date is an accessible error
 * linked to its field, a weekday gives the file. The clock stands on Wednesday 9 December 2026.
 */
describe('the payment files page in Chromium', () => {
  let f: Factories;
  let runId: number;
  beforeAll(async () => {
    f = await startFactories({ listen: true, now: new Date('2026-12-09T10:00:00Z') });
    const { call } = await threeApprovedAndOnePending(f);
    const [reviewer, admin] = await Promise.all([f.actors.reviewer().then((x) => f.bearer(x)), f.actors.administrator().then((x) => f.bearer(x))]);
    const http = f.baseUrl;
    runId = (
      await request(http)
        .post(`/api/v1/calls/${call.year}/allocation-runs`)
        .set({ Authorization: `Bearer ${reviewer}` })
        .send({})
        .expect(201)
    ).body.id;
    await publishByTwo(http, runId, { confirmPendingReview: true, reason: 'D volgt later.' }, reviewer, admin);
    await releaseByTwo(http, runId, reviewer, admin);
  }, 120_000);
  afterAll(() => f?.close());
  const browser = useBrowser(() => f?.baseUrl);

  it('refuses a weekend date next to its field and downloads the file of a weekday, without a mouse', async () => {
    const page = await signInPage(browser, 'beoordelaar@service.test', {}, FACTORY_PASSWORD);
    expect((await page.goto(`/verdelingen/${runId}`))?.status()).toBe(200);
    await page.getByRole('link', { name: 'SEPA-betaalbestanden voor de bank' }).click();
    await page.waitForURL(`**/verdelingen/${runId}/betaalbestanden`);
    expect(plain(await page.locator('main').textContent())).toContain('Dit is de demorekening');
    await expectNoAxeViolations(page);

    await tabTo(page, 'uitvoeringsdatum-1');
    await page.keyboard.press('Control+A');
    await page.keyboard.type('2026-12-12');
    const refused = page.waitForResponse((response) => response.url().includes(`/betaalbestanden/1?`));
    await page.keyboard.press('Enter');
    expect((await refused).status()).toBe(422);
    await page.waitForLoadState('load');
    await expectErrorSummaryLinks(page, [
      { field: 'uitvoeringsdatum-1', message: 'Banken voeren een overschrijving niet uit op zaterdag of zondag: kies een werkdag.' },
    ]);
    await expectNoAxeViolations(page);

    await tabTo(page, 'uitvoeringsdatum-1');
    await page.keyboard.press('Control+A');
    await page.keyboard.type('2026-12-14');
    const downloading = page.waitForEvent('download');
    await page.keyboard.press('Enter');
    const file = readPain001(readFileSync((await (await downloading).path())!, 'utf8'));
    expect(file.problems).toEqual([]);
    expect(file).toMatchObject({ messageId: `PLANSAMEN-V${runId}-R1`, executionDate: '2026-12-14', count: 3, controlSumCents: 714_285 + 214_285 + 271_428 });
  });
});
