import { Injectable } from '@nestjs/common';
import { EntityManager } from 'typeorm';
import { ReportKind } from '../report.dto';
import { ReminderStage } from './reminder-schedule';

/** A report of an approved application not (yet) submitted, with a deadline ahead. */
export interface MissingReport {
  applicationId: number;
  applicantId: number;
  callNameNl: string;
  kind: ReportKind;
  dueAt: Date;
}

export interface Officer {
  email: string;
  displayName: string;
}

/** Arbitrary first key of the advisory lock that lets one platform instance at a time run the reminders. */
export const REMINDERS_LOCK: readonly [number, number] = [0x52454d49, 1]; // "REMI"

/** Every statement of the report reminders: what is missing, who hears of it, what was sent. */
@Injectable()
export class RemindersRepository {
  /** True when this transaction now holds the reminders lock; false when another transaction (instance) holds it. Released at commit or rollback. */
  async tryLock(manager: EntityManager): Promise<boolean> {
    const [row] = await manager.query(`SELECT pg_try_advisory_xact_lock($1, $2) AS locked`, [...REMINDERS_LOCK]);
    return row.locked === true;
  }

  /**
   * The interim and final reports of approved applications that have no submitted or accepted version, whose deadline
   * lies after `now` and before `until`: a draft or a returned report is still missing. A call without a deadline (null) has none.
   */
  async missingReports(manager: EntityManager, now: Date, until: Date): Promise<MissingReport[]> {
    const rows: { application_id: number; applicant_id: number; name_nl: string; kind: ReportKind; due_at: Date }[] = await manager.query(
      `SELECT a.id AS application_id, a.applicant_id, c.name_nl, d.kind, d.due_at
         FROM application a
         JOIN call c ON c.id = a.call_id
         CROSS JOIN LATERAL (VALUES ('interim', c.interim_report_due_at), ('final', c.final_report_due_at)) AS d(kind, due_at)
        WHERE a.status = 'goedgekeurd'
          AND d.due_at > $1 AND d.due_at <= $2
          AND NOT EXISTS (
            SELECT 1 FROM kpi_report r WHERE r.application_id = a.id AND r.kind = d.kind AND r.status IN ('submitted', 'accepted'))
        ORDER BY d.due_at, a.id, d.kind`,
      [now, until],
    );
    return rows.map((r) => ({ applicationId: r.application_id, applicantId: r.applicant_id, callNameNl: r.name_nl, kind: r.kind, dueAt: new Date(r.due_at) }));
  }

  /** The active municipal officers of these local governments, by address. */
  async activeOfficers(manager: EntityManager, localGovernmentIds: number[]): Promise<Officer[]> {
    if (localGovernmentIds.length === 0) return [];
    const rows: { email: string; display_name: string }[] = await manager.query(
      `SELECT email, display_name FROM app_user
        WHERE role = 'municipal-officer' AND active AND local_government_id = ANY($1::integer[])
        ORDER BY lower(email)`,
      [localGovernmentIds],
    );
    return rows.map((r) => ({ email: r.email, displayName: r.display_name }));
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
