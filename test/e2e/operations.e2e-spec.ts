import { createServer } from 'node:net';
import { Writable } from 'node:stream';
import { Client } from 'pg';
import request from 'supertest';
import { ReportReminders } from '@ps/reporting';
import { DEMO_PASSWORD } from '@ps/setup';
import { SESSION_COOKIE } from '../../apps/platform/src/auth/configure-auth';
import { bearerFor, csrfFrom, signIn, userId } from '../support/sessions';
import { startTestApp, TestApp } from '../support/test-app';

const ON_SERVER = !!process.env.DATABASE_URL;
const METRICS_TOKEN = 'metrics-token-for-the-operations-test-0123456789';
const UUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/;

type Line = Record<string, unknown>;

/** Collects the platform's log lines (one JSON object each). */
class LogLines extends Writable {
  text = '';

  override _write(chunk: Buffer, _encoding: string, done: () => void): void {
    this.text += chunk.toString();
    done();
  }

  get lines(): Line[] {
    return this.text
      .split('\n')
      .filter((line) => line !== '')
      .map((line) => JSON.parse(line) as Line);
  }

  /** The request line of the request with this id (the log line is written once the answer is sent: wait for it). */
  async requestLine(requestId: string): Promise<Line> {
    for (let i = 0; i < 50; i++) {
      const line = this.lines.find((l) => l.requestId === requestId && (l.msg === 'request completed' || l.msg === 'request failed'));
      if (line) return line;
      await new Promise((resolve) => setTimeout(resolve, 20));
    }
    throw new Error(`no log line for request ${requestId}`);
  }
}

/** A port nothing listens on now. */
async function freePort(): Promise<number> {
  const server = createServer();
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const { port } = server.address() as { port: number };
  await new Promise((resolve) => server.close(resolve));
  return port;
}

/** The samples of a metric family in Prometheus' text format, as "name{labels} value" lines. */
const samples = (text: string, family: string) => text.split('\n').filter((line) => line.startsWith(`${family}{`) || line.startsWith(`${family} `));

describe('operations: request logs', () => {
  let t: TestApp;
  const log = new LogLines();

  beforeAll(async () => {
    t = await startTestApp({ logStream: log, env: { LOG_LEVEL: 'log' } });
  });
  afterAll(() => t.close());

  it('logs one JSON line per request: its id (also in X-Request-Id), method, route pattern, status, duration, user id and role', async () => {
    const token = await bearerFor(t, 'medewerker@gent.demo');
    const [applicant] = (await request(t.http).get('/api/v1/applicants').set('Authorization', `Bearer ${token}`).expect(200)).body.items;
    const res = await request(t.http).get(`/api/v1/applicants/${applicant.id}?with=details`).set('Authorization', `Bearer ${token}`).expect(200);
    const requestId = res.headers['x-request-id'];
    expect(requestId).toMatch(UUID);
    const line = await log.requestLine(requestId);
    expect(line).toMatchObject({
      level: 'info',
      msg: 'request completed',
      requestId,
      method: 'GET',
      route: '/api/v1/applicants/:id',
      status: 200,
      userId: await userId(t.dataSource, 'medewerker@gent.demo'),
      role: 'municipal-officer',
    });
    expect(typeof line.durationMs).toBe('number');
    expect(line.durationMs).toBeGreaterThanOrEqual(0);
    expect(line.time).toMatch(/^\d{4}-\d\d-\d\dT\d\d:\d\d:\d\d\.\d{3}Z$/);
    expect(JSON.stringify(line)).not.toContain(String(applicant.id) + '?');
    expect(Object.keys(line).sort()).toEqual([
      'durationMs',
      'hostname',
      'level',
      'method',
      'msg',
      'pid',
      'requestId',
      'role',
      'route',
      'status',
      'time',
      'userId',
    ]);
  });

  it('answers 404 at /metrics when neither METRICS_TOKEN nor METRICS_PORT is set', async () => {
    await request(t.http).get('/metrics').expect(404);
    await request(t.http).get('/metrics').set('Authorization', `Bearer ${METRICS_TOKEN}`).expect(404);
  });

  it("takes Nest's own lines through pino at LOG_LEVEL, the route mapping at debug", () => {
    expect(log.lines).toContainEqual(expect.objectContaining({ level: 'info', context: 'Startup', msg: expect.stringMatching(/^Database: /) }));
    expect(log.lines.filter((line) => line.context === 'RouterExplorer' || line.context === 'RoutesResolver')).toEqual([]);
  });

  it('names a request no route took "unmatched", without its address, and an anonymous one without user', async () => {
    const res = await request(t.http).get('/api/v1/nothing-here/123?secret=abc').expect(404);
    const line = await log.requestLine(res.headers['x-request-id']);
    expect(line).toMatchObject({ route: 'unmatched', status: 404, userId: null, role: null });
    expect(JSON.stringify(line)).not.toMatch(/nothing-here|secret/);
  });

  it('ignores an incoming X-Request-Id when the platform trusts no proxy', async () => {
    const res = await request(t.http).get('/health').set('X-Request-Id', 'from-the-client-1234').expect(200);
    expect(res.headers['x-request-id']).toMatch(UUID);
    expect((await log.requestLine(res.headers['x-request-id'])).route).toBe('/health');
    expect(log.text).not.toContain('from-the-client-1234');
  });

  it('logs an unexpected error with its stack and request id, but not the statement parameters (personal data)', async () => {
    const token = await bearerFor(t, 'medewerker@gent.demo');
    const [applicant] = (await request(t.http).get('/api/v1/applicants').set('Authorization', `Bearer ${token}`).expect(200)).body.items;
    const { version } = (await request(t.http).get(`/api/v1/applicants/${applicant.id}`).set('Authorization', `Bearer ${token}`).expect(200)).body;
    // A real failure of the database, not a mock: the table the audit trail writes to is gone for a moment.
    await t.dataSource.query(`ALTER TABLE audit_event RENAME TO audit_event_away`);
    let res: request.Response;
    try {
      res = await request(t.http)
        .put(`/api/v1/applicants/${applicant.id}/contact`)
        .set('Authorization', `Bearer ${token}`)
        .send({ contactName: 'Oona Onfortuinlijk', contactEmail: 'oona@kapot.demo', contactPhone: '09 266 55 01', payoutIban: 'BE71 0961 2345 6769', version });
    } finally {
      await t.dataSource.query(`ALTER TABLE audit_event_away RENAME TO audit_event`);
    }
    expect(res.status).toBe(500);
    const requestId = res.headers['x-request-id'];
    const requestLine = await log.requestLine(requestId);
    expect(requestLine).toMatchObject({ level: 'error', status: 500, route: '/api/v1/applicants/:id/contact', method: 'PUT' });
    const error = log.lines.find((l) => l.requestId === requestId && l.msg === 'unexpected error')!;
    expect(error).toMatchObject({ level: 'error', route: '/api/v1/applicants/:id/contact', err: { type: 'QueryFailedError' } });
    expect((error.err as { stack: string }).stack).toMatch(/audit_event[\s\S]*\n\s+at /);
    for (const personal of ['Oona', 'oona@kapot.demo', '266 55 01', '+3292665501', 'BE71', '0961']) expect(log.text).not.toContain(personal);
  });

  it('leaves no password, e-mail address, name, phone number, IBAN, token, cookie or query string in the log', async () => {
    const secrets: string[] = [DEMO_PASSWORD, 'medewerker@gent.demo', 'Griet'];
    // A sign-in with a password (the form), then the session's cookie on a page.
    const agent = await signIn(t, 'medewerker@gent.demo');
    const page = await agent.get('/account').expect(200);
    secrets.push(csrfFrom(page.text));
    const [cookie] = (await request(t.http).get('/aanmelden').expect(200)).headers['set-cookie'] as unknown as string[];
    secrets.push(decodeURIComponent(cookie.split(';')[0].slice(SESSION_COOKIE.length + 1)));
    // A failed sign-in: its address and password.
    const form = await request.agent(t.http).get('/aanmelden').expect(200);
    await request(t.http)
      .post('/aanmelden')
      .set('Cookie', form.headers['set-cookie'] as unknown as string[])
      .type('form')
      .send({ _csrf: csrfFrom(form.text), email: 'nobody@geheim.demo', password: 'Geheim-wachtwoord-42' });
    secrets.push('nobody@geheim.demo', 'Geheim-wachtwoord-42');
    // Five wrong passwords lock an account: logged in the sign-in request, with its id, without the address.
    let lastAttempt = '';
    for (let attempt = 1; attempt <= 5; attempt++) {
      const lockForm = await request(t.http).get('/aanmelden').expect(200);
      const res = await request(t.http)
        .post('/aanmelden')
        .set('Cookie', lockForm.headers['set-cookie'] as unknown as string[])
        .type('form')
        .send({ _csrf: csrfFrom(lockForm.text), email: 'medewerker@lier.demo', password: `Fout-wachtwoord-${attempt}` });
      lastAttempt = res.headers['x-request-id'];
    }
    await log.requestLine(lastAttempt);
    const lierId = await userId(t.dataSource, 'medewerker@lier.demo');
    expect(log.lines).toContainEqual(
      expect.objectContaining({
        level: 'warn',
        context: 'Authentication',
        requestId: lastAttempt,
        msg: expect.stringContaining(`login of user ${lierId} locked until`),
      }),
    );
    secrets.push('medewerker@lier.demo', 'Fout-wachtwoord-');
    // A bearer token, and a contact save with a name, an address, a phone number and an IBAN.
    const token = await bearerFor(t, 'medewerker@gent.demo');
    secrets.push(token, token.slice(0, 12));
    await request(t.http).get('/api/v1/applicants?token=querysecret123').set('Authorization', `Bearer ${token}`).expect(422);
    secrets.push('querysecret123');
    const [applicant] = (await request(t.http).get('/api/v1/applicants').set('Authorization', `Bearer ${token}`).expect(200)).body.items;
    const { version } = (await request(t.http).get(`/api/v1/applicants/${applicant.id}`).set('Authorization', `Bearer ${token}`).expect(200)).body;
    const contact = {
      contactName: 'Zita Zorgvuldig',
      contactEmail: 'zita@prive.demo',
      contactPhone: '09 266 55 77',
      payoutIban: 'BE68 5390 0754 7034',
      version,
    };
    await request(t.http).put(`/api/v1/applicants/${applicant.id}/contact`).set('Authorization', `Bearer ${token}`).send(contact).expect(200);
    secrets.push('Zita', 'zita@', '266 55 77', '+3292665577', 'BE68', '5390 0754', '539007547034');
    // A refused token and a wrong one in a reset link.
    await request(t.http).get('/api/v1/applicants').set('Authorization', 'Bearer ps_not-a-real-token-0987').expect(401);
    await request(t.http).get('/wachtwoord-herstellen?token=ps_reset_linksecret').expect(200);
    secrets.push('ps_not-a-real-token-0987', 'linksecret');

    await log.requestLine((await request(t.http).get('/health')).headers['x-request-id']);
    expect(log.lines.filter((l) => l.msg === 'request completed').length).toBeGreaterThanOrEqual(10);
    for (const secret of secrets) expect({ secret, found: log.text.includes(secret) }).toEqual({ secret, found: false });
    expect(log.text).not.toMatch(/"(url|headers|cookie|authorization|body|query|password|email)"/i);
  });
});

describe('operations: behind a trusted proxy, with a metrics port', () => {
  let t: TestApp;
  let port: number;
  let closed = false;
  const log = new LogLines();

  beforeAll(async () => {
    port = await freePort();
    // COOKIE_SECURE makes the platform trust one proxy hop (configure-auth.ts).
    t = await startTestApp({ logStream: log, env: { LOG_LEVEL: 'log', COOKIE_SECURE: 'true', METRICS_PORT: String(port) } });
  });
  afterAll(() => (closed ? undefined : t.close()));

  it("takes the proxy's X-Request-Id when it is short and plain, and makes one otherwise", async () => {
    const honoured = await request(t.http).get('/health').set('X-Request-Id', 'proxy-7f3a.42:b_c').expect(200);
    expect(honoured.headers['x-request-id']).toBe('proxy-7f3a.42:b_c');
    expect(await log.requestLine('proxy-7f3a.42:b_c')).toMatchObject({ route: '/health', status: 200 });
    for (const bad of ['x'.repeat(129), 'two words', 'quote"d', '<script>']) {
      const res = await request(t.http).get('/health').set('X-Request-Id', bad).expect(200);
      expect(res.headers['x-request-id']).toMatch(UUID);
    }
  });

  it('serves /metrics without a token on METRICS_PORT, on 127.0.0.1 only, and not on PORT', async () => {
    const res = await request(`http://127.0.0.1:${port}`).get('/metrics').expect(200);
    expect(res.text).toContain('# TYPE http_request_duration_seconds histogram');
    expect(res.text).toMatch(/http_request_duration_seconds_count\{method="GET",route="\/health",status_class="2xx"\} [1-9]/);
    await request(`http://127.0.0.1:${port}`).get('/health').expect(404);
    await request(t.http).get('/metrics').expect(404);
    await t.close();
    closed = true;
    await expect(request(`http://127.0.0.1:${port}`).get('/metrics')).rejects.toThrow(/ECONNREFUSED/);
  });
});

describe('operations: metrics and readiness', () => {
  let t: TestApp;

  beforeAll(async () => {
    t = await startTestApp({ env: { METRICS_TOKEN, REMINDERS_ENABLED: 'true' } });
  });
  afterAll(() => t.close());

  describe('with METRICS_TOKEN', () => {
    const scrape = async () => (await request(t.http).get('/metrics').set('Authorization', `Bearer ${METRICS_TOKEN}`).expect(200)).text;

    it('answers 401 without detail for a missing or wrong token, and the metrics with the right one', async () => {
      for (const authorization of [undefined, 'Bearer wrong', `Bearer ${METRICS_TOKEN}x`, `Basic ${METRICS_TOKEN}`]) {
        const req = request(t.http).get('/metrics');
        const res = await (authorization ? req.set('Authorization', authorization) : req).expect(401);
        expect(res.text).toBe('');
        expect(res.headers['www-authenticate']).toBe('Bearer');
      }
      const res = await request(t.http).get('/metrics').set('Authorization', `Bearer ${METRICS_TOKEN}`).expect(200);
      expect(res.headers['content-type']).toMatch(/^text\/plain; (charset=utf-8; )?version=0\.0\.4/);
      expect(res.headers['cache-control']).toBe('no-store');
    });

    it('has every family after some traffic: requests per route and status class, pool, event loop, heap, jobs, outbox', async () => {
      const token = await bearerFor(t, 'beoordelaar@abb.demo');
      await request(t.http).get('/api/v1/applications').set('Authorization', `Bearer ${token}`).expect(200);
      await request(t.http).get('/api/v1/applications').expect(401);
      await request(t.http).get('/nergens').expect(404);
      await t.app.get(ReportReminders).daily();
      const outboxBefore = Number((await t.dataSource.query(`SELECT count(*) AS n FROM mail_outbox WHERE created_at > now() - interval '24 hours'`))[0].n);
      const form = await request.agent(t.http).get('/wachtwoord-vergeten').expect(200);
      await request(t.http)
        .post('/wachtwoord-vergeten')
        .set('Cookie', form.headers['set-cookie'] as unknown as string[])
        .type('form')
        .send({ _csrf: csrfFrom(form.text), email: 'medewerker@lier.demo' })
        .expect(200);

      const text = await scrape();
      const requests = samples(text, 'http_request_duration_seconds_count');
      expect(requests).toContainEqual(
        expect.stringMatching(/^http_request_duration_seconds_count\{method="GET",route="\/api\/v1\/applications",status_class="2xx"\} 1$/),
      );
      expect(requests).toContainEqual(expect.stringMatching(/route="\/api\/v1\/applications",status_class="4xx"\} 1$/));
      expect(requests).toContainEqual(expect.stringMatching(/route="unmatched",status_class="4xx"\} \d+$/));
      expect(requests.join('\n')).not.toContain('nergens');
      expect(samples(text, 'http_request_duration_seconds_bucket').length).toBeGreaterThan(10);

      const database = ON_SERVER ? 'server' : 'embedded';
      expect(samples(text, 'db_pool_connections')).toContainEqual(
        expect.stringMatching(new RegExp(`^db_pool_connections\\{database="${database}",state="total"\\} [1-9]`)),
      );
      expect(samples(text, 'db_pool_connections')).toContainEqual(
        expect.stringMatching(new RegExp(`^db_pool_connections\\{database="${database}",state="idle"\\} \\d+$`)),
      );
      expect(samples(text, 'db_pool_waiting')).toEqual([`db_pool_waiting{database="${database}"} 0`]);
      if (!ON_SERVER) {
        expect(samples(text, 'db_queue_acquisitions_total')).toEqual([expect.stringMatching(/^db_queue_acquisitions_total [1-9]\d*$/)]);
        expect(samples(text, 'db_queue_wait_seconds_total')).toEqual([expect.stringMatching(/^db_queue_wait_seconds_total \d/)]);
      }
      expect(samples(text, 'nodejs_eventloop_lag_seconds')).toHaveLength(1);
      expect(samples(text, 'nodejs_heap_size_used_bytes')).toHaveLength(1);
      // Without SMTP_URL the mail delivery never runs (mail only reaches the outbox).
      expect(samples(text, 'scheduled_job_runs_total')).toEqual([
        'scheduled_job_runs_total{job="report-reminders"} 1',
        'scheduled_job_runs_total{job="mail-delivery"} 0',
      ]);
      expect(samples(text, 'scheduled_job_failures_total')).toEqual([
        'scheduled_job_failures_total{job="report-reminders"} 0',
        'scheduled_job_failures_total{job="mail-delivery"} 0',
      ]);
      expect(samples(text, 'mail_outbox_waiting')).toEqual(['mail_outbox_waiting 0']);
      expect(samples(text, 'scheduled_job_last_success_timestamp_seconds')).toEqual([
        expect.stringMatching(/^scheduled_job_last_success_timestamp_seconds\{job="report-reminders"\} 1\d{9}/),
      ]);
      expect(samples(text, 'mail_outbox_messages')).toEqual([`mail_outbox_messages{created_within="24h"} ${outboxBefore + 1}`]);
      for (const family of ['http_request_duration_seconds', 'db_pool_connections', 'db_pool_waiting', 'scheduled_job_runs_total', 'mail_outbox_messages']) {
        expect(text).toContain(`# TYPE ${family} `);
      }
    });
  });

  describe('readiness', () => {
    it('is ready when the database answers and every migration ran; /health stays the liveness check', async () => {
      expect((await request(t.http).get('/ready').expect(200)).body).toEqual({ status: 'ready' });
      expect((await request(t.http).get('/health').expect(200)).text).toContain('"database":"up"');
    });

    it('answers 503, in Dutch and English, while a migration is pending', async () => {
      const [last] = await t.dataSource.query(`SELECT id, timestamp, name FROM schema_migrations ORDER BY id DESC LIMIT 1`);
      await t.dataSource.query(`DELETE FROM schema_migrations WHERE id = $1`, [last.id]);
      try {
        const res = await request(t.http).get('/ready').expect(503);
        expect(res.body).toEqual({
          status: 'not-ready',
          reason: 'migrations-pending',
          nl: '1 migratie(s) van de databank moeten nog lopen.',
          en: '1 database migration(s) have not run yet.',
        });
      } finally {
        await t.dataSource.query(`INSERT INTO schema_migrations (id, timestamp, name) VALUES ($1, $2, $3)`, [last.id, last.timestamp, last.name]);
      }
      await request(t.http).get('/ready').expect(200);
    });

    it('answers 503 when the database does not answer within its short timeout, and 200 again once it does', async () => {
      // A transaction holds the migrations table (on the embedded database: its one connection) until released.
      let release!: () => void;
      const held = new Promise<void>((resolve) => (release = resolve));
      let transaction!: Promise<void>;
      await new Promise<void>((locked) => {
        transaction = t.dataSource.transaction(async (manager) => {
          await manager.query('LOCK TABLE schema_migrations IN ACCESS EXCLUSIVE MODE');
          locked();
          await held;
        });
      });
      try {
        const res = await request(t.http).get('/ready').expect(503);
        expect(res.body).toMatchObject({ status: 'not-ready', reason: 'database-down' });
      } finally {
        release();
        await transaction;
      }
      await request(t.http).get('/ready').expect(200);
    });

    it('answers 503 while the database is down, counts the failed job run, and still serves the metrics', async () => {
      const scrape = async () => (await request(t.http).get('/metrics').set('Authorization', `Bearer ${METRICS_TOKEN}`).expect(200)).text;
      const down = { status: 'not-ready', reason: 'database-down', nl: 'De databank antwoordt niet.', en: 'The database does not answer.' };
      if (ON_SERVER) {
        // The server refuses this database's connections, as during a restart.
        const name = new URL(t.config.DATABASE_URL!).pathname.slice(1);
        const admin = new Client({ connectionString: process.env.DATABASE_URL });
        await admin.connect();
        try {
          await admin.query(`ALTER DATABASE "${name}" ALLOW_CONNECTIONS false`);
          await admin.query(`SELECT pg_terminate_backend(pid) FROM pg_stat_activity WHERE datname = $1`, [name]);
          expect((await request(t.http).get('/ready').expect(503)).body).toEqual(down);
          await t.app.get(ReportReminders).daily();
          const text = await scrape();
          expect(samples(text, 'scheduled_job_failures_total')).toEqual([
            'scheduled_job_failures_total{job="report-reminders"} 1',
            'scheduled_job_failures_total{job="mail-delivery"} 0',
          ]);
          expect(samples(text, 'mail_outbox_messages')).toEqual([]);
        } finally {
          await admin.query(`ALTER DATABASE "${name}" ALLOW_CONNECTIONS true`);
          await admin.end();
        }
        await request(t.http).get('/ready').expect(200);
      } else {
        // The embedded database is the process's own: it goes down with its data source, for good.
        await t.dataSource.destroy();
        expect((await request(t.http).get('/ready').expect(503)).body).toEqual(down);
        await t.app.get(ReportReminders).daily();
        const text = await scrape();
        expect(samples(text, 'scheduled_job_failures_total')).toEqual([
          'scheduled_job_failures_total{job="report-reminders"} 1',
          'scheduled_job_failures_total{job="mail-delivery"} 0',
        ]);
        expect(samples(text, 'mail_outbox_messages')).toEqual([]);
        expect(samples(text, 'db_pool_connections')).toEqual([]);
      }
      // The run of the metrics test above, and this failed one.
      expect(samples(await scrape(), 'scheduled_job_runs_total')).toEqual([
        'scheduled_job_runs_total{job="report-reminders"} 2',
        'scheduled_job_runs_total{job="mail-delivery"} 0',
      ]);
    });
  });
});
