import { Logger } from '@nestjs/common';
import request from 'supertest';
import { inTransaction } from '@ps/database';
import { FixedClock, formatBrussels } from '@ps/kernel';
import { MailDelivery, MAX_ATTEMPTS, NoticeWorker, OutboxMail, secretLink } from '@ps/notifications';
import { Agent, bearerFor, signIn } from '../support/sessions';
import { startSmtpServer, TestSmtpServer } from '../support/smtp';
import { startTestApp, TestApp } from '../support/test-app';

const ADMIN = 'beheerder@abb.demo';
const SMTP_PASSWORD = 'smtp-wachtwoord-van-het-platform';
const HOUR = 3600_000;

/**
 * Issue 25: the outbox page (/beheer/uitgaande-mail) and GET /api/v1/outbox tell each mail's delivery in Dutch: sent
 * (to a real SMTP server), waiting after a failed attempt (the same server stopped: its port closed) and failed after
 * the last attempt, with the reason; never the SMTP password nor a one-time link.
 */
describe('the outbox tells how each mail was delivered', () => {
  let smtp: TestSmtpServer;
  let t: TestApp;
  let admin: Agent;
  let token: string;
  const clock = new FixedClock(new Date());

  beforeAll(async () => {
    smtp = await startSmtpServer();
    // With a user and password in the URL, as a real mail relay would have them (the test server offers no AUTH).
    t = await startTestApp({ env: { SMTP_URL: `smtp://platform:${SMTP_PASSWORD}@127.0.0.1:${smtp.port}` }, clock });
    admin = await signIn(t, ADMIN);
    token = await bearerFor(t, ADMIN);
  });
  afterAll(async () => {
    await t?.close();
    await smtp?.close();
  });

  const tell = (key: string, text: Parameters<MailDelivery['deliver']>[1]['text']) =>
    inTransaction(t.dataSource, (manager) =>
      t.app.get(MailDelivery).deliver(manager, { to: ['een@lier.test'], subject: `Bericht ${key}`, text, eventKey: key }),
    );
  const deliver = () => t.app.get(NoticeWorker).deliverWaiting();
  const outbox = async () => (await request(t.http).get('/api/v1/outbox').set('Authorization', `Bearer ${token}`).expect(200)).body as OutboxMail[];
  const mailOf = async (key: string) => (await outbox()).find((m) => m.subject === `Bericht ${key}`)!;
  const page = async () => (await admin.get('/beheer/uitgaande-mail').expect(200)).text;

  it('a delivered mail: "verstuurd op" its time in Brussels, after one attempt', async () => {
    await tell('afgeleverd', 'Een gewone mail.');
    await deliver();
    expect(smtp.latestTo('een@lier.test').subject).toBe('Bericht afgeleverd');
    const sentAt = clock.now();
    expect(await mailOf('afgeleverd')).toMatchObject({
      state: 'sent',
      stateText: `verstuurd op ${formatBrussels(sentAt)}`,
      attempts: 1,
      failureReason: null,
      sentAt: sentAt.toISOString(),
    });
    const html = await page();
    expect(html).toContain('<dt class="govuk-summary-list__key">Aflevering</dt>');
    expect(html).toContain(`<dd class="govuk-summary-list__value" data-state="sent">verstuurd op ${formatBrussels(sentAt)}</dd>`);
  });

  it('a closed port: "wacht" with the reason and the next attempt, then "mislukt" after the last attempt; no secret shown', async () => {
    const logged = jest.spyOn(Logger.prototype, 'error').mockImplementation(() => undefined);
    await smtp.close();
    const link = 'https://plansamenleven.test/wachtwoord-herstellen?token=ps_reset_geheim_voor_de_ontvanger';
    await tell('gesloten', ['Kies uw wachtwoord via ', secretLink(link), '.']);
    await deliver();
    const first = clock.now();
    const waiting = await mailOf('gesloten');
    expect(waiting).toMatchObject({ state: 'waiting', attempts: 1, sentAt: null });
    expect(waiting.failureReason).toMatch(new RegExp(`^de mailserver weigert de verbinding \\(.*ECONNREFUSED 127\\.0\\.0\\.1:${smtp.port}\\)$`));
    expect(waiting.stateText).toBe(
      `wacht: 1 poging mislukt: ${waiting.failureReason}, volgende poging op ${formatBrussels(new Date(first.getTime() + 60_000))}`,
    );
    let html = await page();
    expect(html).toContain(`data-state="waiting">${waiting.stateText}</dd>`);
    // The text as the recipient would get it waits in the row, out of sight.
    for (const shown of [JSON.stringify(await outbox()), html]) {
      expect(shown).not.toContain('ps_reset_geheim');
      expect(shown).not.toContain(SMTP_PASSWORD);
    }

    for (let attempt = 2; attempt <= MAX_ATTEMPTS; attempt++) {
      clock.set(new Date(clock.now().getTime() + HOUR));
      await deliver();
    }
    const failed = await mailOf('gesloten');
    expect(failed).toMatchObject({ state: 'failed', attempts: MAX_ATTEMPTS, sentAt: null, failureReason: waiting.failureReason });
    expect(failed.stateText).toBe(`mislukt: ${waiting.failureReason}; na ${MAX_ATTEMPTS} pogingen niet meer geprobeerd`);
    html = await page();
    expect(html).toContain(`data-state="failed">${failed.stateText}</dd>`);
    // The delivered mail keeps its state.
    expect((await mailOf('afgeleverd')).state).toBe('sent');
    for (const shown of [JSON.stringify(await outbox()), html]) {
      expect(shown).not.toContain('ps_reset_geheim');
      expect(shown).not.toContain(SMTP_PASSWORD);
    }
    const [row] = await t.dataSource.query(`SELECT delivery_text FROM mail_outbox WHERE event_key = 'gesloten'`);
    expect(row.delivery_text).toBeNull();
    // Each failed attempt is logged, without the address or the SMTP password.
    const lines = logged.mock.calls.map((call) => String(call[0]));
    logged.mockRestore();
    expect(lines.filter((line) => line.includes('"Bericht gesloten"'))).toHaveLength(MAX_ATTEMPTS);
    expect(lines.join('\n')).not.toMatch(new RegExp(`${SMTP_PASSWORD}|een@lier\\.test`));
  });
});
