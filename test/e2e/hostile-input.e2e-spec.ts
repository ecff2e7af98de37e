import request from 'supertest';
import { inTransaction, TRANSACTION_ATTEMPTS } from '@ps/database';
import { FixedClock } from '@ps/kernel';
import { OrganisationsService } from '@ps/organisations';
import { ONE_PAGE_PDF } from '../support/pdf';
import { bearerFor, csrfFrom } from '../support/sessions';
import { snapshot, startTestApp, TestApp } from '../support/test-app';

const TABLES = [
  'app_user',
  'applicant',
  'applicant_member',
  'applicant_document',
  'application',
  'application_line',
  'application_action',
  'kpi_line',
  'call',
  'audit_event',
  'partner',
  'partner_action',
  'applicant_partner',
  'settlement_line',
  'kpi_report',
  'kpi_report_line',
];
const INVALID = 'Dit veld bevat ongeldige tekens.';

describe('hostile input: never a 500, always a Dutch 4xx that changes nothing', () => {
  const clock = new FixedClock(new Date('2024-04-30T10:00:00Z'));
  let t: TestApp;
  let abb: string;
  let admin: string;
  let gent: string;
  const ids = new Map<string, number>();
  const as = (token: string) => ({ Authorization: `Bearer ${token}` });
  const unchanged = async (send: () => Promise<request.Response>, status: number) => {
    const before = await snapshot(t.dataSource, TABLES);
    const res = await send();
    expect(res.status).toBe(status);
    expect(await snapshot(t.dataSource, TABLES)).toEqual(before);
    return res;
  };
  /** An application of a fresh applicant (one per applicant and call), with one KPI line. */
  const applicationIn = async (status: string) => {
    const [call] = await t.dataSource.query(`SELECT id AS call_id FROM call ORDER BY year_number DESC LIMIT 1`);
    const [lead] = await t.dataSource.query(
      `SELECT id FROM local_government WHERE kind = 'municipality' AND id NOT IN (SELECT lead_local_government_id FROM applicant) ORDER BY id LIMIT 1`,
    );
    const [applicant] = await t.dataSource.query(
      `INSERT INTO applicant (call_id, kind, name_nl, lead_local_government_id) VALUES ($1, 'alone', 'Proefbestuur', $2) RETURNING id, call_id`,
      [call.call_id, lead.id],
    );
    const [{ id }] = await t.dataSource.query(
      `INSERT INTO application (applicant_id, call_id, catalogue_version, status) VALUES ($1, $2, 1, $3) RETURNING id`,
      [applicant.id, applicant.call_id, status],
    );
    const [line] = await t.dataSource.query(`SELECT id FROM kpi_line WHERE call_id = $1 ORDER BY id LIMIT 1`, [applicant.call_id]);
    await t.dataSource.query(`INSERT INTO application_line (application_id, kpi_line_id, planned_reach, confirmed_quantity) VALUES ($1, $2, 5, $3)`, [
      id,
      line.id,
      status === 'goedgekeurd' ? 5 : null,
    ]);
    return { id, kpiLineId: line.id as number };
  };

  beforeAll(async () => {
    t = await startTestApp({ clock });
    [abb, admin, gent] = await Promise.all(['beoordelaar@abb.demo', 'beheerder@abb.demo', 'medewerker@gent.demo'].map((e) => bearerFor(t, e, 365)));
    for (const row of await t.dataSource.query(`SELECT id, coalesce(nis_code, kind) AS key FROM local_government`)) ids.set(row.key, row.id);
  });
  afterAll(() => t.close());

  describe('control characters', () => {
    it('refuses NUL and other control characters in a JSON field with 422 per field', async () => {
      for (const name of ['Verband\u0000Kempen', 'Verband\u0007', 'Verband\u007F']) {
        const res = await unchanged(
          () =>
            request(t.http)
              .post('/api/v1/applicants')
              .set(as(abb))
              .send({ year: 3, kind: 'alone', leadLocalGovernmentId: ids.get('44021'), nameNl: name }),
          422,
        );
        expect(res.body.errors).toEqual({ nameNl: [INVALID] });
      }
      const nested = await unchanged(
        () =>
          request(t.http)
            .post('/api/v1/applications/1/return')
            .set(as(abb))
            .send({ version: 1, comments: [{ kpiLineId: 1, comment: 'a\u0000' }] }),
        422,
      );
      expect(nested.body.errors).toEqual({ 'comments.0.comment': [INVALID] });
    });

    it('refuses NUL in a query filter: 422 on the API, a Dutch 400 page on the web, also for anonymous callers', async () => {
      const api = await request(t.http).get('/api/v1/local-governments?q=Ge%00nt').expect(422);
      expect(api.body.errors).toEqual({ q: [INVALID] });
      const page = await request(t.http).get('/lokale-besturen?zoek=%00').expect(400);
      expect(page.text).toContain('Dit veld bevat ongeldige tekens.');
    });

    it('refuses NUL in a web form before anything reads it', async () => {
      const agent = request.agent(t.http);
      const form = await agent.get('/aanmelden').expect(200);
      const res = await unchanged(
        () =>
          agent
            .post('/aanmelden')
            .type('form')
            .send({ _csrf: csrfFrom(form.text), email: 'beheerder@abb.demo\u0000', password: 'x' }),
        400,
      );
      expect(res.text).toContain('Dit veld bevat ongeldige tekens.');
    });

    it('keeps tabs and line breaks, which are ordinary text', async () => {
      const { id } = await applicationIn('in-behandeling');
      await request(t.http).post(`/api/v1/applications/${id}/return`).set(as(abb)).send({ version: 1, reason: 'Eerste lijn\r\n\tTweede lijn' }).expect(200);
    });
  });

  describe('lone UTF-16 surrogates (the text rule, like NUL)', () => {
    // High and low alone, at the end, reversed; each once in the e-mail fields (URIError in the e-mail check) and the
    // texts stored in JSON audit rows (PostgreSQL refuses the escape), where they gave a 500.
    const SURROGATES = ['\ud800', '\udfff', 'a\ud83d', '\ude00\ud83d'];

    it.each(SURROGATES)('refuses %p in the six routes that answered 500, per field, changing nothing', async (surrogate) => {
      const [gentApplicant] = await t.dataSource.query(
        `SELECT a.id, a.version FROM applicant a JOIN call c ON c.id = a.call_id JOIN local_government lg ON lg.id = a.lead_local_government_id
          WHERE lg.nis_code = '44021' ORDER BY c.year_number DESC LIMIT 1`,
      );
      const { id: approved, kpiLineId } = await applicationIn('goedgekeurd');
      const email = `an.peeters${surrogate}@gent.test`;
      const partner = { name: 'Buurtwerk', offer: 'free', contactEmail: email, actionNumbers: [1] };
      const routes: [string, () => request.Test, string][] = [
        ['POST /users', () => request(t.http).post('/api/v1/users').set(as(admin)).send({ email, displayName: 'An Peeters', role: 'abb-reviewer' }), 'email'],
        [
          'PUT /applicants/:id/contact',
          () =>
            request(t.http).put(`/api/v1/applicants/${gentApplicant.id}/contact`).set(as(gent)).send({
              contactName: 'An Peeters',
              contactEmail: email,
              contactPhone: '09 266 55 00',
              payoutIban: 'BE68 5390 0754 7034',
              version: gentApplicant.version,
            }),
          'contactEmail',
        ],
        [
          'POST /applicants/:id/partners',
          () => request(t.http).post(`/api/v1/applicants/${gentApplicant.id}/partners`).set(as(gent)).send(partner),
          'contactEmail',
        ],
        ['POST /partners', () => request(t.http).post('/api/v1/partners').set(as(admin)).send(partner), 'contactEmail'],
        [
          'PUT /applications/:id/settlement/lines/:kpiLineId',
          () =>
            request(t.http)
              .put(`/api/v1/applications/${approved}/settlement/lines/${kpiLineId}`)
              .set(as(abb))
              .send({ realisedQuantity: 3, waived: true, reason: `Overmacht${surrogate}` }),
          'reason',
        ],
        [
          'PUT /applications/:id/reports/interim',
          () =>
            request(t.http)
              .put(`/api/v1/applications/${approved}/reports/interim`)
              .set(as(gent))
              .send({ version: 1, lines: [{ kpiLineId, realisedQuantity: 1, motivation: `Te weinig${surrogate}` }] }),
          'lines.0.motivation',
        ],
      ];
      for (const [route, send, field] of routes) {
        const res = await unchanged(send, 422);
        expect({ route, errors: res.body.errors }).toEqual({ route, errors: { [field]: [INVALID] } });
      }
    });

    // A query, path or form cannot carry one: its UTF-8 attempt (%ED%A0%80) is no UTF-8, so it stays that text or is refused.
    it('refuses a lone surrogate in a key, and answers a path or query of its UTF-8 attempt with a Dutch 4xx', async () => {
      const key = await unchanged(
        () =>
          request(t.http)
            .post('/api/v1/applicants')
            .set(as(abb))
            .send({ year: 3, ['naam\ud800']: 'x' }),
        422,
      );
      expect(key.body.errors).toEqual({ ['naam\ud800']: [INVALID] });
      for (const path of ['/api/v1/applicants/%ED%A0%80', '/aanvragen/%ED%B0%80']) {
        const res = await request(t.http).get(path).set(as(abb));
        expect({ path, refused: res.status >= 400 && res.status < 500 }).toEqual({ path, refused: true });
      }
      // In a query it stays the text "%ED%A0%80": harmless, nothing matches it.
      const query = await request(t.http).get('/api/v1/local-governments?q=%ED%A0%80').set(as(abb)).expect(200);
      expect(query.body).toMatchObject({ items: [], total: 0 });
    });
  });

  describe('numbers beyond the database integer', () => {
    it('refuses a local-government id above int32 for a user', async () => {
      const res = await unchanged(
        () =>
          request(t.http)
            .post('/api/v1/users')
            .set(as(admin))
            .send({ email: 'nieuw@gent.be', displayName: 'Nieuw', role: 'municipal-officer', localGovernmentId: 3_000_000_000 }),
        422,
      );
      expect(res.body.errors).toEqual({ localGovernmentId: ['Kies een lokaal bestuur uit de lijst.'] });
    });

    it('refuses a region filter above int32', async () => {
      const res = await request(t.http).get('/api/v1/eligibility?year=3&region=3000000000').set(as(abb)).expect(422);
      expect(res.body.errors.region).toEqual(['Dit getal is te groot.']);
    });

    it('refuses a comment line id and an evaluation quantity above int32', async () => {
      const review = await applicationIn('in-behandeling');
      const comment = await unchanged(
        () =>
          request(t.http)
            .post(`/api/v1/applications/${review.id}/return`)
            .set(as(abb))
            .send({ version: 1, comments: [{ kpiLineId: 3_000_000_000, comment: 'te hoog' }] }),
        422,
      );
      expect(comment.body.errors).toEqual({ comments: ['Kies een KPI-lijn uit de lijst.'] });
      const approved = await applicationIn('goedgekeurd');
      const evaluation = await unchanged(
        () =>
          request(t.http)
            .put(`/api/v1/applications/${approved.id}/lines/${approved.kpiLineId}/evaluation`)
            .set(as(abb))
            .send({ version: 1, interimRealised: 3_000_000_000, positiveEvaluation: true }),
        422,
      );
      expect(evaluation.body.errors).toEqual({ interimRealised: ['Geef het gerealiseerde bereik als geheel getal van 0 tot 9.999.999.'] });
    });
  });

  describe('money in 64 bits', () => {
    it('accepts a unit amount of € 21,474,837 (above 2^31 cents) and recomputes drafts in bigint', async () => {
      const [call] = await t.dataSource.query(`SELECT c.id, c.version FROM call c WHERE c.year_number = 2`);
      const [line] = await t.dataSource.query(`SELECT id FROM kpi_line WHERE call_id = $1 AND action_number = 5 ORDER BY id LIMIT 1`, [call.id]);
      const [applicant] = await t.dataSource.query(`SELECT id FROM applicant WHERE call_id = $1 LIMIT 1`, [call.id]);
      let applicantId = applicant?.id;
      if (!applicantId) {
        [{ id: applicantId }] = await t.dataSource.query(
          `INSERT INTO applicant (call_id, kind, name_nl, lead_local_government_id) VALUES ($1, 'alone', 'Stad Aalst', $2) RETURNING id`,
          [call.id, ids.get('41002')],
        );
      }
      const [application] = await t.dataSource.query(`INSERT INTO application (applicant_id, call_id, catalogue_version) VALUES ($1, $2, 1) RETURNING id`, [
        applicantId,
        call.id,
      ]);
      await t.dataSource.query(`INSERT INTO application_line (application_id, kpi_line_id, planned_reach) VALUES ($1, $2, 7)`, [application.id, line.id]);
      await request(t.http)
        .put(`/api/v1/calls/2/kpi-lines/${line.id}`)
        .set(as(admin))
        .send({ version: call.version, maxQuantity: 10, unitAmountEuro: '21474837' })
        .expect(200);
      const [saved] = await t.dataSource.query(`SELECT unit_amount_cents FROM kpi_line WHERE id = $1`, [line.id]);
      expect(Number(saved.unit_amount_cents)).toBe(2_147_483_700);
      const [draft] = await t.dataSource.query(`SELECT contribution_cents FROM application_line WHERE application_id = $1`, [application.id]);
      expect(Number(draft.contribution_cents)).toBe(7 * 2_147_483_700);
      // Far beyond any plan: refused per field, nothing changed.
      const [{ version }] = await t.dataSource.query(`SELECT version FROM call WHERE id = $1`, [call.id]);
      const res = await unchanged(
        () => request(t.http).put(`/api/v1/calls/2/kpi-lines/${line.id}`).set(as(admin)).send({ version, maxQuantity: 10, unitAmountEuro: '100000001' }),
        422,
      );
      expect(res.body.errors.unitAmountEuro).toEqual(['Het bedrag per eenheid mag hoogstens € 100.000.000 zijn.']);
      const product = await unchanged(
        () => request(t.http).put(`/api/v1/calls/2/kpi-lines/${line.id}`).set(as(admin)).send({ version, maxQuantity: 9_999_999, unitAmountEuro: '21474837' }),
        422,
      );
      expect(product.body.errors.unitAmountEuro).toEqual(['Maximum maal bedrag per eenheid mag hoogstens € 1.000.000.000 per KPI-lijn zijn.']);
    });
  });

  describe('size and shape of the body', () => {
    it('answers 413 in Dutch for a JSON body over 1 MB, also to anonymous callers', async () => {
      const big = { nameNl: 'x'.repeat(2 * 1024 * 1024) };
      const anonymous = await unchanged(() => request(t.http).post('/api/v1/applicants').send(big), 413);
      expect(anonymous.body).toEqual({ statusCode: 413, message: expect.stringContaining('te groot') });
      const signedIn = await unchanged(() => request(t.http).post('/api/v1/applicants').set(as(abb)).send(big), 413);
      expect(signedIn.body.message).toContain('te groot');
    });

    it('answers 413 with a Dutch page for a form over 1 MB', async () => {
      const res = await unchanged(
        () =>
          request(t.http)
            .post('/aanmelden')
            .type('form')
            .send({ email: 'a@b.be', password: 'x'.repeat(2 * 1024 * 1024) }),
        413,
      );
      expect(res.text).toContain('te groot');
      expect(res.headers['content-type']).toContain('text/html');
    });

    it('refuses JSON nested thousands of levels deep with 422', async () => {
      const deep = '{"lines":' + '['.repeat(5000) + ']'.repeat(5000) + ',"priorities":[],"version":1}';
      const res = await unchanged(() => request(t.http).put('/api/v1/applications/1').set(as(gent)).set('Content-Type', 'application/json').send(deep), 422);
      expect(res.body.message).toBe('De gegevens zijn te diep genest (hoogstens 32 niveaus).');
      await request(t.http).post('/api/v1/applicants').set('Content-Type', 'application/json').send('['.repeat(100_000)).expect(400);
    });

    it('answers an address or headers over 16 kB (refused by the HTTP parser itself) with a Dutch 431', async () => {
      const longAddress = await unchanged(
        () =>
          request(t.http)
            .get(`/api/v1/applicants?name=${'x'.repeat(20_000)}`)
            .set(as(abb)),
        431,
      );
      expect(longAddress.body).toEqual({ statusCode: 431, message: 'Het adres of de kopregels van de aanvraag zijn te lang (hoogstens 16 kB).' });
      const longHeader = await unchanged(() => request(t.http).post('/aanmelden').set('X-Padding', 'y'.repeat(20_000)).type('form').send({}), 431);
      expect(longHeader.body.message).toContain('te lang');
    });

    it('answers malformed JSON with a Dutch 400', async () => {
      const res = await request(t.http).post('/api/v1/applicants').set(as(abb)).set('Content-Type', 'application/json').send('{"year": 3,').expect(400);
      expect(res.body).toEqual({ statusCode: 400, message: 'De gegevens zijn geen geldige JSON.' });
    });
  });

  describe('framework messages in Dutch', () => {
    it('translates class-validator defaults: "confirmed must be an array", unknown fields, wrong types', async () => {
      const { id } = await applicationIn('in-behandeling');
      const res = await unchanged(
        () => request(t.http).post(`/api/v1/applications/${id}/approve`).set(as(abb)).send({ version: 1, confirmed: 'alles', extra: 1 }),
        422,
      );
      expect(res.body.errors).toEqual({ confirmed: ['Geef een lijst.'], extra: ['Dit veld is onbekend.'] });
      expect(JSON.stringify(res.body)).not.toMatch(/must be|should not|Unprocessable/);
    });

    it('translates multer and routing messages', async () => {
      const [{ id }] = await t.dataSource.query(`SELECT id FROM applicant WHERE name_nl = 'Stad Gent'`);
      const big = await request(t.http)
        .post(`/api/v1/applicants/${id}/iban-letter`)
        .set(as(gent))
        .attach('letter', Buffer.alloc(6 * 1024 * 1024), { filename: 'groot.pdf', contentType: 'application/pdf' })
        .expect(413);
      expect(big.body).toEqual({ statusCode: 413, message: expect.stringContaining('te groot') });
      const field = await request(t.http)
        .post(`/api/v1/applicants/${id}/iban-letter`)
        .set(as(gent))
        .attach('andere', ONE_PAGE_PDF, { filename: 'brief.pdf', contentType: 'application/pdf' })
        .expect(400);
      expect(field.body.message).toBe('Stuur één bestand, in het bestandsveld van dit formulier.');
      const missing = await request(t.http).get('/api/v1/bestaat-niet').expect(404);
      expect(missing.body).toEqual({ statusCode: 404, message: 'Deze pagina bestaat niet. Controleer het adres of ga naar de startpagina.' });
    });
  });

  describe('uploaded letters', () => {
    it('refuses a file that only starts like a PDF, and accepts a real one', async () => {
      const [{ id }] = await t.dataSource.query(`SELECT id FROM applicant WHERE name_nl = 'Stad Gent'`);
      const fake = Buffer.from('%PDF-1.7\nDit is gewone tekst en geen PDF-document.\n');
      const res = await unchanged(
        () =>
          request(t.http)
            .post(`/api/v1/applicants/${id}/iban-letter`)
            .set(as(gent))
            .attach('letter', fake, { filename: 'brief.pdf', contentType: 'application/pdf' }),
        422,
      );
      expect(res.body.errors).toEqual({ letter: ['Enkel een PDF-bestand is toegestaan.'] });
      await request(t.http)
        .post(`/api/v1/applicants/${id}/iban-letter`)
        .set(as(gent))
        .attach('letter', ONE_PAGE_PDF, { filename: 'brief.pdf', contentType: 'application/pdf' })
        .expect(201);
    });
  });

  describe('duplicate lines in one save', () => {
    it('refuses the same KPI line twice instead of letting the last one win', async () => {
      const [{ id: applicantId }] = await t.dataSource.query(`SELECT id FROM applicant WHERE name_nl = 'Stad Gent'`);
      const draft = (await request(t.http).post(`/api/v1/applicants/${applicantId}/application`).set(as(gent)).expect(201)).body;
      const line = draft.lines.find((l: { actionNumber: number }) => l.actionNumber === 5);
      const res = await unchanged(
        () =>
          request(t.http)
            .put(`/api/v1/applications/${draft.id}`)
            .set(as(gent))
            .send({
              version: draft.version,
              lines: [
                { kpiLineId: line.id, plannedReach: 10 },
                { kpiLineId: line.id, plannedReach: 20 },
              ],
              priorities: [{ actionNumber: 5, priority: 1 }],
            }),
        422,
      );
      expect(Object.keys(res.body.errors)).toEqual([`planned-${line.id}`]);
    });
  });

  describe('concurrent transactions', () => {
    it('retries a deadlocked transaction and answers 409 when it keeps failing', async () => {
      let calls = 0;
      const deadlock = () => Object.assign(new Error('deadlock detected'), { code: '40P01' });
      const value = await inTransaction(t.dataSource, async (manager) => {
        calls++;
        await manager.query(`SELECT 1`);
        if (calls === 1) throw deadlock();
        return 'klaar';
      });
      expect([value, calls]).toEqual(['klaar', 2]);
      calls = 0;
      await expect(
        inTransaction(t.dataSource, async () => {
          calls++;
          throw deadlock();
        }),
      ).rejects.toMatchObject({ code: 'conflict' });
      expect(calls).toBe(TRANSACTION_ATTEMPTS);
    });

    it('keeps overlapping cooperation registrations consistent: only 2xx and 4xx, each member once', async () => {
      await t.app
        .get(OrganisationsService)
        .importStatistics(
          'nis_code,reference_year,origin_definition,residents\n13001,2022,niet-EU-14,5000\n13002,2022,niet-EU-14,3000\n13004,2022,niet-EU-14,4000\n13006,2022,niet-EU-14,6000\n',
        );
      const nis = ['13001', '13002', '13004', '13006'];
      const bodies = Array.from({ length: 10 }, (_, i) => ({
        year: 2,
        kind: 'cooperation',
        leadLocalGovernmentId: ids.get(nis[i % 4]),
        memberLocalGovernmentIds: [ids.get(nis[(i + 1) % 4]), ids.get(nis[(i + 2) % 4])],
        nameNl: `Verband ${i}`,
      }));
      const answers = await Promise.all(bodies.map((body) => request(t.http).post('/api/v1/applicants').set(as(abb)).send(body)));
      expect(answers.map((r) => r.status).filter((s) => s >= 500)).toEqual([]);
      expect(answers.filter((r) => r.status === 201).length).toBeGreaterThanOrEqual(1);
      const members = await t.dataSource.query(
        `SELECT m.local_government_id, count(*)::int AS n FROM applicant_member m JOIN applicant a ON a.id = m.applicant_id JOIN call c ON c.id = a.call_id
          WHERE c.year_number = 2 AND m.local_government_id = ANY($1) GROUP BY m.local_government_id`,
        [nis.map((n) => ids.get(n))],
      );
      expect(members.every((m: { n: number }) => m.n === 1)).toBe(true);
      const created = answers.filter((r) => r.status === 201).map((r) => String(r.body.id));
      const audited = await t.dataSource.query(
        `SELECT entity_id FROM audit_event WHERE entity_type = 'applicant' AND action = 'registered' AND entity_id = ANY($1)`,
        [created],
      );
      expect(audited).toHaveLength(created.length);
    });
  });
});
