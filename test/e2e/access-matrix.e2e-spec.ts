import request from 'supertest';
import { DocumentsService } from '@ps/applicants';
import { actorFor, Role, ROLES } from '@ps/identity';
import { listRoutes } from '../support/routes';
import { bearerFor, userId } from '../support/sessions';
import { snapshot, startTestApp, TestApp } from '../support/test-app';
import { ONE_PAGE_PDF } from '../support/pdf';

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
const REGISTRARS: Rule = { roles: ['municipal-officer', 'abb-reviewer', 'abb-administrator'] };
const EDITORS: Rule = { roles: ['municipal-officer', 'abb-reviewer', 'abb-administrator'], tenant: true };
const ELIGIBILITY: Rule = { roles: ['abb-reviewer', 'abb-administrator', 'vvsg-analyst', 'platform-administrator'] };
const PARTNER_MANAGERS: Rule = { roles: ['abb-administrator'] };
const APPLICATION_READERS: Rule = { roles: ['municipal-officer', 'abb-reviewer', 'abb-administrator', 'vvsg-analyst'] };
const APPLICATION_TENANT_READERS: Rule = { ...APPLICATION_READERS, tenant: true };
const APPLICATION_EDITORS: Rule = { roles: ['municipal-officer'], tenant: true };
const REVIEWERS: Rule = { roles: ['abb-reviewer'] };
/** Who may answer an invitation: the handler lets only the invited local government's officers (or ABB) through. */
const INVITEES: Rule = { roles: ['municipal-officer', 'abb-reviewer', 'abb-administrator'] };
const EXCEPTIONS: Rule = { roles: ['abb-administrator'] };
const SECURITY_LOG_READERS: Rule = { roles: ['abb-administrator'] };
const ALLOCATION_READERS: Rule = { roles: ['abb-reviewer', 'abb-administrator', 'vvsg-analyst'] };
/** The matrix asks for a user's history: it needs users:manage, the permission to read users (libs/identity/src/record-access.ts). */
const USER_HISTORY_READERS: Rule = ADMINS;
/** Documents with personal data (the signed bank letter) need audit:read-personal. */
const PERSONAL_DOCUMENT_READERS: Rule = { roles: ['municipal-officer', 'abb-reviewer', 'abb-administrator', 'platform-administrator'], tenant: true };
const REPORT_QUEUE: Rule = { roles: ['abb-reviewer', 'abb-administrator'] };
const PAYMENT_READERS: Rule = { roles: ['abb-reviewer', 'abb-administrator'] };
/** Four eyes on money: who may approve or withdraw a proposal (libs/identity/src/four-eyes.ts; never the proposer, which the handler checks). */
const APPROVERS: Rule = { roles: ['abb-reviewer', 'abb-administrator'] };
const OVERVIEW_READERS: Rule = { roles: ['abb-reviewer', 'abb-administrator', 'vvsg-analyst'] };

const MATRIX: Record<string, Rule> = {
  'GET /': PUBLIC,
  'GET /acties': PUBLIC,
  'GET /lokale-besturen': PUBLIC,
  'GET /cijfers': PUBLIC,
  'GET /overzichten': OVERVIEW_READERS,
  'GET /overzichten/acties.csv': OVERVIEW_READERS,
  'GET /overzichten/acties.xlsx': OVERVIEW_READERS,
  'GET /api/v1/overviews/actions': OVERVIEW_READERS,
  'GET /api/v1/overviews/actions.csv': OVERVIEW_READERS,
  'GET /api/v1/overviews/actions.xlsx': OVERVIEW_READERS,
  'GET /api/v1/overviews/kpi-lines': OVERVIEW_READERS,
  'GET /api/v1/overviews/kpi-lines.csv': OVERVIEW_READERS,
  'GET /api/v1/overviews/kpi-lines.xlsx': OVERVIEW_READERS,
  'GET /overzichten/kpi-lijnen.csv': OVERVIEW_READERS,
  'GET /overzichten/kpi-lijnen.xlsx': OVERVIEW_READERS,
  'GET /overzichten/lokale-besturen': OVERVIEW_READERS,
  'GET /overzichten/lokale-besturen.csv': OVERVIEW_READERS,
  'GET /overzichten/lokale-besturen.xlsx': OVERVIEW_READERS,
  'GET /api/v1/overviews/local-governments': OVERVIEW_READERS,
  'GET /api/v1/overviews/local-governments.csv': OVERVIEW_READERS,
  'GET /api/v1/overviews/local-governments.xlsx': OVERVIEW_READERS,
  'GET /health': PUBLIC,
  'GET /ready': PUBLIC,
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
  'GET /taken': EVERYONE,
  'POST /aanmelden': PUBLIC,
  'GET /aanmelden/acm-idm': PUBLIC,
  'GET /aanmelden/acm-idm/terug': PUBLIC,
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
  // Berichten: each user's own messages (the handler reads and marks only the caller's: personal-data and messages e2e).
  'GET /berichten': EVERYONE,
  'POST /berichten/:id/gelezen': EVERYONE,
  'GET /api/v1/messages': EVERYONE,
  'POST /api/v1/messages/:id/read': EVERYONE,
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
  'GET /api/v1/security-events': SECURITY_LOG_READERS,
  'GET /beheer/beveiligingslog': SECURITY_LOG_READERS,
  // Every other kind of record and role: test/e2e/personal-data.e2e-spec.ts.
  'GET /api/v1/history/:entityType/:entityId': USER_HISTORY_READERS,
  'GET /geschiedenis/:entityType/:entityId': USER_HISTORY_READERS,
  'GET /api/v1/applicants': READERS,
  'GET /aanvragers': READERS,
  'GET /api/v1/applicants/:id': { roles: ROLES, tenant: true },
  'GET /aanvragers/:id': { roles: ROLES, tenant: true },
  'GET /api/v1/applicants/:id/iban-letter': PERSONAL_DOCUMENT_READERS,
  'GET /aanvragers/:id/brief': PERSONAL_DOCUMENT_READERS,
  'GET /api/v1/applicants/:id/partners': { roles: ROLES, tenant: true },
  'POST /api/v1/applicants': REGISTRARS,
  'GET /aanvragers/nieuw': REGISTRARS,
  'POST /aanvragers': REGISTRARS,
  'POST /api/v1/applicants/:id/members': EDITORS,
  'DELETE /api/v1/applicants/:id/members/:localGovernmentId': EDITORS,
  'PUT /api/v1/applicants/:id/contact': EDITORS,
  'POST /api/v1/applicants/:id/iban-letter': EDITORS,
  'POST /api/v1/applicants/:id/partners': EDITORS,
  'POST /api/v1/applicants/:id/partner-links': EDITORS,
  'DELETE /api/v1/applicants/:id/partner-links/:partnerId/:actionNumber': EDITORS,
  'POST /aanvragers/:id/leden': EDITORS,
  'POST /aanvragers/:id/leden/:localGovernmentId/verwijderen': EDITORS,
  'POST /aanvragers/:id/contact': EDITORS,
  'POST /aanvragers/:id/brief': EDITORS,
  'POST /aanvragers/:id/partners': EDITORS,
  'POST /aanvragers/:id/partnerkoppelingen': EDITORS,
  'POST /aanvragers/:id/partnerkoppelingen/verwijderen': EDITORS,
  'GET /api/v1/invitations': READERS,
  'GET /uitnodigingen': READERS,
  'POST /api/v1/applicants/:id/invitations/:localGovernmentId/accept': INVITEES,
  'POST /api/v1/applicants/:id/invitations/:localGovernmentId/decline': INVITEES,
  'POST /uitnodigingen/:id/:localGovernmentId/aanvaarden': INVITEES,
  'POST /uitnodigingen/:id/:localGovernmentId/weigeren': INVITEES,
  'POST /api/v1/applicants/:id/payout-account/confirm': REVIEWERS,
  'POST /aanvragen/:id/rekening-bevestigen': REVIEWERS,
  'GET /api/v1/partners': READERS,
  'GET /beheer/partners': READERS,
  'POST /api/v1/partners': PARTNER_MANAGERS,
  'POST /beheer/partners': PARTNER_MANAGERS,
  'GET /api/v1/eligibility': ELIGIBILITY,
  'GET /beheer/subsidiabiliteit': ELIGIBILITY,
  'GET /assets/application-form.js': PUBLIC,
  'PATCH /api/v1/calls/:year': EXCEPTIONS,
  'PUT /api/v1/calls/:year/kpi-lines/:kpiLineId': EXCEPTIONS,
  'GET /beheer/oproepen': EXCEPTIONS,
  'GET /beheer/oproepen/:year': EXCEPTIONS,
  'POST /beheer/oproepen/:year': EXCEPTIONS,
  'POST /beheer/oproepen/:year/kpi/:kpiLineId': EXCEPTIONS,
  'POST /api/v1/calls': EXCEPTIONS,
  'POST /api/v1/calls/:year/publish': EXCEPTIONS,
  'POST /api/v1/calls/:year/close': EXCEPTIONS,
  'POST /api/v1/calls/:year/objectives': EXCEPTIONS,
  'POST /api/v1/calls/:year/actions': EXCEPTIONS,
  'PATCH /api/v1/calls/:year/actions/:actionNumber': EXCEPTIONS,
  'POST /api/v1/calls/:year/actions/:actionNumber/retire': EXCEPTIONS,
  'POST /api/v1/calls/:year/kpi-lines': EXCEPTIONS,
  'POST /api/v1/calls/:year/kpi-lines/:kpiLineId/retire': EXCEPTIONS,
  'GET /beheer/oproepen/nieuw': EXCEPTIONS,
  'GET /beheer/fusies': EXCEPTIONS,
  'POST /beheer/fusies': EXCEPTIONS,
  'POST /beheer/oproepen/nieuw': EXCEPTIONS,
  'POST /beheer/oproepen/:year/publiceren': EXCEPTIONS,
  'POST /beheer/oproepen/:year/afsluiten': EXCEPTIONS,
  'POST /beheer/oproepen/:year/doelstellingen': EXCEPTIONS,
  'POST /beheer/oproepen/:year/acties': EXCEPTIONS,
  'POST /beheer/oproepen/:year/acties/:actionNumber': EXCEPTIONS,
  'POST /beheer/oproepen/:year/acties/:actionNumber/schrappen': EXCEPTIONS,
  'POST /beheer/oproepen/:year/kpi': EXCEPTIONS,
  'POST /beheer/oproepen/:year/kpi/:kpiLineId/schrappen': EXCEPTIONS,
  'GET /api/v1/applications': APPLICATION_READERS,
  'GET /aanvragen': APPLICATION_READERS,
  'GET /api/v1/applications/:id': APPLICATION_TENANT_READERS,
  'GET /aanvragen/:id': APPLICATION_TENANT_READERS,
  'GET /api/v1/applications/:id/decision-letter': APPLICATION_TENANT_READERS,
  'GET /aanvragen/:id/beslissingsbrief': APPLICATION_TENANT_READERS,
  'GET /api/v1/applications/:id/decision-letter.pdf': APPLICATION_TENANT_READERS,
  'GET /aanvragen/:id/beslissingsbrief.pdf': APPLICATION_TENANT_READERS,
  'POST /api/v1/applicants/:id/application': { roles: ['municipal-officer'], tenant: true },
  'POST /aanvragers/:id/aanvraag': { roles: ['municipal-officer'], tenant: true },
  'PUT /api/v1/applications/:id': APPLICATION_EDITORS,
  'POST /aanvragen/:id': APPLICATION_EDITORS,
  'POST /api/v1/applications/:id/submit': APPLICATION_EDITORS,
  'POST /aanvragen/:id/indienen': APPLICATION_EDITORS,
  'POST /api/v1/applications/:id/start-review': REVIEWERS,
  'POST /api/v1/applications/:id/approve': REVIEWERS,
  'POST /api/v1/applications/:id/reject': REVIEWERS,
  'POST /api/v1/applications/:id/return': REVIEWERS,
  'PUT /api/v1/applications/:id/lines/:kpiLineId/evaluation': REVIEWERS,
  'POST /aanvragen/:id/behandelen': REVIEWERS,
  'POST /aanvragen/:id/goedkeuren': REVIEWERS,
  'POST /aanvragen/:id/afwijzen': REVIEWERS,
  'POST /aanvragen/:id/terugsturen': REVIEWERS,
  'POST /api/v1/applications/:id/reopen': EXCEPTIONS,
  'POST /api/v1/applications/:id/extend-deadline': EXCEPTIONS,
  'POST /aanvragen/:id/heropenen': EXCEPTIONS,
  'POST /aanvragen/:id/termijn-verlengen': EXCEPTIONS,
  'GET /api/v1/calls/:year/allocation-runs': ALLOCATION_READERS,
  'POST /api/v1/calls/:year/allocation-runs': REVIEWERS,
  'GET /api/v1/allocation-runs/:id': ALLOCATION_READERS,
  'POST /api/v1/allocation-runs/:id/publish': REVIEWERS,
  'GET /api/v1/allocation-runs/:id/payments': PAYMENT_READERS,
  'GET /api/v1/allocation-runs/:id/payments.csv': PAYMENT_READERS,
  'GET /api/v1/allocation-runs/:id/payment-files': PAYMENT_READERS,
  'GET /api/v1/allocation-runs/:id/payment-files/:number/sepa.xml': PAYMENT_READERS,
  'POST /api/v1/allocation-runs/:id/payments/release': REVIEWERS,
  'GET /api/v1/proposals': APPROVERS,
  'GET /api/v1/proposals/:id': APPROVERS,
  'POST /api/v1/proposals/:id/approve': APPROVERS,
  'POST /api/v1/proposals/:id/withdraw': APPROVERS,
  'GET /voorstellen': APPROVERS,
  'GET /voorstellen/:id': APPROVERS,
  'POST /voorstellen/:id/goedkeuren': APPROVERS,
  'POST /voorstellen/:id/intrekken': APPROVERS,
  'GET /api/v1/applications/:id/allocation': APPLICATION_TENANT_READERS,
  'GET /verdeling': ALLOCATION_READERS,
  'GET /verdeling/:year': ALLOCATION_READERS,
  'POST /verdeling/:year': REVIEWERS,
  'GET /verdelingen/:id': ALLOCATION_READERS,
  'POST /verdelingen/:id/publiceren': REVIEWERS,
  'GET /verdelingen/:id/betaallijst': PAYMENT_READERS,
  'GET /verdelingen/:id/betalingen': PAYMENT_READERS,
  'GET /verdelingen/:id/betaalbestanden': PAYMENT_READERS,
  'GET /verdelingen/:id/betaalbestanden/:number': PAYMENT_READERS,
  'POST /verdelingen/:id/vrijgeven': REVIEWERS,
  'GET /aanvragen/:id/verdeling': APPLICATION_TENANT_READERS,
  'GET /api/v1/applications/:id/settlement': APPLICATION_TENANT_READERS,
  'PUT /api/v1/applications/:id/settlement/lines/:kpiLineId': REVIEWERS,
  'POST /api/v1/applications/:id/settlement/close': REVIEWERS,
  'GET /aanvragen/:id/afrekening': APPLICATION_TENANT_READERS,
  'POST /aanvragen/:id/afrekening/lijnen/:kpiLineId': REVIEWERS,
  'POST /aanvragen/:id/afrekening/afsluiten': REVIEWERS,
  'GET /api/v1/reports': REPORT_QUEUE,
  'GET /api/v1/applications/:id/reports/:kind': APPLICATION_TENANT_READERS,
  'PUT /api/v1/applications/:id/reports/:kind': APPLICATION_EDITORS,
  'POST /api/v1/applications/:id/reports/:kind/submit': APPLICATION_EDITORS,
  'POST /api/v1/applications/:id/reports/:kind/reopen': EXCEPTIONS,
  'POST /api/v1/applications/:id/reports/:kind/review': REVIEWERS,
  'GET /api/v1/applications/:id/reports/:kind/workbook': APPLICATION_TENANT_READERS,
  'POST /api/v1/applications/:id/reports/:kind/workbook': APPLICATION_EDITORS,
  'GET /rapporten': REPORT_QUEUE,
  'GET /aanvragen/:id/rapporten/:kind': APPLICATION_TENANT_READERS,
  'POST /aanvragen/:id/rapporten/:kind': APPLICATION_EDITORS,
  'GET /aanvragen/:id/rapporten/:kind/excel': APPLICATION_TENANT_READERS,
  'POST /aanvragen/:id/rapporten/:kind/excel': APPLICATION_EDITORS,
  'POST /aanvragen/:id/rapporten/:kind/beoordelen': REVIEWERS,
  'POST /aanvragen/:id/rapporten/:kind/heropenen': EXCEPTIONS,
  'POST /api/v1/applications/:id/reports/:kind/lines/:kpiLineId/evidence': APPLICATION_EDITORS,
  'GET /api/v1/applications/:id/reports/:kind/evidence/:evidenceId': { roles: ['municipal-officer', 'abb-reviewer', 'abb-administrator', 'vvsg-analyst'] },
  'POST /aanvragen/:id/rapporten/:kind/bewijsstukken/:kpiLineId': APPLICATION_EDITORS,
  'GET /aanvragen/:id/rapporten/:kind/bewijsstukken/:evidenceId': { roles: ['municipal-officer', 'abb-reviewer', 'abb-administrator', 'vvsg-analyst'] },
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
    const [gent] = await t.dataSource.query(`SELECT id FROM local_government WHERE nis_code = '44021'`);
    params.localGovernmentId = String(gent.id);
    // An invalid action number: past the guard, the handler's validation refuses it (so nothing changes).
    params.partnerId = '1';
    params.actionNumber = '100';
    const letter = ONE_PAGE_PDF;
    const reviewer = await userId(t.dataSource, CALLERS['abb-reviewer']);
    await t.app
      .get(DocumentsService)
      .uploadIbanLetter(
        actorFor({ id: reviewer, email: 'beoordelaar@abb.demo', displayName: 'Bart', role: 'abb-reviewer', localGovernmentId: null }, 'session'),
        gentApplicant.id,
        { originalname: 'brief.pdf', mimetype: 'application/pdf', size: letter.length, buffer: letter },
      );
    // Then (the letter is frozen once submitted) an approved application of Gent, so that its pages and decision letter exist; every step on it refuses the empty body.
    const [application] = await t.dataSource.query(
      `INSERT INTO application (applicant_id, call_id, catalogue_version, status, decided_at) SELECT id, call_id, 1, 'goedgekeurd', now() FROM applicant WHERE id = $1 RETURNING id`,
      [gentApplicant.id],
    );
    params.applicationId = String(application.id);
    params.kpiLineId = '1';
    params.kind = 'interim';
    params.number = '1';
    // No such evidence: the readers get 404 past the guard, the others 403 (or 404 for another officer).
    params.evidenceId = '999999';
  });
  afterAll(() => t.close());

  it('has a rule for every route of the running application, and no rule for a route that is gone', () => {
    expect(listRoutes(t)).toEqual(Object.keys(MATRIX).sort());
  });

  function pathFor(route: string): string {
    const path = route.split(' ')[1];
    const withId =
      path.includes('applicants/:id') || path.includes('aanvragers/:id')
        ? path.replace(':id', params.applicantId)
        : path.includes('applications/:id') || path.includes('aanvragen/:id')
          ? path.replace(':id', params.applicationId)
          : path.includes('tokens/:id')
            ? path.replace(':id', '999999')
            : path;
    // Allocation routes ask for a project year without a call: a simulation of a real call is allowed with an empty body and would store a run.
    const values: Record<string, string> = /allocation-runs|verdeling\//.test(path) ? { ...params, year: '99' } : params;
    return withId.replace(/:(\w+)/g, (_, name: string) => values[name]);
  }

  /** Past the guard: whatever the handler answers (a 422 for the empty body, a 404 for an unknown token), never a 5xx. */
  function allowed(route: string, rule: Rule, status: number): boolean {
    if ('tenant' in rule && rule.tenant) return route.startsWith('GET ') ? status === 200 : ![401, 403, 404].includes(status) && status < 500;
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
    const tables = await snapshot(t.dataSource, [
      'app_user',
      'audit_event',
      'mail_outbox',
      'password_reset',
      'applicant',
      'applicant_member',
      'applicant_partner',
      'partner',
      'applicant_document',
      'application',
      'application_line',
      'application_action',
    ]);
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
      const ok = want === 'allowed' ? allowed(route, MATRIX[route], res.status) : res.status === want;
      if (!ok) outcomes.push(`${caller}: expected ${want}, got ${res.status}`);
    }
    expect(outcomes).toEqual([]);
    expect(await state()).toEqual(before);
  });

  it('lets VVSG analysts read the history of applications, calls and applicants without personal data, never of users or tokens', async () => {
    const as = { Authorization: `Bearer ${tokens['vvsg-analyst']}` };
    await request(t.http).get(`/api/v1/history/application/${params.applicationId}`).set(as).expect(200);
    await request(t.http).get('/api/v1/history/call/1').set(as).expect(200);
    const applicant = (await request(t.http).get(`/api/v1/history/applicant/${params.applicantId}`).set(as).expect(200)).body;
    expect(applicant.length).toBeGreaterThan(0);
    expect(applicant.filter((entry: { actorLabel: string | null }) => entry.actorLabel !== null)).toEqual([]);
    for (const path of [`user/${params.id}`, 'api-token/1']) {
      expect((await request(t.http).get(`/api/v1/history/${path}`).set(as).expect(403)).body.message).toMatch(/U mag dit record niet lezen/);
    }
    expect((await request(t.http).get(`/geschiedenis/applicant/${params.applicantId}`).set(as).expect(200)).text).toMatch(/afgeschermd/);
    const reviewer = (
      await request(t.http).get(`/api/v1/history/applicant/${params.applicantId}`).set('Authorization', `Bearer ${tokens['abb-reviewer']}`).expect(200)
    ).body;
    expect(reviewer.some((entry: { actorLabel: string | null }) => entry.actorLabel !== null)).toBe(true);
  });

  it("lets the officers of an applicant's local governments see it, and nobody else of their role", async () => {
    const path = `/api/v1/applicants/${params.applicantId}`;
    expect((await request(t.http).get(path).set('Authorization', `Bearer ${tokens['municipal-officer']}`).expect(200)).body.nameNl).toBe('Stad Gent');
    await request(t.http).get(path).set('Authorization', `Bearer ${tokens['other-officer']}`).expect(404);
    await request(t.http).get('/api/v1/applicants/999999').set('Authorization', `Bearer ${tokens['abb-reviewer']}`).expect(404);
    const own = (await request(t.http).get('/api/v1/applicants').set('Authorization', `Bearer ${tokens['other-officer']}`).expect(200)).body.items;
    expect(own.map((a: { nameNl: string }) => a.nameNl)).toEqual(['Samenwerkingsverband Lier-Duffel-Berlaar']);
    const all = (await request(t.http).get('/api/v1/applicants').set('Authorization', `Bearer ${tokens['vvsg-analyst']}`).expect(200)).body.items;
    expect(all).toHaveLength(5);
  });
});
