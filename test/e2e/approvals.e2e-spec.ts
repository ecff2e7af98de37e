import request from 'supertest';
import { cliActor, UsersService } from '@ps/identity';
import { OrganisationsService } from '@ps/organisations';
import { auditOf, bearerFor, csrfFrom, signIn } from '../support/sessions';
import { snapshot, startTestApp, TestApp } from '../support/test-app';
import { ONE_PAGE_PDF } from '../support/pdf';
import { wholeCoverage } from '../support/coverage';

const TABLES = ['applicant', 'applicant_member', 'applicant_document', 'application', 'application_line', 'application_action', 'audit_event'];
const NEW_IBAN = 'BE71096123456769';

/** Issue 8: approvals mean what they say. The walk uses the demo cooperation Lier-Duffel-Berlaar in the latest call. */
describe('approvals mean what they say', () => {
  let t: TestApp;
  let lier: string;
  let duffel: string;
  let reviewer: string;
  let admin: string;
  let gent: string;
  let applicantId: number;
  let applicationId: number;
  let year: number;
  const lines = new Map<string, number>();
  const as = (token: string) => ({ Authorization: `Bearer ${token}` });
  const application = async () => (await request(t.http).get(`/api/v1/applications/${applicationId}`).set(as(reviewer)).expect(200)).body;
  const applicant = async (id = applicantId) => (await request(t.http).get(`/api/v1/applicants/${id}`).set(as(reviewer)).expect(200)).body;
  const lg = async (nis: string): Promise<number> => (await t.dataSource.query(`SELECT id FROM local_government WHERE nis_code = $1`, [nis]))[0].id;
  const approve = async (body: object, status: number) =>
    request(t.http)
      .post(`/api/v1/applications/${applicationId}/approve`)
      .set(as(reviewer))
      .send({ version: (await application()).version, ...body })
      .expect(status);
  const allLines = () => [
    { kpiLineId: lines.get('5.1'), quantity: 8 },
    { kpiLineId: lines.get('9.1'), quantity: 2 },
  ];
  const decided = { mentorship: { granted: true }, impactBond: { granted: false, reason: 'Geen investeerder gevonden voor de obligatie.' } };

  beforeAll(async () => {
    t = await startTestApp();
    [lier, duffel, reviewer, admin, gent] = await Promise.all(
      ['medewerker@lier.demo', 'medewerker@duffel.demo', 'beoordelaar@abb.demo', 'beheerder@abb.demo', 'medewerker@gent.demo'].map((e) => bearerFor(t, e)),
    );
    [{ id: applicantId, year_number: year }] = await t.dataSource.query(
      `SELECT a.id, c.year_number FROM applicant a JOIN call c ON c.id = a.call_id WHERE a.name_nl LIKE 'Samenwerkingsverband Lier%'`,
    );
    // The call's amounts for mentorship (€2,500) and the social impact bond (€5,000), set before any submission.
    const call = (await request(t.http).get(`/api/v1/calls/${year}`).expect(200)).body;
    await request(t.http)
      .patch(`/api/v1/calls/${year}`)
      .set(as(admin))
      .send({ version: call.version, mentorshipStimulusEuro: 2500, impactBondStimulusEuro: 5000 })
      .expect(200);
    const detail = await applicant();
    await request(t.http)
      .put(`/api/v1/applicants/${applicantId}/contact`)
      .set(as(lier))
      .send({
        contactName: 'Lode Medewerker',
        contactEmail: 'lode@lier.demo',
        contactPhone: '03 800 05 00',
        payoutIban: 'BE68539007547034',
        version: detail.version,
      })
      .expect(200);
    await request(t.http)
      .post(`/api/v1/applicants/${applicantId}/iban-letter`)
      .set(as(lier))
      .attach('letter', ONE_PAGE_PDF, { filename: 'brief.pdf', contentType: 'application/pdf' })
      .expect(201);
    const draft = (await request(t.http).post(`/api/v1/applicants/${applicantId}/application`).set(as(lier)).expect(201)).body;
    applicationId = draft.id;
    for (const line of draft.lines) lines.set(`${line.actionNumber}.${line.position}`, line.id);
    await request(t.http)
      .put(`/api/v1/applications/${applicationId}`)
      .set(as(lier))
      .send({
        version: draft.version,
        lines: [
          { kpiLineId: lines.get('5.1'), plannedReach: 10, currentReach: 0 },
          { kpiLineId: lines.get('9.1'), plannedReach: 2, currentReach: 0 },
        ],
        priorities: [
          { actionNumber: 5, priority: 1 },
          { actionNumber: 9, priority: 2 },
        ],
        mentorship: { actionNumber: 5, motivation: 'Wij coachen de buurgemeenten in hun onthaalwerking.' },
        impactBond: { expertise: 'Ervaring met sociale economie', problem: 'Vroegtijdig schoolverlaten', actionNumbers: [9], learningNetwork: true },
      })
      .expect(200);
  });
  afterAll(() => t.close());

  describe('no one is bound without consent', () => {
    it('refuses the submission while a member is only invited; withdrawing the invitation lets it through', async () => {
      // A municipality of Lier's reference region that takes part nowhere in this call.
      const [peer] = await t.dataSource.query(
        `SELECT lg.id, lg.name_nl FROM local_government lg JOIN reference_region_member m ON m.local_government_id = lg.id
           JOIN reference_region_member own ON own.reference_region_id = m.reference_region_id JOIN local_government lier ON lier.id = own.local_government_id AND lier.nis_code = '12021'
          WHERE lg.id <> lier.id AND NOT EXISTS (SELECT 1 FROM applicant_member x JOIN applicant a ON a.id = x.applicant_id JOIN call c ON c.id = a.call_id WHERE x.local_government_id = lg.id AND c.year_number = $1)
          ORDER BY lg.name_nl LIMIT 1`,
        [year],
      );
      const invited = await request(t.http)
        .post(`/api/v1/applicants/${applicantId}/members`)
        .set(as(lier))
        .send({ localGovernmentId: peer.id, version: (await applicant()).version })
        .expect(200);
      expect(invited.body.members.find((m: { localGovernmentId: number }) => m.localGovernmentId === peer.id).state).toBe('invited');
      const before = await snapshot(t.dataSource, TABLES);
      const refused = await request(t.http)
        .post(`/api/v1/applications/${applicationId}/submit`)
        .set(as(lier))
        .send({ version: (await application()).version })
        .expect(422);
      expect(refused.body.errors.members[0]).toContain(`Nog niet bevestigd: ${peer.name_nl}.`);
      expect(await snapshot(t.dataSource, TABLES)).toEqual(before);
      await request(t.http).delete(`/api/v1/applicants/${applicantId}/members/${peer.id}?version=${invited.body.version}`).set(as(lier)).expect(200);
      const submitted = await request(t.http)
        .post(`/api/v1/applications/${applicationId}/submit`)
        .set(as(lier))
        .send({ version: (await application()).version })
        .expect(200);
      expect(submitted.body.status).toBe('ingediend');
      await request(t.http).post(`/api/v1/applications/${applicationId}/start-review`).set(as(reviewer)).send({ version: submitted.body.version }).expect(200);
    });

    it('invites other local governments, which stay free to register elsewhere until one of their own officers accepts', async () => {
      // Year 2 figures (niet-EU-14, 2022), all in Demoregio Turnhout: Arendonk 5,000, Baarle-Hertog 2,500, Beerse 1, 13006 7,600.
      await t.app
        .get(OrganisationsService)
        .importStatistics(
          'nis_code,reference_year,origin_definition,residents\n13001,2022,niet-EU-14,5000\n13002,2022,niet-EU-14,2500\n13004,2022,niet-EU-14,1\n13006,2022,niet-EU-14,7600\n',
        );
      const users = t.app.get(UsersService);
      for (const [email, nis] of [
        ['medewerker@arendonk.demo', '13001'],
        ['medewerker@baarle.demo', '13002'],
        ['medewerker@beerse.demo', '13004'],
      ]) {
        await users.createWithPassword(cliActor(), {
          email,
          displayName: `Medewerker ${nis}`,
          role: 'municipal-officer',
          localGovernmentId: await lg(nis),
          password: 'een lang wachtwoord',
        });
      }
      const [arendonk, baarle, beerse] = await Promise.all(
        ['medewerker@arendonk.demo', 'medewerker@baarle.demo', 'medewerker@beerse.demo'].map((e) => bearerFor(t, e)),
      );
      const registered = await request(t.http)
        .post('/api/v1/applicants')
        .set(as(arendonk))
        .send({
          year: 2,
          kind: 'cooperation',
          leadLocalGovernmentId: await lg('13001'),
          memberLocalGovernmentIds: [await lg('13002'), await lg('13004')],
          nameNl: 'Noorderkempen',
        })
        .expect(201);
      const cooperation = registered.body.id;
      expect(registered.body.members.map((m: { nameNl: string; state: string }) => `${m.nameNl}: ${m.state}`)).toEqual([
        'Arendonk: member',
        'Baarle-Hertog: invited',
        'Beerse: invited',
      ]);
      // Only confirmed members count: Arendonk alone is not eligible.
      expect(registered.body.eligibility).toMatchObject({ eligible: false, totalResidents: 5000 });
      // The eligibility overview does not count an invitation as coverage either.
      const coverage = async (nis: string) => (await wholeCoverage(t.http, 'year=2', as(reviewer))).find((r: { nisCode: string }) => r.nisCode === nis);
      expect(await coverage('13002')).toMatchObject({ status: 'not-covered', applicantId: null });
      expect(await coverage('13001')).toMatchObject({ status: 'cooperation', applicantId: cooperation });
      expect((await request(t.http).get('/api/v1/invitations').set(as(baarle)).expect(200)).body).toEqual([
        expect.objectContaining({ applicantId: cooperation, applicantNameNl: 'Noorderkempen', localGovernmentNameNl: 'Baarle-Hertog', leadNameNl: 'Arendonk' }),
      ]);
      expect((await request(t.http).get('/api/v1/invitations').set(as(gent)).expect(200)).body).toEqual([]);
      // The invitee is not a member yet: it cannot see the applicant, and does not see it in its list.
      await request(t.http).get(`/api/v1/applicants/${cooperation}`).set(as(baarle)).expect(404);
      expect((await request(t.http).get('/api/v1/applicants?year=2').set(as(baarle)).expect(200)).body.items).toEqual([]);

      // Someone else cannot accept on Baarle-Hertog's behalf.
      let before = await snapshot(t.dataSource, TABLES);
      await request(t.http)
        .post(`/api/v1/applicants/${cooperation}/invitations/${await lg('13002')}/accept`)
        .set(as(gent))
        .expect(404);
      await request(t.http)
        .post(`/api/v1/applicants/${cooperation}/invitations/${await lg('13002')}/accept`)
        .set(as(beerse))
        .expect(404);
      expect(await snapshot(t.dataSource, TABLES)).toEqual(before);

      // Beerse is invited, not bound: ABB registers it in another cooperation.
      const other = await request(t.http)
        .post('/api/v1/applicants')
        .set(as(reviewer))
        .send({ year: 2, kind: 'cooperation', leadLocalGovernmentId: await lg('13006'), memberLocalGovernmentIds: [await lg('13004')], nameNl: 'Kempen-Oost' })
        .expect(201);
      expect(other.body.members.every((m: { state: string }) => m.state === 'member')).toBe(true);
      before = await snapshot(t.dataSource, TABLES);
      const taken = await request(t.http)
        .post(`/api/v1/applicants/${cooperation}/invitations/${await lg('13004')}/accept`)
        .set(as(beerse))
        .expect(409);
      expect(taken.body.message).toBe('Beerse neemt in dit projectjaar al deel aan "Kempen-Oost".');
      expect(await snapshot(t.dataSource, TABLES)).toEqual(before);
      await request(t.http)
        .post(`/api/v1/applicants/${cooperation}/invitations/${await lg('13004')}/decline`)
        .set(as(beerse))
        .expect(200);

      const accepted = await request(t.http)
        .post(`/api/v1/applicants/${cooperation}/invitations/${await lg('13002')}/accept`)
        .set(as(baarle))
        .expect(200);
      expect(accepted.body.members.map((m: { nameNl: string; state: string }) => `${m.nameNl}: ${m.state}`)).toEqual([
        'Arendonk: member',
        'Baarle-Hertog: member',
      ]);
      expect(accepted.body.eligibility.totalResidents).toBe(7500);
      expect(await coverage('13002')).toMatchObject({ status: 'cooperation', applicantId: cooperation });
      await request(t.http).get(`/api/v1/applicants/${cooperation}`).set(as(baarle)).expect(200);
      expect((await auditOf(t.dataSource, 'applicant', cooperation)).map((a: { action: string }) => a.action)).toEqual([
        'registered',
        'invitation-declined',
        'invitation-accepted',
      ]);
      // Now it is bound: another cooperation cannot take it.
      await request(t.http)
        .post('/api/v1/applicants')
        .set(as(reviewer))
        .send({ year: 2, kind: 'cooperation', leadLocalGovernmentId: await lg('13006'), memberLocalGovernmentIds: [await lg('13002')] })
        .expect(409);
    });

    it('shows the invitation to the invited officer on a page that accepts it without JavaScript', async () => {
      const [{ id: cooperation }] = await t.dataSource.query(`SELECT id FROM applicant WHERE name_nl = 'Noorderkempen'`);
      const [free] = await t.dataSource.query(
        `SELECT lg.id, lg.name_nl FROM local_government lg JOIN reference_region_member m ON m.local_government_id = lg.id
           JOIN reference_region_member own ON own.reference_region_id = m.reference_region_id JOIN local_government a ON a.id = own.local_government_id AND a.nis_code = '13001'
          WHERE NOT EXISTS (SELECT 1 FROM applicant_member x JOIN applicant ap ON ap.id = x.applicant_id JOIN call c ON c.id = ap.call_id WHERE x.local_government_id = lg.id AND c.year_number = 2)
          ORDER BY lg.name_nl LIMIT 1`,
      );
      const arendonk = await bearerFor(t, 'medewerker@arendonk.demo');
      await request(t.http)
        .post(`/api/v1/applicants/${cooperation}/members`)
        .set(as(arendonk))
        .send({ localGovernmentId: free.id, version: (await applicant(cooperation)).version })
        .expect(200);
      await t.app.get(UsersService).createWithPassword(cliActor(), {
        email: 'medewerker@vrij.demo',
        displayName: 'Vrije Medewerker',
        role: 'municipal-officer',
        localGovernmentId: free.id,
        password: 'een lang wachtwoord',
      });
      expect((await (await signIn(t, 'medewerker@gent.demo')).get('/uitnodigingen').expect(200)).text).toContain('Er zijn geen openstaande uitnodigingen.');
      const officer = await signIn(t, 'medewerker@vrij.demo', 'een lang wachtwoord');
      expect((await officer.get('/aanvragers').expect(200)).text).toContain('Uitnodigingen (1)');
      const page = await officer.get('/uitnodigingen').expect(200);
      expect(page.text).toContain('Noorderkempen');
      await officer
        .post(`/uitnodigingen/${cooperation}/${free.id}/aanvaarden`)
        .type('form')
        .send({ _csrf: csrfFrom(page.text) })
        .expect(303)
        .expect('Location', '/uitnodigingen');
      const [row] = await t.dataSource.query(`SELECT state FROM applicant_member WHERE applicant_id = $1 AND local_government_id = $2`, [cooperation, free.id]);
      expect(row.state).toBe('member');
      expect((await officer.get(`/aanvragers/${cooperation}`).expect(200)).text).toContain(free.name_nl);
    });
  });

  describe('confirmations refer to this application', () => {
    it('refuses an unknown line, a line of another year, a line with nothing planned, a duplicate and a missing line, per field, changing nothing', async () => {
      const [{ id: otherYear }] = await t.dataSource.query(
        `SELECT k.id FROM kpi_line k JOIN call c ON c.id = k.call_id WHERE c.year_number = $1 AND k.action_number = 5 AND k.position = 1`,
        [year - 1],
      );
      const before = await snapshot(t.dataSource, TABLES);
      const cases: [object[], string, string][] = [
        [[...allLines(), { kpiLineId: 999999, quantity: 1 }], 'confirmed-999999', 'KPI-lijn 999999 hoort niet bij deze aanvraag.'],
        [[...allLines(), { kpiLineId: otherYear, quantity: 1 }], `confirmed-${otherYear}`, `KPI-lijn ${otherYear} hoort niet bij deze aanvraag.`],
        [[...allLines(), { kpiLineId: lines.get('2.1'), quantity: 0 }], `confirmed-${lines.get('2.1')}`, 'werd niets gevraagd'],
        [[...allLines(), { kpiLineId: lines.get('9.1'), quantity: 1 }], `confirmed-${lines.get('9.1')}`, 'meer dan één keer'],
        [[{ kpiLineId: lines.get('5.1'), quantity: 8 }], `confirmed-${lines.get('9.1')}`, 'Bevestig ook actie 9'],
        [
          [
            { kpiLineId: lines.get('5.1'), quantity: 8.5 },
            { kpiLineId: lines.get('9.1'), quantity: 2 },
          ],
          `confirmed-${lines.get('5.1')}`,
          'geheel getal van 0 tot 10',
        ],
      ];
      for (const [confirmed, field, message] of cases) {
        const res = await approve({ confirmed, stimuli: decided }, 422);
        expect(Object.keys(res.body.errors)).toEqual([field]);
        expect(res.body.errors[field][0]).toContain(message);
      }
      expect(await snapshot(t.dataSource, TABLES)).toEqual(before);
    });
  });

  describe('stimuli are decided', () => {
    it('requires a decision on every requested stimulus, a reason for a refusal, and refuses granting one not requested', async () => {
      const before = await snapshot(t.dataSource, TABLES);
      expect(Object.keys((await approve({ confirmed: allLines() }, 422)).body.errors).sort()).toEqual(['stimulus-impact-bond', 'stimulus-mentorship']);
      const noReason = await approve({ confirmed: allLines(), stimuli: { ...decided, impactBond: { granted: false, reason: ' ' } } }, 422);
      expect(noReason.body.errors).toEqual({
        'stimulus-impact-bond-reason': ['Geef de reden waarom de sociale impact obligatie geweigerd wordt (hoogstens 1.000 tekens).'],
      });
      const notRequested = await approve({ confirmed: allLines(), stimuli: { ...decided, cooperation: { granted: true } } }, 422);
      expect(notRequested.body.errors).toEqual({ 'stimulus-cooperation': ['De samenwerkingsstimulans werd niet gevraagd en kan dus niet toegekend worden.'] });
      expect(await snapshot(t.dataSource, TABLES)).toEqual(before);
    });
  });

  describe('eligibility is re-checked at approval', () => {
    it('refuses to approve a cooperation that no longer meets the rules, and shows the verdict on the review screen', async () => {
      const call = (await request(t.http).get(`/api/v1/calls/${year}`).expect(200)).body;
      const nis = ['12021', '12009', '12002'];
      const original = await t.dataSource.query(
        `SELECT lg.nis_code, s.residents FROM origin_statistic s JOIN local_government lg ON lg.id = s.local_government_id
          WHERE lg.nis_code = ANY($1) AND s.reference_year = $2 AND s.origin_definition = $3 ORDER BY lg.nis_code`,
        [nis, call.statisticsReferenceYear, call.originDefinition],
      );
      const csv = (rows: { nis_code: string; residents: unknown }[]) =>
        `nis_code,reference_year,origin_definition,residents\n${rows.map((r) => `${r.nis_code},${call.statisticsReferenceYear},${call.originDefinition},${r.residents}`).join('\n')}\n`;
      // Corrected statistics arrive after the submission: together they are now far below the threshold.
      await t.app.get(OrganisationsService).importStatistics(csv(nis.map((nis_code) => ({ nis_code, residents: 10 }))));
      try {
        const before = await snapshot(t.dataSource, TABLES);
        const refused = await approve({ confirmed: allLines(), stimuli: decided }, 422);
        expect(Object.keys(refused.body.errors)).toEqual(['eligibility']);
        expect(refused.body.errors.eligibility[0]).toContain('Samen 30 inwoners');
        expect(await snapshot(t.dataSource, TABLES)).toEqual(before);
        const page = await (await signIn(t, 'beoordelaar@abb.demo')).get(`/aanvragen/${applicationId}`).expect(200);
        expect(page.text).toContain('id="review-eligibility"');
        expect(page.text).toContain('Samen 30 inwoners');
      } finally {
        await t.app.get(OrganisationsService).importStatistics(csv(original));
      }
    });
  });

  describe('a valid approval', () => {
    it('confirms the lines, grants and refuses stimuli, and the total, API and decision letter agree', async () => {
      const approved = await approve({ confirmed: allLines(), stimuli: decided }, 200);
      expect(approved.body.status).toBe('goedgekeurd');
      // 8 × €60 + 2 × €650 in lines, plus the granted mentorship stimulus of €2,500.
      expect(approved.body.confirmedLinesCents).toBe(48_000 + 130_000);
      expect(approved.body.confirmedTotalCents).toBe(48_000 + 130_000 + 250_000);
      expect(approved.body.stimulusDecisions).toEqual({
        cooperation: { requested: false, granted: null, refusalReason: null, grantedCents: null },
        mentorship: { requested: true, granted: true, refusalReason: null, grantedCents: 250_000 },
        impactBond: { requested: true, granted: false, refusalReason: 'Geen investeerder gevonden voor de obligatie.', grantedCents: null },
      });
      const letter = await request(t.http).get(`/api/v1/applications/${applicationId}/decision-letter`).set(as(lier)).expect(200);
      expect(letter.text).toContain('id="granted-stimuli"');
      expect(letter.text).toMatch(/Mentorschapsstimulans[\s\S]*data-stimulus-cents="250000"/);
      expect(letter.text).toContain('Sociale impact obligatie: geweigerd. Geen investeerder gevonden voor de obligatie.');
      const cents = [...letter.text.matchAll(/id="total" data-cents="(\d+)"/g)].map((m) => Number(m[1]));
      expect(cents).toEqual([428_000]);
      expect((await applicant()).confirmedPayoutIban).toBe('BE68539007547034');
    });
  });

  describe('what was approved stays approved', () => {
    it('freezes members, lead, payout account and letter for officers; the contact person stays editable', async () => {
      const detail = await applicant();
      const before = await snapshot(t.dataSource, TABLES);
      const iban = await request(t.http)
        .put(`/api/v1/applicants/${applicantId}/contact`)
        .set(as(lier))
        .send({
          contactName: 'Lode Medewerker',
          contactEmail: 'lode@lier.demo',
          contactPhone: '03 800 05 00',
          payoutIban: 'DE89 3704 0044 0532 0130 00',
          version: detail.version,
        })
        .expect(409);
      expect(iban.body.message).toContain('liggen vast tot ABB de aanvraag heropent of terugstuurt');
      await request(t.http)
        .delete(`/api/v1/applicants/${applicantId}/members/${await lg('12002')}?version=${detail.version}`)
        .set(as(duffel))
        .expect(409);
      await request(t.http)
        .delete(`/api/v1/applicants/${applicantId}/members/${await lg('12009')}?version=${detail.version}`)
        .set(as(lier))
        .expect(409);
      await request(t.http)
        .post(`/api/v1/applicants/${applicantId}/members`)
        .set(as(reviewer))
        .send({ localGovernmentId: await lg('12005'), version: detail.version })
        .expect(409);
      await request(t.http)
        .post(`/api/v1/applicants/${applicantId}/iban-letter`)
        .set(as(lier))
        .attach('letter', ONE_PAGE_PDF, { filename: 'brief.pdf', contentType: 'application/pdf' })
        .expect(409);
      expect(await snapshot(t.dataSource, TABLES)).toEqual(before);
      const contact = await request(t.http)
        .put(`/api/v1/applicants/${applicantId}/contact`)
        .set(as(lier))
        .send({
          contactName: 'Lotte Medewerker',
          contactEmail: 'lotte@lier.demo',
          contactPhone: '03 800 05 01',
          payoutIban: 'BE68 5390 0754 7034',
          version: detail.version,
        })
        .expect(200);
      expect(contact.body.contact.name).toBe('Lotte Medewerker');
    });

    it('unfreezes when ABB reopens the application: the officer may then change the account again', async () => {
      const [gentApplicant] = await t.dataSource.query(`SELECT id FROM applicant WHERE name_nl = 'Stad Gent'`);
      const [{ id }] = await t.dataSource.query(
        `INSERT INTO application (applicant_id, call_id, catalogue_version, status) SELECT id, call_id, 1, 'ingediend' FROM applicant WHERE id = $1 RETURNING id`,
        [gentApplicant.id],
      );
      const change = async () => {
        const detail = await applicant(gentApplicant.id);
        return request(t.http).put(`/api/v1/applicants/${gentApplicant.id}/contact`).set(as(gent)).send({
          contactName: 'Griet Medewerker',
          contactEmail: 'griet@gent.demo',
          contactPhone: '09 266 55 00',
          payoutIban: NEW_IBAN,
          version: detail.version,
        });
      };
      const before = await snapshot(t.dataSource, TABLES);
      expect((await change()).status).toBe(409);
      expect(await snapshot(t.dataSource, TABLES)).toEqual(before);
      await request(t.http)
        .post(`/api/v1/applications/${id}/reopen`)
        .set(as(admin))
        .send({ version: 1, reason: 'Rekeningnummer moet nog wijzigen' })
        .expect(200);
      expect((await change()).status).toBe(200);
    });

    it("lets ABB change the account after approval as a pending change: a new letter and ABB's confirmation before payments use it", async () => {
      const detail = await applicant();
      const changed = await request(t.http)
        .put(`/api/v1/applicants/${applicantId}/contact`)
        .set(as(reviewer))
        .send({
          contactName: detail.contact.name,
          contactEmail: detail.contact.email,
          contactPhone: detail.contact.phone,
          payoutIban: NEW_IBAN,
          version: detail.version,
        })
        .expect(200);
      expect(changed.body).toMatchObject({ contact: { iban: NEW_IBAN }, confirmedPayoutIban: 'BE68539007547034', payoutChangePending: true });
      expect((await application()).status).toBe('goedgekeurd');
      const page = await (await signIn(t, 'beoordelaar@abb.demo')).get(`/aanvragen/${applicationId}`).expect(200);
      expect(page.text).toContain('id="pending-payout-change"');
      expect(page.text).toContain('BE71 0961 2345 6769');

      const before = await snapshot(t.dataSource, TABLES);
      const noLetter = await request(t.http)
        .post(`/api/v1/applicants/${applicantId}/payout-account/confirm`)
        .set(as(reviewer))
        .send({ version: changed.body.version })
        .expect(422);
      expect(noLetter.body.errors.payoutIban[0]).toContain('bevestigingsbrief');
      await request(t.http).post(`/api/v1/applicants/${applicantId}/payout-account/confirm`).set(as(lier)).send({ version: changed.body.version }).expect(403);
      expect(await snapshot(t.dataSource, TABLES)).toEqual(before);
      await request(t.http)
        .post(`/api/v1/applicants/${applicantId}/iban-letter`)
        .set(as(lier))
        .attach('letter', ONE_PAGE_PDF, { filename: 'nieuwe brief.pdf', contentType: 'application/pdf' })
        .expect(201);
      // Four eyes on money: the reviewer who changed the account does not confirm it.
      const withLetter = await snapshot(t.dataSource, TABLES);
      const ownChange = await request(t.http)
        .post(`/api/v1/applicants/${applicantId}/payout-account/confirm`)
        .set(as(reviewer))
        .send({ version: changed.body.version })
        .expect(403);
      expect(ownChange.body.message).toContain('tweede medewerker van ABB');
      expect(await snapshot(t.dataSource, TABLES)).toEqual(withLetter);
      await t.app.get(UsersService).createWithPassword(cliActor(), {
        email: 'tweede@abb.demo',
        displayName: 'Tweede Beoordelaar',
        role: 'abb-reviewer',
        localGovernmentId: null,
        password: 'een lang wachtwoord',
      });
      const secondReviewer = await bearerFor(t, 'tweede@abb.demo');
      const confirmed = await request(t.http)
        .post(`/api/v1/applicants/${applicantId}/payout-account/confirm`)
        .set(as(secondReviewer))
        .send({ version: changed.body.version })
        .expect(200);
      expect(confirmed.body).toMatchObject({ confirmedPayoutIban: NEW_IBAN, payoutChangePending: false });
      expect((await auditOf(t.dataSource, 'applicant', applicantId)).map((a: { action: string }) => a.action).slice(-3)).toEqual([
        'contact-updated',
        'iban-letter-uploaded',
        'payout-account-confirmed',
      ]);
    });
  });
});
