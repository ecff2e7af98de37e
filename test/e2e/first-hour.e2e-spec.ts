import { spawnSync } from 'node:child_process';
import { readFileSync } from 'node:fs';
import request from 'supertest';
import { FixedClock } from '@ps/kernel';
import { DEMO_USUAL_IBAN_GENT, DemoStoryService, SetupService } from '@ps/setup';
import { bearerFor, csrfFrom, signIn } from '../support/sessions';
import { snapshot, startTestApp, TestApp } from '../support/test-app';

const versionIn = (html: string) => /name="version" value="(\d+)"/.exec(html)![1];

describe("a new user's first hour: the demo's story, local-government ids, plain messages", () => {
  // 25 March 2026: the week before lies in winter time (UTC+1), the deadline in summer time (UTC+2).
  const clock = new FixedClock(new Date('2026-03-25T10:00:00Z'));
  let t: TestApp;
  beforeAll(async () => (t = await startTestApp({ clock, env: { DEMO_STORY: 'true' } })));
  afterAll(() => t.close());

  describe('the demo tells one story: years 1–3 as they were, with history, and year 4 open around today', () => {
    it('creates year 4 from year 3 as the demo administrator, open from a week ago at midnight to 23:59:59 in four weeks, Brussels time, and publishes it', async () => {
      const calls = (await request(t.http).get('/api/v1/calls').expect(200)).body;
      expect(calls.map((c: { yearNumber: number }) => c.yearNumber)).toEqual([1, 2, 3, 4]);
      const current = calls.at(-1);
      expect(current).toMatchObject({
        nameNl: 'Projectjaar 4 (2026-2027)',
        state: 'published',
        submissionOpensAt: '2026-03-17T23:00:00.000Z',
        submissionClosesAt: '2026-04-22T21:59:59.000Z',
        decisionDate: '2026-05-13',
        projectStart: '2026-06-01',
        projectEnd: '2027-05-31',
        interimReportDueAt: '2027-01-05T22:59:59.000Z',
        finalReportDueAt: '2027-06-15T21:59:59.000Z',
        onlyExistingApplicants: false,
      });
      // Years 1–3 keep their real calendar: nothing moved year 3's window.
      expect(calls[2]).toMatchObject({
        submissionOpensAt: '2024-04-21T22:00:00.000Z',
        submissionClosesAt: '2024-05-06T10:00:00.000Z',
        finalReportDueAt: '2025-10-15T21:59:59.000Z',
      });
      expect(await t.dataSource.query(`SELECT 1 FROM audit_event WHERE entity_type = 'call' AND entity_id = '3'`)).toEqual([]);
      const audit = await t.dataSource.query(`SELECT actor_label, action FROM audit_event WHERE entity_type = 'call' AND entity_id = '4' ORDER BY id`);
      expect(audit).toEqual([
        { actor_label: 'An Beheerder (ABB) <beheerder@abb.demo>', action: 'created' },
        { actor_label: 'An Beheerder (ABB) <beheerder@abb.demo>', action: 'settings-updated' },
        { actor_label: 'An Beheerder (ABB) <beheerder@abb.demo>', action: 'published' },
      ]);
    });

    it('gives years 1–3 complete history: approved applications, a published allocation, released payments and accepted reports', async () => {
      const years = await t.dataSource.query(
        `SELECT c.year_number,
                (SELECT count(*)::int FROM application a WHERE a.call_id = c.id AND a.status = 'goedgekeurd') AS approved,
                (SELECT count(*)::int FROM allocation_run r WHERE r.call_id = c.id AND r.published_at IS NOT NULL) AS published_runs,
                (SELECT count(*)::int FROM payment p JOIN allocation_run r ON r.id = p.run_id WHERE r.call_id = c.id AND p.released_at IS NULL) AS unreleased,
                (SELECT count(*)::int FROM payment p JOIN allocation_run r ON r.id = p.run_id WHERE r.call_id = c.id) AS payments,
                (SELECT count(*)::int FROM kpi_report k JOIN application a ON a.id = k.application_id WHERE a.call_id = c.id AND k.status = 'accepted') AS accepted_reports,
                (SELECT count(*)::int FROM kpi_report k JOIN application a ON a.id = k.application_id
                  WHERE a.call_id = c.id AND a.status = 'goedgekeurd' AND k.kind = 'final' AND k.status = 'accepted') AS final_reports,
                (SELECT count(*)::int FROM settlement s JOIN application a ON a.id = s.application_id WHERE a.call_id = c.id) AS settlements,
                (SELECT to_char(published_at AT TIME ZONE 'Europe/Brussels', 'YYYY-MM-DD HH24:MI') FROM allocation_run r WHERE r.call_id = c.id AND r.published_at IS NOT NULL) AS published_at,
                (SELECT max(released_at) FROM payment p JOIN allocation_run r ON r.id = p.run_id WHERE r.call_id = c.id) AS last_release
           FROM call c ORDER BY c.year_number`,
      );
      for (const year of years.slice(0, 3)) {
        expect(year.approved).toBeGreaterThan(40);
        expect(year.published_runs).toBe(1);
        expect(year.payments).toBeGreaterThanOrEqual(year.approved);
        expect(year.unreleased).toBe(0);
        expect(year.accepted_reports).toBeGreaterThanOrEqual(year.approved);
        // Settled on what each final report said, every one of them.
        expect(year.final_reports).toBeGreaterThan(40);
        expect(year.settlements).toBe(year.final_reports);
        expect(year.last_release.getTime()).toBeLessThan(clock.now().getTime());
      }
      // Published on the decision dates, as it went (year 3's decision day was not published: the generator decides 60 days after the window).
      expect(years.slice(0, 3).map((y: { published_at: string }) => y.published_at)).toEqual(['2022-09-23 10:00', '2023-09-22 10:00', '2024-07-05 12:00']);
      expect(years[3]).toMatchObject({ approved: 0, published_runs: 0, payments: 0 });
      // Every money step by two different demo ABB people.
      const proposals = await t.dataSource.query(`SELECT DISTINCT kind, proposed_by_label, decided_by_label FROM money_proposal ORDER BY kind`);
      expect(proposals).toEqual([
        {
          kind: 'publish-allocation',
          proposed_by_label: 'Bart Beoordelaar (ABB) <beoordelaar@abb.demo>',
          decided_by_label: 'An Beheerder (ABB) <beheerder@abb.demo>',
        },
        {
          kind: 'release-payments',
          proposed_by_label: 'Bart Beoordelaar (ABB) <beoordelaar@abb.demo>',
          decided_by_label: 'An Beheerder (ABB) <beheerder@abb.demo>',
        },
      ]);
    });

    it('registers the demo applicants in year 4, one cooperation led by a merged municipality', async () => {
      const rows = await t.dataSource.query(
        `SELECT a.name_nl, lg.nis_code, lg.valid_from FROM applicant a JOIN call c ON c.id = a.call_id
           JOIN applicant_member m ON m.applicant_id = a.id JOIN local_government lg ON lg.id = m.local_government_id
          WHERE c.year_number = 4 ORDER BY a.id, lg.nis_code`,
      );
      const waasland = rows.filter((r: { name_nl: string }) => r.name_nl === 'Samenwerkingsverband Waasland');
      expect(waasland.map((r: { nis_code: string }) => r.nis_code)).toEqual(['46021', '46025', '46030']);
      // Antwerpen as it is since it absorbed Borsbeek.
      expect(rows.find((r: { name_nl: string }) => r.name_nl === 'Stad Antwerpen')).toMatchObject({ nis_code: '11002' });
      expect(
        rows
          .filter((r: { valid_from: unknown }) => r.valid_from !== null)
          .map((r: { nis_code: string }) => r.nis_code)
          .sort(),
      ).toEqual(['11002', '46030']);
    });

    it("shows the Gent officer year 4 to start and years 1–3's money as it went, dated then", async () => {
      const gent = await signIn(t, 'medewerker@gent.demo');
      const tasks = (await gent.get('/taken').expect(200)).text.replace(/<[^>]+>/g, ' ').replace(/\s+/g, ' ');
      expect(tasks).toContain('Stad Gent: nog geen aanvraag voor Projectjaar 4 (2026-2027)');
      expect(tasks).toContain('Verdeling gepubliceerd op 23 september 2022');
      expect(tasks).not.toContain('2026 10:');
      expect(tasks).not.toContain('volgt na het eindrapport');
      // The notices of years 1–3 arrived then and were read then: nothing unread, nothing dated today.
      const token = await bearerFor(t, 'medewerker@gent.demo');
      const { unread, messages } = (await request(t.http).get('/api/v1/messages').set('Authorization', `Bearer ${token}`).expect(200)).body;
      expect(unread).toBe(0);
      expect(messages.map((m: { subject: string }) => m.subject)).toEqual(
        expect.arrayContaining([expect.stringMatching(/^Verdeling gepubliceerd: /), expect.stringMatching(/^Afrekening: /)]),
      );
      expect(messages.length).toBeGreaterThanOrEqual(6);
      expect(messages.every((m: { createdAt: string }) => m.createdAt < '2026-01-01')).toBe(true);
    });

    it('shows real-looking figures on the public /cijfers page on a fresh start', async () => {
      const page = await request(t.http).get('/cijfers').expect(200);
      const granted = [...page.text.matchAll(/toegekend €\s*([\d.]+),(\d\d)/g)].map((m) => Number(m[1].replace(/\./g, '') + m[2]));
      expect(granted).toHaveLength(7);
      // Every objective got money in years 1–3; together about the three years' budgets (€ 14.1 M + € 16.9 M + € 17.0 M).
      expect(Math.min(...granted)).toBeGreaterThan(0);
      expect(granted.reduce((a, b) => a + b, 0)).toBeGreaterThan(40_000_000_00);
      expect(granted.reduce((a, b) => a + b, 0)).toBeLessThanOrEqual(48_007_139_00);
    });

    it('lets a newcomer fill in the contact details, fill in the action table and submit', async () => {
      const gent = await signIn(t, 'medewerker@gent.demo');
      const [{ id: applicantId }] = await t.dataSource.query(`SELECT id FROM applicant WHERE name_nl = 'Stad Gent'`);
      const applicant = await gent.get(`/aanvragers/${applicantId}`).expect(200);
      const contact = { contactName: 'Griet Peeters', contactEmail: 'griet@gent.demo', contactPhone: '09 266 55 00', payoutIban: DEMO_USUAL_IBAN_GENT };
      await gent
        .post(`/aanvragers/${applicantId}/contact`)
        .type('form')
        .send({ _csrf: csrfFrom(applicant.text), version: versionIn(applicant.text), ...contact })
        .expect(303);

      const opened = await gent
        .post(`/aanvragers/${applicantId}/aanvraag`)
        .type('form')
        .send({ _csrf: csrfFrom(applicant.text) })
        .expect(303);
      const form = await gent.get(opened.headers.location).expect(200);
      const [first] = [...form.text.matchAll(/name="(planned-\d+)"/g)].map((m) => m[1]);
      await gent
        .post(opened.headers.location)
        .type('form')
        .send({ _csrf: csrfFrom(form.text), version: versionIn(form.text), [first]: '1', 'priority-2': '1' })
        .expect(303);
      const saved = await gent.get(opened.headers.location).expect(200);
      await gent
        .post(`${opened.headers.location}/indienen`)
        .type('form')
        .send({ _csrf: csrfFrom(saved.text), version: versionIn(saved.text) })
        .expect(303);
      expect((await gent.get(opened.headers.location).expect(200)).text).toContain('De aanvraag is ingediend.');
    });

    it('changes nothing when the platform starts again (a restart tells the story once)', async () => {
      const tables = ['call', 'audit_event', 'applicant', 'application', 'allocation_run', 'payment', 'money_proposal', 'kpi_report'];
      const before = await snapshot(t.dataSource, tables);
      await t.app.get(DemoStoryService).tell();
      await t.app.get(SetupService).loadDemoData();
      expect(await snapshot(t.dataSource, tables)).toEqual(before);
    });
  });

  it('offers local-government ids in /local-governments, also for VGC and De Rand, which have no NIS code', async () => {
    const [gent] = await t.dataSource.query(`SELECT id FROM local_government WHERE nis_code = '44021'`);
    expect((await request(t.http).get('/api/v1/local-governments/44021').expect(200)).body).toMatchObject({ id: gent.id, nameNl: 'Gent' });
    // a page at a time: 287 in two pages of at most 200
    const first = (await request(t.http).get('/api/v1/local-governments?pageSize=200').expect(200)).body;
    const all = [...first.items, ...(await request(t.http).get('/api/v1/local-governments?pageSize=200&page=2').expect(200)).body.items];
    expect(first.pages).toBe(2);
    // The list holds the local governments valid today (after the mergers of 2025); an earlier date gives the others.
    const rows: { id: number; kind: string }[] = await t.dataSource.query(
      `SELECT id, kind FROM local_government WHERE valid_until IS NULL OR valid_until >= (now() AT TIME ZONE 'Europe/Brussels')::date ORDER BY id`,
    );
    expect(all.map((lg: { id: number }) => lg.id).sort((a: number, b: number) => a - b)).toEqual(rows.map((r) => r.id));
    expect(all.filter((lg: { nisCode: string | null }) => lg.nisCode === null).map((lg: { id: number; kind: string }) => [lg.kind, typeof lg.id])).toEqual(
      expect.arrayContaining([
        ['vgc', 'number'],
        ['de-rand', 'number'],
      ]),
    );
  });

  it('says "Deze projectindiener…" when an applicant changed meanwhile', async () => {
    const lier = await signIn(t, 'medewerker@lier.demo');
    const [{ id }] = await t.dataSource.query(`SELECT id FROM applicant WHERE name_nl = 'Samenwerkingsverband Lier-Duffel-Berlaar'`);
    const page = await lier.get(`/aanvragers/${id}`).expect(200);
    const contact = {
      _csrf: csrfFrom(page.text),
      version: versionIn(page.text),
      contactName: 'Lode Peeters',
      contactEmail: 'lode@lier.demo',
      contactPhone: '03 800 05 00',
      payoutIban: DEMO_USUAL_IBAN_GENT,
    };
    await lier.post(`/aanvragers/${id}/contact`).type('form').send(contact).expect(303);
    const stale = await lier
      .post(`/aanvragers/${id}/contact`)
      .type('form')
      .send({ ...contact, contactName: 'Oud' })
      .expect(409);
    expect(stale.text).toContain('Deze projectindiener is intussen door iemand anders gewijzigd.');
    expect(stale.text).not.toContain('Deze aanvraag is intussen');
  });
});

describe('outside demo mode', () => {
  const clock = new FixedClock(new Date('2026-03-25T10:00:00Z'));
  let t: TestApp;
  beforeAll(async () => (t = await startTestApp({ clock, env: { DEMO_DATA: 'false' } })));
  afterAll(() => t.close());

  it('keeps the reference window of the current call', async () => {
    const current = (await request(t.http).get('/api/v1/calls/3').expect(200)).body;
    expect(current.submissionOpensAt).toBe('2024-04-21T22:00:00.000Z');
    expect(current.submissionClosesAt).toBe('2024-05-06T10:00:00.000Z');
  });
});

describe('npm test provides the browser itself', () => {
  // eslint-disable-next-line @typescript-eslint/no-require-imports -- a plain CommonJS script, run by npm's pretest
  const { plan } = require('../support/ensure-chromium.js') as { plan: (facts: Record<string, unknown>) => string };
  const missing = { path: '/usr/bin/chromium', explicitPath: false, exists: false, hasAptGet: true, isRoot: false, sudoWithoutPassword: false };

  it('runs ensure-chromium before the tests, and still passes its arguments to jest', () => {
    const { scripts } = JSON.parse(readFileSync('package.json', 'utf8'));
    expect(scripts.pretest).toBe('node test/support/ensure-chromium.js');
    expect(scripts.test).toBe('NODE_OPTIONS=--experimental-vm-modules jest');
  });

  it("installs Debian's chromium when missing and allowed, and otherwise stops instead of skipping", () => {
    expect(plan({ ...missing, exists: true })).toBe('ready');
    expect(plan({ ...missing, isRoot: true })).toBe('install');
    expect(plan({ ...missing, sudoWithoutPassword: true })).toBe('sudo-install');
    expect(plan(missing)).toBe('explain');
    expect(plan({ ...missing, isRoot: true, hasAptGet: false })).toBe('explain');
    expect(plan({ ...missing, isRoot: true, explicitPath: true, path: '/opt/chromium' })).toBe('explain');
  });

  it('stops with a clear message when CHROMIUM_PATH points nowhere, and passes when it points at a browser', () => {
    const refused = spawnSync('node', ['test/support/ensure-chromium.js'], { env: { ...process.env, CHROMIUM_PATH: '/nergens/chromium' }, encoding: 'utf8' });
    expect(refused.status).toBe(1);
    expect(refused.stderr).toContain('The browser tests need Chromium, and there is none at /nergens/chromium (CHROMIUM_PATH).');
    expect(refused.stderr).toContain('sudo apt-get install -y chromium');
    const ready = spawnSync('node', ['test/support/ensure-chromium.js'], { env: { ...process.env, CHROMIUM_PATH: process.execPath }, encoding: 'utf8' });
    expect(ready.status).toBe(0);
  });
});
