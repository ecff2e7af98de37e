import request from 'supertest';
import { FixedClock } from '@ps/kernel';
import { DECISION_LETTER_SETTINGS } from '../support/factories';
import { auditOf, bearerFor, csrfFrom, signIn } from '../support/sessions';
import { snapshot, startTestApp, TestApp } from '../support/test-app';

const TABLES = ['call', 'call_action', 'kpi_line', 'objective', 'action', 'applicant', 'audit_event'];
const versionIn = (html: string) => /name="version" value="(\d+)"/.exec(html)![1];

/** Issue 24: ABB makes the next call as a draft copy of the latest, changes its menu, publishes it; nobody else sees a draft. */
describe('the life of a call: created from the previous one, a draft only ABB sees, published when complete', () => {
  let t: TestApp;
  let admin: string;
  let officer: string;
  let reviewer: string;
  const as = (token: string) => ({ Authorization: `Bearer ${token}` });
  const get = (path: string, token?: string) => (token ? request(t.http).get(path).set(as(token)) : request(t.http).get(path));
  const post = (path: string, body: object, token = admin) => request(t.http).post(path).set(as(token)).send(body);
  const call = async (year: number) => (await get(`/api/v1/calls/${year}`, admin).expect(200)).body;
  const menu = async (year: number) => (await get(`/api/v1/calls/${year}/menu`, admin).expect(200)).body;
  const unchangedBy = async (attempt: () => Promise<unknown>) => {
    const before = await snapshot(t.dataSource, TABLES);
    await attempt();
    expect(await snapshot(t.dataSource, TABLES)).toEqual(before);
  };

  beforeAll(async () => {
    // Inside call 3's real window, so the demo data leaves the call as it ran.
    t = await startTestApp({ clock: new FixedClock(new Date('2024-04-30T10:00:00Z')) });
    [admin, officer, reviewer] = await Promise.all([
      bearerFor(t, 'beheerder@abb.demo'),
      bearerFor(t, 'medewerker@gent.demo'),
      bearerFor(t, 'beoordelaar@abb.demo'),
    ]);
  });
  afterAll(() => t.close());

  it('migrated the calls of years 1–3 as published, with their own action titles and who may apply', async () => {
    const calls = (await get('/api/v1/calls').expect(200)).body;
    expect(calls.map((c: { state: string; applicantsOfYear: number | null }) => [c.state, c.applicantsOfYear])).toEqual([
      ['published', null],
      ['published', null],
      ['published', 2],
    ]);
    const [{ count }] = await t.dataSource.query(
      `SELECT count(*)::int AS count FROM call_action ca JOIN action a ON a.number = ca.action_number WHERE ca.title_nl <> a.title_nl`,
    );
    expect(count).toBe(0);
  });

  it('refuses a copy of any call but the latest, and the roles that do not manage calls, changing nothing', async () => {
    await unchangedBy(async () => {
      expect((await post('/api/v1/calls', { fromYear: 2 }).expect(422)).body.errors).toEqual({
        fromYear: ['Een nieuwe oproep vertrekt van de laatste: projectjaar 3.'],
      });
      expect(Object.keys((await post('/api/v1/calls', {}).expect(422)).body.errors)).toEqual(['fromYear']);
      await post('/api/v1/calls', { fromYear: 3 }, officer).expect(403);
      await post('/api/v1/calls', { fromYear: 3 }, reviewer).expect(403);
    });
  });

  it('creates project year 4 as a draft copy of year 3: settings, menu and catalogue, its timeline a year later in Brussels time, audited', async () => {
    const three = await call(3);
    const created = (await post('/api/v1/calls', { fromYear: 3 }).expect(201)).body;
    expect(created).toEqual({
      ...three,
      yearNumber: 4,
      nameNl: 'Projectjaar 4 (2025-2026)',
      state: 'draft',
      applicantsOfYear: 3,
      submissionOpensAt: '2025-04-21T22:00:00.000Z',
      submissionClosesAt: '2025-05-06T10:00:00.000Z',
      projectStart: '2025-10-01',
      projectEnd: '2026-09-30',
      finalReportDueAt: '2026-10-15T21:59:59.000Z',
      version: 1,
      catalogueVersion: 1,
    });
    const strip = (m: { actions: { kpiLines: { id: number }[] }[] }[]) =>
      m.map((o) => ({ ...o, actions: o.actions.map((a) => ({ ...a, kpiLines: a.kpiLines.map(({ id, ...line }) => (void id, line)) })) }));
    expect(strip(await menu(4))).toEqual(strip(await menu(3)));
    const [audit] = await auditOf(t.dataSource, 'call', 4);
    expect(audit).toMatchObject({ action: 'created', after: { copiedFromYear: 3, nameNl: 'Projectjaar 4 (2025-2026)', state: 'draft' } });
  });

  it('refuses a second draft while one exists', async () => {
    await unchangedBy(async () => {
      const res = await post('/api/v1/calls', { fromYear: 4 }).expect(409);
      expect(res.body.message).toBe('Projectjaar 4 (2025-2026) is nog een ontwerp: publiceer of wijzig die eerst.');
    });
  });

  it('hides the draft from officers, reviewers and visitors in every list, page and API answer', async () => {
    for (const token of [officer, reviewer, undefined]) {
      expect((await get('/api/v1/calls', token).expect(200)).body.map((c: { yearNumber: number }) => c.yearNumber)).toEqual([1, 2, 3]);
      await get('/api/v1/calls/4', token).expect(404);
      await get('/api/v1/calls/4/menu', token).expect(404);
      expect((await get('/acties?projectjaar=4').expect(400)).text).not.toContain('Projectjaar 4');
      expect((await get('/').expect(200)).text).not.toContain('Projectjaar 4');
    }
    await get('/api/v1/history/call/4', officer).expect(404);
    await get('/api/v1/history/call/4', reviewer).expect(404);
    expect((await get('/api/v1/history/call/4', admin).expect(200)).body).toHaveLength(1);
    const gent = await signIn(t, 'medewerker@gent.demo');
    expect((await gent.get('/aanvragers/nieuw').expect(200)).text).not.toContain('Projectjaar 4');
    const [lg] = await t.dataSource.query(`SELECT id FROM local_government WHERE nis_code = '44021'`);
    await unchangedBy(async () => {
      const res = await post('/api/v1/applicants', { year: 4, kind: 'alone', leadLocalGovernmentId: lg.id }, officer).expect(422);
      expect(res.body.errors).toEqual({ year: ['Dit projectjaar bestaat niet.'] });
    });
  });

  it("changes the draft's menu: renames an action, adds one with a KPI line, retires one and a KPI line, adds an objective; year 3 keeps its own", async () => {
    const menu3 = await menu(3);
    let { version } = await call(4);
    await request(t.http).patch('/api/v1/calls/4/actions/5').set(as(admin)).send({ version, titleNl: 'Nederlands oefenen met buddy’s' }).expect(200);
    version += 1;
    const added = (await post('/api/v1/calls/4/actions', { version, objectiveCode: 'nederlands', titleNl: 'Taalcafés in de bibliotheek' }).expect(201)).body;
    version += 1;
    const newAction = added
      .flatMap((o: { actions: { number: number; titleNl: string }[] }) => o.actions)
      .find((a: { titleNl: string }) => a.titleNl === 'Taalcafés in de bibliotheek');
    expect(newAction).toMatchObject({ number: 25, funded: true, kpiLines: [] });
    const withLine = (
      await post('/api/v1/calls/4/kpi-lines', {
        version,
        actionNumber: 25,
        descriptionNl: 'Aantal deelnemers aan een taalcafé',
        unitNl: 'deelnemers',
        maxQuantity: 200,
        unitAmountEuro: '40',
      }).expect(201)
    ).body;
    version += 1;
    const line = withLine.flatMap((o: { actions: { number: number; kpiLines: object[] }[] }) => o.actions).find((a: { number: number }) => a.number === 25)
      .kpiLines[0];
    expect(line).toMatchObject({ position: 1, unitNl: 'deelnemers', maxQuantity: 200, unitAmountCents: 4000 });
    await post('/api/v1/calls/4/actions/24/retire', { version }).expect(200);
    version += 1;
    const [dropped] = await t.dataSource.query(
      `SELECT k.id FROM kpi_line k JOIN call c ON c.id = k.call_id WHERE c.year_number = 4 AND k.action_number = 9 ORDER BY k.position LIMIT 1`,
    );
    await post(`/api/v1/calls/4/kpi-lines/${dropped.id}/retire`, { version }).expect(200);
    version += 1;
    const after = (await post('/api/v1/calls/4/objectives', { version, code: 'digitale-inclusie', nameNl: 'Digitale inclusie' }).expect(201)).body;
    const actions = after.flatMap((o: { actions: { number: number; titleNl: string }[] }) => o.actions);
    expect(actions.find((a: { number: number }) => a.number === 5).titleNl).toBe('Nederlands oefenen met buddy’s');
    expect(actions.map((a: { number: number }) => a.number)).not.toContain(24);
    expect(after.at(-1)).toEqual({ code: 'digitale-inclusie', nameNl: 'Digitale inclusie', actions: [] });
    expect(await menu(3)).toEqual(menu3);
    expect((await get('/api/v1/calls/3/menu').expect(200)).body).toEqual(menu3);
    expect((await auditOf(t.dataSource, 'call', 4)).map((a: { action: string }) => a.action).sort()).toEqual(
      ['action-added', 'action-changed', 'action-retired', 'created', 'kpi-line-added', 'kpi-line-retired', 'objective-added'].sort(),
    );
  });

  it('refuses bad menu input per field, an unknown objective or action, and a stale version, changing nothing', async () => {
    const { version } = await call(4);
    await unchangedBy(async () => {
      const bad = await post('/api/v1/calls/4/kpi-lines', {
        version,
        actionNumber: 25,
        descriptionNl: '',
        unitNl: 'x',
        maxQuantity: '0',
        unitAmountEuro: '-3',
      }).expect(422);
      expect(Object.keys(bad.body.errors).sort()).toEqual(['descriptionNl']);
      const amounts = await post('/api/v1/calls/4/kpi-lines', {
        version,
        actionNumber: 25,
        descriptionNl: 'd',
        unitNl: 'x',
        maxQuantity: '0',
        unitAmountEuro: '-3',
      }).expect(422);
      expect(Object.keys(amounts.body.errors).sort()).toEqual(['maxQuantity', 'unitAmountEuro']);
      await post('/api/v1/calls/4/kpi-lines', { version, actionNumber: 24, descriptionNl: 'd', unitNl: 'x', maxQuantity: 1, unitAmountEuro: '1' }).expect(422);
      expect((await post('/api/v1/calls/4/actions', { version, objectiveCode: 'bestaat-niet', titleNl: 'X' }).expect(422)).body.errors).toEqual({
        objectiveCode: ['Kies een doelstelling uit de lijst.'],
      });
      expect((await post('/api/v1/calls/4/objectives', { version, code: 'nederlands', nameNl: 'Dubbel' }).expect(422)).body.errors).toEqual({
        code: ['Er is al een doelstelling met deze code.'],
      });
      await post('/api/v1/calls/4/objectives', { version, code: 'Met Spaties', nameNl: 'X' }).expect(422);
      await post('/api/v1/calls/4/actions/24/retire', { version }).expect(404);
      await post('/api/v1/calls/4/actions/5/retire', { version: version - 1 }).expect(409);
      await request(t.http)
        .patch('/api/v1/calls/4/actions/5')
        .set(as(admin))
        .send({ version: version - 1, titleNl: 'Oud' })
        .expect(409);
      await post('/api/v1/calls/3/actions', { version: (await call(3)).version, objectiveCode: 'nederlands', titleNl: 'In een gepubliceerde oproep' }).expect(
        409,
      );
      await post('/api/v1/calls/4/actions', { version, objectiveCode: 'nederlands', titleNl: 'X' }, officer).expect(403);
    });
  });

  it('refuses to publish an incomplete call, each missing item under its field in Dutch, changing nothing', async () => {
    let { version } = await call(4);
    await request(t.http).patch('/api/v1/calls/4').set(as(admin)).send({ version, budgetEuro: '', statisticsReferenceYear: '2030' }).expect(200);
    version += 1;
    await post('/api/v1/calls/4/actions', { version, objectiveCode: 'nederlands', titleNl: 'Nog zonder KPI' }).expect(201);
    version += 1;
    await unchangedBy(async () => {
      const res = await post('/api/v1/calls/4/publish', { version }).expect(422);
      expect(res.body.errors).toEqual({
        budgetEuro: ['Geef het budget van de oproep.'],
        signatoryName: ['Geef de naam van wie de beslissingsbrieven ondertekent.'],
        signatoryFunction: ['Geef de functie van wie de beslissingsbrieven ondertekent.'],
        appealText: ['Geef de beroepsmogelijkheden die in elke beslissingsbrief staan.'],
        statisticsReferenceYear: ['Er zijn geen statistieken voor 2030 (niet-EU-14): importeer ze of kies een ander referentiejaar.'],
        menu: ['Actie 26 (Nog zonder KPI) wordt gefinancierd maar heeft geen KPI-lijn met een bedrag per eenheid.'],
      });
      await post('/api/v1/calls/4/publish', { version: version - 1 }).expect(409);
      await post('/api/v1/calls/4/publish', { version }, reviewer).expect(403);
      await post('/api/v1/calls/4/close', { version }).expect(409);
    });
    await post('/api/v1/calls/4/actions/26/retire', { version }).expect(200);
    await request(t.http)
      .patch('/api/v1/calls/4')
      .set(as(admin))
      .send({ version: version + 1, budgetEuro: '17000000', statisticsReferenceYear: '2022', ...DECISION_LETTER_SETTINGS })
      .expect(200);
  });

  it('renames a draft after its project period when that changes, audited; a published call keeps its name', async () => {
    const before = await call(4);
    await request(t.http)
      .patch('/api/v1/calls/4')
      .set(as(admin))
      .send({ version: before.version, projectStart: '2026-01-01', projectEnd: '2026-12-31' })
      .expect(200);
    expect(await call(4)).toMatchObject({ nameNl: 'Projectjaar 4 (2026-2026)', projectStart: '2026-01-01', projectEnd: '2026-12-31' });
    expect((await auditOf(t.dataSource, 'call', 4)).at(-1)).toMatchObject({
      action: 'settings-updated',
      before: { nameNl: 'Projectjaar 4 (2025-2026)', projectStart: '2025-10-01', projectEnd: '2026-09-30' },
      after: { nameNl: 'Projectjaar 4 (2026-2026)', projectStart: '2026-01-01', projectEnd: '2026-12-31' },
    });
    await request(t.http)
      .patch('/api/v1/calls/4')
      .set(as(admin))
      .send({ version: before.version + 1, projectStart: '2025-10-01', projectEnd: '2026-09-30' })
      .expect(200);
    expect((await call(4)).nameNl).toBe('Projectjaar 4 (2025-2026)');
    const three = await call(3);
    await request(t.http).patch('/api/v1/calls/3').set(as(admin)).send({ version: three.version, projectEnd: '2026-09-30' }).expect(200);
    expect((await call(3)).nameNl).toBe('Projectjaar 3 (2024-2025)');
    await request(t.http)
      .patch('/api/v1/calls/3')
      .set(as(admin))
      .send({ version: three.version + 1, projectEnd: '2025-09-30' })
      .expect(200);
  });

  it('publishes the complete call: officers see it and its menu, the menu is fixed; then closes it', async () => {
    const { version } = await call(4);
    expect((await post('/api/v1/calls/4/publish', { version }).expect(200)).body).toMatchObject({ state: 'published', version: version + 1 });
    expect((await get('/api/v1/calls', officer).expect(200)).body.map((c: { yearNumber: number }) => c.yearNumber)).toEqual([1, 2, 3, 4]);
    const seen = (await get('/api/v1/calls/4/menu').expect(200)).body;
    expect(seen.flatMap((o: { actions: { number: number }[] }) => o.actions).map((a: { number: number }) => a.number)).toContain(25);
    expect((await get('/acties?projectjaar=4').expect(200)).text).toContain('Taalcafés in de bibliotheek');
    await unchangedBy(async () => {
      await post('/api/v1/calls/4/actions', { version: version + 1, objectiveCode: 'nederlands', titleNl: 'Te laat' }).expect(409);
      await post('/api/v1/calls/4/publish', { version: version + 1 }).expect(409);
    });
    // Published, its history is no longer ABB's only.
    await get('/api/v1/history/call/4', officer).expect(200);
    expect((await get('/api/v1/history/call/4', reviewer).expect(200)).body.map((e: { action: string }) => e.action)).toContain('published');
    expect((await post('/api/v1/calls/4/close', { version: version + 1 }).expect(200)).body.state).toBe('closed');
    expect((await auditOf(t.dataSource, 'call', 4)).at(-1)).toMatchObject({ action: 'closed', before: { state: 'published' }, after: { state: 'closed' } });
  });

  it('makes, shows and publishes a call on the pages, without JavaScript; refusals summarised and linked to their fields', async () => {
    const abb = await signIn(t, 'beheerder@abb.demo');
    const page = await abb.get('/beheer/oproepen/nieuw').expect(200);
    expect(page.text).toContain('Maak projectjaar 5 aan');
    const created = await abb
      .post('/beheer/oproepen/nieuw')
      .type('form')
      .send({ _csrf: csrfFrom(page.text), fromYear: '4' })
      .expect(303);
    expect(created.headers.location).toBe('/beheer/oproepen/5');
    const draft = await abb.get('/beheer/oproepen/5').expect(200);
    expect(draft.text).toContain('Staat: Ontwerp');
    expect(draft.text).toContain('Oproep publiceren');
    const again = await abb.get('/beheer/oproepen/nieuw').expect(200);
    expect(again.text).toContain('Projectjaar 5 (2026-2027) is nog een ontwerp');

    const budget = await abb
      .post('/beheer/oproepen/5')
      .type('form')
      .send({ _csrf: csrfFrom(draft.text), version: versionIn(draft.text), budgetEuro: '' })
      .expect(303);
    expect(budget.headers.location).toBe('/beheer/oproepen/5');
    const empty = await abb.get('/beheer/oproepen/5').expect(200);
    await unchangedBy(async () => {
      const refused = await abb
        .post('/beheer/oproepen/5/publiceren')
        .type('form')
        .send({ _csrf: csrfFrom(empty.text), version: versionIn(empty.text) })
        .expect(422);
      expect(refused.text).toContain('<a href="#budgetEuro">Geef het budget van de oproep.</a>');
    });
    const added = await abb
      .post('/beheer/oproepen/5/acties')
      .type('form')
      .send({ _csrf: csrfFrom(empty.text), version: versionIn(empty.text), objectiveCode: 'nederlands', titleNl: '' })
      .expect(422);
    expect(added.text).toContain('href="#titleNl"');
    const filled = await abb
      .post('/beheer/oproepen/5')
      .type('form')
      .send({ _csrf: csrfFrom(empty.text), version: versionIn(empty.text), budgetEuro: '17000000', ...DECISION_LETTER_SETTINGS })
      .expect(303);
    expect(filled.status).toBe(303);
    const ready = await abb.get('/beheer/oproepen/5').expect(200);
    await abb
      .post('/beheer/oproepen/5/publiceren')
      .type('form')
      .send({ _csrf: csrfFrom(ready.text), version: versionIn(ready.text) })
      .expect(303);
    expect((await abb.get('/beheer/oproepen/5').expect(200)).text).toContain('Staat: Gepubliceerd');
    expect((await abb.get('/geschiedenis/call/5').expect(200)).text).toContain('published');
  });
});
