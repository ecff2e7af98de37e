import { INestApplicationContext, Logger } from '@nestjs/common';
import { Test } from '@nestjs/testing';
import { Client } from 'pg';
import request from 'supertest';
import { loadConfig } from '@ps/config';
import { UsersService } from '@ps/identity';
import { brusselsToInstant, Clock } from '@ps/kernel';
import { MailDelivery, MailOutbox, NoticeWorker } from '@ps/notifications';
import { AppModule } from '../../apps/platform/src/app.module';
import { REMINDERS_LOCK, ReportReminders } from '../../libs/reporting/src/reminders';
import { ApplicantFixture, ApprovedFixture, CallFixture, Factories, startFactories, SubmittedFixture } from '../support/factories';
import { signIn } from '../support/sessions';
import { ReceivedMail, startSmtpServer, TestSmtpServer } from '../support/smtp';

const PASSWORD = 'een lang wachtwoord voor tests';
const PUBLIC_URL = 'https://plansamenleven.test';
const INTERIM_DUE = '2025-03-31T23:59';
const FINAL_DUE = '2025-05-15T12:00';
/** Two instances on one database need a database server: an embedded PGlite belongs to one process (see below). */
const ON_SERVER = !!process.env.DATABASE_URL;

/**
 * Issue 11: reminders of missing reports, 14 and 3 days before the deadline and on the day itself, sent once, by one
 * instance, over a real SMTP server (smtp-server on 127.0.0.1) and to the outbox.
 *
 * The call's interim report is due 31 March 2025 23:59 and its final report 15 May 2025 12:00 (Brussels).
 *   A  alone, "Sint-Niklaas & co"           nothing reported                 → every reminder
 *   B  cooperation of two                  interim report saved as a draft  → every reminder, to the officers of both members
 *   C  alone                               interim report submitted         → final reminders only
 *   D  submitted, not approved             —                                → nothing
 */
describe('report reminders', () => {
  let smtp: TestSmtpServer;
  let f: Factories;
  let call: CallFixture;
  let a: ApprovedFixture;
  let b: ApprovedFixture;
  let c: ApprovedFixture;
  let d: SubmittedFixture;
  let reminders: ReportReminders;
  let extraOfficer: string;
  let inactiveOfficer: string;
  /** What the SMTP server received 14 days before the interim deadline. */
  let fourteenDays: ReceivedMail[] = [];

  const at = (brusselsLocal: string) => f.clock.set(brusselsToInstant(brusselsLocal));
  const sentRows = async (): Promise<string[]> =>
    (await f.dataSource.query(`SELECT application_id, kind, days_before FROM report_reminder ORDER BY application_id, kind, days_before DESC`)).map(
      (r: { application_id: number; kind: string; days_before: number }) => `${r.application_id} ${r.kind} ${r.days_before}`,
    );
  /** Runs the job and returns what it says, the mails it put in the outbox and the messages the SMTP server received. */
  const runAt = async (brusselsLocal: string) => {
    at(brusselsLocal);
    const outboxBefore = await latestOutboxId();
    smtp.received.length = 0;
    const result = await reminders.run();
    // Mail goes out after the run's commit (NoticeWorker): wait for that delivery.
    await f.get(NoticeWorker).deliverWaiting();
    return { result, outbox: (await f.get(MailOutbox).latest(1000)).filter((m) => m.id > outboxBefore).reverse(), smtp: [...smtp.received] };
  };
  const latestOutboxId = async () => (await f.get(MailOutbox).latest(1))[0]?.id ?? 0;
  const officerOf = (lg: { nisCode: string | null }) => `medewerker-${lg.nisCode}@service.test`;
  const officersOf = (applicant: ApplicantFixture) => applicant.members.map(officerOf);
  const forApplication = (mails: ReceivedMail[], application: { id: number }) => mails.filter((m) => m.text.includes(`/aanvragen/${application.id}/`));

  beforeAll(async () => {
    smtp = await startSmtpServer();
    f = await startFactories({
      http: true,
      now: brusselsToInstant('2025-03-01T10:00'),
      env: { SMTP_URL: `smtp://127.0.0.1:${smtp.port}`, PUBLIC_URL, MAIL_FROM: 'Plan Samenleven <noreply@plansamenleven.test>' },
    });
    call = await f.aCall({ settings: { interimReportDue: INTERIM_DUE, finalReportDue: FINAL_DUE } });
    a = await f.anApprovedApplication(call, { applicant: { nameNl: 'Sint-Niklaas & co' } });
    b = await f.anApprovedApplication(call, { applicant: { kind: 'cooperation', size: 2 } });
    c = await f.anApprovedApplication(call);
    d = await f.aSubmittedApplication(call);

    // A second officer of B's second member, and a deactivated one: only active officers hear of it.
    const admin = await f.actors.administrator();
    const users = f.get(UsersService);
    const member = b.applicant.members[1];
    extraOfficer = `tweede-${member.nisCode}@service.test`;
    inactiveOfficer = `vertrokken-${member.nisCode}@service.test`;
    await users.createWithPassword(admin, {
      email: extraOfficer,
      displayName: 'Tweede medewerker',
      role: 'municipal-officer',
      localGovernmentId: member.id,
      password: PASSWORD,
    });
    const gone = await users.createWithPassword(admin, {
      email: inactiveOfficer,
      displayName: 'Vertrokken medewerker',
      role: 'municipal-officer',
      localGovernmentId: member.id,
      password: PASSWORD,
    });
    await users.update(admin, gone.id, {
      displayName: gone.displayName,
      role: 'municipal-officer',
      localGovernmentId: member.id,
      active: false,
      version: gone.version,
    });

    // A draft interim report of B is still missing; C's submitted one is not.
    await f.dataSource.query(`INSERT INTO kpi_report (application_id, kind, status) VALUES ($1, 'interim', 'draft')`, [b.id]);
    await f.dataSource.query(`INSERT INTO kpi_report (application_id, kind, status, submitted_at) VALUES ($1, 'interim', 'submitted', $2)`, [
      c.id,
      brusselsToInstant('2025-03-10T14:00'),
    ]);
    reminders = f.get(ReportReminders);
    // The notices of the submissions and approvals above go out first: the runs below see only their reminders.
    await f.get(NoticeWorker).deliverWaiting();
  });

  afterAll(async () => {
    await f?.close();
    await smtp?.close();
  });

  it('is not scheduled in tests, and delivers over SMTP when SMTP_URL is set', () => {
    expect(f.service.config.remindersEnabled).toBe(false);
    expect(f.get(MailDelivery).viaSmtp).toBe(true);
  });

  it('sends nothing 15 days before the deadline', async () => {
    const run = await runAt('2025-03-16T07:00');
    expect(run.result).toEqual({ sent: 0, skipped: null });
    expect([run.outbox, run.smtp]).toEqual([[], []]);
  });

  it('14 days before: one reminder per missing report, by SMTP and in the outbox, in Dutch, to the officers of the members, with the link', async () => {
    const run = await runAt('2025-03-17T07:00');
    fourteenDays = run.smtp;
    expect(run.result).toEqual({ sent: 2, skipped: null });
    // One message per recipient: A's officer, B's three.
    expect(run.smtp).toHaveLength(4);

    const [toA] = forApplication(run.smtp, a);
    expect(toA.subject).toBe('Herinnering: tussentijds rapport Plan Samenleven uiterlijk 31 maart 2025');
    expect(toA.from).toBe('noreply@plansamenleven.test');
    expect(toA.headers.from).toBe('Plan Samenleven <noreply@plansamenleven.test>');
    expect(toA.rcptTo).toEqual([officerOf(a.applicant.lead)]);
    // Plain text: the name as typed, not HTML-escaped.
    expect(toA.headers['content-type']).toMatch(/^text\/plain; charset=utf-8/i);
    expect(toA.text).toContain('Het tussentijds rapport van Sint-Niklaas & co voor');
    expect(toA.text).toContain('uiterlijk op 31 maart 2025 om 23:59 in (nog 14 dagen)');
    expect(toA.text).toContain(`${PUBLIC_URL}/aanvragen/${a.id}/rapporten/interim\n`);

    // B: the officers of both members (its lead and the other member, the second officer too), not the deactivated one, nobody of A.
    const toB = forApplication(run.smtp, b);
    const bOfficers = [...officersOf(b.applicant), extraOfficer].sort();
    expect(toB.flatMap((m) => m.rcptTo).sort()).toEqual(bOfficers);
    expect(toB.flatMap((m) => m.rcptTo)).not.toContain(inactiveOfficer);
    expect(toB.flatMap((m) => m.rcptTo)).not.toContain(officerOf(a.applicant.lead));
    // Each recipient gets their own copy: nobody sees the others' addresses.
    expect(toB.map((m) => m.headers.to).sort()).toEqual(bOfficers);
    for (const mail of toB) expect(mail.text).toContain(`${PUBLIC_URL}/aanvragen/${b.id}/rapporten/interim`);

    // C submitted its interim report, D is not approved: no mail about them.
    expect(forApplication(run.smtp, c)).toEqual([]);
    expect(forApplication(run.smtp, d)).toEqual([]);

    // The outbox has a copy per recipient, same subject and text, so administrators see what went out.
    expect(run.outbox.map((m) => m.to).sort()).toEqual([officerOf(a.applicant.lead), ...bOfficers].sort());
    for (const mail of run.outbox) {
      const sent = forApplication(run.smtp, mail.body.includes(`/aanvragen/${a.id}/`) ? a : b)[0];
      expect([mail.subject, mail.body]).toEqual([sent.subject, sent.text]);
    }
    expect(await sentRows()).toEqual([`${a.id} interim 14`, `${b.id} interim 14`]);
  });

  it('the link in the mail points at the report of that application and kind, which its officer may open', async () => {
    const [toB] = forApplication(fourteenDays, b);
    const link = new URL(/https?:\/\/\S+/.exec(toB.text)![0]);
    expect(link.origin).toBe(PUBLIC_URL);
    expect(link.pathname).toBe(`/aanvragen/${b.id}/rapporten/interim`);
    // The same report through the API, as an officer of the member that did not register the applicant.
    const token = await f.bearer(await f.actors.officer(b.applicant.members[1].id));
    const report = await request(f.http).get(`/api/v1/applications/${b.id}/reports/interim`).set('Authorization', `Bearer ${token}`).expect(200);
    expect([report.body.applicationId, report.body.kind, report.body.status]).toEqual([b.id, 'interim', 'draft']);
  });

  it('the link in the mail opens the report page for the officer', async () => {
    const [toB] = forApplication(fourteenDays, b);
    const link = new URL(/https?:\/\/\S+/.exec(toB.text)![0]);
    const officer = await signIn(f, officerOf(b.applicant.members[1]), PASSWORD);
    await officer.get(link.pathname).expect(200);
  });

  it('repeated runs and the following days send nothing more until the 3-day reminder', async () => {
    for (const moment of ['2025-03-17T07:00', '2025-03-17T18:00', '2025-03-18T07:00', '2025-03-27T07:00']) {
      const run = await runAt(moment);
      expect([moment, run.result, run.outbox.length, run.smtp.length]).toEqual([moment, { sent: 0, skipped: null }, 0, 0]);
    }
  });

  it('3 days before: the 3-day reminder, once', async () => {
    const run = await runAt('2025-03-28T07:00');
    expect(run.result).toEqual({ sent: 2, skipped: null });
    expect(forApplication(run.smtp, a)[0].text).toContain('(nog 3 dagen)');
    expect((await runAt('2025-03-28T07:00')).result).toEqual({ sent: 0, skipped: null });
    expect((await runAt('2025-03-30T07:00')).result).toEqual({ sent: 0, skipped: null });
  });

  it('on the day itself: "Vandaag", once; after the deadline nothing', async () => {
    const run = await runAt('2025-03-31T07:00');
    expect(run.result).toEqual({ sent: 2, skipped: null });
    expect(run.smtp.map((m) => m.subject)).toEqual(Array(4).fill('Vandaag: tussentijds rapport Plan Samenleven uiterlijk 31 maart 2025'));
    expect(forApplication(run.smtp, a)[0].text).toContain('Vandaag is de laatste dag: dien het rapport uiterlijk om 23:59 in.');
    expect((await runAt('2025-03-31T20:00')).result).toEqual({ sent: 0, skipped: null });
    expect((await runAt('2025-04-01T07:00')).result).toEqual({ sent: 0, skipped: null });
    expect(await sentRows()).toEqual([
      `${a.id} interim 14`,
      `${a.id} interim 3`,
      `${a.id} interim 0`,
      `${b.id} interim 14`,
      `${b.id} interim 3`,
      `${b.id} interim 0`,
    ]);
  });

  it('catches up a missed day: the 14-day reminder still goes out 10 days before, saying so', async () => {
    // No run from 1 to 4 May (15 to 11 days before the final report's deadline).
    const run = await runAt('2025-05-05T07:00');
    expect(run.result).toEqual({ sent: 3, skipped: null });
    expect(run.smtp.map((m) => m.subject)).toEqual(Array(5).fill('Herinnering: eindrapport Plan Samenleven uiterlijk 15 mei 2025'));
    expect(forApplication(run.smtp, c)[0].text).toContain('Het eindrapport van');
    expect(forApplication(run.smtp, c)[0].text).toContain('uiterlijk op 15 mei 2025 om 12:00 in (nog 10 dagen)');
    expect(forApplication(run.smtp, c)[0].text).toContain(`/aanvragen/${c.id}/rapporten/final`);
    expect((await runAt('2025-05-06T07:00')).result).toEqual({ sent: 0, skipped: null });
  });

  it('a mail server that refuses: the reminder is recorded, its mails wait in the outbox and go out on a later attempt', async () => {
    smtp.refuse = true;
    const logged = jest.spyOn(Logger.prototype, 'error').mockImplementation(() => undefined);
    let messages: string[];
    let refused: Awaited<ReturnType<typeof runAt>>;
    try {
      refused = await runAt('2025-05-12T07:00');
      messages = logged.mock.calls.map(([message]) => String(message));
    } finally {
      smtp.refuse = false;
      logged.mockRestore();
    }
    expect(messages).toHaveLength(5);
    for (const message of messages)
      expect(message).toMatch(/^Mail \d+ \("Herinnering: eindrapport .*"\) not delivered \(attempt 1\), next attempt at .*451 Mailbox busy/);
    expect(refused.result).toEqual({ sent: 3, skipped: null });
    expect(refused.smtp).toEqual([]);
    expect(refused.outbox.map((m) => m.state)).toEqual(Array(5).fill('waiting'));
    expect((await sentRows()).filter((row) => row.endsWith('final 3'))).toHaveLength(3);

    // The next day's run has no new reminder to record; the worker's next attempt delivers the waiting ones, once.
    const retried = await runAt('2025-05-13T07:00');
    expect(retried.result).toEqual({ sent: 0, skipped: null });
    expect(retried.smtp.map((m) => m.text.match(/\(nog \d+ dagen?\)/)![0])).toEqual(Array(5).fill('(nog 3 dagen)'));
    expect((await f.get(MailOutbox).latest(5)).map((m) => m.state)).toEqual(Array(5).fill('sent'));
  });

  // Only a server lets a second connection hold the lock; on PGlite the test below covers two runs at once.
  if (ON_SERVER)
    it('skips the whole run while another instance holds the lock', async () => {
      const other = new Client({ connectionString: f.service.config.DATABASE_URL });
      await other.connect();
      try {
        await other.query('BEGIN');
        await other.query('SELECT pg_advisory_xact_lock($1, $2)', [...REMINDERS_LOCK]);
        const run = await runAt('2025-05-15T07:00');
        expect(run.result).toEqual({ sent: 0, skipped: 'locked' });
        expect([run.outbox, run.smtp]).toEqual([[], []]);
      } finally {
        await other.query('ROLLBACK');
        await other.end();
      }
    });

  /**
   * On a server: a second platform instance (its own Nest application and connection pool) on the same database, both
   * running the job at the same moment. Embedded PGlite is one process's database (a data directory is locked to one
   * process, and "memory" is private to it), so there the same instance runs the job twice at once instead: its one
   * connection makes the runs take turns, and the second finds everything sent.
   */
  it(`two ${ON_SERVER ? 'instances on one database' : 'concurrent runs of one instance'} at once: each reminder sent once, by one`, async () => {
    let second: INestApplicationContext | undefined;
    try {
      let otherJob = reminders;
      if (ON_SERVER) {
        const config = loadConfig({
          NODE_ENV: 'test',
          DEMO_DATA: 'false',
          LOG_LEVEL: 'error',
          MIGRATIONS_RUN: 'false',
          DATABASE_URL: f.service.config.DATABASE_URL!,
          SMTP_URL: `smtp://127.0.0.1:${smtp.port}`,
          PUBLIC_URL,
        });
        const moduleRef = await Test.createTestingModule({ imports: [AppModule.forRoot(config)] })
          .overrideProvider(Clock)
          .useValue(f.clock)
          .compile();
        moduleRef.useLogger(['error']);
        second = await moduleRef.init();
        otherJob = second.get(ReportReminders, { strict: false });
        expect(otherJob).not.toBe(reminders);
      }
      at('2025-05-15T07:00');
      const outboxBefore = await latestOutboxId();
      smtp.received.length = 0;
      // A slow mail server keeps both instances' workers busy at the same time.
      smtp.delayMs = 100;
      const results = await Promise.all([reminders.run(), otherJob.run()]);
      // Both instances' workers deliver at once, each mail once.
      const workers = [f.get(NoticeWorker), ...(second ? [second.get(NoticeWorker, { strict: false })] : [])];
      await Promise.all(workers.map((w) => w.deliverWaiting())).finally(() => (smtp.delayMs = 0));

      expect(results.map((r) => r.sent).sort()).toEqual([0, 3]);
      // On a server the other instance finds the lock taken, or (when the first ended before it began) nothing left; the
      // embedded database's one connection makes it wait its turn and find nothing left.
      expect(ON_SERVER ? ['locked', null] : [null]).toContain(results.find((r) => r.sent === 0)!.skipped);
      expect(smtp.received.map((m) => m.subject)).toEqual(Array(5).fill('Vandaag: eindrapport Plan Samenleven uiterlijk 15 mei 2025'));
      expect(new Set(smtp.received.map((m) => m.headers['message-id'])).size).toBe(5);
      expect(new Set(smtp.received.map((m) => m.text.match(/aanvragen\/(\d+)\//)![1])).size).toBe(3);
      const outbox = (await f.get(MailOutbox).latest(1000)).filter((m) => m.id > outboxBefore);
      // A's officer, B's three active officers, C's officer.
      expect(outbox).toHaveLength(5);
      expect((await Promise.all([reminders.run(), otherJob.run()])).map((r) => r.sent)).toEqual([0, 0]);
    } finally {
      await second?.close();
    }
  });

  it('every reminder once in all: three stages per missing report', async () => {
    expect(await sentRows()).toEqual(
      [
        [a.id, 'final'],
        [a.id, 'interim'],
        [b.id, 'final'],
        [b.id, 'interim'],
        [c.id, 'final'],
      ].flatMap(([id, kind]) => [`${id} ${kind} 14`, `${id} ${kind} 3`, `${id} ${kind} 0`]),
    );
  });
});

/** Without SMTP_URL mails go to the outbox only. */
describe('report reminders without SMTP', () => {
  let f: Factories;

  beforeAll(async () => {
    f = await startFactories({ now: brusselsToInstant('2025-03-01T10:00') });
  });
  afterAll(() => f?.close());

  it('reach the outbox, with the platform address of PUBLIC_URL (here the default)', async () => {
    const call = await f.aCall({ settings: { interimReportDue: INTERIM_DUE } });
    const approved = await f.anApprovedApplication(call);
    expect(f.get(MailDelivery).viaSmtp).toBe(false);
    f.clock.set(brusselsToInstant('2025-03-29T07:00'));
    expect(await f.get(ReportReminders).run()).toEqual({ sent: 1, skipped: null });
    const [mail] = (await f.get(MailOutbox).latest(10)).filter((m) => m.subject.includes('Plan Samenleven uiterlijk'));
    expect(mail.to).toBe(`medewerker-${approved.applicant.lead.nisCode}@service.test`);
    expect(mail.subject).toBe('Herinnering: tussentijds rapport Plan Samenleven uiterlijk 31 maart 2025');
    expect(mail.body).toContain(`${f.service.config.publicUrl}/aanvragen/${approved.id}/rapporten/interim`);
    expect(mail.body).toContain('(nog 2 dagen)');
    expect(await f.get(ReportReminders).run()).toEqual({ sent: 0, skipped: null });
  });
});
