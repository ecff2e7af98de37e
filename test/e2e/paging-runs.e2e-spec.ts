import request from 'supertest';
import { MAX_PAGE, MAX_PAGE_SIZE } from '@ps/kernel';
import { AllocationFixture, threeApprovedAndOnePending } from '../support/allocation-fixture';
import { Factories, startFactories } from '../support/factories';
import { publishByTwo, releaseByTwo } from '../support/four-eyes';
import { walkPages } from '../support/paging';
import { signIn } from '../support/sessions';
import { snapshot } from '../support/test-app';

const TABLES = ['allocation_run', 'allocation_share', 'money_proposal', 'payment', 'audit_event', 'security_event'];
const PAGE_MESSAGE = `Kies een paginanummer: een geheel getal van 1 tot ${MAX_PAGE}.`;
const SIZE_MESSAGE = `Kies een paginagrootte: een geheel getal van 1 tot ${MAX_PAGE_SIZE}.`;

interface ShareItem {
  applicantId: number;
  applicantNameNl: string;
  confirmedCents: number;
  allocatedCents: number;
}

/**
 * Issue 27 for the allocation runs: a run's results per applicant and the payment list of a published run come a page
 * at a time, on the pages and in the API, while the totals stay those of the whole run; the CSV payment list stays whole.
 */
describe("paging of an allocation run's results and payments", () => {
  let f: Factories;
  let fx: AllocationFixture;
  let reviewer: string;
  let admin: string;
  let published: { id: number; allocatedCents: number; confirmedCents: number };
  let proRata: { id: number };
  const as = (token: string) => ({ Authorization: `Bearer ${token}` });
  const simulate = async (body: object) =>
    (await request(f.http).post(`/api/v1/calls/${fx.call.year}/allocation-runs`).set(as(reviewer)).send(body).expect(201)).body;
  const sum = (cents: number[]) => cents.reduce((total, c) => total + c, 0);

  beforeAll(async () => {
    f = await startFactories({ http: true });
    fx = await threeApprovedAndOnePending(f);
    // two more applicants: five shares, three pages of two
    await f.anApprovedApplication(fx.call, { lines: [{ action: 9, planned: 3 }] });
    await f.anApprovedApplication(fx.call, { applicant: { kind: 'cooperation' }, lines: [{ action: 5, planned: 2 }] });
    [reviewer, admin] = await Promise.all([
      f.actors.another('abb-reviewer', 'Piet Pagina').then((x) => f.bearer(x)),
      f.actors.administrator().then((x) => f.bearer(x)),
    ]);
    proRata = await simulate({ policy: 'pro-rata' });
    published = await simulate({});
    await publishByTwo(f.http, published.id, { confirmPendingReview: true, reason: 'D volgt later.' }, reviewer, admin);
  });
  afterAll(() => f?.close());

  /** Every page of a run's shares in the API at `pageSize`. */
  async function walkRun(query: string, pageSize: number) {
    const get = async (page: number) =>
      (await request(f.http).get(`/api/v1/allocation-runs/${published.id}?pageSize=${pageSize}&page=${page}${query}`).set(as(reviewer)).expect(200)).body;
    const first = await get(1);
    const pages = [first];
    for (let page = 2; page <= first.shares.pages; page += 1) pages.push(await get(page));
    return pages;
  }

  it("pages a run's shares in the API: the pages together are every applicant once, in order; the totals are the whole run's on each", async () => {
    const whole = (await request(f.http).get(`/api/v1/allocation-runs/${published.id}?pageSize=${MAX_PAGE_SIZE}`).set(as(reviewer)).expect(200)).body;
    expect(whole.shares).toMatchObject({ page: 1, pageSize: MAX_PAGE_SIZE, total: 5, pages: 1 });
    const items: ShareItem[] = whole.shares.items;
    expect(items).toHaveLength(5);
    expect(items.map((s) => s.applicantId)).toEqual([...items.map((s) => s.applicantId)].sort((x, y) => x - y));
    // the totals: counted by the database over the whole run, equal to the run's own figures and to its rows summed
    expect(whole.totals).toEqual({ applicants: 5, confirmedCents: whole.confirmedCents, allocatedCents: whole.allocatedCents });
    expect(sum(items.map((s) => s.allocatedCents))).toBe(whole.allocatedCents);
    expect(sum(items.map((s) => s.confirmedCents))).toBe(whole.confirmedCents);
    expect(whole.allocatedCents).toBe(1_500_000);

    const pages = await walkRun('', 2);
    expect(pages).toHaveLength(3);
    pages.forEach((body, index) => {
      expect(body.shares).toMatchObject({ page: index + 1, pageSize: 2, total: 5, pages: 3 });
      expect(body.totals).toEqual(whole.totals);
      expect(body.allocatedCents).toBe(whole.allocatedCents);
    });
    expect(pages.map((body) => body.shares.items.length)).toEqual([2, 2, 1]);
    expect(pages.flatMap((body) => body.shares.items)).toEqual(items);

    const past = (await request(f.http).get(`/api/v1/allocation-runs/${published.id}?pageSize=2&page=4`).set(as(reviewer)).expect(200)).body;
    expect(past.shares).toEqual({ items: [], page: 4, pageSize: 2, total: 5, pages: 3 });
    expect(past.totals).toEqual(whole.totals);
  });

  it('compares with another run on every page: the counts over both whole runs, the differences of the rows on the page', async () => {
    const other: ShareItem[] = (await request(f.http).get(`/api/v1/allocation-runs/${proRata.id}?pageSize=${MAX_PAGE_SIZE}`).set(as(reviewer)).expect(200)).body
      .shares.items;
    const whole = (
      await request(f.http).get(`/api/v1/allocation-runs/${published.id}?compareWith=${proRata.id}&pageSize=${MAX_PAGE_SIZE}`).set(as(reviewer)).expect(200)
    ).body;
    const mine: ShareItem[] = whole.shares.items;
    const expected = mine
      .map((s) => {
        const otherRunCents = other.find((o) => o.applicantId === s.applicantId)?.allocatedCents ?? 0;
        return {
          applicantId: s.applicantId,
          applicantNameNl: s.applicantNameNl,
          otherRunCents,
          thisRunCents: s.allocatedCents,
          differenceCents: s.allocatedCents - otherRunCents,
        };
      })
      .filter((d) => d.differenceCents !== 0);
    expect(expected.length).toBeGreaterThan(2);
    expect(whole.comparison).toEqual({
      runId: proRata.id,
      published: false,
      differentApplicants: expected.length,
      differenceCents: sum(expected.map((d) => d.differenceCents)),
      differences: expected,
    });
    // both runs share the whole budget: the differences net out to the cent
    expect(whole.comparison.differenceCents).toBe(0);

    const pages = await walkRun(`&compareWith=${proRata.id}`, 2);
    for (const body of pages) {
      const onPage = new Set(body.shares.items.map((s: ShareItem) => s.applicantId));
      expect(body.comparison).toEqual({ ...whole.comparison, differences: expected.filter((d) => onPage.has(d.applicantId)) });
    }
    expect(pages.flatMap((body) => body.comparison.differences)).toEqual(expected);
  });

  it('shows the run page a page at a time, the comparison kept in the page links, the totals of the whole run on each page', async () => {
    const agent = await signIn(f, 'piet-pagina@service.test', 'een lang wachtwoord voor tests');
    const whole = (
      await request(f.http).get(`/api/v1/allocation-runs/${published.id}?compareWith=${proRata.id}&pageSize=${MAX_PAGE_SIZE}`).set(as(reviewer)).expect(200)
    ).body;
    const seen: [number, number][] = [];
    for (let page = 1; page <= 3; page += 1) {
      const html = (await agent.get(`/verdelingen/${published.id}?vergelijkMet=${proRata.id}&pageSize=2&page=${page}`).expect(200)).text;
      seen.push(...[...html.matchAll(/data-applicant-id="(\d+)" data-allocated-cents="(\d+)"/g)].map((m): [number, number] => [Number(m[1]), Number(m[2])]));
      expect(html).toContain(`id="share-count">5<`);
      expect(html).toContain(`id="share-allocated" data-cents="${whole.totals.allocatedCents}"`);
      expect(html).toContain(`id="share-confirmed" data-cents="${whole.totals.confirmedCents}"`);
      expect(html).toContain(`data-applicants="${whole.comparison.differentApplicants}" data-cents="0"`);
      expect(html).toContain(`${2 * page - 1} tot ${Math.min(5, 2 * page)} van 5`);
      expect(html).toMatch(new RegExp(`aria-label="Pagina ${page}" aria-current="page">${page}<`));
      if (page < 3) {
        expect(html).toContain(`href="/verdelingen/${published.id}?vergelijkMet&#x3D;${proRata.id}&amp;pageSize&#x3D;2&amp;page&#x3D;${page + 1}" rel="next"`);
      }
      // the differences table holds this page's applicants only
      const table = html.slice(html.indexOf('id="differences"'), html.indexOf('</table>', html.indexOf('id="differences"')));
      const onPage = whole.shares.items.slice(2 * (page - 1), 2 * page).map((s: ShareItem) => s.applicantId);
      for (const d of whole.comparison.differences as { applicantId: number; applicantNameNl: string }[]) {
        if (onPage.includes(d.applicantId)) expect(table).toContain(d.applicantNameNl);
      }
    }
    expect(seen).toEqual(whole.shares.items.map((s: ShareItem) => [s.applicantId, s.allocatedCents]));
  });

  it('shows the payment list a page at a time, each payment once, with the sums of the whole list on each page', async () => {
    const agent = await signIn(f, 'piet-pagina@service.test', 'een lang wachtwoord voor tests');
    const whole = (await request(f.http).get(`/api/v1/allocation-runs/${published.id}/payments`).set(as(reviewer)).expect(200)).body.items as {
      applicantId: number;
      amountCents: number;
      reference: string;
    }[];
    expect(whole).toHaveLength(5);
    const total = sum(whole.map((p) => p.amountCents));
    const seen: string[] = [];
    for (let page = 1; page <= 3; page += 1) {
      const html = (await agent.get(`/verdelingen/${published.id}/betalingen?pageSize=2&page=${page}`).expect(200)).text;
      const table = html.slice(html.indexOf('id="payments"'), html.indexOf('</table>', html.indexOf('id="payments"')));
      seen.push(...whole.map((p) => p.reference).filter((reference) => table.includes(reference)));
      expect(table.match(/<tr class="govuk-table__row">/g)).toHaveLength(1 + Math.min(2, 5 - 2 * (page - 1)));
      expect(html).toContain('id="payment-count">5<');
      expect(html).toContain(`id="payment-sum" data-cents="${total}"`);
      expect(html).toContain('id="released-sum" data-cents="0"');
      expect(html).toContain(`${2 * page - 1} tot ${Math.min(5, 2 * page)} van 5`);
    }
    expect(seen).toEqual(whole.map((p) => p.reference));
    expect(new Set(seen).size).toBe(5);
  });

  it('answers the payment list in the API a page at a time, with the counts and sums of the whole list on each page', async () => {
    const path = `/api/v1/allocation-runs/${published.id}/payments`;
    const whole = (await request(f.http).get(`${path}?pageSize=200`).set(as(reviewer)).expect(200)).body;
    expect(whole).toMatchObject({ page: 1, pageSize: 200, total: 5, pages: 1, totals: { payments: 5 } });
    expect(whole.run).toMatchObject({ id: published.id });
    const { first, all } = await walkPages<{ reference: string }>(f.http, path, 2, { headers: as(reviewer), same: ['run', 'totals'] });
    expect(first).toMatchObject({ total: 5, pages: 3, totals: whole.totals });
    expect(all.map((p) => p.reference)).toEqual(whole.items.map((p: { reference: string }) => p.reference));
    expect((await request(f.http).get(path).set(as(reviewer)).expect(200)).body.pageSize).toBe(50);
  });

  it('refuses a page or page size out of bounds with a Dutch message per field (422), and changes nothing', async () => {
    const agent = await signIn(f, 'piet-pagina@service.test', 'een lang wachtwoord voor tests');
    const before = await snapshot(f.dataSource, TABLES);
    const api = `/api/v1/allocation-runs/${published.id}`;
    for (const page of ['0', '-1', 'twee', '1.5', String(MAX_PAGE + 1)]) {
      expect((await request(f.http).get(`${api}?page=${page}`).set(as(reviewer)).expect(422)).body.errors).toEqual({ page: [PAGE_MESSAGE] });
      expect((await agent.get(`/verdelingen/${published.id}?page=${page}`).expect(422)).text).toContain(PAGE_MESSAGE);
      expect((await agent.get(`/verdelingen/${published.id}/betalingen?page=${page}`).expect(422)).text).toContain(PAGE_MESSAGE);
      expect((await request(f.http).get(`${api}/payments?page=${page}`).set(as(reviewer)).expect(422)).body.errors).toEqual({ page: [PAGE_MESSAGE] });
    }
    for (const pageSize of ['0', String(MAX_PAGE_SIZE + 1), 'alle', '1e3']) {
      expect((await request(f.http).get(`${api}?pageSize=${pageSize}`).set(as(reviewer)).expect(422)).body.errors).toEqual({ pageSize: [SIZE_MESSAGE] });
      expect((await agent.get(`/verdelingen/${published.id}?pageSize=${pageSize}`).expect(422)).text).toContain(SIZE_MESSAGE);
      expect((await agent.get(`/verdelingen/${published.id}/betalingen?pageSize=${pageSize}`).expect(422)).text).toContain(SIZE_MESSAGE);
      expect((await request(f.http).get(`${api}/payments?pageSize=${pageSize}`).set(as(reviewer)).expect(422)).body.errors).toEqual({
        pageSize: [SIZE_MESSAGE],
      });
    }
    const both = (await request(f.http).get(`${api}?page=0&pageSize=0&compareWith=abc`).set(as(reviewer)).expect(422)).body;
    expect(both.errors).toEqual({ compareWith: ['Kies een verdeling.'], page: [PAGE_MESSAGE], pageSize: [SIZE_MESSAGE] });
    const html = (await agent.get(`/verdelingen/${published.id}?page=0&vergelijkMet=abc`).expect(422)).text;
    expect(html).toContain(PAGE_MESSAGE);
    expect(html).toContain('Kies een verdeling.');
    expect(await snapshot(f.dataSource, TABLES)).toEqual(before);
  });

  it('keeps the CSV payment list whole once released, and shows the released sums of the whole list on every page', async () => {
    await releaseByTwo(f.http, published.id, reviewer, admin);
    const whole = (await request(f.http).get(`/api/v1/allocation-runs/${published.id}/payments`).set(as(reviewer)).expect(200)).body.items as {
      amountCents: number;
      reference: string;
    }[];
    const csv = (await request(f.http).get(`/api/v1/allocation-runs/${published.id}/payments.csv`).set(as(admin)).expect(200)).text;
    for (const payment of whole) expect(csv).toContain(payment.reference);
    const agent = await signIn(f, 'piet-pagina@service.test', 'een lang wachtwoord voor tests');
    const total = sum(whole.map((p) => p.amountCents));
    for (const page of [1, 3]) {
      const html = (await agent.get(`/verdelingen/${published.id}/betalingen?pageSize=2&page=${page}`).expect(200)).text;
      expect(html).toContain(`id="released-sum" data-cents="${total}"`);
    }
    expect((await agent.get(`/verdelingen/${published.id}`).expect(200)).text).toContain('5 betaling(en), waarvan 5 vrijgegeven');
  });
});
