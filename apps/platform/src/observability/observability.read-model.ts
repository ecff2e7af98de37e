import { Injectable } from '@nestjs/common';
import { InjectDataSource } from '@nestjs/typeorm';
import { DataSource } from 'typeorm';

/**
 * The few reads the readiness check and the metrics make. The mail outbox belongs to libs/notifications; it is counted
 * here with one query of our own (issue 27), so the metrics need nothing of that lib.
 */
@Injectable()
export class ObservabilityReadModel {
  constructor(@InjectDataSource() private readonly dataSource: DataSource) {}

  async selectOne(): Promise<void> {
    await this.dataSource.query('SELECT 1');
  }

  /** The names of the migrations the database has run (TypeORM's migrations table). */
  async appliedMigrations(): Promise<string[]> {
    const table = this.dataSource.options.migrationsTableName ?? 'migrations';
    if (!/^[a-z_][a-z0-9_]*$/.test(table)) throw new Error(`unexpected migrations table name ${table}`);
    const rows: { name: string }[] = await this.dataSource.query(`SELECT name FROM ${table}`);
    return rows.map((row) => row.name);
  }

  /** Mails put in the outbox in the last 24 hours. */
  async outboxLastDay(): Promise<number> {
    const [row] = await this.dataSource.query(`SELECT count(*)::int AS count FROM mail_outbox WHERE created_at > now() - interval '24 hours'`);
    return row.count;
  }

  /** Mails waiting for SMTP (new or to be retried). */
  async outboxWaiting(): Promise<number> {
    const [row] = await this.dataSource.query(`SELECT count(*)::int AS count FROM mail_outbox WHERE state = 'waiting'`);
    return row.count;
  }
}
