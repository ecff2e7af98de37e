import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { INestApplicationContext } from '@nestjs/common';
import { NestFactory } from '@nestjs/core';
import { getDataSourceToken } from '@nestjs/typeorm';
import { DataSource } from 'typeorm';
import { loadConfig } from '@ps/config';
import { migrations } from '@ps/database';
import { verifyPassword } from '@ps/identity';
import { CliModule } from '../../apps/cli/src/cli.module';
import { COMMANDS } from '../../apps/cli/src/commands';
import { createTestDatabase, TestDatabase } from '../support/test-database';

describe('operator commands (CLI)', () => {
  let database: TestDatabase;
  let app: INestApplicationContext;
  let dataSource: DataSource;
  const output: string[] = [];
  const run = (command: string, ...args: string[]) => COMMANDS[command].run(app, args, (line) => output.push(line));
  const dir = mkdtempSync(join(tmpdir(), 'ps-cli-'));

  beforeAll(async () => {
    database = await createTestDatabase();
    const config = loadConfig({ NODE_ENV: 'test', LOG_LEVEL: 'error', MIGRATIONS_RUN: 'false', ...database.env });
    app = await NestFactory.createApplicationContext(CliModule.forRoot(config), { logger: ['error'] });
    dataSource = app.get<DataSource>(getDataSourceToken());
  });
  afterAll(async () => {
    await app.close();
    await database.drop();
  });

  it('migrates an empty database, and says so when it is up to date', async () => {
    await run('migrate');
    await run('migrate');
    expect(output.splice(0)).toEqual([`Ran ${migrations.map((m) => m.name).join(', ')}.`, 'Database is up to date.']);
  });

  it('loads reference data without demo data', async () => {
    await run('seed reference');
    expect(output.splice(0)).toEqual(['Reference data loaded.']);
    const [{ count }] = await dataSource.query(`SELECT count(*) AS count FROM local_government`);
    expect(Number(count)).toBe(302);
    expect(await dataSource.query(`SELECT * FROM origin_statistic`)).toEqual([]);
    expect(await dataSource.query(`SELECT * FROM app_user`)).toEqual([]);
  });

  it('creates the first administrator with the given password, audited as the CLI', async () => {
    process.env.ADMIN_PASSWORD = 'een sterk eerste wachtwoord';
    try {
      await run('create-admin', 'eerste@abb.vlaanderen.be', 'Eerste', 'Beheerder');
    } finally {
      delete process.env.ADMIN_PASSWORD;
    }
    expect(output.splice(0)).toEqual([expect.stringMatching(/^Created ABB administrator eerste@abb\.vlaanderen\.be \(id \d+\)\.$/)]);
    const [user] = await dataSource.query(`SELECT id, role, active, password_hash FROM app_user`);
    expect(user).toMatchObject({ role: 'abb-administrator', active: true });
    expect(await verifyPassword(user.password_hash, 'een sterk eerste wachtwoord')).toBe(true);
    const [audit] = await dataSource.query(`SELECT actor_label, action FROM audit_event WHERE entity_type = 'user' AND entity_id = $1`, [String(user.id)]);
    expect(audit).toEqual({ actor_label: expect.stringMatching(/^cli \(/), action: 'created' });
    await expect(run('create-admin', 'EERSTE@abb.vlaanderen.be', 'Dubbel')).rejects.toMatchObject({ code: 'conflict' });
  });

  it('imports statistics from a file, and refuses a malformed file with line numbers, importing nothing', async () => {
    const good = join(dir, 'good.csv');
    writeFileSync(good, 'nis_code,reference_year,origin_definition,residents\n44021,2022,niet-EU-14,40123\n11002,2022,niet-EU-14,151234\n');
    await run('import statistics', good);
    expect(output.splice(0)).toEqual([`2 regels geïmporteerd uit ${good}.`]);

    const bad = join(dir, 'bad.csv');
    writeFileSync(bad, 'nis_code,reference_year,origin_definition,residents\n12021,2022,niet-EU-14,900\n1234,2022,niet-EU-14,5\n');
    await expect(run('import statistics', bad)).rejects.toThrow(/regel 3: NIS-code "1234" moet uit 5 cijfers bestaan/);
    const rows = await dataSource.query(`SELECT count(*) AS count FROM origin_statistic`);
    expect(Number(rows[0].count)).toBe(2);
  });
});
