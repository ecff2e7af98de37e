import request from 'supertest';
import { snapshot } from '../support/test-app';
import { ApplicantFixture, DECISION_LETTER_SETTINGS, Factories, startFactories } from '../support/factories';

/**
 * Issue 24: a call's menu decides which actions an applicant links partners to. Year 4 adds action 25 and retires
 * action 24: its applicants link partners to 25 and not to 24; year 3's applicants the other way round.
 */
describe('partners on the actions of each call', () => {
  let f: Factories;
  let admin: string;
  let three: ApplicantFixture;
  let four: ApplicantFixture;
  const TABLES = ['partner', 'partner_action', 'applicant_partner', 'audit_event'];
  const as = (token: string) => ({ Authorization: `Bearer ${token}` });
  const addPartner = (applicant: ApplicantFixture, actionNumbers: number[]) =>
    request(f.http).post(`/api/v1/applicants/${applicant.id}/partners`).set(as(admin)).send({ name: 'Buurtwerk', offer: 'free', actionNumbers });
  const expectRefused = async (call: () => request.Test, field: string, message: string) => {
    const before = await snapshot(f.dataSource, TABLES);
    const res = await call().expect(422);
    expect(res.body.errors).toEqual({ [field]: [message] });
    expect(await snapshot(f.dataSource, TABLES)).toEqual(before);
  };

  beforeAll(async () => {
    f = await startFactories({ http: true, now: new Date('2024-04-30T10:00:00Z') });
    admin = await f.bearer(await f.actors.administrator(), 800);
    three = await f.anApplicant(await f.aCall({ year: 3, settings: { onlyExistingApplicants: 'false' } }));
    f.clock.set(new Date('2025-04-30T10:00:00Z'));
    const api = (method: 'post' | 'patch', path: string, body: object, status = 200) => request(f.http)[method](path).set(as(admin)).send(body).expect(status);
    const version = async () => (await request(f.http).get('/api/v1/calls/4').set(as(admin)).expect(200)).body.version;
    await api('post', '/api/v1/calls', { fromYear: 3 }, 201);
    await api('post', '/api/v1/calls/4/actions', { version: await version(), objectiveCode: 'nederlands', titleNl: 'Taalcafés in de bibliotheek' }, 201);
    const line = { actionNumber: 25, descriptionNl: 'Deelnemers aan een taalcafé', unitNl: 'deelnemers', maxQuantity: 300, unitAmountEuro: '40' };
    await api('post', '/api/v1/calls/4/kpi-lines', { version: await version(), ...line }, 201);
    await api('post', '/api/v1/calls/4/actions/24/retire', { version: await version() });
    await api('patch', '/api/v1/calls/4', { version: await version(), onlyExistingApplicants: 'false', applicantsOfYear: '', ...DECISION_LETTER_SETTINGS });
    await api('post', '/api/v1/calls/4/publish', { version: await version() });
    four = await f.anApplicant(await f.callFixture(4), { lead: '46030' });
  }, 300_000);
  afterAll(() => f?.close());

  it('links a partner to a new action (25) of year 4 and unlinks it again', async () => {
    const partner = (await addPartner(four, [25, 5]).expect(201)).body;
    const links = async () =>
      (await request(f.http).get(`/api/v1/applicants/${four.id}/partners`).set(as(admin)).expect(200)).body.map(
        (l: { actionNumber: number; partnerName: string }) => `${l.actionNumber} ${l.partnerName}`,
      );
    expect(await links()).toEqual(['5 Buurtwerk', '25 Buurtwerk']);
    await request(f.http).delete(`/api/v1/applicants/${four.id}/partner-links/${partner.id}/25`).set(as(admin)).expect(200);
    expect(await links()).toEqual(['5 Buurtwerk']);
    await request(f.http).post(`/api/v1/applicants/${four.id}/partner-links`).set(as(admin)).send({ partnerId: partner.id, actionNumber: 25 }).expect(201);
    expect(await links()).toEqual(['5 Buurtwerk', '25 Buurtwerk']);
  });

  it('refuses an action outside the call menu in Dutch and changes nothing', async () => {
    const outside = (n: number) => `Actie ${n} staat niet in het menu van dit projectjaar; kies een actie uit de lijst.`;
    await expectRefused(() => addPartner(four, [25, 24]), 'actionNumbers', outside(24));
    await expectRefused(() => addPartner(three, [5, 25]), 'actionNumbers', outside(25));
    const [own] = await f.dataSource.query(`SELECT id FROM partner WHERE applicant_id = $1`, [four.id]);
    await expectRefused(
      () => request(f.http).post(`/api/v1/applicants/${four.id}/partner-links`).set(as(admin)).send({ partnerId: own.id, actionNumber: 24 }),
      'actionNumber',
      outside(24),
    );
    // Beyond any action number a call can have: refused by the route's bounds.
    const before = await snapshot(f.dataSource, TABLES);
    await request(f.http).delete(`/api/v1/applicants/${four.id}/partner-links/${own.id}/100`).set(as(admin)).expect(422);
    expect(await snapshot(f.dataSource, TABLES)).toEqual(before);
    // ABB's assortment serves every call: action 25 (year 4) is accepted, an action no call has is not.
    await expectRefused(
      () =>
        request(f.http)
          .post('/api/v1/partners')
          .set(as(admin))
          .send({ name: 'Vzw Taal', offer: 'free', actionNumbers: [25, 30] }),
      'actionNumbers',
      'Actie 30 bestaat niet; kies een actie uit de lijst.',
    );
    const assortment = (
      await request(f.http)
        .post('/api/v1/partners')
        .set(as(admin))
        .send({ name: 'Vzw Taal', offer: 'free', actionNumbers: [25] })
        .expect(201)
    ).body;
    expect(assortment.actionNumbers).toEqual([25]);
  });
});
