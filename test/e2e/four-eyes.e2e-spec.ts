import request from 'supertest';
import { AllocationFixture, threeApprovedAndOnePending } from '../support/allocation-fixture';
import { Factories, startFactories } from '../support/factories';
import { approveAs } from '../support/four-eyes';
import { csrfFrom, signIn } from '../support/sessions';
import { snapshot } from '../support/test-app';

const TABLES = ['allocation_run', 'money_proposal', 'payment', 'settlement_line', 'settlement', 'audit_event', 'mail_outbox'];
const PASSWORD = 'een lang wachtwoord voor tests';
const CONFIRM = { confirmPendingReview: true, reason: 'D volgt later.' };

/**
 * Issue 26, four eyes on every euro: publishing an allocation, releasing a payment list and waiving a reclaim above the
 * call's threshold need two different ABB people. The call of `threeApprovedAndOnePending` (budget €15.000; A €8.928,57,
 * B €2.678,57, C €3.392,86 allocated by priority rounds).
 */
describe('four eyes on money', () => {
  let f: Factories;
  let fx: AllocationFixture;
  let reviewer: string;
  let secondReviewer: string;
  let admin: string;
  let analyst: string;
  let officer: string;
  const as = (token: string) => ({ Authorization: `Bearer ${token}` });
  const simulate = async () => (await request(f.http).post(`/api/v1/calls/${fx.call.year}/allocation-runs`).set(as(reviewer)).send({}).expect(201)).body;
  const propose = async (runId: number, token = reviewer) =>
    (await request(f.http).post(`/api/v1/allocation-runs/${runId}/publish`).set(as(token)).send(CONFIRM).expect(201)).body;
  const decide = (id: number, step: 'approve' | 'withdraw', token: string, version = 1) =>
    request(f.http).post(`/api/v1/proposals/${id}/${step}`).set(as(token)).send({ version });
  const published = async () => (await f.dataSource.query(`SELECT id FROM allocation_run WHERE published_at IS NOT NULL`)).map((r: { id: number }) => r.id);
  const unchangedBy = async (attempt: () => Promise<unknown>) => {
    const before = await snapshot(f.dataSource, TABLES);
    await attempt();
    expect(await snapshot(f.dataSource, TABLES)).toEqual(before);
  };
  const history = async (entityType: string, id: number) =>
    (await request(f.http).get(`/api/v1/history/${entityType}/${id}`).set(as(admin)).expect(200)).body as { action: string; actorLabel: string; at: string }[];

  beforeAll(async () => {
    f = await startFactories({ http: true });
    fx = await threeApprovedAndOnePending(f);
    [reviewer, secondReviewer, admin, analyst, officer] = await Promise.all([
      f.actors.reviewer().then((x) => f.bearer(x)),
      f.actors.another('abb-reviewer', 'Tina Tweede').then((x) => f.bearer(x)),
      f.actors.administrator().then((x) => f.bearer(x)),
      f.actors.another('vvsg-analyst', 'Vera VVSG').then((x) => f.bearer(x)),
      f.bearer(fx.a.applicant.officer),
    ]);
  });
  afterAll(() => f?.close());

  it('lets nobody publish alone: the proposer, an analyst or an officer cannot approve, and nothing changes', async () => {
    const run = await simulate();
    const proposal = await propose(run.id);
    expect(proposal).toMatchObject({
      kind: 'publish-allocation',
      state: 'pending',
      version: 1,
      runId: run.id,
      proposedBy: expect.stringContaining('Bart Beoordelaar'),
      totals: {
        subject: `Verdeling ${run.id} van projectjaar ${fx.call.year}`,
        amountCents: 1_500_000,
        count: 3,
        // Advances: 80 % of each share, rounded down: 714.285 + 214.285 + 271.428.
        lines: [
          { label: 'Budget', cents: 1_500_000 },
          { label: 'Verdeeld', cents: 1_500_000 },
          { label: 'Voorschotten op de betaallijst', cents: 1_199_998 },
        ],
      },
    });
    await unchangedBy(async () => {
      const own = await decide(proposal.id, 'approve', reviewer).expect(403);
      expect(own.body.message).toBe('U hebt dit voorstel zelf gedaan: een tweede persoon van ABB moet het goedkeuren.');
      await decide(proposal.id, 'approve', analyst).expect(403);
      await decide(proposal.id, 'approve', officer).expect(403);
      await decide(proposal.id, 'withdraw', analyst).expect(403);
      // A second proposal of the same publication while one waits, a stale version, bad versions.
      expect((await request(f.http).post(`/api/v1/allocation-runs/${run.id}/publish`).set(as(reviewer)).send(CONFIRM).expect(409)).body).toMatchObject({
        proposalId: proposal.id,
      });
      await decide(proposal.id, 'approve', admin, 2).expect(409);
      for (const version of ['x', 0, null]) {
        expect(Object.keys((await decide(proposal.id, 'approve', admin, version as number).expect(422)).body.errors)).toEqual(['version']);
      }
      await decide(999_999, 'approve', admin).expect(404);
      // An administrator cannot propose (allocation:manage is the reviewers').
      await request(f.http).post(`/api/v1/allocation-runs/${run.id}/publish`).set(as(admin)).send(CONFIRM).expect(403);
    });
    expect(await published()).toEqual([]);
    // The proposer withdraws it: nothing is published, and it can no longer be approved.
    expect((await decide(proposal.id, 'withdraw', reviewer).expect(200)).body).toMatchObject({ state: 'withdrawn', version: 2, decidedBy: expect.any(String) });
    await unchangedBy(() => decide(proposal.id, 'approve', admin, 2).expect(409));
    expect(await published()).toEqual([]);
    expect((await history('allocation-run', run.id)).map((e) => e.action)).toEqual(['simulated', 'publication-proposed', 'publication-withdrawn']);
  });

  it('refuses an approval whose inputs changed since the proposal, with what changed, and changes nothing', async () => {
    const run = await simulate();
    const proposal = await propose(run.id);
    // The simulation is run again.
    await simulate();
    await unchangedBy(async () => {
      const res = await decide(proposal.id, 'approve', admin).expect(409);
      expect(res.body.changed).toEqual([{ input: 'latestRunId', message: 'Er is intussen een nieuwere simulatie van deze oproep berekend.' }]);
      expect(res.body.message).toContain('Er is intussen een nieuwere simulatie');
    });
    await decide(proposal.id, 'withdraw', admin).expect(200);
    // Another application is approved (as after a reopened one is decided again).
    const later = await simulate();
    const second = await propose(later.id);
    await f.anApprovedApplication(fx.call, { lines: [{ action: 9, planned: 1, confirmed: 0 }] });
    await unchangedBy(async () => {
      const res = await decide(second.id, 'approve', admin).expect(409);
      expect(res.body.changed.map((c: { input: string }) => c.input)).toContain('approvedApplications');
    });
    await decide(second.id, 'withdraw', secondReviewer).expect(200);
    expect(await published()).toEqual([]);
  });

  it('tells the other ABB people of a proposal, lists it for approvers, and shows it on the page with its totals', async () => {
    const run = await simulate();
    const outbox = async () =>
      f.dataSource.query(`SELECT recipient, subject, body FROM mail_outbox WHERE subject LIKE 'Voorstel ter goedkeuring%' ORDER BY id`);
    const before = (await outbox()).length;
    f.clock.set(new Date(f.clock.now().getTime() + 60_000)); // the proposal's time is the platform's clock, not the database's
    const proposal = await propose(run.id);
    expect(proposal.proposedAt).toBe(f.clock.now().toISOString());
    const mails = (await outbox()).slice(before);
    expect(mails.map((m: { recipient: string }) => m.recipient).sort()).toEqual(['beheerder@service.test', 'tina-tweede@service.test']);
    expect(mails[0]).toMatchObject({ subject: 'Voorstel ter goedkeuring: verdeling publiceren' });
    expect(mails[0].body).toContain(`/voorstellen/${proposal.id}`);
    expect(mails[0].body).toMatch(/15\.000,00/);

    const pending = (await request(f.http).get('/api/v1/proposals').set(as(admin)).expect(200)).body;
    expect(pending.map((p: { id: number }) => p.id)).toContain(proposal.id);
    await request(f.http).get('/api/v1/proposals').set(as(analyst)).expect(403);

    const page = await signIn(f, 'beheerder@service.test', PASSWORD);
    const list = await page.get('/voorstellen').expect(200);
    expect(list.text).toContain(`href="/voorstellen/${proposal.id}"`);
    const detail = await page.get(`/voorstellen/${proposal.id}`).expect(200);
    expect(detail.text).toContain('id="amount" data-cents="1500000"');
    expect(detail.text).toContain('id="approve"');
    // The proposer's page offers no approval, only the withdrawal.
    const proposer = await signIn(f, 'beoordelaar@service.test', PASSWORD);
    const own = await proposer.get(`/voorstellen/${proposal.id}`).expect(200);
    expect(own.text).not.toContain('id="approve"');
    expect(own.text).toContain('id="withdraw"');
    // Posted anyway, it is refused on the error page with the reason, and nothing changes.
    await unchangedBy(async () => {
      const refused = await proposer
        .post(`/voorstellen/${proposal.id}/goedkeuren`)
        .type('form')
        .send({ _csrf: csrfFrom(own.text), version: '1' })
        .expect(403);
      expect(refused.text).toContain('U hebt dit voorstel zelf gedaan: een tweede persoon van ABB moet het goedkeuren.');
    });

    // Approved on the page, without JavaScript: the run is published, with both names in its history.
    await page
      .post(`/voorstellen/${proposal.id}/goedkeuren`)
      .type('form')
      .send({ _csrf: csrfFrom(detail.text), version: '1' })
      .expect(303)
      .expect('Location', `/verdelingen/${run.id}`);
    expect(await published()).toEqual([run.id]);
    const entries = await history('allocation-run', run.id);
    expect(entries.map((e) => e.action)).toEqual(['simulated', 'publication-proposed', 'publication-approved', 'published']);
    expect(entries[1].actorLabel).toContain('Bart Beoordelaar');
    expect(entries[2].actorLabel).toContain('An Beheerder');
    expect((await request(f.http).get(`/api/v1/allocation-runs/${run.id}`).set(as(admin)).expect(200)).body.publishedBy).toContain('An Beheerder');
  });

  it('releases a payment list only with two people; only released payments go to finance', async () => {
    const [runId] = await published();
    const csv = () => request(f.http).get(`/api/v1/allocation-runs/${runId}/payments.csv`).set(as(admin));
    await csv().expect(409);
    const proposal = (await request(f.http).post(`/api/v1/allocation-runs/${runId}/payments/release`).set(as(reviewer)).expect(201)).body;
    expect(proposal.totals).toMatchObject({ amountCents: 1_199_998, count: 3 });
    await unchangedBy(() => decide(proposal.id, 'approve', reviewer).expect(403));
    await csv().expect(409);
    await approveAs(f.http, proposal.id, secondReviewer);
    expect((await csv().expect(200)).text.split('\r\n').filter((l) => l.includes('voorschot'))).toHaveLength(3);
    const list = (await request(f.http).get(`/api/v1/allocation-runs/${runId}/payments`).set(as(admin)).expect(200)).body;
    expect(list.items.every((p: { releasedAt: string | null }) => p.releasedAt !== null)).toBe(true);
    await unchangedBy(() => request(f.http).post(`/api/v1/allocation-runs/${runId}/payments/release`).set(as(reviewer)).expect(409));
    const entries = await history('allocation-run', runId);
    expect(entries.slice(-3).map((e) => e.action)).toEqual(['release-proposed', 'release-approved', 'payments-released']);
  });

  it('asks a second person for a waiver above the call threshold only, and closes no settlement while one waits', async () => {
    const line = (kpiLineId: number, body: object, status: number, token = reviewer) =>
      request(f.http).put(`/api/v1/applications/${fx.b.id}/settlement/lines/${kpiLineId}`).set(as(token)).send(body).expect(status);
    const settle = (status: number) => request(f.http).post(`/api/v1/applications/${fx.b.id}/settlement/close`).set(as(reviewer)).expect(status);
    const threshold = async (euro: string) => {
      const call = (await request(f.http).get(`/api/v1/calls/${fx.call.year}`).set(as(admin)).expect(200)).body;
      return (
        await request(f.http)
          .patch(`/api/v1/calls/${fx.call.year}`)
          .set(as(admin))
          .send({ version: call.version, waiverApprovalThresholdEuro: euro })
          .expect(200)
      ).body.waiverApprovalThresholdCents;
    };
    const line5 = fx.call.line(5).id;
    const line9 = fx.call.line(9).id;
    await line(line5, { realisedQuantity: 3 }, 200);
    // B's action 9 (€2.678,57 allocated), nothing realised, the motivation accepted: the waiver forgoes €2.678,57 > €0.
    const proposed = (await line(line9, { realisedQuantity: 0, waived: true, reason: 'Zaal afgebrand.' }, 202)).body;
    expect(proposed.pendingWaivers).toEqual([
      { proposalId: expect.any(Number), kpiLineId: line9, waivedCents: 267_857, proposedBy: expect.stringContaining('Bart'), proposedAt: expect.any(String) },
    ]);
    expect(proposed.lines.find((l: { kpiLineId: number }) => l.kpiLineId === line9)).toMatchObject({
      realisedQuantity: 0,
      waived: false,
      reclaimCents: 267_857,
    });
    const proposalId = proposed.pendingWaivers[0].proposalId;
    expect((await request(f.http).get(`/api/v1/proposals/${proposalId}`).set(as(admin)).expect(200)).body).toMatchObject({
      kind: 'waive-reclaim',
      applicationId: fx.b.id,
      kpiLineId: line9,
      input: { realisedQuantity: 0, reason: 'Zaal afgebrand.', closeSettlement: false },
      totals: { amountCents: 267_857, lines: [{ cents: 267_857 }, { cents: 267_857 }, { label: 'Drempel van de oproep', cents: 0 }] },
    });
    await unchangedBy(async () => {
      await settle(409);
      await decide(proposalId, 'approve', reviewer).expect(403);
    });
    await decide(proposalId, 'withdraw', admin).expect(200);

    // Up to €3.000 one person may waive: recorded at once, no proposal.
    expect(await threshold('3000')).toBe(300_000);
    const direct = (await line(line9, { realisedQuantity: 0, waived: true, reason: 'Zaal afgebrand.' }, 200)).body;
    expect(direct.pendingWaivers).toEqual([]);
    expect(direct.lines.find((l: { kpiLineId: number }) => l.kpiLineId === line9)).toMatchObject({ waived: true, reclaimCents: 0 });

    // Back to €0: a changed waiver needs four eyes again; approved by another person, it is recorded with both names.
    expect(await threshold('0')).toBe(0);
    const again = (await line(line9, { realisedQuantity: 0, waived: true, reason: 'Zaal afgebrand; verslag brandweer.' }, 202)).body;
    await approveAs(f.http, again.pendingWaivers[0].proposalId, admin);
    const statement = (await request(f.http).get(`/api/v1/applications/${fx.b.id}/settlement`).set(as(reviewer)).expect(200)).body.statement;
    expect(statement.lines.find((l: { kpiLineId: number }) => l.kpiLineId === line9)).toMatchObject({
      waived: true,
      waiverReason: 'Zaal afgebrand; verslag brandweer.',
      reclaimCents: 0,
    });
    expect((await history('application', fx.b.id)).map((e) => e.action).slice(-3)).toEqual(['waiver-proposed', 'waiver-approved', 'final-result-recorded']);
    // B's balance: 267.857 − 214.285 = 53.572.
    expect((await settle(200)).body).toMatchObject({ reclaimCents: 0, toPayCents: 53_572 });
  });

  it('gives exactly one approval when two approvers approve at once', async () => {
    const [runId] = await published();
    const proposal = (await request(f.http).post(`/api/v1/allocation-runs/${runId}/payments/release`).set(as(reviewer)).expect(201)).body;
    expect(proposal.totals).toMatchObject({ count: 1, amountCents: 53_572 });
    const answers = await Promise.all([decide(proposal.id, 'approve', admin), decide(proposal.id, 'approve', secondReviewer)]);
    expect(answers.map((r) => r.status).sort()).toEqual([200, 409]);
    const [row] = await f.dataSource.query(`SELECT state, version FROM money_proposal WHERE id = $1`, [proposal.id]);
    expect(row).toEqual({ state: 'approved', version: 2 });
    expect(await f.dataSource.query(`SELECT count(*)::int AS n FROM payment WHERE release_proposal_id = $1`, [proposal.id])).toEqual([{ n: 1 }]);
    expect((await history('allocation-run', runId)).filter((e) => e.action === 'release-approved')).toHaveLength(2);
  });

  it('refuses to approve a release whose payments changed since the proposal', async () => {
    const [runId] = await published();
    const settleFully = async (application: typeof fx.a) => {
      for (const line of application.lines)
        await request(f.http)
          .put(`/api/v1/applications/${application.id}/settlement/lines/${line.kpiLineId}`)
          .set(as(reviewer))
          .send({ realisedQuantity: line.confirmedQuantity })
          .expect(200);
      await request(f.http).post(`/api/v1/applications/${application.id}/settlement/close`).set(as(reviewer)).expect(200);
    };
    await settleFully(fx.a);
    const proposal = (await request(f.http).post(`/api/v1/allocation-runs/${runId}/payments/release`).set(as(reviewer)).expect(201)).body;
    expect(proposal.totals).toMatchObject({ count: 1, amountCents: 178_572 });
    await settleFully(fx.c);
    await unchangedBy(async () => {
      expect((await decide(proposal.id, 'approve', admin).expect(409)).body.changed).toEqual([
        { input: 'payments', message: 'De betalingen die op vrijgave wachten, zijn gewijzigd.' },
      ]);
    });
  });
});
