import request from 'supertest';
import { ApprovedCommitments } from '@ps/applications';
import { cliActor, UsersService } from '@ps/identity';
import { bearerFor } from '../support/sessions';
import { startTestApp, TestApp } from '../support/test-app';
import { ONE_PAGE_PDF } from '../support/pdf';

/**
 * The read model allocation, payments and KPI reporting start from: what ABB approved over HTTP, per applicant,
 * action and KPI line, in exact integer cents. The figures below are worked out by hand.
 */
describe('approved commitments, after approvals over HTTP', () => {
  let t: TestApp;
  let lier: string;
  let gent: string;
  let antwerpen: string;
  let reviewer: string;
  let admin: string;
  let year: number;
  let callId: number;
  const lines = new Map<string, number>();
  const ids: Record<string, { applicant: number; application: number }> = {};
  const as = (token: string) => ({ Authorization: `Bearer ${token}` });
  const commitments = () => t.app.get(ApprovedCommitments).ofYear(t.dataSource.manager, year);
  const applicantId = async (name: string): Promise<number> => (await t.dataSource.query(`SELECT id FROM applicant WHERE name_nl = $1`, [name]))[0].id;
  const version = async (id: number) => (await request(t.http).get(`/api/v1/applications/${id}`).set(as(reviewer)).expect(200)).body.version;

  /** Contact, payout account and its signed letter, then a draft with the given lines: everything a submission needs. */
  async function prepare(key: string, name: string, officer: string, iban: string, draft: object) {
    const applicant = await applicantId(name);
    const detail = (await request(t.http).get(`/api/v1/applicants/${applicant}`).set(as(reviewer)).expect(200)).body;
    await request(t.http)
      .put(`/api/v1/applicants/${applicant}/contact`)
      .set(as(officer))
      .send({ contactName: `Contact ${key}`, contactEmail: `contact@${key}.demo`, contactPhone: '03 800 05 00', payoutIban: iban, version: detail.version })
      .expect(200);
    await request(t.http)
      .post(`/api/v1/applicants/${applicant}/iban-letter`)
      .set(as(officer))
      .attach('letter', ONE_PAGE_PDF, { filename: 'brief.pdf', contentType: 'application/pdf' })
      .expect(201);
    const created = (await request(t.http).post(`/api/v1/applicants/${applicant}/application`).set(as(officer)).expect(201)).body;
    await request(t.http)
      .put(`/api/v1/applications/${created.id}`)
      .set(as(officer))
      .send({ version: created.version, ...draft })
      .expect(200);
    const submitted = await request(t.http)
      .post(`/api/v1/applications/${created.id}/submit`)
      .set(as(officer))
      .send({ version: await version(created.id) })
      .expect(200);
    expect(submitted.body.status).toBe('ingediend');
    ids[key] = { applicant, application: created.id };
  }

  async function approve(key: string, body: object) {
    const id = ids[key].application;
    await request(t.http)
      .post(`/api/v1/applications/${id}/start-review`)
      .set(as(reviewer))
      .send({ version: await version(id) })
      .expect(200);
    return (
      await request(t.http)
        .post(`/api/v1/applications/${id}/approve`)
        .set(as(reviewer))
        .send({ version: await version(id), ...body })
        .expect(200)
    ).body;
  }

  beforeAll(async () => {
    t = await startTestApp();
    await t.app.get(UsersService).createWithPassword(cliActor(), {
      email: 'medewerker@antwerpen.demo',
      displayName: 'Medewerker Antwerpen',
      role: 'municipal-officer',
      localGovernmentId: (await t.dataSource.query(`SELECT id FROM local_government WHERE nis_code = '11002' AND valid_from IS NULL`))[0].id,
      password: 'een lang wachtwoord',
    });
    [lier, gent, antwerpen, reviewer, admin] = await Promise.all(
      ['medewerker@lier.demo', 'medewerker@gent.demo', 'medewerker@antwerpen.demo', 'beoordelaar@abb.demo', 'beheerder@abb.demo'].map((e) => bearerFor(t, e)),
    );
    [{ id: callId, year_number: year }] = await t.dataSource.query(`SELECT id, year_number FROM call ORDER BY year_number DESC LIMIT 1`);

    // Before any submission: the stimulus amounts, and a unit amount with cents on action 9's first line (€650,55).
    let call = (await request(t.http).get(`/api/v1/calls/${year}`).expect(200)).body;
    await request(t.http)
      .patch(`/api/v1/calls/${year}`)
      .set(as(admin))
      .send({ version: call.version, mentorshipStimulusEuro: 2500, impactBondStimulusEuro: 5000 })
      .expect(200);
    call = (await request(t.http).get(`/api/v1/calls/${year}`).expect(200)).body;
    const [line91] = await t.dataSource.query(`SELECT id, max_quantity FROM kpi_line WHERE call_id = $1 AND action_number = 9 AND position = 1`, [callId]);
    await request(t.http)
      .put(`/api/v1/calls/${year}/kpi-lines/${line91.id}`)
      .set(as(admin))
      .send({ version: call.version, maxQuantity: line91.max_quantity, unitAmountEuro: '650,55' })
      .expect(200);

    const [k51, k91, k21] = await Promise.all(
      [
        [5, 1],
        [9, 1],
        [2, 1],
      ].map(
        async ([action, position]) =>
          (await t.dataSource.query(`SELECT id FROM kpi_line WHERE call_id = $1 AND action_number = $2 AND position = $3`, [callId, action, position]))[0].id,
      ),
    );
    lines.set('5.1', k51).set('9.1', k91).set('2.1', k21);

    await prepare('lier', 'Samenwerkingsverband Lier-Duffel-Berlaar', lier, 'BE68539007547034', {
      lines: [
        { kpiLineId: k51, plannedReach: 10, currentReach: 0 },
        { kpiLineId: k91, plannedReach: 3, currentReach: 0 },
        { kpiLineId: k21, plannedReach: 1, currentReach: 0 },
      ],
      priorities: [
        { actionNumber: 9, priority: 1 },
        { actionNumber: 5, priority: 2 },
        { actionNumber: 2, priority: 3 },
      ],
      mentorship: { actionNumber: 5, motivation: 'Wij coachen de buurgemeenten in hun onthaalwerking.' },
      impactBond: { expertise: 'Ervaring met sociale economie', problem: 'Vroegtijdig schoolverlaten', actionNumbers: [9], learningNetwork: true },
    });
    await prepare('gent', 'Stad Gent', gent, 'BE71096123456769', {
      lines: [{ kpiLineId: k51, plannedReach: 5, currentReach: 2 }],
      priorities: [{ actionNumber: 5, priority: 1 }],
    });
    await prepare('antwerpen', 'Stad Antwerpen', antwerpen, 'BE62510007547061', {
      lines: [{ kpiLineId: k91, plannedReach: 1, currentReach: 0 }],
      priorities: [{ actionNumber: 9, priority: 1 }],
    });
  });
  afterAll(() => t?.close());

  it('is empty while applications are only submitted', async () => {
    expect(await commitments()).toEqual([]);
  });

  it('lists each approved applicant with its confirmed lines, priorities, granted stimuli and total, in exact cents', async () => {
    // Lier: 7 of 10 on 5.1 (€60), 2 of 3 on 9.1 (€650,55), 0 of 1 on 2.1; mentorship granted (€2,500), impact bond refused.
    const lierApproved = await approve('lier', {
      confirmed: [
        { kpiLineId: lines.get('5.1'), quantity: 7 },
        { kpiLineId: lines.get('9.1'), quantity: 2 },
        { kpiLineId: lines.get('2.1'), quantity: 0 },
      ],
      stimuli: { mentorship: { granted: true }, impactBond: { granted: false, reason: 'Geen investeerder gevonden voor de obligatie.' } },
    });
    // Gent: all 5 on 5.1, no stimuli.
    const gentApproved = await approve('gent', { confirmed: [{ kpiLineId: lines.get('5.1'), quantity: 5 }] });
    // Antwerpen is under review, then rejected: never a commitment.
    await request(t.http)
      .post(`/api/v1/applications/${ids.antwerpen.application}/start-review`)
      .set(as(reviewer))
      .send({ version: await version(ids.antwerpen.application) })
      .expect(200);
    expect(await commitments()).toHaveLength(2);
    await request(t.http)
      .post(`/api/v1/applications/${ids.antwerpen.application}/reject`)
      .set(as(reviewer))
      .send({ version: await version(ids.antwerpen.application), reason: 'Buiten de doelstellingen van de oproep.' })
      .expect(200);

    const [lg] = await t.dataSource.query(`SELECT id FROM local_government WHERE nis_code = '12021'`);
    const [gentLg] = await t.dataSource.query(`SELECT id FROM local_government WHERE nis_code = '44021'`);
    const expected = [
      {
        applicationId: ids.lier.application,
        applicantId: ids.lier.applicant,
        applicantNameNl: 'Samenwerkingsverband Lier-Duffel-Berlaar',
        leadLocalGovernmentId: lg.id,
        confirmedPayoutIban: 'BE68539007547034',
        lines: [
          { actionNumber: 5, priority: 2, kpiLineId: lines.get('5.1'), confirmedQuantity: 7, unitAmountCents: 6_000, amountCents: 42_000 },
          { actionNumber: 9, priority: 1, kpiLineId: lines.get('9.1'), confirmedQuantity: 2, unitAmountCents: 65_055, amountCents: 130_110 },
        ],
        // Asked: 10 × €60, 3 × €650,55 and action 2 (1 × €25.000), which ABB confirmed at 0.
        requestedByAction: { 2: 2_500_000, 5: 60_000, 9: 195_165 },
        stimuli: [{ kind: 'mentorship', cents: 250_000 }],
        confirmedTotalCents: 42_000 + 130_110 + 250_000,
      },
      {
        applicationId: ids.gent.application,
        applicantId: ids.gent.applicant,
        applicantNameNl: 'Stad Gent',
        leadLocalGovernmentId: gentLg.id,
        confirmedPayoutIban: 'BE71096123456769',
        lines: [{ actionNumber: 5, priority: 1, kpiLineId: lines.get('5.1'), confirmedQuantity: 5, unitAmountCents: 6_000, amountCents: 30_000 }],
        requestedByAction: { 5: 30_000 },
        stimuli: [],
        confirmedTotalCents: 30_000,
      },
    ];
    expect(await commitments()).toEqual(expected);
    // The same figures the API shows for the approved applications.
    expect(lierApproved.confirmedTotalCents).toBe(422_110);
    expect(gentApproved.confirmedTotalCents).toBe(30_000);
    // Read by call id inside a transaction, with its manager, the answer is the same.
    expect(await t.dataSource.transaction((manager) => t.app.get(ApprovedCommitments).ofCall(manager, callId))).toEqual(expected);
    // Integer cents, never strings or fractions.
    for (const c of await commitments()) {
      expect(Number.isSafeInteger(c.confirmedTotalCents)).toBe(true);
      for (const l of c.lines) expect([l.unitAmountCents, l.amountCents].every(Number.isSafeInteger)).toBe(true);
    }
  });

  it('leaves out the rejected application and other years', async () => {
    expect((await commitments()).map((c) => c.applicantId)).not.toContain(ids.antwerpen.applicant);
    expect(await t.app.get(ApprovedCommitments).ofYear(t.dataSource.manager, year - 1)).toEqual([]);
    expect(await t.app.get(ApprovedCommitments).ofYear(t.dataSource.manager, 99)).toEqual([]);
  });
});
