import { spawnSync } from 'node:child_process';
import { randomBytes } from 'node:crypto';
import { join } from 'node:path';
import { INestApplicationContext } from '@nestjs/common';
import { NestFactory } from '@nestjs/core';
import { getDataSourceToken } from '@nestjs/typeorm';
import { Client } from 'pg';
import request from 'supertest';
import { DataSource } from 'typeorm';
import { loadConfig } from '@ps/config';
import { migrations } from '@ps/database';
import { CliModule } from '../../apps/cli/src/cli.module';
import { COMMANDS } from '../../apps/cli/src/commands';
import { bearerFor, signIn } from '../support/sessions';
import { snapshot, startTestApp, TestApp } from '../support/test-app';
import { createTestDatabase, TestDatabase } from '../support/test-database';

const server = process.env.DATABASE_URL;

describe('database roles: configuration', () => {
  it('refuses an owner connection for migrations without DATABASE_URL: the embedded database has one role', () => {
    expect(() => loadConfig({ MIGRATIONS_DATABASE_URL: 'postgres://owner@127.0.0.1:5432/plan' })).toThrow(
      'Invalid configuration: MIGRATIONS_DATABASE_URL needs DATABASE_URL: the embedded database has one role',
    );
    expect(() => loadConfig({ DATABASE_URL: 'postgres://app@127.0.0.1:5432/plan', MIGRATIONS_DATABASE_URL: 'owner@127.0.0.1' })).toThrow(
      'Invalid configuration: MIGRATIONS_DATABASE_URL must look like postgres://owner@host:5432/database',
    );
  });
});

// Each database gets the checks that apply to it; nothing is skipped.
if (!server)
  describe('database roles on the embedded database', () => {
    it('grant-app-role refuses, with one line: there is only one role', () => {
      const run = spawnSync(
        process.execPath,
        ['-r', 'ts-node/register/transpile-only', '-r', 'tsconfig-paths/register', 'apps/cli/src/main.ts', 'grant-app-role', 'plan_app'],
        {
          cwd: join(__dirname, '..', '..'),
          env: { PATH: process.env.PATH ?? '', TS_NODE_PROJECT: 'tsconfig.json', DATA_DIR: 'memory', LOG_LEVEL: 'error' },
          encoding: 'utf8',
          timeout: 90_000,
        },
      );
      expect(run.stderr.trim().split('\n')).toEqual(['grant-app-role needs DATABASE_URL: the embedded database has one role']);
      expect(run.status).toBe(2);
    });
  });

if (server)
  describe('the platform role on PostgreSQL: owns nothing, may only SELECT and INSERT the audit trail', () => {
    const role = `ps_app_${randomBytes(4).toString('hex')}`;
    let database: TestDatabase;
    let ownerUrl: string;
    let appUrl: string;
    let t: TestApp;
    const superuser = async <T>(work: (client: Client) => Promise<T>) => {
      const client = new Client({ connectionString: server });
      await client.connect();
      try {
        return await work(client);
      } finally {
        await client.end();
      }
    };
    const asApp = async <T>(work: (client: Client) => Promise<T>) => {
      const client = new Client({ connectionString: appUrl });
      await client.connect();
      try {
        return await work(client);
      } finally {
        await client.end();
      }
    };

    beforeAll(async () => {
      database = await createTestDatabase();
      ownerUrl = database.env.DATABASE_URL;
      await superuser((client) => client.query(`CREATE ROLE ${role} LOGIN PASSWORD 'alleen-voor-de-test'`));
      const url = new URL(ownerUrl);
      url.username = role;
      url.password = 'alleen-voor-de-test';
      appUrl = url.toString();
      // Migrations as the owner, then reference and demo data and every request as the platform's role.
      t = await startTestApp({ env: { DATABASE_URL: appUrl, MIGRATIONS_DATABASE_URL: ownerUrl } });
    });
    afterAll(async () => {
      await t?.close();
      await database.drop();
      await superuser(async (client) => {
        await client.query(`DROP ROLE IF EXISTS ${role}`);
        await client.query(`DROP ROLE IF EXISTS ${role}_b`); // its grants went with the database
      });
    });

    it('migrates as the owner and runs as the role, which owns nothing', async () => {
      expect(await t.dataSource.query(`SELECT current_user AS user`)).toEqual([{ user: role }]);
      const ran = await t.dataSource.query(`SELECT name FROM schema_migrations ORDER BY id`);
      expect(ran.map((m: { name: string }) => m.name)).toEqual(migrations.map((m) => m.name));
      const owned = await t.dataSource.query(`SELECT relname FROM pg_class WHERE relowner = (SELECT oid FROM pg_roles WHERE rolname = $1)`, [role]);
      expect(owned).toEqual([]);
    });

    it('runs the normal flows as the role: sign-in, an API token, opening an application, all audited', async () => {
      const agent = await signIn(t, 'medewerker@gent.demo');
      await agent.get('/account').expect(200);
      const before = (await t.dataSource.query(`SELECT count(*)::int AS n FROM audit_event`))[0].n;
      const [{ id: applicantId }] = await t.dataSource.query(`SELECT id FROM applicant WHERE name_nl = 'Stad Gent'`);
      const secret = await bearerFor(t, 'medewerker@gent.demo');
      await request(t.http).post(`/api/v1/applicants/${applicantId}/application`).set('Authorization', `Bearer ${secret}`).expect(201);
      expect((await t.dataSource.query(`SELECT count(*)::int AS n FROM audit_event`))[0].n).toBeGreaterThan(before);
    });

    it('may SELECT and INSERT the audit trail, and nothing else on it; cannot change the schema', async () => {
      const denied = async (sql: string) => {
        const error = await asApp((client) => client.query(sql)).then(
          () => undefined,
          (e: { code?: string; message: string }) => e,
        );
        expect({ sql, code: error?.code, message: error?.message }).toEqual({
          sql,
          code: '42501',
          message: expect.stringMatching(/^(permission denied|must be owner)/),
        });
      };
      const before = await snapshot(t.dataSource, ['audit_event', 'schema_migrations']);
      await denied(`UPDATE audit_event SET action = 'gewist'`);
      await denied(`DELETE FROM audit_event`);
      await denied(`TRUNCATE audit_event`);
      await denied(`DROP TABLE call`);
      await denied(`ALTER TABLE app_user ADD COLUMN extra integer`);
      await denied(`CREATE TABLE extra (id integer)`);
      await denied(`DELETE FROM schema_migrations`);
      expect(await snapshot(t.dataSource, ['audit_event', 'schema_migrations'])).toEqual(before);

      await asApp(async (client) => {
        await client.query(`INSERT INTO audit_event (actor_label, entity_type, entity_id, action) VALUES ('test', 'test', '1', 'created')`);
        const { rows } = await client.query(`SELECT action FROM audit_event WHERE entity_type = 'test'`);
        expect(rows).toEqual([{ action: 'created' }]);
      });
    });

    it('grants a new role the same least privileges with `cli grant-app-role`, run as the owner; refuses a bad role name', async () => {
      const other = `${role}_b`;
      await superuser((client) => client.query(`CREATE ROLE ${other}`));
      const config = loadConfig({ NODE_ENV: 'test', LOG_LEVEL: 'error', MIGRATIONS_RUN: 'false', DATABASE_URL: appUrl, MIGRATIONS_DATABASE_URL: ownerUrl });
      const app: INestApplicationContext = await NestFactory.createApplicationContext(CliModule.forRoot(config), { logger: ['error'] });
      const output: string[] = [];
      try {
        await expect(COMMANDS['grant-app-role'].run(app, ['Robert"; DROP TABLE call; --'], (line) => output.push(line))).rejects.toThrow(/is not a role name/);
        await COMMANDS['grant-app-role'].run(app, [other], (line) => output.push(line));
        expect(output).toEqual([
          `Granted ${other} SELECT, INSERT, UPDATE, DELETE on the tables; only SELECT, INSERT on audit_event, payment, settlement, decision_letter.`,
        ]);
        const privileges = await app.get<DataSource>(getDataSourceToken()).query(
          `SELECT t AS table, string_agg(p, ',' ORDER BY p) AS privileges
         FROM unnest(ARRAY['application', 'audit_event', 'schema_migrations']) AS t, unnest(ARRAY['DELETE', 'INSERT', 'SELECT', 'TRUNCATE', 'UPDATE']) AS p
         WHERE has_table_privilege($1, t, p) GROUP BY t ORDER BY t`,
          [other],
        );
        expect(privileges).toEqual([
          { table: 'application', privileges: 'DELETE,INSERT,SELECT,UPDATE' },
          { table: 'audit_event', privileges: 'INSERT,SELECT' },
          { table: 'schema_migrations', privileges: 'SELECT' },
        ]);
      } finally {
        await app.close();
      }
    });
  });
