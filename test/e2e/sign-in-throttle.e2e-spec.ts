import { AddressInfo } from 'node:net';
import request from 'supertest';
import { FixedClock } from '@ps/kernel';
import { DEMO_PASSWORD } from '@ps/setup';
import { csrfFrom } from '../support/sessions';
import { snapshot, startTestApp, TestApp } from '../support/test-app';

const GENT = 'medewerker@gent.demo';
const LIER = 'medewerker@lier.demo';
const SOURCE_MESSAGE = (wait: string) => `Er zijn te veel mislukte pogingen gedaan vanaf uw netwerk. Wacht ${wait} en probeer het dan opnieuw.`;
const GLOBAL_MESSAGE = (wait: string) => `Er zijn op dit moment te veel mislukte aanmeldpogingen op het platform. Wacht ${wait} en probeer het dan opnieuw.`;
/** What a refused request must leave as it was (the session row only has its expiry renewed). */
const UNTOUCHED = ['app_user', 'login_throttle', 'sign_in_source_throttle', 'password_reset', 'mail_outbox', 'audit_event', 'api_token'];

interface LoggedEvent {
  ip: string;
  route: string;
  status: number;
  reason: string;
  detail: string | null;
}

/**
 * The app listens on both loopback addresses, so two real sources reach it without a proxy: 127.0.0.1 (Express shows
 * ::ffff:127.0.0.1) and ::1. The proxy is not trusted in this configuration, so X-Forwarded-For must change nothing.
 */
describe('sign-in throttling per source and overall (issue 23)', () => {
  const clock = new FixedClock(new Date('2026-12-01T09:00:00Z'));
  const later = (seconds: number) => clock.set(new Date(clock.now().getTime() + seconds * 1000));
  let t: TestApp;
  let ipv4: string;
  let ipv6: string;
  let lastSeenId = 0;

  beforeAll(async () => {
    t = await startTestApp({ clock });
    await new Promise<void>((resolve) => t.http.listen(0, '::', resolve));
    const { port } = t.http.address() as AddressInfo;
    ipv4 = `http://127.0.0.1:${port}`;
    ipv6 = `http://[::1]:${port}`;
  });
  afterAll(() => t.close());

  /** One sign-in through the form, from the given source; headers are sent with the POST. */
  async function attempt(source: string, email: string, password: string, headers: Record<string, string> = {}) {
    const agent = request.agent(source);
    const form = await agent.get('/aanmelden').expect(200);
    const res = await agent
      .post('/aanmelden')
      .set(headers)
      .type('form')
      .send({ _csrf: csrfFrom(form.text), email, password });
    return Object.assign(res, { agent });
  }

  /** The security events written since the last call; written once the response is sent, so wait for them. */
  async function newEvents(expected: number): Promise<LoggedEvent[]> {
    const read = (): Promise<(LoggedEvent & { id: string })[]> => t.dataSource.query(`SELECT * FROM security_event WHERE id > $1 ORDER BY id`, [lastSeenId]);
    for (let tries = 0; tries < 60 && (await read()).length < expected; tries++) await new Promise((resolve) => setTimeout(resolve, 50));
    await new Promise((resolve) => setTimeout(resolve, 100));
    const rows = await read();
    if (rows.length > 0) lastSeenId = Number(rows.at(-1)!.id);
    return rows.map(({ ip, route, status, reason, detail }) => ({ ip, route, status: Number(status), reason, detail }));
  }

  function expectRefused(res: request.Response, retryAfter: number, message: string): void {
    expect(res.status).toBe(429);
    expect(res.headers['retry-after']).toBe(String(retryAfter));
    // In the error summary at the top, linked to the e-mail field, and beside the field.
    expect(res.text).toMatch(/class="govuk-error-summary"/);
    expect(res.text).toContain(`<a href="#email">${message}</a>`);
    expect(res.text).toContain('id="email-error"');
  }

  it('refuses a source after 20 failures in a row at different addresses, with 429, Retry-After and Dutch, also with the right password', async () => {
    await newEvents(0);
    for (let i = 1; i <= 20; i++) expect((await attempt(ipv4, `onbekend-${i}@nergens.demo`, 'een verkeerd wachtwoord')).status).toBe(401);
    expect(await newEvents(20)).toEqual(
      Array.from({ length: 20 }, (_, i) => ({
        ip: '::ffff:127.0.0.1',
        route: '/aanmelden',
        status: 401,
        reason: 'sign-in-failed',
        detail: `onbekend-${i + 1}@nergens.demo`,
      })),
    );

    for (let i = 21; i <= 40; i++)
      expectRefused(await attempt(ipv4, `onbekend-${i}@nergens.demo`, 'een verkeerd wachtwoord'), 30, SOURCE_MESSAGE('30 seconden'));
    later(10);
    // The real account, with its right password, from the same source: refused while the source waits; no session.
    const real = await attempt(ipv4, GENT, DEMO_PASSWORD);
    expectRefused(real, 20, SOURCE_MESSAGE('20 seconden'));
    await real.agent.get('/account').expect(303);
    // Not trusted here, so a forged X-Forwarded-For does not make another source.
    expectRefused(await attempt(ipv4, GENT, DEMO_PASSWORD, { 'X-Forwarded-For': '203.0.113.9' }), 20, SOURCE_MESSAGE('20 seconden'));

    const events = await newEvents(22);
    expect(events).toHaveLength(22);
    expect(events.slice(0, 20)).toEqual(
      Array.from({ length: 20 }, (_, i) => ({
        ip: '::ffff:127.0.0.1',
        route: '/aanmelden',
        status: 429,
        reason: 'sign-in-throttled',
        detail: `onbekend-${i + 21}@nergens.demo`,
      })),
    );
    expect(events.slice(20)).toEqual([
      { ip: '::ffff:127.0.0.1', route: '/aanmelden', status: 429, reason: 'sign-in-throttled', detail: GENT },
      { ip: '::ffff:127.0.0.1', route: '/aanmelden', status: 429, reason: 'sign-in-throttled', detail: GENT },
    ]);
    // The per-address lockout never saw the refused attempts.
    expect(await t.dataSource.query(`SELECT key FROM login_throttle WHERE key = $1`, [GENT])).toEqual([]);
  });

  it('changes nothing with a refused attempt, on the sign-in and on the password-reset form', async () => {
    const agent = request.agent(ipv4);
    const signInForm = await agent.get('/aanmelden').expect(200);
    const resetForm = await agent.get('/wachtwoord-vergeten').expect(200);
    const before = await snapshot(t.dataSource, UNTOUCHED);
    const sessions = await t.dataSource.query(`SELECT sid FROM http_session ORDER BY sid`);

    const refused = await agent
      .post('/aanmelden')
      .type('form')
      .send({ _csrf: csrfFrom(signInForm.text), email: LIER, password: DEMO_PASSWORD });
    expectRefused(refused, 20, SOURCE_MESSAGE('20 seconden'));
    const reset = await agent
      .post('/wachtwoord-vergeten')
      .type('form')
      .send({ _csrf: csrfFrom(resetForm.text), email: LIER });
    expectRefused(reset, 20, SOURCE_MESSAGE('20 seconden'));
    expect(reset.text).not.toContain('hebben we een link gestuurd');

    expect(await snapshot(t.dataSource, UNTOUCHED)).toEqual(before);
    expect(await t.dataSource.query(`SELECT sid FROM http_session ORDER BY sid`)).toEqual(sessions);
    expect(await newEvents(2)).toEqual([
      { ip: '::ffff:127.0.0.1', route: '/aanmelden', status: 429, reason: 'sign-in-throttled', detail: LIER },
      { ip: '::ffff:127.0.0.1', route: '/wachtwoord-vergeten', status: 429, reason: 'sign-in-throttled', detail: LIER },
    ]);
  });

  it('lets another source sign in while the first one waits', async () => {
    expect((await attempt(ipv6, LIER, 'een verkeerd wachtwoord')).status).toBe(401);
    const signedIn = await attempt(ipv6, GENT, DEMO_PASSWORD);
    expect(signedIn.status).toBe(303);
    expect((await signedIn.agent.get('/account').expect(200)).text).toContain('Griet Medewerker (Gent)');
    expect(await newEvents(1)).toEqual([{ ip: '::1', route: '/aanmelden', status: 401, reason: 'sign-in-failed', detail: LIER }]);
  });

  it('lets the source in once the wait has passed; its sign-in does not wipe its failures, and the waits grow', async () => {
    later(20);
    expect((await attempt(ipv4, GENT, DEMO_PASSWORD)).status).toBe(303);
    // The success took only its own attempt off: the next failure is the 21st, and then the wait is a minute.
    expect((await attempt(ipv4, 'onbekend-41@nergens.demo', 'een verkeerd wachtwoord')).status).toBe(401);
    expectRefused(await attempt(ipv4, GENT, DEMO_PASSWORD), 60, SOURCE_MESSAGE('1 minuut'));
    later(60);
    expect((await attempt(ipv4, GENT, DEMO_PASSWORD)).status).toBe(303);
    const [row] = await t.dataSource.query(`SELECT attempts FROM sign_in_source_throttle WHERE source = '127.0.0.1'`);
    expect(row.attempts).toBe(21);
  });

  it('counts a password-reset request against the source, known address or not', async () => {
    const [{ attempts: before }] = await t.dataSource.query(`SELECT attempts FROM sign_in_source_throttle WHERE source = '0:0:0:0::/64'`);
    for (const email of [LIER, 'niemand@nergens.demo']) {
      const agent = request.agent(ipv6);
      const form = await agent.get('/wachtwoord-vergeten').expect(200);
      const res = await agent
        .post('/wachtwoord-vergeten')
        .type('form')
        .send({ _csrf: csrfFrom(form.text), email })
        .expect(200);
      expect(res.text).toContain('hebben we een link gestuurd');
    }
    const [{ attempts: after }] = await t.dataSource.query(`SELECT attempts FROM sign_in_source_throttle WHERE source = '0:0:0:0::/64'`);
    expect(after).toBe(before + 2);
  });

  it('lets every source wait once the platform as a whole passed its ceiling, with a Dutch 429 and Retry-After', async () => {
    // 300 failed sign-ins spread over many addresses in this quarter of an hour, as a distributed attack leaves them.
    await t.dataSource.query(`UPDATE sign_in_source_throttle SET attempts = 300, window_started_at = $1, last_attempt_at = $1 WHERE source = '*'`, [
      clock.now(),
    ]);
    await newEvents(0);
    const refused = await attempt(ipv6, LIER, DEMO_PASSWORD);
    expectRefused(refused, 2, GLOBAL_MESSAGE('2 seconden'));
    expect(await newEvents(1)).toEqual([{ ip: '::1', route: '/aanmelden', status: 429, reason: 'sign-in-throttled-global', detail: LIER }]);
    later(2);
    expect((await attempt(ipv6, 'onbekend@nergens.demo', 'een verkeerd wachtwoord')).status).toBe(401);
    // That failure was the 301st: now the wait is 4 s, for every source.
    expectRefused(await attempt(ipv4, GENT, DEMO_PASSWORD), 4, GLOBAL_MESSAGE('4 seconden'));
    later(4);
    expect((await attempt(ipv6, LIER, DEMO_PASSWORD)).status).toBe(303);
  });
});

/** Behind the reverse proxy (COOKIE_SECURE: one trusted hop) the source is the address the proxy adds last to X-Forwarded-For. */
describe('sign-in throttling behind a trusted proxy (issue 23)', () => {
  const clock = new FixedClock(new Date('2026-12-01T09:00:00Z'));
  let t: TestApp;
  beforeAll(async () => (t = await startTestApp({ clock, env: { COOKIE_SECURE: 'true' } })));
  afterAll(() => t.close());

  /** The form and its Secure session cookie, as the proxy passes them on (HTTPS to the client). */
  async function form(forwardedFor: string) {
    const headers = { 'X-Forwarded-For': forwardedFor, 'X-Forwarded-Proto': 'https' };
    const page = await request(t.http).get('/aanmelden').set(headers).expect(200);
    const cookie = (page.headers['set-cookie'] as unknown as string[])[0].split(';')[0];
    return { headers: { ...headers, Cookie: cookie }, csrf: csrfFrom(page.text) };
  }
  const post = (f: Awaited<ReturnType<typeof form>>, email: string, password: string) =>
    request(t.http).post('/aanmelden').set(f.headers).type('form').send({ _csrf: f.csrf, email, password });

  it('throttles per forwarded address: a client cannot pick its own by prefixing the header', async () => {
    for (let i = 1; i <= 20; i++) {
      expect((await post(await form(`10.0.0.${i}, 203.0.113.5`), `onbekend-${i}@nergens.demo`, 'een verkeerd wachtwoord')).status).toBe(401);
    }
    const refused = await post(await form('10.9.9.9, 203.0.113.5'), GENT, DEMO_PASSWORD);
    expect(refused.status).toBe(429);
    expect(refused.headers['retry-after']).toBe('30');
    expect(refused.text).toContain(SOURCE_MESSAGE('30 seconden'));
    expect((await post(await form('203.0.113.6'), GENT, DEMO_PASSWORD)).status).toBe(303);
  });

  it('counts a burst of parallel attempts from one source one by one: no more than the limit get through', async () => {
    for (let i = 0; i < 17; i++) expect((await post(await form('198.51.100.7'), `reeks-${i}@nergens.demo`, 'een verkeerd wachtwoord')).status).toBe(401);
    const forms = [];
    for (let i = 0; i < 6; i++) forms.push(await form('198.51.100.7'));
    const statuses = (await Promise.all(forms.map((f, i) => post(f, `burst-${i}@nergens.demo`, 'een verkeerd wachtwoord')))).map((res) => res.status);
    // The embedded database answers 503 to a request that cannot start within 2 s (a busy test machine); such a
    // request touched nothing. Every other one was counted in turn: three more failures, then the wait.
    if (process.env.DATABASE_URL) expect(statuses).not.toContain(503);
    const served = statuses.filter((status) => status !== 503).length;
    expect(statuses.filter((status) => status === 401)).toHaveLength(Math.min(3, served));
    expect(statuses.filter((status) => status === 429)).toHaveLength(served - Math.min(3, served));
    const [row] = await t.dataSource.query(`SELECT attempts FROM sign_in_source_throttle WHERE source = '198.51.100.7'`);
    expect(row.attempts).toBe(17 + Math.min(3, served));
  });
});
