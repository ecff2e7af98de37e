import { Injectable } from '@nestjs/common';
import { EntityManager } from 'typeorm';
import { hydrate, sqlIdentifier } from '@ps/database';
import { Call, KpiLine } from './catalogue.entities';

/** The KPI lines of a call as the applications lib shows them: with the action's objective and the menu's order. */
export interface CatalogueLineView {
  id: number;
  actionNumber: number;
  position: number;
  unitNl: string;
  maxQuantity: number;
  unitAmountCents: number;
  objectiveCode: string;
  actionTitleNl: string;
}

/** A report deadline of a call (`call.interim_report_due_at` or `call.final_report_due_at`). */
export interface ReportDeadline {
  callId: number;
  callNameNl: string;
  kind: 'interim' | 'final';
  dueAt: Date;
}

/**
 * All SQL on the catalogue's tables (objective, action, call, call_action, kpi_line). Every method takes the
 * caller's EntityManager, so other libs can read the catalogue inside their own transaction.
 */
@Injectable()
export class CatalogueRepository {
  /** A call by id. Read on every application change, so with fixed SQL rather than a query builder (`hydrate`). */
  async callById(manager: EntityManager, id: number): Promise<Call | null> {
    return hydrate(manager, Call, await manager.query(`SELECT * FROM call WHERE id = $1`, [id]))[0] ?? null;
  }

  callByYear(manager: EntityManager, yearNumber: number): Promise<Call | null> {
    return manager.findOneBy(Call, { yearNumber });
  }

  /**
   * The interim and final report deadlines of every call that lie after `after` and at or before `until`, by deadline,
   * call and kind ('final' before 'interim'). A call without a deadline (null) has none.
   */
  async reportDeadlinesBetween(manager: EntityManager, after: Date, until: Date): Promise<ReportDeadline[]> {
    const rows: { call_id: number; name_nl: string; kind: 'interim' | 'final'; due_at: Date }[] = await manager.query(
      `SELECT c.id AS call_id, c.name_nl, d.kind, d.due_at
         FROM call c
         CROSS JOIN LATERAL (VALUES ('interim', c.interim_report_due_at), ('final', c.final_report_due_at)) AS d(kind, due_at)
        WHERE d.due_at > $1 AND d.due_at <= $2
        ORDER BY d.due_at, c.id, d.kind`,
      [after, until],
    );
    return rows.map((r) => ({ callId: r.call_id, callNameNl: r.name_nl, kind: r.kind, dueAt: new Date(r.due_at) }));
  }

  /** Sets the given columns of a call under its version; false when the version is stale. */
  async updateCallColumns(manager: EntityManager, callId: number, version: number, columns: [column: string, value: unknown][]): Promise<boolean> {
    const assignments = columns.map(([column], i) => `${sqlIdentifier(column)} = $${i + 3}`);
    // TypeORM answers an UPDATE … RETURNING with [rows, affectedCount]; the rows say whether it matched.
    const [updated] = await manager.query(`UPDATE call SET ${assignments.join(', ')}, version = version + 1 WHERE id = $1 AND version = $2 RETURNING id`, [
      callId,
      version,
      ...columns.map(([, value]) => value),
    ]);
    return (updated as unknown[]).length > 0;
  }

  /** Raises the call's catalogue version (and its version); the new catalogue version, or null when the version is stale. */
  async bumpCatalogueVersion(manager: EntityManager, callId: number, version: number): Promise<number | null> {
    const [bumped] = await manager.query(
      `UPDATE call SET catalogue_version = catalogue_version + 1, version = version + 1 WHERE id = $1 AND version = $2 RETURNING catalogue_version`,
      [callId, version],
    );
    return (bumped as { catalogue_version: number }[])[0]?.catalogue_version ?? null;
  }

  kpiLine(manager: EntityManager, callId: number, kpiLineId: number): Promise<KpiLine | null> {
    return manager.findOneBy(KpiLine, { id: kpiLineId, callId });
  }

  async updateKpiLine(manager: EntityManager, kpiLineId: number, maxQuantity: number, unitAmountCents: number): Promise<void> {
    await manager.query(`UPDATE kpi_line SET max_quantity = $2, unit_amount_cents = $3 WHERE id = $1`, [kpiLineId, maxQuantity, unitAmountCents]);
  }

  /** A call's KPI lines in the menu's order (objective, action, position), with what a page shows of each. */
  async lineViews(manager: EntityManager, callId: number): Promise<CatalogueLineView[]> {
    const rows: Record<string, unknown>[] = await manager.query(
      `SELECT k.id, k.action_number, k.position, k.unit_nl, k.max_quantity, k.unit_amount_cents, act.objective_code, act.title_nl
         FROM kpi_line k JOIN action act ON act.number = k.action_number JOIN objective o ON o.code = act.objective_code
        WHERE k.call_id = $1 ORDER BY o.position, k.action_number, k.position`,
      [callId],
    );
    return rows.map((r) => ({
      id: r.id as number,
      actionNumber: r.action_number as number,
      position: r.position as number,
      unitNl: r.unit_nl as string,
      maxQuantity: r.max_quantity as number,
      unitAmountCents: Number(r.unit_amount_cents),
      objectiveCode: r.objective_code as string,
      actionTitleNl: r.title_nl as string,
    }));
  }

  /** The KPI lines (of every call) of the actions of one objective. */
  async kpiLineIdsOf(manager: EntityManager, objectiveCode: string): Promise<number[]> {
    const rows: { id: number }[] = await manager.query(
      `SELECT k.id FROM kpi_line k JOIN action act ON act.number = k.action_number WHERE act.objective_code = $1`,
      [objectiveCode],
    );
    return rows.map((r) => r.id);
  }

  /** Inserts a call unless its year exists; the new id, or null when it was there already. */
  async insertCallIfMissing(manager: EntityManager, values: unknown[]): Promise<number | null> {
    const inserted: { id: number }[] = await manager.query(
      `INSERT INTO call (year_number, name_nl, submission_opens_at, submission_closes_at, project_start, project_end, budget_cents,
         decision_date, interim_report_due_at, final_report_due_at, eligibility_threshold, origin_definition, statistics_reference_year, only_existing_applicants)
       VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10, $11, $12, $13, $14)
       ON CONFLICT (year_number) DO NOTHING RETURNING id`,
      values,
    );
    return inserted[0]?.id ?? null;
  }
}
