import request from 'supertest';
import { FixedClock } from '@ps/kernel';
import { bearerFor, csrfFrom, signIn, userId } from '../support/sessions';
import { snapshot, startTestApp, TestApp } from '../support/test-app';

const TABLES = ['application', 'application_line', 'application_action', 'audit_event', 'idempotent_answer'];
const GENT = 'medewerker@gent.demo';

/** Issue 15: idempotent retries of a draft save, and cached API tokens that are still refused at once. */
describe('the deadline rush: idempotent saves and cached tokens', () => {
  const clock = new FixedClock(new Date('2024-04-30T10:00:00Z'));
  let t: TestApp;
  let gent: string;
  let admin: string;
  let applicationId: number;
  let line: number;
  const as = (token: string) => ({ Authorization: `Bearer ${token}` });
  const saves = async () =>
    Number(
      (
        await t.dataSource.query(
          `SELECT count(*) AS n FROM audit_event WHERE entity_type = 'application' AND entity_id = $1::text AND action = 'draft-saved'`,
          [applicationId],
        )
      )[0].n,
    );
  const current = async () => (await request(t.http).get(`/api/v1/applications/${applicationId}`).set(as(gent)).expect(200)).body;
  const draft = (version: number, planned: number) => ({ version, lines: [{ kpiLineId: line, plannedReach: planned, currentReach: 0 }], priorities: [] });
  const put = (body: object, key?: string) => {
    const req = request(t.http).put(`/api/v1/applications/${applicationId}`).set(as(gent));
    return (key === undefined ? req : req.set('Idempotency-Key', key)).send(body);
  };

  beforeAll(async () => {
    t = await startTestApp({ clock });
    [gent, admin] = await Promise.all([GENT, 'beheerder@abb.demo'].map((e) => bearerFor(t, e, 365)));
    const [{ id: applicantId }] = await t.dataSource.query(`SELECT id FROM applicant WHERE name_nl = 'Stad Gent'`);
    const started = (await request(t.http).post(`/api/v1/applicants/${applicantId}/application`).set(as(gent)).expect(201)).body;
    applicationId = started.id;
    line = started.lines.find((l: { actionNumber: number; position: number }) => l.actionNumber === 5 && l.position === 1).id;
  });
  afterAll(() => t.close());

  describe('idempotent retries', () => {
    it('answers a retried save with the same key with the first answer, not a 409, and saves once', async () => {
      const { version } = await current();
      const before = await saves();
      const first = await put(draft(version, 11), 'retry-key-0001').expect(200);
      expect(first.body.version).toBe(version + 1);

      // The officer's connection dropped before the answer arrived: the page sends the same form again.
      const retry = await put(draft(version, 11), 'retry-key-0001').expect(200);

      expect(retry.body).toEqual(first.body);
      expect((await current()).version).toBe(version + 1);
      expect(await saves()).toBe(before + 1);
      // Without the key the same retry is stale, as before.
      await put(draft(version, 11)).expect(409);
    });

    it('answers two requests with the same key at once with one save', async () => {
      const { version } = await current();
      const before = await saves();
      const answers = await Promise.all([put(draft(version, 12), 'both-at-once-1'), put(draft(version, 12), 'both-at-once-1')]);
      expect(answers.map((a) => a.status)).toEqual([200, 200]);
      expect(answers[0].body.version).toBe(version + 1);
      expect(answers[1].body).toEqual(answers[0].body);
      expect(await saves()).toBe(before + 1);
    });

    it('still answers the first answer after the draft moved on', async () => {
      const { version } = await current();
      const first = await put(draft(version, 13), 'moved-on-key-1').expect(200);
      await put(draft(first.body.version, 14), 'moved-on-key-2').expect(200);
      const retry = await put(draft(version, 13), 'moved-on-key-1').expect(200);
      expect(retry.body.version).toBe(version + 1);
      expect((await current()).version).toBe(version + 2);
    });

    it.each([
      ['another request with a used key', 'retry-key-0001', 'Deze idempotentiesleutel werd al gebruikt voor een ander verzoek'],
      ['a key that is too short', 'kort', 'De idempotentiesleutel is 8 tot 100 tekens'],
      ['a key with other characters', 'sleutel met spaties; DROP', 'De idempotentiesleutel is 8 tot 100 tekens'],
      ['a key that is too long', 'x'.repeat(101), 'De idempotentiesleutel is 8 tot 100 tekens'],
    ])('refuses %s per field and changes nothing', async (_, key, message) => {
      const { version } = await current();
      const before = await snapshot(t.dataSource, TABLES);
      const res = await put(draft(version, 99), key).expect(422);
      expect(res.body.errors.idempotencyKey[0]).toContain(message);
      expect(await snapshot(t.dataSource, TABLES)).toEqual(before);
    });

    it('keeps no answer for a save that changed nothing, and none for a refused one', async () => {
      const { version, lines } = await current();
      const planned = lines.find((l: { id: number }) => l.id === line).plannedReach;
      const before = await snapshot(t.dataSource, TABLES);
      await put(draft(version, planned), 'unchanged-key-1').expect(200);
      await put(draft(version, -1), 'refused-key-001').expect(422);
      expect(await snapshot(t.dataSource, TABLES)).toEqual(before);
    });

    it('saves a form sent twice (a retry after a timeout) once: the page gives every form its own key', async () => {
      const agent = await signIn(t, GENT);
      const page = (await agent.get(`/aanvragen/${applicationId}`).expect(200)).text;
      const key = /name="idempotencyKey" value="([^"]+)"/.exec(page)![1];
      const version = /name="version" value="(\d+)"/.exec(page)![1];
      const before = await saves();
      const form = { _csrf: csrfFrom(page), version, idempotencyKey: key, [`planned-${line}`]: '21', [`current-${line}`]: '0' };
      for (let i = 0; i < 2; i++) {
        const res = await agent.post(`/aanvragen/${applicationId}`).type('form').send(form).expect(303);
        expect(res.headers.location).toBe(`/aanvragen/${applicationId}`);
      }
      expect(await saves()).toBe(before + 1);
      expect((await current()).version).toBe(Number(version) + 1);
      // The next rendering of the form has a new key.
      expect((await agent.get(`/aanvragen/${applicationId}`).expect(200)).text).not.toContain(key);
    });
  });

  describe('cached API tokens', () => {
    async function aToken(email = GENT) {
      const secret = await bearerFor(t, email, 30);
      const [{ id }] = await t.dataSource.query(`SELECT id FROM api_token WHERE user_id = $1 ORDER BY id DESC LIMIT 1`, [await userId(t.dataSource, email)]);
      return { secret, id };
    }

    it('refuses a revoked token at once, although it was cached', async () => {
      const token = await aToken();
      for (let i = 0; i < 3; i++) await request(t.http).get('/api/v1/me').set(as(token.secret)).expect(200);
      await request(t.http).delete(`/api/v1/tokens/${token.id}`).set(as(token.secret)).expect(200);
      await request(t.http).get('/api/v1/me').set(as(token.secret)).expect(401);
    });

    it("applies a user's new role and deactivation to their cached tokens at once", async () => {
      const email = 'cache.test@abb.demo';
      const created = (
        await request(t.http)
          .post('/api/v1/users')
          .set(as(admin))
          .send({ email, displayName: 'Cache Test', role: 'abb-reviewer', localGovernmentId: null })
          .expect(201)
      ).body;
      const token = await aToken(email);
      expect((await request(t.http).get('/api/v1/me').set(as(token.secret)).expect(200)).body.role).toBe('abb-reviewer');
      const promoted = (
        await request(t.http)
          .patch(`/api/v1/users/${created.id}`)
          .set(as(admin))
          .send({ displayName: 'Cache Test', role: 'abb-administrator', localGovernmentId: null, active: true, version: created.version })
          .expect(200)
      ).body;
      expect((await request(t.http).get('/api/v1/me').set(as(token.secret)).expect(200)).body.role).toBe('abb-administrator');
      await request(t.http)
        .patch(`/api/v1/users/${created.id}`)
        .set(as(admin))
        .send({ displayName: 'Cache Test', role: 'abb-administrator', localGovernmentId: null, active: false, version: promoted.version })
        .expect(200);
      await request(t.http).get('/api/v1/me').set(as(token.secret)).expect(401);
    });

    it('forgets a token revoked by another process (a replica, the CLI) through the database notification', async () => {
      const token = await aToken();
      await request(t.http).get('/api/v1/me').set(as(token.secret)).expect(200);
      // Straight in the database, as another process would: this process learns it only from the trigger's notification.
      await t.dataSource.query(`UPDATE api_token SET revoked_at = now() WHERE id = $1`, [token.id]);
      let status = 200;
      for (let waited = 0; waited < 2_000 && status === 200; waited += 20) {
        await new Promise((resolve) => setTimeout(resolve, 20));
        status = (await request(t.http).get('/api/v1/me').set(as(token.secret))).status;
      }
      expect(status).toBe(401);
    });
  });
});
