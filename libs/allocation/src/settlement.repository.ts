import { Injectable } from '@nestjs/common';
import { EntityManager } from 'typeorm';
import { jsonColumn } from '@ps/database';

export interface ResultRow {
  kpi_line_id: number;
  realised_quantity: number;
  waiver_reason: string | null;
  recorded_by_label: string;
  recorded_at: Date;
}

export interface SettlementRow {
  application_id: number;
  run_id: number;
  allocated_cents: string | number;
  advance_cents: string | number;
  reclaim_cents: string | number;
  balance_cents: string | number;
  detail: unknown;
  settled_by_label: string;
  settled_at: Date;
}

export interface NewSettlement {
  applicationId: number;
  runId: number;
  allocatedCents: number;
  advanceCents: number;
  reclaimCents: number;
  balanceCents: number;
  detail: object;
  settledBy: string;
}

/** Every statement on settlement_line and settlement. */
@Injectable()
export class SettlementRepository {
  resultsOf(manager: EntityManager, applicationId: number): Promise<ResultRow[]> {
    return manager.query(
      `SELECT kpi_line_id, realised_quantity, waiver_reason, recorded_by_label, recorded_at FROM settlement_line WHERE application_id = $1 ORDER BY kpi_line_id`,
      [applicationId],
    );
  }

  async saveResult(manager: EntityManager, applicationId: number, kpiLineId: number, realised: number, waiverReason: string | null, by: string): Promise<void> {
    await manager.query(
      `INSERT INTO settlement_line (application_id, kpi_line_id, realised_quantity, waiver_reason, recorded_by_label) VALUES ($1, $2, $3, $4, $5)
       ON CONFLICT (application_id, kpi_line_id)
       DO UPDATE SET realised_quantity = EXCLUDED.realised_quantity, waiver_reason = EXCLUDED.waiver_reason,
                     recorded_by_label = EXCLUDED.recorded_by_label, recorded_at = now()`,
      [applicationId, kpiLineId, realised, waiverReason, by],
    );
  }

  /** The applications with recorded final results and no closed settlement yet. */
  async unsettledWithResults(manager: EntityManager): Promise<number[]> {
    const rows: { application_id: number }[] = await manager.query(
      `SELECT DISTINCT l.application_id FROM settlement_line l
        WHERE NOT EXISTS (SELECT 1 FROM settlement s WHERE s.application_id = l.application_id) ORDER BY l.application_id`,
    );
    return rows.map((row) => row.application_id);
  }

  /** The application's closed settlement, if any. */
  async settlementOf(manager: EntityManager, applicationId: number): Promise<SettlementRow | null> {
    const [row] = await manager.query(`SELECT * FROM settlement WHERE application_id = $1`, [applicationId]);
    return row ? { ...row, detail: jsonColumn(row.detail) } : null;
  }

  /** Waits for another change of the same application's settlement; held until this transaction ends. */
  async lock(manager: EntityManager, applicationId: number): Promise<void> {
    await manager.query(`SELECT pg_advisory_xact_lock($1, $2)`, [SETTLEMENT_LOCK, applicationId]);
  }

  async insertSettlement(manager: EntityManager, s: NewSettlement): Promise<void> {
    await manager.query(
      `INSERT INTO settlement (application_id, run_id, allocated_cents, advance_cents, reclaim_cents, balance_cents, detail, settled_by_label)
       VALUES ($1, $2, $3, $4, $5, $6, $7, $8)`,
      [s.applicationId, s.runId, s.allocatedCents, s.advanceCents, s.reclaimCents, s.balanceCents, JSON.stringify(s.detail), s.settledBy],
    );
  }
}

/** Arbitrary first key of the advisory lock that serialises changes of one application's settlement. */
const SETTLEMENT_LOCK = 0x53455454; // "SETT"
