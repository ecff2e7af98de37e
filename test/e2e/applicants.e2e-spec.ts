import { createHash } from 'node:crypto';
import request from 'supertest';
import { OrganisationsService } from '@ps/organisations';
import { auditOf, bearerFor } from '../support/sessions';
import { snapshot, startTestApp, TestApp } from '../support/test-app';
import { ONE_PAGE_PDF } from '../support/pdf';
import { wholeCoverage } from '../support/coverage';

const TABLES = ['applicant', 'applicant_member', 'partner', 'partner_action', 'applicant_partner', 'applicant_document', 'audit_event'];
const PDF = ONE_PAGE_PDF;

describe('applicants: cooperations, eligibility, partners, contact and payout account', () => {
  let t: TestApp;
  let abb: string;
  let admin: string;
  let lier: string;
  let gent: string;
  const ids = new Map<string, number>();
  const lg = (nis: string) => ids.get(nis)!;
  const as = (token: string) => ({ Authorization: `Bearer ${token}` });

  beforeAll(async () => {
    t = await startTestApp();
    [abb, admin, lier, gent] = await Promise.all(
      ['beoordelaar@abb.demo', 'beheerder@abb.demo', 'medewerker@lier.demo', 'medewerker@gent.demo'].map((e) => bearerFor(t, e)),
    );
    for (const row of await t.dataSource.query(`SELECT id, coalesce(nis_code, kind) AS key FROM local_government`)) ids.set(row.key, row.id);
    // Known figures for call 2 (2022, niet-EU-14): Arendonk + Baarle-Hertog = 7,500; + Beerse = 7,501 (all in Demoregio Turnhout).
    await t.app
      .get(OrganisationsService)
      .importStatistics(
        'nis_code,reference_year,origin_definition,residents\n13001,2022,niet-EU-14,5000\n13002,2022,niet-EU-14,2500\n13004,2022,niet-EU-14,1\n13006,2022,niet-EU-14,3000\n12005,2022,niet-EU-14,9000\n',
      );
  });
  afterAll(() => t.close());

  const register = (token: string, body: object) =>
    request(t.http)
      .post('/api/v1/applicants')
      .set(as(token))
      .send({ year: 2, ...body });

  it('refuses a cooperation at the threshold with the reason in Dutch, and changes nothing', async () => {
    const before = await snapshot(t.dataSource, TABLES);
    const res = await register(abb, { kind: 'cooperation', leadLocalGovernmentId: lg('13001'), memberLocalGovernmentIds: [lg('13002')] }).expect(422);
    expect(res.body.errors.memberLocalGovernmentIds).toEqual(['Samen 7.500 inwoners van niet-EU-14-herkomst (2022); de drempel is meer dan 7.500.']);
    expect(await snapshot(t.dataSource, TABLES)).toEqual(before);
  });

  it('refuses a cooperation spanning two reference regions with the reason, and changes nothing', async () => {
    const before = await snapshot(t.dataSource, TABLES);
    const res = await register(abb, { kind: 'cooperation', leadLocalGovernmentId: lg('13001'), memberLocalGovernmentIds: [lg('12005')] }).expect(422);
    const [reason] = res.body.errors.memberLocalGovernmentIds;
    expect(reason).toMatch(/^De leden liggen in 2 referentieregio's /);
    expect(reason).toContain('Demoregio Turnhout (fictief): Arendonk');
    expect(reason).toContain('Demoregio Mechelen (fictief): Bonheiden');
    expect(await snapshot(t.dataSource, TABLES)).toEqual(before);
  });

  let cooperationId: number;
  it('registers an eligible cooperation (by ABB), with every member, audited', async () => {
    const res = await register(abb, {
      kind: 'cooperation',
      leadLocalGovernmentId: lg('13001'),
      memberLocalGovernmentIds: [lg('13002'), lg('13004')],
      nameNl: 'Samenwerking Noorderkempen',
    }).expect(201);
    cooperationId = res.body.id;
    expect(res.body).toMatchObject({
      nameNl: 'Samenwerking Noorderkempen',
      kind: 'cooperation',
      version: 1,
      eligibility: { eligible: true, totalResidents: 7501 },
    });
    expect(res.body.members.map((m: { nameNl: string; lead: boolean }) => [m.nameNl, m.lead])).toEqual([
      ['Arendonk', true],
      ['Baarle-Hertog', false],
      ['Beerse', false],
    ]);
    expect((await auditOf(t.dataSource, 'applicant', cooperationId)).map((a: { action: string }) => a.action)).toEqual(['registered']);
  });

  it('answers 409 naming the cooperation when a member is already in another one, and changes nothing', async () => {
    const before = await snapshot(t.dataSource, TABLES);
    const res = await register(abb, { kind: 'cooperation', leadLocalGovernmentId: lg('13006'), memberLocalGovernmentIds: [lg('13002')] }).expect(409);
    expect(res.body.message).toBe('Baarle-Hertog neemt in dit projectjaar al deel aan "Samenwerking Noorderkempen".');
    expect(res.body.cooperation).toBe('Samenwerking Noorderkempen');
    expect(await snapshot(t.dataSource, TABLES)).toEqual(before);
  });

  it('lets the lead officer register only with their own local government as lead', async () => {
    const before = await snapshot(t.dataSource, TABLES);
    await register(lier, { kind: 'alone', leadLocalGovernmentId: lg('44021') }).expect(403);
    expect(await snapshot(t.dataSource, TABLES)).toEqual(before);
  });

  it('in year 3 accepts only applicants that continue one of the year before', async () => {
    const before = await snapshot(t.dataSource, TABLES);
    const res = await request(t.http)
      .post('/api/v1/applicants')
      .set(as(abb))
      .send({ year: 3, kind: 'alone', leadLocalGovernmentId: lg('12005') })
      .expect(422);
    expect(Object.keys(res.body.errors)).toEqual(['carriedOverFromId']);
    expect(await snapshot(t.dataSource, TABLES)).toEqual(before);
  });

  it('adds and removes members under optimistic locking; a stale version gets 409', async () => {
    const added = await request(t.http)
      .post(`/api/v1/applicants/${cooperationId}/members`)
      .set(as(abb))
      .send({ localGovernmentId: lg('13006'), version: 1 })
      .expect(200);
    expect(added.body.version).toBe(2);
    expect(added.body.eligibility.totalResidents).toBe(10501);
    const before = await snapshot(t.dataSource, TABLES);
    await request(t.http)
      .delete(`/api/v1/applicants/${cooperationId}/members/${lg('13006')}?version=1`)
      .set(as(abb))
      .expect(409);
    await request(t.http)
      .delete(`/api/v1/applicants/${cooperationId}/members/${lg('13001')}?version=2`)
      .set(as(abb))
      .expect(422);
    expect(await snapshot(t.dataSource, TABLES)).toEqual(before);
    const removed = await request(t.http)
      .delete(`/api/v1/applicants/${cooperationId}/members/${lg('13006')}?version=2`)
      .set(as(abb))
      .expect(200);
    expect(removed.body.members).toHaveLength(3);
    expect((await auditOf(t.dataSource, 'applicant', cooperationId)).map((a: { action: string }) => a.action)).toEqual([
      'registered',
      'member-added',
      'member-removed',
    ]);
  });

  it('refuses adding a local government of another cooperation with 409, and one of another region with 422', async () => {
    const lierCoop = (await request(t.http).get('/api/v1/applicants?year=3').set(as(abb)).expect(200)).body.items.find((a: { nameNl: string }) =>
      a.nameNl.startsWith('Samenwerkingsverband Lier'),
    );
    const detail = (await request(t.http).get(`/api/v1/applicants/${lierCoop.id}`).set(as(lier)).expect(200)).body;
    const before = await snapshot(t.dataSource, TABLES);
    const taken = await request(t.http)
      .post(`/api/v1/applicants/${lierCoop.id}/members`)
      .set(as(lier))
      .send({ localGovernmentId: lg('23098'), version: detail.version })
      .expect(409);
    expect(taken.body.message).toContain('vzw De Rand en de faciliteitengemeenten');
    const region = await request(t.http)
      .post(`/api/v1/applicants/${lierCoop.id}/members`)
      .set(as(lier))
      .send({ localGovernmentId: lg('13006'), version: detail.version })
      .expect(422);
    expect(region.body.errors.memberLocalGovernmentIds[0]).toMatch(/referentieregio/);
    expect(await snapshot(t.dataSource, TABLES)).toEqual(before);
  });

  describe('contact person and payout account', () => {
    it('refuses an invalid e-mail, phone and IBAN per field, and changes nothing', async () => {
      const before = await snapshot(t.dataSource, TABLES);
      const shape = await request(t.http)
        .put(`/api/v1/applicants/${cooperationId}/contact`)
        .set(as(abb))
        .send({ contactName: 'A', contactEmail: 'geen-mail', contactPhone: '1', payoutIban: 'BE00', version: 2 })
        .expect(422);
      expect(Object.keys(shape.body.errors).sort()).toEqual(['contactEmail', 'contactName', 'contactPhone', 'payoutIban']);
      const checks = await request(t.http)
        .put(`/api/v1/applicants/${cooperationId}/contact`)
        .set(as(abb))
        .send({ contactName: 'An Peeters', contactEmail: 'an@arendonk.demo', contactPhone: '014 12 34 5', payoutIban: 'BE68 5390 0754 7035', version: 3 })
        .expect(422);
      expect(Object.keys(checks.body.errors).sort()).toEqual(['contactPhone', 'payoutIban']);
      expect(await snapshot(t.dataSource, TABLES)).toEqual(before);
    });

    it('stores a valid contact, normalised; an account other than the usual one needs the signed letter', async () => {
      const res = await request(t.http)
        .put(`/api/v1/applicants/${cooperationId}/contact`)
        .set(as(abb))
        .send({ contactName: 'An Peeters', contactEmail: 'an@arendonk.demo', contactPhone: '014 12 34 56', payoutIban: 'be68 5390 0754 7034', version: 3 })
        .expect(200);
      expect(res.body.contact).toEqual({ name: 'An Peeters', email: 'an@arendonk.demo', phone: '+3214123456', iban: 'BE68539007547034' });
      expect(res.body.ibanLetterRequired).toBe(true);
      const gentApplicant = (await request(t.http).get('/api/v1/applicants').set(as(gent)).expect(200)).body.items[0];
      const gentDetail = (await request(t.http).get(`/api/v1/applicants/${gentApplicant.id}`).set(as(gent)).expect(200)).body;
      const usual = await request(t.http)
        .put(`/api/v1/applicants/${gentApplicant.id}/contact`)
        .set(as(gent))
        .send({
          contactName: 'Griet',
          contactEmail: 'griet@gent.demo',
          contactPhone: '09 266 55 00',
          payoutIban: 'BE68539007547034',
          version: gentDetail.version,
        })
        .expect(200);
      expect(usual.body.ibanLetterRequired).toBe(false);
    });

    it('accepts the confirmation letter as PDF only, within the size limit, stored with its checksum', async () => {
      const before = await snapshot(t.dataSource, TABLES);
      await request(t.http)
        .post(`/api/v1/applicants/${cooperationId}/iban-letter`)
        .set(as(abb))
        .attach('letter', Buffer.from('GIF89a not a pdf'), { filename: 'brief.pdf', contentType: 'application/pdf' })
        .expect(422);
      await request(t.http)
        .post(`/api/v1/applicants/${cooperationId}/iban-letter`)
        .set(as(abb))
        .attach('letter', PDF, { filename: 'brief.txt', contentType: 'text/plain' })
        .expect(422);
      await request(t.http)
        .post(`/api/v1/applicants/${cooperationId}/iban-letter`)
        .set(as(abb))
        .attach('letter', Buffer.concat([PDF, Buffer.alloc(5 * 1024 * 1024)]), { filename: 'groot.pdf', contentType: 'application/pdf' })
        .expect(413);
      await request(t.http).post(`/api/v1/applicants/${cooperationId}/iban-letter`).set(as(abb)).expect(422);
      expect(await snapshot(t.dataSource, TABLES)).toEqual(before);
      const res = await request(t.http)
        .post(`/api/v1/applicants/${cooperationId}/iban-letter`)
        .set(as(abb))
        .attach('letter', PDF, { filename: 'bevestiging IBAN.pdf', contentType: 'application/pdf' })
        .expect(201);
      expect(res.body).toMatchObject({
        filename: 'bevestiging IBAN.pdf',
        sizeBytes: PDF.length,
        sha256: createHash('sha256').update(PDF).digest('hex'),
      });
      const download = await request(t.http)
        .get(`/api/v1/applicants/${cooperationId}/iban-letter`)
        .set(as(abb))
        .buffer(true)
        .parse((res, cb) => {
          const chunks: Buffer[] = [];
          res.on('data', (c: Buffer) => chunks.push(c));
          res.on('end', () => cb(null, Buffer.concat(chunks)));
        })
        .expect(200);
      expect(Buffer.compare(download.body, PDF)).toBe(0);
    });
  });

  describe('partners', () => {
    it('offers AgII as a free partner on every action', async () => {
      const assortment = (await request(t.http).get('/api/v1/partners').set(as(abb)).expect(200)).body;
      const agii = assortment.find((p: { name: string }) => p.name.includes('AgII'));
      expect(agii).toMatchObject({ offer: 'free', applicantId: null });
      expect(agii.actionNumbers).toEqual(Array.from({ length: 24 }, (_, i) => i + 1));
    });

    it('lets ABB add an assortment partner with a checked KBO number; a bad one is refused per field', async () => {
      const before = await snapshot(t.dataSource, TABLES);
      const bad = await request(t.http)
        .post('/api/v1/partners')
        .set(as(admin))
        .send({ name: 'Vzw Voorbeeld', kboNumber: '0207.437.469', offer: 'paid', actionNumbers: [5] })
        .expect(422);
      expect(Object.keys(bad.body.errors)).toEqual(['kboNumber']);
      await request(t.http)
        .post('/api/v1/partners')
        .set(as(abb))
        .send({ name: 'Vzw Voorbeeld', kboNumber: '0207.437.468', offer: 'paid', actionNumbers: [5] })
        .expect(403);
      expect(await snapshot(t.dataSource, TABLES)).toEqual(before);
      const ok = await request(t.http)
        .post('/api/v1/partners')
        .set(as(admin))
        .send({ name: 'Vzw Voorbeeld', kboNumber: '0207.437.468', offer: 'paid', actionNumbers: [5, 13], contactEmail: 'info@voorbeeld.demo' })
        .expect(201);
      expect(ok.body).toMatchObject({ kboNumber: '0207437468', actionNumbers: [5, 13] });
      await request(t.http)
        .post('/api/v1/partners')
        .set(as(admin))
        .send({ name: 'Dubbel', kboNumber: '0207437468', offer: 'free', actionNumbers: [5] })
        .expect(409);
    });

    it('adds an own partner and links and unlinks partners to actions, each change audited', async () => {
      const own = await request(t.http)
        .post(`/api/v1/applicants/${cooperationId}/partners`)
        .set(as(abb))
        .send({ name: 'Buurtwerk Kempen', offer: 'free', actionNumbers: [5, 22] })
        .expect(201);
      const assortment = (await request(t.http).get('/api/v1/partners').set(as(abb)).expect(200)).body;
      const voorbeeld = assortment.find((p: { name: string }) => p.name === 'Vzw Voorbeeld');
      const linked = await request(t.http)
        .post(`/api/v1/applicants/${cooperationId}/partner-links`)
        .set(as(abb))
        .send({ partnerId: voorbeeld.id, actionNumber: 5 })
        .expect(201);
      expect(linked.body.map((l: { partnerName: string; actionNumber: number }) => `${l.actionNumber} ${l.partnerName}`)).toEqual([
        '5 Buurtwerk Kempen',
        '5 Vzw Voorbeeld',
        '22 Buurtwerk Kempen',
      ]);

      const before = await snapshot(t.dataSource, TABLES);
      await request(t.http)
        .post(`/api/v1/applicants/${cooperationId}/partner-links`)
        .set(as(abb))
        .send({ partnerId: voorbeeld.id, actionNumber: 7 })
        .expect(422);
      await request(t.http)
        .post(`/api/v1/applicants/${cooperationId}/partner-links`)
        .set(as(abb))
        .send({ partnerId: voorbeeld.id, actionNumber: 5 })
        .expect(409);
      await request(t.http)
        .post(`/api/v1/applicants/${cooperationId}/partners`)
        .set(as(abb))
        .send({ name: 'X', offer: 'gratis', actionNumbers: [] })
        .expect(422);
      expect(await snapshot(t.dataSource, TABLES)).toEqual(before);

      await request(t.http).delete(`/api/v1/applicants/${cooperationId}/partner-links/${own.body.id}/5`).set(as(abb)).expect(200);
      const after = await request(t.http).delete(`/api/v1/applicants/${cooperationId}/partner-links/${own.body.id}/22`).set(as(abb)).expect(200);
      expect(after.body.map((l: { partnerName: string }) => l.partnerName)).toEqual(['Vzw Voorbeeld']);
      expect(await t.dataSource.query(`SELECT id FROM partner WHERE id = $1`, [own.body.id])).toEqual([]);
      const actions = (await auditOf(t.dataSource, 'applicant', cooperationId)).map((a: { action: string }) => a.action);
      expect(actions.slice(-4)).toEqual(['partner-added', 'partner-linked', 'partner-unlinked', 'partner-unlinked']);
    });

    it('keeps officers of other local governments out of an applicant: 404, nothing changed', async () => {
      const before = await snapshot(t.dataSource, TABLES);
      await request(t.http).get(`/api/v1/applicants/${cooperationId}`).set(as(gent)).expect(404);
      await request(t.http)
        .post(`/api/v1/applicants/${cooperationId}/partners`)
        .set(as(gent))
        .send({ name: 'Indringer', offer: 'free', actionNumbers: [5] })
        .expect(404);
      await request(t.http)
        .put(`/api/v1/applicants/${cooperationId}/contact`)
        .set(as(gent))
        .send({ contactName: 'X Y', contactEmail: 'x@y.demo', contactPhone: '09 266 55 00', payoutIban: 'BE68539007547034', version: 4 })
        .expect(404);
      expect(await snapshot(t.dataSource, TABLES)).toEqual(before);
    });
  });

  it('gives an eligibility overview of all 300 municipalities for a call, filterable by province and region', async () => {
    const all = await wholeCoverage(t.http, 'year=2', as(abb));
    expect(all).toHaveLength(300);
    const byNis = new Map(all.map((r) => [r.nisCode, r]));
    expect(byNis.get('13002')).toMatchObject({ status: 'cooperation', applicantNameNl: 'Samenwerking Noorderkempen' });
    expect(byNis.get('12005')).toMatchObject({ status: 'eligible-alone', residents: 9000 });
    expect(byNis.get('13006')).toMatchObject({ status: 'not-covered', residents: 3000 });
    const antwerp = await wholeCoverage(t.http, 'year=2&province=Antwerpen', as(abb));
    expect(antwerp.length).toBeGreaterThan(50);
    expect(antwerp.every((r) => r.provinceNl === 'Antwerpen')).toBe(true);
    const region = byNis.get('13001')!;
    const turnhout = await wholeCoverage(t.http, `year=2&region=${region.regionId}`, as(abb));
    expect(turnhout.every((r) => r.regionId === region.regionId)).toBe(true);
    await request(t.http).get('/api/v1/eligibility?year=2').set(as(gent)).expect(403);
  });
});
