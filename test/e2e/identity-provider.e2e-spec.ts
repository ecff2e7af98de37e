import request from 'supertest';
import { SecurityLog } from '@ps/audit';
import { DEMO_PASSWORD } from '@ps/setup';
import { GENT_KBO, signInAtProvider, startTestProvider, TestProvider } from '../support/oidc-provider';
import { Agent, csrfFrom, csrfOf } from '../support/sessions';
import { snapshot, startTestApp, TestApp } from '../support/test-app';

/** The supertest app has no port: the provider sends the browser to this base, the test hands the path to the app. */
const REDIRECT_BASE = 'http://127.0.0.1:3999';

describe('sign-in through the identity provider (OpenID Connect, a real provider on 127.0.0.1)', () => {
  let provider: TestProvider;
  let t: TestApp;

  beforeAll(async () => {
    provider = await startTestProvider(REDIRECT_BASE);
    t = await startTestApp({ env: provider.env(REDIRECT_BASE) });
    await t.dataSource.query(`UPDATE local_government SET kbo_number = $1 WHERE nis_code = '44021'`, [GENT_KBO]);
  });
  afterAll(async () => {
    await t.close();
    await provider.close();
  });

  /** Starts at the platform, signs in at the provider as `login`, and returns the way back (not yet followed). */
  async function toProviderAndBack(login: string, returnTo = '/account'): Promise<{ app: Agent; callback: string }> {
    const app = request.agent(t.http);
    const start = await app.get(`/aanmelden/acm-idm?terug=${encodeURIComponent(returnTo)}`).expect(303);
    expect(start.headers.location.startsWith(`${provider.issuer}/auth?`)).toBe(true);
    const back = await signInAtProvider(request.agent(provider.issuer), start.headers.location, login);
    expect(back.origin + back.pathname).toBe(`${REDIRECT_BASE}/aanmelden/acm-idm/terug`);
    return { app, callback: back.pathname + back.search };
  }

  async function signInAs(login: string): Promise<Agent> {
    const { app, callback } = await toProviderAndBack(login);
    const res = await app.get(callback);
    expect([res.status, res.headers.location]).toEqual([303, '/account']);
    return app;
  }

  const userRow = async (email: string) =>
    (
      await t.dataSource.query(
        `SELECT id, display_name, role, local_government_id, provider_issuer, provider_subject, password_hash IS NULL AS no_password FROM app_user WHERE email = $1`,
        [email],
      )
    )[0];
  /** The security log is written once the response is sent: wait for the writes under way. */
  async function securityEvents(reason: string): Promise<{ status: number; detail: string }[]> {
    await t.app.get(SecurityLog).beforeApplicationShutdown();
    return t.dataSource.query(`SELECT status, detail FROM security_event WHERE reason = $1 ORDER BY id`, [reason]);
  }
  const everything = () => snapshot(t.dataSource, ['app_user', 'audit_event', 'http_session']);

  it('offers the way through ACM/IDM on the sign-in page, with PKCE, state and nonce', async () => {
    const page = await request(t.http).get('/aanmelden?terug=/aanvragen').expect(200);
    expect(page.text).toContain('href="/aanmelden/acm-idm?terug&#x3D;%2Faanvragen"');
    const start = await request(t.http).get('/aanmelden/acm-idm').expect(303);
    const url = new URL(start.headers.location);
    expect(
      Object.fromEntries(['client_id', 'response_type', 'scope', 'code_challenge_method', 'redirect_uri'].map((key) => [key, url.searchParams.get(key)])),
    ).toEqual({
      client_id: 'plan-samenleven',
      response_type: 'code',
      scope: 'openid profile email',
      code_challenge_method: 'S256',
      redirect_uri: `${REDIRECT_BASE}/aanmelden/acm-idm/terug`,
    });
    for (const key of ['state', 'nonce', 'code_challenge']) expect(url.searchParams.get(key)).toMatch(/^[\w-]{32,}$/);
  });

  it('creates the account of an officer of a known local government at first sign-in, audited, and signs them in', async () => {
    const app = await signInAs('officer');
    const [gent] = await t.dataSource.query(`SELECT id FROM local_government WHERE nis_code = '44021'`);
    const user = await userRow('an.peeters@gent.example');
    expect(user).toEqual({
      id: expect.any(Number),
      display_name: 'An Peeters',
      role: 'municipal-officer',
      local_government_id: gent.id,
      provider_issuer: provider.issuer,
      provider_subject: 'officer',
      no_password: true,
    });
    const account = await app.get('/account').expect(200);
    expect(account.text).toContain('An Peeters');
    const audit = await t.dataSource.query(`SELECT action, actor_user_id, actor_label FROM audit_event WHERE entity_type = 'user' AND entity_id = $1`, [
      String(user.id),
    ]);
    expect(audit).toEqual([
      { action: 'created-by-identity-provider', actor_user_id: user.id, actor_label: 'An Peeters <an.peeters@gent.example> via ACM/IDM' },
    ]);

    // The second sign-in finds the same account: nothing new is written.
    const before = await snapshot(t.dataSource, ['app_user', 'audit_event']);
    await signInAs('officer');
    expect(await snapshot(t.dataSource, ['app_user', 'audit_event'])).toEqual(before);
  });

  it('signs in an ABB reviewer and an ABB administrator with their roles', async () => {
    const reviewer = await signInAs('reviewer');
    expect(await userRow('lies.maes@abb.example')).toMatchObject({ role: 'abb-reviewer', local_government_id: null });
    await reviewer.get('/beheer/gebruikers').expect(403);
    const administrator = await signInAs('administrator');
    expect(await userRow('karel.wouters@abb.example')).toMatchObject({ role: 'abb-administrator', local_government_id: null });
    await administrator.get('/beheer/gebruikers').expect(200);
  });

  it('creates one account when the same person’s first two sign-ins arrive at once (a VVSG analyst)', async () => {
    const flows = [await toProviderAndBack('analyst'), await toProviderAndBack('analyst')];
    const answers = await Promise.all(flows.map(({ app, callback }) => app.get(callback)));
    expect(answers.map((res) => [res.status, res.headers.location])).toEqual([
      [303, '/account'],
      [303, '/account'],
    ]);
    const users = await t.dataSource.query(`SELECT role, provider_subject FROM app_user WHERE email = 'els.janssens@vvsg.example'`);
    expect(users).toEqual([{ role: 'vvsg-analyst', provider_subject: 'analyst' }]);
    const created = await t.dataSource.query(
      `SELECT count(*)::int AS n FROM audit_event WHERE action = 'created-by-identity-provider' AND after->>'email' = $1`,
      ['els.janssens@vvsg.example'],
    );
    expect(created).toEqual([{ n: 1 }]);
  });

  it('links an existing local account on a verified address of the same organisation, audited', async () => {
    const before = await userRow('medewerker@gent.demo');
    expect(before.provider_subject).toBeNull();
    await signInAs('gentDemo');
    expect(await userRow('medewerker@gent.demo')).toMatchObject({
      id: before.id,
      provider_subject: 'gentDemo',
      role: 'municipal-officer',
      local_government_id: before.local_government_id,
      display_name: 'Greet Medewerker',
    });
    const [entry] = await t.dataSource.query(
      `SELECT action, before, after FROM audit_event WHERE entity_type = 'user' AND entity_id = $1 ORDER BY id DESC LIMIT 1`,
      [String(before.id)],
    );
    expect(entry).toMatchObject({
      action: 'linked-to-identity-provider',
      before: { displayName: 'Griet Medewerker (Gent)' },
      after: { displayName: 'Greet Medewerker' },
    });
  });

  it('never links the account of another organisation with the same address: a Dutch page, the security log, nothing changed', async () => {
    const { app, callback } = await toProviderAndBack('impostor');
    const before = await everything();
    const res = await app.get(callback).expect(403);
    expect(res.text).toContain('Dit e-mailadres hoort bij een ander account');
    expect(await snapshot(t.dataSource, ['app_user', 'audit_event'])).toEqual({ app_user: before.app_user, audit_event: before.audit_event });
    await app.get('/account').expect(303);
    expect(await securityEvents('provider-refused')).toContainEqual({ status: 403, detail: `email-other-organisation ${GENT_KBO} beoordelaar@abb.demo` });
  });

  it('refuses a person of an unknown organisation, saying whom to ask, and creates nothing', async () => {
    const { app, callback } = await toProviderAndBack('stranger');
    const before = await snapshot(t.dataSource, ['app_user', 'audit_event']);
    const res = await app.get(callback).expect(403);
    expect(res.text).toContain('Uw organisatie is niet gekend in Plan Samenleven');
    expect(res.text).toContain('KBO-nummer 0999999999');
    expect(res.text).toContain('Vraag het Agentschap Binnenlands Bestuur (ABB)');
    expect(await snapshot(t.dataSource, ['app_user', 'audit_event'])).toEqual(before);
    expect(await securityEvents('provider-refused')).toContainEqual({ status: 403, detail: 'organisation-unknown 0999999999 jan@elders.example' });
  });

  it('refuses a person without a role for the platform, saying whom to ask, and creates nothing', async () => {
    const { app, callback } = await toProviderAndBack('roleless');
    const before = await snapshot(t.dataSource, ['app_user', 'audit_event']);
    const res = await app.get(callback).expect(403);
    expect(res.text).toContain('U hebt geen rol voor Plan Samenleven');
    expect(res.text).toContain('lokale beheerder van gebruikersbeheer (ACM/IDM)');
    expect(await snapshot(t.dataSource, ['app_user', 'audit_event'])).toEqual(before);
    expect(await securityEvents('provider-refused')).toContainEqual({ status: 403, detail: `role-missing ${GENT_KBO} mia@gent.example` });
  });

  it('refuses a tampered state: 400, not signed in, logged', async () => {
    const { app, callback } = await toProviderAndBack('officer');
    const tampered = callback.replace(/state=[^&]+/, 'state=tampered-state-value');
    const before = await snapshot(t.dataSource, ['app_user', 'audit_event']);
    const res = await app.get(tampered).expect(400);
    expect(res.text).toContain('De aanmelding is verlopen of ongeldig');
    await app.get('/account').expect(303);
    expect(await snapshot(t.dataSource, ['app_user', 'audit_event'])).toEqual(before);
    // The state is used once: the real way back, after the tampered one, is refused too.
    await app.get(callback).expect(400);
    expect((await securityEvents('provider-callback-invalid')).length).toBeGreaterThanOrEqual(2);
  });

  it('refuses an ID token with another nonce than the session expects', async () => {
    const app = request.agent(t.http);
    const first = new URL((await app.get('/aanmelden/acm-idm').expect(303)).headers.location);
    const second = new URL((await app.get('/aanmelden/acm-idm').expect(303)).headers.location);
    // The first request's nonce, with the state and PKCE challenge the session now holds: only the nonce differs.
    for (const key of ['state', 'code_challenge']) first.searchParams.set(key, second.searchParams.get(key)!);
    expect(first.searchParams.get('nonce')).not.toBe(second.searchParams.get('nonce'));
    const back = await signInAtProvider(request.agent(provider.issuer), first.href, 'officer');
    const res = await app.get(back.pathname + back.search).expect(400);
    expect(res.text).toContain('De aanmelding is verlopen of ongeldig');
    await app.get('/account').expect(303);
    expect(await securityEvents('provider-callback-invalid')).toContainEqual({ status: 400, detail: expect.stringMatching(/nonce|CLAIM/i) });
  });

  it('refuses an expired code', async () => {
    provider.codeTtlSeconds = 1;
    try {
      const { app, callback } = await toProviderAndBack('officer');
      await new Promise((resolve) => setTimeout(resolve, 2500));
      const res = await app.get(callback).expect(400);
      expect(res.text).toContain('De aanmelding is verlopen of ongeldig');
      await app.get('/account').expect(303);
      expect(await securityEvents('provider-callback-invalid')).toContainEqual({ status: 400, detail: 'invalid_grant' });
    } finally {
      provider.codeTtlSeconds = 60;
    }
  });

  it('signs out of the platform and on to the provider’s sign-out (RP-initiated logout)', async () => {
    const app = await signInAs('reviewer');
    const res = await app
      .post('/afmelden')
      .type('form')
      .send({ _csrf: await csrfOf(app) })
      .expect(303);
    const url = new URL(res.headers.location);
    expect(url.origin + url.pathname).toBe(`${provider.issuer}/session/end`);
    expect(url.searchParams.get('post_logout_redirect_uri')).toBe(`${REDIRECT_BASE}/aanmelden?afgemeld=1`);
    expect(url.searchParams.get('id_token_hint')).toMatch(/^ey/);
    await app.get('/account').expect(303);
  });

  it('signs a local account out as before, without the provider', async () => {
    const app = request.agent(t.http);
    const form = await app.get('/aanmelden').expect(200);
    await app
      .post('/aanmelden')
      .type('form')
      .send({ _csrf: csrfFrom(form.text), email: 'platform@beheer.demo', password: DEMO_PASSWORD })
      .expect(303);
    const res = await app
      .post('/afmelden')
      .type('form')
      .send({ _csrf: await csrfOf(app) })
      .expect(303);
    expect(res.headers.location).toBe('/aanmelden?afgemeld=1');
  });
});

describe('password sign-in turned off for everyone but the platform administrator', () => {
  let provider: TestProvider;
  let t: TestApp;

  beforeAll(async () => {
    provider = await startTestProvider(REDIRECT_BASE);
    t = await startTestApp({ env: { ...provider.env(REDIRECT_BASE), PASSWORD_SIGN_IN: 'platform-administrators' } });
  });
  afterAll(async () => {
    await t.close();
    await provider.close();
  });

  async function tryPassword(email: string) {
    const app = request.agent(t.http);
    const form = await app.get('/aanmelden').expect(200);
    return {
      app,
      res: await app
        .post('/aanmelden')
        .type('form')
        .send({ _csrf: csrfFrom(form.text), email, password: DEMO_PASSWORD }),
    };
  }

  it('refuses an officer’s right password with a pointer to ACM/IDM, logged, and lets the platform administrator in', async () => {
    const { app, res } = await tryPassword('medewerker@gent.demo');
    expect(res.status).toBe(401);
    expect(res.text).toContain('Aanmelden met een wachtwoord kan op dit platform enkel voor de platformbeheerder');
    await app.get('/account').expect(303);
    await t.app.get(SecurityLog).beforeApplicationShutdown();
    const [event] = await t.dataSource.query(`SELECT status, detail FROM security_event WHERE reason = 'sign-in-password-off'`);
    expect(event).toEqual({ status: 401, detail: 'medewerker@gent.demo' });
    const admin = await tryPassword('platform@beheer.demo');
    expect(admin.res.status).toBe(303);
    await admin.app.get('/account').expect(200);
  });
});
