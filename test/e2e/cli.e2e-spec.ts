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
    // The 300 municipalities of 2020, VGC and vzw De Rand, and the 13 successors of the mergers of 2025.
    const [{ count }] = await dataSource.query(`SELECT count(*) AS count FROM local_government`);
    expect(Number(count)).toBe(315);
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

  it('applies a merger table, all lines or none, audited, and names the derived figure an imported one replaces', async () => {
    const header = 'effective_date,old_nis_code,old_name_nl,new_nis_code,new_name_nl,new_arrondissement_nl,new_province_nl';
    const bad = join(dir, 'bad-mergers.csv');
    writeFileSync(bad, `${header}\n2031-01-01,44021,Gent,44090,Gent,Gent,Oost-Vlaanderen\n2031-01-01,12021,Lierre,44090,Gent,Gent,Oost-Vlaanderen\n`);
    const before = await dataSource.query(`SELECT id, valid_until, successor_id FROM local_government ORDER BY id`);
    await expect(run('import mergers', bad)).rejects.toThrow(/regel 3: NIS-code 12021 is Lier, niet "Lierre"/);
    expect(await dataSource.query(`SELECT id, valid_until, successor_id FROM local_government ORDER BY id`)).toEqual(before);

    const good = join(dir, 'mergers.csv');
    writeFileSync(good, `${header}\n2031-01-01,44021,Gent,44090,Gent,Gent,Oost-Vlaanderen\n2031-01-01,44019,Evergem,44090,Gent,Gent,Oost-Vlaanderen\n`);
    await run('import mergers', good);
    expect(output.splice(0)).toEqual(['44090 Gent vanaf 2031-01-01: 44021 Gent, 44019 Evergem.', `1 fusie(s) verwerkt uit ${good}.`]);
    const [gent] = await dataSource.query(`SELECT id FROM local_government WHERE nis_code = '44090'`);
    expect(
      await dataSource.query(`SELECT nis_code, to_char(valid_until, 'YYYY-MM-DD') AS until FROM local_government WHERE successor_id = $1 ORDER BY nis_code`, [
        gent.id,
      ]),
    ).toEqual([
      { nis_code: '44019', until: '2030-12-31' },
      { nis_code: '44021', until: '2030-12-31' },
    ]);
    const [audit] = await dataSource.query(`SELECT actor_label, action FROM audit_event WHERE entity_type = 'local-government' AND entity_id = $1`, [
      String(gent.id),
    ]);
    expect(audit).toEqual({ actor_label: expect.stringMatching(/^cli \(/), action: 'merged' });
    // Applied again: nothing left to do.
    await run('import mergers', good);
    expect(output.splice(0)).toEqual([`0 fusie(s) verwerkt uit ${good}.`]);

    // Statistics of 2022 for both predecessors give the successor a derived figure; its own figure replaces it, and the import says so.
    const statistics = join(dir, 'statistics-2022.csv');
    writeFileSync(statistics, 'nis_code,reference_year,origin_definition,residents\n44019,2022,niet-EU-14,1000\n');
    await run('import statistics', statistics);
    expect(output.splice(0)).toEqual([`1 regels geïmporteerd uit ${statistics}.`]);
    const own = join(dir, 'statistics-successor.csv');
    writeFileSync(own, 'nis_code,reference_year,origin_definition,residents\n44090,2022,niet-EU-14,41500\n');
    await run('import statistics', own);
    expect(output.splice(0)).toEqual([
      'Afgeleid cijfer vervangen: 44090 Gent 2022 niet-EU-14: 41.123 = Evergem 1.000 + Gent 40.123.',
      `1 regels geïmporteerd uit ${own}.`,
    ]);
  });
});
