import { Client } from 'pg';
import request from 'supertest';
import { bearerFor } from '../support/sessions';
import { startTestApp, TestApp } from '../support/test-app';

const ON_SERVER = !!process.env.DATABASE_URL;

/**
 * While the database server cannot be reached (restart, failover), requests get 503 with Retry-After, not 500, and the
 * platform answers normally again once it is back, without a restart. test/faults/pg-restart.js restarts a real
 * PostgreSQL under a rush of saves; these are the quick regression tests.
 */
describe('an unreachable database', () => {
  let t: TestApp;
  let reviewer: string;

  beforeAll(async () => {
    t = await startTestApp();
    reviewer = await bearerFor(t, 'beoordelaar@abb.demo');
  });
  afterAll(() => t.close());

  it('answers 503 with Retry-After when the connection is lost under a request, and serves the next one', async () => {
    const lost = jest.spyOn(t.dataSource, 'createQueryRunner').mockImplementationOnce(() => {
      throw new Error('Connection terminated unexpectedly');
    });
    try {
      const res = await request(t.http).get('/api/v1/applications').set('Authorization', `Bearer ${reviewer}`).expect(503);
      expect(res.headers['retry-after']).toBe('5');
      expect(res.body).toMatchObject({ statusCode: 503, code: 'unavailable' });
    } finally {
      lost.mockRestore();
    }
    await request(t.http).get('/api/v1/applications').set('Authorization', `Bearer ${reviewer}`).expect(200);
  });

  it('shows pages a Dutch 503 page with Retry-After', async () => {
    const refused = jest.spyOn(t.dataSource, 'createQueryRunner').mockImplementation(() => {
      throw Object.assign(new Error('connect ECONNREFUSED 127.0.0.1:5432'), { code: 'ECONNREFUSED' });
    });
    try {
      const res = await request(t.http).get('/cijfers').expect(503);
      expect(res.headers['retry-after']).toBe('5');
      expect(res.text).toContain('lang="nl"');
    } finally {
      refused.mockRestore();
    }
  });

  // Only a server can be closed to connections; the embedded database is the process's own.
  if (ON_SERVER)
    it('answers 503 while the database refuses connections and recovers without a restart', async () => {
      const name = new URL(t.config.DATABASE_URL!).pathname.slice(1);
      const admin = new Client({ connectionString: process.env.DATABASE_URL });
      await admin.connect();
      try {
        await admin.query(`ALTER DATABASE "${name}" ALLOW_CONNECTIONS false`);
        await admin.query(`SELECT pg_terminate_backend(pid) FROM pg_stat_activity WHERE datname = $1`, [name]);
        const res = await request(t.http).get('/api/v1/applications').set('Authorization', `Bearer ${reviewer}`).expect(503);
        expect(res.headers['retry-after']).toBe('5');
        expect(res.body.code).toBe('unavailable');
      } finally {
        await admin.query(`ALTER DATABASE "${name}" ALLOW_CONNECTIONS true`);
        await admin.end();
      }
      await request(t.http).get('/api/v1/applications').set('Authorization', `Bearer ${reviewer}`).expect(200);
    });
});
