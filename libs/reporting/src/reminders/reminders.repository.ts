import { Injectable } from '@nestjs/common';
import { EntityManager } from 'typeorm';
import { ReportKind } from '../report.dto';
import { ReminderStage } from './reminder-schedule';

/** Arbitrary first key of the advisory lock that lets one platform instance at a time run the reminders. */
export const REMINDERS_LOCK: readonly [number, number] = [0x52454d49, 1]; // "REMI"

/**
 * Every statement of the report reminders on this lib's tables: which reports were handed in, what was sent. The calls,
 * approved applications and officers come from their own libs' read models (ReportReminders).
 */
@Injectable()
export class RemindersRepository {
  /** True when this transaction now holds the reminders lock; false when another transaction (instance) holds it. Released at commit or rollback. */
  async tryLock(manager: EntityManager): Promise<boolean> {
    const [row] = await manager.query(`SELECT pg_try_advisory_xact_lock($1, $2) AS locked`, [...REMINDERS_LOCK]);
    return row.locked === true;
  }

  /** Which reports of these applications have a submitted or accepted version, as `<application id>:<kind>`. */
  async handedIn(manager: EntityManager, applicationIds: number[]): Promise<Set<string>> {
    if (applicationIds.length === 0) return new Set();
    const rows: { application_id: number; kind: ReportKind }[] = await manager.query(
      `SELECT application_id, kind FROM kpi_report WHERE application_id = ANY($1::integer[]) AND status IN ('submitted', 'accepted')`,
      [applicationIds],
    );
    return new Set(rows.map((r) => `${r.application_id}:${r.kind}`));
  }

  /**
   * Records the reminder as sent; false when it was sent before (the primary key), so it is never sent twice. Another
   * transaction inserting the same reminder makes this one wait for it: sent when it commits, ours when it rolls back.
   */
  async claim(manager: EntityManager, applicationId: number, kind: ReportKind, stage: ReminderStage, now: Date): Promise<boolean> {
    const rows = await manager.query(
      `INSERT INTO report_reminder (application_id, kind, days_before, sent_at) VALUES ($1, $2, $3, $4)
       ON CONFLICT (application_id, kind, days_before) DO NOTHING RETURNING application_id`,
      [applicationId, kind, stage, now],
    );
    return rows.length === 1;
  }

  /** Each reminder in a savepoint of the job's transaction: a failed delivery undoes that reminder only. */
  async savepoint(manager: EntityManager): Promise<void> {
    await manager.query(`SAVEPOINT report_reminder`);
  }

  async releaseSavepoint(manager: EntityManager): Promise<void> {
    await manager.query(`RELEASE SAVEPOINT report_reminder`);
  }

  async rollbackToSavepoint(manager: EntityManager): Promise<void> {
    await manager.query(`ROLLBACK TO SAVEPOINT report_reminder`);
  }
}
