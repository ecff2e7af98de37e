import { spawnSync } from 'node:child_process';
import { join } from 'node:path';
import request from 'supertest';
import { cliActor, UsersService } from '@ps/identity';
import { migrations } from '@ps/database';
import { ImportRejected, OrganisationsService } from '@ps/organisations';
import { bearerFor, signIn } from '../support/sessions';
import { createTestDatabase } from '../support/test-database';
import { snapshot, startTestApp, TestApp } from '../support/test-app';

/** Issue 14: every refusal tells the truth, read from the call's settings and the figures as they are. */
describe('refusals that tell the truth', () => {
  let t: TestApp;
  let abb: string;
  const as = (token: string) => ({ Authorization: `Bearer ${token}` });
  const lg = async (nis: string): Promise<number> => (await t.dataSource.query(`SELECT id FROM local_government WHERE nis_code = $1`, [nis]))[0].id;
  const setResidents = async (nis: string, residents: number) =>
    t.dataSource.query(
      `UPDATE origin_statistic SET residents = $2 WHERE local_government_id = (SELECT id FROM local_government WHERE nis_code = $1) AND reference_year = 2022 AND origin_definition = 'niet-EU-14'`,
      [nis, residents],
    );
  const patchCall = async (year: number, change: object) => {
    const { version } = (await request(t.http).get(`/api/v1/calls/${year}`).expect(200)).body;
    await request(t.http)
      .patch(`/api/v1/calls/${year}`)
      .set(as(abb))
      .send({ version, ...change })
      .expect(200);
  };

  beforeAll(async () => {
    t = await startTestApp();
    abb = await bearerFor(t, 'beheerder@abb.demo');
  });
  afterAll(() => t.close());

  describe('a missing figure is not zero', () => {
    const TABLES = ['applicant', 'applicant_member', 'audit_event'];

    it('says the figure is unknown and what to do, without advice about a region it does not have', async () => {
      const herstappe = await lg('73028');
      await t.dataSource.query(`DELETE FROM origin_statistic WHERE local_government_id = $1`, [herstappe]);
      await t.dataSource.query(`DELETE FROM reference_region_member WHERE local_government_id = $1`, [herstappe]);
      const before = await snapshot(t.dataSource, TABLES);
      const res = await request(t.http).post('/api/v1/applicants').set(as(abb)).send({ year: 2, kind: 'alone', leadLocalGovernmentId: herstappe }).expect(422);
      expect(res.body.errors.memberLocalGovernmentIds).toEqual([
        'Het aantal inwoners van niet-EU-14-herkomst in 2022 is niet gekend voor Herstappe: importeer die statistieken (zie docs/imports.md) of vraag ABB om ze in te laden. Tot dan kan niet beoordeeld worden of de drempel gehaald wordt.',
      ]);
      expect(await snapshot(t.dataSource, TABLES)).toEqual(before);
    });

    it('reads the reference year from the call settings, and names the region in its advice', async () => {
      await patchCall(2, { statisticsReferenceYear: 2019 });
      const res = await request(t.http)
        .post('/api/v1/applicants')
        .set(as(abb))
        .send({ year: 2, kind: 'alone', leadLocalGovernmentId: await lg('12002') })
        .expect(422);
      expect(res.body.errors.memberLocalGovernmentIds).toEqual([
        expect.stringMatching(/^Het aantal inwoners van niet-EU-14-herkomst in 2019 is niet gekend voor Berlaar: /),
      ]);
      await patchCall(2, { statisticsReferenceYear: 2022 });
      const small = await request(t.http)
        .post('/api/v1/applicants')
        .set(as(abb))
        .send({ year: 2, kind: 'alone', leadLocalGovernmentId: await lg('12002') })
        .expect(422);
      expect(small.body.errors.memberLocalGovernmentIds[1]).toMatch(
        /^Dien samen met andere lokale besturen uit de referentieregio \S.* in als samenwerkingsverband\.$/,
      );
    });
  });

  describe('the cooperation stimulus follows its rule, and its refusal reads the call', () => {
    let lier: string;
    let applicationId: number;
    let version: number;
    const askStimulus = () =>
      request(t.http).put(`/api/v1/applications/${applicationId}`).set(as(lier)).send({ version, lines: [], priorities: [], cooperationStimulus: true });

    beforeAll(async () => {
      lier = await bearerFor(t, 'medewerker@lier.demo');
      const [{ id }] = await t.dataSource.query(`SELECT id FROM applicant WHERE name_nl = 'Samenwerkingsverband Lier-Duffel-Berlaar'`);
      const draft = await request(t.http).post(`/api/v1/applicants/${id}/application`).set(as(lier)).expect(201);
      [applicationId, version] = [draft.body.id, draft.body.version];
    });

    it('refuses when a member is not smaller than the lead, naming it', async () => {
      await Promise.all([setResidents('12021', 9000), setResidents('12009', 9500), setResidents('12002', 3000)]);
      const before = await snapshot(t.dataSource, ['application', 'audit_event']);
      const res = await askStimulus().expect(422);
      expect(res.body.errors['cooperation-stimulus']).toEqual([
        'De samenwerkingsstimulans is voor een trekker met meer dan 7.500 inwoners van niet-EU-14-herkomst (2022) die samenwerkt met kleinere lokale besturen uit de referentieregio, ' +
          'of voor een voortzetting die nieuwe lokale besturen aan boord neemt. Niet kleiner dan trekker Lier (9.000): Duffel (9.500).',
      ]);
      expect(await snapshot(t.dataSource, ['application', 'audit_event'])).toEqual(before);
    });

    it("states the call's threshold, not a fixed 7.500", async () => {
      await setResidents('12009', 5000);
      await patchCall(3, { eligibilityThreshold: '9600' });
      const res = await askStimulus().expect(422);
      expect(res.body.errors['cooperation-stimulus'][0]).toMatch(
        /^De samenwerkingsstimulans is voor een trekker met meer dan 9\.600 inwoners .* Trekker Lier heeft er 9\.000\.$/,
      );
      await patchCall(3, { eligibilityThreshold: '7500' });
    });

    it('grants it to a lead above the threshold with only smaller members', async () => {
      const res = await askStimulus().expect(200);
      version = res.body.version;
      expect(res.body.stimuli.cooperation).toBe(true);
      expect(res.body.cooperationStimulusReason).toBe('Trekker Lier heeft 9.000 inwoners van niet-EU-14-herkomst en werkt samen met kleinere lokale besturen.');
    });

    it('counts confirmed members only: an invited larger local government does not take the stimulus away', async () => {
      const mechelen = await lg('12025');
      await t.dataSource.query(
        `INSERT INTO applicant_member (applicant_id, call_id, local_government_id, state)
        SELECT id, call_id, $1, 'invited' FROM applicant WHERE name_nl = 'Samenwerkingsverband Lier-Duffel-Berlaar'`,
        [mechelen],
      );
      await setResidents('12025', 20000);
      version = (await askStimulus().expect(200)).body.version;
    });

    it("shows the call's stimulus amount on the application page, not a fixed € 10.000", async () => {
      await patchCall(3, { cooperationStimulusEuro: '12500' });
      const page = await (await signIn(t, 'medewerker@lier.demo')).get(`/aanvragen/${applicationId}`).expect(200);
      expect(page.text).toMatch(/Samenwerkingsstimulans \(€\s12\.500,00\)/);
      expect(page.text).not.toContain('10.000');
    });

    it('grants it to a continuation that takes a new local government aboard, De Rand included', async () => {
      const [deRand] = await t.dataSource.query(`SELECT a.id, a.lead_local_government_id AS lead FROM applicant a WHERE a.kind = 'de-rand'`);
      const [old] = await t.dataSource.query(
        `INSERT INTO applicant (call_id, kind, name_nl, lead_local_government_id) SELECT id, 'de-rand', 'vzw De Rand (projectjaar 2)', $1 FROM call WHERE year_number = 2 RETURNING id`,
        [deRand.lead],
      );
      await t.dataSource.query(
        `INSERT INTO applicant_member (applicant_id, call_id, local_government_id) SELECT $1, (SELECT id FROM call WHERE year_number = 2), m.local_government_id
        FROM applicant_member m JOIN local_government g ON g.id = m.local_government_id WHERE m.applicant_id = $2 AND (g.nis_code IS NULL OR g.nis_code <> '23098')`,
        [old.id, deRand.id],
      );
      await t.dataSource.query(`UPDATE applicant SET carried_over_from_id = $1 WHERE id = $2`, [old.id, deRand.id]);
      await t.app.get(UsersService).createWithPassword(cliActor(), {
        email: 'medewerker@drogenbos.demo',
        displayName: 'Medewerker Drogenbos',
        role: 'municipal-officer',
        localGovernmentId: await lg('23098'),
        password: 'een lang wachtwoord',
      });
      const officer = await bearerFor(t, 'medewerker@drogenbos.demo');
      const draft = await request(t.http).post(`/api/v1/applicants/${deRand.id}/application`).set(as(officer)).expect(201);
      expect(draft.body.cooperationStimulusAllowed).toBe(true);
      expect(draft.body.cooperationStimulusReason).toMatch(/^Deze voortzetting neemt nieuwe lokale besturen aan boord: /);
      await request(t.http)
        .put(`/api/v1/applications/${draft.body.id}`)
        .set(as(officer))
        .send({ version: draft.body.version, lines: [], priorities: [], cooperationStimulus: true })
        .expect(200);
    });
  });

  describe('imports', () => {
    it('finds a duplicate key however it is written, with its line number, and imports nothing', async () => {
      const before = await snapshot(t.dataSource, ['origin_statistic', 'audit_event']);
      const csv = 'nis_code,reference_year,origin_definition,residents\n44021,2022,niet-EU-14,40123\n44021,02022,niet-EU-14,40124\n';
      const error = await t.app
        .get(OrganisationsService)
        .importStatistics(csv)
        .catch((e: unknown) => e);
      expect(error).toBeInstanceOf(ImportRejected);
      expect((error as ImportRejected).problems).toEqual([
        { line: 3, message: 'dubbel: dezelfde NIS-code, hetzelfde jaar en dezelfde definitie staan al op regel 2' },
      ]);
      expect(await snapshot(t.dataSource, ['origin_statistic', 'audit_event'])).toEqual(before);
    });

    it('refuses what the database would refuse, per line, before writing', async () => {
      const statistics = 'nis_code,reference_year,origin_definition,residents\n44021,2022,niet-EU-14,3000000000\n';
      await expect(t.app.get(OrganisationsService).importStatistics(statistics)).rejects.toMatchObject({
        problems: [{ line: 2, message: 'aantal inwoners "3000000000" moet een geheel getal van 0 tot 2.147.483.647 zijn' }],
      });
      const regions = `nis_code,region_code,region_name_nl\n44021,gent,${'G'.repeat(201)}\n`;
      await expect(t.app.get(OrganisationsService).importRegions(regions)).rejects.toMatchObject({
        problems: [{ line: 2, message: 'regionaam is langer dan 200 tekens' }],
      });
    });
  });
});

describe('cli migrate on a fresh database', () => {
  it('reports the migrations it applied', async () => {
    const database = await createTestDatabase();
    try {
      const run = spawnSync(process.execPath, ['-r', 'ts-node/register/transpile-only', '-r', 'tsconfig-paths/register', 'apps/cli/src/main.ts', 'migrate'], {
        cwd: join(__dirname, '..', '..'),
        env: { PATH: process.env.PATH ?? '', TS_NODE_PROJECT: 'tsconfig.json', NODE_ENV: 'test', LOG_LEVEL: 'error', ...database.env },
        encoding: 'utf8',
        timeout: 120_000,
      });
      expect(run.stderr).toBe('');
      expect(run.stdout.trim()).toBe(`Ran ${migrations.map((m) => m.name).join(', ')}.`);
    } finally {
      await database.drop();
    }
  });
});
