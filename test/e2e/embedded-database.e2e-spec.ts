import { DataSource } from 'typeorm';
import { migrations } from '@ps/database';
import { startTestApp, TestApp } from '../support/test-app';

describe('the database connection', () => {
  let t: TestApp;
  beforeAll(async () => (t = await startTestApp()));
  afterAll(() => t.close());

  it('keeps concurrent transactions apart (one session per transaction, also on PGlite)', async () => {
    const runs = Array.from({ length: 8 }, (_, i) =>
      t.dataSource.transaction(async (manager) => {
        await manager.query(`UPDATE call SET version = version + 1 WHERE year_number = 1`);
        await new Promise((resolve) => setTimeout(resolve, 5));
        if (i % 2 === 1) throw new Error('roll back');
      }),
    );
    const results = await Promise.allSettled(runs);
    expect(results.filter((r) => r.status === 'fulfilled')).toHaveLength(4);
    const [call] = await t.dataSource.query(`SELECT version FROM call WHERE year_number = 1`);
    expect(call.version).toBe(1 + 4);
  });

  it('reports affected rows of UPDATE and DELETE as TypeORM expects', async () => {
    const result = await (t.dataSource as DataSource).createQueryBuilder().update('call').set({ version: () => 'version' }).where('year_number > 1').execute();
    expect(result.affected).toBe(2);
  });

  it('ran the migrations and never synchronises', async () => {
    const ran = await t.dataSource.query(`SELECT name FROM schema_migrations ORDER BY id`);
    expect(ran.map((m: { name: string }) => m.name)).toEqual(migrations.map((m) => m.name));
    expect(t.dataSource.options.synchronize).toBe(false);
  });
});
