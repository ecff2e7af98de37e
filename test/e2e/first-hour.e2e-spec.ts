import { spawnSync } from 'node:child_process';
import { readFileSync } from 'node:fs';
import request from 'supertest';
import { FixedClock } from '@ps/kernel';
import { DEMO_USUAL_IBAN_GENT, SetupService } from '@ps/setup';
import { csrfFrom, signIn } from '../support/sessions';
import { snapshot, startTestApp, TestApp } from '../support/test-app';

const versionIn = (html: string) => /name="version" value="(\d+)"/.exec(html)![1];

describe("a new user's first hour: the demo window, local-government ids, plain messages", () => {
  // 25 March 2026: the week before lies in winter time (UTC+1), the deadline in summer time (UTC+2).
  const clock = new FixedClock(new Date('2026-03-25T10:00:00Z'));
  let t: TestApp;
  beforeAll(async () => (t = await startTestApp({ clock })));
  afterAll(() => t.close());

  describe('demo data opens a submission window around today', () => {
    it('opens the current call a week ago at midnight and closes it in four weeks at 23:59:59, Brussels time, audited', async () => {
      const calls = (await request(t.http).get('/api/v1/calls').expect(200)).body;
      const current = calls.at(-1);
      expect(current.yearNumber).toBe(3);
      expect(current.submissionOpensAt).toBe('2026-03-17T23:00:00.000Z');
      expect(current.submissionClosesAt).toBe('2026-04-22T21:59:59.000Z');
      expect(calls[1].submissionClosesAt).toBe('2023-07-10T10:00:00.000Z');
      const audit = await t.dataSource.query(`SELECT actor_label, action, before, after FROM audit_event WHERE entity_type = 'call' AND entity_id = '3'`);
      expect(audit).toEqual([
        {
          actor_label: 'systeem',
          action: 'demo-window-opened',
          before: { submissionOpensAt: '2024-04-21T22:00:00.000Z', submissionClosesAt: '2024-05-06T10:00:00.000Z' },
          after: { opensAt: '2026-03-17T23:00:00.000Z', closesAt: '2026-04-22T21:59:59.000Z' },
        },
      ]);
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

    it('leaves an open window alone when the demo data loads again (a restart)', async () => {
      const before = await snapshot(t.dataSource, ['call', 'audit_event']);
      await t.app.get(SetupService).loadDemoData();
      expect(await snapshot(t.dataSource, ['call', 'audit_event'])).toEqual(before);
    });
  });

  it('offers local-government ids in /local-governments, also for VGC and De Rand, which have no NIS code', async () => {
    const [gent] = await t.dataSource.query(`SELECT id FROM local_government WHERE nis_code = '44021'`);
    expect((await request(t.http).get('/api/v1/local-governments/44021').expect(200)).body).toMatchObject({ id: gent.id, nameNl: 'Gent' });
    const all = (await request(t.http).get('/api/v1/local-governments').expect(200)).body;
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
    expect(await t.dataSource.query(`SELECT 1 FROM audit_event WHERE action = 'demo-window-opened'`)).toEqual([]);
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
