import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { Logger } from '@nestjs/common';
import request from 'supertest';
import { inTransaction } from '@ps/database';
import { FixedClock } from '@ps/kernel';
import { MailDelivery, NoticeWorker, secretLink } from '@ps/notifications';
import { MailOutboxRepository } from '../../libs/notifications/src/mail-outbox.repository';
import { startSmtpServer, TestSmtpServer } from '../support/smtp';
import { startTestApp, TestApp } from '../support/test-app';
import { createTestDatabase, TestDatabase } from '../support/test-database';

const ON_SERVER = Boolean(process.env.DATABASE_URL);
const MINUTE = 60_000;
const METRICS_TOKEN = 'metrics-token-for-the-mail-delivery-test-0123456789';

/**
 * Issue 25: the outbox is delivered after the commit by one worker at a time, exactly once per row, with retries and a
 * record of delivery, to a real SMTP server started here. Each instance below is a whole platform (its own Nest
 * application, connection pool and worker) on one database: on a server, two run at once; the embedded database is one
 * process's (its data directory is locked to it), so there an instance is stopped and another started on its directory.
 */
describe('mail delivery: the transactional outbox', () => {
  let smtp: TestSmtpServer;
  let database: TestDatabase;
  let dataDir: string;
  const clock = new FixedClock(new Date());
  const apps: TestApp[] = [];

  /** A platform on the shared database (not dropped on close: the test drops it at the end). */
  async function instance(): Promise<TestApp> {
    const env = ON_SERVER ? database.env : { DATA_DIR: dataDir };
    const started = await startTestApp({ env: { ...env, SMTP_URL: smtp.url, DEMO_DATA: 'false', METRICS_TOKEN }, clock });
    apps.push(started);
    return started;
  }
  const worker = (t: TestApp) => t.app.get(NoticeWorker);
  const rowsOf = (t: TestApp, key: string) =>
    t.dataSource.query(
      `SELECT recipient, state, attempts, delivery_text IS NOT NULL AS "hasText", last_error AS "lastError", sent_at IS NOT NULL AS sent
         FROM mail_outbox WHERE event_key = $1 ORDER BY recipient`,
      [key],
    );
  const arrivedFor = (key: string) => smtp.received.filter((m) => m.text.includes(key));
  function tell(t: TestApp, key: string, to: string[], text: Parameters<MailDelivery['deliver']>[1]['text'] = `Gebeurtenis ${key}.`) {
    return inTransaction(t.dataSource, (manager) => t.app.get(MailDelivery).deliver(manager, { to, subject: `Bericht ${key}`, text, eventKey: key }));
  }

  beforeAll(async () => {
    smtp = await startSmtpServer();
    database = await createTestDatabase();
    dataDir = mkdtempSync(join(tmpdir(), 'ps-mail-'));
  });
  afterEach(() => {
    smtp.refuse = false;
    smtp.delayMs = 0;
  });
  afterAll(async () => {
    for (const t of apps) await t.close().catch(() => undefined);
    await database?.drop();
    rmSync(dataDir, { recursive: true, force: true });
    await smtp?.close();
  });

  it('delivers after the commit to each recipient once, marks it sent and drops the text with its link', async () => {
    const t = await instance();
    const link = 'https://plansamenleven.test/wachtwoord-herstellen?token=ps_reset_proef';
    expect(await tell(t, 'e1', ['een@lier.test', 'twee@lier.test'], ['Gebeurtenis e1 via ', secretLink(link), '.'])).toBe(2);
    await worker(t).deliverWaiting();
    expect(arrivedFor('e1').map((m) => m.rcptTo)).toEqual(expect.arrayContaining([['een@lier.test'], ['twee@lier.test']]));
    expect(arrivedFor('e1')).toHaveLength(2);
    expect(smtp.latestTo('een@lier.test').text).toContain(link);
    expect(await rowsOf(t, 'e1')).toEqual([
      { recipient: 'een@lier.test', state: 'sent', attempts: 1, hasText: false, lastError: null, sent: true },
      { recipient: 'twee@lier.test', state: 'sent', attempts: 1, hasText: false, lastError: null, sent: true },
    ]);
    const [stored] = await t.dataSource.query(`SELECT body FROM mail_outbox WHERE event_key = 'e1' LIMIT 1`);
    expect(stored.body).not.toContain('ps_reset_proef');
  });

  it('the same event told twice (or by a retried transaction) is one mail per recipient', async () => {
    const t = apps[0];
    expect(await tell(t, 'e2', ['een@lier.test'])).toBe(1);
    expect(await tell(t, 'e2', ['een@lier.test', 'EEN@lier.test'])).toBe(0);
    await worker(t).deliverWaiting();
    expect(arrivedFor('e2')).toHaveLength(1);
    expect(await rowsOf(t, 'e2')).toHaveLength(1);
  });

  it('a rolled-back change sends nothing', async () => {
    const t = apps[0];
    await expect(
      inTransaction(t.dataSource, async (manager) => {
        await t.app.get(MailDelivery).deliver(manager, { to: ['een@lier.test'], subject: 'Bericht e3', text: 'Gebeurtenis e3.', eventKey: 'e3' });
        throw new Error('de wijziging faalt');
      }),
    ).rejects.toThrow('de wijziging faalt');
    await worker(t).deliverWaiting();
    expect(arrivedFor('e3')).toEqual([]);
    expect(await rowsOf(t, 'e3')).toEqual([]);
  });

  it('a mail server that says "later" gets it again later; one that refuses for good is given up, the link dropped', async () => {
    const t = apps[0];
    const logged = jest.spyOn(Logger.prototype, 'error').mockImplementation(() => undefined);
    try {
      smtp.refuse = true;
      await tell(t, 'e4', ['een@lier.test']);
      expect(await worker(t).deliverWaiting()).toEqual({ sent: 0, failed: 0 });
      expect(await rowsOf(t, 'e4')).toEqual([
        { recipient: 'een@lier.test', state: 'waiting', attempts: 1, hasText: true, lastError: expect.stringContaining('451'), sent: false },
      ]);
      expect(logged.mock.calls.map(([m]) => String(m))).toEqual([
        expect.stringMatching(/^Mail \d+ \("Bericht e4"\) not delivered \(attempt 1\), next attempt at/),
      ]);
      expect(JSON.stringify(logged.mock.calls)).not.toContain('een@lier.test');
      smtp.refuse = false;
      // Not before its time …
      expect(await worker(t).deliverWaiting()).toEqual({ sent: 0, failed: 0 });
      expect(arrivedFor('e4')).toEqual([]);
      // … then once.
      clock.set(new Date(clock.now().getTime() + 2 * MINUTE));
      expect(await worker(t).deliverWaiting()).toEqual({ sent: 1, failed: 0 });
      expect(arrivedFor('e4')).toHaveLength(1);
      expect((await rowsOf(t, 'e4'))[0]).toMatchObject({ state: 'sent', attempts: 2, hasText: false, lastError: null });
    } finally {
      logged.mockRestore();
    }
  });

  it('counts waiting mails and delivery runs in /metrics', async () => {
    const t = apps[0];
    smtp.refuse = true;
    const logged = jest.spyOn(Logger.prototype, 'error').mockImplementation(() => undefined);
    try {
      await tell(t, 'e5', ['een@lier.test']);
      await worker(t).deliverWaiting();
      const text = (await request(t.http).get('/metrics').set('Authorization', `Bearer ${METRICS_TOKEN}`).expect(200)).text;
      expect(text).toMatch(/^mail_outbox_waiting(\{[^}]*\})? 1$/m);
      expect(text).toMatch(/^scheduled_job_failures_total\{job="mail-delivery"[^}]*\} [1-9]/m);
    } finally {
      smtp.refuse = false;
      logged.mockRestore();
    }
    clock.set(new Date(clock.now().getTime() + 2 * MINUTE));
    await worker(t).deliverWaiting();
    expect(arrivedFor('e5')).toHaveLength(1);
  });

  it('after a restart, what waited goes out, and what a stopped instance held goes out once its lease ran out', async () => {
    let t = apps[0];
    smtp.refuse = true;
    const logged = jest.spyOn(Logger.prototype, 'error').mockImplementation(() => undefined);
    try {
      await tell(t, 'e6', ['een@lier.test']);
      await worker(t).deliverWaiting();
      // A worker that took a mail and stopped before sending it (its lease still runs).
      await inTransaction(t.dataSource, async (manager) => {
        await t.app.get(MailDelivery).deliver(manager, { to: ['een@lier.test'], subject: 'Bericht e7', text: 'Gebeurtenis e7.', eventKey: 'e7' });
        await manager.query(`UPDATE mail_outbox SET claimed_until = $1, attempts = 1 WHERE event_key = 'e7'`, [new Date(clock.now().getTime() + 2 * MINUTE)]);
      });
      await worker(t).deliverWaiting();
    } finally {
      smtp.refuse = false;
      logged.mockRestore();
    }
    if (!ON_SERVER) {
      await t.app.close();
      apps.shift();
    }
    clock.set(new Date(clock.now().getTime() + 3 * MINUTE));
    t = await instance();
    // The new instance delivers at its start, unasked (on a server the first instance, still running, may take one of them first).
    const sent = async () => (await t.dataSource.query(`SELECT count(*)::int AS n FROM mail_outbox WHERE event_key IN ('e6', 'e7') AND state = 'sent'`))[0].n;
    for (const until = Date.now() + 15_000; (await sent()) < 2 && Date.now() < until;) await new Promise((resolve) => setTimeout(resolve, 50));
    expect(await sent()).toBe(2);
    await worker(t).deliverWaiting();
    expect(arrivedFor('e6')).toHaveLength(1);
    expect(arrivedFor('e7')).toHaveLength(1);
    expect((await rowsOf(t, 'e7'))[0]).toMatchObject({ state: 'sent', attempts: 2 });
  });

  it(`two ${ON_SERVER ? 'instances on one database' : 'workers on the one embedded database'} at once: every mail exactly once`, async () => {
    if (ON_SERVER) while (apps.length < 2) await instance();
    const a = apps[0];
    const b = apps[apps.length - 1];
    // On the embedded database, a second worker of its own (own SMTP connection) beside the instance's.
    const other = ON_SERVER ? worker(b) : new NoticeWorker(a.config, new MailOutboxRepository(a.dataSource), clock);
    const to = Array.from({ length: 30 }, (_, i) => `ontvanger${i}@lier.test`);
    smtp.delayMs = 20;
    try {
      // Both instances are told of the event (each in its own transaction) and both deliver at the same time.
      await Promise.all([tell(a, 'e8', to), tell(b, 'e8', to)]);
      const runs = await Promise.all([worker(a).deliverWaiting(), other.deliverWaiting(), worker(a).deliverWaiting(), other.deliverWaiting()]);
      expect(runs.every((r) => r.failed === 0)).toBe(true);
    } finally {
      if (!ON_SERVER) await other.onModuleDestroy();
    }
    const arrived = arrivedFor('e8');
    expect(arrived).toHaveLength(30);
    expect(new Set(arrived.map((m) => m.rcptTo[0])).size).toBe(30);
    expect(new Set(arrived.map((m) => m.headers['message-id'])).size).toBe(30);
    const states = await a.dataSource.query(`SELECT state, attempts, count(*)::int AS n FROM mail_outbox WHERE event_key = 'e8' GROUP BY 1, 2`);
    expect(states).toEqual([{ state: 'sent', attempts: 1, n: 30 }]);
  });
});
