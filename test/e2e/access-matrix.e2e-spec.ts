import request from 'supertest';
import { Role, ROLES } from '@ps/identity';
import { listRoutes } from '../support/routes';
import { bearerFor, userId } from '../support/sessions';
import { snapshot, startTestApp, TestApp } from '../support/test-app';

/**
 * Who may call each route. Every route of the running application must be listed here: a new
 * route without a rule fails this test. "tenant" routes concern one applicant: an officer of a
 * local government outside it gets 404, exactly as for a record that does not exist.
 */
type Rule = { public: true } | { roles: readonly Role[]; tenant?: true };
const PUBLIC: Rule = { public: true };
const EVERYONE: Rule = { roles: ROLES };
const ADMINS: Rule = { roles: ['abb-administrator', 'platform-administrator'] };
const READERS: Rule = { roles: ROLES };

const MATRIX: Record<string, Rule> = {
  'GET /': PUBLIC,
  'GET /acties': PUBLIC,
  'GET /lokale-besturen': PUBLIC,
  'GET /health': PUBLIC,
  'GET /assets/app.css': PUBLIC,
  'GET /api/docs': PUBLIC,
  'GET /api/docs/': PUBLIC,
  'GET /api/docs-json': PUBLIC,
  'GET /api/docs-yaml': PUBLIC,
  'GET /api/docs/LICENSE': PUBLIC,
  'GET /api/docs/index.html': PUBLIC,
  'GET /api/docs/swagger-ui-init.js': PUBLIC,
  'GET /api/docs/docs/swagger-ui-init.js': PUBLIC,
  'GET /api/v1/calls': PUBLIC,
  'GET /api/v1/calls/:year': PUBLIC,
  'GET /api/v1/calls/:year/menu': PUBLIC,
  'GET /api/v1/local-governments': PUBLIC,
  'GET /api/v1/local-governments/:nisCode': PUBLIC,
  'GET /aanmelden': PUBLIC,
  'POST /aanmelden': PUBLIC,
  'GET /wachtwoord-vergeten': PUBLIC,
  'POST /wachtwoord-vergeten': PUBLIC,
  'GET /wachtwoord-herstellen': PUBLIC,
  'POST /wachtwoord-herstellen': PUBLIC,
  'POST /afmelden': EVERYONE,
  'GET /account': EVERYONE,
  'POST /account/tokens': EVERYONE,
  'POST /account/tokens/:id/intrekken': EVERYONE,
  'GET /api/v1/me': EVERYONE,
  'GET /api/v1/tokens': EVERYONE,
  'DELETE /api/v1/tokens/:id': EVERYONE,
  'GET /api/v1/users': ADMINS,
  'POST /api/v1/users': ADMINS,
  'GET /api/v1/users/:id': ADMINS,
  'PATCH /api/v1/users/:id': ADMINS,
  'GET /api/v1/outbox': ADMINS,
  'GET /beheer/gebruikers': ADMINS,
  'GET /beheer/gebruikers/nieuw': ADMINS,
  'POST /beheer/gebruikers': ADMINS,
  'GET /beheer/gebruikers/:id': ADMINS,
  'POST /beheer/gebruikers/:id': ADMINS,
  'GET /beheer/uitgaande-mail': ADMINS,
  'GET /api/v1/history/:entityType/:entityId': READERS,
  'GET /geschiedenis/:entityType/:entityId': READERS,
  'GET /api/v1/applicants': READERS,
  'GET /aanvragers': READERS,
  'GET /api/v1/applicants/:id': { roles: ROLES, tenant: true },
  'GET /aanvragers/:id': { roles: ROLES, tenant: true },
};

/** One demo account per role; the officer of Gent belongs to the applicant "Stad Gent", the officer of Lier does not. */
const CALLERS: Record<Role | 'other-officer', string> = {
  'municipal-officer': 'medewerker@gent.demo',
  'other-officer': 'medewerker@lier.demo',
  'abb-reviewer': 'beoordelaar@abb.demo',
  'abb-administrator': 'beheerder@abb.demo',
  'vvsg-analyst': 'analist@vvsg.demo',
  'platform-administrator': 'platform@beheer.demo',
};
type Caller = keyof typeof CALLERS | 'anonymous';

describe('access matrix: every route, every role, and an officer of another local government', () => {
  let t: TestApp;
  const tokens: Partial<Record<Caller, string>> = {};
  let params: Record<string, string>;

  beforeAll(async () => {
    t = await startTestApp();
    for (const [caller, email] of Object.entries(CALLERS)) tokens[caller as Caller] = await bearerFor(t, email);
    const [gentApplicant] = await t.dataSource.query(`SELECT id FROM applicant WHERE name_nl = 'Stad Gent'`);
    const gentOfficer = String(await userId(t.dataSource, CALLERS['municipal-officer']));
    params = { year: '1', nisCode: '44021', entityType: 'user', entityId: gentOfficer, id: gentOfficer };
    params.applicantId = String(gentApplicant.id);
  });
  afterAll(() => t.close());

  it('has a rule for every route of the running application, and no rule for a route that is gone', () => {
    expect(listRoutes(t)).toEqual(Object.keys(MATRIX).sort());
  });

  function pathFor(route: string): string {
    const path = route.split(' ')[1];
    if (path.includes('applicants/:id') || path.includes('aanvragers/:id')) return path.replace(':id', params.applicantId);
    if (path.includes('tokens/:id')) return path.replace(':id', '999999');
    return path.replace(/:(\w+)/g, (_, name: string) => params[name]);
  }

  /** Past the guard: whatever the handler answers (a 422 for the empty body, a 404 for an unknown token), never a 5xx. */
  function allowed(rule: Rule, status: number): boolean {
    if ('tenant' in rule && rule.tenant) return status === 200;
    return ![401, 403].includes(status) && status < 500;
  }

  function expected(route: string, rule: Rule, caller: Caller): 'allowed' | number {
    // A form posted without the session's CSRF token is refused before anything else.
    if ('public' in rule) return caller === 'anonymous' && !route.startsWith('GET ') ? 403 : 'allowed';
    if (caller === 'anonymous') return route.startsWith('GET /') && !route.includes('/api/') ? 303 : 401;
    const role: Role = caller === 'other-officer' ? 'municipal-officer' : caller;
    if (!rule.roles.includes(role)) return 403;
    return rule.tenant && caller === 'other-officer' ? 404 : 'allowed';
  }

  /** What a request might change; api_token without last_used_at, which every bearer call may touch. */
  async function state() {
    const tables = await snapshot(t.dataSource, ['app_user', 'audit_event', 'mail_outbox', 'password_reset']);
    const tokenRows = await t.dataSource.query(`SELECT id, user_id, name, expires_at, revoked_at FROM api_token ORDER BY id`);
    return { ...tables, tokenRows };
  }

  const callers: Caller[] = ['anonymous', ...(Object.keys(CALLERS) as Caller[])];
  it.each(Object.keys(MATRIX))('%s answers each caller as the matrix says, and a refusal changes nothing', async (route) => {
    const [method] = route.split(' ');
    const path = pathFor(route);
    const before = await state();
    const outcomes: string[] = [];
    for (const caller of callers) {
      let call = request(t.http)[method.toLowerCase() as 'get' | 'post' | 'patch' | 'delete'](path);
      if (caller !== 'anonymous') call = call.set('Authorization', `Bearer ${tokens[caller]}`);
      if (method !== 'GET') call = call.send({});
      const res = await call;
      const want = expected(route, MATRIX[route], caller);
      const ok = want === 'allowed' ? allowed(MATRIX[route], res.status) : res.status === want;
      if (!ok) outcomes.push(`${caller}: expected ${want}, got ${res.status}`);
    }
    expect(outcomes).toEqual([]);
    expect(await state()).toEqual(before);
  });

  it('lets the officers of an applicant\'s local governments see it, and nobody else of their role', async () => {
    const path = `/api/v1/applicants/${params.applicantId}`;
    expect((await request(t.http).get(path).set('Authorization', `Bearer ${tokens['municipal-officer']}`).expect(200)).body.nameNl).toBe('Stad Gent');
    await request(t.http).get(path).set('Authorization', `Bearer ${tokens['other-officer']}`).expect(404);
    await request(t.http).get('/api/v1/applicants/999999').set('Authorization', `Bearer ${tokens['abb-reviewer']}`).expect(404);
    const own = (await request(t.http).get('/api/v1/applicants').set('Authorization', `Bearer ${tokens['other-officer']}`).expect(200)).body;
    expect(own.map((a: { nameNl: string }) => a.nameNl)).toEqual(['Samenwerkingsverband Lier-Duffel-Berlaar']);
    const all = (await request(t.http).get('/api/v1/applicants').set('Authorization', `Bearer ${tokens['vvsg-analyst']}`).expect(200)).body;
    expect(all).toHaveLength(5);
  });
});
