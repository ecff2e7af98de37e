import { createHash } from 'node:crypto';
import request from 'supertest';
import { binary } from '../support/binary';
import { isStructuredCommunication } from '@ps/payments';
import { ApprovedFixture, CallFixture, Factories, startFactories, SubmittedFixture } from '../support/factories';
import { threeApprovedAndOnePending } from '../support/allocation-fixture';
import { pageTexts } from '../support/pdf';
import { approveAs, releaseByTwo } from '../support/four-eyes';
import { csrfFrom, signIn } from '../support/sessions';
import { snapshot } from '../support/test-app';

const TABLES = ['allocation_run', 'allocation_share', 'money_proposal', 'payment', 'settlement_line', 'settlement', 'audit_event'];

/**
 * Issue 10: from approved applications and a budget to exact amounts per applicant, published once, with advances.
 * The call of `threeApprovedAndOnePending` (A €12.000, B €6.000, C €3.500, D pending; budget €15.000): every figure below is computed by hand in the comments.
 */
describe('allocation runs, publication and payments', () => {
  let f: Factories;
  let call: CallFixture;
  let a: ApprovedFixture;
  let b: ApprovedFixture;
  let c: ApprovedFixture;
  let d: SubmittedFixture;
  let reviewer: string;
  let admin: string;
  let analyst: string;
  let officerA: string;
  let officerB: string;
  const as = (token: string) => ({ Authorization: `Bearer ${token}` });
  const simulate = (body: object, status = 201, token = reviewer) =>
    request(f.http).post(`/api/v1/calls/${call.year}/allocation-runs`).set(as(token)).send(body).expect(status);
  const publish = (id: number, body: object, status: number) =>
    request(f.http).post(`/api/v1/allocation-runs/${id}/publish`).set(as(reviewer)).send(body).expect(status);
  // the shares come a page at a time (issue 27): three applicants fit on the first page
  const allocated = (run: { shares: { items: { applicantId: number; allocatedCents: number }[]; total: number } }) => {
    expect(run.shares.items).toHaveLength(run.shares.total);
    return Object.fromEntries(run.shares.items.map((s) => [s.applicantId, s.allocatedCents]));
  };
  const pdfOf = async (id: number, token: string) => {
    const res = await request(f.http)
      .get(`/api/v1/applications/${id}/decision-letter.pdf`)
      .set(as(token))
      .buffer(true)
      .parse(binary)
      .expect(200)
      .expect('Content-Type', 'application/pdf');
    const content = res.body as Buffer;
    expect(res.headers.etag).toBe(`"${createHash('sha256').update(content).digest('hex')}"`);
    return { sha256: createHash('sha256').update(content).digest('hex'), text: (await pageTexts(content)).join(' ') };
  };
  const unchangedBy = async (attempt: () => Promise<unknown>) => {
    const before = await snapshot(f.dataSource, TABLES);
    await attempt();
    expect(await snapshot(f.dataSource, TABLES)).toEqual(before);
  };

  beforeAll(async () => {
    f = await startFactories({ http: true });
    ({ call, a, b, c, d } = await threeApprovedAndOnePending(f));
    [reviewer, admin, analyst, officerA, officerB] = await Promise.all([
      f.actors.reviewer().then((x) => f.bearer(x)),
      f.actors.administrator().then((x) => f.bearer(x)),
      f.actors.another('vvsg-analyst', 'Vera VVSG').then((x) => f.bearer(x)),
      f.bearer(a.applicant.officer),
      f.bearer(b.applicant.officer),
    ]);
  });
  afterAll(() => f?.close());

  it('gives everyone the confirmed amount when the total fits the budget', async () => {
    expect(a.expected.confirmedTotalCents).toBe(1_200_000);
    expect(b.expected.confirmedTotalCents).toBe(600_000);
    expect(c.expected.confirmedTotalCents).toBe(350_000);
    const run = (await simulate({ budgetEuro: '30.000,00' })).body;
    expect(run).toMatchObject({ budgetCents: 3_000_000, confirmedCents: 2_150_000, allocatedCents: 2_150_000, fits: true, published: false });
    expect(allocated(run)).toEqual({ [a.applicant.id]: 1_200_000, [b.applicant.id]: 600_000, [c.applicant.id]: 350_000 });
  });

  it("pays stimuli first, then priority 1 scaled to what is left, with the largest remainder's cent; records the pending review", async () => {
    // Stimuli €2.500 fit; €12.500 is left for priority 1 (A €10.000, B €3.000, C €1.000 = €14.000): scale 25/28.
    // A 892.857,14… → 892.857; B 267.857,14… → 267.857; C 89.285,71… → 89.285 + the one cent left (largest remainder) = 89.286.
    const run = (await simulate({})).body;
    expect(run).toMatchObject({ budgetCents: 1_500_000, allocatedCents: 1_500_000, fits: false, policy: { kind: 'priority-rounds', stimuliFirst: true } });
    expect(run.pendingReviewApplicationIds).toEqual([d.id]);
    expect(run.rounds).toEqual([
      { round: 'stimuli', confirmedCents: 250_000, availableCents: 1_500_000, allocatedCents: 250_000, outcome: 'full' },
      {
        round: 'priority-1',
        confirmedCents: 1_400_000,
        availableCents: 1_250_000,
        allocatedCents: 1_250_000,
        outcome: 'scaled',
        scale: { numerator: '25', denominator: '28' },
      },
      { round: 'priority-2', confirmedCents: 500_000, availableCents: 0, allocatedCents: 0, outcome: 'none' },
    ]);
    expect(allocated(run)).toEqual({ [a.applicant.id]: 892_857, [b.applicant.id]: 267_857, [c.applicant.id]: 250_000 + 89_286 });
    const shareA = run.shares.items.find((s: { applicantId: number }) => s.applicantId === a.applicant.id);
    expect(shareA.actions).toEqual([
      { actionNumber: 5, priority: 1, requestedCents: 1_000_000, confirmedCents: 1_000_000, allocatedCents: 892_857 },
      { actionNumber: 9, priority: 2, requestedCents: 200_000, confirmedCents: 200_000, allocatedCents: 0 },
    ]);
    expect(shareA.explanation.map((s: { round: string; outcome: string }) => `${s.round}:${s.outcome}`)).toEqual(['priority-1:scaled', 'priority-2:none']);
    expect(run.inputHash).toMatch(/^[0-9a-f]{64}$/);
  });

  it('scales every line and stimulus alike under the pro-rata policy', async () => {
    // Scale 15.000/21.500 = 30/43. Floors: 697.674 + 139.534 (A) + 209.302 + 209.302 (B) + 174.418 + 69.767 (C) = 1.499.997;
    // the 3 cents go to the largest remainders ×43: A's action 9 (38), C's stimulus (26), C's action 5 (19).
    const run = (await simulate({ policy: 'pro-rata' })).body;
    expect(run.rounds).toEqual([
      {
        round: 'pro-rata',
        confirmedCents: 2_150_000,
        availableCents: 1_500_000,
        allocatedCents: 1_500_000,
        outcome: 'scaled',
        scale: { numerator: '30', denominator: '43' },
      },
    ]);
    expect(allocated(run)).toEqual({ [a.applicant.id]: 697_674 + 139_535, [b.applicant.id]: 418_604, [c.applicant.id]: 174_419 + 69_768 });
  });

  it.each([
    ['-5', 'a negative budget'],
    ['100,005', 'a fraction of a cent'],
    ['99999999999999', 'an absurdly large budget'],
    [{ deep: [1] }, 'an object'],
  ] as [unknown, string][])('refuses %p (%s) with a message on budgetEuro and stores nothing', async (budgetEuro) => {
    await unchangedBy(async () => {
      const res = await simulate({ budgetEuro }, 422);
      expect(Object.keys(res.body.errors)).toEqual(['budgetEuro']);
    });
  });

  it('refuses an unknown policy, an unknown call and the roles that may not compute', async () => {
    await unchangedBy(async () => {
      expect((await simulate({ policy: 'loterij' }, 422)).body.errors).toHaveProperty('policy');
      await request(f.http).post('/api/v1/calls/42/allocation-runs').set(as(reviewer)).send({}).expect(404);
      await simulate({}, 403, officerA);
      await simulate({}, 403, analyst);
      await simulate({}, 403, admin);
    });
  });

  it('refuses to publish with applications awaiting review unless ABB confirms with a reason', async () => {
    const run = (await simulate({})).body;
    await unchangedBy(async () => {
      expect(Object.keys((await publish(run.id, {}, 422)).body.errors).sort()).toEqual(['confirmPendingReview', 'reason']);
      expect(Object.keys((await publish(run.id, { confirmPendingReview: true, reason: '   ' }, 422)).body.errors)).toEqual(['reason']);
    });
  });

  it('refuses to publish a simulation whose approved applications changed since', async () => {
    const run = (await simulate({})).body;
    await f.anApprovedApplication(call, { lines: [{ action: 9, planned: 1, confirmed: 0 }] });
    await unchangedBy(() => publish(run.id, { confirmPendingReview: true, reason: 'Budgetcontrole' }, 409));
  });

  it('refuses a payment list before publication', async () => {
    const run = (await simulate({})).body;
    await request(f.http).get(`/api/v1/allocation-runs/${run.id}/payments`).set(as(reviewer)).expect(409);
    await request(f.http).get(`/api/v1/allocation-runs/${run.id}/payments.csv`).set(as(admin)).expect(409);
  });

  it('states the confirmed amounts as requested for allocation before publication, in the page and the archived PDF alike', async () => {
    const html = (await request(f.http).get(`/api/v1/applications/${a.id}/decision-letter`).set(as(officerA)).expect(200)).text;
    expect(html).toContain('gevraagd voor de verdeling van het budget');
    expect(html).not.toContain('id="allocated"');
    // 80 % of the confirmed €12.000 until the allocation is published.
    expect([...html.matchAll(/data-cents="(\d+)"/g)].map((m) => Number(m[1])).slice(0, 3)).toEqual([1_200_000, 960_000, 240_000]);
    const pdf = await pdfOf(a.id, officerA);
    expect(pdf.text).toContain('Voorschot (80 %) € 9.600,00');
    expect(pdf.text).toContain('gevraagd voor de verdeling');
    expect((await pdfOf(a.id, reviewer)).sha256).toBe(pdf.sha256);
    await request(f.http).get(`/api/v1/applications/${a.id}/decision-letter.pdf`).set(as(officerB)).expect(404);
  });

  it('publishes exactly one of two runs approved at once, and orders the advances of that one', async () => {
    const [first, second] = [(await simulate({})).body, (await simulate({})).body];
    const confirm = { confirmPendingReview: true, reason: 'D volgt later; het budget is vastgelegd.' };
    // Four eyes: the reviewer proposes both, the administrator approves both at once.
    const proposals = [(await publish(first.id, confirm, 201)).body, (await publish(second.id, confirm, 201)).body];
    const answers = await Promise.all(
      proposals.map((p) => request(f.http).post(`/api/v1/proposals/${p.id}/approve`).set(as(admin)).send({ version: p.version })),
    );
    expect(answers.map((r) => r.status).sort()).toEqual([200, 409]);
    const approved = answers.find((r) => r.status === 200)!.body;
    const winner = (await request(f.http).get(`/api/v1/allocation-runs/${approved.runId}`).set(as(reviewer)).expect(200)).body;
    expect(winner).toMatchObject({ published: true, pendingReviewReason: confirm.reason });
    expect(await f.dataSource.query(`SELECT count(*)::int AS n FROM allocation_run WHERE published_at IS NOT NULL`)).toEqual([{ n: 1 }]);
    // The other proposal stays pending; its approval is refused for the publication since.
    const loser = proposals.find((p) => p.id !== approved.id)!;
    expect(answers.find((r) => r.status === 409)!.body.changed).toEqual([{ input: 'publishedRunId', message: expect.any(String) }]);
    await request(f.http).post(`/api/v1/proposals/${loser.id}/withdraw`).set(as(reviewer)).send({ version: loser.version }).expect(200);

    // 80 % of each allocation, rounded down: 892.857 → 714.285; 267.857 → 214.285; 339.286 → 271.428.
    const list = (await request(f.http).get(`/api/v1/allocation-runs/${winner.id}/payments`).set(as(admin)).expect(200)).body;
    expect(list.items.map((p: { applicantId: number; amountCents: number }) => [p.applicantId, p.amountCents])).toEqual([
      [a.applicant.id, 714_285],
      [b.applicant.id, 214_285],
      [c.applicant.id, 271_428],
    ]);
    for (const payment of list.items) {
      expect(isStructuredCommunication(payment.reference)).toBe(true);
      expect(payment).toMatchObject({ kind: 'advance', payoutIban: 'BE68539007547034', releasedAt: null });
    }
    // Only a released list goes to finance: released by two people.
    await request(f.http).get(`/api/v1/allocation-runs/${winner.id}/payments.csv`).set(as(reviewer)).expect(409);
    await releaseByTwo(f.http, winner.id, reviewer, admin);
    const csv = await request(f.http)
      .get(`/api/v1/allocation-runs/${winner.id}/payments.csv`)
      .set(as(reviewer))
      .expect(200)
      .expect('Content-Type', /text\/csv/);
    const lines = csv.text.split('\r\n');
    expect(lines[0]).toBe(
      '\uFEFFAanvrager;Trekkende gemeente;IBAN;Bedrag (EUR);Gestructureerde mededeling;Mededeling voor de bank (12 cijfers);Soort;Projectjaar;Verdeling',
    );
    expect(lines[1]).toContain(
      `${a.applicant.nameNl};${a.applicant.lead.nameNl};BE68539007547034;7142,85;'${list.items[0].reference};${list.items[0].reference.replace(/\D/g, '')};voorschot;${call.year};`,
    );
    await request(f.http).get(`/api/v1/allocation-runs/${winner.id}/payments`).set(as(analyst)).expect(403);
  });

  it('refuses a second publication, and shows a later simulation against the published run', async () => {
    const published = (await request(f.http).get(`/api/v1/calls/${call.year}/allocation-runs`).set(as(analyst)).expect(200)).body.find(
      (r: { published: boolean }) => r.published,
    );
    const later = (await simulate({ budgetEuro: '16000' })).body;
    await unchangedBy(() => publish(later.id, { confirmPendingReview: true, reason: 'Nog eens' }, 409));
    // €1.000 more for priority 1 (€13.500 of €14.000, scale 27/28): A 964.285,71… → 964.285 + 1; B 289.285,71… → 289.285 + 1; C 96.428,57… → 96.428.
    expect(later.comparison).toEqual({
      runId: published.id,
      published: true,
      differentApplicants: 3,
      differenceCents: 71_429 + 21_429 + 7_142,
      differences: [
        { applicantId: a.applicant.id, applicantNameNl: a.applicant.nameNl, otherRunCents: 892_857, thisRunCents: 964_286, differenceCents: 71_429 },
        { applicantId: b.applicant.id, applicantNameNl: b.applicant.nameNl, otherRunCents: 267_857, thisRunCents: 289_286, differenceCents: 21_429 },
        { applicantId: c.applicant.id, applicantNameNl: c.applicant.nameNl, otherRunCents: 339_286, thisRunCents: 346_428, differenceCents: 7_142 },
      ],
    });
  });

  it('compares any two runs of a call, and refuses a run of another call or none', async () => {
    const runs = (await request(f.http).get(`/api/v1/calls/${call.year}/allocation-runs`).set(as(analyst)).expect(200)).body;
    const proRata = runs.find((r: { policy: { kind: string } }) => r.policy.kind === 'pro-rata');
    const published = runs.find((r: { published: boolean }) => r.published);
    const compared = (await request(f.http).get(`/api/v1/allocation-runs/${published.id}?compareWith=${proRata.id}`).set(as(analyst)).expect(200)).body;
    // Pro rata (A 837.209, B 418.604, C 244.187) against priority rounds (A 892.857, B 267.857, C 339.286).
    expect(compared.comparison).toEqual({
      runId: proRata.id,
      published: false,
      differentApplicants: 3,
      differenceCents: 55_648 - 150_747 + 95_099,
      differences: [
        { applicantId: a.applicant.id, applicantNameNl: a.applicant.nameNl, otherRunCents: 837_209, thisRunCents: 892_857, differenceCents: 55_648 },
        { applicantId: b.applicant.id, applicantNameNl: b.applicant.nameNl, otherRunCents: 418_604, thisRunCents: 267_857, differenceCents: -150_747 },
        { applicantId: c.applicant.id, applicantNameNl: c.applicant.nameNl, otherRunCents: 244_187, thisRunCents: 339_286, differenceCents: 95_099 },
      ],
    });
    const otherCall = (
      await request(f.http)
        .post(`/api/v1/calls/${call.year === 1 ? 2 : 1}/allocation-runs`)
        .set(as(reviewer))
        .send({})
        .expect(201)
    ).body;
    for (const compareWith of [otherCall.id, 999_999, 'abc', 0]) {
      const res = await request(f.http).get(`/api/v1/allocation-runs/${published.id}?compareWith=${compareWith}`).set(as(analyst)).expect(422);
      expect(Object.keys(res.body.errors)).toEqual(['compareWith']);
    }
  });

  it('follows the published allocation in the letter, archives the new PDF beside the first, and never changes a sent one', async () => {
    const html = (await request(f.http).get(`/aanvragen/${a.id}/beslissingsbrief`).set(as(officerA)).expect(200)).text;
    expect(html).toMatch(/id="allocated" data-allocated-cents="892857"/);
    // Advance and balance of the allocated €8.928,57: 714.285 and 178.572.
    expect([...html.matchAll(/data-cents="(\d+)"/g)].map((m) => Number(m[1])).slice(0, 3)).toEqual([1_200_000, 714_285, 178_572]);
    const pdf = await pdfOf(a.id, officerA);
    expect(pdf.text).toContain('Toegewezen bedrag na de verdeling van het budget € 8.928,57');
    expect(pdf.text).toContain('Voorschot (80 %) € 7.142,85');
    expect(pdf.text).toContain('Saldo (20 %, na de eindrapportage) € 1.785,72');
    const archive = await f.dataSource.query(`SELECT sha256, allocation_run_id FROM decision_letter WHERE application_id = $1 ORDER BY id`, [a.id]);
    expect(archive).toHaveLength(2);
    expect(archive[0].allocation_run_id).toBeNull();
    expect(archive[1].sha256.trim()).toBe(pdf.sha256);
    expect(archive[0].sha256.trim()).not.toBe(pdf.sha256);
    // A later change of the call (its report deadline) does not alter the letter as sent.
    await f.dataSource.query(`UPDATE call SET final_report_due_at = final_report_due_at + interval '1 day' WHERE id = $1`, [call.id]);
    expect(await pdfOf(a.id, officerA)).toEqual(pdf);
  });

  it("shows an officer the own applicant's allocation and advance, and nobody else's", async () => {
    const { published, share: mine } = (await request(f.http).get(`/api/v1/applications/${a.id}/allocation`).set(as(officerA)).expect(200)).body;
    expect(published).toBe(true);
    expect(mine).toMatchObject({
      applicantId: a.applicant.id,
      confirmedCents: 1_200_000,
      allocatedCents: 892_857,
      advancePercent: 80,
      advanceCents: 714_285,
      balanceCents: 178_572,
    });
    expect(mine).not.toHaveProperty('payoutIban');
    await request(f.http).get(`/api/v1/applications/${a.id}/allocation`).set(as(officerB)).expect(404);
    await request(f.http).get(`/api/v1/allocation-runs/${mine.runId}`).set(as(officerA)).expect(403);
    await request(f.http).get(`/api/v1/calls/${call.year}/allocation-runs`).set(as(officerA)).expect(403);
  });

  describe('settlement: balance or reclaim after the final report', () => {
    const line = (id: number, kpiLineId: number, body: object, status: number, token = reviewer) =>
      request(f.http).put(`/api/v1/applications/${id}/settlement/lines/${kpiLineId}`).set(as(token)).send(body).expect(status);
    const settle = (id: number, status: number) => request(f.http).post(`/api/v1/applications/${id}/settlement/close`).set(as(reviewer)).expect(status);
    const statementOf = async (id: number, token = reviewer) =>
      (await request(f.http).get(`/api/v1/applications/${id}/settlement`).set(as(token)).expect(200)).body.statement;

    it('computes the reclaim pro rata to the unrealised share beyond the tolerance, and refuses to close while a line is missing', async () => {
      // A's action 5: 7 of 10 realised, 30 % unrealised (tolerance 10 %): reclaim ⌊892.857 × 3/10⌋ = 267.857.
      // Balance 892.857 − 714.285 − 267.857 = −89.285: to recover.
      const statement = (await line(a.id, call.line(5).id, { realisedQuantity: 7 }, 200)).body;
      expect(statement).toMatchObject({ rule: { kind: 'pro-rata', tolerancePercent: 10 }, complete: false, reclaimCents: 267_857, balanceCents: -89_285 });
      expect(statement.lines.find((l: { kpiLineId: number }) => l.kpiLineId === call.line(5).id)).toMatchObject({
        confirmedQuantity: 10,
        realisedQuantity: 7,
        allocatedCents: 892_857,
        unrealisedQuantity: 3,
        withinTolerance: false,
        reclaimCents: 267_857,
      });
      await unchangedBy(() => settle(a.id, 409));
    });

    it('refuses bad quantities, a waiver without a reason, other roles and lines, and changes nothing', async () => {
      await unchangedBy(async () => {
        for (const realisedQuantity of [-1, 1.5, 'x', 1e9, null]) {
          expect(Object.keys((await line(a.id, call.line(5).id, { realisedQuantity }, 422)).body.errors)).toEqual(['realisedQuantity']);
        }
        expect(Object.keys((await line(a.id, call.line(5).id, { realisedQuantity: 7, waived: true, reason: '  ' }, 422)).body.errors)).toEqual(['reason']);
        await line(a.id, 999_999, { realisedQuantity: 1 }, 404);
        await line(a.id, call.line(5).id, { realisedQuantity: 10 }, 403, officerA);
        await line(a.id, call.line(5).id, { realisedQuantity: 10 }, 403, admin);
        await request(f.http).get(`/api/v1/applications/${a.id}/settlement`).set(as(officerB)).expect(404);
        expect((await request(f.http).get(`/api/v1/applications/${d.id}/settlement`).set(as(reviewer)).expect(200)).body).toEqual({
          published: false,
          statement: null,
        });
        await line(d.id, call.line(5).id, { realisedQuantity: 1 }, 409);
      });
    });

    it('closes once with every line recorded, orders the recovery, and is final', async () => {
      await line(a.id, call.line(9).id, { realisedQuantity: 4 }, 200);
      const closed = (await settle(a.id, 200)).body;
      expect(closed).toMatchObject({ complete: true, reclaimCents: 267_857, toPayCents: 0, toRecoverCents: 89_285, settled: { by: expect.any(String) } });
      expect(await statementOf(a.id, officerA)).toEqual(closed);
      await unchangedBy(async () => {
        await settle(a.id, 409);
        await line(a.id, call.line(9).id, { realisedQuantity: 3 }, 409);
      });
      const list = (await request(f.http).get(`/api/v1/allocation-runs/${closed.runId}/payments`).set(as(admin)).expect(200)).body;
      const recovery = list.items.find((p: { kind: string }) => p.kind === 'recovery');
      expect(recovery).toMatchObject({ applicantId: a.applicant.id, amountCents: 89_285 });
      expect(isStructuredCommunication(recovery.reference)).toBe(true);
    });

    it('waives a line with a reason and pays the balance', async () => {
      // B's action 9: nothing realised but the motivation accepted: no reclaim; balance 267.857 − 214.285 = 53.572.
      await line(b.id, call.line(5).id, { realisedQuantity: 0 }, 200);
      // Four eyes: the waiver of €2.678,57 (the line’s whole allocation) exceeds the call's threshold (€0): proposed, recorded without it.
      const proposed = (await line(b.id, call.line(9).id, { realisedQuantity: 0, waived: true, reason: 'Motivering aanvaard: zaal afgebrand.' }, 202)).body;
      expect(proposed.pendingWaivers).toEqual([
        { proposalId: expect.any(Number), kpiLineId: call.line(9).id, waivedCents: 267_857, proposedBy: expect.any(String), proposedAt: expect.any(String) },
      ]);
      expect(proposed.lines.find((l: { kpiLineId: number }) => l.kpiLineId === call.line(9).id)).toMatchObject({ waived: false, reclaimCents: 267_857 });
      await unchangedBy(() => settle(b.id, 409));
      await approveAs(f.http, proposed.pendingWaivers[0].proposalId, admin);
      const waived = await statementOf(b.id);
      expect(waived.pendingWaivers).toEqual([]);
      expect(waived.lines.find((l: { kpiLineId: number }) => l.kpiLineId === call.line(9).id)).toMatchObject({
        waived: true,
        waiverReason: 'Motivering aanvaard: zaal afgebrand.',
        reclaimCents: 0,
      });
      expect((await settle(b.id, 200)).body).toMatchObject({ reclaimCents: 0, balanceCents: 53_572, toPayCents: 53_572, toRecoverCents: 0 });
      const [payment] = await f.dataSource.query(`SELECT kind, amount_cents FROM payment WHERE applicant_id = $1 AND kind = 'balance'`, [b.applicant.id]);
      expect({ kind: payment.kind, amount: Number(payment.amount_cents) }).toEqual({ kind: 'balance', amount: 53_572 });
    });

    it('works as a form without JavaScript: a bad quantity is summarised and linked to its field, then C is settled', async () => {
      const reviewerPage = await signIn(f, 'beoordelaar@service.test', 'een lang wachtwoord voor tests');
      const page = await reviewerPage.get(`/aanvragen/${c.id}/afrekening`).expect(200);
      const field = `realisedQuantity-${call.line(5).id}`;
      await unchangedBy(async () => {
        const refused = await reviewerPage
          .post(`/aanvragen/${c.id}/afrekening/lijnen/${call.line(5).id}`)
          .type('form')
          .send({ _csrf: csrfFrom(page.text), realisedQuantity: '-3' })
          .expect(422);
        expect(refused.text).toContain(`<a href="#${field}">Geef een geheel aantal van 0 tot 10.000.000.</a>`);
        expect(refused.text).toContain(`id="${field}" name="realisedQuantity" type="text" inputmode="numeric" value="-3" aria-describedby="${field}-error"`);
      });
      await reviewerPage
        .post(`/aanvragen/${c.id}/afrekening/lijnen/${call.line(5).id}`)
        .type('form')
        .send({ _csrf: csrfFrom(page.text), realisedQuantity: '1' })
        .expect(303)
        .expect('Location', `/aanvragen/${c.id}/afrekening`);
      await reviewerPage
        .post(`/aanvragen/${c.id}/afrekening/afsluiten`)
        .type('form')
        .send({ _csrf: csrfFrom(page.text), confirmed: 'ja' })
        .expect(303);
      // C: everything realised, no reclaim; balance 339.286 − 271.428 = 67.858.
      const settled = await reviewerPage.get(`/aanvragen/${c.id}/afrekening`).expect(200);
      expect(settled.text).toContain('id="balance" data-cents="67858"');
      expect(settled.text).not.toContain('Afrekening afsluiten');
    });
  });
});
