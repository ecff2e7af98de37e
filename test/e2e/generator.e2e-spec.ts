import { INestApplicationContext } from '@nestjs/common';
import { NestFactory } from '@nestjs/core';
import { getDataSourceToken } from '@nestjs/typeorm';
import { DataSource } from 'typeorm';
import { loadConfig } from '@ps/config';
import { CliModule } from '../../apps/cli/src/cli.module';
import { COMMANDS } from '../../apps/cli/src/commands';
import { createTestDatabase, TestDatabase } from '../support/test-database';

describe('data generator (CLI generate)', () => {
  let database: TestDatabase;
  let app: INestApplicationContext;
  let dataSource: DataSource;
  const output: string[] = [];
  const run = (...args: string[]) => COMMANDS.generate.run(app, args, (line) => output.push(line));
  const count = async (sql: string) => Number((await dataSource.query(sql))[0].count);
  const fingerprintOf = (lines: string[]) => /^Fingerprint: ([0-9a-f]{32})$/.exec(lines.at(-1)!)![1];

  beforeAll(async () => {
    database = await createTestDatabase();
    const config = loadConfig({ NODE_ENV: 'test', LOG_LEVEL: 'error', ...database.env });
    app = await NestFactory.createApplicationContext(CliModule.forRoot(config), { logger: ['error'] });
    dataSource = app.get<DataSource>(getDataSourceToken());
  });
  afterAll(async () => {
    await app.close();
    await database.drop();
  });

  let first: string;

  it('generates 1×: 147 local governments in 59 applicants in each of 3 project years, reviewed, with KPI reports', async () => {
    await run('--scale', '1', '--seed', '20260101');
    const lines = output.splice(0);
    expect(lines[0]).toMatch(
      /^Generated scale 1 with seed 20260101 in [\d.]+ s: 3 project years, 59 applicants and 147 local governments per year \(0 synthetic\)\.$/,
    );
    first = fingerprintOf(lines);

    const perYear = await dataSource.query(
      `SELECT c.year_number, count(DISTINCT a.id)::int AS applicants, count(DISTINCT m.local_government_id)::int AS local_governments
         FROM call c JOIN applicant a ON a.call_id = c.id JOIN applicant_member m ON m.applicant_id = a.id AND m.state = 'member'
        GROUP BY c.year_number ORDER BY c.year_number`,
    );
    expect(perYear).toEqual([1, 2, 3].map((year) => ({ year_number: year, applicants: 59, local_governments: 147 })));
    expect(await count(`SELECT count(*) FROM application`)).toBe(3 * 59);
    expect(await count(`SELECT count(DISTINCT kind) FROM applicant`)).toBe(4);

    const statuses = await dataSource.query(`SELECT status, count(*)::int AS n FROM application GROUP BY status`);
    const approved = statuses.find((s: { status: string }) => s.status === 'goedgekeurd').n;
    expect(approved).toBeGreaterThan(0.8 * 3 * 59);
    expect(statuses.every((s: { status: string }) => ['goedgekeurd', 'afgewezen', 'terug-naar-aanvrager'].includes(s.status))).toBe(true);

    // Every approved application has confirmed KPI lines with amounts from the catalogue's unit amounts, and priorities 1..n.
    expect(
      await count(`SELECT count(*) FROM application ap WHERE ap.status = 'goedgekeurd'
                    AND NOT EXISTS (SELECT 1 FROM application_line l WHERE l.application_id = ap.id AND l.confirmed_quantity > 0)`),
    ).toBe(0);
    expect(
      await count(`SELECT count(*) FROM application_line l JOIN kpi_line k ON k.id = l.kpi_line_id
                    WHERE l.contribution_cents <> l.planned_reach * k.unit_amount_cents OR l.planned_reach > k.max_quantity
                       OR l.confirmed_contribution_cents <> l.confirmed_quantity * k.unit_amount_cents OR l.confirmed_quantity > l.planned_reach`),
    ).toBe(0);
    expect(
      await count(`SELECT count(*) FROM (SELECT application_id FROM application_action GROUP BY application_id
                    HAVING min(priority) <> 1 OR max(priority) <> count(*)) x`),
    ).toBe(0);

    // Accepted interim and final reports, a line per confirmed KPI line, realised quantities filled in.
    const reports = await dataSource.query(`SELECT kind, status, count(*)::int AS n FROM kpi_report GROUP BY kind, status ORDER BY kind`);
    expect(reports.map((r: { kind: string; status: string }) => `${r.kind} ${r.status}`)).toEqual(['final accepted', 'interim accepted']);
    expect(
      await count(`SELECT count(*) FROM kpi_report r JOIN application_line l ON l.application_id = r.application_id AND l.confirmed_quantity > 0
                    LEFT JOIN kpi_report_line rl ON rl.report_id = r.id AND rl.kpi_line_id = l.kpi_line_id WHERE rl.realised_quantity IS NULL`),
    ).toBe(0);
    expect(
      await count(
        `SELECT count(*) FROM kpi_report WHERE status = 'accepted' AND application_id NOT IN (SELECT id FROM application WHERE status = 'goedgekeurd')`,
      ),
    ).toBe(0);

    // New rows after the generated ones get the next ids.
    const [{ next }] = await dataSource.query(`SELECT nextval(pg_get_serial_sequence('application', 'id'))::int AS next`);
    expect(next).toBe(3 * 59 + 1);
  });

  it('refuses a database that already holds applications, unless --force', async () => {
    await expect(run('--seed', '20260101')).rejects.toThrow(/already holds 177 applications.*--force/);
    expect(output.splice(0)).toEqual([]);
  });

  it('gives identical data for the same seed, other data for another seed', async () => {
    await run('--seed', '20260101', '--force');
    expect(fingerprintOf(output.splice(0))).toBe(first);
    await run('--seed', '7', '--force');
    expect(fingerprintOf(output.splice(0))).not.toBe(first);
  });

  it('at 2×: twice as many applicants and local governments, the extra ones synthetic in the real provinces and regions', async () => {
    await run('--scale', '2', '--force');
    expect(output.splice(0)[0]).toMatch(/118 applicants and 294 local governments per year \(147 synthetic\)/);
    const perYear = await dataSource.query(
      `SELECT a.call_id, count(DISTINCT a.id)::int AS applicants, count(DISTINCT m.local_government_id)::int AS local_governments
         FROM applicant a JOIN applicant_member m ON m.applicant_id = a.id GROUP BY a.call_id`,
    );
    expect(perYear.map((row: { applicants: number; local_governments: number }) => [row.applicants, row.local_governments])).toEqual([
      [118, 294],
      [118, 294],
      [118, 294],
    ]);
    const synthetic = await dataSource.query(`SELECT nis_code, name_nl, province_nl FROM local_government WHERE name_nl LIKE '%(fictief 1)'`);
    expect(synthetic).toHaveLength(147);
    expect(synthetic.every((lg: { nis_code: string }) => /^[0-9]{5}$/.test(lg.nis_code) && !/^[12347]/.test(lg.nis_code))).toBe(true);
    const provinces = await dataSource.query(`SELECT DISTINCT province_nl FROM local_government WHERE kind = 'municipality' AND province_nl IS NOT NULL`);
    expect(provinces).toHaveLength(6);
    expect(
      await count(`SELECT count(*) FROM local_government lg WHERE lg.name_nl LIKE '%(fictief 1)' AND lg.arrondissement_nl IS NOT NULL
                    AND NOT EXISTS (SELECT 1 FROM reference_region_member m WHERE m.local_government_id = lg.id)`),
    ).toBe(0);
  });

  it('refuses a scale or seed that is not a whole number in range', async () => {
    await expect(run('--scale', '0')).rejects.toThrow(/--scale must be a whole number from 1 to \d+/);
    await expect(run('--scale', '1.5')).rejects.toThrow(/--scale/);
    await expect(run('--seed', '-3')).rejects.toThrow(/--seed/);
    await expect(run('--bogus')).rejects.toThrow(/unknown option/);
  });
});
