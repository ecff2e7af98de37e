import request from 'supertest';
import { FixedClock } from '@ps/kernel';
import { NoticeWorker } from '@ps/notifications';
import { DEMO_PASSWORD } from '@ps/setup';
import { auditOf, bearerFor, csrfFrom, csrfOf, signIn, userId } from '../support/sessions';
import { startSmtpServer, TestSmtpServer } from '../support/smtp';
import { snapshot, startTestApp, TestApp } from '../support/test-app';

const ADMIN = 'beheerder@abb.demo';
const GENT = 'medewerker@gent.demo';
const LIER = 'medewerker@lier.demo';

interface LoggedEvent {
  user_id: number | null;
  role: string | null;
  local_government_id: number | null;
  ip: string | null;
  method: string;
  route: string;
  status: number;
  reason: string;
  detail: string | null;
}

describe('accounts and audit: the security log, signing out everywhere, no-store, CSRF', () => {
  const clock = new FixedClock(new Date('2026-11-23T09:00:00Z'));
  let t: TestApp;
  let smtp: TestSmtpServer;
  let lastSeenId = 0;
  beforeAll(async () => {
    smtp = await startSmtpServer();
    t = await startTestApp({ clock, env: { SMTP_URL: smtp.url } });
  });
  afterAll(async () => {
    await t?.close();
    await smtp?.close();
  });
  const bearer = (secret: string) => ({ Authorization: `Bearer ${secret}` });

  /** The security events written since the last call; they are written once the response is sent, so wait for them. */
  async function newEvents(expected: number): Promise<LoggedEvent[]> {
    let rows: (LoggedEvent & { id: string })[];
    for (let tries = 0; tries < 60; tries++) {
      rows = await t.dataSource.query(`SELECT * FROM security_event WHERE id > $1 ORDER BY id`, [lastSeenId]);
      if (rows.length >= expected) break;
      await new Promise((resolve) => setTimeout(resolve, 50));
    }
    await new Promise((resolve) => setTimeout(resolve, 100));
    rows = await t.dataSource.query(`SELECT * FROM security_event WHERE id > $1 ORDER BY id`, [lastSeenId]);
    if (rows.length > 0) lastSeenId = Number(rows.at(-1)!.id);
    return rows.map(({ user_id, role, local_government_id, ip, method, route, status, reason, detail }) => ({
      user_id,
      role,
      local_government_id,
      ip,
      method,
      route,
      status: Number(status),
      reason,
      detail,
    }));
  }
  const lgOf = async (nisCode: string) =>
    (await t.dataSource.query(`SELECT id FROM local_government WHERE nis_code = $1 ORDER BY valid_from NULLS FIRST`, [nisCode]))[0].id as number;
  const applicantNamed = async (name: string) => (await t.dataSource.query(`SELECT id FROM applicant WHERE name_nl = $1`, [name]))[0].id as number;

  describe('the security log', () => {
    beforeAll(() => newEvents(0));

    it('logs failed sign-ins with the address tried, never the password, and the lockout', async () => {
      const attempt = async (email: string, password: string) => {
        const agent = request.agent(t.http);
        const form = await agent.get('/aanmelden').expect(200);
        return agent
          .post('/aanmelden')
          .type('form')
          .send({ _csrf: csrfFrom(form.text), email, password });
      };
      expect((await attempt('Niemand@Nergens.demo', 'geheim-wachtwoord-1')).status).toBe(401);
      for (let i = 0; i < 5; i++) expect((await attempt('medewerker@duffel.demo', `geheim-wachtwoord-${i}`)).status).toBe(401);
      const events = await newEvents(6);
      expect(events).toHaveLength(6);
      expect(events[0]).toMatchObject({
        user_id: null,
        method: 'POST',
        route: '/aanmelden',
        status: 401,
        reason: 'sign-in-failed',
        detail: 'niemand@nergens.demo',
      });
      expect(events.slice(1).map((e) => e.reason)).toEqual(['sign-in-failed', 'sign-in-failed', 'sign-in-failed', 'sign-in-failed', 'sign-in-failed']);
      expect(events[0].ip).toMatch(/127\.0\.0\.1|::1/);
      expect(JSON.stringify(events)).not.toContain('geheim-wachtwoord');

      expect((await attempt('medewerker@duffel.demo', DEMO_PASSWORD)).status).toBe(401);
      expect(await newEvents(1)).toEqual([expect.objectContaining({ reason: 'sign-in-locked', detail: 'medewerker@duffel.demo' })]);
      expect((await attempt(GENT, DEMO_PASSWORD)).status).toBe(303);
      expect(await newEvents(0)).toEqual([]);
    });

    it('logs forged, revoked and expired bearer tokens, with the public prefix only', async () => {
      await request(t.http).get('/api/v1/me').set(bearer('ps_pat_vervalst-geheim')).expect(401);
      const revoked = await bearerFor(t, LIER);
      const [{ id }] = (await request(t.http).get('/api/v1/tokens').set(bearer(revoked)).expect(200)).body;
      await request(t.http).delete(`/api/v1/tokens/${id}`).set(bearer(revoked)).expect(200);
      await request(t.http).get('/api/v1/applicants').set(bearer(revoked)).expect(401);
      const expiring = await bearerFor(t, GENT, 1);
      clock.set(new Date(clock.now().getTime() + 2 * 86_400_000));
      await request(t.http).get('/api/v1/me').set(bearer(expiring)).expect(401);

      const events = await newEvents(3);
      expect(events).toEqual([
        expect.objectContaining({ user_id: null, method: 'GET', route: '/api/v1/me', status: 401, reason: 'token-unknown', detail: null }),
        expect.objectContaining({ route: '/api/v1/applicants', status: 401, reason: 'token-revoked', detail: revoked.slice(0, 14) }),
        expect.objectContaining({ route: '/api/v1/me', status: 401, reason: 'token-expired', detail: expiring.slice(0, 14) }),
      ]);
      expect(JSON.stringify(events)).not.toContain(revoked);
      expect(JSON.stringify(events)).not.toContain('vervalst');
    });

    it('logs a 403 of the guard with the user, role, local government and the permission missing', async () => {
      const gent = await bearerFor(t, GENT);
      await request(t.http).get('/api/v1/users').set(bearer(gent)).expect(403);
      expect(await newEvents(1)).toEqual([
        {
          user_id: await userId(t.dataSource, GENT),
          role: 'municipal-officer',
          local_government_id: await lgOf('44021'),
          ip: expect.any(String),
          method: 'GET',
          route: '/api/v1/users',
          status: 403,
          reason: 'permission-missing',
          detail: 'users:manage',
        },
      ]);

      const session = await signIn(t, GENT);
      await session.get('/beheer/gebruikers').expect(403);
      await session.post('/account/tokens').type('form').send({ name: 'zonder token', validDays: '30' }).expect(403);
      expect(await newEvents(2)).toEqual([
        expect.objectContaining({ route: '/beheer/gebruikers', status: 403, reason: 'permission-missing', role: 'municipal-officer' }),
        expect.objectContaining({ method: 'POST', route: '/account/tokens', status: 403, reason: 'csrf-invalid', user_id: await userId(t.dataSource, GENT) }),
      ]);
    });

    it('logs a 403 a service refuses, such as registering for another local government', async () => {
      const lier = await bearerFor(t, LIER);
      await request(t.http)
        .post('/api/v1/applicants')
        .set(bearer(lier))
        .send({ year: 3, kind: 'alone', leadLocalGovernmentId: await lgOf('11002') })
        .expect(403);
      expect(await newEvents(1)).toEqual([
        expect.objectContaining({ method: 'POST', route: '/api/v1/applicants', status: 403, reason: 'refused-by-rule', role: 'municipal-officer' }),
      ]);
    });

    it('logs the 404 of a record of another local government, not that of a record that does not exist', async () => {
      const lier = await bearerFor(t, LIER);
      const gentApplicant = await applicantNamed('Stad Gent');
      await request(t.http).get(`/api/v1/applicants/${gentApplicant}`).set(bearer(lier)).expect(404);
      await request(t.http).get('/api/v1/applicants/999999').set(bearer(lier)).expect(404);
      const session = await signIn(t, LIER);
      await session.get(`/aanvragers/${gentApplicant}?x=1`).expect(404);
      expect(await newEvents(2)).toEqual([
        expect.objectContaining({
          route: `/api/v1/applicants/${gentApplicant}`,
          status: 404,
          reason: 'other-local-government',
          detail: `applicant ${gentApplicant}`,
          local_government_id: await lgOf('12021'),
        }),
        expect.objectContaining({ route: `/aanvragers/${gentApplicant}`, status: 404, reason: 'other-local-government' }),
      ]);
    });

    it('is not the audit trail: refusals add nothing there, and its rows cannot be changed or recently deleted', async () => {
      const audit = await snapshot(t.dataSource, ['audit_event']);
      await request(t.http).get('/api/v1/me').set(bearer('ps_pat_nog-een-vervalsing')).expect(401);
      expect(await newEvents(1)).toHaveLength(1);
      expect(await snapshot(t.dataSource, ['audit_event'])).toEqual(audit);
      await expect(t.dataSource.query(`UPDATE security_event SET reason = 'vervalst'`)).rejects.toThrow(/append-only/);
      await expect(t.dataSource.query(`DELETE FROM security_event`)).rejects.toThrow(/append-only/);
      await expect(t.dataSource.query(`TRUNCATE security_event`)).rejects.toThrow(/append-only/);
    });

    it('answers the refusal as usual when the log cannot be written', async () => {
      await t.dataSource.query(`ALTER TABLE security_event RENAME TO security_event_away`);
      try {
        const gent = await bearerFor(t, GENT);
        const res = await request(t.http).get('/api/v1/users').set(bearer(gent)).expect(403);
        expect(res.body.message).toBe('U hebt geen toegang tot deze functie.');
        await request(t.http).get('/api/v1/me').set(bearer('ps_pat_vervalst')).expect(401);
        await new Promise((resolve) => setTimeout(resolve, 300));
      } finally {
        await t.dataSource.query(`ALTER TABLE security_event_away RENAME TO security_event`);
      }
      expect(await newEvents(0)).toEqual([]);
    });

    it('lets ABB administrators read it through the API and the page "Beveiligingslog", and nobody else', async () => {
      const admin = await bearerFor(t, ADMIN);
      const events = (await request(t.http).get('/api/v1/security-events?limit=2').set(bearer(admin)).expect(200)).body;
      expect(events).toHaveLength(2);
      expect(events[0].id).toBeGreaterThan(events[1].id);
      expect(events[0]).toMatchObject({ method: expect.any(String), route: expect.any(String), status: expect.any(Number), reason: expect.any(String) });
      const older = (await request(t.http).get(`/api/v1/security-events?beforeId=${events[1].id}&limit=1`).set(bearer(admin)).expect(200)).body;
      expect(older[0].id).toBeLessThan(events[1].id);
      const bad = await request(t.http).get('/api/v1/security-events?limit=5000&beforeId=x').set(bearer(admin)).expect(422);
      expect(Object.keys(bad.body.errors).sort()).toEqual(['beforeId', 'limit']);

      const page = await (await signIn(t, ADMIN)).get('/beheer/beveiligingslog').expect(200);
      expect(page.text).toContain('<h1 class="govuk-heading-xl">Beveiligingslog</h1>');
      expect(page.text).toContain('Record van een ander lokaal bestuur');
      expect(page.text).toContain('Lode Medewerker (Lier) &lt;medewerker@lier.demo&gt;');
      expect((await (await signIn(t, ADMIN)).get('/beheer/gebruikers').expect(200)).text).toContain('href="/beheer/beveiligingslog"');

      for (const email of ['platform@beheer.demo', 'beoordelaar@abb.demo', GENT]) {
        await request(t.http)
          .get('/api/v1/security-events')
          .set(bearer(await bearerFor(t, email)))
          .expect(403);
      }
      await newEvents(3);
    });
  });

  describe('signed out everywhere', () => {
    it('a password reset revokes the API tokens and ends the sessions, audited in the same transaction', async () => {
      const token = await bearerFor(t, LIER);
      const session = await signIn(t, LIER);
      await request(t.http).get('/api/v1/me').set(bearer(token)).expect(200);
      const agent = request.agent(t.http);
      const form = await agent.get('/wachtwoord-vergeten').expect(200);
      await agent
        .post('/wachtwoord-vergeten')
        .type('form')
        .send({ _csrf: csrfFrom(form.text), email: LIER })
        .expect(200);
      await t.app.get(NoticeWorker).deliverWaiting();
      const reset = smtp.linkTo(LIER).token;
      const page = await agent.get(`/wachtwoord-herstellen?token=${reset}`).expect(200);
      await agent
        .post('/wachtwoord-herstellen')
        .type('form')
        .send({ _csrf: csrfFrom(page.text), token: reset, password: 'een nieuw lang wachtwoord' })
        .expect(303);

      await request(t.http).get('/api/v1/me').set(bearer(token)).expect(401);
      await session.get('/account').expect(303);
      const lierId = await userId(t.dataSource, LIER);
      const open = await t.dataSource.query(`SELECT id FROM api_token WHERE user_id = $1 AND revoked_at IS NULL AND expires_at > $2`, [lierId, clock.now()]);
      expect(open).toEqual([]);
      const [{ id: tokenId }] = await t.dataSource.query(`SELECT id FROM api_token WHERE user_id = $1 ORDER BY id DESC LIMIT 1`, [lierId]);
      expect((await auditOf(t.dataSource, 'api-token', tokenId)).at(-1)).toMatchObject({ action: 'revoked', after: { because: 'password-set' } });
      expect(await t.dataSource.query(`SELECT 1 FROM http_session WHERE user_id = $1`, [lierId])).toEqual([]);
      expect((await newEvents(1)).map((e) => e.reason)).toEqual(['token-revoked']);
    });

    it('deactivation revokes the tokens and ends the sessions; reactivation brings neither back', async () => {
      const admin = await bearerFor(t, ADMIN);
      const id = await userId(t.dataSource, 'analist@vvsg.demo');
      const token = await bearerFor(t, 'analist@vvsg.demo');
      const session = await signIn(t, 'analist@vvsg.demo');
      const change = async (active: boolean) => {
        const user = (await request(t.http).get(`/api/v1/users/${id}`).set(bearer(admin)).expect(200)).body;
        await request(t.http)
          .patch(`/api/v1/users/${id}`)
          .set(bearer(admin))
          .send({ displayName: user.displayName, role: user.role, localGovernmentId: null, active, version: user.version })
          .expect(200);
      };
      await change(false);
      await change(true);
      await request(t.http).get('/api/v1/me').set(bearer(token)).expect(401);
      await session.get('/account').expect(303);
      const [{ id: tokenId }] = await t.dataSource.query(`SELECT id FROM api_token WHERE user_id = $1 ORDER BY id DESC LIMIT 1`, [id]);
      expect((await auditOf(t.dataSource, 'api-token', tokenId)).map((a: { action: string; after: unknown }) => [a.action, a.after])).toEqual([
        ['issued', expect.anything()],
        ['revoked', { because: 'deactivated' }],
      ]);
      expect((await newEvents(1)).map((e) => e.reason)).toEqual(['token-revoked']);
      await signIn(t, 'analist@vvsg.demo');
    });
  });

  describe('caching and CSRF', () => {
    it('sends every response to a signed-in user with Cache-Control: no-store, the new token secret above all', async () => {
      const agent = await signIn(t, GENT);
      const issued = await agent
        .post('/account/tokens')
        .type('form')
        .send({ _csrf: await csrfOf(agent), name: 'Cachetest', validDays: '30' })
        .expect(201);
      expect(issued.text).toContain('id="new-token"');
      expect(issued.headers['cache-control']).toBe('no-store');
      expect((await agent.get('/account').expect(200)).headers['cache-control']).toBe('no-store');
      expect((await agent.get('/acties').expect(200)).headers['cache-control']).toBe('no-store');
      expect((await agent.get('/beheer/gebruikers').expect(403)).headers['cache-control']).toBe('no-store');
      const secret = /<code id="new-token">([^<]+)<\/code>/.exec(issued.text)![1];
      expect((await request(t.http).get('/api/v1/me').set(bearer(secret)).expect(200)).headers['cache-control']).toBe('no-store');
      expect((await request(t.http).get('/acties').expect(200)).headers['cache-control']).toBeUndefined();
      await newEvents(1);
    });

    it('refuses a valid CSRF token in the query string with 403 and changes nothing', async () => {
      const agent = await signIn(t, GENT);
      const csrf = await csrfOf(agent);
      const before = await snapshot(t.dataSource, ['api_token', 'audit_event']);
      const res = await agent
        .post(`/account/tokens?_csrf=${encodeURIComponent(csrf)}`)
        .type('form')
        .send({ name: 'Via de URL', validDays: '30' })
        .expect(403);
      expect(res.text).toContain('Het formulier is verlopen of ongeldig.');
      expect(await snapshot(t.dataSource, ['api_token', 'audit_event'])).toEqual(before);
      await agent.post('/account/tokens').set('X-CSRF-Token', csrf).type('form').send({ name: 'Via de header', validDays: '30' }).expect(201);
      expect(await newEvents(1)).toEqual([expect.objectContaining({ route: '/account/tokens', reason: 'csrf-invalid' })]);
    });
  });
});
