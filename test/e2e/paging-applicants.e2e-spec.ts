import request from 'supertest';
import { ApplicantRegistrationService } from '@ps/applicants';
import { DEFAULT_PAGE_SIZE, MAX_PAGE, MAX_PAGE_SIZE } from '@ps/kernel';
import { ApplicantFixture, CallFixture, Factories, startFactories } from '../support/factories';
import { walkPages } from '../support/paging';
import { signIn } from '../support/sessions';
import { snapshot } from '../support/test-app';

const TABLES = ['applicant', 'applicant_member', 'audit_event', 'security_event'];
const PAGE_MESSAGE = `Kies een paginanummer: een geheel getal van 1 tot ${MAX_PAGE}.`;
const SIZE_MESSAGE = `Kies een paginagrootte: een geheel getal van 1 tot ${MAX_PAGE_SIZE}.`;

/**
 * The applicants of a call (/aanvragers and GET /api/v1/applicants) come a page at a time, cut in SQL in the order of
 * the whole list (by name, then id); an officer still sees only the applicants their local government takes part in.
 */
describe('paging of the applicants of a call', () => {
  let f: Factories;
  let call: CallFixture;
  let cooperation: ApplicantFixture;
  let reviewer: string;
  let memberOfficer: string;
  const as = (token: string) => ({ Authorization: `Bearer ${token}` });

  beforeAll(async () => {
    f = await startFactories({ http: true });
    call = await f.aCall();
    cooperation = await f.anApplicant(call, { kind: 'cooperation' });
    // two applicants of the same name: the order over pages must still be one order
    await f.anApplicant(call, { nameNl: 'Dezelfde naam' });
    await f.anApplicant(call, { nameNl: 'Dezelfde naam' });
    for (let i = 0; i < 4; i += 1) await f.anApplicant(call);
    [reviewer, memberOfficer] = await Promise.all([
      f.actors.reviewer().then((x) => f.bearer(x)),
      f.actors.officer(cooperation.members[1].id).then((x) => f.bearer(x)),
    ]);
  });
  afterAll(() => f?.close());

  const walk = (token: string, pageSize: number) =>
    walkPages<{ id: number; nameNl: string }>(f.http, `/api/v1/applicants?year=${call.year}`, pageSize, { headers: as(token) });

  it('pages the API: the pages together are the whole list, in its order, every field of an item as before', async () => {
    const whole = await f.get(ApplicantRegistrationService).listForCall(call.id);
    expect(whole).toHaveLength(7);
    const { first, all } = await walk(reviewer, 2);
    expect(first).toMatchObject({ page: 1, pageSize: 2, total: 7, pages: 4 });
    expect(all).toEqual(whole);
    expect(new Set(all.map((a: { id: number }) => a.id)).size).toBe(7);
    expect(Object.keys(all[0]).sort()).toEqual(['id', 'kind', 'leadNameNl', 'memberCount', 'nameNl']);
    expect(all.find((a: { id: number }) => a.id === cooperation.id)).toEqual({
      id: cooperation.id,
      nameNl: cooperation.nameNl,
      kind: 'cooperation',
      leadNameNl: cooperation.lead.nameNl,
      memberCount: cooperation.members.length,
    });
    const names = all.map((a: { nameNl: string }) => a.nameNl);
    expect(names.indexOf('Dezelfde naam') + 1).toBe(names.lastIndexOf('Dezelfde naam'));

    const byDefault = (await request(f.http).get(`/api/v1/applicants?year=${call.year}`).set(as(reviewer)).expect(200)).body;
    expect(byDefault).toEqual({ items: whole, page: 1, pageSize: DEFAULT_PAGE_SIZE, total: 7, pages: 1 });
    expect((await request(f.http).get(`/api/v1/applicants?year=${call.year}&pageSize=2&page=9`).set(as(reviewer)).expect(200)).body).toEqual({
      items: [],
      page: 9,
      pageSize: 2,
      total: 7,
      pages: 4,
    });
  });

  it("keeps an officer's scope on every page: only the applicants their local government takes part in", async () => {
    const own = await f.get(ApplicantRegistrationService).listForCall(call.id, cooperation.members[1].id);
    expect(own.map((a) => a.id)).toEqual([cooperation.id]);
    const { first, all } = await walk(memberOfficer, 1);
    expect(first).toMatchObject({ page: 1, pageSize: 1, total: 1, pages: 1 });
    expect(all).toEqual(own);
    const past = (await request(f.http).get(`/api/v1/applicants?year=${call.year}&page=2&pageSize=1`).set(as(memberOfficer)).expect(200)).body;
    expect(past).toEqual({ items: [], page: 2, pageSize: 1, total: 1, pages: 1 });

    const agent = await signIn(f, `medewerker-${cooperation.members[1].nisCode}@service.test`, 'een lang wachtwoord voor tests');
    const html = (await agent.get(`/aanvragers?projectjaar=${call.year}&pageSize=1`).expect(200)).text;
    expect(html).toContain(`href="/aanvragers/${cooperation.id}"`);
    expect(html.match(/href="\/aanvragers\/\d+"/g)).toHaveLength(1);
    expect(html).toContain('1 tot 1 van 1');
  });

  it('refuses a page or page size out of bounds in the API with a Dutch message per field (422), and changes nothing', async () => {
    const before = await snapshot(f.dataSource, TABLES);
    for (const page of ['0', '-1', 'twee', '1.5', String(MAX_PAGE + 1)]) {
      const refused = (await request(f.http).get(`/api/v1/applicants?page=${page}`).set(as(reviewer)).expect(422)).body;
      expect(refused.errors).toEqual({ page: [PAGE_MESSAGE] });
    }
    for (const pageSize of ['0', String(MAX_PAGE_SIZE + 1), 'alle', '1e3']) {
      const refused = (await request(f.http).get(`/api/v1/applicants?pageSize=${pageSize}`).set(as(reviewer)).expect(422)).body;
      expect(refused.errors).toEqual({ pageSize: [SIZE_MESSAGE] });
    }
    const both = (await request(f.http).get(`/api/v1/applicants?year=${call.year}&page=0&pageSize=0`).set(as(reviewer)).expect(422)).body;
    expect(both.errors).toEqual({ page: [PAGE_MESSAGE], pageSize: [SIZE_MESSAGE] });
    expect(await snapshot(f.dataSource, TABLES)).toEqual(before);
  });

  it('shows the page a page at a time, the project year kept in the page links and the year choice from page 1; refuses a bad page in Dutch', async () => {
    const whole = await f.get(ApplicantRegistrationService).listForCall(call.id);
    const agent = await signIn(f, 'beoordelaar@service.test', 'een lang wachtwoord voor tests');
    const html = (await agent.get(`/aanvragers?projectjaar=${call.year}&pageSize=2&page=2`).expect(200)).text;
    for (const shown of whole.slice(2, 4)) expect(html).toContain(`href="/aanvragers/${shown.id}"`);
    for (const other of [...whole.slice(0, 2), ...whole.slice(4)]) expect(html).not.toContain(`href="/aanvragers/${other.id}"`);
    expect(html).toContain('3 tot 4 van 7');
    expect(html).toContain('<nav class="govuk-pagination" aria-label="Paginering van de aanvragers">');
    expect(html).toContain(`href="/aanvragers?projectjaar&#x3D;${call.year}&amp;pageSize&#x3D;2" rel="prev"`);
    expect(html).toContain(`href="/aanvragers?projectjaar&#x3D;${call.year}&amp;pageSize&#x3D;2&amp;page&#x3D;3" rel="next"`);
    expect(html).toMatch(/aria-label="Pagina 2" aria-current="page">2</);
    expect(html).toContain('aria-label="Pagina 4"');
    // the year choice sends the year and the page size, no page: it starts again at page 1
    const form = html.slice(html.indexOf('<form method="get" action="/aanvragers"'), html.indexOf('</form>', html.indexOf('action="/aanvragers"')));
    expect(form).toContain('<input type="hidden" name="pageSize" value="2">');
    expect(form).not.toContain('name="page"');

    const before = await snapshot(f.dataSource, TABLES);
    const refused = await agent.get(`/aanvragers?projectjaar=${call.year}&page=nul`).expect(422);
    expect(refused.text).toContain(PAGE_MESSAGE);
    expect(refused.text).toContain('govuk-error-summary');
    expect(refused.text).not.toContain(`href="/aanvragers/${whole[0].id}"`);
    expect(refused.text).not.toContain('Geen projectindieners.');
    const tooBig = await agent.get(`/aanvragers?pageSize=${MAX_PAGE_SIZE + 1}`).expect(422);
    expect(tooBig.text).toContain(SIZE_MESSAGE);
    expect(await snapshot(f.dataSource, TABLES)).toEqual(before);
  });
});
