import { Logger } from '@nestjs/common';
import request from 'supertest';
import { OutboxWithoutSecrets1764600000000 } from '../../libs/database/src/migrations/1764600000000-outbox-without-secrets';
import { actorFor, Role, UsersService } from '@ps/identity';
import { DEMO_PASSWORD } from '@ps/setup';
import { loadConfig } from '@ps/config';
import { MailDelivery, NoticeWorker, secretLink } from '@ps/notifications';
import { Clock } from '@ps/kernel';
import { MailOutboxRepository } from '../../libs/notifications/src/mail-outbox.repository';
import { bearerFor, csrfFrom, signIn, userId } from '../support/sessions';
import { startSmtpServer, TestSmtpServer } from '../support/smtp';
import { snapshot, startTestApp, TestApp } from '../support/test-app';

const PUBLIC_URL = 'https://plansamenleven.test';
const MASKED = '[link naar de ontvanger verstuurd; niet zichtbaar in de uitgaande mail]';
const ABB_ADMIN = 'beheerder@abb.demo';
const REVIEWER = 'beoordelaar@abb.demo';
const PLATFORM_ADMIN = 'platform@beheer.demo';
const SECOND_ABB_ADMIN = 'tweede.beheerder@abb.test';
const SECOND_PLATFORM_ADMIN = 'tweede.platformbeheer@beheer.test';
const ATTACKER_PASSWORD = 'overgenomen door wie de outbox leest';
/** Anything in the outbox that could carry a one-time secret: a token parameter or a welcome/reset secret. */
const SECRET_LIKE = /token(=|&#x3D;)[^\s"'<&]+|ps_(reset|welcome)_[\w-]+/g;

/**
 * Issue 23: whoever may read the outbox (outbox:read: ABB and platform administrators) must not find a usable
 * welcome or reset link in it. The link reaches the recipient's mailbox only (here a real SMTP server).
 */
describe('the outbox shows no secrets', () => {
  let t: TestApp;
  let smtp: TestSmtpServer;
  /** Each account's current password: the recipients set new ones through their links. */
  const passwords = new Map<string, string>();
  const passwordOf = (email: string) => passwords.get(email) ?? DEMO_PASSWORD;

  beforeAll(async () => {
    smtp = await startSmtpServer();
    t = await startTestApp({ env: { SMTP_URL: smtp.url, PUBLIC_URL } });
    const users = t.app.get(UsersService);
    const [admin] = await t.dataSource.query(`SELECT id, email, display_name AS "displayName", role FROM app_user WHERE email = $1`, [ABB_ADMIN]);
    const others: [string, string, Role][] = [
      [SECOND_ABB_ADMIN, 'Tweede Beheerder (ABB)', 'abb-administrator'],
      [SECOND_PLATFORM_ADMIN, 'Tweede Platformbeheer', 'platform-administrator'],
    ];
    for (const [email, displayName, role] of others) {
      await users.createWithPassword(actorFor({ ...admin, localGovernmentId: null }, 'session'), { email, displayName, role, password: DEMO_PASSWORD });
    }
  });
  afterAll(async () => {
    await t?.close();
    await smtp?.close();
  });

  async function requestReset(email: string): Promise<void> {
    const agent = request.agent(t.http);
    const form = await agent.get('/wachtwoord-vergeten').expect(200);
    const res = await agent
      .post('/wachtwoord-vergeten')
      .type('form')
      .send({ _csrf: csrfFrom(form.text), email })
      .expect(200);
    expect(res.text).toContain('Als dit e-mailadres bij een actief account hoort');
    // The mail goes out after the request (NoticeWorker): wait for that run.
    await t.app.get(NoticeWorker).deliverWaiting();
  }

  async function setPassword(token: string, password: string) {
    const agent = request.agent(t.http);
    const page = await agent.get(`/wachtwoord-herstellen?token=${encodeURIComponent(token)}`).expect(200);
    return agent
      .post('/wachtwoord-herstellen')
      .type('form')
      .send({ _csrf: csrfFrom(page.text), token, password });
  }

  async function signInStatus(email: string, password: string): Promise<number> {
    const agent = request.agent(t.http);
    const form = await agent.get('/aanmelden').expect(200);
    return (
      await agent
        .post('/aanmelden')
        .type('form')
        .send({ _csrf: csrfFrom(form.text), email, password })
    ).status;
  }

  const readers: [string, string, string[]][] = [
    ['an ABB administrator', ABB_ADMIN, [SECOND_ABB_ADMIN, REVIEWER, PLATFORM_ADMIN]],
    ['a platform administrator', PLATFORM_ADMIN, [ABB_ADMIN, REVIEWER, SECOND_PLATFORM_ADMIN]],
  ];

  describe.each(readers)('read by %s', (_role, reader, targets) => {
    let token: string;
    let session: Awaited<ReturnType<typeof signIn>>;

    beforeAll(async () => {
      session = await signIn(t, reader, passwordOf(reader));
      token = await bearerFor(t, reader);
    });

    it.each(targets)('a reset for %s: the outbox says a link went out, but holds none, and nothing it shows sets a password', async (target) => {
      const targetId = await userId(t.dataSource, target);
      await requestReset(target);
      const link = smtp.linkTo(target);

      const api = await request(t.http).get('/api/v1/outbox').set('Authorization', `Bearer ${token}`).expect(200);
      const page = await session.get('/beheer/uitgaande-mail').expect(200);
      const [mail] = (api.body as { to: string; subject: string; body: string }[]).filter((m) => m.to === target);
      expect(mail.subject).toBe('Nieuw wachtwoord voor Plan Samenleven');
      expect(mail.body).toContain(`binnen 60 minuten via ${MASKED}\nDe link werkt één keer.`);
      expect(page.text).toContain(target);
      expect(page.text).toContain('niet zichtbaar in de uitgaande mail');

      // The recipient's secret is nowhere in what the reader gets, nor anything that looks like one.
      expect(JSON.stringify(api.body)).not.toContain(link.token);
      expect(page.text).not.toContain(link.token);
      expect(JSON.stringify(api.body).match(SECRET_LIKE)).toBeNull();
      expect(page.text.match(SECRET_LIKE)).toBeNull();

      // What the reader can do with what it read: the masked text as a token sets nothing; the account keeps its password.
      const before = await snapshot(t.dataSource, ['app_user', 'password_reset']);
      expect((await setPassword(MASKED, ATTACKER_PASSWORD)).status).toBe(400);
      expect((await setPassword(mail.body, ATTACKER_PASSWORD)).status).toBeGreaterThanOrEqual(400);
      expect(await snapshot(t.dataSource, ['app_user', 'password_reset'])).toEqual(before);
      expect(await signInStatus(target, ATTACKER_PASSWORD)).toBe(401);

      // The recipient's own mail has the working link: a new password, and the old one is gone.
      expect(smtp.latestTo(target).text).toContain(`binnen 60 minuten via ${PUBLIC_URL}${link.path}\n`);
      const fresh = `nieuw wachtwoord van ${targetId} via de mailbox`;
      expect((await setPassword(link.token, fresh)).status).toBe(303);
      passwords.set(target, fresh);
      expect(await signInStatus(target, fresh)).toBe(303);
    });
  });

  it('a new account: the welcome mail in the outbox has no link, the new user gets a working one', async () => {
    const admin = await signIn(t, SECOND_PLATFORM_ADMIN, passwordOf(SECOND_PLATFORM_ADMIN));
    const form = await admin.get('/beheer/gebruikers/nieuw').expect(200);
    await admin
      .post('/beheer/gebruikers')
      .type('form')
      .send({ _csrf: csrfFrom(form.text), email: 'nieuwe.beoordelaar@abb.test', displayName: 'Nieuwe Beoordelaar', role: 'abb-reviewer' })
      .expect(303);
    await t.app.get(NoticeWorker).deliverWaiting();
    const link = smtp.linkTo('nieuwe.beoordelaar@abb.test');
    const page = await admin.get('/beheer/uitgaande-mail').expect(200);
    expect(page.text).toContain('Uw account voor Plan Samenleven');
    expect(page.text).toContain('staat hier niet in: die krijgt alleen de ontvanger.');
    expect(page.text).not.toContain('geen mailserver ingesteld');
    expect(page.text).not.toContain(link.token);
    expect(page.text.match(SECRET_LIKE)).toBeNull();
    const [stored] = await t.dataSource.query(`SELECT body FROM mail_outbox WHERE recipient = 'nieuwe.beoordelaar@abb.test'`);
    expect(stored.body).toContain(`Kies uw wachtwoord binnen 7 dagen via ${MASKED}`);
    expect((await setPassword(link.token, 'een eigen lang wachtwoord')).status).toBe(303);
    expect(await signInStatus('nieuwe.beoordelaar@abb.test', 'een eigen lang wachtwoord')).toBe(303);
  });

  describe('a mail server that refuses: the link waits in the outbox, out of sight, and goes out on a later attempt', () => {
    let logged: jest.SpyInstance;
    const clock = () => t.app.get(Clock) as Clock;
    beforeEach(() => {
      smtp.refuse = true;
      logged = jest.spyOn(Logger.prototype, 'error').mockImplementation(() => undefined);
    });
    afterEach(() => {
      smtp.refuse = false;
      logged.mockRestore();
    });
    /** The worker's next attempt, as if the retry time had come: the rows' time is moved back, not the clock. */
    async function retry(email: string) {
      smtp.refuse = false;
      await t.dataSource.query(`UPDATE mail_outbox SET next_attempt_at = $2 WHERE recipient = $1 AND state = 'waiting'`, [email, clock().now()]);
      await t.app.get(NoticeWorker).deliverWaiting();
    }
    const rowsTo = (email: string) =>
      t.dataSource.query(`SELECT state, attempts, delivery_text IS NOT NULL AS waiting FROM mail_outbox WHERE recipient = $1 ORDER BY id`, [email]);

    it('a reset request answers as ever, whatever the mail server says; the link reaches the user once it takes mail again', async () => {
      const before = smtp.received.length;
      await requestReset(REVIEWER);
      expect(smtp.received.length).toBe(before);
      expect((await rowsTo(REVIEWER)).at(-1)).toEqual({ state: 'waiting', attempts: 1, waiting: true });
      const messages = logged.mock.calls.map(([message]) => String(message));
      expect(messages).toEqual([expect.stringMatching(/^Mail \d+ \("Nieuw wachtwoord voor Plan Samenleven"\) not delivered \(attempt 1\).*451 Mailbox busy/)]);
      expect(messages.join()).not.toMatch(/ps_reset_|@/);
      const api = await request(t.http)
        .get('/api/v1/outbox')
        .set('Authorization', `Bearer ${await bearerFor(t, ABB_ADMIN)}`)
        .expect(200);
      expect(JSON.stringify(api.body).match(SECRET_LIKE)).toBeNull();

      await retry(REVIEWER);
      expect((await rowsTo(REVIEWER)).at(-1)).toEqual({ state: 'sent', attempts: 2, waiting: false });
      const fresh = 'na een weigering van de mailserver';
      expect((await setPassword(smtp.linkTo(REVIEWER).token, fresh)).status).toBe(303);
      passwords.set(REVIEWER, fresh);
    });

    it('a new account is made at once; its welcome mail goes out on a later attempt', async () => {
      const admin = await bearerFor(t, SECOND_PLATFORM_ADMIN);
      await request(t.http)
        .post('/api/v1/users')
        .set('Authorization', `Bearer ${admin}`)
        .send({ email: 'later.verstuurd@abb.test', displayName: 'Later Verstuurd', role: 'abb-reviewer' })
        .expect(201);
      await t.app.get(NoticeWorker).deliverWaiting();
      expect(smtp.received.flatMap((m) => m.rcptTo)).not.toContain('later.verstuurd@abb.test');
      expect(await rowsTo('later.verstuurd@abb.test')).toEqual([{ state: 'waiting', attempts: 1, waiting: true }]);
      await retry('later.verstuurd@abb.test');
      expect(await rowsTo('later.verstuurd@abb.test')).toEqual([{ state: 'sent', attempts: 2, waiting: false }]);
      expect((await setPassword(smtp.linkTo('later.verstuurd@abb.test').token, 'een eigen lang wachtwoord')).status).toBe(303);
    });
  });

  describe('without SMTP_URL the link reaches nobody, except the log in development', () => {
    const link = `${PUBLIC_URL}/wachtwoord-herstellen?token=ps_reset_zonder-smtp`;
    /** Sends one reset-like mail through a MailDelivery without SMTP, for this NODE_ENV; returns what was logged and stored. */
    async function sendWithout(nodeEnv: 'development' | 'test' | 'production') {
      const config = loadConfig({ NODE_ENV: nodeEnv, SESSION_SECRET: 'een geheim van minstens tweeëndertig tekens lang' });
      const outbox = new MailOutboxRepository(t.dataSource);
      const delivery = new MailDelivery(config, outbox, new NoticeWorker(config, outbox, new Clock()), new Clock());
      const warned = jest.spyOn(Logger.prototype, 'warn').mockImplementation(() => undefined);
      const to = `zonder-smtp-${nodeEnv}@abb.test`;
      try {
        expect(delivery.viaSmtp).toBe(false);
        await t.dataSource.transaction((manager) =>
          delivery.deliver(manager, { to: [to], subject: 'Nieuw wachtwoord voor Plan Samenleven', text: ['Kies via ', secretLink(link), '\n'] }),
        );
        const [stored] = await t.dataSource.query(`SELECT body FROM mail_outbox WHERE recipient = $1`, [to]);
        return { logged: warned.mock.calls.map(([message]) => String(message)), stored: stored.body as string };
      } finally {
        warned.mockRestore();
      }
    }

    it('development: the log shows the link, labelled development only; the outbox masks it', async () => {
      const { logged, stored } = await sendWithout('development');
      expect(logged).toEqual([expect.stringMatching(/^DEVELOPMENT ONLY \(no SMTP_URL\).*zonder-smtp-development@abb\.test/)]);
      expect(logged[0]).toContain(`Kies via ${link}`);
      expect(stored).toBe(`Kies via ${MASKED}\n`);
    });

    it('test: nothing is logged', async () => {
      const { logged, stored } = await sendWithout('test');
      expect(logged).toEqual([]);
      expect(stored).toBe(`Kies via ${MASKED}\n`);
    });

    it('production: the log says the link reached nobody, without the link', async () => {
      const { logged, stored } = await sendWithout('production');
      expect(logged).toEqual([expect.stringContaining('No SMTP_URL: the one-time link of "Nieuw wachtwoord voor Plan Samenleven"')]);
      expect(logged[0]).not.toContain('ps_reset_');
      expect(logged[0]).not.toContain('@');
      expect(stored).toBe(`Kies via ${MASKED}\n`);
    });
  });

  it('the migration masks the links stored before, and leaves other mail alone', async () => {
    const secret = `ps_reset_${'A'.repeat(20)}-b_c`;
    const old = `Beste Bart,\n\nKies een nieuw wachtwoord binnen 60 minuten via http://localhost:3000/wachtwoord-herstellen?token=${secret}\nDe link werkt één keer.`;
    const welcome = `Kies uw wachtwoord binnen 7 dagen via ${PUBLIC_URL}/wachtwoord-herstellen?token=ps_welcome_xyz-123_Q\n\nAgentschap Binnenlands Bestuur`;
    const reminder = `Dien het rapport in via ${PUBLIC_URL}/aanvragen/7/rapporten/interim\n`;
    const ids: number[] = [];
    for (const body of [old, welcome, reminder]) {
      const [row] = await t.dataSource.query(`INSERT INTO mail_outbox (recipient, subject, body) VALUES ('oud@abb.test', 'Oud', $1) RETURNING id`, [body]);
      ids.push(row.id);
    }
    const runner = t.dataSource.createQueryRunner();
    try {
      await new OutboxWithoutSecrets1764600000000().up(runner);
    } finally {
      await runner.release();
    }
    const rows: { body: string }[] = await t.dataSource.query(`SELECT body FROM mail_outbox WHERE id = ANY($1) ORDER BY id`, [ids]);
    expect(rows.map((r) => r.body)).toEqual([
      `Beste Bart,\n\nKies een nieuw wachtwoord binnen 60 minuten via ${MASKED}\nDe link werkt één keer.`,
      `Kies uw wachtwoord binnen 7 dagen via ${MASKED}\n\nAgentschap Binnenlands Bestuur`,
      reminder,
    ]);
    const all: { body: string }[] = await t.dataSource.query(`SELECT body FROM mail_outbox`);
    expect(all.filter((r) => r.body.match(SECRET_LIKE))).toEqual([]);
  });
});
