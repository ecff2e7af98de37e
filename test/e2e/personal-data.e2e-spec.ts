import ExcelJS from 'exceljs';
import request from 'supertest';
import { AllocationService, ProposalsService, SettlementService } from '@ps/allocation';
import { ApplicantRegistrationService, ContactPayoutService, PartnersService } from '@ps/applicants';
import { Actor, HISTORY_READ_PERMISSION, Role, ROLES } from '@ps/identity';
import { isPersonalField } from '@ps/kernel';
import { binary } from '../support/binary';
import { publishByTwoActors } from '../support/four-eyes';
import { ApprovedFixture, CallFixture, Factories, startFactories } from '../support/factories';
import { expressName, OpenApiDocument, operationsOf } from '../support/openapi-arbitraries';
import { pageTexts } from '../support/pdf';
import { listRoutes } from '../support/routes';
import { TestApp } from '../support/test-app';

/**
 * Issue 23: every role sees only what it needs. Every GET route of the running application (the API's routes as the
 * OpenAPI document lists them, and the pages) is asked by each role with ids that role may see, on data whose personal
 * fields are all filled with values planted here. A role without audit:read-personal (the VVSG analyst) must find none
 * of them, by value (in JSON, pages, PDFs, CSV and Excel) nor by field name (a personal field that is not null); the
 * roles with it must find them, so the walk can fail.
 */
const CONTACT = { name: 'Petronella Prive', email: 'petronella.prive@persoonlijk.test', phone: '+32 470 99 88 77', iban: 'BE71096123456769' };
const OWN_PARTNER = { name: 'Buurtwerk Eigen', contactName: 'Gustaaf Geheim', contactEmail: 'gustaaf.geheim@partner.test', contactPhone: '0470 11 22 33' };
const ASSORTMENT_PARTNER = {
  name: 'Aanbod Samenleven',
  contactName: 'Hilde Heimelijk',
  contactEmail: 'hilde.heimelijk@aanbod.test',
  contactPhone: '0471 44 55 66',
};

describe('personal data: every GET route, every role', () => {
  let f: Factories;
  let call: CallFixture;
  let approved: ApprovedFixture;
  let runId: number;
  let proposalId: number;
  const actors = {} as Record<Role, Actor>;
  const tokens = {} as Record<Role, string>;
  /** Planted value → what it is; each must be absent for the analyst. */
  const planted = new Map<string, string>();
  let params: Record<string, string>;
  let historyIds: Record<string, string>;
  let paths: string[];

  beforeAll(async () => {
    f = await startFactories({ http: true });
    call = await f.aCall();
    const applicant = await f.anApplicant(call, { payoutIban: CONTACT.iban });
    const partners = f.get(PartnersService);
    const owners = applicant.members.map((m) => m.id);
    const own = await partners.addOwnPartner(applicant.officer, applicant.id, owners, { ...OWN_PARTNER, offer: 'free', actionNumbers: [5] });
    actors['abb-administrator'] = await f.actors.administrator();
    const offered = await partners.createAssortmentPartner(actors['abb-administrator'], { ...ASSORTMENT_PARTNER, offer: 'paid', actionNumbers: [9] });
    await partners.link(applicant.officer, applicant.id, owners, offered.id, 9);
    approved = await f.anApprovedApplication(call, { applicant });
    // The contact person may change after approval (the account may not): the planted one.
    const detail = await f.get(ContactPayoutService).updateContact(applicant.officer, applicant.id, {
      contactName: CONTACT.name,
      contactEmail: CONTACT.email,
      contactPhone: CONTACT.phone,
      payoutIban: CONTACT.iban,
      version: (await f.get(ApplicantRegistrationService).get(applicant.id))!.version,
    });
    expect(detail.ibanLetterRequired).toBe(true);

    const publisher = await f.actors.another('abb-reviewer', 'Pieter Publiceerder');
    const settler = await f.actors.another('abb-reviewer', 'Sofie Settelaar');
    const allocation = f.get(AllocationService);
    const run = await allocation.simulate(publisher, call.year, {});
    runId = run.id;
    proposalId = (await publishByTwoActors(f, run.id, { confirmPendingReview: true, reason: 'Proef.' }, publisher, settler)).id;
    // The advances released by two people: the payment file (SEPA) holds the payout IBAN and the names.
    const release = await f.get(ProposalsService).proposeRelease(publisher, run.id);
    await f.get(ProposalsService).approve(settler, release.id, { version: release.version });
    const settlements = f.get(SettlementService);
    for (const line of approved.lines) await settlements.recordResult(settler, approved.id, line.kpiLineId, { realisedQuantity: line.confirmedQuantity });
    await settlements.settle(settler, approved.id);

    actors['municipal-officer'] = applicant.officer;
    actors['abb-reviewer'] = await f.actors.reviewer();
    actors['vvsg-analyst'] = await f.actors.another('vvsg-analyst', 'Vera Analist');
    actors['platform-administrator'] = await f.actors.another('platform-administrator', 'Paul Platform');
    for (const role of ROLES) tokens[role] = await f.bearer(actors[role]);

    const stored = (await f.get(ApplicantRegistrationService).get(applicant.id))!;
    const [ownStored] = await f.dataSource.query(`SELECT contact_phone FROM partner WHERE id = $1`, [own.id]);
    const [offeredStored] = await f.dataSource.query(`SELECT contact_phone FROM partner WHERE id = $1`, [offered.id]);
    const people: [string, string][] = [
      [CONTACT.name, 'contact name'],
      [CONTACT.email, 'contact e-mail'],
      [stored.contact.phone!, 'contact phone'],
      [CONTACT.iban, 'payout IBAN'],
      [CONTACT.iban.replace(/(.{4})/g, '$1 ').trim(), 'payout IBAN (formatted)'],
      [OWN_PARTNER.contactName, 'partner contact name'],
      [OWN_PARTNER.contactEmail, 'partner contact e-mail'],
      [ownStored.contact_phone, 'partner contact phone'],
      [ASSORTMENT_PARTNER.contactName, 'assortment contact name'],
      [ASSORTMENT_PARTNER.contactEmail, 'assortment contact e-mail'],
      [offeredStored.contact_phone, 'assortment contact phone'],
    ];
    const [officerUser] = await f.dataSource.query(`SELECT email FROM app_user WHERE id = $1`, [applicant.officer.userId]);
    people.push([officerUser.email, "officer's e-mail"], ['pieter-publiceerder@service.test', "publisher's e-mail"], ['Sofie Settelaar', "settler's name"]);
    for (const [value, what] of people) planted.set(value, what);

    const [token] = await f.dataSource.query(`SELECT id FROM api_token WHERE user_id = $1 ORDER BY id LIMIT 1`, [applicant.officer.userId]);
    params = {
      year: String(call.year),
      nisCode: applicant.lead.nisCode!,
      localGovernmentId: String(applicant.lead.id),
      kind: 'final',
      kpiLineId: String(approved.lines[0].kpiLineId),
      evidenceId: '999999',
      partnerId: String(own.id),
      actionNumber: '5',
      number: '1',
    };
    historyIds = {
      user: String(applicant.officer.userId),
      'api-token': String(token.id),
      applicant: String(applicant.id),
      partner: String(offered.id),
      application: String(approved.id),
      'allocation-run': String(runId),
      call: String(call.year),
      'kpi-line': String(approved.lines[0].kpiLineId),
      'origin-statistics': 'import',
      'reference-regions': 'import',
    };
    const idOf: [RegExp, string][] = [
      [/\/(applicants|aanvragers)\/:id/, String(applicant.id)],
      [/\/(applications|aanvragen)\/:id/, String(approved.id)],
      [/\/(allocation-runs|verdelingen)\/:id/, String(runId)],
      [/\/(proposals|voorstellen)\/:id/, String(proposalId)],
      [/\/(users|gebruikers)\/:id/, String(applicant.officer.userId)],
    ];
    const document: OpenApiDocument = (await request(f.http).get('/api/docs-json').expect(200)).body;
    const apiGets = operationsOf(document).filter((o) => o.method === 'get');
    // Required query parameters (the project year of the eligibility overview) filled in as for the path.
    const queries = new Map(
      apiGets.map((o) => {
        const required = o.queryParams.filter((q) => q.required).map((q) => `${q.name}=${params[q.name] ?? missing(q.name, expressName(o))}`);
        return [expressName(o), required.length > 0 ? `?${required.join('&')}` : ''];
      }),
    );
    // A catch-all route (a wildcard) answers unknown paths only; it has no record to ask for.
    const routes = listRoutes({ app: f.service.app } as TestApp).filter((route) => route.startsWith('GET ') && !route.includes('*'));
    // The walk covers every GET of the OpenAPI document (and the pages besides).
    expect(routes).toEqual(expect.arrayContaining(apiGets.map(expressName)));
    paths = routes.flatMap((route) => {
      let path = route.slice('GET '.length);
      if (path.includes(':entityType')) return Object.entries(historyIds).map(([type, id]) => path.replace(':entityType', type).replace(':entityId', id));
      if (path.includes(':id')) path = path.replace(':id', idOf.find(([pattern]) => pattern.test(path))?.[1] ?? missing('id', route));
      return [path.replace(/:(\w+)/g, (_, name: string) => params[name] ?? missing(name, route)) + (queries.get(route) ?? '')];
    });
  }, 600_000);
  afterAll(() => f?.close());

  /** The response as text (JSON, pages, CSV; the text of PDFs and the cells of Excel workbooks), and the JSON when it is JSON. */
  async function read(path: string, role: Role): Promise<{ status: number; text: string; json?: unknown }> {
    const res = await request(f.http).get(path).set('Authorization', `Bearer ${tokens[role]}`).buffer(true).parse(binary);
    const body = res.body as Buffer;
    const type = String(res.headers['content-type'] ?? '');
    if (type.includes('application/pdf')) return { status: res.status, text: (await pageTexts(body)).join(' ') };
    if (type.includes('spreadsheetml')) return { status: res.status, text: await workbookText(body) };
    const text = body.toString('utf8');
    return { status: res.status, text, json: type.includes('application/json') ? JSON.parse(text) : undefined };
  }

  /** Personal fields that are not null, as "path: value"; the reader's own account is not someone else's personal data. */
  function personalFieldsIn(value: unknown, own: Set<unknown>, at = '', parent?: string): string[] {
    if (Array.isArray(value)) return value.flatMap((item, i) => personalFieldsIn(item, own, `${at}[${i}]`, parent));
    if (value === null || typeof value !== 'object') return [];
    return Object.entries(value).flatMap(([key, item]) =>
      isPersonalField(key, parent)
        ? leaves(item)
            .filter((leaf) => leaf !== null && !own.has(leaf))
            .map((leaf) => `${at}.${key}: ${String(leaf)}`)
        : personalFieldsIn(item, own, `${at}.${key}`, key),
    );
  }

  async function walk(role: Role) {
    const seen = new Set<string>();
    const leaks: string[] = [];
    const statuses: Record<string, number> = {};
    const own = new Set<unknown>([actors[role].label, ...actors[role].label.split(/ <|>/).filter(Boolean)]);
    for (const path of paths) {
      const { status, text, json } = await read(path, role);
      statuses[path] = status;
      expect([path, status < 500]).toEqual([path, true]);
      for (const [value, what] of planted) {
        if (!text.includes(value)) continue;
        seen.add(what);
        leaks.push(`${path}: ${what} (${value})`);
      }
      // The OpenAPI document describes the fields (with examples), it holds no one's data.
      if (json !== undefined && !path.startsWith('/api/docs')) leaks.push(...personalFieldsIn(json, own).map((field) => `${path}: field ${field}`));
    }
    return { seen, leaks, statuses };
  }

  it('shows the VVSG analyst no personal data anywhere: no planted value, no personal field that is not null', async () => {
    const { leaks, statuses } = await walk('vvsg-analyst');
    expect(leaks).toEqual([]);
    // The analyst does read these records, only without their personal data.
    for (const path of [
      `/api/v1/applicants/${historyIds.applicant}`,
      `/aanvragers/${historyIds.applicant}`,
      `/api/v1/allocation-runs/${runId}`,
      `/api/v1/history/applicant/${historyIds.applicant}`,
      `/geschiedenis/applicant/${historyIds.applicant}`,
      `/api/v1/history/allocation-run/${runId}`,
      `/api/v1/applications/${approved.id}/settlement`,
      '/api/v1/partners',
    ])
      expect([path, statuses[path]]).toEqual([path, 200]);
  }, 600_000);

  it('refuses the analyst the signed bank letter (API and page) with a Dutch message', async () => {
    const as = { Authorization: `Bearer ${tokens['vvsg-analyst']}` };
    const api = await request(f.http).get(`/api/v1/applicants/${historyIds.applicant}/iban-letter`).set(as).expect(403);
    expect(api.body.message).toBe('U hebt geen toegang tot deze functie.');
    expect((await request(f.http).get(`/aanvragers/${historyIds.applicant}/brief`).set(as).expect(403)).text).toContain('geen toegang');
    const reviewer = { Authorization: `Bearer ${tokens['abb-reviewer']}` };
    await request(f.http).get(`/api/v1/applicants/${historyIds.applicant}/iban-letter`).set(reviewer).expect(200).expect('Content-Type', 'application/pdf');
  });

  it('gives the analyst the applicant with the personal fields null, and its history without who acted', async () => {
    const as = { Authorization: `Bearer ${tokens['vvsg-analyst']}` };
    const applicant = (await request(f.http).get(`/api/v1/applicants/${historyIds.applicant}`).set(as).expect(200)).body;
    expect(applicant).toMatchObject({
      nameNl: approved.applicant.nameNl,
      contact: { name: null, email: null, phone: null, iban: null },
      confirmedPayoutIban: null,
    });
    const history = (await request(f.http).get(`/api/v1/history/applicant/${historyIds.applicant}`).set(as).expect(200)).body;
    expect(history.map((entry: { action: string }) => entry.action)).toContain('contact-updated');
    expect(history.every((entry: { actorLabel: string | null }) => entry.actorLabel === null)).toBe(true);
    const page = (await request(f.http).get(`/aanvragers/${historyIds.applicant}`).set(as).expect(200)).text;
    expect(page).toContain('afgeschermd voor uw rol');
  });

  /**
   * What each role with audit:read-personal finds in its walk: exactly the personal data its permissions reach. ABB's
   * reviewers and administrators find every planted value, platform administrators too (the users are theirs to manage);
   * an officer (no allocation:read) not the publisher of the run, whose history it used to read.
   */
  const APPLICANT_SIDE = [
    'contact name',
    'contact e-mail',
    'contact phone',
    'payout IBAN',
    'payout IBAN (formatted)',
    'partner contact name',
    'partner contact e-mail',
    'partner contact phone',
    'assortment contact name',
    'assortment contact e-mail',
    'assortment contact phone',
    "officer's e-mail",
  ];
  const SEES: Record<Exclude<Role, 'vvsg-analyst'>, () => string[]> = {
    'municipal-officer': () => [...APPLICANT_SIDE, "settler's name"],
    'abb-reviewer': () => [...planted.values()],
    'abb-administrator': () => [...planted.values()],
    'platform-administrator': () => [...planted.values()],
  };

  it('shows each role with audit:read-personal exactly the personal data its permissions reach', async () => {
    const outcomes: Record<string, string[]> = {};
    const wanted: Record<string, string[]> = {};
    for (const role of ['municipal-officer', 'abb-reviewer', 'abb-administrator', 'platform-administrator'] as const) {
      outcomes[role] = [...(await walk(role)).seen].sort();
      wanted[role] = [...SEES[role]()].sort();
    }
    expect(wanted['abb-reviewer'].length).toBe(planted.size);
    expect(outcomes).toEqual(wanted);
  }, 1_200_000);

  it('lets each role read the history of a record only with the permission to read that record', async () => {
    const expected: Record<string, Role[]> = {
      user: ['abb-administrator', 'platform-administrator'],
      'api-token': ['abb-administrator', 'platform-administrator'],
      applicant: [...ROLES],
      partner: [...ROLES],
      application: ['municipal-officer', 'abb-reviewer', 'abb-administrator', 'vvsg-analyst'],
      'allocation-run': ['abb-reviewer', 'abb-administrator', 'vvsg-analyst'],
      call: [...ROLES],
      'kpi-line': [...ROLES],
      'origin-statistics': [...ROLES],
      'reference-regions': [...ROLES],
    };
    expect(Object.keys(expected).sort()).toEqual(Object.keys(HISTORY_READ_PERMISSION).sort());
    const outcomes: string[] = [];
    for (const [type, id] of Object.entries(historyIds))
      for (const role of ROLES)
        for (const path of [`/api/v1/history/${type}/${id}`, `/geschiedenis/${type}/${id}`]) {
          const res = await request(f.http).get(path).set('Authorization', `Bearer ${tokens[role]}`);
          const want = expected[type].includes(role) ? 200 : 403;
          if (res.status !== want) outcomes.push(`${role} ${path}: ${res.status}, expected ${want}`);
          if (want === 403 && !/U mag dit record niet lezen/.test(res.text)) outcomes.push(`${role} ${path}: no Dutch reason`);
        }
    expect(outcomes).toEqual([]);
    // The officer no longer reads the published run's total and its publisher.
    const officer = { Authorization: `Bearer ${tokens['municipal-officer']}` };
    expect((await request(f.http).get(`/api/v1/history/allocation-run/${runId}`).set(officer).expect(403)).body.message).toMatch(/niet lezen/);
    await request(f.http).get('/api/v1/history/no-such-kind/1').set(officer).expect(404);
  }, 600_000);
});

function missing(name: string, route: string): never {
  throw new Error(`no value for ${name} in ${route}: add it to the walk`);
}

async function workbookText(content: Buffer): Promise<string> {
  const workbook = new ExcelJS.Workbook();
  await workbook.xlsx.load(content as unknown as ArrayBuffer);
  const cells: string[] = [];
  workbook.eachSheet((sheet) => sheet.eachRow((row) => row.eachCell((cell) => cells.push(String(cell.text ?? '')))));
  return cells.join('\n');
}

function leaves(value: unknown): unknown[] {
  if (Array.isArray(value)) return value.flatMap(leaves);
  if (value !== null && typeof value === 'object') return Object.values(value).flatMap(leaves);
  return [value];
}
