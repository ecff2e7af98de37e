import request from 'supertest';
import { ApplicationsService, ReviewService, submissionDigest } from '@ps/applications';
import { NoticeWorker } from '@ps/notifications';
import { ApprovedFixture, CallFixture, Factories, startFactories, SubmittedFixture } from '../support/factories';
import { startSmtpServer, TestSmtpServer } from '../support/smtp';
import { snapshot } from '../support/test-app';

/**
 * Issue 25: an application's steps each send one notice per recipient, written in the step's transaction and delivered
 * over SMTP (a real server here) and into "Berichten": the receipt of a submission (with its SHA-256 digest, kept), a
 * return for changes with the comments, an approval.
 */
describe('notices of an application', () => {
  let f: Factories;
  let smtp: TestSmtpServer;
  let call: CallFixture;
  let submitted: SubmittedFixture;
  let reviewers: string[];
  const officerOf = (lg: { nisCode: string | null }) => `medewerker-${lg.nisCode}@service.test`;
  const outboxFor = (eventKey: string) =>
    f.dataSource.query(`SELECT recipient, user_id AS "userId", subject, body, link FROM mail_outbox WHERE event_key = $1 ORDER BY recipient`, [eventKey]);
  const delivered = () => f.get(NoticeWorker).deliverWaiting();

  beforeAll(async () => {
    smtp = await startSmtpServer();
    f = await startFactories({ http: true, env: { SMTP_URL: smtp.url } });
    call = await f.aCall();
    await f.actors.reviewer();
    submitted = await f.aSubmittedApplication(call, { applicant: { kind: 'cooperation', size: 2 } });
    reviewers = (await f.dataSource.query(`SELECT email FROM app_user WHERE role = 'abb-reviewer' AND active ORDER BY email`)).map(
      (r: { email: string }) => r.email,
    );
    await delivered();
  });
  afterAll(async () => {
    await f?.close();
    await smtp?.close();
  });

  it('a submission: a receipt with the time in Brussels, the reference and the digest, kept; to the members and ABB reviewers', async () => {
    const { application, applicant } = submitted;
    const [stored] = await f.dataSource.query(`SELECT submitted_digest FROM application WHERE id = $1`, [application.id]);
    expect(stored.submitted_digest).toBe(submissionDigest(application));
    const rows = await outboxFor(`submission-received:${application.id}:${application.version}`);
    expect(rows.map((r: { recipient: string }) => r.recipient).sort()).toEqual([...applicant.members.map(officerOf), ...reviewers].sort());
    expect(rows.every((r: { userId: number | null }) => r.userId !== null)).toBe(true);
    const reference = `PS-${call.year}-${String(application.id).padStart(5, '0')}`;
    const mail = smtp.latestTo(officerOf(applicant.members[1]));
    expect(mail.subject).toBe(`Ontvangen: aanvraag ${reference} van ${applicant.nameNl}`);
    expect(mail.text).toContain(`Referentie: ${reference}`);
    expect(mail.text).toMatch(/Ontvangen op: \d{1,2} \w+ \d{4} \d{2}:\d{2} \(Brusselse tijd\)/);
    expect(mail.text).toContain(`Vingerafdruk (SHA-256) van wat werd ingediend: ${stored.submitted_digest}`);
    expect(mail.text).toContain(call.nameNl);
    expect(smtp.latestTo(reviewers[0]).subject).toBe(mail.subject);
  });

  it('a refused step sends nothing', async () => {
    const before = await snapshot(f.dataSource, ['mail_outbox', 'application']);
    const reviewer = await f.actors.reviewer();
    // A stale version: refused with 409, nothing written.
    await expect(f.get(ReviewService).sendBack(reviewer, submitted.id, submitted.application.version - 1, 'Te laat.', [])).rejects.toMatchObject({
      code: 'stale_version',
    });
    expect(await snapshot(f.dataSource, ['mail_outbox', 'application'])).toEqual(before);
  });

  it('returned for changes: the comments, to the officers of the lead only', async () => {
    const reviewer = await f.actors.reviewer();
    const line = submitted.lines[0];
    const inReview = await f.get(ApplicationsService).startReview(reviewer, submitted.id, submitted.application.version);
    const after = await f
      .get(ReviewService)
      .sendBack(reviewer, submitted.id, inReview.version, 'Verduidelijk het bereik.', [{ kpiLineId: line.kpiLineId, comment: 'Dit aantal lijkt hoog.' }]);
    const rows = await outboxFor(`application-returned:${submitted.id}:${after.version}`);
    expect(rows.map((r: { recipient: string }) => r.recipient)).toEqual([officerOf(submitted.applicant.lead)]);
    await delivered();
    const mail = smtp.latestTo(officerOf(submitted.applicant.lead));
    expect(mail.subject).toBe(`Terug voor aanpassing: aanvraag van ${submitted.applicant.nameNl}`);
    expect(mail.text).toContain('Opmerkingen:\nVerduidelijk het bereik.\n- Actie ');
    expect(mail.text).toContain(': Dit aantal lijkt hoog.');
  });

  it('an approval: to the officers of the lead and the members, in "Berichten" too', async () => {
    const approved: ApprovedFixture = await f.anApprovedApplication(call, { applicant: { kind: 'cooperation', size: 2 } });
    const rows = await outboxFor(`application-approved:${approved.id}:${approved.application.version}`);
    expect(rows.map((r: { recipient: string }) => r.recipient).sort()).toEqual(approved.applicant.members.map(officerOf).sort());
    expect(rows[0].body).toContain(`${f.service.config.publicUrl}/aanvragen/${approved.id}/beslissingsbrief`);
    await delivered();
    const to = officerOf(approved.applicant.members[1]);
    expect(smtp.received.filter((m) => m.rcptTo.includes(to)).map((m) => m.subject)).toContain(`Goedgekeurd: aanvraag van ${approved.applicant.nameNl}`);

    const member = await f.actors.officer(approved.applicant.members[1].id);
    const messages = await request(f.http)
      .get('/api/v1/messages')
      .set('Authorization', `Bearer ${await f.bearer(member)}`)
      .expect(200);
    expect(messages.body.messages.map((m: { subject: string }) => m.subject)).toEqual(
      expect.arrayContaining([`Goedgekeurd: aanvraag van ${approved.applicant.nameNl}`, expect.stringMatching(/^Ontvangen: aanvraag PS-/)]),
    );
    expect(messages.body.messages.find((m: { subject: string }) => m.subject.startsWith('Goedgekeurd')).link).toBe(`/aanvragen/${approved.id}`);
  });
});
