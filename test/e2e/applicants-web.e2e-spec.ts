import { csrfFrom, signIn } from '../support/sessions';
import { snapshot, startTestApp, TestApp } from '../support/test-app';
import { ONE_PAGE_PDF } from '../support/pdf';

const TABLES = ['applicant', 'applicant_member', 'partner', 'applicant_partner', 'applicant_document', 'audit_event'];

describe('applicant pages (server-rendered forms, no JavaScript needed)', () => {
  let t: TestApp;
  let lierApplicant: number;
  beforeAll(async () => {
    t = await startTestApp();
    [{ id: lierApplicant }] = await t.dataSource.query(`SELECT id FROM applicant WHERE name_nl LIKE 'Samenwerkingsverband Lier%'`);
  });
  afterAll(() => t.close());

  it('shows a member officer the applicant with members, eligibility, contact form and partner forms', async () => {
    const duffel = await signIn(t, 'medewerker@duffel.demo');
    const page = await duffel.get(`/aanvragers/${lierApplicant}`).expect(200);
    expect(page.text).toContain('Samenwerkingsverband Lier-Duffel-Berlaar');
    expect(page.text).toMatch(/Komt (niet )?in aanmerking/);
    expect(page.text).toContain('id="contact-payoutIban"');
    expect(page.text).toContain('id="partner-name"');
    await (await signIn(t, 'medewerker@gent.demo')).get(`/aanvragers/${lierApplicant}`).expect(404);
  });

  it('finds a new member by a search, not a list of every municipality: municipalities of the call not yet taking part, at most 20', async () => {
    const lier = await signIn(t, 'medewerker@lier.demo');
    const radios = (html: string) =>
      [
        ...html.matchAll(
          /<input class="govuk-radios__input" id="member-localGovernmentId[^"]*" name="localGovernmentId" type="radio" value="(\d+)"( checked)?>/g,
        ),
      ].map(([, id, checked]) => ({ id: Number(id), checked: !!checked }));
    const page = (await lier.get(`/aanvragers/${lierApplicant}`).expect(200)).text;
    expect(page).toContain('id="member-search"');
    expect(page).not.toContain('name="localGovernmentId"');
    const members: number[] = (await t.dataSource.query(`SELECT local_government_id FROM applicant_member WHERE applicant_id = $1`, [lierApplicant])).map(
      (m: { local_government_id: number }) => m.local_government_id,
    );
    const [{ project_start: validOn }] = await t.dataSource.query(
      `SELECT to_char(c.project_start, 'YYYY-MM-DD') AS project_start FROM call c JOIN applicant a ON a.call_id = c.id WHERE a.id = $1`,
      [lierApplicant],
    );
    // What the page should find for a part of a name (any case) or the start of a NIS code: counted here in SQL.
    const expected = async (where: string, value: string) =>
      (
        await t.dataSource.query(
          `SELECT id FROM local_government WHERE kind = 'municipality' AND ${where} AND id <> ALL($2::integer[])
              AND (valid_from IS NULL OR valid_from <= $3::date) AND (valid_until IS NULL OR valid_until >= $3::date)
            ORDER BY nis_code, name_nl, id`,
          [value, members, validOn],
        )
      ).map((r: { id: number }) => r.id);

    const byName = await expected(`lower(name_nl) LIKE $1`, '%berg%');
    expect(byName.length).toBeGreaterThan(0);
    expect(byName.length).toBeLessThanOrEqual(20);
    const found = (await lier.get(`/aanvragers/${lierApplicant}?lid=BERG`).expect(200)).text;
    expect(radios(found).map((r) => r.id)).toEqual(byName);
    expect(found).toContain(`Kies de gemeente (${byName.length} gevonden voor ‘BERG’)`);
    expect(found).toContain('<input type="hidden" name="lid" value="BERG">');

    const byNis = await expected(`nis_code LIKE $1`, '1%');
    expect(byNis.length).toBeGreaterThan(20);
    const many = (await lier.get(`/aanvragers/${lierApplicant}?lid=1`).expect(200)).text;
    expect(radios(many).map((r) => r.id)).toEqual(byNis.slice(0, 20));
    expect(many).toContain(`Kies de gemeente (${byNis.length} gevonden voor ‘1’)`);
    expect(many).toContain('De eerste 20 staan hieronder');

    // The members themselves are never offered; a search that finds nothing says so.
    const [{ name_nl: memberName }] = await t.dataSource.query(`SELECT name_nl FROM local_government WHERE id = $1`, [members[0]]);
    expect(radios((await lier.get(`/aanvragers/${lierApplicant}?lid=${encodeURIComponent(memberName)}`).expect(200)).text).map((r) => r.id)).not.toContain(
      members[0],
    );
    const none = (await lier.get(`/aanvragers/${lierApplicant}?lid=${encodeURIComponent('<b>geen')}`).expect(200)).text;
    expect(none).toContain('Geen gemeente gevonden voor ‘&lt;b&gt;geen');
    expect(radios(none)).toEqual([]);
    // VGC and De Rand are not municipalities: not offered as members.
    expect(radios((await lier.get(`/aanvragers/${lierApplicant}?lid=Gemeenschapscommissie`).expect(200)).text)).toEqual([]);
  });

  it('refuses a search that is too long or repeated on the search field, and a refused choice shows the matches again; nothing changes', async () => {
    const lier = await signIn(t, 'medewerker@lier.demo');
    const before = await snapshot(t.dataSource, TABLES);
    for (const query of [`lid=${'a'.repeat(101)}`, 'lid=a&lid=b']) {
      const refused = await lier.get(`/aanvragers/${lierApplicant}?${query}`).expect(400);
      expect(refused.text).toContain('href="#member-search"');
      expect(refused.text).toContain('Een zoekterm mag hoogstens 100 tekens hebben');
    }
    const page = (await lier.get(`/aanvragers/${lierApplicant}?lid=berg`).expect(200)).text;
    const version = /name="version" value="(\d+)"/.exec(page)![1];
    const noChoice = await lier
      .post(`/aanvragers/${lierApplicant}/leden`)
      .type('form')
      .send({ _csrf: csrfFrom(page), version, lid: 'berg' })
      .expect(422);
    expect(noChoice.text).toContain('href="#member-localGovernmentId"');
    expect(noChoice.text).toContain('id="member-localGovernmentId"');
    expect(noChoice.text).toContain('<input type="hidden" name="lid" value="berg">');
    // Without the search there is nothing to choose from on the page: the error points at the search field.
    const noSearch = await lier
      .post(`/aanvragers/${lierApplicant}/leden`)
      .type('form')
      .send({ _csrf: csrfFrom(page), version })
      .expect(422);
    expect(noSearch.text).toContain('href="#member-search"');
    expect(noSearch.text).not.toContain('href="#member-localGovernmentId"');
    expect(await snapshot(t.dataSource, TABLES)).toEqual(before);
  });

  it('offers the local governments in the selects of the forms and the provinces in the filters, kept between requests until a local government changes', async () => {
    const options = (html: string, select: string) =>
      [...new RegExp(`id="${select}"[^>]*>([\\s\\S]*?)</select>`).exec(html)![1].matchAll(/<option value="(\d*)"( selected)?>([^<]*)<\/option>/g)].map(
        ([, id, selected, label]) => ({ id, selected: !!selected, label }),
      );
    const admin = await signIn(t, 'beheerder@abb.demo');
    const [{ id: gent }] = await t.dataSource.query(`SELECT id FROM local_government WHERE nis_code = '44021'`);
    const [{ n: all }] = await t.dataSource.query(`SELECT count(*)::int AS n FROM local_government`);

    const userForm = options((await admin.get('/beheer/gebruikers/nieuw').expect(200)).text, 'localGovernmentId');
    expect(userForm).toHaveLength(all + 1); // and "none"
    expect(userForm).toContainEqual({ id: String(gent), selected: false, label: 'Gent (44021)' });
    const leads = options((await admin.get(`/aanvragers/nieuw?projectjaar=1&trekker=${gent}`).expect(200)).text, 'trekker');
    expect(leads.filter((o) => o.selected)).toEqual([{ id: String(gent), selected: true, label: 'Gent (44021)' }]);
    // A renamed local government, with characters that must be escaped, shows on the next request of every form.
    await t.dataSource.query(`UPDATE local_government SET name_nl = 'Gent <b>&</b>' WHERE id = $1`, [gent]);
    // So is a province of its own, in the province filter of the lists (kept between requests the same way).
    expect((await admin.get('/lokale-besturen').expect(200)).text).not.toContain('<option value="Proefprovincie"');
    await t.dataSource.query(`UPDATE local_government SET province_nl = 'Proefprovincie' WHERE id = $1`, [gent]);
    try {
      expect((await admin.get('/lokale-besturen').expect(200)).text).toContain('<option value="Proefprovincie">Proefprovincie</option>');
      const renamed = 'Gent &lt;b&gt;&amp;&lt;/b&gt; (44021)';
      expect((await admin.get('/beheer/gebruikers/nieuw').expect(200)).text).toContain(`<option value="${gent}">${renamed}</option>`);
      expect((await admin.get(`/aanvragers/nieuw?projectjaar=1&trekker=${gent}`).expect(200)).text).toContain(
        `<option value="${gent}" selected>${renamed}</option>`,
      );
    } finally {
      await t.dataSource.query(`UPDATE local_government SET name_nl = 'Gent', province_nl = 'Oost-Vlaanderen' WHERE id = $1`, [gent]);
    }
    expect((await admin.get('/lokale-besturen').expect(200)).text).not.toContain('Proefprovincie');
    expect(options((await admin.get('/beheer/gebruikers/nieuw').expect(200)).text, 'localGovernmentId')).toEqual(userForm);
  });

  it('summarises contact errors at the top, linked to each field, and keeps what was typed; nothing is saved', async () => {
    const lier = await signIn(t, 'medewerker@lier.demo');
    const page = await lier.get(`/aanvragers/${lierApplicant}`).expect(200);
    const version = /name="version" value="(\d+)"/.exec(page.text)![1];
    const before = await snapshot(t.dataSource, TABLES);
    const res = await lier
      .post(`/aanvragers/${lierApplicant}/contact`)
      .type('form')
      .send({ _csrf: csrfFrom(page.text), version, contactName: 'Lode', contactEmail: 'lode@lier', contactPhone: '12', payoutIban: 'BE68 5390 0754 7035' })
      .expect(422);
    expect(res.text).toContain('href="#contact-contactEmail"');
    expect(res.text).toContain('href="#contact-contactPhone"');
    expect(res.text).toContain('BE68 5390 0754 7035');
    expect(await snapshot(t.dataSource, TABLES)).toEqual(before);

    const saved = await lier
      .post(`/aanvragers/${lierApplicant}/contact`)
      .type('form')
      .send({
        _csrf: csrfFrom(page.text),
        version,
        contactName: 'Lode Peeters',
        contactEmail: 'lode@lier.demo',
        contactPhone: '03 800 05 00',
        payoutIban: 'BE68 5390 0754 7034',
      })
      .expect(303);
    expect(saved.headers.location).toBe(`/aanvragers/${lierApplicant}#contact`);
    const after = await lier.get(`/aanvragers/${lierApplicant}`).expect(200);
    expect(after.text).toContain('De contactgegevens zijn opgeslagen.');
    expect(after.text).toContain('Voeg een bevestigingsbrief toe');
    const stale = await lier
      .post(`/aanvragers/${lierApplicant}/contact`)
      .type('form')
      .send({
        _csrf: csrfFrom(page.text),
        version,
        contactName: 'Oud',
        contactEmail: 'oud@lier.demo',
        contactPhone: '03 800 05 00',
        payoutIban: 'BE68 5390 0754 7034',
      })
      .expect(409);
    expect(stale.text).toContain('intussen door iemand anders gewijzigd');
  });

  it('uploads the confirmation letter through a multipart form with the CSRF token as a form field', async () => {
    const lier = await signIn(t, 'medewerker@lier.demo');
    const page = await lier.get(`/aanvragers/${lierApplicant}`).expect(200);
    const action = `/aanvragers/${lierApplicant}/brief`;
    expect(page.text).toContain(`action="${action}"`);
    const csrf = csrfFrom(page.text);
    const refused = await lier
      .post(action)
      .field('_csrf', csrf)
      .attach('letter', Buffer.from('geen pdf'), { filename: 'brief.pdf', contentType: 'application/pdf' })
      .expect(422);
    expect(refused.text).toContain('href="#letter-letter"');
    await lier.post(action).attach('letter', ONE_PAGE_PDF, { filename: 'brief.pdf', contentType: 'application/pdf' }).expect(403);
    await lier
      .post(`${action}?_csrf=${encodeURIComponent(csrf)}`)
      .attach('letter', ONE_PAGE_PDF, { filename: 'brief.pdf', contentType: 'application/pdf' })
      .expect(403);
    // An Authorization header that is no token sign-in does not excuse a session's form from its CSRF token.
    await lier
      .post(action)
      .set('Authorization', 'Basic eDp4')
      .attach('letter', ONE_PAGE_PDF, { filename: 'brief.pdf', contentType: 'application/pdf' })
      .expect(403);
    await lier.post(action).field('_csrf', csrf).attach('letter', ONE_PAGE_PDF, { filename: 'brief.pdf', contentType: 'application/pdf' }).expect(303);
    expect((await lier.get(`/aanvragers/${lierApplicant}`).expect(200)).text).toContain('Opgeladen: brief.pdf');
  });

  it('adds an own partner and links one from the assortment through the forms', async () => {
    const lier = await signIn(t, 'medewerker@lier.demo');
    const page = await lier.get(`/aanvragers/${lierApplicant}`).expect(200);
    const csrf = csrfFrom(page.text);
    const refused = await lier
      .post(`/aanvragers/${lierApplicant}/partners`)
      .type('form')
      .send({ _csrf: csrf, name: 'Buurtwerk Lier', offer: 'free', kboNumber: '123' })
      .expect(422);
    expect(refused.text).toContain('href="#partner-actionNumbers"');
    await lier
      .post(`/aanvragers/${lierApplicant}/partners`)
      .type('form')
      .send({ _csrf: csrf, name: 'Buurtwerk Lier', offer: 'free', actionNumbers: ['5', '13'] })
      .expect(303);
    const [agii] = await t.dataSource.query(`SELECT id FROM partner WHERE name LIKE '%AgII%'`);
    await lier
      .post(`/aanvragers/${lierApplicant}/partnerkoppelingen`)
      .type('form')
      .send({ _csrf: csrf, partnerId: String(agii.id), actionNumber: '5' })
      .expect(303);
    const after = (await lier.get(`/aanvragers/${lierApplicant}`).expect(200)).text;
    expect(after).toContain('Buurtwerk Lier (gratis, eigen partner)');
    expect(after).toContain('Agentschap Integratie en Inburgering (AgII) (gratis)');
  });

  it('registers a cooperation in two steps as ABB, and refuses one across regions with the reason', async () => {
    const abb = await signIn(t, 'beoordelaar@abb.demo');
    const ids = new Map<string, number>(
      (await t.dataSource.query(`SELECT id, nis_code FROM local_government WHERE nis_code IS NOT NULL`)).map((r: { id: number; nis_code: string }) => [
        r.nis_code,
        r.id,
      ]),
    );
    const step2 = await abb.get(`/aanvragers/nieuw?projectjaar=2&soort=cooperation&trekker=${ids.get('13001')}`).expect(200);
    expect(step2.text).toContain('Baarle-Hertog (13002)');
    expect(step2.text).not.toContain(`name="memberLocalGovernmentIds" type="checkbox" value="${ids.get('12005')}"`);
    const before = await snapshot(t.dataSource, TABLES);
    const refused = await abb
      .post('/aanvragers')
      .type('form')
      .send({
        _csrf: csrfFrom(step2.text),
        year: '2',
        kind: 'cooperation',
        leadLocalGovernmentId: String(ids.get('13001')),
        memberLocalGovernmentIds: String(ids.get('12005')),
      })
      .expect(422);
    expect(refused.text).toContain('referentieregio');
    expect(refused.text).toContain('href="#memberLocalGovernmentIds"');
    expect(await snapshot(t.dataSource, TABLES)).toEqual(before);
    const members = ['13002', '13003', '13004', '13006', '13008', '13010'].map((nis) => String(ids.get(nis)));
    const done = await abb
      .post('/aanvragers')
      .type('form')
      .send({
        _csrf: csrfFrom(step2.text),
        year: '2',
        kind: 'cooperation',
        leadLocalGovernmentId: String(ids.get('13001')),
        memberLocalGovernmentIds: members,
        nameNl: 'Kempen Samen',
      });
    expect([303, 422]).toContain(done.status);
    if (done.status === 303) expect((await abb.get(done.headers.location).expect(200)).text).toContain('Kempen Samen is geregistreerd.');
    else expect(done.text).toContain('de drempel is meer dan 7.500');
  });

  it('renders the eligibility overview of all 300 municipalities a page at a time, filterable by province and region', async () => {
    const abb = await signIn(t, 'beoordelaar@abb.demo');
    const all = await abb.get('/beheer/subsidiabiliteit?projectjaar=3').expect(200);
    expect(all.text.match(/<tr class="govuk-table__row">/g)).toHaveLength(51);
    expect(all.text).toContain('1 tot 50 van 300');
    const limburg = await abb.get('/beheer/subsidiabiliteit?projectjaar=3&provincie=Limburg').expect(200);
    expect(limburg.text).toContain('Hasselt');
    expect(limburg.text).not.toContain('>Gent<');
    await (await signIn(t, 'medewerker@gent.demo')).get('/beheer/subsidiabiliteit').expect(403);
  });

  it('lists the partner assortment and lets an ABB administrator add to it', async () => {
    const admin = await signIn(t, 'beheerder@abb.demo');
    const page = await admin.get('/beheer/partners').expect(200);
    expect(page.text).toContain('alle acties');
    const bad = await admin
      .post('/beheer/partners')
      .type('form')
      .send({ _csrf: csrfFrom(page.text), name: 'Vzw Test', kboNumber: '0207.437.469', offer: 'paid', actionNumbers: '5' })
      .expect(422);
    expect(bad.text).toContain('href="#partner-kboNumber"');
    await admin
      .post('/beheer/partners')
      .type('form')
      .send({ _csrf: csrfFrom(page.text), name: 'Vzw Test', kboNumber: '0207.437.468', offer: 'paid', actionNumbers: '5' })
      .expect(303);
    expect((await admin.get('/beheer/partners').expect(200)).text).toContain('0207.437.468');
  });
});
