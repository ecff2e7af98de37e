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
const GENERIC = 'Het e-mailadres of wachtwoord is onjuist, of het account is tijdelijk geblokkeerd.';

describe('accounts: sign-in, sessions, tokens, password reset, user administration, audit', () => {
  const clock = new FixedClock(new Date('2026-11-22T09:00:00Z'));
  let t: TestApp;
  let smtp: TestSmtpServer;
  beforeAll(async () => {
    smtp = await startSmtpServer();
    t = await startTestApp({ clock, env: { SMTP_URL: smtp.url } });
  });
  afterAll(async () => {
    await t?.close();
    await smtp?.close();
  });
  const later = (minutes: number) => clock.set(new Date(clock.now().getTime() + minutes * 60_000));

  async function attempt(email: string, password: string) {
    const agent = request.agent(t.http);
    const form = await agent.get('/aanmelden').expect(200);
    return agent
      .post('/aanmelden')
      .type('form')
      .send({ _csrf: csrfFrom(form.text), email, password });
  }

  describe('web sign-in', () => {
    it('signs in with the right password, renews the session id and sets a safe cookie', async () => {
      const agent = request.agent(t.http);
      const form = await agent.get('/aanmelden').expect(200);
      const before = /ps\.sid=([^;]+)/.exec(form.headers['set-cookie'][0])![1];
      const res = await agent
        .post('/aanmelden')
        .type('form')
        .send({ _csrf: csrfFrom(form.text), email: GENT, password: DEMO_PASSWORD })
        .expect(303);
      const cookie: string = res.headers['set-cookie'][0];
      expect(/ps\.sid=([^;]+)/.exec(cookie)![1]).not.toBe(before);
      expect(cookie).toMatch(/HttpOnly/);
      expect(cookie).toMatch(/SameSite=Lax/);
      expect(res.headers.location).toBe('/taken');
      expect((await agent.get('/taken').expect(200)).text).toContain('Griet Medewerker (Gent)');
    });

    it('refuses a wrong password and an unknown e-mail with the same generic message', async () => {
      const wrong = await attempt(LIER, 'niet-het-wachtwoord');
      const unknown = await attempt('niemand@nergens.demo', 'niet-het-wachtwoord');
      for (const res of [wrong, unknown]) {
        expect(res.status).toBe(401);
        expect(res.text).toContain(GENERIC);
      }
    });

    it('locks an account temporarily after 5 failures, with the same message, and unlocks later', async () => {
      const email = 'medewerker@duffel.demo';
      for (let i = 0; i < 5; i++) expect((await attempt(email, `fout-${i}`)).status).toBe(401);
      const locked = await attempt(email, DEMO_PASSWORD);
      expect(locked.status).toBe(401);
      expect(locked.text).toContain(GENERIC);
      later(16);
      expect((await attempt(email, DEMO_PASSWORD)).status).toBe(303);
    });

    it('refuses a form without its CSRF token and changes nothing', async () => {
      const agent = request.agent(t.http);
      await agent.get('/aanmelden').expect(200);
      await agent.post('/aanmelden').type('form').send({ email: GENT, password: DEMO_PASSWORD }).expect(403);
      await agent.get('/account').expect(303);

      const admin = await signIn(t, ADMIN);
      const before = await snapshot(t.dataSource, ['app_user', 'audit_event', 'mail_outbox']);
      await admin.post('/beheer/gebruikers').type('form').send({ email: 'x@y.demo', displayName: 'X Y', role: 'abb-reviewer' }).expect(403);
      await admin.post('/beheer/gebruikers').type('form').send({ _csrf: 'vervalst', email: 'x@y.demo', displayName: 'X Y', role: 'abb-reviewer' }).expect(403);
      expect(await snapshot(t.dataSource, ['app_user', 'audit_event', 'mail_outbox'])).toEqual(before);
    });

    it('sends a signed-out visitor of a protected page to the sign-in page and back', async () => {
      const res = await request(t.http).get('/beheer/gebruikers').expect(303);
      expect(res.headers.location).toBe('/aanmelden?terug=%2Fbeheer%2Fgebruikers');
      expect((await request(t.http).get('/aanmelden?terug=//evil.example').expect(200)).text).toContain('name="terug" value="/taken"');
    });

    it('signs out and ends the session', async () => {
      const agent = await signIn(t, GENT);
      await agent
        .post('/afmelden')
        .type('form')
        .send({ _csrf: await csrfOf(agent) })
        .expect(303);
      await agent.get('/account').expect(303);
    });
  });

  describe('API tokens', () => {
    it('issues a token once on the account page; it works as a bearer token and is listed', async () => {
      const agent = await signIn(t, GENT);
      const res = await agent
        .post('/account/tokens')
        .type('form')
        .send({ _csrf: await csrfOf(agent), name: 'Excel-koppeling', validDays: '30' })
        .expect(201);
      const secret = /<code id="new-token">([^<]+)<\/code>/.exec(res.text)![1];
      const me = await request(t.http).get('/api/v1/me').set('Authorization', `Bearer ${secret}`).expect(200);
      expect(me.body).toMatchObject({ role: 'municipal-officer', via: 'token' });
      const listed = await request(t.http).get('/api/v1/tokens').set('Authorization', `Bearer ${secret}`).expect(200);
      expect(listed.body.map((tk: { name: string }) => tk.name)).toContain('Excel-koppeling');
      expect(JSON.stringify(listed.body)).not.toContain(secret);
      const audit = await auditOf(t.dataSource, 'api-token', listed.body[0].id);
      expect(audit.map((a: { action: string }) => a.action)).toEqual(['issued']);
    });

    it('rejects forged, revoked and expired tokens with 401', async () => {
      await request(t.http).get('/api/v1/me').set('Authorization', 'Bearer ps_pat_vervalst').expect(401);
      const secret = await bearerFor(t, GENT);
      const [{ id }] = (await request(t.http).get('/api/v1/tokens').set('Authorization', `Bearer ${secret}`).expect(200)).body;
      await request(t.http).delete(`/api/v1/tokens/${id}`).set('Authorization', `Bearer ${secret}`).expect(200);
      await request(t.http).get('/api/v1/me').set('Authorization', `Bearer ${secret}`).expect(401);
      expect((await auditOf(t.dataSource, 'api-token', id)).map((a: { action: string }) => a.action)).toEqual(['issued', 'revoked']);

      const short = await bearerFor(t, LIER);
      await request(t.http).get('/api/v1/me').set('Authorization', `Bearer ${short}`).expect(200);
      later(31 * 24 * 60);
      await request(t.http).get('/api/v1/me').set('Authorization', `Bearer ${short}`).expect(401);
    });

    it("answers 404 for revoking another user's token, and leaves it working", async () => {
      const gent = await bearerFor(t, GENT);
      const lier = await bearerFor(t, LIER);
      const [lierToken] = (await request(t.http).get('/api/v1/tokens').set('Authorization', `Bearer ${lier}`).expect(200)).body;
      await request(t.http).delete(`/api/v1/tokens/${lierToken.id}`).set('Authorization', `Bearer ${gent}`).expect(404);
      await request(t.http).get('/api/v1/me').set('Authorization', `Bearer ${lier}`).expect(200);
    });
  });

  describe('password reset', () => {
    /** The link reaches the recipient's mailbox only (the outbox masks it: outbox-secrets.e2e-spec.ts). */
    const resetLink = async (email: string) => {
      // Mail goes out after the commit (NoticeWorker): the test waits for that run.
      await t.app.get(NoticeWorker).deliverWaiting();
      return smtp.linkTo(email).token;
    };

    it('mails a one-time link; the new password works, the link does not work twice', async () => {
      const agent = request.agent(t.http);
      const form = await agent.get('/wachtwoord-vergeten').expect(200);
      await agent
        .post('/wachtwoord-vergeten')
        .type('form')
        .send({ _csrf: csrfFrom(form.text), email: LIER })
        .expect(200);
      const token = await resetLink(LIER);
      const page = await agent.get(`/wachtwoord-herstellen?token=${token}`).expect(200);
      await agent
        .post('/wachtwoord-herstellen')
        .type('form')
        .send({ _csrf: csrfFrom(page.text), token, password: 'een nieuw lang wachtwoord' })
        .expect(303);
      expect((await attempt(LIER, 'een nieuw lang wachtwoord')).status).toBe(303);
      const reused = await agent
        .post('/wachtwoord-herstellen')
        .type('form')
        .send({ _csrf: csrfFrom(page.text), token, password: 'nog een ander wachtwoord' });
      expect(reused.status).toBe(400);
      expect((await attempt(LIER, 'nog een ander wachtwoord')).status).toBe(401);
      const history = await auditOf(t.dataSource, 'user', await userId(t.dataSource, LIER));
      expect(history.map((a: { action: string }) => a.action)).toEqual(['password-reset-requested', 'password-set']);
    });

    it('refuses an expired link, and says the same for unknown addresses without sending mail', async () => {
      const agent = request.agent(t.http);
      const form = await agent.get('/wachtwoord-vergeten').expect(200);
      await agent
        .post('/wachtwoord-vergeten')
        .type('form')
        .send({ _csrf: csrfFrom(form.text), email: GENT })
        .expect(200);
      const token = await resetLink(GENT);
      later(61);
      const page = await agent.get(`/wachtwoord-herstellen?token=${token}`).expect(200);
      await agent
        .post('/wachtwoord-herstellen')
        .type('form')
        .send({ _csrf: csrfFrom(page.text), token, password: 'een ander lang wachtwoord' })
        .expect(400);
      expect((await attempt(GENT, DEMO_PASSWORD)).status).toBe(303);

      const mails = await snapshot(t.dataSource, ['mail_outbox']);
      const delivered = smtp.received.length;
      const unknown = await agent
        .post('/wachtwoord-vergeten')
        .type('form')
        .send({ _csrf: csrfFrom(form.text), email: 'niemand@nergens.demo' })
        .expect(200);
      expect(unknown.text).toContain('Als dit e-mailadres bij een actief account hoort');
      expect(await snapshot(t.dataSource, ['mail_outbox'])).toEqual(mails);
      await t.app.get(NoticeWorker).deliverWaiting();
      expect(smtp.received.length).toBe(delivered);
    });

    it('refuses a too-short password per field and changes nothing', async () => {
      const before = await snapshot(t.dataSource, ['app_user', 'password_reset']);
      const agent = request.agent(t.http);
      const page = await agent.get('/wachtwoord-herstellen?token=x').expect(200);
      const res = await agent
        .post('/wachtwoord-herstellen')
        .type('form')
        .send({ _csrf: csrfFrom(page.text), token: 'ps_reset_abcdefghijk', password: 'kort' })
        .expect(422);
      expect(res.text).toContain('href="#password"');
      expect(await snapshot(t.dataSource, ['app_user', 'password_reset'])).toEqual(before);
    });
  });

  describe('user administration', () => {
    let admin: string;
    beforeAll(async () => (admin = await bearerFor(t, ADMIN)));

    it('creates a user without a password, mails an invitation and audits it', async () => {
      const res = await request(t.http)
        .post('/api/v1/users')
        .set('Authorization', `Bearer ${admin}`)
        .send({ email: 'nieuw@antwerpen.demo', displayName: 'Nina Nieuw', role: 'municipal-officer', localGovernmentId: await localGovernmentId('11002') })
        .expect(201);
      expect(res.body).toMatchObject({ email: 'nieuw@antwerpen.demo', role: 'municipal-officer', localGovernmentName: 'Antwerpen', active: true, version: 1 });
      const [mail] = await t.dataSource.query(`SELECT subject, body FROM mail_outbox WHERE recipient = 'nieuw@antwerpen.demo'`);
      expect(mail.subject).toBe('Uw account voor Plan Samenleven');
      expect(mail.body).toContain('via [link naar de ontvanger verstuurd; niet zichtbaar in de uitgaande mail]');
      await t.app.get(NoticeWorker).deliverWaiting();
      const welcome = smtp.latestTo('nieuw@antwerpen.demo');
      expect(welcome.subject).toBe('Uw account voor Plan Samenleven');
      expect(welcome.text).toContain(`Kies uw wachtwoord binnen 7 dagen via ${t.config.publicUrl}${smtp.linkTo('nieuw@antwerpen.demo').path}`);
      const audit = await auditOf(t.dataSource, 'user', res.body.id);
      expect(audit).toEqual([
        {
          actor_label: 'An Beheerder (ABB) <beheerder@abb.demo>',
          action: 'created',
          before: null,
          after: expect.objectContaining({ email: 'nieuw@antwerpen.demo', role: 'municipal-officer' }),
        },
      ]);
      expect((await attempt('nieuw@antwerpen.demo', '')).status).toBe(422);
    });

    it('refuses bad input per field, a duplicate e-mail with 409, and changes nothing', async () => {
      const before = await snapshot(t.dataSource, ['app_user', 'audit_event', 'mail_outbox']);
      const delivered = smtp.received.length;
      const bad = await request(t.http)
        .post('/api/v1/users')
        .set('Authorization', `Bearer ${admin}`)
        .send({ email: 'geen-mail', displayName: 'X', role: 'koning' })
        .expect(422);
      expect(Object.keys(bad.body.errors).sort()).toEqual(['displayName', 'email', 'role']);
      const noLg = await request(t.http)
        .post('/api/v1/users')
        .set('Authorization', `Bearer ${admin}`)
        .send({ email: 'a@b.demo', displayName: 'Zonder Bestuur', role: 'municipal-officer' })
        .expect(422);
      expect(Object.keys(noLg.body.errors)).toEqual(['localGovernmentId']);
      const dup = await request(t.http)
        .post('/api/v1/users')
        .set('Authorization', `Bearer ${admin}`)
        .send({ email: 'MEDEWERKER@gent.demo', displayName: 'Dubbel', role: 'abb-reviewer' })
        .expect(409);
      expect(dup.body.errors).toHaveProperty('email');
      expect(await snapshot(t.dataSource, ['app_user', 'audit_event', 'mail_outbox'])).toEqual(before);
      await t.app.get(NoticeWorker).deliverWaiting();
      expect(smtp.received.length).toBe(delivered);
    });

    it('deactivates with optimistic locking: a stale version gets 409; the user is signed out everywhere', async () => {
      const id = await userId(t.dataSource, 'analist@vvsg.demo');
      const session = await signIn(t, 'analist@vvsg.demo');
      const token = await bearerFor(t, 'analist@vvsg.demo');
      const user = (await request(t.http).get(`/api/v1/users/${id}`).set('Authorization', `Bearer ${admin}`).expect(200)).body;
      const change = { displayName: user.displayName, role: user.role, localGovernmentId: null, active: false, version: user.version };
      await request(t.http).patch(`/api/v1/users/${id}`).set('Authorization', `Bearer ${admin}`).send(change).expect(200);
      const before = await snapshot(t.dataSource, ['app_user', 'audit_event']);
      await request(t.http)
        .patch(`/api/v1/users/${id}`)
        .set('Authorization', `Bearer ${admin}`)
        .send({ ...change, active: true })
        .expect(409);
      expect(await snapshot(t.dataSource, ['app_user', 'audit_event'])).toEqual(before);
      await session.get('/account').expect(303);
      await request(t.http).get('/api/v1/me').set('Authorization', `Bearer ${token}`).expect(401);
      const audit = await auditOf(t.dataSource, 'user', id);
      expect(audit.at(-1)).toMatchObject({ action: 'deactivated', before: { active: true }, after: { active: false } });
    });

    it('lets two administrators race: one wins, the other gets 409', async () => {
      const id = await userId(t.dataSource, 'beoordelaar@abb.demo');
      const other = await bearerFor(t, 'platform@beheer.demo');
      const user = (await request(t.http).get(`/api/v1/users/${id}`).set('Authorization', `Bearer ${admin}`).expect(200)).body;
      const base = { role: user.role, localGovernmentId: null, active: true, version: user.version };
      const results = await Promise.all([
        request(t.http)
          .patch(`/api/v1/users/${id}`)
          .set('Authorization', `Bearer ${admin}`)
          .send({ ...base, displayName: 'Naam A' }),
        request(t.http)
          .patch(`/api/v1/users/${id}`)
          .set('Authorization', `Bearer ${other}`)
          .send({ ...base, displayName: 'Naam B' }),
      ]);
      expect(results.map((r) => r.status).sort()).toEqual([200, 409]);
      const winner = results.find((r) => r.status === 200)!.body.displayName;
      const [row] = await t.dataSource.query(`SELECT display_name, version FROM app_user WHERE id = $1`, [id]);
      expect(row).toEqual({ display_name: winner, version: user.version + 1 });
    });

    it('creates and edits users through the web forms, with errors summarised at the top', async () => {
      const agent = await signIn(t, ADMIN);
      const form = await agent.get('/beheer/gebruikers/nieuw').expect(200);
      const refused = await agent
        .post('/beheer/gebruikers')
        .type('form')
        .send({ _csrf: csrfFrom(form.text), email: 'fout', displayName: 'Web Gebruiker', role: 'abb-reviewer', localGovernmentId: '' })
        .expect(422);
      expect(refused.text).toContain('href="#email"');
      await agent
        .post('/beheer/gebruikers')
        .type('form')
        .send({ _csrf: csrfFrom(form.text), email: 'web@abb.demo', displayName: 'Web Gebruiker', role: 'abb-reviewer', localGovernmentId: '' })
        .expect(303);
      expect((await agent.get('/beheer/gebruikers').expect(200)).text).toContain('web@abb.demo is toegevoegd');
      const id = await userId(t.dataSource, 'web@abb.demo');
      const edit = await agent.get(`/beheer/gebruikers/${id}`).expect(200);
      await agent
        .post(`/beheer/gebruikers/${id}`)
        .type('form')
        .send({ _csrf: csrfFrom(edit.text), displayName: 'Web Gebruiker', role: 'vvsg-analyst', localGovernmentId: '', active: 'true', version: '1' })
        .expect(303);
      const stale = await agent
        .post(`/beheer/gebruikers/${id}`)
        .type('form')
        .send({ _csrf: csrfFrom(edit.text), displayName: 'Oud', role: 'abb-reviewer', localGovernmentId: '', active: 'true', version: '1' })
        .expect(409);
      expect(stale.text).toContain('intussen door iemand anders gewijzigd');
      expect((await auditOf(t.dataSource, 'user', id)).map((a: { action: string }) => a.action)).toEqual(['created', 'updated']);
    });
  });

  describe('audit trail', () => {
    it('cannot be changed or removed by the application, not even by the table owner', async () => {
      const [{ count }] = await t.dataSource.query(`SELECT count(*) AS count FROM audit_event`);
      expect(Number(count)).toBeGreaterThan(0);
      await expect(t.dataSource.query(`UPDATE audit_event SET action = 'vervalst'`)).rejects.toThrow(/append-only/);
      await expect(t.dataSource.query(`DELETE FROM audit_event`)).rejects.toThrow(/append-only/);
      await expect(t.dataSource.query(`TRUNCATE audit_event`)).rejects.toThrow(/append-only/);
      const [{ count: after }] = await t.dataSource.query(`SELECT count(*) AS count FROM audit_event`);
      expect(Number(after)).toBe(Number(count));
    });

    it('shows administrators the history of any user, and officers none (reading a history needs users:manage, as reading the user)', async () => {
      const admin = await bearerFor(t, ADMIN);
      const gent = await bearerFor(t, GENT);
      const lier = await bearerFor(t, LIER);
      const created = await request(t.http)
        .post('/api/v1/users')
        .set('Authorization', `Bearer ${admin}`)
        .send({ email: 'tweede@gent.demo', displayName: 'Tweede Gent', role: 'municipal-officer', localGovernmentId: await localGovernmentId('44021') })
        .expect(201);
      const path = `/api/v1/history/user/${created.body.id}`;
      expect((await request(t.http).get(path).set('Authorization', `Bearer ${admin}`).expect(200)).body).toHaveLength(1);
      expect((await request(t.http).get(path).set('Authorization', `Bearer ${gent}`).expect(403)).body.message).toMatch(/U mag dit record niet lezen/);
      await request(t.http).get(path).set('Authorization', `Bearer ${lier}`).expect(403);
    });
  });

  it('sends security headers with a content security policy on every page', async () => {
    const res = await request(t.http).get('/acties').expect(200);
    expect(res.headers['content-security-policy']).toContain("default-src 'self'");
    expect(res.headers['content-security-policy']).toContain("script-src 'self'");
    expect(res.headers['x-content-type-options']).toBe('nosniff');
    expect(res.headers['set-cookie']).toBeUndefined();
  });

  it('serves stylesheets and scripts without reading or extending the session', async () => {
    const agent = await signIn(t, GENT);
    const [before] = await t.dataSource.query(`SELECT sid, expires_at FROM http_session WHERE user_id = $1 ORDER BY expires_at DESC LIMIT 1`, [
      await userId(t.dataSource, GENT),
    ]);
    for (const path of ['/assets/app.css', '/assets/application-form.js']) {
      const res = await agent.get(path).expect(200);
      expect(res.headers['set-cookie']).toBeUndefined();
    }
    const [after] = await t.dataSource.query(`SELECT expires_at FROM http_session WHERE sid = $1`, [before.sid]);
    expect(after.expires_at).toEqual(before.expires_at);
    // A page still extends it.
    await t.dataSource.query(`UPDATE http_session SET expires_at = expires_at - interval '2 minutes' WHERE sid = $1`, [before.sid]);
    await agent.get('/account').expect(200);
    const [page] = await t.dataSource.query(`SELECT expires_at FROM http_session WHERE sid = $1`, [before.sid]);
    expect(page.expires_at.getTime()).toBeGreaterThan(before.expires_at.getTime());
  });

  it('extends a session in the database at most once a minute, not on every page', async () => {
    const agent = await signIn(t, GENT);
    const sidOf = async () =>
      (
        await t.dataSource.query(`SELECT sid, expires_at FROM http_session WHERE user_id = $1 ORDER BY expires_at DESC LIMIT 1`, [
          await userId(t.dataSource, GENT),
        ])
      )[0];
    const signedIn = await sidOf();
    // Pages right after signing in: the session would move by less than a minute, so its row is left alone.
    for (let i = 0; i < 3; i++) await agent.get('/account').expect(200);
    const [unchanged] = await t.dataSource.query(`SELECT expires_at FROM http_session WHERE sid = $1`, [signedIn.sid]);
    expect(unchanged.expires_at).toEqual(signedIn.expires_at);
    // Stored as it would be after 50 s without a page: still left alone. After 65 s: extended to 8 hours from now.
    await t.dataSource.query(`UPDATE http_session SET expires_at = expires_at - interval '50 seconds' WHERE sid = $1`, [signedIn.sid]);
    const [early] = await t.dataSource.query(`SELECT expires_at FROM http_session WHERE sid = $1`, [signedIn.sid]);
    await agent.get('/account').expect(200);
    expect((await t.dataSource.query(`SELECT expires_at FROM http_session WHERE sid = $1`, [signedIn.sid]))[0].expires_at).toEqual(early.expires_at);
    await t.dataSource.query(`UPDATE http_session SET expires_at = expires_at - interval '15 seconds' WHERE sid = $1`, [signedIn.sid]);
    const requested = Date.now();
    await agent.get('/account').expect(200);
    const [extended] = await t.dataSource.query(`SELECT expires_at FROM http_session WHERE sid = $1`, [signedIn.sid]);
    expect(extended.expires_at.getTime()).toBeGreaterThanOrEqual(requested + 8 * 3_600_000 - 1_000);
    expect(extended.expires_at.getTime()).toBeGreaterThan(signedIn.expires_at.getTime() - 1_000);
  });

  it("reads a session's user with the session, as it is at that request: a new role shows at once, an inactive user is signed out", async () => {
    const agent = await signIn(t, GENT);
    const id = await userId(t.dataSource, GENT);
    const [{ local_government_id: gent }] = await t.dataSource.query(`SELECT local_government_id FROM app_user WHERE id = $1`, [id]);
    expect((await agent.get('/account').expect(200)).text).toContain('Medewerker lokaal bestuur');
    try {
      // Changed behind the platform's back (no sign-out everywhere): only the next request's own read can see it.
      await t.dataSource.query(`UPDATE app_user SET role = 'vvsg-analyst', local_government_id = NULL WHERE id = $1`, [id]);
      const changed = (await agent.get('/account').expect(200)).text;
      expect(changed).toContain('Analist VVSG');
      expect(changed).not.toContain('Medewerker lokaal bestuur');
      await t.dataSource.query(`UPDATE app_user SET active = false WHERE id = $1`, [id]);
      expect(await t.dataSource.query(`SELECT 1 FROM http_session WHERE user_id = $1`, [id])).not.toEqual([]);
      expect((await agent.get('/account').expect(303)).headers.location).toMatch(/^\/aanmelden/);
    } finally {
      await t.dataSource.query(`UPDATE app_user SET role = 'municipal-officer', local_government_id = $2, active = true WHERE id = $1`, [id, gent]);
    }
    // That session stays signed out; active again, the user signs in anew.
    await agent.get('/account').expect(303);
    expect((await (await signIn(t, GENT)).get('/account').expect(200)).text).toContain('Medewerker lokaal bestuur');
  });

  async function localGovernmentId(nisCode: string): Promise<number> {
    const [row] = await t.dataSource.query(`SELECT id FROM local_government WHERE nis_code = $1 ORDER BY valid_from NULLS FIRST`, [nisCode]);
    return row.id;
  }
});
