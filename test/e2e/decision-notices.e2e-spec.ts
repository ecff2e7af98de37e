import request from 'supertest';
import { brusselsLocal } from '@ps/applications';
import { formatEuro } from '@ps/kernel';
import { NoticeWorker } from '@ps/notifications';
import { ApprovedFixture, CallFixture, Factories, startFactories } from '../support/factories';
import { approveAs } from '../support/four-eyes';
import { startSmtpServer, TestSmtpServer } from '../support/smtp';
import { snapshot } from '../support/test-app';

const DAY = 24 * 3600 * 1000;

/**
 * Issue 25: the decisions after an application's approval each tell the people they concern, once, in the step's own
 * transaction, by mail over a real SMTP server and in "Berichten": an invitation to a cooperation and its answer, a
 * published allocation, a report accepted or returned, a closed settlement. A refused step tells nobody.
 */
describe('notices of decisions', () => {
  let f: Factories;
  let smtp: TestSmtpServer;
  let call: CallFixture;
  let coop: ApprovedFixture;
  let alone: ApprovedFixture;
  let reviewer: string;
  let admin: string;
  let runId: number;
  const start = new Date();
  const as = (token: string) => ({ Authorization: `Bearer ${token}` });
  const officerOf = (lg: { nisCode: string | null }) => `medewerker-${lg.nisCode}@service.test`;
  const recipients = async (eventKey: string): Promise<string[]> =>
    (await f.dataSource.query(`SELECT recipient FROM mail_outbox WHERE event_key = $1 ORDER BY recipient`, [eventKey])).map(
      (r: { recipient: string }) => r.recipient,
    );
  const delivered = () => f.get(NoticeWorker).deliverWaiting();
  const tokenOf = async (lg: { id: number }) => f.bearer(await f.actors.officer(lg.id), 90);
  const messagesOf = async (lg: { id: number }): Promise<{ subject: string; link: string | null; body: string }[]> =>
    (
      await request(f.http)
        .get('/api/v1/messages')
        .set(as(await tokenOf(lg)))
        .expect(200)
    ).body.messages;
  // The notices written (not their delivery, which the worker may be doing meanwhile for an earlier step) and the tables.
  const written = async (tables: string[]) => ({
    notices: await f.dataSource.query(`SELECT id, event_key, recipient, subject, body FROM mail_outbox ORDER BY id`),
    tables: await snapshot(f.dataSource, tables),
  });
  const unchangedBy = async (tables: string[], attempt: () => Promise<unknown>) => {
    const before = await written(tables);
    await attempt();
    expect(await written(tables)).toEqual(before);
  };

  beforeAll(async () => {
    smtp = await startSmtpServer();
    f = await startFactories({ http: true, now: start, env: { SMTP_URL: smtp.url } });
    call = await f.aCall({
      settings: {
        budgetEuro: 15000,
        interimReportDue: brusselsLocal(new Date(start.getTime() + 10 * DAY)).slice(0, 16),
        finalReportDue: brusselsLocal(new Date(start.getTime() + 40 * DAY)).slice(0, 16),
      },
      kpiLines: [{ action: 5, unitAmountEuro: 1000, maxQuantity: 100 }],
    });
    // A cooperation for €10.000 and a local government alone for €2.000: the budget of €15.000 covers both in full.
    coop = await f.anApprovedApplication(call, { applicant: { kind: 'cooperation', size: 2 }, lines: [{ action: 5, planned: 10 }] });
    alone = await f.anApprovedApplication(call, { lines: [{ action: 5, planned: 2 }] });
    reviewer = await f.bearer(await f.actors.reviewer(), 90);
    admin = await f.bearer(await f.actors.administrator(), 90);
    await delivered();
  });
  afterAll(async () => {
    await f?.close();
    await smtp?.close();
  });

  describe('an invitation to a cooperation and its answer', () => {
    it('tells the invited local government, and its refusal or acceptance to the lead only; a stale invitation tells nobody', async () => {
      const cooperation = await f.anApplicant(call, { kind: 'cooperation', size: 3 });
      const [lead, invited, other] = cooperation.members;
      const leadToken = await f.bearer(cooperation.officer, 90);
      const invitedToken = await tokenOf(invited);
      const detailOf = async () => (await request(f.http).get(`/api/v1/applicants/${cooperation.id}`).set(as(leadToken)).expect(200)).body;
      await request(f.http)
        .delete(`/api/v1/applicants/${cooperation.id}/members/${invited.id}?version=${cooperation.detail.version}`)
        .set(as(leadToken))
        .expect(200);
      const invite = (version: number) =>
        request(f.http).post(`/api/v1/applicants/${cooperation.id}/members`).set(as(leadToken)).send({ localGovernmentId: invited.id, version });

      const current = (await detailOf()).version;
      await unchangedBy(['applicant', 'applicant_member'], () => invite(current - 1).expect(409));
      const afterInvite = (await invite(current).expect(200)).body;
      expect(afterInvite.members.find((m: { localGovernmentId: number }) => m.localGovernmentId === invited.id).state).toBe('invited');
      expect(await recipients(`invitation:${cooperation.id}:${invited.id}:${afterInvite.version}`)).toEqual([officerOf(invited)]);
      await delivered();
      const subject = `Uitnodiging: ${invited.nameNl} gevraagd voor de samenwerking ${cooperation.nameNl}`;
      const mail = smtp.latestTo(officerOf(invited));
      expect(mail.subject).toBe(subject);
      expect(mail.text).toContain(`${lead.nameNl} nodigt ${invited.nameNl} uit om deel te nemen aan de samenwerking "${cooperation.nameNl}"`);
      expect(mail.text).toContain(`${f.service.config.publicUrl}/aanvragers/${cooperation.id}\n`);
      const inBox = (await messagesOf(invited)).find((m) => m.subject === subject);
      expect(inBox?.link).toBe(`/aanvragers/${cooperation.id}`);
      for (const lg of [lead, other]) expect((await messagesOf(lg)).map((m) => m.subject)).not.toContain(subject);

      await request(f.http).post(`/api/v1/applicants/${cooperation.id}/invitations/${invited.id}/decline`).set(as(invitedToken)).expect(200);
      const declined = (await detailOf()).version;
      expect(await recipients(`invitation-answered:${cooperation.id}:${invited.id}:${declined}`)).toEqual([officerOf(lead)]);
      await delivered();
      expect(smtp.latestTo(officerOf(lead)).subject).toBe(`${invited.nameNl} weigert deel te nemen aan de samenwerking ${cooperation.nameNl}`);

      // Invited again (a new event), it accepts; a second answer to the same invitation is refused and tells nobody.
      const again = (await invite(declined).expect(200)).body;
      expect(await recipients(`invitation:${cooperation.id}:${invited.id}:${again.version}`)).toEqual([officerOf(invited)]);
      const accepted = (await request(f.http).post(`/api/v1/applicants/${cooperation.id}/invitations/${invited.id}/accept`).set(as(invitedToken)).expect(200))
        .body;
      expect(await recipients(`invitation-answered:${cooperation.id}:${invited.id}:${accepted.version}`)).toEqual([officerOf(lead)]);
      await unchangedBy(['applicant', 'applicant_member'], () =>
        request(f.http).post(`/api/v1/applicants/${cooperation.id}/invitations/${invited.id}/accept`).set(as(invitedToken)).expect(404),
      );
      await delivered();
      expect(smtp.latestTo(officerOf(lead)).subject).toBe(`${invited.nameNl} neemt deel aan de samenwerking ${cooperation.nameNl}`);
      const otherSubjects = (await messagesOf(other)).map((m) => m.subject);
      expect(otherSubjects.filter((s) => s.includes(invited.nameNl))).toEqual([]);
    });
  });

  describe('an allocation published', () => {
    it('a refused approval (a stale version) publishes and tells nothing', async () => {
      runId = (await request(f.http).post(`/api/v1/calls/${call.year}/allocation-runs`).set(as(reviewer)).send({}).expect(201)).body.id;
      const proposal = (await request(f.http).post(`/api/v1/allocation-runs/${runId}/publish`).set(as(reviewer)).send({}).expect(201)).body;
      await unchangedBy(['allocation_run', 'payment', 'money_proposal'], () =>
        request(f.http)
          .post(`/api/v1/proposals/${proposal.id}/approve`)
          .set(as(admin))
          .send({ version: proposal.version + 1 })
          .expect(409),
      );
      await approveAs(f.http, proposal.id, admin);
    });

    it("tells the officers of each applicant's lead and members its amount and advance, paid after the release", async () => {
      const share = (
        await request(f.http)
          .get(`/api/v1/applications/${coop.id}/allocation`)
          .set(as(await tokenOf(coop.applicant.lead)))
          .expect(200)
      ).body.share;
      // 10 × €1.000, in full; the call's advance percentage of it.
      expect(share.allocatedCents).toBe(10_000_00);
      expect(share.advanceCents).toBe(Math.floor((10_000_00 * call.settings.advancePercent) / 100));
      expect(await recipients(`allocation-published:${runId}:${coop.applicant.id}`)).toEqual(coop.applicant.members.map(officerOf).sort());
      expect(await recipients(`allocation-published:${runId}:${alone.applicant.id}`)).toEqual([officerOf(alone.applicant.lead)]);
      await delivered();
      const subject = `Verdeling gepubliceerd: ${formatEuro(10_000_00)} voor ${coop.applicant.nameNl}`;
      const mail = smtp.latestTo(officerOf(coop.applicant.members[1]));
      expect(mail.subject).toBe(subject);
      expect(mail.text).toContain(`Toegekend aan ${coop.applicant.nameNl}: ${formatEuro(10_000_00)}`);
      expect(mail.text).toContain(`Voorschot (${call.settings.advancePercent} %): ${formatEuro(share.advanceCents)}`);
      expect(mail.text).toContain('Het voorschot wordt betaald nadat het Agentschap de betaallijst heeft vrijgegeven.');
      expect(smtp.latestTo(officerOf(alone.applicant.lead)).subject).toBe(`Verdeling gepubliceerd: ${formatEuro(2_000_00)} voor ${alone.applicant.nameNl}`);
      const member = await messagesOf(coop.applicant.members[1]);
      expect(member.find((m) => m.subject === subject)?.link).toBe(`/aanvragen/${coop.id}`);
      expect((await messagesOf(alone.applicant.lead)).map((m) => m.subject)).not.toContain(subject);
    });
  });

  describe('reports and the settlement', () => {
    const url = (id: number, kind: string) => `/api/v1/applications/${id}/reports/${kind}`;
    const reportIdOf = async (id: number, kind: string) =>
      (await f.dataSource.query(`SELECT id FROM kpi_report WHERE application_id = $1 AND kind = $2`, [id, kind]))[0].id as number;
    const fillAndSubmit = async (fixture: ApprovedFixture, kind: string, realisedQuantity: number) => {
      const token = await tokenOf(fixture.applicant.lead);
      const { version } = (await request(f.http).get(url(fixture.id, kind)).set(as(token)).expect(200)).body;
      const line = { kpiLineId: call.line(5).id, realisedQuantity, approach: 'Taalcafé', partners: 'Bibliotheek', motivation: 'Zo verliep het project.' };
      const saved = (
        await request(f.http)
          .put(url(fixture.id, kind))
          .set(as(token))
          .send({ version, lines: [line] })
          .expect(200)
      ).body;
      return (
        await request(f.http)
          .post(`${url(fixture.id, kind)}/submit`)
          .set(as(token))
          .send({ version: saved.version })
          .expect(200)
      ).body;
    };
    const review = (id: number, kind: string, body: object) =>
      request(f.http)
        .post(`${url(id, kind)}/review`)
        .set(as(reviewer))
        .send(body);

    it("a report returned (with the reviewer's comment) and accepted: to the lead's officers only; a stale review tells nobody", async () => {
      const submitted = await fillAndSubmit(coop, 'interim', 5);
      // The submission itself goes to ABB's reviewers, who review it.
      const reviewers = (await f.dataSource.query(`SELECT email FROM app_user WHERE role = 'abb-reviewer' ORDER BY email`)).map(
        (r: { email: string }) => r.email,
      );
      expect(reviewers.length).toBeGreaterThan(0);
      expect(await recipients(`report-submitted:${await reportIdOf(coop.id, 'interim')}:${submitted.version - 1}`)).toEqual(reviewers);
      await delivered();
      expect(smtp.latestTo(reviewers[0]).subject).toBe(`Ingediend: tussentijds rapport van ${coop.applicant.nameNl}`);
      await unchangedBy(['kpi_report', 'kpi_report_line'], () =>
        review(coop.id, 'interim', { version: submitted.version - 1, decision: 'return', comment: 'Te laat bekeken.' }).expect(409),
      );
      const returned = (
        await review(coop.id, 'interim', { version: submitted.version, decision: 'return', comment: 'Vermeld de partners per activiteit.' }).expect(200)
      ).body;
      const reportId = await reportIdOf(coop.id, 'interim');
      expect(await recipients(`report-returned:${reportId}:${returned.version}`)).toEqual([officerOf(coop.applicant.lead)]);
      await delivered();
      const mail = smtp.latestTo(officerOf(coop.applicant.lead));
      expect(mail.subject).toBe(`Terug voor aanpassing: tussentijds rapport van ${coop.applicant.nameNl}`);
      expect(mail.text).toContain('Opmerkingen:\nVermeld de partners per activiteit.');

      const token = await tokenOf(coop.applicant.lead);
      const again = (
        await request(f.http)
          .post(`${url(coop.id, 'interim')}/submit`)
          .set(as(token))
          .send({ version: returned.version })
          .expect(200)
      ).body;
      const accepted = (await review(coop.id, 'interim', { version: again.version, decision: 'accept' }).expect(200)).body;
      expect(await recipients(`report-accepted:${reportId}:${accepted.version}`)).toEqual([officerOf(coop.applicant.lead)]);
      await delivered();
      const subject = `Aanvaard: tussentijds rapport van ${coop.applicant.nameNl}`;
      expect(smtp.latestTo(officerOf(coop.applicant.lead)).subject).toBe(subject);
      expect((await messagesOf(coop.applicant.lead)).find((m) => m.subject === subject)?.link).toBe(`/aanvragen/${coop.id}`);
      expect((await messagesOf(coop.applicant.members[1])).map((m) => m.subject)).not.toContain(subject);
    });

    it('a settlement closed by the final report: the balance with its computation, to the officers of the lead and members', async () => {
      const submitted = await fillAndSubmit(coop, 'final', 10);
      const accepted = (await review(coop.id, 'final', { version: submitted.version, decision: 'accept' }).expect(200)).body;
      expect(await recipients(`report-accepted:${await reportIdOf(coop.id, 'final')}:${accepted.version}`)).toEqual([officerOf(coop.applicant.lead)]);
      const statement = (await request(f.http).get(`/api/v1/applications/${coop.id}/settlement`).set(as(reviewer)).expect(200)).body.statement;
      // Everything realised: no reclaim; the balance is what the advance left.
      expect(statement).toMatchObject({ allocatedCents: 10_000_00, reclaimCents: 0, settled: { by: expect.any(String) } });
      expect(statement.balanceCents).toBe(10_000_00 - statement.advanceCents);
      expect(await recipients(`settlement-closed:${coop.id}`)).toEqual(coop.applicant.members.map(officerOf).sort());
      await delivered();
      const mail = smtp.latestTo(officerOf(coop.applicant.members[1]));
      expect(mail.subject).toBe(`Afrekening: saldo ${formatEuro(statement.balanceCents)} voor ${coop.applicant.nameNl}`);
      expect(mail.text).toMatch(/heeft op \d{1,2} \w+ \d{4} \d{2}:\d{2} \(Brusselse tijd\) de afrekening van /);
      expect(mail.text).toContain(
        [
          'Berekening:',
          `Toegekend bedrag: ${formatEuro(10_000_00)}`,
          `Min terugvordering voor wat niet werd gerealiseerd: ${formatEuro(0)}`,
          `Min reeds betaald voorschot: ${formatEuro(statement.advanceCents)}`,
          `Saldo: ${formatEuro(statement.balanceCents)}`,
        ].join('\n'),
      );
      expect(mail.text).toContain(`Saldo dat u nog ontvangt: ${formatEuro(statement.balanceCents)}.`);
      expect((await messagesOf(alone.applicant.lead)).map((m) => m.subject)).not.toContain(mail.subject);

      // Closing it again is refused and tells nobody.
      await unchangedBy(['settlement', 'payment'], () =>
        request(f.http).post(`/api/v1/applications/${coop.id}/settlement/close`).set(as(reviewer)).expect(409),
      );
    });

    it('a settlement with a reclaim larger than the balance: the amount to pay back, with its computation', async () => {
      const submitted = await fillAndSubmit(alone, 'final', 1);
      await review(alone.id, 'final', { version: submitted.version, decision: 'accept' }).expect(200);
      const statement = (await request(f.http).get(`/api/v1/applications/${alone.id}/settlement`).set(as(reviewer)).expect(200)).body.statement;
      // 1 of 2 realised: half of €2.000 unrealised is reclaimed (beyond the tolerance), more than the balance the advance left.
      expect(statement.reclaimCents).toBeGreaterThan(0);
      expect(statement.balanceCents).toBe(2_000_00 - statement.advanceCents - statement.reclaimCents);
      expect(statement.balanceCents).toBeLessThan(0);
      expect(await recipients(`settlement-closed:${alone.id}`)).toEqual([officerOf(alone.applicant.lead)]);
      await delivered();
      const mail = smtp.latestTo(officerOf(alone.applicant.lead));
      expect(mail.subject).toBe(`Afrekening: ${formatEuro(-statement.balanceCents)} terug te betalen voor ${alone.applicant.nameNl}`);
      expect(mail.text).toContain(`Min terugvordering voor wat niet werd gerealiseerd: ${formatEuro(statement.reclaimCents)}`);
      expect(mail.text).toContain(`Terug te betalen: ${formatEuro(-statement.balanceCents)}.`);
    });
  });
});
